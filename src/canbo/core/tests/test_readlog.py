"""The read log (core.AccessLog): one INSERT per read, append-only, purged after the retention
period by the one command that may delete from it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.core import readlog
from canbo.core.context import bind_context
from canbo.core.models import AccessLog
from canbo.people.models import Person

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

pytestmark = pytest.mark.django_db


def test_one_read_is_one_insert_with_who_and_request_id(users: dict[str, User], person_a: Person) -> None:
    officer = users["officer_a"]
    rid = uuid.uuid4()
    with bind_context(source="web", request_id=rid), CaptureQueriesContext(connection) as q:
        readlog.record_read(officer, person_a.pk, "Trang hồ sơ", True, person_name=person_a.full_name)
    assert [s["sql"].split()[0] for s in q.captured_queries] == ["INSERT"]
    row = AccessLog.objects.get()
    assert (row.user_id, row.person_id, row.sensitive, row.request_id) == (
        officer.pk,
        person_a.pk,
        True,
        str(rid),
    )
    assert row.user_name == "officer_a" and row.kind == AccessLog.Kind.PAGE and row.source == "web"


def test_an_export_of_many_persons_is_one_bulk_insert(users: dict[str, User]) -> None:
    with CaptureQueriesContext(connection) as q:
        readlog.record_read(users["officer_a"], range(1, 501), "Xuất danh sách", kind=AccessLog.Kind.EXPORT)
    # One prepared INSERT run for every person by the driver (Django logs it as "500 times: …"),
    # in a transaction (a savepoint inside the test's).
    statements = [s["sql"] for s in q.captured_queries if s["sql"].split()[0] not in ("SAVEPOINT", "RELEASE")]
    assert len(statements) == 1 and statements[0].startswith("500 times: INSERT INTO")


def test_the_request_id_comes_from_the_request(rf: Any, users: dict[str, User], person_a: Person) -> None:
    request = rf.get("/")
    request.user = users["leader_a"]
    request.request_id = "abc-123"
    readlog.record_read(request, person_a.pk, "Trang hồ sơ")
    assert AccessLog.objects.get().request_id == "abc-123"


def test_a_read_cannot_be_changed(users: dict[str, User], person_a: Person) -> None:
    [row] = readlog.record_read(users["officer_a"], person_a.pk, "Trang hồ sơ")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).update(what="sửa")
    assert AccessLog.objects.get().what == "Trang hồ sơ"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's flush deletes rows; it refuses UPDATE only"
)
def test_a_read_cannot_be_deleted_but_by_the_purge(users: dict[str, User], person_a: Person) -> None:
    readlog.record_read(users["officer_a"], person_a.pk, "Trang hồ sơ")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.all().delete()
    assert AccessLog.objects.count() == 1
    assert readlog.purge(30, now=timezone.now() + dt.timedelta(days=31)) == 1


def test_purge_command_deletes_only_reads_older_than_the_setting(
    users: dict[str, User], person_a: Person, settings: Any, capsys: Any
) -> None:
    settings.CANBO_READ_LOG_DAYS = 90
    now = timezone.now()
    AccessLog.objects.create(
        time=now - dt.timedelta(days=91), user_name="x", kind="trang", what="cũ", person_id=1
    )
    AccessLog.objects.create(
        time=now - dt.timedelta(days=89), user_name="x", kind="trang", what="mới", person_id=1
    )
    call_command("purge_readlog")
    assert list(AccessLog.objects.values_list("what", flat=True)) == ["mới"]
    assert "Đã xóa 1 lượt xem quá 90 ngày" in capsys.readouterr().out
    call_command("purge_readlog", "--days", "0")
    assert AccessLog.objects.count() == 1


def test_purge_command_refuses_a_bad_number_in_vietnamese(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_info:
        call_command("purge_readlog", "--days", "ba")
    assert exit_info.value.code == 2
    assert "Số ngày (--days) phải là số nguyên không âm" in capsys.readouterr().err
