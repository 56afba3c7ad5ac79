"""`manage.py worker`: django-tasks-db's ``db_worker`` with a heartbeat for `/healthz`.

`./canbo serve` and `./canbo demo` run this instead of ``db_worker`` (same options). A daemon
thread writes the heartbeat file (``core.health.write_heartbeat``) at start and every
``CANBO_WORKER_HEARTBEAT_SECONDS``; it dies with the process, so a killed or crashed worker
stops beating and `/healthz` answers 503 once the last beat is older than
``CANBO_WORKER_STALE_SECONDS``.
"""

import contextlib
import threading
from typing import Any

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from canbo.core.health import write_heartbeat


def _beat() -> None:
    with contextlib.suppress(OSError):  # a full or read-only disk: /healthz sees the old beat
        write_heartbeat()


def _beat_until(stop: threading.Event) -> None:
    while not stop.wait(settings.CANBO_WORKER_HEARTBEAT_SECONDS):
        _beat()


class Command(DbWorkerCommand):
    help = "Chạy tiến trình xử lý công việc nền (nhập dữ liệu…), kèm tín hiệu hoạt động cho /healthz."

    def handle(self, *args: Any, **options: Any) -> None:
        _beat()  # before the first task: a worker that started is seen at once
        stop = threading.Event()
        thread = threading.Thread(target=_beat_until, args=(stop,), name="canbo-heartbeat", daemon=True)
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
