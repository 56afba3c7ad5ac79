"""The indicator engine: definitions (``spec``) turned into SQL over the records, as of a date.

Populations are rows running on the date: primary tenures (``careers.Tenure``), memberships
(``careers.BodyMembership``) or planning entries (``planning.PlanningEntry``, counted in the
subtree of the unit keeping the list, among the lists the user may see). Numerators are
conditions on the same rows (the person's birth date, sex, ethnicity, home town against the
unit's area; qualifications obtained by the date and Party membership as ``IN`` subqueries).
A person is counted once per indicator (``COUNT(DISTINCT person_id)``).

All indicators of one source are computed by ONE query with conditional aggregation (one
``COUNT(DISTINCT … ) FILTER (…)`` pair per indicator), over the whole subtree or grouped by the
ancestor unit at a depth (the breakdown, "every unit of a level"). Nothing loops over people
in Python; unit compliance loops over units (hundreds).

A population is None (not zero) when no unit of the levels the indicator is counted for is in
force in the subtree on the date: the district rows after 1/7/2025.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.db.models.functions import Lower, Substr

from canbo.careers.models import BodyMembership, Tenure, on_date_q
from canbo.core.querysets import scope_q
from canbo.indicators import statements
from canbo.indicators.models import IndicatorDefinition
from canbo.indicators.statements import years_before
from canbo.org.models import Title, Unit, in_force_q
from canbo.people.models import PartyMembership, Person, Qualification
from canbo.people.service_history import in_service_q
from canbo.planning.models import PlanningEntry, PlanningList, planned_on_q

STEP = 4  # treebeard path characters per level

_use_facts: ContextVar[bool] = ContextVar("indicator_facts", default=True)


@contextlib.contextmanager
def from_records() -> Iterator[None]:
    """Count from the records in this block, not from the fact tables (``indicators.facts``)."""
    token = _use_facts.set(False)
    try:
        yield
    finally:
        _use_facts.reset(token)


@dataclass
class Result:
    """One indicator counted for one unit subtree on one date.

    ``status``: ``ok``; ``pending`` (CanBo lacks the data: ``note`` says which); ``absent`` (no
    unit of the levels it is counted for exists on the date: population None); ``empty``
    (population zero: no share).
    """

    numerator: int | None = None
    population: int | None = None
    status: str = "ok"
    note: str = ""
    unit_based: bool = False  # unit compliance counts units, not people
    kind: str = "share"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def fraction(self) -> Fraction | None:
        if self.status != "ok" or not self.population or self.numerator is None:
            return None
        return Fraction(self.numerator, self.population)

    @property
    def value(self) -> float | bool | None:
        """A fraction in [0, 1], True/False for "exists", None when not computable."""
        if self.kind == "exists":
            if self.status not in ("ok", "empty") or self.population is None:
                return None
            return bool(self.numerator)
        f = self.fraction
        return None if f is None else float(f)

    def percent(self) -> str:
        """Two decimals from the exact fraction, Vietnamese format: ``7,87%``."""
        f = self.fraction
        if f is None:
            return ""
        return format_percent(f)


def format_percent(f: Fraction) -> str:
    d = (Decimal(f.numerator) * 100 / Decimal(f.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{d:.2f}".replace(".", ",") + "%"


def format_int(n: int | None) -> str:
    return "" if n is None else f"{n:,}".replace(",", ".")


# ---- building blocks ------------------------------------------------------------------------


def _source(spec: dict[str, Any]) -> str:
    return str(spec["population"]["source"])


def _unit_field(source: str) -> str:
    return {"tenure": "unit", "planning": "planning_list__unit"}.get(source, "body")


def _on(source: str, day: dt.date) -> Q:
    """A row of the source running on ``day``."""
    return planned_on_q(day) if source == "planning" else on_date_q(day)


class Scope:
    """What a user's grants limit the counted rows to: the persons and the planning lists he may
    see (None: no limit), read once per computation."""

    def __init__(self, user: Any) -> None:
        self.persons = None if user is None else scope_q(Person, user)
        self.lists = None if user is None else scope_q(PlanningList, user)

    @functools.cached_property
    def key(self) -> str:
        """The SQL of both conditions with its parameters: the same for the system and for every
        user whose grants cover everything. It names the scope in a kept statement's key
        (``statements``) and in a snapshot's (``snapshots``)."""
        out = []
        for model, q in ((Person, self.persons), (PlanningList, self.lists)):
            if q is None:
                out.append("all")
            else:
                sql, params = model._default_manager.filter(q).values("pk").query.sql_with_params()
                out.append(f"{sql} {params!r}")
        return "\n".join(out)


