"""How the person list reads (issue 22): a unit's list through the unit indexes, a page with
only its columns' fields, and no query per row whatever the columns."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from canbo.conftest import new_person
from canbo.core.dates import today
from canbo.lists.columns import COLUMNS
from canbo.lists.selectors import filtered_persons


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_a_unit_s_list_does_not_scan_every_dossier(tree: dict[str, Any], admin_user: Any) -> None:
    for i in range(5):
        new_person(tree["A1"] if i % 2 else tree["B"], f"Người Số {i}")
    _form, _unit, qs = filtered_persons(admin_user, QueryDict(f"don_vi={tree['A'].pk}"), dt.date(2025, 1, 1))
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [row[-1] for row in cur.fetchall()]
    # The subtree's dossiers and post holders are read through the indexes of the unit
    # columns; before, every dossier (and every tenure) was read and its unit's path compared.
    assert not any(step.startswith("SCAN people_person") for step in plan), plan
    assert not any(
        step.startswith("SCAN U0") or step.startswith("SCAN V0") for step in plan if "COVERING" not in step
    ), plan
    # One set of ids (``lists.filters.unit_people``, a UNION ALL), each person read once by key:
    # as an OR of two sets, every row found was checked against both again (issue 22).
    assert "UNION ALL" in sql
    assert not any("MULTI-INDEX OR" in step for step in plan), plan


def test_every_column_reads_in_a_fixed_number_of_queries(
    tree: dict[str, Any], admin_user: Any, client: Any
) -> None:
    client.force_login(admin_user)
    url = "/can-bo/?" + urlencode([("cot", c.key) for c in COLUMNS])

    def count() -> tuple[int, str]:
        client.get(url)
        with CaptureQueriesContext(connection) as q:
            body = client.get(url).content.decode()
        return len(q.captured_queries), body

    new_person(tree["A"], "Nguyễn Văn An")
    few, _ = count()
    for i in range(6):
        new_person(tree["A1"], f"Trần Thị Bình {i}", home_town_text="Bát Xát")
    many, body = count()
    # The page reads only the fields of its columns (``only``): a column reading a field left
    # out would cost one more query per row.
    assert many == few
    assert body.count("Trần Thị Bình") == 6 and "Bát Xát" in body


def test_the_kept_count_follows_every_change(tree: dict[str, Any], admin_user: Any, client: Any) -> None:
    from canbo.people.services import person_update

    client.force_login(admin_user)
    first = new_person(tree["A"], "Nguyễn Văn An")
    new_person(tree["B"], "Lê Thị Bình")

    def shown(url: str = "/can-bo/") -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as q:
            body = client.get(url).content.decode()
        return body, [x["sql"] for x in q.captured_queries if x["sql"].startswith("SELECT COUNT(*)")]

    body, counts = shown()
    assert "<strong>2 người</strong>" in body and len(counts) == 1
    body, counts = shown()
    assert "<strong>2 người</strong>" in body and counts == []  # kept: nothing changed
    new_person(tree["A1"], "Trần Văn Cường")
    body, counts = shown()
    assert "<strong>3 người</strong>" in body and len(counts) == 1
    person_update(
        acting_user=admin_user, person=first, changes={"service_until": dt.date(2020, 1, 1)}, reason="Nghỉ"
    )
    body, _ = shown()
    assert "<strong>2 người</strong>" in body
    # Another day, another count (the date is in the count's SQL).
    body, counts = shown("/can-bo/?ngay=01/01/2019")
    assert "<strong>3 người</strong>" in body and len(counts) == 1


def test_a_write_the_count_cannot_see_keeps_it(tree: dict[str, Any], admin_user: Any, client: Any) -> None:
    """Issue 22, the write mix: a change of a column the count does not read (other names) keeps
    the kept count — every process counted the province again after every PATCH — while a change
    it reads is counted on the next request."""
    from canbo.people.services import person_update

    client.force_login(admin_user)
    first = new_person(tree["A"], "Nguyễn Văn An")
    new_person(tree["B"], "Lê Thị Bình")

    def shown() -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as q:
            body = client.get("/can-bo/").content.decode()
        return body, [x["sql"] for x in q.captured_queries if x["sql"].startswith("SELECT COUNT(*)")]

    body, counts = shown()
    assert "<strong>2 người</strong>" in body and len(counts) == 1
    person_update(acting_user=admin_user, person=first, changes={"other_names": "Ba An"}, reason="Sửa")
    body, counts = shown()
    assert "<strong>2 người</strong>" in body and counts == []  # the count reads no other names
    person_update(
        acting_user=admin_user, person=first, changes={"service_until": dt.date(2020, 1, 1)}, reason="Nghỉ"
    )
    body, counts = shown()
    assert "<strong>1 người</strong>" in body and len(counts) == 1
    person_update(acting_user=admin_user, person=first, changes={"other_names": "An"}, reason="Sửa")
    new_person(tree["A1"], "Trần Văn Cường")  # a new row after an unread change: counted
    body, counts = shown()
    assert "<strong>2 người</strong>" in body and len(counts) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_a_narrow_unit_s_list_is_read_from_the_unit_index_on_postgresql(
    tree: dict[str, Any], admin_user: Any
) -> None:
    """A unit's list (``lists.filters.unit_people``) of a subtree with few dossiers among many:
    as ``unit_id IN (subquery)`` PostgreSQL guessed its dossiers from the average unit and read
    every dossier (a hash join on a sequential scan; the demo's district at 160,000: 180–204 ms
    for the count); written ``= ANY(ARRAY(subquery))`` (``lists.filters.in_subtree``) they are
    read from the unit index."""
    from canbo.core.tests.test_subtree_shape import plan_of, small_province

    small_province(tree)
    _form, _unit, qs = filtered_persons(admin_user, QueryDict(f"don_vi={tree['A1'].pk}"), today())
    assert qs.count() == 101
    plan = plan_of(qs.order_by().values("pk"))
    # The subtree's dossiers (the ``UNION ALL``'s branch, alias V0): before, "Seq Scan on
    # people_person v0_1" in a hash join, 910 rows guessed for 101. (Whether the list's persons
    # are then read by key or by a scan is the planner's choice by size: at this size a scan.)
    assert "Seq Scan on people_person v0" not in plan, plan
    assert (
        "Index Scan using people_person_managing_unit_id" in plan
        or "Bitmap Index Scan on people_person_managing_unit_id" in plan
    ), plan
