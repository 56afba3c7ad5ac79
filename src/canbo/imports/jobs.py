"""Import jobs: store the upload, run the engine in the request or in a background thread,
report progress, and notice runs that were interrupted.

A job goes UPLOADED → MAPPING (file inspected) → RUNNING → DONE / FAILED, or REFUSED when the
engine will not read the file. ``ImportJob.result`` always keeps the inspection under ``"sheets"``
(so the mapping page need not read the file again) and, while running, a ``"heartbeat"``
timestamp; once finished it also holds ``ImportResult.as_dict()``.

Small files (at most ``SYNC_MAX_ROWS`` data rows over all sheets) run inside the request: the
officer sees the result at once. Larger ones run in a thread of the server process with its own
database connection; its progress is kept in memory (read by the page's htmx polling) and written
to the job row at most once a second while no transaction is open. The engine writes everything
in one transaction, so a run that dies with its process has written nothing: a RUNNING job with no
live thread in this process and no heartbeat for ``STALE_AFTER`` is marked FAILED as interrupted
(checked whenever the officer's jobs are listed or a job page is opened). See
docs/huong-dan/nhap-du-lieu.md, "Các bước nhập".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import close_old_connections, connection
from django.utils import timezone

from canbo.imports import engine, retention
from canbo.imports.models import ImportJob

log = logging.getLogger(__name__)

SYNC_MAX_ROWS = 300
"""Files with at most this many data rows (all sheets together) run inside the request."""

STALE_AFTER = dt.timedelta(minutes=10)
"""A RUNNING job without a live thread here and silent this long is shown as interrupted."""

PROGRESS_WRITE_EVERY = 1.0
"""Seconds between two progress writes to the job row."""

INTERRUPTED_MESSAGE = (
    "Lần nhập bị gián đoạn (máy chủ khởi động lại hoặc dừng giữa chừng). Chưa ghi gì vào hồ sơ; "
    "hãy tải tệp lên và nhập lại."
)
CRASHED_MESSAGE = (
    "Lỗi hệ thống khi nhập tệp; chưa ghi gì vào hồ sơ. Hãy báo quản trị hệ thống (lần nhập số {pk})."
)

FINISHED = (ImportJob.Status.DONE, ImportJob.Status.FAILED, ImportJob.Status.REFUSED)


@dataclass
class Live:
    """A job running in a thread of this process, and its latest progress."""

    thread: threading.Thread | None
    done: int = 0
    total: int = 0
    label: str = ""


_live: dict[int, Live] = {}
_lock = threading.Lock()


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


# --- running ----------------------------------------------------------------------------------


def start(job: ImportJob, *, mapping: dict[str, Any], dry_run: bool) -> None:
    """Mark the job RUNNING and run it: in the request for small files (or when
    ``settings.CANBO_IMPORT_SYNC``), otherwise in a background thread."""
    sheets = (job.result or {}).get("sheets", [])
    total_rows = sum(int(s.get("rows", 0)) for s in sheets)
    job.status = ImportJob.Status.RUNNING
    job.mapping = mapping
    job.dry_run = dry_run
    job.progress_done = 0
    job.progress_total = total_rows
    job.progress_label = "Đang chờ bắt đầu"
    job.finished = None
    job.result = {"sheets": sheets, "heartbeat": timezone.now().isoformat()}
    job.save()
    if getattr(settings, "CANBO_IMPORT_SYNC", False) or total_rows <= SYNC_MAX_ROWS:
        execute(job.pk)
        return
    thread = threading.Thread(target=_thread_main, args=(job.pk,), name=f"canbo-import-{job.pk}", daemon=True)
    with _lock:
        _live[job.pk] = Live(thread=thread, total=total_rows, label=job.progress_label)
    thread.start()


def _thread_main(job_id: int) -> None:
    """Thread body: a fresh database connection, closed at the end."""
    close_old_connections()
    try:
        execute(job_id)
    finally:
        connection.close()
        with _lock:
            _live.pop(job_id, None)


def execute(job_id: int) -> None:
    """Run the engine on a RUNNING job and store what came out."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
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
        return
    except Exception:
        # A bug in the engine must not leave the job RUNNING forever nor show a 500 page: the
        # transaction was rolled back, so "nothing written" holds. The trace goes to the log.
        log.exception("import job %s crashed", job_id)
        message = CRASHED_MESSAGE.format(pk=job_id)
        _finish(
            job, ImportJob.Status.FAILED, {"sheets": sheets, "ok": False, "errors": [], "crashed": message}
        )
        return
    status = ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED
    _finish(job, status, {"sheets": sheets, **result.as_dict()})