def _defs_key(defs: list[IndicatorDefinition]) -> tuple[tuple[str, str], ...]:
    """What of ``defs`` the statements are made of (a kept statement's key)."""
    return tuple((d.kind, json.dumps(d.spec, sort_keys=True, default=str)) for d in defs)


def _base(
    source: str, day: dt.date | None, unit: Unit | None, user: Any, scope: Scope | None = None
) -> QuerySet[Any]:
    """Rows of the source running on ``day`` in ``unit``'s subtree, of people ``user`` may see
    (``day`` None: on any date, and in service or not; ``_count_days`` tests both per date).
    ``scope``: ``Scope(user)`` when the caller has it."""
    qs: QuerySet[Any]
    if scope is None:
        scope = Scope(user)
    on = Q() if day is None else _on(source, day)
    if source == "tenure":
        qs = Tenure.objects.filter(on, is_primary=True)
    elif source == "planning":
        qs = PlanningEntry.objects.filter(on)
        # A list is the business of the committee keeping it (planning.selectors).
        if scope.lists is not None:
            qs = qs.filter(planning_list_id__in=PlanningList.objects.filter(scope.lists).values("pk"))
    else:
        qs = BodyMembership.objects.filter(on)
    if unit is not None:
        qs = qs.filter(**{f"{_unit_field(source)}__path__startswith": unit.path})
    # Only the people in service on the day count (a post or seat left open on a retiree's
    # record must not count him).
    if day is not None:
        qs = qs.filter(in_service_q(day, "person__"))
    if scope.persons is not None:
        qs = qs.filter(person_id__in=Person.objects.filter(scope.persons).values("pk"))
    return qs.order_by()


TITLE_KEYS = {
    "title_level": "level",
    "title_group": "group",
    "title_block": "block",
    "management_scope": "management_scope",
    "is_leader": "is_leader",
    "is_key": "is_key",
}


def title_q(pop: dict[str, Any], prefix: str = "") -> Q:
    """The title part of a tenure population (``prefix`` "title__" from a tenure, "" on Title)."""
    q = Q()
    for key, name in TITLE_KEYS.items():
        if key in pop:
            lookup = name if isinstance(pop[key], bool) else f"{name}__in"
            q &= Q(**{f"{prefix}{lookup}": pop[key]})
    if "exclude_title_block" in pop:
        q &= ~Q(**{f"{prefix}block__in": pop["exclude_title_block"]})
    if pop.get("any"):
        q &= reduce(or_, (title_q(sub, prefix) for sub in pop["any"]))
    return q


def _titles(defs: list[IndicatorDefinition]) -> list[int] | None:
    """Ids of the titles any of the tenure populations can hold; None when one has no title
    condition. Most of the rows of a province hold titles no indicator looks at (ordinary civil
    servants, public employees): reading only these titles' tenures, through the index on
    (title, start, end), keeps the single pass short."""
    conditions = [title_q(d.spec["population"]) for d in defs]
    if any(not c for c in conditions):
        return None

    def build(_days: list[dt.date]) -> tuple[QuerySet[Any], dict[str, Any] | None]:
        return Title.objects.filter(reduce(or_, conditions)).values("pk"), None

    key = ("titles", tuple(json.dumps(d.spec["population"], sort_keys=True, default=str) for d in defs))
    return [row["pk"] for row in statements.kept_rows(key, [], build)]


