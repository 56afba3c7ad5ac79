"""gunicorn's configuration for `./canbo serve` and `./canbo demo` (issue 22: sized to the cores).

CanBo's request time is Python CPU (templates, the ORM) plus waits on the database or
LibreOffice. Python runs one thread at a time per process, so the server runs one process per
core (``CANBO_WEB_WORKERS``, default: the cores this process may use) and a few threads in each
(``CANBO_WEB_THREADS``, default 4) to overlap the waits. The ``gthread`` worker keeps an idle
keep-alive connection in its poller, not in a thread, so a client between two requests pins
nothing; the keep-alive is short (``CANBO_WEB_KEEPALIVE``, default 2 s) so that a browser's
connection to a process busy with a slow request is dropped soon and its next request is
accepted by whichever process is free.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


bind = os.environ.get("CANBO_ADDR", "127.0.0.1:8000")
worker_class = "gthread"
workers = _int("CANBO_WEB_WORKERS", _cores())
threads = _int("CANBO_WEB_THREADS", 4)
keepalive = _int("CANBO_WEB_KEEPALIVE", 2)
timeout = _int("CANBO_WEB_TIMEOUT", 120)
forwarded_allow_ips = os.environ.get("CANBO_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("CANBO_WEB_ACCESSLOG", "-") or None
# gunicorn's control socket (``gunicornc``) is not used by CanBo; left on, every server of the same
# OS account shares ~/.gunicorn/gunicorn.ctl (a second ``./canbo serve`` — the restore check of
# docs/van-hanh.md — takes it from the first), and an account without a writable home gets an error
# at start. Found walking the install guide (issue 21).
control_socket_disable = True


def _log_zone() -> None:
    """gunicorn stamps its log lines (``[2026-12-07 08:46:06 +0700]``, and the access log's
    ``[07/Dec/2026:08:46:16 +0700]``) with the process's local time, and Django sets the process's
    zone (``TZ``) from ``settings.TIME_ZONE`` only when a worker loads the application: the
    master's lines and each worker's first ones came out in the machine's zone (UTC on a server),
    beside CanBo's own log in +07:00. The zone is set here, from the same setting, before gunicorn
    writes anything; the master's workers inherit it."""
    src = str(Path(__file__).resolve().parent.parent)
    if src not in sys.path:  # gunicorn adds --pythonpath only after reading this file
        sys.path.insert(0, src)
    from canbo.settings import TIME_ZONE

    os.environ["TZ"] = TIME_ZONE
    time.tzset()


_log_zone()
