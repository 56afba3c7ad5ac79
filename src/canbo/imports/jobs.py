"""Import jobs: store the upload, inspect it, run the engine as a background task, report
progress, and notice runs whose worker died.

A job goes UPLOADED → MAPPING (file inspected) → RUNNING → DONE / FAILED, or REFUSED when the
engine will not read the file. ``ImportJob.result`` always keeps the inspection under ``"sheets"``
(so the mapping page need not read the file again); once finished it also holds
``ImportResult.as_dict()``.

Running is a django-tasks task (``run_import_job`` below) stored in the database and executed by the
worker process (``manage.py db_worker``, started beside the web server by ``./canbo serve`` and
``./canbo demo``). While RUNNING, the job's ``progress_phase`` says where it is: QUEUED (no worker
has taken it yet: a restart of the web server or of the worker loses nothing), CHECKING, then
WRITING. The task writes ``progress_*`` and ``heartbeat`` to the job row at most once a second,
outside the engine's write transaction (inside it nothing written is seen by another process),
and its ``worker`` (host and process id). The engine writes everything in one transaction, so a
worker killed mid-way has written nothing: such a job is marked FAILED as interrupted when the
officer's jobs are listed or a job page is opened (``mark_interrupted``). See
docs/architecture.md, "Background work", and docs/huong-dan/nhap-du-lieu.md, "Các bước nhập".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection
from django.utils import timezone
from django_tasks import task

from canbo.imports import engine, retention
from canbo.imports.models import ImportJob

log = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=30)
"""A RUNNING job whose worker gave no sign this long is interrupted, whatever its process id
says (a worker on another machine, or a process id taken again by another process). Nothing is
written to the job during the write transaction, so this exceeds the longest write."""

PROGRESS_WRITE_EVERY = 1.0
"""Seconds between two progress writes to the job row."""

INTERRUPTED_MESSAGE = (
    "Lần nhập bị gián đoạn (tiến trình xử lý nền dừng giữa chừng). Chưa ghi gì vào hồ sơ; "
    "hãy tải tệp lên và nhập lại."
)
CRASHED_MESSAGE = (
    "Lỗi hệ thống khi nhập tệp; chưa ghi gì vào hồ sơ. Hãy báo quản trị hệ thống (lần nhập số {pk})."
)

FINISHED = (ImportJob.Status.DONE, ImportJob.Status.FAILED, ImportJob.Status.REFUSED)
Phase = ImportJob.Phase


# --- storing and inspecting -------------------------------------------------------------------


def imports_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def file_path(job: ImportJob) -> Path:
    """The stored file of a job (``stored_path`` is relative to MEDIA_ROOT, or absolute)."""
    stored = Path(job.stored_path)
    return stored if stored.is_absolute() else Path(settings.MEDIA_ROOT) / stored


def store_upload(*, user: Any, upload: UploadedFile) -> ImportJob:
    """Write the upload to ``MEDIA_ROOT/imports/<sha256>.xlsx`` (identical files are stored once)
    and record an UPLOADED job."""
    root = imports_root()
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        # Identical files are stored once. Replacing (rather than keeping the old copy) gives the
        # file a fresh time, which keeps it from a purge running meanwhile (retention.GRACE); a
        # run reading the old copy keeps its open file.
        os.replace(tmp_name, root / f"{sha}.xlsx")
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    job = ImportJob.objects.create(
        user=user,
        original_name=(upload.name or "tep.xlsx")[-255:],
        stored_path=f"imports/{sha}.xlsx",
        sha256=sha,
        size=size,
        status=ImportJob.Status.UPLOADED,
    )
    retention.purge_soon()  # cheap: at most once an hour in this process
    return job


def inspect(job: ImportJob) -> list[engine.SheetInfo]:
    """Read the file's sheets and proposed mapping; a refused file makes the job REFUSED and
    raises ``engine.RefusedFile``."""
    try:
        sheets = engine.inspect_workbook(file_path(job))
    except engine.RefusedFile as exc:
        _finish(job, ImportJob.Status.REFUSED, {"refused": exc.message})
        raise
    if not sheets:
        empty = engine.RefusedFile("Tệp không có sheet nào có dữ liệu.")
        _finish(job, ImportJob.Status.REFUSED, {"refused": empty.message})
        raise empty
    job.status = ImportJob.Status.MAPPING
    job.result = {"sheets": [asdict(s) for s in sheets]}
    job.save(update_fields=["status", "result"])
    return sheets


def sheets_of(job: ImportJob) -> list[engine.SheetInfo]:
    """The inspection kept on the job (read again from the file if it is missing)."""
    stored = (job.result or {}).get("sheets")
    if stored is None:
        return engine.inspect_workbook(file_path(job))
    return [engine.SheetInfo(**s) for s in stored]


def refusal_text(message: str) -> str:
    """A refusal as shown after "Tệp bị từ chối:" (the engine sometimes says it already)."""
    prefix = "Tệp bị từ chối:"
    return message[len(prefix) :].strip() if message.startswith(prefix) else message


def refusal_of(job: ImportJob) -> str:
    return refusal_text(str((job.result or {}).get("refused", "")))


# --- running ---------------------------------------------------------------------------------


def start(job: ImportJob, *, mapping: dict[str, Any], dry_run: bool) -> None:
    """Mark the job RUNNING (queued) and enqueue its task; the worker runs it (``execute``)."""

    sheets = (job.result or {}).get("sheets", [])
    job.status = ImportJob.Status.RUNNING
    job.mapping = mapping
    job.dry_run = dry_run
    job.progress_done = 0
    job.progress_total = sum(int(s.get("rows", 0)) for s in sheets)
    job.progress_label = ""
    job.progress_phase = Phase.QUEUED
    job.task_id = ""
    job.worker = ""
    job.heartbeat = None
    job.finished = None
    job.result = {"sheets": sheets}
    job.save()
    task = run_import_job.enqueue(job.pk)
    # Only this field: with the immediate backend (tests) the task has already finished the job.
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(task.id))
    job.task_id = str(task.id)


def this_worker() -> str:
    """``host:pid`` of this process, as kept in ``ImportJob.worker``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def execute(job_id: int) -> str:
    """The task's body: run the engine on a RUNNING job and store what came out; the status."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ImportJob.Status.RUNNING:  # marked interrupted meanwhile: never run it
        return str(job.status)
    job.progress_phase = Phase.CHECKING
    job.progress_label = "Đang mở tệp"
    job.worker = this_worker()
    job.heartbeat = timezone.now()
    job.save(update_fields=["progress_phase", "progress_label", "worker", "heartbeat"])
    sheets = (job.result or {}).get("sheets", [])
    # The engine's own wording (docs/huong-dan/nhap-du-lieu.md), with the name the officer knows
    # rather than the stored <sha256>.xlsx.
    reason = f"Nhập từ tệp {job.original_name} ({job.sha256[:12]})"
    try:
        # The engine binds the change-log context (source "import") around its writes.
        result = engine.run_import(
            path=file_path(job),
            acting_user=job.user,
            mapping=job.mapping or None,
            dry_run=job.dry_run,
            progress=_progress_writer(job_id),
            reason=reason,
        )
    except engine.RefusedFile as exc:
        _finish(job, ImportJob.Status.REFUSED, {"sheets": sheets, "refused": exc.message})
        return str(job.status)
    except Exception:
        # A bug in the engine must not leave the job RUNNING forever nor show a 500 page: the
        # transaction was rolled back, so "nothing written" holds. The trace goes to the log.
        log.exception("import job %s crashed", job_id)
        message = CRASHED_MESSAGE.format(pk=job_id)
        _finish(
            job, ImportJob.Status.FAILED, {"sheets": sheets, "ok": False, "errors": [], "crashed": message}
        )
        return str(job.status)
    status = ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED
    _finish(job, status, {"sheets": sheets, **result.as_dict()})
    return str(job.status)


def _finish(job: ImportJob, status: str, result: dict[str, Any]) -> None:
    job.status = status
    job.result = result
    job.finished = timezone.now()
    job.progress_phase = ""
    if status == ImportJob.Status.DONE and job.progress_total:
        job.progress_done = job.progress_total
    job.save(update_fields=["status", "result", "finished", "progress_done", "progress_phase"])


def _progress_writer(job_id: int) -> engine.Progress:
    """The engine's ``progress(done, total, label)``, written to the job row (with the
    heartbeat) at most once a second or when the step changes, and never from inside a
    transaction: the engine's write transaction would hide it from the page until the end (and
    on SQLite it holds the write lock). ``engine.WRITING`` starts the write phase."""
    last_at, last_label = 0.0, ""

    def progress(done: int, total: int, label: str) -> None:
        nonlocal last_at, last_label
        now = time.monotonic()
        if connection.in_atomic_block:
            return
        if now - last_at < PROGRESS_WRITE_EVERY and label == last_label:
            return
        last_at, last_label = now, label
        fields: dict[str, Any] = {
            "progress_done": done,
            "progress_total": total,
            "progress_label": label[:200],
            "heartbeat": timezone.now(),
        }
        if label == engine.WRITING:
            fields["progress_phase"] = Phase.WRITING
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(**fields)

    return progress


def progress_of(job: ImportJob) -> tuple[int, int, str]:
    """(done, total, label) as the task last wrote them; the label says the phase when the
    task gave none (queued, or writing)."""
    label = job.progress_label
    if job.progress_phase == Phase.QUEUED or (job.progress_phase and not label):
        label = job.get_progress_phase_display()
    return job.progress_done, job.progress_total, label


# --- interrupted runs -------------------------------------------------------------------------


def _pid_gone(worker: str) -> bool:
    """True if ``worker`` ("host:pid") ran on this machine and its process is no more (or is a
    zombie waiting for its parent)."""
    host, _sep, raw = worker.rpartition(":")
    if host != socket.gethostname() or not raw.isdigit():
        return False
    pid = int(raw)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _task_ended(job: ImportJob) -> bool:
    """True if the job's task has ended (or vanished) while the job is still RUNNING: the task
    failed outside ``execute``'s own handling (e.g. it could not be loaded)."""
    from django_tasks import TaskResultStatus
    from django_tasks.exceptions import TaskResultDoesNotExist

    if not job.task_id:
        return False
    try:
        result = run_import_job.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return True
    except NotImplementedError:  # a backend that keeps no results (the immediate one)
        return False
    return result.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