def _population_rows_q(pop: dict[str, Any], category: str) -> Q:
    """The population's titles, units or bodies and categories on a row of its source or on a
    fact row (``category``: where the row's person's category is read)."""
    q = Q()
    if pop["source"] == "tenure":
        q &= title_q(pop, "title__")
        if "unit_kind" in pop:
            q &= Q(unit__kind__in=pop["unit_kind"])
    elif pop["source"] == "planning":
        q &= title_q(pop, "title__")
        if "list_kind" in pop:
            q &= Q(planning_list__kind__in=pop["list_kind"])
    else:
        q &= Q(kind__in=pop["body_kind"])
        if "body_level" in pop:
            q &= Q(body__level__in=pop["body_level"])
    if "category" in pop:
        q &= Q(**{f"{category}__in": pop["category"]})
    return q


def population_q(spec: dict[str, Any], day: dt.date | None = None) -> Q:
    """The population's condition on a row of its source (with ``where``, read on ``day``)."""
    pop = spec["population"]
    q = _population_rows_q(pop, "person__category")
    if pop.get("where") and day is not None:
        q &= condition_q(pop["where"], day, pop["source"])
    return q


def condition_q(
    num: dict[str, Any] | None,
    day: dt.date,
    source: str,
    joins: dict[str, Q] | None = None,
    dated_joins: bool = False,
) -> Q:
    """A numerator condition (spec.NUMERATOR_KEYS) on a row of ``source``, as of ``day``.

    With ``joins`` (the single counting pass, ``_count``), the j-th qualification condition
    becomes a test on the row of the j-th LEFT JOIN of the person's qualifications (its join
    condition, ORed over the indicators, collected in ``joins``); otherwise (the people behind
    a number, unit compliance) a correlated ``EXISTS``. ``dated_joins`` (several dates in one
    statement, whose joins take the qualifications obtained by the latest): the joined row's
    date is tested against ``day`` too."""
    q = Q()
    if not num:
        return q
    if "age_below" in num:  # under N in full years ⇔ born after day − N years
        q &= Q(person__birth_date__gt=years_before(day, num["age_below"]))
    if "age_at_least" in num:
        q &= Q(person__birth_date__lte=years_before(day, num["age_at_least"]))
    if "sex" in num:
        q &= Q(person__sex=num["sex"])
    if "ethnicity" in num:
        eth = num["ethnicity"]
        if eth == "kinh":
            q &= Q(person__ethnicity__code="01")
        elif eth == "thieu_so":
            q &= ~Q(person__ethnicity__code="01")
        else:
            q &= Q(person__ethnicity__code=eth)
    if "qualification" in num:
        quals = num["qualification"]
        position = 0
        for qual in quals if isinstance(quals, list) else [quals]:
            if joins is not None:
                # The j-th qualification condition of a numerator reads the j-th join: the
                # person's qualifications obtained by the date that meet any of the j-th
                # conditions of the indicators counted together (``joins`` collects them).
                name = f"qual{position}"
                joins.setdefault(name, Q())
                joins[name] |= Q(kind=qual["kind"], level_rank__gte=qual["min_rank"])
                q &= Q(**{f"{name}__kind": qual["kind"], f"{name}__level_rank__gte": qual["min_rank"]})
                if dated_joins:
                    q &= Q(**{f"{name}__obtained_date__lte": day})
                position += 1
                continue
            # Correlated EXISTS probing the person's few qualifications, for the counted rows
            # only. ``kind`` is compared through LOWER() so that the planner uses the index on
            # the person, not the one on (kind, rank), which would scan the whole province's
            # qualifications of that kind for every row.
            held = (
                Qualification.objects.annotate(kind_lower=Lower("kind"))
                .filter(person_id=OuterRef("person_id"), kind_lower=qual["kind"])
                .filter(level_rank__gte=qual["min_rank"], obtained_date__lte=day)
            )
            q &= Q(Exists(held))
    if "party_member" in num:
        q &= _party_member_q(num["party_member"], day)
    if num.get("non_local"):
        # RULES.md K-3 with home town as the criterion: local = home town is the unit's area or
        # one of its sub-areas (a district's communes). An unknown home town is not local.
        area = F(f"{_unit_field(source)}__area_id")
        q &= ~(Q(person__home_town_id=area) | Q(person__home_town__parent_id=area))
    return q


