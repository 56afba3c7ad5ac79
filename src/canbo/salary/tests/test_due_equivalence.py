"""The due list's rows in force (read for the persons in the window only, docs/performance.md
"Due raises") give the same list as a plain computation: for every person, the latest row
starting on or before the as-of date (``services.row_in_force``), all his disciplines and
ratings, the schedule of the rules engine.

The 30 persons' histories are written once for the module and kept for its three tests
(``rows_kept_for_the_scope``: one transaction around the module, each test a savepoint inside
it, so what a test adds is undone after it); before, each test wrote them again."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from canbo.assessment.models import Discipline, Rating
from canbo.conftest import make_tree, new_person, rows_kept_for_the_scope
from canbo.org.models import Unit
from canbo.people.models import Person
from canbo.people.services import section_create
from canbo.rules.engine.checks.salary import SalaryCase, SalaryFact
from canbo.rules.engine.dates import add_months
from canbo.rules.engine.facts import STATE, DisciplineFact, RatingFact
from canbo.rules.selectors import rulebook
from canbo.salary.models import Grade, SalaryRow
from canbo.salary.selectors import DueItem, due_list, rows_in_force
from canbo.salary.services import row_in_force

pytestmark = pytest.mark.django_db


def _history(tree: dict) -> list[Person]:
    """30 persons with two to five salary rows each, written in a shuffled order (back-dated
    rows inserted after later ones), yearly ratings with some KHT years, none, one or two disciplines."""
    rng = random.Random(1717)
    grades = [Grade.objects.select_related("group").get(code=c) for c in ("01.003", "01.002", "01.005")]
    persons, rows = [], []
    for n in range(30):
        unit = tree["A1"] if n % 3 else tree["A"]
        p = new_person(unit, f"Người Lương {n:02d}", sex="nam", recruitment_date=dt.date(2005, 1, 1))
        persons.append(p)
        grade = rng.choice(grades)
        group = grade.group
        months = 24 if group.code == "B" else 36
        step = rng.randint(1, 3)
        day = dt.date(2014, rng.randint(1, 12), rng.randint(1, 28))
        for _ in range(rng.randint(2, 5)):
            percent = rng.choice((0, 5, 6)) if step == group.steps else 0
            rows.append((p, grade, step, percent, day))
            day = add_months(day, months + rng.choice((0, 0, 6, 12)) - rng.choice((0, 0, 0, 9)))
            step = min(step + 1, group.steps)
        for year in range(2014, 2026):
            level = "kht" if rng.random() < 0.12 else rng.choice(("htt", "ht", "htxs"))
            Rating.objects.create(
                person=p, system="chinh_quyen", year=year, level=level, decision_date=dt.date(year, 12, 20)
            )
        for _ in range(rng.choice((0, 0, 0, 1, 2))):  # none, one or two disciplines
            when = dt.date(rng.randint(2016, 2025), rng.randint(1, 12), 10)
            Discipline.objects.create(
                person=p, system="chinh_quyen", form=rng.choice(["khien_trach", "canh_cao"]),
                decision_number="1/QĐ-KL", decision_date=when, effective_date=when,
                issuing_body="Thủ trưởng", violation="Vi phạm",
            )  # fmt: skip
    rng.shuffle(rows)  # back-dated rows written after later ones
    for p, grade, step, percent, day in rows:
        section_create(
            acting_user=None,
            person=p,
            instance=SalaryRow(
                grade=grade, step=step, coefficient=grade.group.coefficient(step),
                beyond_frame_percent=percent, from_date=day, step_since=day,
            ),
            reason="QĐ",
        )  # fmt: skip
    return persons


@pytest.fixture(scope="module")
def shared(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[dict[str, Unit], list[Person]]]:
    """The tree and ``_history``'s persons, written when the module's first test starts (in the
    order the function-scoped ``tree`` and ``_history`` wrote them) and rolled back after its last."""

    def build() -> tuple[dict[str, Unit], list[Person]]:
        tree = make_tree()
        return tree, _history(tree)

    with rows_kept_for_the_scope(django_db_blocker, build) as rows:
        yield rows


@pytest.fixture
def tree(shared: tuple[dict[str, Unit], list[Person]], db: Any) -> dict[str, Unit]:
    """The module's units, read afresh for each test."""
    units = Unit.objects.in_bulk([u.pk for u in shared[0].values()])
    return {code: units[u.pk] for code, u in shared[0].items()}


@pytest.fixture
def persons(shared: tuple[dict[str, Unit], list[Person]], db: Any) -> list[Person]:
    """``_history``'s persons in their order, read afresh for each test."""
    fresh = Person.objects.in_bulk([p.pk for p in shared[1]])
    return [fresh[p.pk] for p in shared[1]]


def _disciplines_and_ratings(p: Person) -> tuple[Any, Any]:
    disciplines = tuple(
        DisciplineFact(*v)
        for v in Discipline.objects.filter(person=p).values_list(
            "system", "form", "decision_date", "effective_date", "announced_date", "decision_number"
        )
    )
    ratings = tuple(
        RatingFact(STATE, year, level, decided if level == "kht" else None)
        for year, level, decided in Rating.objects.filter(person=p, period="nam", system=STATE)
        .order_by("year")
        .values_list("year", "level", "decision_date")
    )
    return disciplines, ratings


