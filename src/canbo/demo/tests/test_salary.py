"""The demo's salary histories follow the rules: raises on the engine's schedule, delayed by the
person's own discipline (S-6) and KHT year (S-7), early with an award (S-9), beyond the frame
at the last step (S-8); every row passes the dossier's checks."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from canbo.assessment.models import Award, Discipline, Rating
from canbo.conftest import new_person
from canbo.demo import salary as demo_salary
from canbo.rules.engine.checks.salary import SalaryCase, SalaryFact
from canbo.rules.engine.dates import add_months
from canbo.rules.engine.facts import DisciplineFact, RatingFact
from canbo.rules.selectors import rulebook

pytestmark = pytest.mark.django_db
HORIZON = dt.date(2026, 12, 6)
D = dt.date


def rated(person: Any, level: str = "htt", **years: str) -> list[Rating]:
    return [
        Rating(person=person, system="chinh_quyen", year=y, level=years.get(f"y{y}", level),
               decision_date=dt.date(y, 12, 20))
        for y in range(2019, 2026)
    ]  # fmt: skip


@pytest.fixture(autouse=True)
def own_grade(monkeypatch: Any) -> None:
    """The person's grade as given (the demo moves a few to A0 or B at random)."""
    monkeypatch.setattr(
        demo_salary.SalaryHistories, "grade_for", lambda self, p, rng: self.grades[p.grade_code]
    )


def history(person: Any, records: list[Any], **kw: Any) -> list[Any]:
    writer = demo_salary.SalaryHistories(seed=1, horizon=HORIZON, book=rulebook())
    return writer.rows(person, leader_from=kw.get("leader_from"), left=None, records=records)


def test_regular_raises_with_the_delays_of_a_discipline_and_a_kht_year(tree: dict, monkeypatch: Any) -> None:
    monkeypatch.setattr(demo_salary, "EARLY_SHARE", 0.0)
    person = new_person(tree["A1"], recruitment_date=dt.date(2016, 3, 1), grade_code="01.003")
    plain = history(person, rated(person))
    assert [(r.step, r.from_date) for r in plain] == [
        (1, D(2016, 3, 1)), (2, D(2019, 3, 1)), (3, D(2022, 3, 1)), (4, D(2025, 3, 1)),
    ]  # fmt: skip
    reprimand = Discipline(person=person, system="chinh_quyen", form="khien_trach", decision_number="7/QĐ",
                           decision_date=dt.date(2020, 5, 1), effective_date=dt.date(2020, 5, 1))  # fmt: skip
    delayed = history(person, [*rated(person, y2023="kht"), reprimand])
    # 2019-03-01 + 36 months + 6 (reprimand in 2020) = 2022-09-01; then + 36 + 12 (KHT 2023) = 2026-09-01
    assert [(r.step, r.from_date) for r in delayed] == [
        (1, D(2016, 3, 1)), (2, D(2019, 3, 1)), (3, D(2022, 9, 1)), (4, D(2026, 9, 1)),
    ]  # fmt: skip
    for row in delayed:
        row.full_clean()
    assert (person.grade_code, person.salary_step, person.salary_coefficient) == (
        "01.003",
        4,
        delayed[-1].coefficient,
    )


def test_an_award_brings_a_raise_early_and_the_last_step_goes_beyond_the_frame(
    tree: dict, monkeypatch: Any
) -> None:
    monkeypatch.setattr(demo_salary, "EARLY_SHARE", 1.0)
    person = new_person(tree["A1"], recruitment_date=dt.date(2019, 1, 1), grade_code="01.003")
    award = Award(person=person, form="Bằng khen", year=2020, decision_date=dt.date(2020, 12, 1))
    rows = history(person, [*rated(person), award])
    assert rows[1].step == 2 and rows[1].from_date < dt.date(2022, 1, 1)  # early (S-9)
    monkeypatch.setattr(demo_salary, "EARLY_SHARE", 0.0)
    old = new_person(
        tree["A1"], "Lê Văn Lâu", sex="nam", recruitment_date=dt.date(1990, 1, 1), grade_code="01.003"
    )
    rows = history(old, rated(old))
    assert rows[8].step == 9 and rows[8].beyond_frame_percent == 0  # last step of A1
    assert [r.beyond_frame_percent for r in rows[9:12]] == [5, 6, 7]
    assert all(r.step == 9 for r in rows[9:])


