"""`/healthz` for the administrator's monitor, and the task worker's heartbeat it reads.

The answer is JSON and needs no login, so it says only whether each part works: the database
answers, its migrations are applied, the task worker gave a sign of life lately, the attachment
disk has room. 200 when all do, 503 otherwise (docs/van-hanh.md, "Giám sát").

The worker (``manage.py worker``, started by ``./canbo serve`` and ``./canbo demo``) writes the
time of its last sign of life into ``CANBO_WORKER_HEARTBEAT_FILE`` every
``CANBO_WORKER_HEARTBEAT_SECONDS``: a file beside the database, not a table, so that the
heartbeat costs the database nothing and needs no migration (the web server and its worker run on
one machine, `./canbo serve`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def heartbeat_path() -> Path:
    return Path(settings.CANBO_WORKER_HEARTBEAT_FILE)


def write_heartbeat(at: dt.datetime | None = None) -> None:
    """Record a sign of life of this worker process (atomically: a reader never sees half)."""
    path = heartbeat_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"worker": f"{socket.gethostname()}:{os.getpid()}", "at": (at or timezone.now()).isoformat()}
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(body), encoding="utf-8")
    tmp.replace(path)


def last_heartbeat() -> dt.datetime | None:
    try:
        body = json.loads(heartbeat_path().read_text(encoding="utf-8"))
        return dt.datetime.fromisoformat(body["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _database() -> dict[str, Any]:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return {"ok": False}
    return {"ok": True}


def _migrations() -> dict[str, Any]:
    from canbo.core.checks import unapplied_migrations

    try:
        pending = len(unapplied_migrations())
    except DatabaseError:
        return {"ok": False}
    return {"ok": pending == 0, "pending": pending}


def _worker() -> dict[str, Any]:
    beat = last_heartbeat()
    if beat is None:
        return {"ok": False, "seconds_since_heartbeat": None}
    age = max(0, int((timezone.now() - beat).total_seconds()))
    return {"ok": age <= settings.CANBO_WORKER_STALE_SECONDS, "seconds_since_heartbeat": age}


def _disk() -> dict[str, Any]:
    root = Path(settings.MEDIA_ROOT)
    probe = root
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent  # MEDIA_ROOT not made yet: its disk is its nearest existing parent's
    try:
        free = shutil.disk_usage(probe).free
    except OSError:
        return {"ok": False, "free_mb": None}
    free_mb = free // (1024 * 1024)
    return {"ok": free_mb >= settings.CANBO_MIN_FREE_DISK_MB, "free_mb": free_mb}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    database = _database()
    checks = {
        "database": database,
        "migrations": _migrations() if database["ok"] else {"ok": False},
        "worker": _worker(),
        "disk": _disk(),
    }
    ok = all(part["ok"] for part in checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", **checks}, status=200 if ok else 503)
