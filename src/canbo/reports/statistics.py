"""The yearly number-and-quality report (DOCUMENTS.md §5, RULES.md N-5, N-6), exact as of a date.

The people counted are those of the reporting unit's subtree in service on the date
(``people.service_history.in_service_q``, the lists' rule), within the user's grants: holding a
primary post in the subtree on the date, or, without one, whose dossier is kept there. Each is
counted once, in the row of the sub-unit of his primary post on the date (else of his managing
unit), and his facts are those of the date: age, Party membership running, the highest
qualification of each kind obtained by then, the grade of the salary row in force then. A person
with no salary row is counted by his stored grade, today's value, and the report says how many.

The counts are made in the database (issue 18's bench: reading every person's rows into Python
took 1.4 s of CPU at 40,000 people and grew with the province): one statement builds the table of
facts — one row per person of the population, his post, highest qualifications and salary row of
the date picked by window functions from the scoped querysets — and counts every column of every
row over it (``SUM(CASE WHEN … THEN 1 ELSE 0 END)`` grouped by the row). A layout's condition is
translated to SQL in one place (``condition_sql``); the people of a cell (the drill-down) are
selected from the same table with the same condition, so a figure and its list cannot disagree.
The number of queries is fixed, whatever the size of the subtree (pinned in
``tests/test_statistics.py``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from canbo.careers.models import Tenure, on_date_q
from canbo.org.models import Unit, in_force_q
from canbo.org.selectors import unit_labels
from canbo.people.models import PartyMembership, Person, Qualification
from canbo.people.service_history import in_service_q
from canbo.reports.layouts import Cell, Layout
from canbo.salary.models import Grade, SalaryRow

PATH_STEP = 4
KINH = "01"
NO_RELIGION = "00"


# The report's grade column of a salary group (NĐ 204/2004): A3 → chuyên viên cao cấp and
# equivalents, A2 → chính, A1 → chuyên viên, A0 and B → cán sự, C → nhân viên (by the group
# code's first letters; another group has no column).
GRADE_PREFIXES = (
    ("A3", "cvcc"),
    ("A2", "cvc"),
    ("A1", "cv"),
    ("A0", "can_su"),
    ("B", "can_su"),
    ("C", "nhan_vien"),
)


def _grade_sql(expr: str) -> str:
    whens = " ".join(
        f"WHEN SUBSTR({expr}, 1, {len(prefix)}) = '{prefix}' THEN '{group}'"
        for prefix, group in GRADE_PREFIXES
    )
    return f"(CASE {whens} ELSE '' END)"


def _sql(qs: QuerySet[Any]) -> tuple[str, list[Any]]:
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def _date(day: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(day)


def born_by(day: dt.date, years: int) -> dt.date:
    """The latest birth date of someone ``years`` old or more on ``day`` (``core.dates.age_at``:
    a 29 February birthday falls on 1 March in other years)."""
    year = day.year - years
    return dt.date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def condition_sql(when: dict[str, Any], day: dt.date) -> tuple[str, list[Any]]:
    """A layout's condition (checked by ``layouts.check_condition``) as SQL over the fact table's
    columns; the only translation of a condition, used by the counts and by the drill-down."""
    parts: list[str] = []
    params: list[Any] = []

    def among(column: str, values: list[str]) -> None:
        if not values:
            parts.append("1 = 0")
            return
        parts.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
        params.extend(values)

    for key, value in when.items():
        if key == "sex":
            parts.append("f.sex = %s")
            params.append(value)
        elif key == "minority":
            parts.append("f.eth <> %s" if value else "f.eth = %s")
            params.append(KINH)
        elif key == "religion":
            parts.append("f.rel NOT IN ('', %s)" if value else "f.rel IN ('', %s)")
            params.append(NO_RELIGION)
        elif key == "party":
            parts.append(f"f.party = {1 if value else 0}")
        elif key == "category":
            among("f.category", list(value))
        elif key == "unit_level":
            among("f.unit_level", list(value))
        elif key == "grade":
            among("f.grade", list(value))
        elif key == "age_min":  # age on the day >= value
            parts.append("f.birth <= %s")
            params.append(_date(born_by(day, value)))
        elif key == "age_max":  # age on the day <= value, i.e. not value + 1 or more
            parts.append("f.birth > %s")
            params.append(_date(born_by(day, value + 1)))
        elif key == "level":
            among(f"f.lv_{value['kind']}", list(value["codes"]))
        else:  # min_rank
            parts.append(f"f.rk_{value['kind']} >= %s")
            params.append(int(value["rank"]))
    return (" AND ".join(f"({x})" for x in parts) or "1 = 1"), params


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
    facts_sql: tuple[str, list[Any]]  # the fact table with its row key, population applied
    grade_today: int  # persons counted by today's grade (no salary row by the date)
    # a drill-down's column, read with its people in the same statement: row key → persons
    people: dict[str | None, list[int]] | None = None

    def cell(self, row_key: str, col_key: str) -> list[int]:
        """The persons a figure counts: the same fact table and the same condition as the figure."""
        col = column(self.layout, col_key)
        if col is None:
            return []
        if self.people is not None and (len(self.counts) == 0 or (TOTAL.key, col_key) in self.counts):
            if row_key == TOTAL.key:
                return sorted(pk for pks in self.people.values() for pk in pks)
            return sorted(self.people.get(row_key, []))
        sql, params = self.facts_sql
        cond, cond_params = condition_sql(col.when, self.day)
        where = cond
        extra: list[Any] = []
        if row_key != TOTAL.key:
            where = f"f.row_key = %s AND {cond}"
            extra = [row_key]
        with connection.cursor() as cursor:
            cursor.execute(
                f"{sql} SELECT f.pk FROM f WHERE {where} ORDER BY f.pk",  # noqa: S608 (validated layout, values as parameters)
                [*params, *extra, *cond_params],
            )
            return [r[0] for r in cursor.fetchall()]

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


def _kinds(layout: Layout) -> list[str]:
    kinds = set()
    for cell in (*layout.columns, *layout.row_cells, Cell(key="", label="", when=layout.population)):
        for key in ("level", "min_rank"):
            if key in cell.when:
                kinds.add(cell.when[key]["kind"])
    return sorted(kinds)


def facts_sql(user: Any, unit: Unit, day: dt.date, layout: Layout) -> tuple[str, list[Any]]:
    """``WITH … f AS (…)``: one row per person of the report's population with his facts as of
    ``day`` (columns pk, sex, eth, rel, category, birth, unit_level, party, grade, grade_today,
    lv_<kind>, rk_<kind> and row_key). Every input is a scoped queryset of the user's grants."""
    persons = _population(user, unit, day).order_by()
    ids = persons.values("pk")
    base = persons.annotate(
        p_eth=Coalesce(F("ethnicity__code"), Value("")),
        p_rel=Coalesce(F("religion__code"), Value("")),
        p_mpath=Coalesce(F("managing_unit__path"), Value("")),
        p_mlevel=Coalesce(F("managing_unit__level"), Value("")),
        p_group=Subquery(Grade.objects.filter(code=OuterRef("grade_code")).values("group__code")[:1]),
    ).values("pk", "sex", "category", "birth_date", "p_eth", "p_rel", "p_mpath", "p_mlevel", "p_group")
    posts = (
        Tenure.objects.restrict(user)
        .filter(on_date_q(day), is_primary=True, unit__path__startswith=unit.path, person__in=ids)
        .order_by()
        .annotate(
            t_rn=Window(
                RowNumber(), partition_by=[F("person_id")], order_by=[F("start_date").desc(), F("pk").desc()]
            )
        )
        .values("person_id", "unit__path", "unit__level", "t_rn")
    )
    salary = (
        SalaryRow.objects.restrict(user)
        .filter(person__in=ids, from_date__lte=day)
        .order_by()
        .annotate(s_rn=Window(RowNumber(), partition_by=[F("person_id")], order_by=[F("from_date").desc()]))
        .values("person_id", "grade__group__code", "s_rn")
    )
    party = (
        PartyMembership.objects.restrict(user)
        .filter(person__in=ids, admission_date__lte=day)
        .filter(Q(left_date__isnull=True) | Q(left_date__gt=day))
        .order_by()
        .values("person_id")
    )
    ctes: list[tuple[str, QuerySet[Any]]] = [("p", base), ("t", posts), ("s", salary), ("pm", party)]
    kinds = _kinds(layout)
    if kinds:  # one pass over the qualifications for every kind the layout names
        ctes.append(
            (
                "q",
                Qualification.objects.restrict(user)
                .filter(person__in=ids, kind__in=kinds, obtained_date__lte=day, level_rank__gt=0)
                .order_by()
                .annotate(
                    q_rn=Window(
                        RowNumber(),
                        partition_by=[F("person_id"), F("kind")],
                        order_by=[F("level_rank").desc(), F("pk")],
                    )
                )
                .values("person_id", "kind", "level", "level_rank", "q_rn"),
            )
        )
    # The CTEs name their columns (Django names a selected column of another table by its own
    # name); each per-person source keeps one row per person (``rn = 1``). They are put together
    # by UNION ALL and GROUP BY the person, each source filling its own columns: no join, whose
    # plan SQLite got wrong (it scanned a source once per person instead of indexing it).
    names = {
        "p": "(pid, sex, category, birth, eth, rel, mpath, mlevel, grp)",
        "t": "(pid, path, level, rn)",
        "s": "(pid, grp, rn)",
        "pm": "(pid)",
        "q": "(pid, kind, level, rank, rn)",
    }
    parts, params = [], []
    for name, qs in ctes:
        sql, ps = _sql(qs)
        parts.append(f"{name}{names[name]} AS ({sql})")
        params += ps
    text, date, number = "CAST(NULL AS VARCHAR(255))", "CAST(NULL AS DATE)", "CAST(NULL AS INTEGER)"
    columns = ["inp", "sex", "category", "birth", "eth", "rel", "mpath", "mlevel", "grp"]
    columns += ["tpath", "tlevel", "sal", "sgrp", "party"]
    nulls = {c: text for c in columns} | {"birth": date, "inp": number, "sal": number, "party": number}
    for i in range(len(kinds)):
        columns += [f"lv{i}", f"rk{i}"]
        nulls |= {f"lv{i}": text, f"rk{i}": number}
    given: dict[str, dict[str, str]] = {
        "p": {
            "inp": "1",
            **{c: f"p.{c}" for c in ("sex", "category", "birth", "eth", "rel", "mpath", "mlevel", "grp")},
        },
        "t": {"tpath": "t.path", "tlevel": "t.level"},
        "s": {"sal": "1", "sgrp": "s.grp"},
        "pm": {"party": "1"},
        **{f"q{i}": {f"lv{i}": "q.level", f"rk{i}": "q.rank"} for i in range(len(kinds))},
    }
    branches = []
    for name in given:
        values = ", ".join(f"{given[name].get(c, nulls[c])} AS {c}" for c in columns)
        source, where = name, " WHERE rn = 1" if name not in ("p", "pm") else ""
        if name.startswith("q"):  # the kind is a checked layout key
            source, where = "q", f" WHERE rn = 1 AND kind = '{kinds[int(name[1:])]}'"
        branches.append(f"SELECT {source}.pid AS pid, {values} FROM {source}{where}")  # noqa: S608
    merged = ", ".join(f"MAX(u.{c}) AS {c}" for c in columns)
    union = " UNION ALL ".join(branches)
    parts.append(f"m AS (SELECT u.pid AS pid, {merged} FROM ({union}) u GROUP BY u.pid)")  # noqa: S608
    levels = "".join(
        f", COALESCE(m.lv{i}, '') AS lv_{kind}, COALESCE(m.rk{i}, 0) AS rk_{kind}"
        for i, kind in enumerate(kinds)
    )
    today_grade = _grade_sql("m.grp")
    # Constants and checked layout keys only; every value is a parameter.
    facts = (
        "SELECT m.pid AS pk, m.sex AS sex, m.eth AS eth, m.rel AS rel, m.category AS category, "  # noqa: S608
        "m.birth AS birth, COALESCE(m.tpath, m.mpath) AS row_path, "
        "COALESCE(m.tlevel, m.mlevel) AS unit_level, COALESCE(m.party, 0) AS party, "
        f"CASE WHEN m.sal IS NOT NULL THEN {_grade_sql('m.sgrp')} ELSE {today_grade} END AS grade, "
        f"CASE WHEN m.sal IS NULL AND {today_grade} <> '' THEN 1 ELSE 0 END AS grade_today"
        f"{levels} FROM m WHERE m.inp = 1"
    )
    # The row of each person: the sub-unit of the reporting unit his post (else dossier) is in,
    # "rieng" for the unit itself; or, by categories, the first row whose condition he meets.
    if layout.rows == "units":
        n = len(unit.path)
        row_key = (
            f"CASE WHEN LENGTH(x.row_path) <= {n} OR SUBSTR(x.row_path, 1, {n}) <> %s THEN '{OWN}' "
            f"ELSE SUBSTR(x.row_path, 1, {n + PATH_STEP}) END"
        )
        row_params: list[Any] = [unit.path]
    else:
        whens, row_params = [], []
        for cell in layout.row_cells:
            cond, ps = condition_sql(cell.when, day)
            whens.append(f"WHEN {cond.replace('f.', 'x.')} THEN %s")
            row_params += [*ps, cell.key]
        row_key = f"CASE {' '.join(whens)} ELSE NULL END"
    population, pop_params = condition_sql(layout.population, day)
    sql = (
        f"WITH {', '.join(parts)}, f AS (SELECT x.*, {row_key} AS row_key FROM ({facts}) x "  # noqa: S608
        f"WHERE {population.replace('f.', 'x.')})"
    )
    return sql, [*params, *row_params, *pop_params]


