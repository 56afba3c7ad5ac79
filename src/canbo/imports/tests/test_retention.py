"""Retention of uploaded import files: what the purge deletes and keeps, with real files on disk,
the job pages once a file is gone, the ``purge_imports`` command and the purge after an upload."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from canbo.imports import jobs, retention
from canbo.imports.management.commands import purge_imports
from canbo.imports.models import ImportJob
from canbo.imports.tests.test_views import BAD, GOOD, client_for, upload, workbook

pytestmark = pytest.mark.django_db
Status = ImportJob.Status
OLD = dt.timedelta(days=45)


def stored(user: Any, content: bytes, name: str = "ds.xlsx") -> ImportJob:
    return jobs.store_upload(user=user, upload=SimpleUploadedFile(name, content))


def age(
    job: ImportJob, *, status: str, dry_run: bool = False, ago: dt.timedelta = OLD, ran: bool = True
) -> Path:
    """Put a job in ``status``, finished (or uploaded) ``ago``, its file as old on disk."""
    when = timezone.now() - ago
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, dry_run=dry_run, created=when, finished=when if ran else None
    )
    path = jobs.file_path(job)
    old = time.time() - ago.total_seconds()
    os.utime(path, (old, old))
    return path


def test_policy_keeps_written_running_recent_and_shared_files(users: Any) -> None:
    user = users["officer_a"]
    done = stored(user, workbook(GOOD, ["Số định danh cá nhân", "Họ và tên"]), "da-nhap.xlsx")
    done_path = age(done, status=Status.DONE)
    failed = stored(user, workbook(BAD), "loi.xlsx")
    failed_path = age(failed, status=Status.FAILED)
    refused = stored(user, b"PK\x03\x04 not really a workbook", "hong.xlsx")
    refused_path = age(refused, status=Status.REFUSED)
    checked = stored(user, workbook(GOOD), "kiem-tra.xlsx")
    checked_path = age(checked, status=Status.DONE, dry_run=True)
    abandoned = stored(user, workbook(GOOD[:1]), "bo-do.xlsx")
    abandoned_path = age(abandoned, status=Status.MAPPING, ran=False)
    running = stored(user, workbook(GOOD[1:]), "dang-chay.xlsx")
    running_path = age(running, status=Status.RUNNING)
    recent = stored(user, workbook(BAD[1:]), "moi.xlsx")
    recent_path = age(recent, status=Status.FAILED, ago=dt.timedelta(days=3))
    # the same file as the written import, uploaded again and failed long ago: the file stays
    twin = stored(user, done_path.read_bytes(), "ban-sao.xlsx")
    age(twin, status=Status.FAILED)
    os.utime(done_path, (time.time() - OLD.total_seconds(),) * 2)
    # files no job refers to: an old one goes, one written a moment ago (an upload about to
    # record its job) stays
    root = jobs.imports_root()
    orphan_old = root / ("0" * 64 + ".xlsx")
    orphan_old.write_bytes(b"old")
    os.utime(orphan_old, (time.time() - 7200,) * 2)
    orphan_new = root / ".upload-abc"
    orphan_new.write_bytes(b"new")

    dry = retention.purge(days=30, dry_run=True)
    assert {p.name for p in dry.deleted} == {
        failed_path.name,
        refused_path.name,
        checked_path.name,
        abandoned_path.name,
        orphan_old.name,
    }
    assert failed_path.exists() and orphan_old.exists()  # a dry run deletes nothing
    assert not ImportJob.objects.filter(file_purged__isnull=False).exists()

    report = retention.purge(days=30)
    for gone in (failed_path, refused_path, checked_path, abandoned_path, orphan_old):
        assert not gone.exists(), gone
    for kept in (done_path, running_path, recent_path, orphan_new):
        assert kept.exists(), kept
    assert report.freed > 0 and report.shared_kept == 1 and report.kept_done == 1
    purged = set(ImportJob.objects.filter(file_purged__isnull=False).values_list("pk", flat=True))
    assert purged == {failed.pk, refused.pk, checked.pk, abandoned.pk, twin.pk}
    failed.refresh_from_db()
    assert failed.status == Status.FAILED and failed.file_purged is not None  # the row stays
    assert ImportJob.objects.count() == 8

    # a shorter period reaches the recent failure too; the written import's file stays for good
    retention.purge(days=1)
    assert not recent_path.exists() and done_path.exists()


def test_job_pages_after_the_purge_explain_instead_of_failing(users: Any) -> None:
    client = client_for(users["officer_a"])
    assert upload(client, workbook(BAD), "sai.xlsx").status_code == 302
    job = ImportJob.objects.get()
    page = client.get(reverse("imports:mapping", args=[job.pk]))
    form = page.context["form"]
    data = {n: (form[n].value() or "") for n in form.fields if n != "save_as"}
    client.post(reverse("imports:mapping", args=[job.pk]), {**data, "action": "import"})
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert client.get(reverse("imports:errors", args=[job.pk])).status_code == 200
    age(job, status=Status.FAILED)
    retention.purge(days=30)
    assert not jobs.file_path(job).exists()

    page = client.get(reverse("imports:job", args=[job.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "không còn được lưu trên máy chủ" in text and "Sheet Cán bộ, dòng 3" in text  # errors kept
    assert reverse("imports:errors", args=[job.pk]) not in text
    gone = client.get(reverse("imports:errors", args=[job.pk]))
    assert gone.status_code == 410
    assert "không còn được lưu trên máy chủ" in gone.content.decode()
    assert "Danh sách lỗi vẫn xem được" in gone.content.decode()
    mapping = client.get(reverse("imports:mapping", args=[job.pk]))
    assert mapping.status_code == 302 and mapping["Location"] == reverse("imports:job", args=[job.pk])
    assert client.post(reverse("imports:commit", args=[job.pk])).status_code == 410


def test_a_purged_job_that_never_ran_shows_its_page(users: Any) -> None:
    client = client_for(users["officer_a"])
    upload(client, workbook(GOOD))
    job = ImportJob.objects.get()
    age(job, status=Status.MAPPING, ran=False)
    retention.purge(days=30)
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert page.status_code == 200 and "không còn được lưu" in page.content.decode()
    listing = client.get(reverse("imports:index")).content.decode()
    assert "tệp đã xóa" in listing


def test_an_upload_purges_old_files_once_in_a_while(users: Any, monkeypatch: Any) -> None:
    client = client_for(users["officer_a"])
    old = stored(users["officer_a"], workbook(BAD), "cu.xlsx")
    old_path = age(old, status=Status.FAILED)
    monkeypatch.setattr(retention, "_auto_last", [0.0])
    assert upload(client, workbook(GOOD), "moi.xlsx").status_code == 302
    assert not old_path.exists()
    old.refresh_from_db()
    assert old.file_purged is not None
    # within the hour no second purge runs, and a wrong setting never breaks an upload
    again = stored(users["officer_a"], workbook(BAD[1:]), "cu2.xlsx")
    again_path = age(again, status=Status.FAILED)
    monkeypatch.setenv("CANBO_IMPORT_RETENTION_DAYS", "ba mươi")
    assert upload(client, workbook(GOOD[:1]), "moi2.xlsx").status_code == 302
    assert again_path.exists()
    monkeypatch.setattr(retention, "_auto_last", [0.0])
    assert upload(client, workbook(GOOD[1:]), "moi3.xlsx").status_code == 302
    assert again_path.exists()  # the wrong setting was logged, nothing deleted


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("purge_imports", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_command_purges_and_reports_in_vietnamese(users: Any, monkeypatch: Any) -> None:
    job = stored(users["officer_a"], workbook(BAD))
    path = age(job, status=Status.FAILED, ago=dt.timedelta(days=10))
    code, out, _err = run("--days", "30")
    assert code == 0 and path.exists() and "Đã xóa 0 tệp" in out
    code, out, _err = run("--days", "7", "--dry-run")
    assert code == 0 and path.exists() and "Sẽ xóa 1 tệp" in out and path.name in out
    monkeypatch.setenv("CANBO_IMPORT_RETENTION_DAYS", "5")
    code, out, _err = run()
    assert code == 0 and not path.exists()
    assert "Đã xóa 1 tệp" in out and "quá 5 ngày" in out and "1 lần nhập được ghi là đã xóa tệp" in out
    for bad in ("abc", "0", "-3", "1.5"):
        code, out, err = run("--days", bad)
        assert code == 2 and "--days phải là số ngày nguyên" in err and not out
    monkeypatch.setenv("CANBO_IMPORT_RETENTION_DAYS", "tháng")
    code, _out, err = run()
    assert code == 2 and "CANBO_IMPORT_RETENTION_DAYS phải là số ngày nguyên" in err


def test_command_line_refuses_unknown_arguments_in_vietnamese(tmp_path: Path) -> None:
    """A refusal of the command line as a real process; the other one in this process, through the
    same parser (``run_from_argv``, as manage.py calls it)."""
    env = {**os.environ, "CANBO_DB": "sqlite", "CANBO_SQLITE_PATH": str(tmp_path / "x.sqlite3")}
    manage = Path(django_settings.REPO_DIR) / "manage.py"
    proc = subprocess.run(
        [sys.executable, str(manage), "purge_imports", "--ngay", "3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Tham số không hợp lệ" in proc.stderr and "Traceback" not in proc.stderr

    err = StringIO()
    command = purge_imports.Command(stdout=StringIO(), stderr=err)
    with pytest.raises(SystemExit) as stop:
        command.run_from_argv(["manage.py", "purge_imports", "--days"])
    assert stop.value.code == 2, err.getvalue()
    assert "Tham số không hợp lệ" in err.getvalue() and "Traceback" not in err.getvalue()
