"""Reads of the salary app: the catalogues and the due list (SALARY.md S-4 to S-8).

The due list reads plain values in a fixed number of queries whatever the number of persons:
the persons of the subtree in the user's grants, their salary rows in force on the as-of date,
their disciplines and their yearly state ratings; the schedule of each is computed by the
rules engine (``rules/engine/checks/salary.py``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from canbo.assessment.models import Discipline, Rating
from canbo.core.errors import DomainError
from canbo.core.querysets import grant_scope
from canbo.org.models import Unit
from canbo.org.selectors import unit_label
from canbo.people.models import Person
from canbo.rules.engine.checks.salary import (
    KIND_LABELS,
    NOT_DONE,
    SalaryCase,
    SalaryFact,
    check_salary,
    coef_text,
    salary_outcome,
)
from canbo.rules.engine.dates import add_months
from canbo.rules.engine.facts import STATE, DisciplineFact, RatingFact
from canbo.rules.engine.rulebook import Rulebook
from canbo.rules.engine.verdict import PASS, WARN, Verdict
from canbo.salary.models import BaseSalary, Grade, SalaryGroup, SalaryRow

MAX_MONTHS = 24
CHUNK = 5000  # persons per IN list (SQLite allows 32,766 parameters)
CENT = Decimal("0.01")


def groups() -> QuerySet[SalaryGroup]:
    return SalaryGroup.objects.all()


def grades() -> QuerySet[Grade]:
    return Grade.objects.select_related("group")


def base_salary_on(day: dt.date) -> BaseSalary | None:
    """The base salary in force on ``day`` (S-2); None before the first one on file."""
    return BaseSalary.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


@dataclass
class DueItem:
    """One person due a regular step raise or a beyond-frame step in the period."""

    person_id: int
    personal_id: str
    name: str
    unit_id: int
    row: SalaryFact
    case: SalaryCase

    @cached_property
    def verdict(self) -> Verdict:
        """The verdict in the rulebook's format, built when shown (``outcome`` is known before)."""
        return check_salary(self.case, person_id=self.person_id, person_name=self.name)

    @cached_property
    def outcome(self) -> str:
        return salary_outcome(self.case)

    @property
    def unit(self) -> str:
        return unit_label(self.unit_id)

    @property
    def kind(self) -> str:
        return self.case.schedule.kind

    @property
    def kind_label(self) -> str:
        """The verdict's purpose ("Nâng bậc lương thường xuyên"…), without building the verdict."""
        return KIND_LABELS[self.kind]

    @property
    def due(self) -> dt.date:
        return self.case.schedule.due

    @property
    def blocked(self) -> bool:
        return self.outcome not in (PASS, WARN)

    @property
    def token(self) -> str:
        """What the list showed for this person: the decision refuses him if it changed since."""
        s = self.case.schedule
        r = self.row
        return (
            f"{self.person_id}|{s.kind}|{s.due.isoformat()}|{r.step}|{r.percent}|{s.to_step}|{s.to_percent}"
        )

    @property
    def from_text(self) -> str:
        r = self.row
        extra = f", vượt khung {r.percent}%" if r.percent else ""
        return f"bậc {r.step}, hệ số {coef_text(r.coefficient)}{extra}"

    @property
    def to_text(self) -> str:
        s = self.case.schedule
        extra = f", vượt khung {s.to_percent}%" if s.to_percent else ""
        return f"bậc {s.to_step}, hệ số {coef_text(s.to_coefficient)}{extra}"

    def to_dict(self) -> dict[str, Any]:
        s = self.case.schedule
        return {
            "person_id": self.person_id,
            "personal_id": self.personal_id,
            "name": self.name,
            "kind": s.kind,
            "due_date": s.due.isoformat(),
            "grade": self.row.grade_code,
            "from": {
                "step": self.row.step,
                "coefficient": str(self.row.coefficient),
                "beyond_frame_percent": self.row.percent,
            },
            "to": {
                "step": s.to_step,
                "coefficient": str(s.to_coefficient),
                "beyond_frame_percent": s.to_percent,
            },
            "delays": [d.to_dict() for d in s.delays],
            "outcome": self.outcome,
            "verdict": self.verdict.to_dict(),
        }


def eligible_digest(items: list[DueItem]) -> str:
    """The fingerprint of the eligible persons' lines of a list (``DueItem.token``, in any
    order): a decision for "everyone eligible under the filter" is refused if it changed."""
    import hashlib

    lines = sorted(i.token for i in items if not i.blocked)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]