def is_stale(job: ImportJob, now: dt.datetime | None = None) -> bool:
    """A RUNNING job whose run cannot end any more: its worker process is gone (same machine),
    its worker gave no sign for STALE_AFTER, or its task ended without finishing it."""
    if job.status != ImportJob.Status.RUNNING:
        return False
    if job.progress_phase in (Phase.CHECKING, Phase.WRITING):
        if _pid_gone(job.worker):
            return True
        beat = job.heartbeat or job.created
        if (now or timezone.now()) - beat > STALE_AFTER:
            return True
    return _task_ended(job)


def mark_interrupted(jobs: list[ImportJob]) -> None:
    """Mark the RUNNING jobs among ``jobs`` whose run died as FAILED (interrupted), in place,
    and their task results as failed."""
    now = timezone.now()
    for job in jobs:
        if not is_stale(job, now):
            continue
        result = {**(job.result or {}), "ok": False, "errors": [], "interrupted": INTERRUPTED_MESSAGE}
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
            status=ImportJob.Status.FAILED, result=result, finished=now, progress_phase=""
        )
        if updated:
            job.status, job.result, job.finished, job.progress_phase = (
                ImportJob.Status.FAILED,
                result,
                now,
                "",
            )
            _fail_task(job.task_id, now)


def _fail_task(task_id: str, now: dt.datetime) -> None:
    """The database backend leaves the task of a killed worker RUNNING for ever: say it failed."""
    if not task_id:
        return
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=now
    )


@task()
def run_import_job(job_id: int) -> str:
    """The import's background task, run by the worker (``manage.py db_worker``): run the RUNNING
    import job ``job_id`` (``execute``); returns its final status. Defined here, beside
    ``start`` that enqueues it, so that the import's modules import each other in no circle."""
    return execute(job_id)
