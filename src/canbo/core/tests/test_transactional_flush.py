"""The flush that ends a transactional test (canbo/testdb.py, ``_sql_flush_deleting_written_rows``;
docs/performance.md, "Session 14: the suite (browser tests)"): on PostgreSQL it deletes the rows
written instead of truncating every table, and leaves the database as Django's flush leaves it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from canbo import testdb
from canbo.core.readlog import record_read
from canbo.people.models import Person

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's flush is Django's DELETE already"
)


def _end_of_a_transactional_test() -> list[str]:
    """The statements of the teardown pytest-django runs after a transactional test."""

    class Case(TransactionTestCase):
        pass

    with CaptureQueriesContext(connection) as queries:
        getattr(Case(methodName="__init__"), "_fixture_teardown")()  # noqa: B009  (private to Django)
    return [q["sql"] for q in queries.captured_queries]


def _rows() -> dict[str, int]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        rows = {}
        for table in [*tables, "people_person_name_word"]:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            rows[table] = cursor.fetchone()[0]
    return rows


def test_the_flush_deletes_the_written_rows_and_truncates_nothing(
    transactional_db: Any, users: dict, person_a: Person
) -> None:
    permissions = Permission.objects.count()
    record_read(users["officer_a"], person_a.pk, "Hồ sơ")  # the append-only log refuses a DELETE
    assert _rows()["people_person_name_word"] > 0
    statements = _end_of_a_transactional_test()
    assert not [s for s in statements if "TRUNCATE" in s.upper()]
    assert any(s.startswith('DELETE FROM "core_accesslog"') for s in statements)
    # Only the tables that held rows are named.
    assert not any(s.startswith('DELETE FROM "campaigns_') for s in statements)
    # Every table is empty but the catalogues post_migrate makes again, as after Django's flush.
    left = {table: n for table, n in _rows().items() if n}
    assert set(left) == {"django_content_type", "auth_permission"}
    assert left["auth_permission"] == permissions


def test_many_rows_are_truncated_as_django_does(transactional_db: Any, users: dict, monkeypatch: Any) -> None:
    monkeypatch.setattr(testdb, "FLUSH_DELETE_MAX_ROWS", 3)
    statements = _end_of_a_transactional_test()
    assert [s for s in statements if s.upper().startswith("TRUNCATE") and '"auth_user"' in s]
    assert not [s for s in statements if s.startswith('DELETE FROM "auth_user"')]
    assert not any(_rows()[table] for table in ("auth_user", "accounts_grant"))
