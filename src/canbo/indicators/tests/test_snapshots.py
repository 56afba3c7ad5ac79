"""Snapshots of the indicators (``indicators.snapshots``): after random writes through the
services, what they answer equals a fresh computation, on every date; the dashboard's query
count; the engine reads no table whose writes do not invalidate them."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from canbo.careers.models import Tenure
from canbo.careers.services import membership_add, tenure_end, tenure_start
from canbo.conftest import new_person
from canbo.core.dates import today
from canbo.core.services import deferred_log
from canbo.indicators import engine, facts, services, snapshots
from canbo.indicators.models import IndicatorDefinition, IndicatorSnapshot, IndicatorTarget
from canbo.org.models import Title, Unit
from canbo.people.models import PartyMembership, Person, Qualification, ServiceEvent
from canbo.people.services import person_update, section_create
from canbo.people.validators import make_personal_id
from canbo.plans.services import plan_create

pytestmark = pytest.mark.django_db

DAYS = [
    dt.date(2015, 3, 1),
    dt.date(2017, 8, 15),
    dt.date(2019, 12, 31),
    dt.date(2021, 6, 1),
    dt.date(2024, 1, 1),
]
LEADERS = {"source": "tenure", "title_level": ["huyen"], "is_leader": True}
SPECS: list[tuple[str, str, dict[str, Any]]] = [
    ("tre", "share", {"counted_for": ["huyen"], "population": LEADERS, "numerator": {"age_below": 40}}),
    ("nu", "share", {"population": LEADERS, "numerator": {"sex": "nu"}}),
    (
        "dai-hoc-dang-vien",
        "share",
        {
            "population": LEADERS,
            "numerator": {"qualification": {"kind": "chuyen_mon", "min_rank": 40}, "party_member": True},
        },
    ),
    (
        "nu-cap-uy",
        "share",
        {"population": {"source": "membership", "body_kind": ["cap_uy"]}, "numerator": {"sex": "nu"}},
    ),
    (
        "doi-moi",
        "renewal",
        {"population": {"source": "membership", "body_kind": ["cap_uy"]}, "renewal": {"previous_years": 5}},
    ),
    ("co-nguoi-tre", "exists", {"population": LEADERS, "numerator": {"age_below": 35}}),
    (
        "don-vi-nu",
        "unit_compliance",
        {
            "population": {"source": "tenure", "title_level": ["huyen"]},
            "compliance": {"eligible": {"sex": "nu"}, "min_share": 0.3, "leader": {"sex": "nu"}},
        },
    ),
]


@pytest.fixture
def board(tree: dict[str, Unit], title: Title, users: dict[str, Any]) -> dict[str, Any]:
    return make_board(tree, users)


def make_board(tree: dict[str, Unit], users: dict[str, Any]) -> dict[str, Any]:
    """The definitions of ``SPECS`` and a plan with a target for each (also ``test_statements``)."""
    defs = [
        services.definition_create(acting_user=None, code=code, label=code, kind=kind, spec=spec)
        for code, kind, spec in SPECS
    ]
    plan = plan_create(
        acting_user=None,
        unit=tree["P"],
        code="kh-anh",
        kind="ke_hoach",
        number="2/KH-TU",
        issued_on=dt.date(2020, 1, 1),
        issuer_name="Tỉnh ủy",
        title="Kế hoạch thử ảnh chụp",
    )
    for i, d in enumerate(defs, 1):
        IndicatorTarget.objects.create(
            plan=plan,
            definition=d,
            term="2020–2025",
            row=str(i),
            order=i,
            content=d.label,
            kind="min",
            low=Decimal("0.2"),
            text="20%",
        )
    return {"defs": defs, "plan": plan, **users}


def _random_day(rng: random.Random) -> dt.date:
    return dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(11 * 365))


def _write(rng: random.Random, tree: dict[str, Unit], title: Title, people: list[Person]) -> str:
    """One random write through the services; returns what it was (for the failure message)."""
    units = [tree["A"], tree["A1"], tree["B"]]
    person = rng.choice(people)
    what = rng.choice(
        ["tenure", "tenure", "end", "membership", "qualification", "party", "person", "leave", "edit"]
    )
    if what == "tenure":
        tenure_start(
            acting_user=None,
            person=person,
            unit=rng.choice(units),
            title=title,
            kind="bo_nhiem",
            start_date=_random_day(rng),
        )
    elif what == "end":
        open_ = list(Tenure.objects.filter(end_date__isnull=True))
        if open_:
            t = rng.choice(open_)
            tenure_end(
                acting_user=None, tenure=t, end_date=t.start_date + dt.timedelta(days=rng.randrange(1, 3000))
            )
    elif what == "membership":
        start = _random_day(rng)
        membership_add(
            acting_user=None,
            person=person,
            body=rng.choice([tree["A"], tree["B"]]),
            kind="cap_uy",
            start_date=start,
            end_date=start + dt.timedelta(days=rng.choice([900, 1825, 4000])),
        )
    elif what == "qualification":
        section_create(
            acting_user=None,
            person=person,
            instance=Qualification(
                kind="chuyen_mon",
                level=rng.choice(["dai_hoc", "thac_si", "cao_dang"]),
                obtained_date=_random_day(rng),
            ),
        )
    elif what == "party":
        if not PartyMembership.objects.filter(person=person).exists():
            section_create(
                acting_user=None, person=person, instance=PartyMembership(admission_date=_random_day(rng))
            )
    elif what == "person":
        born = dt.date(rng.randrange(1965, 1995), rng.randrange(1, 13), 1)
        new = new_person(
            rng.choice(units), f"Người mới {len(people)}", sex=rng.choice(["nam", "nu"]), born=born
        )
        people.append(new)
        tenure_start(
            acting_user=None,
            person=new,
            unit=rng.choice(units),
            title=title,
            kind="bo_nhiem",
            start_date=_random_day(rng),
        )
    elif what == "leave":
        if not ServiceEvent.objects.filter(person=person).exists():
            section_create(
                acting_user=None,
                person=person,
                instance=ServiceEvent(
                    kind=rng.choice(["nghi_huu", "chuyen_di"]), event_date=_random_day(rng)
                ),
            )
    else:
        person.refresh_from_db()
        if rng.random() < 0.5:  # a woman recorded as a man, or the reverse (the identity number follows)
            sex = "nam" if person.sex == "nu" else "nu"
            pid = make_personal_id(
                province_prefix="010",
                sex=sex,
                birth_year=person.birth_date.year,
                serial=rng.randrange(10**5, 10**6),
            )
            changes: dict[str, Any] = {"sex": sex, "personal_id": pid}
        else:
            changes = {"birth_date": person.birth_date.replace(month=12, day=31)}
        person_update(person=person, acting_user=None, changes=changes)
    return f"{what} ({person.full_name})"


def _numbers(results: dict[str, dict[str, engine.Result]]) -> dict[str, dict[str, tuple[Any, ...]]]:
    return {
        code: {b: (r.numerator, r.population, r.status) for b, r in by.items()}
        for code, by in results.items()
    }


def _compare(
    defs: list[IndicatorDefinition], tree: dict[str, Unit], users: list[Any], log: list[str]
) -> None:
    """Every request through the snapshots (kept from before the last writes) against a fresh
    computation: whole subtree and breakdown, several dates, units and users."""
    requests = [
        snapshots.Request(defs, day, unit, user, depth)
        for day in DAYS
        for unit, depth in ((None, None), (tree["P"], 2), (tree["A"], None))
        for user in users
    ]
    kept = snapshots.compute_many(requests)
    # One date at a time over the whole subtree: the table's statements, read from the fact tables.
    direct = [
        engine.compute(r.definitions, day=r.day, unit=r.unit, user=r.user)
        for r in requests
        if r.depth is None
    ]
    with snapshots.fresh():
        # The fresh computation of each whole-subtree request, for the fact tables' check below:
        # the same call on the same records in the same block, so computed once, not twice.
        whole: list[dict[str, dict[str, engine.Result]]] = []
        for r, got in zip(requests, kept, strict=True):
            expected = engine.compute(r.definitions, day=r.day, unit=r.unit, user=r.user, depth=r.depth)
            assert _numbers(got) == _numbers(expected), (r.day, r.unit, r.depth, r.user, log[-6:])
            if r.depth is None:
                whole.append(expected)
        for r, got, expected in zip([r for r in requests if r.depth is None], direct, whole, strict=True):
            assert _numbers(got) == _numbers(expected), ("facts", r.day, r.unit, r.user, log[-6:])
    # The fact rows kept by the writes equal a rebuild from the records.
    assert facts.slots() == {("chuyen_mon", 40): "q1"}
    rows = facts.rows()
    assert facts.rebuild()
    assert facts.rows() == rows, log[-8:]


def test_snapshots_equal_a_fresh_computation_after_random_writes(
    board: dict[str, Any], tree: dict[str, Unit], title: Title
) -> None:
    rng = random.Random(22)  # a reproducible sequence of writes
    people = [
        new_person(u, f"Cán bộ {i}", sex="nu" if i % 2 else "nam", born=dt.date(1970 + 2 * i, 5, 1))
        for i, u in enumerate([tree["A"], tree["A1"], tree["B"]] * 3)
    ]
    users = [None, board["officer_a"]]
    log: list[str] = []
    assert facts.rebuild()  # the column of the plan's qualification condition
    for _round in range(5):
        _compare(board["defs"], tree, users, log)  # fills the snapshots (and checks them)
        assert IndicatorSnapshot.objects.exists()
        log.extend(_write(rng, tree, title, people) for _ in range(8))
    _compare(board["defs"], tree, users, log)


def test_a_write_keeps_the_snapshots_of_earlier_dates(
    board: dict[str, Any], tree: dict[str, Unit], title: Title
) -> None:
    """A tenure starting in 2021 leaves the 2019 snapshot in place and replaces the 2024 one."""
    person = new_person(tree["A"], "Cán bộ Trẻ", sex="nu", born=dt.date(1995, 1, 1))
    defs = board["defs"]
    for day in DAYS:
        snapshots.compute(defs, day=day, unit=tree["P"])
    kept = set(IndicatorSnapshot.objects.values_list("last_day", flat=True))
    assert kept == set(DAYS)
    tenure_start(
        acting_user=None,
        person=person,
        unit=tree["A"],
        title=title,
        kind="bo_nhiem",
        start_date=dt.date(2021, 1, 1),
    )
    assert set(IndicatorSnapshot.objects.values_list("last_day", flat=True)) == {
        d for d in DAYS if d.year < 2021
    }
    after = snapshots.compute(defs, day=DAYS[-1], unit=tree["P"])["tre"][""]
    assert (after.numerator, after.population) == (1, 1)
    # An edit of a field the engine does not read keeps everything.
    snapshots.compute(defs, day=DAYS[-1], unit=tree["P"])
    count = IndicatorSnapshot.objects.count()
    person_update(person=person, acting_user=None, changes={"phone": "0912345678"})
    assert IndicatorSnapshot.objects.count() == count


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# The dashboard once computed (issue 22, pinned): 19 until session 10, now 16: the breakdown and
# the trend read their snapshots together (one read fewer), the plan's targets and the unit's own
# come in one query, the units are named with their former names prefetched (not one query each).
DASHBOARD_QUERIES = 16


def test_dashboard_reads_its_numbers_from_the_snapshots(board: dict[str, Any], tree: dict[str, Unit]) -> None:
    """Pinned: ``DASHBOARD_QUERIES`` once computed (the table in one read of the snapshots, the
    breakdown and the six dates of the trend in another); the first visit computes and stores
    them."""
    c = Client()
    c.force_login(board["admin"])
    url = f"/chi-tieu/kh-anh/?ngay=2021-06-01&don_vi={tree['P'].pk}"
    first = _queries(c, url)
    again = _queries(c, url)
    assert again == DASHBOARD_QUERIES, again
    assert first > again
    with snapshots.fresh(), CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    counting = [q for q in ctx.captured_queries if "COUNT(DISTINCT" in q["sql"]]
    # Without them: the table (tenures, memberships, unit compliance), the breakdown and one
    # statement per date of the trend but the as-of date, which the table's row gives.
    assert len(counting) == 9
    # The other subtree's officer: as missing, and no snapshot of his is read for another.
    officer_b = Client()
    officer_b.force_login(board["officer_b"])
    assert officer_b.get(url).status_code == 404


def test_the_breakdown_and_the_trend_read_together_are_the_same(
    board: dict[str, Any], tree: dict[str, Unit], title: Title
) -> None:
    """``breakdown_and_trend`` (the dashboard's one read) gives what ``breakdown`` and ``trend``
    give apart, cold and stored, and the same as counting afresh."""
    from canbo.indicators import selectors

    for i, unit in enumerate(("A", "A1", "B")):
        person = new_person(tree[unit], f"Cán bộ {i}", sex="nu", born=dt.date(1988 + i, 1, 1))
        tenure_start(acting_user=None, person=person, unit=tree[unit], title=title, kind="bo_nhiem",
                     start_date=dt.date(2017 + i, 1, 1))  # fmt: skip
    target = board["plan"].targets.get(row="1")
    day, user = dt.date(2021, 6, 1), board["officer_a"]
    days = selectors.yearly(day)
    for _ in ("cold", "stored"):
        branches, points = selectors.breakdown_and_trend(
            target, day=day, unit=tree["P"], user=user, days=days
        )
        assert IndicatorSnapshot.objects.count() == 1 + len(days)
        with snapshots.fresh():
            apart = selectors.breakdown(target, day=day, unit=tree["P"], user=user)
            alone = selectors.trend(target, days=days, unit=tree["P"], user=user)
        assert [(b.name, b.unit, b.result, b.met) for b in branches] == [
            (b.name, b.unit, b.result, b.met) for b in apart
        ]
        assert points == alone
        assert any(b.result.population for b in branches)


TABLE = re.compile(r'(?:FROM|JOIN) "(\w+)"')
COLUMN = re.compile(r'"people_person"\."(\w+)"|U\d+\."(\w+)"')


def test_every_table_the_engine_reads_invalidates_the_snapshots(
    board: dict[str, Any], tree: dict[str, Unit]
) -> None:
    """A new condition in the engine that reads another table (or another column of the
    person) must teach ``snapshots.invalidate`` about it first."""
    _ = engine.Scope(board["officer_a"]).key  # his grants, loaded once per user object
    with snapshots.fresh(), CaptureQueriesContext(connection) as ctx:
        for unit, depth in ((None, None), (tree["P"], 2)):
            engine.compute(board["defs"], day=DAYS[3], unit=unit, user=board["officer_a"], depth=depth)
    sql = "\n".join(q["sql"] for q in ctx.captured_queries)
    known = {m._meta.db_table for m in (*snapshots.DATED, *snapshots.UNDATED)}
    # Derived rows rewritten with the audited write they follow from (a service event).
    derived = {"people_servicegap"}
    assert set(TABLE.findall(sql)) - known - derived == set()
    person_columns = set(re.findall(r'"people_person"\."(\w+)"', sql))
    assert person_columns <= snapshots.PERSON_FIELDS, person_columns - snapshots.PERSON_FIELDS


def test_a_snapshot_is_never_read_under_other_grants(
    board: dict[str, Any], tree: dict[str, Unit], title: Title
) -> None:
    """The scope is part of the key: the province's numbers, stored for an administrator, are
    not what the officer of B gets for the same unit and date (he counts only his subtree)."""
    for unit, born in (("A", dt.date(1990, 1, 1)), ("B", dt.date(1991, 1, 1))):
        person = new_person(tree[unit], f"Cán bộ {unit}", born=born)
        tenure_start(acting_user=None, person=person, unit=tree[unit], title=title, kind="bo_nhiem",
                     start_date=dt.date(2020, 1, 1))  # fmt: skip
    day, defs = DAYS[3], board["defs"]
    every = snapshots.compute(defs, day=day, unit=tree["P"], user=board["admin"])["tre"][""]
    assert snapshots.compute(defs, day=day, unit=tree["P"], user=None)["tre"][""] == every  # shared
    own = snapshots.compute(defs, day=day, unit=tree["P"], user=board["officer_b"])["tre"][""]
    assert (every.numerator, every.population) == (2, 2)
    assert (own.numerator, own.population) == (1, 1)
    assert IndicatorSnapshot.objects.count() == 2


def test_a_migration_drops_every_snapshot(board: dict[str, Any], tree: dict[str, Unit]) -> None:
    """Data migrations write without the change log: ``migrate`` leaves no snapshot behind."""
    from django.core.management import call_command

    snapshots.compute(board["defs"], day=DAYS[0], unit=tree["P"])
    assert IndicatorSnapshot.objects.exists()
    call_command("migrate", "indicators", verbosity=0)
    assert not IndicatorSnapshot.objects.exists()


def test_a_cold_trend_sends_one_counting_statement(
    board: dict[str, Any], tree: dict[str, Unit], title: Title
) -> None:
    """The trend's dates not stored are counted together (``engine.compute_days``): one
    statement for the six years, and the same numbers as six computations, date by date."""
    from canbo.indicators import selectors

    for i, (unit, born) in enumerate(
        (("A", dt.date(1990, 1, 1)), ("B", dt.date(1960, 1, 1)), ("A1", dt.date(1985, 6, 1)))
    ):
        person = new_person(tree[unit], f"Cán bộ {i}", sex="nu" if i else "nam", born=born)
        tenure_start(acting_user=None, person=person, unit=tree[unit], title=title, kind="bo_nhiem",
                     start_date=dt.date(2016 + 2 * i, 1, 1))  # fmt: skip
    target = board["plan"].targets.get(row="1")  # "tre": leaders under 40
    days = selectors.yearly(dt.date(2024, 1, 1))
    with CaptureQueriesContext(connection) as ctx:
        points = selectors.trend(target, days=days, unit=tree["P"], user=board["officer_a"])
    counting = [q for q in ctx.captured_queries if "COUNT(DISTINCT" in q["sql"]]
    assert len(counting) == 1, len(counting)
    with snapshots.fresh():
        for day, res in points:
            expected = engine.compute([target.definition], day=day, unit=tree["P"], user=board["officer_a"])
            assert _numbers({"tre": {"": res}}) == _numbers({"tre": expected["tre"]}), day
    assert [r.population for _d, r in points] == [1, 2, 2, 2, 2, 2]  # his subtree only: A, A1


# ---- refreshing in the background -----------------------------------------------------------


def _dashboard(board: dict[str, Any], tree: dict[str, Unit]) -> tuple[Client, str]:
    c = Client()
    c.force_login(board["admin"])
    return c, f"/chi-tieu/kh-anh/?don_vi={tree['P'].pk}"  # as of today


def _leader(tree: dict[str, Unit], title: Title, start: dt.date, name: str = "Cán bộ Mới") -> None:
    person = new_person(tree["A"], name, sex="nu", born=dt.date(1995, 1, 1))
    tenure_start(
        acting_user=None, person=person, unit=tree["A"], title=title, kind="bo_nhiem", start_date=start
    )


def test_a_write_refreshes_todays_dashboard_after_its_commit(
    board: dict[str, Any], tree: dict[str, Unit], title: Title, django_capture_on_commit_callbacks: Any
) -> None:
    """Immediate backend: the snapshots of today's dashboard that a write deletes (today and the
    trend's last two years) are stored again at its commit, with the new numbers; the next
    visit counts nothing."""
    c, url = _dashboard(board, tree)
    assert c.get(url).status_code == 200
    stored = set(IndicatorSnapshot.objects.values_list("key", flat=True))
    since = engine.years_before(today(), 2) - dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        _leader(tree, title, since)
    assert not IndicatorSnapshot.objects.filter(day__lt=since).exclude(key__in=stored).exists()
    assert set(IndicatorSnapshot.objects.values_list("key", flat=True)) == stored
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    assert not [q for q in ctx.captured_queries if "COUNT(DISTINCT" in q["sql"]]
    got = snapshots.compute(board["defs"], day=today(), unit=tree["P"], user=board["admin"])
    with snapshots.fresh():
        expected = engine.compute(board["defs"], day=today(), unit=tree["P"], user=board["admin"])
    assert _numbers(got) == _numbers(expected)
    assert (got["nu"][""].numerator, got["nu"][""].population) == (1, 1)


def test_a_refresh_racing_with_a_write_stores_nothing(
    board: dict[str, Any], tree: dict[str, Unit], title: Title, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refresh computes under the pages' race guard: a write committed while it counts
    (here, through the services, in the middle of its computation) leaves nothing stored; run
    again, it stores every date."""
    target = board["plan"].targets.get(row="2")
    scope = {"defs": [target.definition_id], "unit": tree["P"].pk, "user": board["admin"].pk, "depth": None}
    days = [d.isoformat() for d in snapshots.dashboard_days()]
    counting = engine.compute_days

    def racing(*args: Any, **kwargs: Any) -> Any:
        _leader(tree, title, dt.date(2020, 1, 1), "Cán bộ Giữa Chừng")  # a real write, committed
        return counting(*args, **kwargs)

    monkeypatch.setattr(engine, "compute_days", racing)
    assert snapshots.refresh_snapshots.call(scope, days) == 0
    assert not IndicatorSnapshot.objects.exists()
    monkeypatch.setattr(engine, "compute_days", counting)
    assert snapshots.refresh_snapshots.call(scope, days) == len(days)
    got = snapshots.compute([target.definition], day=today(), unit=tree["P"], user=board["admin"])["nu"][""]
    assert (got.numerator, got.population) == (1, 1)


def test_writes_in_a_row_enqueue_one_refresh_per_scope(
    board: dict[str, Any],
    tree: dict[str, Unit],
    title: Title,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Database queue: the writes of one transaction enqueue one task per scope, and a write
    finding the same task still waiting adds none."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from canbo.conftest import DATABASE_TASKS

    settings.TASKS = DATABASE_TASKS
    c, url = _dashboard(board, tree)
    waiting = DBTaskResult.objects.filter(task_path=snapshots.refresh_snapshots.module_path)
    assert c.get(url).status_code == 200
    scopes = {json_key(s) for s in IndicatorSnapshot.objects.values_list("scope", flat=True)}
    since = engine.years_before(today(), 1) - dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _leader(tree, title, since, "Cán bộ Một")
        _leader(tree, title, since, "Cán bộ Hai")
    assert waiting.count() == len(scopes) == 3  # the table, the breakdown, the trend
    assert c.get(url).status_code == 200  # stored again before the worker came
    with django_capture_on_commit_callbacks(execute=True):
        _leader(tree, title, since, "Cán bộ Ba")
    assert waiting.count() == 3
    assert {json_key(r.args_kwargs["args"][0]) for r in waiting} == scopes


def json_key(scope: Any) -> str:
    import json

    return json.dumps(scope, sort_keys=True)


def test_a_refresh_counts_under_the_users_own_grants(
    board: dict[str, Any], tree: dict[str, Unit], title: Title
) -> None:
    """The refresh of the officer of B's dashboard counts his subtree only (his grants, read when
    it runs), and what it stores is what his page reads, not the province's numbers."""
    _leader(tree, title, dt.date(2020, 1, 1), "Cán bộ A")
    person = new_person(tree["B"], "Cán bộ B", sex="nu", born=dt.date(1990, 1, 1))
    tenure_start(acting_user=None, person=person, unit=tree["B"], title=title, kind="bo_nhiem",
                 start_date=dt.date(2020, 1, 1))  # fmt: skip
    target = board["plan"].targets.get(row="2")  # "nu": women among the leaders
    scope = {
        "defs": [target.definition_id],
        "unit": tree["P"].pk,
        "user": board["officer_b"].pk,
        "depth": None,
    }
    assert snapshots.refresh_snapshots.call(scope, [today().isoformat()]) == 1
    with CaptureQueriesContext(connection) as ctx:
        own = snapshots.compute([target.definition], day=today(), unit=tree["P"], user=board["officer_b"])
    assert not [q for q in ctx.captured_queries if "COUNT(DISTINCT" in q["sql"]]  # the stored one
    assert (own["nu"][""].numerator, own["nu"][""].population) == (1, 1)
    every = snapshots.compute([target.definition], day=today(), unit=tree["P"], user=board["admin"])
    assert (every["nu"][""].numerator, every["nu"][""].population) == (2, 2)


def test_a_batch_of_writes_invalidates_once_what_each_write_would(
    board: dict[str, Any], tree: dict[str, Unit], title: Title
) -> None:
    """Inside ``core.services.deferred_log`` the snapshots are deleted once, at the batch's end,
    from the earliest day of its changes: the same snapshots are left, and the epoch has moved
    by the same steps, as when each write invalidates them itself (one delete each)."""
    people = [new_person(tree["A"], f"Cán bộ {i}", sex="nu", born=dt.date(1990, 1, 1)) for i in range(3)]
    starts = [dt.date(2021, 1, 1), dt.date(2017, 9, 1), dt.date(2023, 5, 1)]

    def run(batch: Any) -> tuple[set[dt.date], int, int]:
        for day in DAYS:
            snapshots.compute(board["defs"], day=day, unit=tree["P"])
        epoch = snapshots._epoch()[1]
        with CaptureQueriesContext(connection) as queries, batch:
            for person, start in zip(people, starts, strict=True):
                tenure_start(
                    acting_user=None,
                    person=person,
                    unit=tree["A"],
                    title=title,
                    kind="bo_nhiem",
                    start_date=start,
                )
        deletes = [q for q in queries if re.match(r'DELETE FROM "?indicators_indicatorsnapshot', q["sql"])]
        kept = set(IndicatorSnapshot.objects.values_list("last_day", flat=True))
        return kept, snapshots._epoch()[1] - epoch, len(deletes)

    with transaction.atomic():
        one_by_one = run(contextlib.nullcontext())
        transaction.set_rollback(True)
    batched = run(deferred_log())
    assert one_by_one[:2] == batched[:2] == ({dt.date(2015, 3, 1), dt.date(2017, 8, 15)}, 3)
    assert (one_by_one[2], batched[2]) == (3, 1)
