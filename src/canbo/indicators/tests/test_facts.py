"""The indicators' fact tables (``indicators.facts``): after each kind of write through the
services, the fact rows equal a rebuild from the records, and the engine's table statements
read from them give the numbers it counts from the records."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from canbo.careers.models import BodyMembership, Tenure
from canbo.careers.services import membership_add, tenure_end, tenure_start
from canbo.conftest import new_person
from canbo.core.services import audited_update
from canbo.imports import engine as imports
from canbo.imports.tests.test_engine import good_book
from canbo.indicators import engine, facts, services
from canbo.indicators.models import FactState, MembershipFact, TenureFact
from canbo.org.models import AdminArea, Title, Unit
from canbo.org.restructuring import unit_merge
from canbo.org.services import unit_update
from canbo.people.models import Person, Qualification
from canbo.people.services import person_update, section_create, section_delete

pytestmark = pytest.mark.django_db

LEADERS = {"source": "tenure", "title_level": ["huyen"], "is_leader": True}
COMMITTEES = {"source": "membership", "body_kind": ["cap_uy"]}
CM40 = {"kind": "chuyen_mon", "min_rank": 40}
SPECS: list[tuple[str, str, dict[str, Any]]] = [
    ("tre", "share", {"population": LEADERS, "numerator": {"age_below": 40}}),
    ("nu", "share", {"population": LEADERS, "numerator": {"sex": "nu"}}),
    ("dai-hoc", "share", {"population": LEADERS, "numerator": {"qualification": CM40}}),
    ("ngoai-dia-phuong", "share", {"population": LEADERS, "numerator": {"non_local": True}}),
    ("kinh", "share", {"population": LEADERS, "numerator": {"ethnicity": "kinh"}}),
    ("nu-cap-uy", "share", {"population": COMMITTEES, "numerator": {"sex": "nu"}}),
    (
        "doi-moi",
        "renewal",
        {"population": {"source": "membership", "body_kind": ["cap_uy"]}, "renewal": {"previous_years": 5}},
    ),
]  # fmt: skip
DAYS = [dt.date(2018, 6, 1), dt.date(2021, 6, 1), dt.date(2024, 1, 1)]


@pytest.fixture
def defs(db: Any) -> list[Any]:
    made = [
        services.definition_create(acting_user=None, code=code, label=code, kind=kind, spec=spec)
        for code, kind, spec in SPECS
    ]
    assert facts.rebuild()  # the columns of the new qualification condition
    return made


@pytest.fixture
def district_areas(db: Any) -> tuple[AdminArea, AdminArea, AdminArea]:
    """Two districts and a commune of the first."""
    from canbo.core.services import audited_create

    def area(code: str, name: str, level: str, parent: AdminArea | None = None) -> AdminArea:
        return audited_create(
            AdminArea(dataset="truoc_2025", code=code, name=name, kind=level, level=level, parent=parent),
            acting_user=None,
        )

    x, y = area("901", "Huyện X", "huyen"), area("902", "Huyện Y", "huyen")
    return x, y, area("90101", "Xã Z", "xa", x)


def assert_exact(defs: list[Any], tree: dict[str, Unit]) -> None:
    """The fact rows equal a rebuild from the records, and the table's numbers from the facts
    equal the records' on several dates, in two subtrees."""
    kept = facts.rows()
    assert facts.slots() is not None, "the facts are stale"
    for day in DAYS:
        for unit in (None, tree["A"]):
            got = engine.compute(defs, day=day, unit=unit)
            with engine.from_records():
                expected = engine.compute(defs, day=day, unit=unit)
            assert _numbers(got) == _numbers(expected), (day, unit)
    assert facts.rebuild()
    assert facts.rows() == kept


def _numbers(results: dict[str, dict[str, engine.Result]]) -> dict[str, Any]:
    return {c: {b: (r.numerator, r.population, r.status) for b, r in by.items()} for c, by in results.items()}


def _leader(
    tree: dict[str, Unit], title: Title, name: str, unit: str = "A", **kw: Any
) -> tuple[Person, Tenure]:
    person = new_person(tree[unit], name, **kw)
    tenure = tenure_start(
        acting_user=None,
        person=person,
        unit=tree[unit],
        title=title,
        kind="bo_nhiem",
        start_date=dt.date(2017, 1, 1),
    )
    return person, tenure