def due_list(
    user: Any, unit: Unit, as_of: dt.date, months: int, *, person_ids: list[int] | None = None
) -> list[DueItem]:
    """Persons of ``unit``'s subtree (within ``user``'s grants; ``user=None`` is the system) whose
    next raise falls in [as_of, as_of + months), judged on the salary row in force on ``as_of``.

    Persons who have left service by ``as_of`` are left out. Sorted by due date, then name.

    A fixed number of queries, and the rules engine only for the persons who can be due: the
    due date is never before the nominal date (the step time without delays), so a person
    nominally due after the period is skipped, and so is one nominally due before it unless a
    discipline or a year rated "không hoàn thành nhiệm vụ" may have delayed him into it. At
    150,000 persons that leaves about one in ten (docs/performance.md).
    """
    from canbo.rules.selectors import rulebook

    if not 1 <= months <= MAX_MONTHS:
        raise DomainError(f"Số tháng phải từ 1 đến {MAX_MONTHS}.")
    end = add_months(as_of, months)
    persons = Person.objects.all() if user is None else Person.objects.restrict(user)
    if person_ids is not None:
        persons = persons.filter(pk__in=person_ids)
    subtree = _subtree(persons, unit)
    # a root unit's subtree is (nearly) everyone: the scan reads the rows without testing each
    # person against it (the test cost about a third of the scan at 150,000), and the candidates'
    # persons are read from the subtree below, which leaves out anyone outside it
    whole = unit.depth == 1 and person_ids is None
    ids = None if whole else subtree.values("id")
    # disciplines and ratings: tested per record against the subtree (one probe of the person
    # and his unit each) rather than by the list of the subtree's 150,000 ids, and without the
    # grant filter when it adds nothing to the person's (see ``_person_bound``); for a root unit
    # not even that: a record of someone outside it only makes him a candidate, and the
    # candidates are read from the subtree
    in_subtree = Q() if whole else Exists(subtree.filter(pk=OuterRef("person_id")))
    scale = {
        g.pk: g
        for g in Grade.objects.select_related("group").only(
            "code", "group__steps", "group__first", "group__increment", "group__code"
        )
    }
    book = rulebook()
    disciplines: dict[int, list[DisciplineFact]] = defaultdict(list)
    for person_id, *values in (
        _person_bound(Discipline, user)
        .filter(in_subtree)
        .order_by("person_id", "-decision_date")  # each person's in the model's order, no join
        .values_list(
            "person_id",
            "system",
            "form",
            "decision_date",
            "effective_date",
            "announced_date",
            "decision_number",
        )
    ):
        disciplines[person_id].append(DisciplineFact(*values))
    rating_qs = _person_bound(Rating, user)
    not_done: dict[tuple[int, int], dt.date | None] = {
        (pk, year): decided
        for pk, year, decided in rating_qs.filter(in_subtree, period="nam", level=NOT_DONE, system=STATE)
        .order_by()
        .values_list("person_id", "year", "decision_date")
    }
    delayable = set(disciplines) | {pk for pk, _y in not_done}
    window = Window(book, as_of, end)
    cases: dict[int, SalaryFact] = {}
    keys: dict[int, tuple[int, bool, bool, dt.date]] = {}  # what the dates of a schedule depend on
    # each grade's scale as plain values (no related-object access for each of 50,000 rows)
    grade_of = {
        pk: (g.code, g.group_id, g.group.code, g.group.steps, g.group.first, g.group.increment)
        for pk, g in scale.items()
    }
    # the nominal date depends only on the group, whether the step is the last, whether a
    # beyond-frame percent is held, and step_since: computed once for each of these
    nominals: dict[tuple[int, bool, bool, dt.date], dt.date] = {}
    for person_id, grade_id, step, coef, percent, since in rows_in_force(
        ids, as_of, window, delayable, groups={pk: g[2] for pk, g in grade_of.items()}, exact=False
    ):
        code, group_id, group, steps, first, increment = grade_of[grade_id]
        key = (group_id, step >= steps, percent == 0, since)
        nominal = nominals.get(key)
        fact = None
        if nominal is None:
            fact = SalaryFact(code, group, steps, first, increment, step, coef, percent, since)
            nominal = nominals[key] = SalaryCase(book, fact).nominal
        # the exact test of the window (``rows_in_force`` read it a few days wider)
        if nominal >= end or (nominal < as_of and person_id not in delayable):
            continue
        cases[person_id] = fact or SalaryFact(
            code, group, steps, first, increment, step, coef, percent, since
        )
        keys[person_id] = (group_id, step >= steps, percent == 0, since)
    if not cases:
        return []
    people: dict[int, tuple[str, str, int]] = {}
    ratings: dict[int, list[RatingFact]] = defaultdict(list)
    first_year = min(f.step_since.year for f in cases.values())
    facts: dict[tuple[int, str], RatingFact] = {}  # shared (frozen) facts of the years not KHT
    decided: set[int] = set()
    for chunk in _id_sets(sorted(cases)):
        # a raise already decided (a later row written by a decision dated on or before the as-of
        # date) is no longer due; a past date's list keeps those decided after that date
        decided.update(
            SalaryRow.objects.filter(person__in=chunk, from_date__gt=as_of, decision_date__lte=as_of)
            .order_by()
            .values_list("person_id", flat=True)
        )
        # those still in service on the as-of date (tested in SQL: no date converted per row)
        in_service = Q(left_service_date__isnull=True) | Q(left_service_date__gt=as_of)
        for pk, pid, name, unit_id in (
            subtree.filter(in_service, pk__in=chunk)
            .order_by()
            .values_list("id", "personal_id", "full_name", "managing_unit_id")
        ):
            people[pk] = (pid, name, unit_id)
        # the yearly state ratings of the step times (the KHT years' decision dates read above)
        for person_id, year, level in (
            rating_qs.filter(person__in=chunk, period="nam", system=STATE, year__gte=first_year)
            .order_by()  # the schedule reads them as a set of years (KHT ones sorted by year)
            .values_list("person_id", "year", "level")
        ):
            rated: RatingFact | None
            if level == NOT_DONE:
                rated = RatingFact(STATE, year, level, not_done.get((person_id, year)))
            else:
                rated = facts.get((year, level))
                if rated is None:
                    rated = facts[year, level] = RatingFact(STATE, year, level, None)
            ratings[person_id].append(rated)
    # the dates of the schedule of a person without a record that can delay depend only on his
    # row's group, whether his step is the last, whether he holds a percent, and step_since (and
    # on his step time's years being rated): computed once for each of these and shared
    # (``SalaryCase.shared_schedule``)
    memo: dict[object, Any] = {}
    keyed: list[tuple[dt.date, str, int, DueItem]] = []
    for person_id, row in cases.items():
        if person_id not in people or person_id in decided:
            continue
        case = SalaryCase(book, row, tuple(disciplines.get(person_id, ())), tuple(ratings.get(person_id, ())))
        due = case.shared_schedule(memo, keys[person_id]).due
        if not as_of <= due < end:
            continue
        pid, name, unit_id = people[person_id]
        # sorted by due date, then name, ties in this order (as a stable sort of the items)
        keyed.append((due, name, len(keyed), DueItem(person_id, pid, name, unit_id, case.row, case)))
    keyed.sort()
    return [k[3] for k in keyed]


