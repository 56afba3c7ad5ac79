"""How long uploaded import files are kept, and their purge (``manage.py purge_imports``).

Policy (docs/nhap-du-lieu-quan-tri.md and docs/huong-dan/nhap-du-lieu.md, "Lưu giữ tệp đã tải lên"):

- The file of an import that wrote data (DONE, not a dry run) is the source of record of those
  changes (the change log names it by its SHA-256): it is kept for good.
- The file of a failed, refused or dry-run job, or of a job abandoned before running (UPLOADED,
  MAPPING), is deleted once the job is older than the retention period
  (``CANBO_IMPORT_RETENTION_DAYS``, default 30 days), counted from the end of its run, or from
  the upload when it never ran. A RUNNING job's file is never touched.
- The job row and its result (errors, counts) stay; ``file_purged`` records when its file went,
  so the job page can say so instead of failing on the missing file.
- Identical uploads share one file (``imports/<sha256>.xlsx``): a file is deleted only when no
  job that still keeps its file refers to it.
- Files under ``MEDIA_ROOT/imports/`` that no job refers to (a job deleted with its user, an
  upload interrupted before its job was recorded) are deleted too.
- No file modified within ``GRACE`` is deleted: an upload writes its file a moment before it
  records its job, and an identical upload refreshes the shared file's time.

The purge runs from the command line and, cheaply (at most once per ``AUTO_EVERY`` in a
process), after each upload.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from canbo.imports.models import ImportJob

log = logging.getLogger(__name__)

DEFAULT_DAYS = 30
GRACE = dt.timedelta(hours=1)
AUTO_EVERY = 3600.0  # seconds between two purges started by uploads, per process

Status = ImportJob.Status
# Jobs that wrote data keep their file for good; running jobs need theirs.
KEEPS_FILE = Q(status=Status.DONE, dry_run=False) | Q(status=Status.RUNNING)


class RetentionError(ValueError):
    """A wrong retention setting or argument, said in Vietnamese."""


def retention_days() -> int:
    """``settings.CANBO_IMPORT_RETENTION_DAYS``, else the environment variable of that name,
    else 30. Raises ``RetentionError`` for anything but a whole number of days ≥ 1."""
    raw = getattr(settings, "CANBO_IMPORT_RETENTION_DAYS", None)
    if raw is None:
        raw = os.environ.get("CANBO_IMPORT_RETENTION_DAYS", "") or DEFAULT_DAYS
    return parse_days(str(raw), source="CANBO_IMPORT_RETENTION_DAYS")


def parse_days(raw: str, *, source: str = "--days") -> int:
    text = raw.strip()
    if not text.isdigit() or int(text) < 1:
        raise RetentionError(f"{source} phải là số ngày nguyên, từ 1 trở lên (đang là “{raw}”).")
    return int(text)


@dataclass
class PurgeReport:
    """What a purge did (or, with ``dry_run``, would do)."""

    days: int
    dry_run: bool
    jobs: list[ImportJob] = field(default_factory=list)  # jobs whose file is no longer kept
    deleted: list[Path] = field(default_factory=list)  # files removed from disk
    freed: int = 0  # bytes
    shared_kept: int = 0  # files of expired jobs kept because another job still needs them
    kept_done: int = 0  # files of imports that wrote data (kept for good)


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _stored(job: ImportJob) -> Path:
    stored = Path(job.stored_path)
    return stored if stored.is_absolute() else Path(settings.MEDIA_ROOT) / stored


def _recent(path: Path, now: float) -> bool:
    try:
        return now - path.stat().st_mtime < GRACE.total_seconds()
    except FileNotFoundError:
        return True  # gone already: nothing to delete


def purge(*, days: int | None = None, dry_run: bool = False) -> PurgeReport:
    """Delete the files the policy no longer keeps; mark their jobs ``file_purged``."""
    days = retention_days() if days is None else days
    now = timezone.now()
    cutoff = now - dt.timedelta(days=days)
    report = PurgeReport(days=days, dry_run=dry_run)
    expired: list[ImportJob] = list(
        ImportJob.objects.filter(file_purged__isnull=True)
        .exclude(KEEPS_FILE)
        .annotate(since=Coalesce("finished", "created"))
        .filter(since__lt=cutoff)
        .order_by("pk")
    )
    report.jobs = expired
    expired_ids = {j.pk for j in expired}
    # Files still needed: by a job that keeps its file, or one not expired yet.
    needed = {
        _stored(j).resolve()
        for j in ImportJob.objects.filter(file_purged__isnull=True).only("stored_path")
        if j.pk not in expired_ids
    }
    report.kept_done = len(
        {_stored(j).resolve() for j in ImportJob.objects.filter(status=Status.DONE, dry_run=False)}
    )
    clock = time.time()
    candidates: dict[Path, None] = {}
    for job in expired:
        path = _stored(job).resolve()
        if path in needed:
            report.shared_kept += 1
        else:
            candidates[path] = None
    # Files no job keeping its file refers to: a job that is gone, an upload that never became
    # one, or a purged job's file left by an earlier run because it had just been touched.
    referred = needed | {_stored(j).resolve() for j in expired}
    root = _root()
    if root.is_dir():
        for path in sorted(root.iterdir()):
            if path.is_file() and path.resolve() not in referred:
                candidates[path.resolve()] = None
    for path in candidates:
        if not path.is_file() or _recent(path, clock) or not path.is_relative_to(root.resolve()):
            continue
        size = path.stat().st_size
        if not dry_run:
            path.unlink(missing_ok=True)
        report.deleted.append(path)
        report.freed += size
    if not dry_run and expired:
        ImportJob.objects.filter(pk__in=expired_ids, file_purged__isnull=True).update(file_purged=now)
        for job in expired:
            job.file_purged = now
    return report


_auto_lock = threading.Lock()
_auto_last = [0.0]


def purge_soon() -> None:
    """After an upload: purge at most once per ``AUTO_EVERY`` in this process; never fail the
    upload (a wrong setting or a disk error is logged)."""
    with _auto_lock:
        clock = time.monotonic()
        if _auto_last[0] and clock - _auto_last[0] < AUTO_EVERY:
            return
        _auto_last[0] = clock
    try:
        report = purge()
    except Exception:
        log.exception("purge of old import files failed")
        return
    if report.deleted:
        log.info("purged %d old import files (%d bytes)", len(report.deleted), report.freed)
