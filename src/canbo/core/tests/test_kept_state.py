"""``core.kept_state``: a kept value outlives only the logged changes that cannot alter it
(issue 22, the write mix)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.http import HttpRequest

from canbo.conftest import new_person
from canbo.core.conditional import latest_change, writes_in_flight
from canbo.core.kept_state import KeptByChanges, _Reads
from canbo.core.models import ObjectChange
from canbo.people.services import person_update

PERSONS = 'SELECT COUNT(*) FROM "people_person" WHERE "people_person"."service_until" IS NULL'


def test_what_a_change_can_alter(db: Any) -> None:
    reads = _Reads(PERSONS)
    assert not reads.touched_by("people_person", "update", frozenset({"other_names"}))
    assert reads.touched_by("people_person", "update", frozenset({"other_names", "service_until"}))
    assert reads.touched_by("people_person", "create", frozenset())
    assert reads.touched_by("people_person", "delete", frozenset())
    assert not reads.touched_by("careers_tenure", "create", frozenset())
    assert reads.touched_by(None, "update", frozenset())  # a type no longer known
    # the columns the entries leave out (the row's version and times) change with every update
    newest = _Reads('SELECT MAX("people_person"."last_updated") FROM "people_person"')
    assert newest.touched_by("people_person", "update", frozenset({"other_names"}))
    # a derived table follows its source (declared by ``PeopleConfig.ready``)
    gaps = _Reads(PERSONS + ' AND NOT id IN (SELECT person_id FROM "people_servicegap")')
    assert gaps.touched_by("people_serviceevent", "create", frozenset())
    assert gaps.touched_by("people_serviceevent", "update", frozenset({"event_date"}))
    assert not gaps.touched_by("people_serviceevent", "update", frozenset({"details"}))
    # a model table that is neither change-logged nor declared: any change may alter it
    sessions = _Reads('SELECT COUNT(*) FROM "django_session"')
    assert sessions.touched_by("careers_tenure", "update", frozenset({"note"}))


def test_a_kept_value_across_changes(tree: Any, admin_user: Any) -> None:
    kept = KeptByChanges(4)
    person = new_person(tree["A"], "Nguyễn Văn An")
    stamp = latest_change(None)
    kept.put("n", stamp, PERSONS, 1)
    assert kept.get("default", "n", stamp) == 1
    person_update(acting_user=admin_user, person=person, changes={"other_names": "Ba"}, reason="Sửa")
    later = latest_change(None)
    assert later != stamp and kept.get("default", "n", later) == 1  # other names are not read
    new_person(tree["B"], "Lê Thị Bình")
    assert kept.get("default", "n", latest_change(None)) is None  # a new row is


def test_a_log_that_went_back_keeps_nothing(tree: Any, admin_user: Any) -> None:
    """A restored backup: the entry a value was kept with is gone (or has another time)."""
    kept = KeptByChanges(4)
    person = new_person(tree["A"], "Nguyễn Văn An")
    stamp = latest_change(None)
    kept.put("n", stamp, PERSONS, 1)
    ObjectChange.objects.filter(id=stamp[0]).delete()
    person_update(acting_user=admin_user, person=person, changes={"other_names": "Ba"}, reason="Sửa")
    assert kept.get("default", "n", latest_change(None)) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL hands out ids before commits")
def test_a_write_in_flight_when_computed_ends_the_kept_value(tree: Any) -> None:
    """A transaction running when the value was computed may hold an older entry than the newest
    one read, and commit later: the value is reused while it runs, not once it has ended."""
    import psycopg

    s = connection.settings_dict
    other = psycopg.connect(
        dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"] or 5432
    )
    try:
        other.execute("SELECT pg_current_xact_id()")  # a write transaction: it has an id
        kept = KeptByChanges(4)
        new_person(tree["A"], "Nguyễn Văn An")
        request = HttpRequest()
        stamp = latest_change(request)
        in_flight = writes_in_flight(request)
        assert len(in_flight) == 1  # the other session's (another database's would not count)
        kept.put("n", stamp, PERSONS, 1, in_flight)
        assert kept.get("default", "n", stamp) == 1
        other.commit()
        assert kept.get("default", "n", stamp) is None
    finally:
        other.close()