def test_a_leader_moves_to_the_senior_grade_at_his_first_leading_post(tree: dict, monkeypatch: Any) -> None:
    monkeypatch.setattr(demo_salary, "EARLY_SHARE", 0.0)
    person = new_person(tree["A1"], recruitment_date=dt.date(2010, 1, 1), grade_code="01.002")
    rows = history(person, rated(person), leader_from=dt.date(2018, 6, 1))
    switch = next(r for r in rows if r.grade.code == "01.002")
    before = [r for r in rows if r.from_date < switch.from_date][-1]
    assert switch.from_date == dt.date(2018, 6, 1) and switch.coefficient > before.coefficient
    for row in rows:
        row.full_clean()


def _engine_due(book: Any, cur: Any, disciplines: tuple, ratings: tuple) -> tuple[dt.date, bool]:
    """The next raise's date and plainness computed afresh by the rules engine (what
    ``SalaryHistories._next`` computed for every step before the dates were shared)."""
    g = cur.grade.group
    fact = SalaryFact(
        grade_code=cur.grade.code, group=g.code, steps=g.steps, first=g.first, increment=g.increment,
        step=cur.step, coefficient=g.coefficient(cur.step), percent=cur.percent, step_since=cur.since,
    )  # fmt: skip
    s = SalaryCase(book, fact, disciplines, ratings).schedule
    due = add_months(s.due, 12) if s.unforgiven_years else s.due
    return due, s.kind == "regular" and not s.delays


def test_the_shared_step_dates_equal_the_engine_s_for_many_inputs() -> None:
    """``SalaryHistories._due`` computes the schedule once per key (group, last step or not,
    beyond-frame percent held or not, step date) for the steps nothing can delay, and reads it for
    every other step of that key. Over every grade, random steps, percents and step dates drawn
    from few dates (so that most keys repeat, across steps and grades of one group), with and
    without a discipline, a KHT year or a KHT year of another system, the answer equals a fresh
    computation by the rules engine."""
    book = rulebook()
    writer = demo_salary.SalaryHistories(seed=1, horizon=HORIZON, book=book)
    rng = random.Random(2020)
    dates = [D(1992, 1, 1) + dt.timedelta(days=rng.randrange(12_000)) for _ in range(40)]
    dates += [D(2018, 7, 1), D(2020, 12, 31), D(2021, 1, 1), D(2023, 2, 28)]
    quiet = 0
    for grade in sorted(writer.grades.values(), key=lambda g: g.code):
        steps = grade.group.steps
        for _ in range(120):
            step = rng.randint(1, steps)
            percent = rng.choice((0, 0, 5, 6, 11)) if step == steps else 0
            since = rng.choice(dates)
            disciplines: tuple[DisciplineFact, ...] = ()
            ratings = tuple(
                RatingFact("chinh_quyen", y, "htt", D(y, 12, 20)) for y in range(since.year, since.year + 4)
            )
            x = rng.random()
            if x < 0.1:
                day = since + dt.timedelta(days=rng.randrange(900))
                disciplines = (DisciplineFact("dang", rng.choice(("khien_trach", "canh_cao")), day, day),)
            elif x < 0.2:
                year = since.year + rng.randrange(3)
                system = rng.choice(("chinh_quyen", "dang"))
                ratings = (*ratings, RatingFact(system, year, "kht", D(year, 12, 20)))
            else:
                quiet += 1
            cur = demo_salary._Step(grade, step, percent, since)
            assert writer._due(cur, disciplines, ratings) == _engine_due(book, cur, disciplines, ratings), cur
    # Most of the steps nothing can delay read dates computed for another step.
    assert len(writer.dues) < quiet / 2
