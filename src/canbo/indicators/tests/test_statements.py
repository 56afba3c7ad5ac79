"""The engine's statements kept per process (``indicators.statements``): another date sends the
same SQL with other parameters, compiling nothing; what is sent equals what Django compiles
for that date; every input of a statement besides its dates is in its key."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from canbo.careers.services import membership_add, tenure_start
from canbo.conftest import compiled_statements, new_person
from canbo.indicators import engine, facts, services, snapshots, statements
from canbo.indicators.tests.test_snapshots import DAYS, make_board
from canbo.org.models import Title, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(tree: dict[str, Unit], title: Title, users: dict[str, Any]) -> dict[str, Any]:
    return make_board(tree, users)


# Conditions the snapshot tests' definitions lack: each puts dates or other parameters of its own
# in the statements (an age floor, an ethnicity, a home town, a category, a ``where``).
MORE_SPECS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "thieu-so-tren-45",
        "share",
        {
            "population": {"source": "tenure", "title_level": ["huyen"], "where": {"age_at_least": 30}},
            "numerator": {"ethnicity": "thieu_so", "age_at_least": 45},
        },
    ),
    (
        "khong-dia-phuong",
        "share",
        {
            "population": {"source": "tenure", "title_level": ["huyen"], "is_leader": True},
            "numerator": {"non_local": True, "party_member": False},
        },
    ),
    (
        "cap-uy-tre",
        "share",
        {
            "population": {"source": "membership", "body_kind": ["cap_uy"]},
            "numerator": {"age_below": 45, "qualification": {"kind": "chuyen_mon", "min_rank": 40}},
        },
    ),
]

# 29 February, the last day before it and after it, the end and the start of a year.
ODD_DAYS = [dt.date(2020, 2, 29), dt.date(2021, 2, 28), dt.date(2016, 3, 1), dt.date(2019, 12, 31)]


def _people(tree: dict[str, Unit], title: Title) -> None:
    for i, (unit, born) in enumerate(
        (("A", dt.date(1976, 2, 29)), ("A1", dt.date(1990, 3, 1)), ("B", dt.date(1985, 12, 31)))
    ):
        person = new_person(tree[unit], f"Cán bộ {i}", sex="nu" if i % 2 else "nam", born=born)
        tenure_start(acting_user=None, person=person, unit=tree[unit], title=title, kind="bo_nhiem",
                     start_date=dt.date(2015 + i, 1, 1))  # fmt: skip
        membership_add(acting_user=None, person=person, body=tree[unit], kind="cap_uy",
                       start_date=dt.date(2014 + i, 6, 1), end_date=dt.date(2022 + i, 6, 1))  # fmt: skip


def _definitions(board: dict[str, Any]) -> list[Any]:
    more = [
        services.definition_create(acting_user=None, code=code, label=code, kind=kind, spec=spec)
        for code, kind, spec in MORE_SPECS
    ]
    return [*board["defs"], *more]


def _calls(defs: list[Any], tree: dict[str, Unit], users: list[Any], days: list[dt.date]) -> list[Any]:
    """The engine's ways of counting, for the system and an officer: the table (from the fact
    tables), the breakdown (from the records, with unit compliance), the trend (the dates in one
    statement) over a unit and grouped by district."""
    out = []
    for user in users:
        out.append(engine.compute_days(defs, days=days[:1], unit=tree["P"], user=user))
        with engine.from_records():
            out.append(engine.compute_days(defs, days=days[:1], unit=tree["P"], user=user, depth=2))
            out.append(engine.compute_days(defs, days=days, unit=tree["A"], user=user))
            out.append(engine.compute_days(defs, days=days, unit=None, user=user, depth=2))
    return out


def _numbers(outs: list[Any]) -> list[Any]:
    return [
        {
            day: {
                code: {b: (r.numerator, r.population, r.status) for b, r in by.items()}
                for code, by in res.items()
            }
            for day, res in out.items()
        }
        for out in outs
    ]


def test_another_date_compiles_no_counting_statement(
    board: dict[str, Any], tree: dict[str, Unit], title: Title, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pinned: the engine's statements are compiled once per process for their definitions,
    unit, scope, grouping and number of dates; counting on other dates compiles none of them
    again (only the officer's scope conditions, which name his scope in the key)."""
    _people(tree, title)
    defs = _definitions(board)
    assert facts.rebuild()
    users = [None, board["officer_a"]]
    statements.forget()
    _calls(defs, tree, users, DAYS[:3])
    compiled = compiled_statements(monkeypatch)
    _calls(defs, tree, users, DAYS[2:])
    assert [sql for sql in compiled if "COUNT(" in sql] == []
    # Nor the titles, the units present on the date, the facts' state.
    assert [sql for sql in compiled if '"org_title"' in sql or '"org_unit"."level"' in sql] == []
    assert [sql for sql in compiled if "indicators_factstate" in sql] == []


