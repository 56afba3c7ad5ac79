"""The yearly number-and-quality report (DOCUMENTS.md §5, RULES.md N-5, N-6), exact as of a date.

The people counted are those of the reporting unit's subtree in service on the date
(``people.service_history.in_service_q``, the lists' rule), within the user's grants: holding a
primary post in the subtree on the date, or, without one, whose dossier is kept there. Each is
counted once, in the row of the sub-unit of his primary post on the date (else of his managing
unit), and his facts are those of the date: age, Party membership running, the highest
qualification of each kind obtained by then, the grade of the salary row in force then. A person
with no salary row is counted by his stored grade, today's value, and the report says how many.

Reads are plain values in a fixed number of queries, whatever the size of the subtree (pinned in
``tests/test_statistics.py``); the table and the people of any cell (the drill-down) come from the
same pass, so a figure and its list cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from canbo.careers.models import Tenure, on_date_q
from canbo.core.dates import age_at
from canbo.org.models import Unit, in_force_q
from canbo.org.selectors import unit_labels
from canbo.people.models import PartyMembership, Person, Qualification
from canbo.people.service_history import in_service_q
from canbo.reports.layouts import Cell, Layout
from canbo.salary.models import Grade, SalaryRow

PATH_STEP = 4
KINH = "01"
NO_RELIGION = "00"


@functools.cache
def grade_group(salary_group: str) -> str:
    """The report's grade column of a salary group (NĐ 204/2004): A3 → chuyên viên cao cấp and
    equivalents, A2 → chính, A1 → chuyên viên, A0 and B → cán sự, C → nhân viên."""
    if salary_group.startswith("A3"):
        return "cvcc"
    if salary_group.startswith("A2"):
        return "cvc"
    if salary_group.startswith("A1"):
        return "cv"
    if salary_group.startswith(("A0", "B")):
        return "can_su"
    if salary_group.startswith("C"):
        return "nhan_vien"
    return ""


@dataclass
class Facts:
    """One person as the report reads him on its date."""

    pk: int
    sex: str
    ethnicity: str
    religion: str
    category: str
    age: int
    row_path: str  # path of the unit that places him in a row
    unit_level: str
    party: bool = False
    levels: dict[str, tuple[int, str]] = field(default_factory=dict)  # kind → (rank, code) highest
    grade: str = ""
    grade_is_today: bool = False


def _test(key: str, value: Any) -> Callable[[Facts], bool]:
    if key == "sex":
        return lambda f: f.sex == value
    if key == "minority":
        return lambda f: (f.ethnicity != KINH) == value
    if key == "religion":
        return lambda f: (f.religion not in ("", NO_RELIGION)) == value
    if key == "party":
        return lambda f: f.party == value
    if key == "category":
        return lambda f: f.category in value
    if key == "unit_level":
        return lambda f: f.unit_level in value
    if key == "grade":
        return lambda f: f.grade in value
    if key == "age_min":
        return lambda f: f.age >= value
    if key == "age_max":
        return lambda f: f.age <= value
    kind = value["kind"]
    if key == "level":
        codes = set(value["codes"])
        return lambda f: f.levels.get(kind, (0, ""))[1] in codes
    rank = value["rank"]  # min_rank
    return lambda f: f.levels.get(kind, (0, ""))[0] >= rank


def compile_when(when: dict[str, Any]) -> Callable[[Facts], bool]:
    """A layout's condition (checked by ``layouts.check_condition``) as one predicate."""
    tests = [_test(k, v) for k, v in when.items()]
    if not tests:
        return lambda f: True
    if len(tests) == 1:
        return tests[0]
    return lambda f: all(t(f) for t in tests)


def matches(f: Facts, when: dict[str, Any]) -> bool:
    return compile_when(when)(f)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    unit_id: int | None = None


@dataclass
class Report:
    layout: Layout
    unit: Unit
    day: dt.date
    rows: list[Row]
    counts: dict[tuple[str, str], int]
    facts: list[Facts]
    row_key: dict[int, str]  # person → his row (besides the total)
    tests: dict[str, Callable[[Facts], bool]]
    grade_today: int  # persons counted by today's grade (no salary row by the date)

    def cell(self, row_key: str, col_key: str) -> list[int]:
        """The persons a figure counts: the same facts and the same test as the figure."""
        test = self.tests.get(col_key)
        if test is None:
            return []
        return [
            f.pk
            for f in self.facts
            if (row_key == TOTAL.key or self.row_key.get(f.pk) == row_key) and test(f)
        ]

    def row_counts(self, row: Row) -> list[int]:
        return [self.counts.get((row.key, c.key), 0) for c in self.layout.columns]

    def table(self) -> list[tuple[Row, list[int]]]:
        return [(r, self.row_counts(r)) for r in self.rows]


def _population(user: Any, unit: Unit, day: dt.date) -> Any:
    held = Tenure.objects.filter(on_date_q(day), is_primary=True, unit__path__startswith=unit.path)
    return (
        Person.objects.restrict(user)
        .filter(in_service_q(day))
        .filter(Q(managing_unit__path__startswith=unit.path) | Q(pk__in=held.values("person_id")))
    )