def _reference(
    persons: list[Person],
    as_of: dt.date,
    months: int,
    read: dict[int, tuple[Any, Any]],
    in_force: dict[tuple[int, dt.date], SalaryRow | None],
) -> list[dict[str, Any]]:
    """``read`` keeps each person's disciplines and ratings, which no date changes, for the
    test's next dates (nothing is written between them): read once a person, not once a date.
    ``in_force`` keeps ``row_in_force`` of a person on a date for the date's next window (the row
    in force does not depend on the window): called once a person and date, not once a person,
    date and window."""
    book = rulebook()
    end = add_months(as_of, months)
    items = []
    for p in persons:
        if (p.pk, as_of) not in in_force:
            in_force[p.pk, as_of] = row_in_force(p.pk, as_of)
        row = in_force[p.pk, as_of]
        if row is None:
            continue
        g = row.grade.group
        fact = SalaryFact(
            grade_code=row.grade.code, group=g.code, steps=g.steps, first=g.first, increment=g.increment,
            step=row.step, coefficient=Decimal(row.coefficient), percent=row.beyond_frame_percent,
            step_since=row.step_since,
        )  # fmt: skip
        if p.pk not in read:
            read[p.pk] = _disciplines_and_ratings(p)
        disciplines, ratings = read[p.pk]
        case = SalaryCase(book, fact, disciplines, ratings)
        if as_of <= case.schedule.due < end:
            items.append(DueItem(p.pk, p.personal_id, p.full_name, p.managing_unit_id, fact, case))
    items.sort(key=lambda i: (i.due, i.name))
    return [i.to_dict() for i in items]


def test_due_list_equals_the_plain_computation_on_several_rows_a_person(
    tree: dict, persons: list[Person]
) -> None:
    assert SalaryRow.objects.count() > 2 * len(persons)
    seen = 0
    read: dict[int, tuple[Any, Any]] = {}
    in_force: dict[tuple[int, dt.date], SalaryRow | None] = {}
    for as_of in [dt.date(2016, 1, 31), dt.date(2020, 2, 29)] + [
        add_months(dt.date(2017, 1, 1), m) for m in range(0, 108, 5)
    ]:
        for months in (3, 12):
            got = [i.to_dict() for i in due_list(None, tree["A"], as_of, months)]
            assert got == _reference(persons, as_of, months, read, in_force), (as_of, months)
            seen += len(got)
    assert seen > 50  # the dates above find many persons due, blocked ones among them


def test_rows_in_force_in_the_window_are_the_latest_rows(tree: dict, persons: list[Person]) -> None:
    ids = Person.objects.filter(pk__in=[p.pk for p in persons]).values("id")
    for as_of in (dt.date(2015, 6, 1), dt.date(2019, 3, 31), dt.date(2024, 12, 31)):
        every = {r[0]: r for r in rows_in_force(ids, as_of)}
        for p in persons:
            row = row_in_force(p.pk, as_of)
            assert (row is None) == (p.pk not in every)
            if row is not None:
                assert every[p.pk][1:] == (
                    row.grade_id,
                    row.step,
                    row.coefficient,
                    row.beyond_frame_percent,
                    row.step_since,
                )


def test_shared_schedules_and_the_whole_province_equal_the_plain_computation(
    tree: dict, persons: list[Person]
) -> None:
    """Persons of the same group and ``step_since`` share their schedule's dates
    (``SalaryCase.shared_schedule``) but not their target or their missing years; the list of a
    root unit (read without the subtree condition) leaves out a person of another tree."""
    from canbo.conftest import make_unit

    grade = Grade.objects.select_related("group").get(code="01.003")
    last = grade.group.steps
    since = dt.date(2021, 3, 15)
    twins = []
    for n, (step, percent, rated_to) in enumerate(
        [(2, 0, 2025), (3, 0, 2025), (3, 0, 2022), (last, 0, 2025), (last, 5, 2025), (last, 7, 2023)]
    ):
        p = new_person(tree["A1"], f"Người Cùng Mốc {n}", sex="nu", recruitment_date=dt.date(2005, 1, 1))
        for year in range(2014, rated_to + 1):  # a person rated to 2022 misses 2023 and later
            Rating.objects.create(person=p, system="chinh_quyen", year=year, level="ht")
        row = SalaryRow(grade=grade, step=step, coefficient=grade.group.coefficient(step),
                        beyond_frame_percent=percent, from_date=since, step_since=since)  # fmt: skip
        section_create(acting_user=None, person=p, instance=row, reason="QĐ")
        twins.append(p)
    other = make_unit(None, "Q", "Tỉnh Khác")
    outsider = new_person(other, "Người Tỉnh Khác", sex="nam", recruitment_date=dt.date(2005, 1, 1))
    for year in range(2014, 2026):
        Rating.objects.create(person=outsider, system="chinh_quyen", year=year, level="ht")
    row = SalaryRow(grade=grade, step=2, coefficient=grade.group.coefficient(2), from_date=since,
                    step_since=since)  # fmt: skip
    section_create(acting_user=None, person=outsider, instance=row, reason="QĐ")
    seen = set()
    read: dict[int, tuple[Any, Any]] = {}
    in_force: dict[tuple[int, dt.date], SalaryRow | None] = {}
    for as_of in (dt.date(2022, 3, 1), dt.date(2023, 12, 1), dt.date(2024, 3, 1), dt.date(2026, 3, 1)):
        for months in (3, 12):
            got = [i.to_dict() for i in due_list(None, tree["P"], as_of, months)]
            assert got == _reference(persons + twins, as_of, months, read, in_force), (as_of, months)
            seen |= {i["person_id"] for i in got}
    assert {p.pk for p in twins} <= seen and outsider.pk not in seen
    # a person who left service by the as-of date is left out; one leaving after it is listed
    first = twins[0]
    for left, listed in (
        (dt.date(2024, 1, 1), False),
        (dt.date(2024, 3, 1), False),
        (dt.date(2024, 3, 2), True),
    ):
        Person.objects.filter(pk=first.pk).update(left_service_date=left)
        listed_ids = {i.person_id for i in due_list(None, tree["P"], dt.date(2024, 3, 1), 3)}
        assert (first.pk in listed_ids) is listed, left