class Window:
    """The salary rows whose step time, without delays, ends in [as_of, end): their
    ``step_since`` lies that many months earlier, for each step time any version of S-4 or S-8
    may give (a few days wider for the ends of months; the exact test is
    ``SalaryCase.nominal``); as a Q (PostgreSQL) or a test in Python (SQLite)."""

    def __init__(self, book: Rulebook, as_of: dt.date, end: dt.date) -> None:
        margin = dt.timedelta(days=4)
        s4, s8 = book.versions("S-4"), book.versions("S-8")
        low_sets = [set(v.params.get("low_groups", [])) for v in s4] or [set()]
        self.low_any: set[str] = set().union(*low_sets)
        self.low_all: set[str] = set.intersection(*low_sets)

        def bounds(months: set[int]) -> list[tuple[dt.date, dt.date]]:
            return [(add_months(as_of, -m) - margin, add_months(end, -m) + margin) for m in sorted(months)]

        self.further = bounds({12} | {int(v.params.get("step_months", 12)) for v in s8})
        self.low = bounds({36} | {int(v.params["months_low"]) for v in s4})
        self.high = bounds({36} | {int(v.params["months_high"]) for v in s4})

    def q(self) -> Q:
        def any_of(pairs: list[tuple[dt.date, dt.date]]) -> Q:
            q = Q(pk__in=[])
            for lo, hi in pairs:
                q |= Q(step_since__gte=lo, step_since__lt=hi)
            return q

        return (
            (Q(beyond_frame_percent__gt=0) & any_of(self.further))
            | (Q(beyond_frame_percent=0, grade__group__code__in=sorted(self.low_any)) & any_of(self.low))
            | (
                Q(beyond_frame_percent=0)
                & ~Q(grade__group__code__in=sorted(self.low_all))
                & any_of(self.high)
            )
        )

    def has(self, group: str, percent: int, since: dt.date) -> bool:
        """The row (its group's code, beyond-frame %, ``step_since``) may be due."""
        if percent:
            return any(lo <= since < hi for lo, hi in self.further)
        if group in self.low_any and any(lo <= since < hi for lo, hi in self.low):
            return True
        return group not in self.low_all and any(lo <= since < hi for lo, hi in self.high)