def collect_facts(user: Any, unit: Unit, day: dt.date, kinds: set[str]) -> list[Facts]:
    """Every person of the report's population with his facts as of ``day``."""
    persons = _population(user, unit, day)
    ids = persons.values("pk")
    rows = list(
        persons.values_list(
            "pk",
            "sex",
            "ethnicity__code",
            "religion__code",
            "category",
            "birth_date",
            "managing_unit__path",
            "managing_unit__level",
            "grade_code",
        )
    )
    posts: dict[int, tuple[dt.date, str, str]] = {}
    for pid, start, path, level in (
        Tenure.objects.restrict(user)
        .filter(on_date_q(day), is_primary=True, unit__path__startswith=unit.path, person__in=ids)
        .values_list("person_id", "start_date", "unit__path", "unit__level")
    ):
        if pid not in posts or start > posts[pid][0]:
            posts[pid] = (start, path, level)
    levels: dict[int, dict[str, tuple[int, str]]] = defaultdict(dict)
    if kinds:
        for pid, kind, level, rank in (
            Qualification.objects.restrict(user)
            .filter(person__in=ids, kind__in=sorted(kinds), obtained_date__lte=day)
            .values_list("person_id", "kind", "level", "level_rank")
        ):
            if rank > levels[pid].get(kind, (0, ""))[0]:
                levels[pid][kind] = (rank, level)
    party = set(
        PartyMembership.objects.restrict(user)
        .filter(person__in=ids, admission_date__lte=day)
        .filter(Q(left_date__isnull=True) | Q(left_date__gt=day))
        .values_list("person_id", flat=True)
    )
    grades: dict[int, tuple[dt.date, str]] = {}
    for pid, start, group in (
        SalaryRow.objects.restrict(user)
        .filter(person__in=ids, from_date__lte=day)
        .values_list("person_id", "from_date", "grade__group__code")
    ):
        if pid not in grades or start > grades[pid][0]:
            grades[pid] = (start, group)
    catalogue = dict(Grade.objects.values_list("code", "group__code"))
    out = []
    for pk, sex, eth, rel, cat, birth, m_path, m_level, grade_code in rows:
        post = posts.get(pk)
        f = Facts(
            pk=pk,
            sex=sex,
            ethnicity=eth or "",
            religion=rel or "",
            category=cat,
            age=age_at(birth, day),
            row_path=post[1] if post else (m_path or ""),
            unit_level=post[2] if post else (m_level or ""),
            party=pk in party,
            levels=levels.get(pk, {}),
        )
        if pk in grades:
            f.grade = grade_group(grades[pk][1])
        elif grade_code:
            f.grade = grade_group(catalogue.get(grade_code, ""))
            f.grade_is_today = bool(f.grade)
        out.append(f)
    return out


def _kinds(layout: Layout, only: str | None = None) -> set[str]:
    kinds = set()
    columns = [c for c in layout.columns if only is None or c.key == only]
    for cell in (*columns, *layout.row_cells):
        for key in ("level", "min_rank"):
            if key in cell.when:
                kinds.add(cell.when[key]["kind"])
    return kinds


TOTAL = Row(key="tong", label="Tổng cộng")
OWN = "rieng"


def compute(user: Any, unit: Unit, day: dt.date, layout: Layout, *, only: str | None = None) -> Report:
    """The report of ``unit``'s subtree on ``day`` in ``layout``; ``only`` a column key for a
    drill-down (the other columns are not computed, nor the facts only they need)."""
    in_population = compile_when(layout.population)
    kinds = _kinds(layout, only)
    facts = [f for f in collect_facts(user, unit, day, kinds) if in_population(f)]
    rows: list[Row] = [TOTAL]
    row_of: dict[int, list[str]] = {}
    if layout.rows == "units":
        children = list(
            Unit.objects.restrict(user)
            .filter(path__startswith=unit.path, depth=unit.depth + 1)
            .filter(in_force_q(day))
            .order_by("path")
            .values_list("pk", "path")
        )
        by_path = {path: pk for pk, path in children}
        rows.append(Row(key=OWN, label=f"{unit.name_on(day)} (trực thuộc)", unit_id=unit.pk))
        labels = unit_labels([pk for pk, _path in children])
        rows.extend(Row(key=path, label=labels.get(pk, ""), unit_id=pk) for pk, path in children)
        extra: dict[str, None] = {}
        for f in facts:
            prefix = f.row_path[: len(unit.path) + PATH_STEP]
            if len(prefix) <= len(unit.path) or not f.row_path.startswith(unit.path):
                key = OWN
            elif prefix in by_path:
                key = prefix
            else:  # a sub-unit closed by the date but still holding someone's post: its own row
                key = prefix
                extra[prefix] = None
            row_of[f.pk] = [TOTAL.key, key]
        if extra:
            closed = dict(Unit.objects.filter(path__in=list(extra)).values_list("path", "pk"))
            labels = unit_labels(closed.values())
            rows.extend(
                Row(key=p, label=labels.get(closed[p], ""), unit_id=closed[p]) for p in extra if p in closed
            )
    else:
        rows.extend(Row(key=c.key, label=c.label) for c in layout.row_cells)
        row_tests = [(c, compile_when(c.when)) for c in layout.row_cells]
        for f in facts:
            row_of[f.pk] = [TOTAL.key, *[c.key for c, test in row_tests if test(f)][:1]]
    tests = {col.key: compile_when(col.when) for col in layout.columns if only is None or col.key == only}
    counts: dict[tuple[str, str], int] = {}
    row_key = {pk: keys[-1] for pk, keys in row_of.items() if len(keys) > 1}
    for col_key, test in tests.items():
        matched = [f.pk for f in facts if test(f)]
        counts[(TOTAL.key, col_key)] = len(matched)
        for rk, n in Counter(row_key[pk] for pk in matched if pk in row_key).items():
            counts[(rk, col_key)] = n
    if layout.rows == "units" and not any(r == OWN for r in row_key.values()):
        rows = [r for r in rows if r.key != OWN]
    return Report(
        layout=layout,
        unit=unit,
        day=day,
        rows=rows,
        counts=counts,
        facts=facts,
        row_key=row_key,
        tests=tests,
        grade_today=sum(1 for f in facts if f.grade_is_today),
    )


def column(layout: Layout, key: str) -> Cell | None:
    return next((c for c in layout.columns if c.key == key), None)