def numerator_q(
    defn: IndicatorDefinition, day: dt.date, joins: dict[str, Q] | None = None, dated_joins: bool = False
) -> Q:
    spec = defn.spec
    source = _source(spec)
    q = condition_q(spec.get("numerator"), day, source, joins, dated_joins)
    if defn.kind == "renewal":
        years = spec["renewal"]["previous_years"]
        before = BodyMembership.objects.filter(
            on_date_q(years_before(day, years)), person_id=OuterRef("person_id"), body_id=OuterRef("body_id")
        )
        q &= ~Q(Exists(before))
    return q


def _present_branches(levels: list[str], day: dt.date, unit: Unit | None, length: int | None) -> set[str]:
    """Path prefixes (of ``length``, or "" for the whole subtree) having a unit of ``levels``
    in force on ``day``. Compiled once per process (``statements.kept_rows``)."""

    def build(days: list[dt.date]) -> tuple[QuerySet[Any], dict[str, Any] | None]:
        (day,) = days
        qs = Unit.objects.filter(in_force_q(day), level__in=levels)
        if unit is not None:
            qs = qs.filter(path__startswith=unit.path)
        return (qs.values("path")[:1] if length is None else qs.values("path")), None

    key = ("present", tuple(levels), unit.path if unit is not None else None, length is None)
    paths = [row["path"] for row in statements.kept_rows(key, [day], build)]
    if length is None:
        return {""} if paths else set()
    return {p[:length] for p in paths if len(p) >= length}


# ---- computing ------------------------------------------------------------------------------


def compute(
    definitions: list[IndicatorDefinition],
    *,
    day: dt.date,
    unit: Unit | None = None,
    user: Any = None,
    depth: int | None = None,
) -> dict[str, dict[str, Result]]:
    """Results by definition code, then by branch path ("" = the whole subtree).

    With ``depth`` the rows are grouped by their unit's ancestor at that tree depth (the units
    of the next level under ``unit``, or every unit of a level): branch = its path. Rows in
    ``unit`` itself, above that depth, are grouped under their own (shorter) path.
    """
    return compute_days(definitions, days=[day], unit=unit, user=user, depth=depth)[day]


def compute_days(
    definitions: list[IndicatorDefinition],
    *,
    days: list[dt.date],
    unit: Unit | None = None,
    user: Any = None,
    depth: int | None = None,
    scope: Scope | None = None,
) -> dict[dt.date, dict[str, dict[str, Result]]]:
    """``compute`` on each of ``days``: the counts of one source on every date in ONE statement
    (``_count_days``), not one per date; unit compliance is still counted date by date.
    ``scope``: ``Scope(user)`` when the caller has it."""
    days = sorted(set(days))
    outs: dict[dt.date, dict[str, dict[str, Result]]] = {
        day: {d.code: {} for d in definitions} for day in days
    }
    length = depth * STEP if depth else None
    if scope is None:
        scope = Scope(user)
    by_source: dict[str, list[IndicatorDefinition]] = {}
    for d in definitions:
        for day in days:
            out = outs[day]
            if d.pending or "population" not in d.spec:
                out[d.code][""] = Result(
                    status="pending", note=d.pending or "Chưa có định nghĩa tổng thể.", kind=d.kind
                )
            elif d.kind == "unit_compliance":
                if _source(d.spec) == "unit":
                    from canbo.indicators.planning_units import planning_compliance

                    out[d.code] = planning_compliance(d, day=day, unit=unit, user=user, length=length)
                else:
                    out[d.code] = _compliance(d, day=day, unit=unit, scope=scope, length=length)
        if not (d.pending or "population" not in d.spec or d.kind == "unit_compliance"):
            by_source.setdefault(_source(d.spec), []).append(d)

    for source, defs in by_source.items():
        if len(days) == 1:
            by_day = {days[0]: _count(source, defs, day=days[0], unit=unit, scope=scope, length=length)}
        else:
            by_day = _count_days(source, defs, days=days, unit=unit, scope=scope, length=length)
        for day in days:
            _assemble(outs[day], defs, by_day[day], day=day, unit=unit, length=length)
    return outs


