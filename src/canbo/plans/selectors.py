"""Reads of the plans app, limited by the user's grants.

Who sees what (issue 6; decided here, tested in ``tests/test_scope.py``):

- a plan and all its tasks, periods and reports are seen by grants covering ``plan.unit`` (the
  organisation board that keeps the plan); officers there change everything;
- a unit also sees the plans in which it leads or coordinates a task, but only those tasks, and
  reports on them for itself; the lead unit's officers may also record the task's status and
  evidence; coordinating units only report;
- a grant elsewhere sees nothing of the plan (404, as a missing record).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.text import slugify

from canbo.core.grants import active_grants, can_change_anything
from canbo.core.params import parse_optional_id, parse_optional_int
from canbo.core.querysets import CHANGE, VIEW, scope_q
from canbo.core.text import fold
from canbo.org.models import Unit, in_force_q
from canbo.plans.extract import Catalogue
from canbo.plans.models import (
    CLOSED_STATUSES,
    Plan,
    ReportingPeriod,
    Task,
    TaskOccurrence,
    TaskReport,
    TaskStatus,
)


def _paths(user: Any, action: str) -> list[str] | None:
    """Unit paths the user's grants cover for ``action``; None means everything (superuser)."""
    if not user.is_authenticated:
        return []
    if getattr(user, "is_superuser", False):
        return None
    return [
        g.unit_path
        for g in active_grants(user)
        if g.unit_path and not g.is_self and (action != CHANGE or g.can_change)
    ]