TOTAL = Row(key="tong", label="Tổng cộng")
OWN = "rieng"


def compute(user: Any, unit: Unit, day: dt.date, layout: Layout, *, only: str | None = None) -> Report:
    """The report of ``unit``'s subtree on ``day`` in ``layout``; ``only`` a column key for a
    drill-down (the other columns are not counted)."""
    sql, params = facts_sql(user, unit, day, layout)
    columns = [c for c in layout.columns if only is None or c.key == only]
    sums, sum_params = [], []
    for col in columns:
        cond, ps = condition_sql(col.when, day)
        sums.append(f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)")
        sum_params += ps
    people: dict[str | None, list[int]] | None = None
    with connection.cursor() as cursor:
        if only is not None and len(sums) == 1:
            # A drill-down: the column's people with their rows, once; counted here, listed by
            # ``Report.cell`` without a second pass over the fact table.
            cursor.execute(
                f"{sql} SELECT f.row_key, f.pk, f.grade_today, {sums[0][4:-1]} FROM f",  # noqa: S608 (as above)
                [*params, *sum_params],
            )
            people = {}
            tally: dict[str | None, list[int]] = {}
            for row_key, pk, today_n, hit in cursor.fetchall():
                entry = tally.setdefault(row_key, [0, 0])
                entry[0] += int(today_n or 0)
                if hit:
                    entry[1] += 1
                    people.setdefault(row_key, []).append(pk)
            grouped = [(k, today_n, n) for k, (today_n, n) in tally.items()]
        else:
            cursor.execute(
                f"{sql} SELECT f.row_key, SUM(f.grade_today){''.join(', ' + x for x in sums)} "  # noqa: S608 (as above)
                "FROM f GROUP BY f.row_key",
                [*params, *sum_params],
            )
            grouped = cursor.fetchall()
    counts: dict[tuple[str, str], int] = {}
    keys: list[str] = []
    grade_today = 0
    for row_key, today_n, *figures in grouped:
        grade_today += int(today_n or 0)
        if row_key is not None:
            keys.append(row_key)
        for col, n in zip(columns, figures, strict=True):
            n = int(n or 0)
            counts[(TOTAL.key, col.key)] = counts.get((TOTAL.key, col.key), 0) + n
            if row_key is not None and n:
                counts[(row_key, col.key)] = n
    rows: list[Row] = [TOTAL]
    if layout.rows == "units":
        children = list(
            Unit.objects.restrict(user)
            .filter(path__startswith=unit.path, depth=unit.depth + 1)
            .filter(in_force_q(day))
            .order_by("path")
            .values_list("pk", "path")
        )
        by_path = {path: pk for pk, path in children}
        if OWN in keys:
            rows.append(Row(key=OWN, label=f"{unit.name_on(day)} (trực thuộc)", unit_id=unit.pk))
        labels = unit_labels([pk for pk, _path in children])
        rows.extend(Row(key=path, label=labels.get(pk, ""), unit_id=pk) for pk, path in children)
        # a sub-unit closed by the date but still holding someone's post: its own row
        extra = sorted(k for k in keys if k != OWN and k not in by_path)
        if extra:
            closed = dict(Unit.objects.filter(path__in=extra).values_list("path", "pk"))
            labels = unit_labels(closed.values())
            rows.extend(
                Row(key=p, label=labels.get(closed[p], ""), unit_id=closed[p]) for p in extra if p in closed
            )
    else:
        rows.extend(Row(key=c.key, label=c.label) for c in layout.row_cells)
    return Report(
        layout=layout,
        unit=unit,
        day=day,
        rows=rows,
        counts=counts,
        facts_sql=(sql, params),
        grade_today=grade_today,
        people=people,
    )


def column(layout: Layout, key: str) -> Cell | None:
    return next((c for c in layout.columns if c.key == key), None)