def _assemble(
    out: dict[str, dict[str, Result]],
    defs: list[IndicatorDefinition],
    rows: list[dict[str, Any]],
    *,
    day: dt.date,
    unit: Unit | None,
    length: int | None,
) -> None:
    """The results of ``defs`` (one source) on ``day`` from their counted rows."""
    present: dict[str, set[str]] = {}
    for i, d in enumerate(defs):
        levels = d.spec.get("counted_for")
        key = json.dumps(levels)
        if levels and key not in present:
            present[key] = _present_branches(levels, day, unit, length)
        for row in rows:
            out[d.code][row["branch"]] = Result(numerator=row[f"n{i}"], population=row[f"p{i}"], kind=d.kind)
        if length is None and not rows:
            out[d.code][""] = Result(numerator=0, population=0, kind=d.kind)
        for branch in present.get(key, set()) if levels else ():
            out[d.code].setdefault(branch, Result(numerator=0, population=0, kind=d.kind))
        if length is None:
            out[d.code].setdefault("", Result(numerator=0, population=0, kind=d.kind))
        for branch, res in out[d.code].items():
            if levels and branch not in present[key]:
                res.numerator = res.population = None
                res.status = "absent"
                res.note = "Không có đơn vị thuộc cấp được tính vào ngày này."
            elif res.population == 0:
                res.status = "empty"
            if d.kind == "proportional" and res.status == "ok":
                res.note = f"So sánh với: {d.spec.get('reference', 'cơ cấu dân số địa phương')}."


def _count(
    source: str,
    defs: list[IndicatorDefinition],
    *,
    day: dt.date,
    unit: Unit | None,
    scope: Scope,
    length: int | None,
) -> list[dict[str, Any]]:
    """All the populations (``p<i>``) and numerators (``n<i>``) of ``defs`` (one source) by
    branch, in one statement.

    Qualification conditions are LEFT JOINs of the person's qualifications obtained by the date
    (``condition_q`` with ``joins``): a person holding several matching ones repeats the row,
    which ``COUNT(DISTINCT person_id)`` absorbs. The planners cost such a join as an index probe
    per row (the covering index ``people_qual_indicators``), whereas a correlated ``EXISTS`` in
    each aggregate's FILTER was costed at full price for every row of every aggregate: at
    2.5 million people that pushed PostgreSQL's estimate (7 million) over its JIT inlining and
    optimization thresholds (500,000 by default), seconds of LLVM compilation for a query that
    runs in under one. docs/performance.md, "PostgreSQL at 2,550,000 people".

    Over the whole subtree (the dashboard's table) the tenure and membership statements read the
    fact tables instead (``_count_facts``) when these hold every condition.

    The statement is compiled once per process for these definitions, unit, scope and grouping
    and sent again with the date as a parameter (``statements.kept_rows``)."""
    if length is None and source in ("tenure", "membership") and _use_facts.get():
        counted = _count_facts(source, defs, day=day, unit=unit, scope=scope)
        if counted is not None:
            return counted
    titles = _titles(defs) if source == "tenure" else None

    def build(days: list[dt.date]) -> tuple[QuerySet[Any], dict[str, Any] | None]:
        (day,) = days
        joins: dict[str, Q] = {}
        aggs: dict[str, Any] = {}
        pops = []
        for i, d in enumerate(defs):
            pq = population_q(d.spec, day)
            pops.append(pq)
            aggs[f"p{i}"] = Count("person_id", distinct=True, filter=pq)
            aggs[f"n{i}"] = Count("person_id", distinct=True, filter=pq & numerator_q(d, day, joins))
        qs = _base(source, day, unit, None, scope).filter(reduce(or_, pops))
        if titles is not None:
            qs = qs.filter(title_id__in=titles)
        return _joined_and_grouped(qs, joins, day, source, length, aggs)

    key = ("count", source, _defs_key(defs), unit.path if unit else None, scope.key, length, _ids(titles))
    rows = statements.kept_rows(key, [day], build)
    return [{"branch": "", **rows[0]}] if length is None else rows


