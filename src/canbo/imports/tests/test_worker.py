"""The import as a background task run by a real worker process (``manage.py db_worker``).

PostgreSQL only: the worker is another process and must see the test database, which on SQLite
lives in this process's memory. The tests are transactional so that the worker sees what the
web request committed. No part is replaced: the pages enqueue the task in the database, the
worker runs it against the same database; only the kill test makes the worker pause, between
the persons and the section rows, inside the write transaction, to be killed there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from canbo.conftest import DATABASE_TASKS
from canbo.core.models import ObjectChange
from canbo.imports.models import ImportJob
from canbo.imports.tests.test_views import GOOD, PID_1, PID_2, client_for, proposed_post, upload, workbook
from canbo.people.models import Person

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker process needs PostgreSQL"),
]

WAIT = 120  # seconds; a working worker takes a few

# The worker of the kill test: ``db_worker`` in this process, its writer pausing once the persons
# are written (inside the import's transaction) after saying so in a file.
PAUSED_WORKER = """
import os, pathlib, sys, time
sys.path.insert(0, "src")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
import django
django.setup()
from canbo.imports import apply
original = apply.Writer.write_records
def paused(self):
    pathlib.Path(os.environ["CANBO_TEST_MARKER"]).write_text("persons written")
    time.sleep(300)
    original(self)
apply.Writer.write_records = paused
from django.core.management import call_command
call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0.1", verbosity=0)
"""


@pytest.fixture
def db_tasks(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS


def worker_env() -> dict[str, str]:
    """The worker's environment: this test database and this test's MEDIA_ROOT."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "canbo.settings",
        "CANBO_DB": "postgresql",
        "CANBO_DB_NAME": str(db["NAME"]),
        "CANBO_DB_HOST": str(db["HOST"]),
        "CANBO_DB_PORT": str(db["PORT"]),
        "CANBO_DB_USER": str(db["USER"]),
        "CANBO_DB_PASSWORD": str(db["PASSWORD"]),
        "CANBO_MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
    }


def run_worker(*args: str) -> subprocess.CompletedProcess[str]:
    """``manage.py db_worker`` until the queue is empty (``--batch``), or ``args``."""
    command = ["manage.py", "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1"]
    return subprocess.run(
        [sys.executable, *command, *(args or ("--batch",))],
        cwd=django_settings.REPO_DIR,
        env=worker_env(),
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=True,
    )


def enqueue_import(client: Any, rows: list[list[Any]]) -> ImportJob:
    """Upload and run through the pages: the job is queued, nothing is run here."""
    upload(client, workbook(rows))
    job = ImportJob.objects.latest("pk")
    data = proposed_post(client, job, action="run")
    response = client.post(reverse("imports:mapping", args=[job.pk]), data)
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def test_a_worker_process_runs_the_queued_import(users: dict, db_tasks: None) -> None:
    """Enqueued by the web request with no worker running (as after a restart of the web server:
    the job and its task are rows of the database, nothing lives in the web process); a worker
    started afterwards picks it up and finishes it."""
    client = client_for(users["officer_a"])
    job = enqueue_import(client, GOOD)
    assert job.status == ImportJob.Status.RUNNING and job.progress_phase == ImportJob.Phase.QUEUED
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == TaskResultStatus.READY
    assert not Person.objects.filter(personal_id__in=[PID_1, PID_2]).exists()
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Đang chờ xử lý nền" in page

    run_worker()

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.result
    assert job.progress_phase == "" and job.worker.rpartition(":")[2].isdigit()
    assert Person.objects.filter(personal_id__in=[PID_1, PID_2]).count() == 2
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and task.return_value == ImportJob.Status.DONE
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Đã nhập xong" in page


def test_a_restarted_worker_takes_the_next_job(users: dict, db_tasks: None) -> None:
    """Two jobs queued; a worker that stops after one task (``--max-tasks 1``) leaves the other
    queued, and the next worker process runs it."""
    client = client_for(users["officer_a"])
    first = enqueue_import(client, GOOD[:1])
    second = enqueue_import(client, GOOD[1:])
    run_worker("--max-tasks", "1")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ImportJob.Status.DONE, first.result
    assert second.status == ImportJob.Status.RUNNING and second.progress_phase == ImportJob.Phase.QUEUED
    run_worker()
    second.refresh_from_db()
    assert second.status == ImportJob.Status.DONE, second.result
    assert Person.objects.filter(personal_id__in=[PID_1, PID_2]).count() == 2


def test_a_worker_killed_mid_write_leaves_nothing_and_the_job_failed(
    users: dict, db_tasks: None, tmp_path: Path
) -> None:
    client = client_for(users["officer_a"])
    job = enqueue_import(client, GOOD)
    logged = ObjectChange.objects.count()
    marker = tmp_path / "paused"
    worker = subprocess.Popen(
        [sys.executable, "-c", PAUSED_WORKER],
        cwd=django_settings.REPO_DIR,
        env={**worker_env(), "CANBO_TEST_MARKER": str(marker)},
    )
    try:
        deadline = time.monotonic() + WAIT
        while not marker.exists() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.exists(), "the worker never reached the write"
        job.refresh_from_db()
        assert job.progress_phase == ImportJob.Phase.WRITING and job.heartbeat is not None
        assert job.worker.endswith(f":{worker.pid}")
        # Written inside the worker's open transaction: not seen from here.
        assert not Person.objects.filter(personal_id__in=[PID_1, PID_2]).exists()
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(WAIT)

    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "bị gián đoạn" in page and "Chưa ghi gì vào hồ sơ" in page
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished is not None
    assert not Person.objects.filter(personal_id__in=[PID_1, PID_2]).exists()
    assert ObjectChange.objects.count() == logged
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.FAILED