def _under(lookup: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{lookup}__startswith": p})
    return q


def tasks_for(user: Any, action: str = VIEW) -> QuerySet[Task]:
    """Tasks the user sees (VIEW) or may record status and evidence of (CHANGE)."""
    qs = Task.objects.all()
    paths = _paths(user, action)
    if paths is None:
        return qs
    q = _under("plan__unit__path", paths) | _under("lead_unit__path", paths)
    if action == VIEW:
        coord = Unit.objects.filter(_under("path", paths), coordinated_plan_tasks=OuterRef("pk"))
        return qs.filter(q | Q(Exists(coord)))
    return qs.filter(q)


def board_tasks(user: Any, action: str = VIEW) -> QuerySet[Task]:
    """Tasks of plans the user's grants keep (the board's view: add, correct, delete)."""
    return Task.objects.restrict(user, action)


def plans_for(user: Any, *, kept_above: bool = False) -> QuerySet[Plan]:
    """Plans this user may see: the one rule, for the plans app and the indicators app alike.

    A plan is seen by grants covering the unit that keeps it, and by the units that lead or
    coordinate one of its tasks. ``kept_above`` adds the plans kept by a unit above his granted
    units: a province's plan applies to its districts and communes, whose users see its figures
    computed over their own subtree (the indicators), though not its tasks. ``user`` None is the
    system (commands): every plan.
    """
    if user is None:
        return Plan.objects.all()
    kept = Plan.objects.restrict(user, VIEW)
    paths = _paths(user, VIEW)
    if paths is None:
        return kept
    q = Q(pk__in=kept.values("pk")) | Q(pk__in=tasks_for(user).values("plan_id"))
    if kept_above:
        step = Unit.steplen
        ancestors = {path[:i] for path in paths for i in range(step, len(path) + 1, step)}
        q |= Q(unit__path__in=sorted(ancestors))
    return Plan.objects.filter(q).distinct()


def plans_visible(user: Any) -> QuerySet[Plan]:
    """Plans whose figures the user may see (the indicators' dashboards): ``plans_for`` with the
    plans kept above his units, those that have targets. ``targets`` is the indicators' relation
    to a plan, named here so that plans imports nothing of indicators."""
    return (
        plans_for(user, kept_above=True)
        .filter(targets__isnull=False)
        .distinct()
        .order_by("-issued_on", "number")
    )


def is_board(user: Any, plan: Plan, action: str = VIEW) -> bool:
    """Whether the user's grants cover the unit that keeps the plan."""
    return Plan.objects.restrict(user, action).filter(pk=plan.pk).exists()


def plan_for_page(user: Any, pk: int) -> Plan | None:
    """The plan ``pk`` as ``plans_for(user)`` sees it, with its keeping unit, and three answers
    of its page in the same statement (issue 22; three statements before): ``is_kept`` (whether
    the user's grants cover the keeping unit for CHANGE: ``is_board``'s answer, the same filter),
    ``has_targets`` (the indicators' targets: a plan the user sees is one of ``plans_visible``
    exactly when it has targets, ``plans_for`` being part of ``plans_for(kept_above=True)``) and
    ``has_implements`` (the page reads the plans it implements only when there are some). The
    last two are plain ``EXISTS`` on the relations' tables (an ORM subquery cost as much to
    build as the statement it saved)."""
    plan_table = connection.ops.quote_name(Plan._meta.db_table)
    targets: Any = Plan._meta.get_field("targets")  # the indicators' reverse relation
    implements: Any = Plan._meta.get_field("implements").remote_field.through

    def exists(table: str, column: str) -> RawSQL:
        q = connection.ops.quote_name
        return RawSQL(  # noqa: S611 (models' table and column names, no input)
            f"EXISTS (SELECT 1 FROM {q(table)} WHERE {q(table)}.{q(column)} = {plan_table}.{q('id')})",  # noqa: S608
            (),
            output_field=BooleanField(),
        )

    change = scope_q(Plan, user, CHANGE)
    return (
        plans_for(user)
        .filter(pk=pk)
        .select_related("unit")
        .annotate(
            is_kept=(
                Value(True, output_field=BooleanField())
                if change is None
                else Exists(Plan.objects.filter(change, pk=OuterRef("pk")))
            ),
            has_targets=exists(targets.related_model._meta.db_table, targets.field.column),
            has_implements=exists(implements._meta.db_table, implements._meta.get_field("from_plan").column),
        )
        .first()
    )


def read_task_details(tasks: list[Task]) -> list[Task]:
    """Give each of ``tasks`` its occurrences' due and done dates (``occurrence_dates``: pairs,
    by due date) and its coordinating units' ids (``coordinating_ids``) in two plain statements,
    instead of ``prefetch_related("occurrences", "coordinating_units")`` (the plan page: the
    prefetch machinery and 40-odd occurrence objects were a sixth of the page; issue 22)."""
    ids = [t.pk for t in tasks]
    dates: dict[int, list[tuple[dt.date, dt.date | None]]] = {pk: [] for pk in ids}
    coord: dict[int, list[int]] = {pk: [] for pk in ids}
    if ids:
        occurrences = TaskOccurrence.objects.filter(task_id__in=ids).order_by("task_id", "due")
        for task_id, due, done_on in occurrences.values_list("task_id", "due", "done_on"):
            dates[task_id].append((due, done_on))
        links = Task.coordinating_units.through.objects.filter(task_id__in=ids).order_by()
        for task_id, unit_id in links.values_list("task_id", "unit_id"):
            coord[task_id].append(unit_id)
    for t in tasks:
        t.occurrence_dates = dates[t.pk]  # type: ignore[attr-defined]
        t.coordinating_ids = coord[t.pk]  # type: ignore[attr-defined]
    return tasks


def occurrence_dates(task: Task) -> list[tuple[dt.date, dt.date | None]]:
    """The task's (due, done_on) pairs by due date: those ``read_task_details`` gave it, else
    from its prefetched occurrences."""
    read: list[tuple[dt.date, dt.date | None]] | None = getattr(task, "occurrence_dates", None)
    if read is not None:
        return read
    return [(o.due, o.done_on) for o in task.occurrences.all()]


def periods_for(user: Any, plan: Plan) -> QuerySet[ReportingPeriod]:
    return (
        plan.reporting_periods.all()
        if plans_for(user).filter(pk=plan.pk).exists()
        else plan.reporting_periods.none()
    )


def reports_for(user: Any) -> QuerySet[TaskReport]:
    """Reports the user sees: his units' own, and every report of plans his grants keep."""
    paths = _paths(user, VIEW)
    qs = TaskReport.objects.select_related("unit", "task", "period")
    if paths is None:
        return qs
    return qs.filter(_under("unit__path", paths) | _under("task__plan__unit__path", paths))


def reporting_units_for(user: Any, task: Task) -> list[Unit]:
    """The task's responsible units the user may report for (change grant over the unit)."""
    paths = _paths(user, CHANGE)
    units = [task.lead_unit] if task.lead_unit else []
    units += [u for u in task.coordinating_units.all() if u not in units]
    if paths is None:
        return units
    return [u for u in units if any(u.path.startswith(p) for p in paths)]


# ---------------------------------------------------------------- status of a plan


def open_q() -> Q:
    return ~Q(status__in=CLOSED_STATUSES)


def overdue_tasks(tasks: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    """Open tasks with an occurrence past due and not done."""
    late = TaskOccurrence.objects.filter(task=OuterRef("pk"), done_on__isnull=True, due__lt=today)
    return tasks.filter(open_q()).filter(Exists(late))


def due_within(tasks: QuerySet[Task], today: dt.date, days: int) -> QuerySet[Task]:
    """Open tasks with an occurrence not done, due from today to ``days`` days ahead."""
    soon = TaskOccurrence.objects.filter(
        task=OuterRef("pk"), done_on__isnull=True, due__gte=today, due__lte=today + dt.timedelta(days=days)
    )
    return tasks.filter(open_q()).filter(Exists(soon))


@dataclass
class MissingReport:
    task: Task
    unit: Unit


def missing_reports(period: ReportingPeriod) -> list[MissingReport]:
    """Who has not reported for the period: each task's lead and coordinating units (catalogue
    units only: a lead known only by its words cannot report) without a report."""
    return missing_by_period([period])[period.pk]


def missing_by_period(
    periods: list[ReportingPeriod], tasks_of: dict[int, list[Task]] | None = None
) -> dict[int, list[MissingReport]]:
    """``missing_reports`` of several periods, in a fixed number of statements (not three per
    period): each plan's tasks with their units once, and the reports of all the periods.
    ``tasks_of``: plans whose tasks (with ``lead_unit`` and ``coordinating_units``) the caller
    has read already, by plan id."""
    by_plan: dict[int, list[Task]] = dict(tasks_of or {})
    for plan_id in {p.plan_id for p in periods} - set(by_plan):
        by_plan[plan_id] = list(
            Task.objects.filter(plan_id=plan_id)
            .select_related("lead_unit")
            .prefetch_related("coordinating_units")
            .order_by("order")
        )
    reports = TaskReport.objects.filter(period__in=[p.pk for p in periods])
    done = set(reports.values_list("period_id", "task_id", "unit_id"))
    # Each task's responsible units once, not once per period (a prefetched relation's
    # ``all()`` builds a queryset each time).
    units_of: dict[int, list[tuple[Task, list[Unit]]]] = {}
    for plan_id, plan_tasks in by_plan.items():
        listed = units_of[plan_id] = []
        for task in plan_tasks:
            units = [task.lead_unit] if task.lead_unit else []
            units += [u for u in task.coordinating_units.all() if u not in units]
            listed.append((task, units))
    out: dict[int, list[MissingReport]] = {}
    for period in periods:
        missing = out[period.pk] = []
        for task, units in units_of[period.plan_id]:
            missing += [MissingReport(task, u) for u in units if (period.pk, task.pk, u.pk) not in done]
    return out


def missing_counts(periods: list[ReportingPeriod], tasks: list[Task]) -> dict[int, int]:
    """How many reports each of ``periods`` misses on ``tasks`` (given their ``coordinating_ids``
    by ``read_task_details``): ``len(missing_by_period(...)[period.pk])`` restricted to
    ``tasks``, from ids alone (no unit object), in one statement."""
    done = set(
        TaskReport.objects.filter(period__in=[p.pk for p in periods])
        .order_by()
        .values_list("period_id", "task_id", "unit_id")
    )
    units_of = []
    for task in tasks:
        units = [task.lead_unit_id] if task.lead_unit_id else []
        units += [u for u in task.coordinating_ids if u not in units]  # type: ignore[attr-defined]
        units_of.append((task.plan_id, task.pk, units))
    return {
        period.pk: sum(
            (period.pk, task_id, u) not in done
            for plan_id, task_id, units in units_of
            if plan_id == period.plan_id
            for u in units
        )
        for period in periods
    }


@dataclass
class Dashboard:
    """Counts of a set of tasks; every count has the filter that lists its tasks."""

    total: int = 0
    by_status: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, count)
    overdue: int = 0
    due_30: int = 0
    due_90: int = 0
    reports_overdue: int = 0
    periods_overdue: list[tuple[ReportingPeriod, int]] = field(default_factory=list)
    undated: int = 0


def _not_done(**due: Any) -> Exists:
    return Exists(TaskOccurrence.objects.filter(task=OuterRef("pk"), done_on__isnull=True, **due))


def _counts_of(read: list[Task], today: dt.date) -> tuple[list[tuple[int, str]], dict[str, int]]:
    """``dashboard``'s statements computed from tasks read with their occurrences: the same
    conditions (open: a status not closed; an occurrence not done, due before ``today``, or from
    ``today`` to 30 or 90 days ahead)."""
    soon = {days: today + dt.timedelta(days=days) for days in (30, 90)}
    due = {"overdue": 0, "due_30": 0, "due_90": 0}
    for task in read:
        if task.status in CLOSED_STATUSES:
            continue
        open_due = [due for due, done_on in occurrence_dates(task) if done_on is None]
        due["overdue"] += any(d < today for d in open_due)
        due["due_30"] += any(today <= d <= soon[30] for d in open_due)
        due["due_90"] += any(today <= d <= soon[90] for d in open_due)
    return [(t.pk, t.status) for t in read], due


def dashboard(
    tasks: QuerySet[Task],
    today: dt.date,
    plans: list[Plan] | None = None,
    read: list[Task] | None = None,
    periods_of: list[ReportingPeriod] | None = None,
) -> Dashboard:
    """The counts of ``tasks`` in two statements (their ids and statuses; the overdue and due
    counts in one aggregate, the same filters as ``overdue_tasks`` and ``due_within``), and the
    reports overdue of ``plans``' eight latest periods past their due date. ``read``: the tasks
    of ``tasks`` the caller has read already with their units (then one plan's, all of them),
    and their occurrences: the counts are then computed from them, no statement.
    ``periods_of``: that plan's periods, read already, latest end first."""
    known = {plans[0].pk: read} if plans and len(plans) == 1 and read is not None else None
    if known is not None and read is not None:
        rows, due = _counts_of(read, today)
    else:
        rows = list(tasks.order_by().values_list("pk", "status"))
        soon = {days: today + dt.timedelta(days=days) for days in (30, 90)}
        due = tasks.order_by().aggregate(
            overdue=Count("pk", filter=open_q() & _not_done(due__lt=today)),
            due_30=Count("pk", filter=open_q() & _not_done(due__gte=today, due__lte=soon[30])),
            due_90=Count("pk", filter=open_q() & _not_done(due__gte=today, due__lte=soon[90])),
        )
    counts = Counter(status for _, status in rows)
    board = Dashboard(
        total=sum(counts.values()),
        by_status=[(value, label, counts.get(value, 0)) for value, label in TaskStatus.choices],
        overdue=due["overdue"],
        due_30=due["due_30"],
        due_90=due["due_90"],
    )
    task_ids = {pk for pk, _ in rows}
    if known is not None and periods_of is not None:
        periods = [p for p in periods_of if p.report_due < today][:8]
    else:
        periods = [
            period
            for plan in plans or []
            for period in plan.reporting_periods.filter(report_due__lt=today).order_by("-end")[:8]
        ]
    if known is not None and read is not None and all(hasattr(t, "coordinating_ids") for t in read):
        # The tasks the caller read (``read_task_details``) are all the plan's tasks ``tasks``
        # holds: their missing reports are counted from ids.
        counted = missing_counts(periods, read) if periods else {}
        for period in periods:
            if counted[period.pk]:
                board.periods_overdue.append((period, counted[period.pk]))
                board.reports_overdue += counted[period.pk]
        return board
    # The tasks the caller read are all the plan's tasks ``tasks`` holds: the others would be
    # dropped below anyway.
    missing_of = missing_by_period(periods, known) if periods else {}
    for period in periods:
        missing = [m for m in missing_of[period.pk] if m.task.pk in task_ids]
        if missing:
            board.periods_overdue.append((period, len(missing)))
            board.reports_overdue += len(missing)
    return board


def filter_tasks(tasks: QuerySet[Task], params: dict[str, str], today: dt.date) -> QuerySet[Task]:
    """The task list's filters: ``tinh-trang``, ``qua-han``, ``den-han`` (days), ``don-vi``."""
    status = params.get("tinh-trang", "")
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    if params.get("qua-han"):
        tasks = overdue_tasks(tasks, today)
    days = parse_optional_int(params.get("den-han"), "Số ngày đến hạn (den-han)", minimum=1, maximum=3660)
    if days is not None:
        tasks = due_within(tasks, today, days)
    unit = parse_optional_id(params.get("don-vi"), "Mã đơn vị (don-vi)")
    if unit is not None:
        tasks = tasks.filter(Q(lead_unit_id=unit) | Q(coordinating_units=unit)).distinct()
    return tasks


def unit_tasks(tasks: QuerySet[Task], unit: Unit) -> QuerySet[Task]:
    """Tasks led or coordinated by ``unit`` or a unit under it."""
    coord = Unit.objects.filter(path__startswith=unit.path, coordinated_plan_tasks=OuterRef("pk"))
    return tasks.filter(Q(lead_unit__path__startswith=unit.path) | Q(Exists(coord)))


def unit_missing_reports(
    unit: Unit, tasks: QuerySet[Task], today: dt.date
) -> list[tuple[ReportingPeriod, int]]:
    """Periods past their report due date where ``unit`` (or a unit under it) still owes reports
    on ``tasks``, with the number owed."""
    task_ids = set(tasks.values_list("pk", flat=True))
    plan_ids = set(tasks.values_list("plan_id", flat=True))
    out = []
    periods = list(
        ReportingPeriod.objects.filter(plan_id__in=plan_ids, report_due__lt=today).order_by("-end")[:12]
    )
    missing_of = missing_by_period(periods) if periods else {}
    for period in periods:
        owed = [
            m for m in missing_of[period.pk] if m.task.pk in task_ids and m.unit.path.startswith(unit.path)
        ]
        if owed:
            out.append((period, len(owed)))
    return out


def unit_catalogue(root: Unit | None, day: dt.date, also_on: dt.date | None = None) -> Catalogue:
    """The names of the units in force on ``day`` (or on ``also_on``, the plan's issue date: a
    unit named by an older plan may since have been merged), under ``root`` when given."""
    in_force = in_force_q(day) | in_force_q(also_on) if also_on else in_force_q(day)
    qs = Unit.objects.filter(in_force)
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return Catalogue(qs.values_list("pk", "name", "depth"))


def plan_catalogue(unit: Unit, day: dt.date, issued_on: dt.date | None = None) -> Catalogue:
    """Unit names of the whole province ``unit`` (the plan's keeping unit) belongs to: lead
    units are often outside the board's own subtree. In force on ``day`` or on ``issued_on``."""
    root = Unit.objects.filter(path=unit.path[: Unit.steplen]).first()
    return unit_catalogue(root, day, also_on=issued_on)


def grant_units(user: Any) -> list[Unit]:
    """The units the user's grants are bound to (the per-unit dashboard links, the review's
    hint of the units he may keep a plan in)."""
    ids = [g.unit_id for g in active_grants(user) if g.unit_id and not g.is_self]
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


def user_catalogue(user: Any, day: dt.date, issued_on: dt.date | None = None) -> Catalogue:
    """Unit names of the province the user's grants lie in (a plan not created yet has no
    unit); every unit when they lie in several."""
    roots = {u.path[: Unit.steplen] for u in grant_units(user)}
    root = Unit.objects.filter(path=roots.pop()).first() if len(roots) == 1 else None
    return unit_catalogue(root, day, also_on=issued_on)


def can_create_plans(user: Any) -> bool:
    return can_change_anything(user)


def cited_plan_codes(user: Any, title: str) -> list[str]:
    """Codes of the plans the user sees whose numbers ("18-ĐA/TU") a document's title cites."""
    cited = re.findall(r"\b\d+[-/][\w-]+(?:/[\w-]+)?", title)
    if not cited:
        return []
    return sorted(Plan.objects.restrict(user).filter(number__in=cited).values_list("code", flat=True))


def suggest_plan_code(kind: str, number: str, issued_on: dt.date | None) -> str:
    """A free plan code from the kind and number ("de-an-18-da-tu"), else the kind and year."""
    kind_part = slugify(fold(kind.replace("_", " "))) or "ke-hoach"
    tail = slugify(fold(number).replace("/", " ")) or (str(issued_on.year) if issued_on else "moi")
    base = f"{kind_part}-{tail}"[:55].strip("-")
    code, n = base, 2
    while Plan.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code