def _joined_and_grouped(
    qs: QuerySet[Any],
    joins: dict[str, Q],
    day: dt.date,
    source: str,
    length: int | None,
    aggs: dict[str, Any],
) -> tuple[QuerySet[Any], dict[str, Any] | None]:
    """What a ``build`` of ``_count`` and ``_count_days`` returns to ``statements.kept_rows``: the
    rows with each qualification join (``numerator_q``'s ``joins``) aliased as the person's
    qualifications obtained by ``day``, then either ungrouped with their aggregates (``length``
    None) or grouped by the first ``length`` characters of the unit's path, aggregates annotated."""
    qs = qs.alias(
        **{
            name: FilteredRelation(
                "person__qualification",
                condition=Q(person__qualification__obtained_date__lte=day)
                & _prefixed(cond, "person__qualification__"),
            )
            for name, cond in joins.items()
        }
    )
    if length is None:
        return qs, aggs
    path = f"{_unit_field(source)}__path"
    return qs.annotate(branch=Substr(path, 1, length)).values("branch").annotate(**aggs), None


def _ids(titles: list[int] | None) -> tuple[int, ...] | None:
    return None if titles is None else tuple(titles)


def _count_facts(
    source: str, defs: list[IndicatorDefinition], *, day: dt.date, unit: Unit | None, scope: Scope
) -> list[dict[str, Any]] | None:
    """``_count`` over the whole subtree from ``TenureFact`` or ``MembershipFact``: the same
    rows (a fact row per primary tenure or membership), the person's attributes read from the
    row itself, a qualification condition as "its first date is on or before the day". None
    (count from the records) when the facts are stale or a condition has no fact column."""
    from canbo.indicators import facts
    from canbo.indicators.models import MembershipFact, TenureFact

    slots = facts.slots()
    if slots is None:
        return None
    try:  # the conditions only (cheap: nothing resolved), before the titles are read
        for d in defs:
            fact_population_q(d.spec, day, slots) & fact_condition_q(d.spec.get("numerator"), day, slots)
    except facts.NotInFacts:
        return None
    titles = _titles(defs) if source == "tenure" else None

    def build(days: list[dt.date]) -> tuple[QuerySet[Any], dict[str, Any] | None]:
        (day,) = days
        aggs: dict[str, Any] = {}
        pops = []
        for i, d in enumerate(defs):
            pq = fact_population_q(d.spec, day, slots)
            pops.append(pq)
            aggs[f"p{i}"] = Count("person_id", distinct=True, filter=pq)
            num = fact_condition_q(d.spec.get("numerator"), day, slots)
            if d.kind == "renewal":
                num &= ~Q(Exists(_earlier(d, day)))
            aggs[f"n{i}"] = Count("person_id", distinct=True, filter=pq & num)
        model: Any = TenureFact if source == "tenure" else MembershipFact
        # An open row ends on ``facts.OPEN``: one range of the index on (…, end_date, start_date).
        qs = model.objects.filter(start_date__lte=day, end_date__gte=day)
        qs = qs.filter(in_service_q(day, person_key="person_id"))
        if unit is not None:
            qs = qs.filter(**{f"{_unit_field(source)}__path__startswith": unit.path})
        if scope.persons is not None:
            qs = qs.filter(person_id__in=Person.objects.filter(scope.persons).values("pk"))
        qs = qs.order_by().filter(reduce(or_, pops))
        if titles is not None:
            qs = qs.filter(title_id__in=titles)
        return qs, aggs

    key = (
        "facts",
        source,
        _defs_key(defs),
        unit.path if unit else None,
        scope.key,
        _ids(titles),
        tuple(sorted(slots.items())),
    )
    return [{"branch": "", **statements.kept_rows(key, [day], build)[0]}]