def test_the_table_reads_the_facts_when_they_hold_every_condition(
    defs: list[Any], tree: dict[str, Unit], title: Title
) -> None:
    _leader(tree, title, "Cán bộ Một")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        engine.compute(defs, day=DAYS[1])
    sql = " ".join(q["sql"] for q in ctx.captured_queries if "COUNT(DISTINCT" in q["sql"])
    assert "indicators_tenurefact" in sql and "indicators_membershipfact" in sql
    assert "people_qualification" not in sql and "people_person" not in sql.split("WHERE")[0]


def test_a_condition_without_a_column_counts_from_the_records(
    defs: list[Any], tree: dict[str, Unit], title: Title
) -> None:
    person, _ = _leader(tree, title, "Cán bộ Hai")
    section_create(
        acting_user=None,
        person=person,
        instance=Qualification(kind="ly_luan_chinh_tri", level="cao_cap", obtained_date=dt.date(2016, 1, 1)),
    )
    spec = {
        "population": LEADERS,
        "numerator": {"qualification": {"kind": "ly_luan_chinh_tri", "min_rank": 30}},
    }
    new = services.definition_create(acting_user=None, code="llct", label="llct", kind="share", spec=spec)
    assert ("ly_luan_chinh_tri", 30) not in (facts.slots() or {})
    got = engine.compute([new], day=DAYS[1])
    with engine.from_records():
        expected = engine.compute([new], day=DAYS[1])
    assert _numbers(got) == _numbers(expected)
    assert got["llct"][""].numerator == 1


def test_person_edits_refresh_the_facts(defs: list[Any], tree: dict[str, Unit], title: Title) -> None:
    person, _ = _leader(tree, title, "Cán bộ Ba", born=dt.date(1990, 1, 1))
    membership_add(
        acting_user=None, person=person, body=tree["A"], kind="cap_uy", start_date=dt.date(2016, 1, 1)
    )
    person_update(person=person, acting_user=None, changes={"birth_date": dt.date(1990, 12, 31)})
    assert TenureFact.objects.get(person=person).birth_date == dt.date(1990, 12, 31)
    assert MembershipFact.objects.get(person=person).birth_date == dt.date(1990, 12, 31)
    assert_exact(defs, tree)


def test_qualifications_added_and_deleted_refresh_the_first_dates(
    defs: list[Any], tree: dict[str, Unit], title: Title
) -> None:
    person, _ = _leader(tree, title, "Cán bộ Bốn")
    column = facts.slots()[("chuyen_mon", 40)]  # type: ignore[index]
    first = section_create(
        acting_user=None,
        person=person,
        instance=Qualification(kind="chuyen_mon", level="dai_hoc", obtained_date=dt.date(2019, 5, 1)),
    )
    section_create(
        acting_user=None,
        person=person,
        instance=Qualification(kind="chuyen_mon", level="thac_si", obtained_date=dt.date(2022, 5, 1)),
    )
    assert getattr(TenureFact.objects.get(person=person), column) == dt.date(2019, 5, 1)
    assert_exact(defs, tree)
    section_delete(acting_user=None, instance=first, reason="Nhập trùng")
    assert getattr(TenureFact.objects.get(person=person), column) == dt.date(2022, 5, 1)
    assert_exact(defs, tree)


def test_tenures_started_ended_and_memberships_refresh_their_rows(
    defs: list[Any], tree: dict[str, Unit], title: Title
) -> None:
    person, tenure = _leader(tree, title, "Cán bộ Năm")
    assert TenureFact.objects.filter(pk=tenure.pk).exists()
    tenure_end(acting_user=None, tenure=tenure, end_date=dt.date(2020, 12, 31))
    assert TenureFact.objects.get(pk=tenure.pk).end_date == dt.date(2020, 12, 31)
    secondary = tenure_start(
        acting_user=None,
        person=person,
        unit=tree["B"],
        title=title,
        kind="bo_nhiem",
        start_date=dt.date(2021, 1, 1),
        is_primary=False,
    )
    assert not TenureFact.objects.filter(pk=secondary.pk).exists()  # only primary tenures count
    membership_add(
        acting_user=None,
        person=person,
        body=tree["B"],
        kind="cap_uy",
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2019, 12, 31),
    )
    membership = BodyMembership.objects.get(person=person)
    assert MembershipFact.objects.get(pk=membership.pk).end_date == dt.date(2019, 12, 31)
    assert_exact(defs, tree)
    section_delete(acting_user=None, instance=membership, reason="Nhập trùng")
    assert not MembershipFact.objects.filter(pk=membership.pk).exists()
    assert_exact(defs, tree)