def rows_in_force(
    ids: Any,
    as_of: dt.date,
    window: Window | None = None,
    also: set[int] | frozenset[int] = frozenset(),
    *,
    groups: dict[int, str] | None = None,
    exact: bool = True,
) -> Iterator[tuple[int, int, int, Any, int, dt.date]]:
    """(person, grade, step, coefficient, beyond-frame %, step since) of the salary row in force
    on ``as_of`` of each person of the ``ids`` subquery (the latest row starting on or before
    it): all of them, or those in ``window`` and those of the persons ``also``.

    One query, one row a person: PostgreSQL's ``DISTINCT ON`` with the window as a condition;
    on SQLite, read by the plain cursor (the sqlite3 module's own date converters, none of the
    ORM's), with a window one scan of the table for the rows whose ``step_since`` is in it (or
    of a person ``also``, passed as one JSON array) kept when no later row starts on or before
    ``as_of``, the window then tested exactly in Python; without one a ``GROUP BY`` whose
    ``MAX()`` picks the row (SQLite's bare columns); elsewhere a portable NOT EXISTS.

    ``exact=False``: on SQLite the rows a few days outside the window are yielded too (the
    caller tests each row's nominal date itself, exactly and once for many rows).

    ``ids=None``: every person's row (the caller tests the persons itself)."""
    cols = ("person_id", "grade_id", "step", "coefficient", "beyond_frame_percent", "step_since")
    rows = SalaryRow.objects.filter(from_date__lte=as_of)
    if ids is not None:
        rows = rows.filter(person__in=ids)
    where = None
    if window is not None:
        where = window.q() | Q(person_id__in=sorted(also)) if also else window.q()
    if connection.vendor == "postgresql":
        rows = rows.order_by("person_id", "-from_date").distinct("person_id")
        if where is not None:
            rows = SalaryRow.objects.filter(pk__in=rows.values("pk")).filter(where).order_by()
        yield from rows.values_list(*cols).iterator(chunk_size=5000)
        return
    if connection.vendor != "sqlite":
        later = SalaryRow.objects.filter(
            person_id=OuterRef("person_id"), from_date__gt=OuterRef("from_date"), from_date__lte=as_of
        )
        rows = rows.filter(~Exists(later)).order_by()
        if where is not None:
            rows = rows.filter(where)
        yield from rows.values_list(*cols).iterator(chunk_size=5000)
        return
    if groups is None:
        groups = dict(Grade.objects.values_list("pk", "group__code"))
    among, sub_params = "", ()
    if ids is not None:
        sub_sql, sub_params = ids.query.sql_with_params()
        # with a window, the unary ``+`` keeps SQLite from driving the query by the subtree's list
        among = f"AND {'' if window is None else '+'}r.person_id IN ({sub_sql}) "
    table = connection.ops.quote_name(SalaryRow._meta.db_table)
    if window is None:
        # everyone's row in force: one GROUP BY whose MAX() picks the row (SQLite's bare columns)
        sql = (
            "SELECT person_id, grade_id, step, CAST(coefficient AS TEXT), beyond_frame_percent, "  # noqa: S608
            f"CAST(step_since AS TEXT), MAX(from_date) FROM {table} r WHERE from_date <= %s "
            f"{among}GROUP BY person_id"
        )
        params: list[Any] = [as_of.isoformat(), *sub_params]
    else:
        # only the rows whose step_since is in one of the windows (or of the persons ``also``),
        # kept when no later row starts on or before ``as_of`` (a probe of the (person, from_date)
        # index for these few rows, instead of a maximum for every person of the subtree). Each window
        # holds the rows ``Window.has`` lets through (beyond-frame rows the further step's, the
        # others S-4's low or high step time by their grade's group), as on PostgreSQL
        def ranges(pairs: list[tuple[dt.date, dt.date]]) -> tuple[str, list[Any]]:
            unique = list(dict.fromkeys((lo.isoformat(), hi.isoformat()) for lo, hi in pairs))
            sql = " OR ".join("(r.step_since >= %s AND r.step_since < %s)" for _ in unique)
            return f"({sql})", [d for pair in unique for d in pair]

        low_ids = sorted(pk for pk, code in groups.items() if code in window.low_any)
        high_ids = sorted(pk for pk, code in groups.items() if code not in window.low_all)
        wanted: list[str] = []
        wanted_params: list[Any] = []
        for test, grade_ids, pairs in (
            ("r.beyond_frame_percent > 0", None, window.further),
            ("r.beyond_frame_percent = 0", low_ids, window.low),
            ("r.beyond_frame_percent = 0", high_ids, window.high),
        ):
            if grade_ids is not None:
                if not grade_ids:
                    continue
                test += f" AND r.grade_id IN ({', '.join(['%s'] * len(grade_ids))})"
            dates, dates_params = ranges(pairs)
            wanted.append(f"({test} AND {dates})")
            wanted_params += [*(grade_ids or ()), *dates_params]
        if also:  # one JSON parameter: ``also`` may hold more ids than SQLite takes parameters
            wanted.append("r.person_id IN (SELECT value FROM json_each(%s))")
            wanted_params.append(json.dumps(sorted(also)))
        sql = (
            "SELECT r.person_id, r.grade_id, r.step, CAST(r.coefficient AS TEXT), "  # noqa: S608
            f"r.beyond_frame_percent, CAST(r.step_since AS TEXT) FROM {table} r "
            f"WHERE r.from_date <= %s AND ({' OR '.join(wanted)}) {among}"
            f"AND NOT EXISTS (SELECT 1 FROM {table} l WHERE l.person_id = r.person_id "
            "AND l.from_date > r.from_date AND l.from_date <= %s)"
        )
        params = [as_of.isoformat(), *wanted_params, *sub_params, as_of.isoformat()]
    coefficients: dict[str, Decimal] = {}  # a scale has few: each text converted once
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(5000):
            for person_id, grade_id, step, coef, percent, since_text, *_max in batch:
                since = dt.date.fromisoformat(since_text)
                if (
                    window is None
                    or not exact
                    or person_id in also
                    or window.has(groups[grade_id], percent, since)
                ):
                    value = coefficients.get(coef)
                    if value is None:
                        value = coefficients[coef] = Decimal(coef).quantize(CENT)
                    yield person_id, grade_id, step, value, percent, since