def _earlier(defn: IndicatorDefinition, day: dt.date) -> QuerySet[Any]:
    """A renewal's membership of the same person in the same body ``previous_years`` earlier."""
    years = defn.spec["renewal"]["previous_years"]
    return BodyMembership.objects.filter(
        on_date_q(years_before(day, years)), person_id=OuterRef("person_id"), body_id=OuterRef("body_id")
    )


def _party_member_q(member: bool, day: dt.date) -> Q:
    """The row's person is (``member``) or is not a Party member on ``day``: the same condition
    on a source row and on a fact row (the facts hold no Party membership)."""
    members = (
        PartyMembership.objects.filter(admission_date__lte=day)
        .filter(Q(left_date__isnull=True) | Q(left_date__gt=day))
        .values("person_id")
    )
    return Q(person_id__in=members) if member else ~Q(person_id__in=members)


def fact_population_q(spec: dict[str, Any], day: dt.date, slots: dict[tuple[str, int], str]) -> Q:
    """``population_q`` on a fact row (of a tenure or a membership: the facts hold no planning
    entry)."""
    pop = spec["population"]
    q = _population_rows_q(pop, "category")
    if pop.get("where"):
        q &= fact_condition_q(pop["where"], day, slots)
    return q


def fact_condition_q(num: dict[str, Any] | None, day: dt.date, slots: dict[tuple[str, int], str]) -> Q:
    """``condition_q`` on a fact row; ``facts.NotInFacts`` for a condition the row does not hold."""
    from canbo.indicators.facts import NotInFacts

    q = Q()
    if not num:
        return q
    if "age_below" in num:
        q &= Q(birth_date__gt=years_before(day, num["age_below"]))
    if "age_at_least" in num:
        q &= Q(birth_date__lte=years_before(day, num["age_at_least"]))
    if "sex" in num:
        q &= Q(sex=num["sex"])
    if "ethnicity" in num:
        eth = num["ethnicity"]
        if eth not in ("kinh", "thieu_so"):
            raise NotInFacts(eth)
        q &= Q(kinh=eth == "kinh")
    if "qualification" in num:
        quals = num["qualification"]
        for qual in quals if isinstance(quals, list) else [quals]:
            column = slots.get((qual["kind"], qual["min_rank"]))
            if column is None:
                raise NotInFacts(qual)
            q &= Q(**{f"{column}__lte": day})
    if "party_member" in num:
        q &= _party_member_q(num["party_member"], day)
    if num.get("non_local"):
        q &= Q(is_local=False)
    return q


def _count_days(
    source: str,
    defs: list[IndicatorDefinition],
    *,
    days: list[dt.date],
    unit: Unit | None,
    scope: Scope,
    length: int | None,
) -> dict[dt.date, list[dict[str, Any]]]:
    """``_count`` on each of ``days``, in ONE statement: one scan of the rows that run on any of
    the dates (the trend's years), with a ``COUNT(DISTINCT person_id) FILTER`` pair per
    indicator and date. Each FILTER holds the whole of what ``_count`` puts in its WHERE for
    that date (the row runs on it, the person is in service on it, the population on it), so
    the counts are the same; the qualification joins take what was obtained by the latest date
    and each numerator tests the joined row's date against its own. Compiled once per process
    for as many dates (``statements.kept_rows``), as ``_count``."""
    titles = _titles(defs) if source == "tenure" else None

    def build(days: list[dt.date]) -> tuple[QuerySet[Any], dict[str, Any] | None]:
        joins: dict[str, Q] = {}
        aggs: dict[str, Any] = {}
        for k, day in enumerate(days):
            on = _on(source, day) & in_service_q(day, "person__")
            for i, d in enumerate(defs):
                pq = on & population_q(d.spec, day)
                aggs[f"p{i}_{k}"] = Count("person_id", distinct=True, filter=pq)
                aggs[f"n{i}_{k}"] = Count(
                    "person_id", distinct=True, filter=pq & numerator_q(d, day, joins, dated_joins=True)
                )
        qs = _base(source, None, unit, None, scope)
        qs = qs.filter(reduce(or_, (_on(source, day) for day in days)))
        qs = qs.filter(reduce(or_, (population_q(d.spec) for d in defs)))  # without ``where``: any date
        if titles is not None:
            qs = qs.filter(title_id__in=titles)
        latest = max(days)
        return _joined_and_grouped(qs, joins, latest, source, length, aggs)

    key = ("days", source, _defs_key(defs), unit.path if unit else None, scope.key, length, _ids(titles))
    rows = statements.kept_rows(key, days, build)
    if length is None:
        rows = [{"branch": "", **rows[0]}]
    out: dict[dt.date, list[dict[str, Any]]] = {}
    for k, day in enumerate(days):
        on_day = []
        for row in rows:
            counts = {f"{c}{i}": row[f"{c}{i}_{k}"] for i in range(len(defs)) for c in "pn"}
            # ``_count`` groups only the rows of the date: a branch with none has no row.
            if length is None or any(counts[f"p{i}"] for i in range(len(defs))):
                on_day.append({"branch": row["branch"], **counts})
        out[day] = on_day
    return out


