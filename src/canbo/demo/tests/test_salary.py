"""The demo's salary histories follow the rules: raises on the engine's schedule, delayed by the
person's own discipline (S-6) and KHT year (S-7), early with an award (S-9), beyond the frame
at the last step (S-8); every row passes the dossier's checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canbo.assessment.models import Award, Discipline, Rating
from canbo.conftest import new_person
from canbo.demo import salary as demo_salary
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