def test_a_kept_statement_sends_what_django_compiles_for_the_date(
    board: dict[str, Any], tree: dict[str, Unit], title: Title, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The statements sent with the real dates put in place of the stand-ins are, SQL and
    parameters, those Django compiles for these dates (29 February included), and count the same."""
    _people(tree, title)
    defs = _definitions(board)
    assert facts.rebuild()
    users = [None, board["officer_a"]]
    statements.forget()
    _calls(defs, tree, users, DAYS[:2])  # kept for other dates first
    for days in ([ODD_DAYS[0]], ODD_DAYS):
        with CaptureQueriesContext(connection) as kept:
            got = _calls(defs, tree, users, days)
        with monkeypatch.context() as m, CaptureQueriesContext(connection) as direct:
            m.setattr(statements, "_MAX_DAYS", -1)  # every statement compiled by Django, as before
            expected = _calls(defs, tree, users, days)
        assert [q["sql"] for q in kept.captured_queries] == [q["sql"] for q in direct.captured_queries], days
        assert _numbers(got) == _numbers(expected), days
        assert any(
            r.population for out in got for res in out.values() for by in res.values() for r in by.values()
        )


def test_a_date_parameter_not_a_stand_in_s_is_not_kept() -> None:
    """A statement whose date parameters are not all ``years_before`` of its days (here, the day
    before a stand-in, or 29 February) is compiled on every call, never sent with wrong dates."""
    first, second = statements.stand_ins(2)
    sqlite_form = [str(first), str(second)]
    assert statements._slots((*sqlite_form, "0001%", 7), 2) == (
        statements._Slot(0, 0),
        statements._Slot(1, 0),
        "0001%",
        7,
    )
    assert statements._slots((engine.years_before(second, 40), dt.date(9999, 12, 31)), 2) == (
        statements._Slot(1, 40),
        dt.date(9999, 12, 31),
    )
    assert statements._slots((first - dt.timedelta(days=1),), 2) is None
    assert statements._slots((str(first + dt.timedelta(days=2)),), 2) is None  # a third day
    assert statements._slots(("2400-02-29",), 2) is None
    assert statements._slots((engine.years_before(first, -1),), 2) is None  # a year after


def test_what_a_statement_is_made_of_is_in_its_key(
    board: dict[str, Any], tree: dict[str, Unit], title: Title
) -> None:
    """A new title of the population, a definition's new version and a wider grant change the
    statements: computed again after each, with kept statements, the numbers are a fresh
    computation's."""
    from canbo.accounts.services import grant_add

    _people(tree, title)
    defs = _definitions(board)
    officer = board["officer_b"]
    day = dt.date(2021, 6, 1)

    def check() -> dict[str, Any]:
        with snapshots.fresh():
            kept = engine.compute(defs, day=day, unit=tree["P"], user=officer, depth=2)
            statements.forget()
            fresh = engine.compute(defs, day=day, unit=tree["P"], user=officer, depth=2)
        assert _numbers([{day: kept}]) == _numbers([{day: fresh}])
        return kept

    before = check()
    other = Title.objects.create(code="PTP", name="Phó trưởng phòng", level=title.level, group=title.group,
                                 block=title.block, is_leader=True, head_kind=title.head_kind)  # fmt: skip
    person = new_person(tree["B"], "Cán bộ Mới", sex="nu", born=dt.date(1992, 1, 1))
    tenure_start(acting_user=None, person=person, unit=tree["B"], title=other, kind="bo_nhiem",
                 start_date=dt.date(2020, 1, 1))  # fmt: skip
    after = check()
    assert after["nu"] != before["nu"]
    defs[1] = services.definition_create(
        acting_user=None, code="nu-2", label="nu-2", kind="share",
        spec={"population": {"source": "tenure", "title_level": ["huyen"], "is_leader": True},
              "numerator": {"age_below": 25}},
    )  # fmt: skip
    changed = check()
    assert changed["nu-2"] != after["nu"]
    grant_add(acting_user=None, user=officer, role="officer", unit=tree["A"], reason="Thử")
    officer = type(officer).objects.get(pk=officer.pk)  # his grants read again
    widened = check()
    assert widened["tre"] != after["tre"]