def _prefixed(q: Q, prefix: str) -> Q:
    """``q`` with ``prefix`` put before every lookup (a FilteredRelation's condition names the
    relation path)."""
    out = Q(_connector=q.connector, _negated=q.negated)
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(_prefixed(child, prefix))
        else:
            lookup, value = child  # type: ignore[misc]  # a (lookup, value) pair
            out.children.append((prefix + lookup, value))
    return out


def _compliance(
    defn: IndicatorDefinition, *, day: dt.date, unit: Unit | None, scope: Scope, length: int | None
) -> dict[str, Result]:
    """Units whose staff meet ``eligible`` at ``min_share`` or more; numerator: those of them
    with a leader meeting ``leader``. One grouped query (kept: ``statements.kept_rows``); the
    loop is over units."""
    spec = defn.spec
    comp = spec["compliance"]
    source = _source(spec)
    ufield = _unit_field(source)

    def build(days: list[dt.date]) -> tuple[QuerySet[Any], dict[str, Any] | None]:
        (day,) = days
        qs = _base(source, day, unit, None, scope).filter(population_q(spec, day))
        eligible = condition_q(comp["eligible"], day, source)
        leader = condition_q(comp["leader"], day, source) & Q(title__is_leader=True)
        rows = qs.values(f"{ufield}_id", f"{ufield}__path").annotate(
            staff=Count("person_id", distinct=True),
            elig=Count("person_id", distinct=True, filter=eligible),
            lead=Count("person_id", distinct=True, filter=leader),
        )
        return rows, None

    key = ("compliance", _defs_key([defn]), unit.path if unit else None, scope.key)
    rows = statements.kept_rows(key, [day], build)
    out: dict[str, Result] = {}
    min_share = Fraction(str(comp["min_share"]))
    for row in rows:
        branch = "" if length is None else row[f"{ufield}__path"][:length]
        res = out.setdefault(branch, Result(numerator=0, population=0, unit_based=True, kind=defn.kind))
        if row["staff"] and Fraction(row["elig"], row["staff"]) >= min_share:
            assert res.population is not None and res.numerator is not None  # noqa: S101 (invariant; narrows the type for mypy)
            res.population += 1
            res.numerator += row["lead"] > 0
    if length is None:
        out.setdefault("", Result(numerator=0, population=0, unit_based=True, kind=defn.kind))
    for res in out.values():
        if res.population == 0:
            res.status = "empty"
    return out


def people(
    defn: IndicatorDefinition, *, part: str, day: dt.date, unit: Unit | None, user: Any
) -> QuerySet[Person]:
    """The people an indicator counts: its population (``part="mau"``) or numerator ("tu"),
    limited to those ``user`` may see; the same rows ``compute`` counts."""
    if defn.pending or "population" not in defn.spec or defn.kind == "unit_compliance":
        return Person.objects.none()  # units (or nothing) are counted, not people
    source = _source(defn.spec)
    rows = _base(source, day, unit, user).filter(population_q(defn.spec, day))
    if part == "tu":
        rows = rows.filter(numerator_q(defn, day))
    return Person.objects.filter(pk__in=rows.values("person_id"))