def _finish(job: ImportJob, status: str, result: dict[str, Any]) -> None:
    job.status = status
    job.result = result
    job.finished = timezone.now()
    if status == ImportJob.Status.DONE and job.progress_total:
        job.progress_done = job.progress_total
    job.save(update_fields=["status", "result", "finished", "progress_done"])


def _progress_writer(job_id: int) -> engine.Progress:
    """The engine's ``progress(done, total, label)``: kept in memory at once, written to the job
    row at most once a second, and never from inside the engine's write transaction (another
    connection would not see it before the commit, and SQLite would lock)."""
    last_write = [0.0]

    def progress(done: int, total: int, label: str) -> None:
        with _lock:
            live = _live.get(job_id)
            if live is not None:
                live.done, live.total, live.label = done, total, label
        now = time.monotonic()
        if now - last_write[0] < PROGRESS_WRITE_EVERY or connection.in_atomic_block:
            return
        last_write[0] = now
        job = ImportJob.objects.only("result").get(pk=job_id)
        ImportJob.objects.filter(pk=job_id).update(
            progress_done=done,
            progress_total=total,
            progress_label=label[:200],
            result={**(job.result or {}), "heartbeat": timezone.now().isoformat()},
        )

    return progress


def progress_of(job: ImportJob) -> tuple[int, int, str]:
    """(done, total, label): the live figures when the job runs in this process."""
    with _lock:
        live = _live.get(job.pk)
        if live is not None and live.total:
            return live.done, live.total, live.label
    return job.progress_done, job.progress_total, job.progress_label


def wait(job_id: int, timeout: float = 60.0) -> None:
    """Wait for a background run of this process to end (tests and the command line)."""
    with _lock:
        live = _live.get(job_id)
    if live is not None and live.thread is not None:
        live.thread.join(timeout)


# --- interrupted runs -------------------------------------------------------------------------


def _alive_here(job_id: int) -> bool:
    with _lock:
        live = _live.get(job_id)
    return live is not None and live.thread is not None and live.thread.is_alive()


def is_stale(job: ImportJob, now: dt.datetime | None = None) -> bool:
    """A RUNNING job whose thread is not alive here and that gave no sign for STALE_AFTER."""
    if job.status != ImportJob.Status.RUNNING or _alive_here(job.pk):
        return False
    beat = job.created
    raw = (job.result or {}).get("heartbeat")
    if raw:
        with contextlib.suppress(ValueError):
            beat = dt.datetime.fromisoformat(raw)
    return (now or timezone.now()) - beat > STALE_AFTER


def mark_interrupted(jobs: list[ImportJob]) -> None:
    """Mark the stale RUNNING jobs among ``jobs`` as FAILED (interrupted), in place."""
    now = timezone.now()
    for job in jobs:
        if is_stale(job, now):
            result = {**(job.result or {}), "ok": False, "errors": [], "interrupted": INTERRUPTED_MESSAGE}
            result.pop("heartbeat", None)
            updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
                status=ImportJob.Status.FAILED, result=result, finished=now
            )
            if updated:
                job.status, job.result, job.finished = ImportJob.Status.FAILED, result, now
