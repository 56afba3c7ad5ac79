"""The demo's salary histories (SALARY.md S-4 to S-9), consistent with the rules.

Each official's history starts at step 1 of his grade on his recruitment date and moves up one
step each time the rules engine's schedule (``rules.engine.checks.salary.SalaryCase``) says the
step time is complete, with the delays his own disciplines (S-6) and "không hoàn thành nhiệm vụ"
years (S-7) cause; at the last step the beyond-frame allowance (S-8) starts at 5% and rises by
1% a year. An official with an award in the step time and every year of it rated at least
"hoàn thành tốt" is sometimes raised early (S-9, 6 to 12 months). A leader moves from
chuyên viên (01.003) to chuyên viên chính (01.002) when his first leading post starts, at the
lowest step whose coefficient is above the one he held. Some support staff hold the grades cán
sự (A0) or nhân viên (B, 24 months a step).

Nothing after the horizon is written, so the due list of the following months is what the data
makes due: on time, delayed (with the record behind the delay), beyond the frame, and blocked
when a year of the step time has no rating yet.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from canbo.assessment.models import Award, Discipline, Rating
from canbo.people.models import Person
from canbo.rules.engine.checks.salary import NOT_DONE, REGULAR, SalaryCase, SalaryFact
from canbo.rules.engine.dates import add_months
from canbo.rules.engine.facts import DisciplineFact, RatingFact
from canbo.rules.engine.rulebook import Rulebook
from canbo.salary.models import Grade, SalaryRow

GOOD = ("htt", "htxs")
LEADER_GRADE, BASE_GRADE = "01.002", "01.003"
EARLY_SHARE = 0.3  # of the steps that qualify for S-9


@dataclass
class _Step:
    grade: Grade
    step: int
    percent: int
    since: dt.date


class SalaryHistories:
    """Writes salary rows for the persons of the demo, one person at a time."""

    def __init__(
        self, *, seed: int, horizon: dt.date, book: Rulebook, make: Callable[..., SalaryRow] = SalaryRow
    ) -> None:
        self.make = make  # the row's constructor (the bulk writer's ``maker`` in the generator)
        self.seed = seed
        self.horizon = horizon
        self.book = book
        self.grades = {g.code: g for g in Grade.objects.select_related("group")}
        # The step dates of the rules engine's schedule, by what determines them (``_due``).
        self.dues: dict[tuple[str, bool, bool, dt.date], tuple[dt.date, bool]] = {}
        # The coefficient of each grade (by id) and step, made once (a Decimal is immutable).
        self.coefficients: dict[tuple[int, int], Decimal] = {}

    def grade_for(self, person: Person, rng: random.Random) -> Grade | None:
        code = person.grade_code
        if code in (BASE_GRADE, LEADER_GRADE):
            x = rng.random()
            if code == BASE_GRADE and x < 0.07:
                code = "01.005"
            elif code == BASE_GRADE and x < 0.14:
                code = "01.004"
        return self.grades.get(code)

    def rows(
        self,
        person: Person,
        *,
        leader_from: dt.date | None,
        left: dt.date | None,
        records: Iterable[Any],
    ) -> list[SalaryRow]:
        """The salary rows of ``person`` (already saved, with his ``recruitment_date``), given his
        own disciplines, ratings and awards (``records``); his current-salary fields are set to
        the row in force on the horizon."""
        start = person.recruitment_date
        if start is None or start > self.horizon:
            return []
        rng = random.Random(f"canbo-demo:{self.seed}:salary:{person.personal_id}")  # noqa: S311 (demo data)
        target = self.grade_for(person, rng)
        if target is None:
            return []
        records = list(records)
        disciplines = tuple(
            DisciplineFact(d.system, d.form, d.decision_date, d.effective_date, None, d.decision_number)
            for d in records
            if isinstance(d, Discipline)
        )
        ratings = tuple(
            RatingFact(r.system, r.year, r.level, r.decision_date) for r in records if isinstance(r, Rating)
        )
        quiet = not disciplines and all(r.level != NOT_DONE for r in ratings)  # nothing can delay a step
        levels = {r.year: r.level for r in ratings if r.system == "chinh_quyen"}
        awards = sorted(a.decision_date for a in records if isinstance(a, Award) and a.decision_date)
        last_day = min(self.horizon, left - dt.timedelta(days=1)) if left else self.horizon
        grade = target
        switch = None
        if target.code == LEADER_GRADE:
            grade = self.grades[BASE_GRADE]
            switch = leader_from if leader_from and leader_from > start else None
            if switch is None:
                grade = target
        cur = _Step(grade, 1, 0, start)
        out = [self._row(person, cur, start, rng)]
        for _ in range(60):
            due, _early = self._next(cur, disciplines, ratings, levels, awards, rng, quiet)
            if switch is not None and switch <= min(due, last_day):
                cur = self._promote(cur, target, switch)
                out.append(self._row(person, cur, switch, rng))
                switch = None
                continue
            if due > last_day:
                break
            cur = self._raise(cur, due)
            out.append(self._row(person, cur, due, rng))
        now = out[-1]
        person.grade_code = now.grade.code
        person.grade_name = now.grade.name[:100]
        person.salary_step = now.step
        person.salary_coefficient = now.coefficient
        return out

    def _next(
        self,
        cur: _Step,
        disciplines: tuple[DisciplineFact, ...],
        ratings: tuple[RatingFact, ...],
        levels: dict[int, str],
        awards: list[dt.date],
        rng: random.Random,
        quiet: bool | None = None,
    ) -> tuple[dt.date, bool]:
        """The date of the next raise and whether it is an early one (S-9)."""
        due, plain = self._due(cur, disciplines, ratings, quiet)
        if not plain:
            return due, False
        years = range(cur.since.year, due.year)
        if (
            years
            and all(levels.get(y) in GOOD for y in years)
            and any(cur.since <= a < due for a in awards)
            and rng.random() < EARLY_SHARE
        ):
            early = add_months(due, -rng.choice((6, 9, 12)))
            if early > cur.since and early.year >= 2019:
                return early, True
        return due, False

    def _due(
        self,
        cur: _Step,
        disciplines: tuple[DisciplineFact, ...],
        ratings: tuple[RatingFact, ...],
        quiet: bool | None = None,
    ) -> tuple[dt.date, bool]:
        """The date the rules engine's schedule (``SalaryCase.schedule``) makes the next raise
        due — a year later for a year rated KHT before S-7 existed — and whether it is a plain
        one (a regular step, nothing delaying it), which alone may come early (S-9).

        When no discipline and no KHT year can delay it (most steps of most persons), the
        schedule depends only on the grade's group (its step time: S-4's low groups), whether
        the step is the group's last (regular or beyond the frame), whether a beyond-frame
        percent is held (S-8's 12 months), and ``step_since``: computed once per such key and
        read from ``self.dues`` for every other step with the same key (a 150,000 build asks
        for a million schedules; ``demo/tests/test_salary.py`` compares the two over many
        inputs). A step that can be delayed is computed with its own records every time.
        ``quiet`` (nothing can delay) is computed here when the caller has not."""
        g = cur.grade.group
        if quiet is None:
            quiet = not disciplines and all(r.level != NOT_DONE for r in ratings)
        key = (g.code, cur.step >= g.steps, cur.percent == 0, cur.since)
        if quiet:
            known = self.dues.get(key)
            if known is not None:
                return known
        fact = SalaryFact(
            grade_code=cur.grade.code,
            group=g.code,
            steps=g.steps,
            first=g.first,
            increment=g.increment,
            step=cur.step,
            coefficient=g.coefficient(cur.step),
            percent=cur.percent,
            step_since=cur.since,
        )
        s = SalaryCase(self.book, fact, disciplines, ratings).schedule
        due = s.due
        if s.unforgiven_years:  # a year rated KHT before S-7 existed: a year later
            due = add_months(due, 12)
        out = (due, s.kind == REGULAR and not s.delays)
        if quiet:
            self.dues[key] = out
        return out

    @staticmethod
    def _raise(cur: _Step, day: dt.date) -> _Step:
        steps = cur.grade.group.steps
        if cur.step < steps:
            return _Step(cur.grade, cur.step + 1, 0, day)
        return _Step(cur.grade, cur.step, cur.percent + 1 if cur.percent else 5, day)

    @staticmethod
    def _promote(cur: _Step, target: Grade, day: dt.date) -> _Step:
        held = cur.grade.group.coefficient(cur.step)
        group = target.group
        step = next((n for n in range(1, group.steps + 1) if group.coefficient(n) > held), group.steps)
        return _Step(target, step, 0, day)

    def _row(self, person: Person, cur: _Step, day: dt.date, rng: random.Random) -> SalaryRow:
        decided = day - dt.timedelta(days=rng.randint(5, 40))
        grade = cur.grade
        key = (grade.pk, cur.step)
        coefficient = self.coefficients.get(key)
        if coefficient is None:
            coefficient = self.coefficients[key] = Decimal(grade.group.coefficient(cur.step))
        return self.make(
            person=person,
            grade=grade,
            step=cur.step,
            coefficient=coefficient,
            beyond_frame_percent=cur.percent,
            from_date=day,
            step_since=cur.since,
            decision_number=f"{rng.randint(10, 2999)}/QĐ-UBND",
            decision_date=decided,
        )


def set_salary_fields(persons: list[Person]) -> None:
    """Write the current-salary fields the histories set on ``persons`` (already inserted) in
    one statement per chunk."""
    from django.db import connection

    meta = Person._meta
    names = ("grade_code", "grade_name", "salary_step", "salary_coefficient")
    cols = [Person._meta.get_field(f).get_attname_column()[1] for f in names]  # type: ignore[union-attr]
    qn = connection.ops.quote_name
    # table and column names from the model's meta; the values are parameters
    sql = (
        f"UPDATE {qn(meta.db_table)} SET "  # noqa: S608
        + ", ".join(f"{qn(str(c))} = %s" for c in cols)
        + f" WHERE {qn(str(meta.pk.column))} = %s"
    )
    params = [
        (p.grade_code, p.grade_name, p.salary_step, p.salary_coefficient, p.pk)
        for p in persons
        if p.salary_step is not None
    ]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
