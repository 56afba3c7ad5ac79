"""Fact tables of the indicators: the person's counted attributes copied onto the counted rows.

``TenureFact`` holds one row per primary tenure, ``MembershipFact`` one per body membership:
the row's own columns (person, title or body, unit, kind, dates) with the person's birth date,
sex, category, Kinh or not, service dates, "local" (home town in the unit's area or one of its
sub-areas, RULES.md K-3) computed once, and for each qualification condition of the rulebook
(kind, minimum rank; ``FactState.conditions``, at most ``FACT_SLOTS``) the FIRST date the
person met it: "holds a qualification of that kind and rank obtained by D" is exactly "that
first date <= D". The engine's table statements (``engine._count`` over the whole subtree)
read them instead of joining the person, his qualifications, his home town and his
ethnicity (docs/performance.md, "Session 12: the dashboard's fact tables").

Exactness. ``snapshots.invalidate`` (every audited write, in its transaction) calls
``on_change``: the fact rows of the tenure, membership or person written are deleted and
inserted again from the records, in the same transaction; a unit given another area, an area
re-parented or an ethnicity recoded refreshes the people it concerns. A write in bulk (no
values: ``bulk_log_created``, the import's bulk writer) cannot name its rows: it marks the
facts stale (``FactState.valid`` false, ``generation`` moved) and enqueues ``rebuild_facts``
at its commit; until a rebuild has run, the engine counts from the records. A rebuild takes
the snapshots' advisory lock exclusively on PostgreSQL (writers take it shared), so it sees
every committed write and no write runs beside it; SQLite serializes writers anyway.

A condition the facts do not hold (a qualification condition without a column, an ethnicity
other than Kinh or minority) makes the engine use its statement on the records: never a
wrong count.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django_tasks import task

from canbo.indicators.models import FACT_SLOTS, FactState, MembershipFact, TenureFact
from canbo.indicators.statements import kept_rows

OPEN = dt.date(9999, 12, 31)  # the end date of an open row on the facts
LOCK_KEY = 0x43414E424F  # the snapshots' advisory lock "CANBO" (``snapshots.LOCK_KEY``)
SLOT_COLUMNS = [f"q{k}" for k in range(1, FACT_SLOTS + 1)]
# The person's columns copied onto the facts: a change to another one refreshes nothing.
PERSON_FIELDS = frozenset(
    {"birth_date", "sex", "category", "ethnicity_id", "home_town_id", "service_from", "service_until"}
)
_CODE = re.compile(r"^[a-z0-9_]+$")

COMMON = [
    "person_id",
    "start_date",
    "end_date",
    "birth_date",
    "sex",
    "category",
    "kinh",
    "service_from",
    "service_until",
    "is_local",
    *SLOT_COLUMNS,
]
TENURE_COLUMNS = ["tenure_id", "title_id", "unit_id", *COMMON]
MEMBERSHIP_COLUMNS = ["membership_id", "body_id", "kind", *COMMON]


class NotInFacts(Exception):
    """A condition the fact tables do not hold: count from the records."""


# ---- the conditions -------------------------------------------------------------------------


def rulebook_conditions(definitions: Any = None) -> list[tuple[str, int]]:
    """The qualification conditions (kind, minimum rank) of the tenure and membership
    populations' numerators and ``where`` conditions, in a stable order; the first
    ``FACT_SLOTS`` get a column."""
    if definitions is None:
        from canbo.indicators.models import IndicatorDefinition

        definitions = IndicatorDefinition.objects.all()
    found: set[tuple[str, int]] = set()
    for spec in definitions.values_list("spec", flat=True):
        if not isinstance(spec, dict):
            continue
        pop = spec.get("population") or {}
        if pop.get("source") not in ("tenure", "membership"):
            continue
        for num in (spec.get("numerator"), pop.get("where")):
            quals = (num or {}).get("qualification")
            for qual in quals if isinstance(quals, list) else [quals] if quals else []:
                kind, rank = qual.get("kind"), qual.get("min_rank")
                if isinstance(kind, str) and _CODE.match(kind) and isinstance(rank, int):
                    found.add((kind, rank))
    return sorted(found)[:FACT_SLOTS]


def slots() -> dict[tuple[str, int], str] | None:
    """The fact column of each qualification condition; None when the facts are stale."""
    rows = kept_rows(
        ("fact state",),
        [],
        lambda _days: (FactState.objects.filter(pk=1).values("valid", "conditions"), None),
    )
    if not rows or not rows[0]["valid"]:
        return None
    return {(str(kind), int(rank)): SLOT_COLUMNS[k] for k, (kind, rank) in enumerate(rows[0]["conditions"])}


# ---- the statements -------------------------------------------------------------------------


def _qual_columns(conditions: list[tuple[str, int]]) -> str:
    cols = []
    for k, column in enumerate(SLOT_COLUMNS):
        if k < len(conditions):
            kind, rank = conditions[k]
            assert _CODE.match(kind) and isinstance(rank, int)  # noqa: S101 (inlined: checked codes only)
            when = f"kind = '{kind}' AND level_rank >= {int(rank)}"
            cols.append(f"MIN(CASE WHEN {when} THEN obtained_date END) AS {column}")
    return ", ".join(cols)


def _insert_sql(source: str, conditions: list[tuple[str, int]], where: str, qual_where: str) -> str:
    """``INSERT … SELECT`` of the fact rows of ``source`` ("tenure" or "membership") whose record
    meets ``where`` (on alias ``r``), the first dates from the qualifications meeting
    ``qual_where`` (on ``people_qualification``)."""
    if source == "tenure":
        table, columns = TenureFact._meta.db_table, TENURE_COLUMNS
        own = "r.id, r.title_id, r.unit_id"
        records, unit = "careers_tenure", "r.unit_id"
        where = f"r.is_primary AND ({where})"
    else:
        table, columns = MembershipFact._meta.db_table, MEMBERSHIP_COLUMNS
        own = "r.id, r.body_id, r.kind"
        records, unit = "careers_bodymembership", "r.body_id"
    if conditions:
        firsts = ", ".join(
            f"q.{c}" if k < len(conditions) else "CAST(NULL AS DATE)" for k, c in enumerate(SLOT_COLUMNS)
        )
        qual_join = (
            f"LEFT JOIN (SELECT person_id, {_qual_columns(conditions)} FROM people_qualification "  # noqa: S608 (constants and checked codes)
            f"WHERE {qual_where} GROUP BY person_id) q ON q.person_id = r.person_id"
        )
    else:
        firsts = ", ".join("CAST(NULL AS DATE)" for _ in SLOT_COLUMNS)
        qual_join = ""
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 (constants and checked codes)
        f"SELECT {own}, r.person_id, r.start_date, COALESCE(r.end_date, '{OPEN.isoformat()}'), "
        "p.birth_date, p.sex, p.category, "
        "CASE WHEN e.code = '01' THEN TRUE ELSE FALSE END, p.service_from, p.service_until, "
        "CASE WHEN p.home_town_id = u.area_id OR a.parent_id = u.area_id THEN TRUE ELSE FALSE END, "
        f"{firsts} "
        f"FROM {records} r JOIN people_person p ON p.id = r.person_id "
        f"JOIN org_unit u ON u.id = {unit} "
        "JOIN people_ethnicity e ON e.id = p.ethnicity_id "
        "LEFT JOIN org_adminarea a ON a.id = p.home_town_id "
        f"{qual_join} WHERE {where}"
    )


def _current_conditions() -> list[tuple[str, int]]:
    state = FactState.objects.filter(pk=1).values_list("conditions", flat=True).first()
    return [(str(k), int(r)) for k, r in state or []]


def _refresh_people(people_sql: str, params: list[Any], *, without_qualification: int | None = None) -> None:
    """The fact rows of the people ``people_sql`` selects (a ``SELECT`` of person ids), again
    from the records. ``without_qualification``: a qualification about to be deleted (the
    listener runs before ``audited_delete`` deletes the row)."""
    conditions = _current_conditions()
    qual_where = f"person_id IN ({people_sql})"
    qual_params = list(params)
    if without_qualification is not None:
        qual_where += " AND id <> %s"
        qual_params.append(without_qualification)
    with connection.cursor() as cur:
        for source, model in (("tenure", TenureFact), ("membership", MembershipFact)):
            cur.execute(f"DELETE FROM {model._meta.db_table} WHERE person_id IN ({people_sql})", params)  # noqa: S608
            sql = _insert_sql(source, conditions, f"r.person_id IN ({people_sql})", qual_where)
            cur.execute(sql, (qual_params if conditions else []) + params)


def _refresh_row(source: str, pk: int, *, deleted: bool) -> None:
    """The fact row of one tenure or membership, again from the records (none when deleted)."""
    model = TenureFact if source == "tenure" else MembershipFact
    records = "careers_tenure" if source == "tenure" else "careers_bodymembership"
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {model._meta.db_table} WHERE {model._meta.pk.column} = %s", [pk])  # noqa: S608
        if deleted:
            return
        conditions = _current_conditions()
        qual_where = f"person_id = (SELECT person_id FROM {records} WHERE id = %s)"  # noqa: S608 (a constant)
        sql = _insert_sql(source, conditions, "r.id = %s", qual_where)
        cur.execute(sql, ([pk] if conditions else []) + [pk])


def rebuild() -> bool:
    """Every fact row again from the records, the conditions again from the rulebook; the facts
    are valid afterwards unless a write in bulk committed meanwhile. Returns whether they are."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        state, _ = FactState.objects.select_for_update().get_or_create(pk=1)
        generation = state.generation
        conditions = rulebook_conditions()
        with connection.cursor() as cur:
            for source, model in (("tenure", TenureFact), ("membership", MembershipFact)):
                cur.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
                cur.execute(_insert_sql(source, conditions, "1 = 1", "1 = 1"))
        return bool(
            FactState.objects.filter(pk=1, generation=generation).update(
                valid=True, conditions=[list(c) for c in conditions], rebuilt_at=timezone.now()
            )
        )