def test_a_unit_given_another_area_and_an_area_moved_refresh_local(
    defs: list[Any], tree: dict[str, Unit], title: Title, district_areas: Any
) -> None:
    district, other, commune = district_areas
    unit_update(unit=tree["A"], acting_user=None, area=district)
    _person, tenure = _leader(tree, title, "Cán bộ Sáu", home_town=commune)
    assert TenureFact.objects.get(pk=tenure.pk).is_local
    unit_update(unit=Unit.objects.get(pk=tree["A"].pk), acting_user=None, area=other)
    assert not TenureFact.objects.get(pk=tenure.pk).is_local
    assert_exact(defs, tree)
    audited_update(AdminArea.objects.get(pk=commune.pk), acting_user=None, changes={"parent": other})
    assert TenureFact.objects.get(pk=tenure.pk).is_local  # the commune is now in the unit's area
    assert_exact(defs, tree)


def test_a_merge_moving_tenures_keeps_the_facts_exact(
    defs: list[Any], tree: dict[str, Unit], title: Title
) -> None:
    for i in range(3):
        _leader(tree, title, f"Cán bộ Sáp nhập {i}", unit="B", sex="nam" if i % 2 else "nu")
    unit_merge(acting_user=None, sources=[tree["B"]], on=dt.date(2022, 1, 1), into=tree["A"])
    assert TenureFact.objects.filter(unit=tree["A"], start_date=dt.date(2022, 1, 1)).count() == 3
    assert TenureFact.objects.filter(unit=tree["B"], end_date=dt.date(2021, 12, 31)).count() == 3
    assert_exact(defs, tree)


def test_an_import_marks_the_facts_stale_and_the_rebuild_restores_them(
    defs: list[Any],
    tree: dict[str, Unit],
    title: Title,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The import's bulk writer names no rows: the facts are stale from its transaction on (the
    engine counts from the records) until the rebuild it enqueues at its commit has run."""
    from canbo.conftest import reference_data

    reference_data()
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate), django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert imports.run_import(path=good_book(tmp_path), acting_user=None).ok
        assert not FactState.objects.get(pk=1).valid
        assert facts.slots() is None
        got = engine.compute(defs, day=DAYS[2])
        with engine.from_records():
            assert _numbers(got) == _numbers(engine.compute(defs, day=DAYS[2]))
    assert callbacks
    with override_settings(TASKS=immediate):
        for callback in callbacks:
            callback()
    assert FactState.objects.get(pk=1).valid
    assert TenureFact.objects.exists()
    assert_exact(defs, tree)


def test_the_fact_statements_read_only_what_the_listener_keeps(
    defs: list[Any], tree: dict[str, Unit], title: Title
) -> None:
    """Besides the fact tables, the table's statements read only records whose writes the
    listener follows (a new table there must teach ``facts.on_change`` first)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from canbo.indicators import snapshots
    from canbo.indicators.tests.test_snapshots import TABLE

    _leader(tree, title, "Cán bộ Bảy")
    with CaptureQueriesContext(connection) as ctx:
        engine.compute(defs, day=DAYS[1])
    sql = "\n".join(q["sql"] for q in ctx.captured_queries if "COUNT(DISTINCT" in q["sql"])
    known = {m._meta.db_table for m in (*snapshots.DATED, *snapshots.UNDATED)}
    kept = {TenureFact._meta.db_table, MembershipFact._meta.db_table, "people_servicegap"}
    assert set(TABLE.findall(sql)) - known - kept == set()
    for model, columns in ((TenureFact, facts.TENURE_COLUMNS), (MembershipFact, facts.MEMBERSHIP_COLUMNS)):
        read = set(re.findall(rf'"{model._meta.db_table}"\."(\w+)"', sql))
        assert read <= set(columns), read - set(columns)