def _subtree(persons: QuerySet[Person], unit: Unit) -> QuerySet[Person]:
    # no ORDER BY (the person's default ordering): SQLite would sort the subtree's ids
    return persons.filter(managing_unit__path__startswith=unit.path).order_by()


def _person_bound(model: Any, user: Any) -> QuerySet[Any]:
    """``model``'s records (a person's section) that ``user`` may see, to be read for persons
    already in his scope: unfiltered when his grants let through exactly the sections of the
    persons they let through (the same subtrees and own dossier, not a sensitive section), so
    the query does not join the person and his unit a second time; ``restrict`` otherwise."""
    if user is None or grant_scope(model, user) == grant_scope(Person, user):
        return model.objects.all()
    return model.objects.restrict(user)


def _id_sets(ids: list[int]) -> Iterator[Any]:
    """``ids`` as the right side of ``__in``: on SQLite one JSON array (``json_each``), one query
    whatever their number; elsewhere lists of ``CHUNK``."""
    if connection.vendor == "sqlite":
        yield RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))
        return
    for n in range(0, len(ids), CHUNK):
        yield ids[n : n + CHUNK]


def due_command(*, as_of: str, unit: str, months: str) -> dict[str, Any]:
    """``./canbo salary due``: the due list of a unit (the province when none) as JSON data."""
    from django.core.exceptions import ValidationError

    from canbo.core.dates import parse_as_of

    try:
        day = parse_as_of(as_of)
    except ValidationError as exc:
        raise DomainError(f"Ngày không hợp lệ: {as_of} (dùng YYYY-MM-DD).") from exc
    if not (months.isascii() and months.isdigit()):
        raise DomainError(f"Số tháng không hợp lệ: {months}.")
    if unit:
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            raise DomainError(f"Không có đơn vị mã {unit}.")
        roots = [found]
    else:
        roots = list(Unit.objects.get_root_nodes())
    items = [i for root in roots for i in due_list(None, root, day, int(months))]
    return {
        "as_of": day.isoformat(),
        "months": int(months),
        "unit": unit or None,
        "count": len(items),
        "items": [i.to_dict() for i in items],
    }