def mark_stale() -> None:
    """A write whose rows are not known: count from the records until ``rebuild_facts`` has run
    (enqueued at the commit; a rebuild still waiting in the queue is not enqueued twice)."""
    if not FactState.objects.filter(pk=1).update(valid=False, generation=models.F("generation") + 1):
        FactState.objects.create(pk=1, valid=False, generation=1)
    transaction.on_commit(_enqueue_rebuild, robust=True)


def _enqueue_rebuild() -> None:
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(rebuild_facts.get_backend(), DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        if DBTaskResult.objects.ready().filter(task_path=rebuild_facts.module_path).exists():
            return  # one waiting rebuild covers every write committed before it runs
    rebuild_facts.enqueue()


@task()
def rebuild_facts() -> bool:
    """The background rebuild after writes in bulk (``mark_stale``); nothing when a rebuild at the
    end of the bulk job (``rebuild_if_stale``) already made them valid."""
    return rebuild_if_stale()


def rebuild_if_stale() -> bool:
    """At the end of a bulk job: rebuild now when a write left the facts stale."""
    if FactState.objects.filter(pk=1, valid=True).exists():
        return False
    rebuild()
    return True


# ---- the listener ---------------------------------------------------------------------------


def watches(model: type[models.Model]) -> bool:
    """Whether a change to ``model`` may change the facts (``on_change`` acts on it)."""
    from canbo.careers.models import BodyMembership, Tenure
    from canbo.indicators.models import IndicatorDefinition
    from canbo.org.models import AdminArea, Unit
    from canbo.people.models import Ethnicity, Person, Qualification, ServiceEvent

    watched = (Tenure, BodyMembership, Qualification, ServiceEvent, Person, Unit, AdminArea, Ethnicity)
    return issubclass(model, (*watched, IndicatorDefinition))


def on_change(model: type[models.Model], before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Keep the facts exact after one logged change (``snapshots.invalidate``, in the writing
    transaction, after the row is written, or before it is deleted)."""
    from canbo.careers.models import BodyMembership, Tenure
    from canbo.indicators.models import IndicatorDefinition
    from canbo.org.models import AdminArea, Unit
    from canbo.people.models import Ethnicity, Person, Qualification, ServiceEvent

    if not watches(model):
        return
    if issubclass(model, IndicatorDefinition):
        if after is not None and set(rulebook_conditions()) - set(_current_conditions()):
            transaction.on_commit(_enqueue_rebuild, robust=True)  # a condition without a column yet
        return
    if before is None and after is None:
        mark_stale()
        return
    values = after or before or {}

    def changed(*names: str) -> bool:
        return before is None or after is None or any(before.get(n) != after.get(n) for n in names)

    if issubclass(model, Tenure | BodyMembership):
        source = "tenure" if issubclass(model, Tenure) else "membership"
        _refresh_row(source, int(values["id"]), deleted=after is None)
    elif issubclass(model, Qualification):
        people = {v["person_id"] for v in (before, after) if v}
        gone = int(before["id"]) if before is not None and after is None else None
        for pk in people:
            _refresh_people("SELECT %s", [pk], without_qualification=gone)
    elif issubclass(model, ServiceEvent):
        for pk in {v["person_id"] for v in (before, after) if v}:
            _refresh_people("SELECT %s", [pk])
    elif issubclass(model, Person):
        if before is None:
            return  # created: no tenure or membership yet
        if after is None:
            with connection.cursor() as cur:
                for m in (TenureFact, MembershipFact):
                    cur.execute(f"DELETE FROM {m._meta.db_table} WHERE person_id = %s", [before["id"]])  # noqa: S608
        elif changed(*PERSON_FIELDS):
            _refresh_people("SELECT %s", [after["id"]])
    elif issubclass(model, Unit):
        if before is not None and after is not None and changed("area_id"):
            _refresh_people(
                "SELECT person_id FROM careers_tenure WHERE unit_id = %s "
                "UNION SELECT person_id FROM careers_bodymembership WHERE body_id = %s",
                [values["id"], values["id"]],
            )
    elif issubclass(model, AdminArea):
        if before is not None and after is not None and changed("parent_id"):
            _refresh_people("SELECT id FROM people_person WHERE home_town_id = %s", [values["id"]])
    elif issubclass(model, Ethnicity) and before is not None and after is not None and changed("code"):
        _refresh_people("SELECT id FROM people_person WHERE ethnicity_id = %s", [values["id"]])


def rows() -> dict[str, set[tuple[Any, ...]]]:
    """Every fact row (the exactness test compares them with a rebuild)."""
    return {
        "tenure": set(TenureFact.objects.values_list(*TENURE_COLUMNS)),
        "membership": set(MembershipFact.objects.values_list(*MEMBERSHIP_COLUMNS)),
    }
