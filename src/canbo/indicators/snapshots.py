"""Per-date snapshots of the engine's results, computed once and invalidated by the writes.

``compute_many`` answers ``engine.compute`` requests from ``IndicatorSnapshot`` rows (one query
for all of a page's requests) and computes, then stores, only the missing ones. A snapshot's
key hashes every input of the computation besides the records: the definitions (code, version,
spec), the dates, the unit's path, the depth, the SQL of the user's scope conditions and
``ENGINE_VERSION``. Its ``last_day`` is the latest date it counts on.

Exactness. Every audited write (``core.services.log_change``, ``bulk_log_created``) calls
``invalidate`` inside its own transaction: a change to a dated row of the records the engine
reads (tenure, membership, qualification, Party membership, service event, planning entry)
deletes the snapshots whose ``last_day`` is on or after the earliest date in the row's old and
new values (a row counts only on days from its start on; a renewal looks back from later days
only); a change to an undated record the engine reads (a person's counted fields, a unit, a
title, an area, an ethnicity, a planning list) deletes all of them; other records, none.

A computation that raced with a write must not be stored with the old numbers. The writer
also moves an epoch in its transaction (PostgreSQL: ``nextval`` of a sequence under a shared
advisory lock, so writers do not wait for each other; SQLite: a counter row, writers are
serialized anyway). A reader notes the epoch before computing and stores only if, in the
storing transaction, no writer is in flight (PostgreSQL: the advisory lock taken exclusively
without waiting; SQLite: the IMMEDIATE transaction holds the write lock) and the epoch has
not moved. A writer that committed in between moved it; a writer still in flight makes the
reader skip storing; a writer that starts later deletes the stored row.

Refreshing in the background. The snapshots of today's dashboards (today and the trend's
years before it) that a write deletes are computed again right after its commit by the task
``refresh_snapshots``, so that the next visit reads them instead of counting: ``invalidate``
collects their scopes (definitions, unit, user, depth: stored beside each snapshot), one
set per transaction, and enqueues at the commit one task per scope and set of dates, unless
the same one is still waiting in the queue. The task computes through ``compute_many``:
only what is still missing, under the same race guard as a page.

``fresh()`` turns snapshots and the fact tables (``indicators.facts``) off in a block (the
bench's "before", the exactness test's reference computation: every number from the records).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import OperationalError, connection, models, transaction
from django.utils import timezone
from django_tasks import task

from canbo.careers.models import BodyMembership, Tenure
from canbo.core.dates import today
from canbo.core.services import at_batch_end
from canbo.indicators import engine, facts
from canbo.indicators.engine import Result
from canbo.indicators.models import IndicatorDefinition, IndicatorSnapshot, SnapshotEpoch
from canbo.org.models import AdminArea, Title, Unit
from canbo.people.models import Ethnicity, PartyMembership, Person, Qualification, ServiceEvent
from canbo.planning.models import PlanningEntry, PlanningList

# Bump when the engine's counting changes: older snapshots are then never read again.
ENGINE_VERSION = 1
# Snapshots older than this are dropped when new ones are stored: the table holds the dates and
# units people look at, not every one ever asked for.
KEEP = dt.timedelta(days=30)
LOCK_KEY = 0x43414E424F  # PostgreSQL advisory lock "CANBO"
TREND_YEARS = 6  # the dashboard's trend: today and the same day of the five years before

# Rows that count only from their earliest date on.
DATED: tuple[type[models.Model], ...] = (
    Tenure,
    BodyMembership,
    Qualification,
    PartyMembership,
    ServiceEvent,
    PlanningEntry,
)
# Records read on every date.
UNDATED: tuple[type[models.Model], ...] = (Person, Unit, Title, AdminArea, Ethnicity, PlanningList)
# The person's columns the engine reads (``test_snapshots`` checks them against its SQL). A new
# person counts nowhere until a dated row of his is written: creating one invalidates nothing.
PERSON_FIELDS = frozenset(
    {
        "id",
        "birth_date",
        "sex",
        "ethnicity_id",
        "home_town_id",
        "category",
        "service_from",
        "service_until",
        "managing_unit_id",
    }
)
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
logger = logging.getLogger(__name__)

_enabled: ContextVar[bool] = ContextVar("indicator_snapshots", default=True)


@contextlib.contextmanager
def fresh() -> Iterator[None]:
    """Compute everything from the records in this block, without reading or storing snapshots."""
    token = _enabled.set(False)
    try:
        with engine.from_records():
            yield
    finally:
        _enabled.reset(token)


@dataclass
class Request:
    """The arguments of one ``engine.compute`` call."""

    definitions: list[IndicatorDefinition]
    day: dt.date
    unit: Unit | None = None
    user: Any = None
    depth: int | None = None
    key: str = field(default="", init=False)
    last_day: dt.date = field(default=dt.date.min, init=False)


def compute(
    definitions: list[IndicatorDefinition],
    *,
    day: dt.date,
    unit: Unit | None = None,
    user: Any = None,
    depth: int | None = None,
) -> dict[str, dict[str, Result]]:
    """``engine.compute``, from a snapshot when one holds it."""
    return compute_many([Request(definitions, day, unit, user, depth)])[0]


def compute_many(requests: list[Request]) -> list[dict[str, dict[str, Result]]]:
    """The results of each request, in order: one query reads the snapshots of all of them."""
    if not _enabled.get():
        return [_compute(r) for r in requests]
    scopes: dict[int, engine.Scope] = {}
    for r in requests:
        r.key = _key(r, scopes)
        # A management scope (diện quản lý) is read from the tenures running today: any dated
        # write may move a person in or out of it, whatever the date counted.
        r.last_day = dt.date.max if "careers_tenure" in scopes[_user_id(r.user)].key else r.day
    found = dict(
        IndicatorSnapshot.objects.filter(key__in=[r.key for r in requests]).values_list("key", "data")
    )
    missing = [r for r in requests if r.key not in found]
    if missing:
        ok, epoch = _epoch()
        computed = _compute_missing(missing, scopes)
        if ok:
            _store(computed, missing, epoch)
        found.update(computed)
    return [_load(found[r.key]) for r in requests]


def _compute_missing(missing: list[Request], scopes: dict[int, engine.Scope]) -> dict[str, Any]:
    """The stored form of each missing request's results. The requests that differ only by their
    date (the trend's years) are computed together: one counting statement per source for all
    their dates (``engine.compute_days``), not one per date."""
    groups: dict[tuple[Any, ...], list[Request]] = {}
    for r in missing:
        same = (tuple(d.pk for d in r.definitions), r.unit.pk if r.unit else None, _user_id(r.user), r.depth)
        groups.setdefault(same, []).append(r)
    computed: dict[str, Any] = {}
    for group in groups.values():
        first = group[0]
        by_day = engine.compute_days(
            first.definitions,
            days=[r.day for r in group],
            unit=first.unit,
            user=first.user,
            depth=first.depth,
            scope=scopes[_user_id(first.user)],
        )
        for r in group:
            computed[r.key] = _dump(by_day[r.day])
    return computed


def _compute(r: Request) -> dict[str, dict[str, Result]]:
    return engine.compute(r.definitions, day=r.day, unit=r.unit, user=r.user, depth=r.depth)


def _user_id(user: Any) -> int:
    return -1 if user is None else int(getattr(user, "pk", None) or 0)


def _key(r: Request, scopes: dict[int, engine.Scope]) -> str:
    user_id = _user_id(r.user)
    if user_id not in scopes:
        scopes[user_id] = engine.Scope(r.user)
    parts = {
        "v": ENGINE_VERSION,
        "defs": [(d.code, d.version, d.kind, d.spec) for d in r.definitions],
        "day": r.day.isoformat(),
        "unit": r.unit.path if r.unit is not None else None,
        "depth": r.depth,
        "scope": scopes[user_id].key,
    }
    raw = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def _dump(results: dict[str, dict[str, Result]]) -> dict[str, Any]:
    return {code: {branch: asdict(res) for branch, res in by.items()} for code, by in results.items()}


def _load(data: dict[str, Any]) -> dict[str, dict[str, Result]]:
    return {code: {branch: Result(**res) for branch, res in by.items()} for code, by in data.items()}


# ---- epoch and storage ----------------------------------------------------------------------


def _epoch() -> tuple[bool, int]:
    """(no writer in flight, the epoch), read before computing and again when storing.

    PostgreSQL: a sequence is not transactional, so "no writer in flight" (nobody holds the
    advisory lock that writers take, shared, with their ``nextval``) is what says that every
    write up to the epoch is committed. SQLite: the counter row moves with the write's commit,
    and the storing transaction (IMMEDIATE) waits for writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT pg_try_advisory_xact_lock(%s), last_value, is_called FROM indicators_snapshot_epoch",
                [LOCK_KEY],
            )
            free, value, called = cur.fetchone()
            return bool(free), int(value) if called else 0
    value = SnapshotEpoch.objects.filter(pk=1).values_list("value", flat=True).first()
    return value is not None, value or 0


def _scope(r: Request) -> dict[str, Any] | None:
    """What ``refresh_snapshots`` needs to compute ``r`` again (None: a user without an id)."""
    user = None if r.user is None else getattr(r.user, "pk", None)
    if r.user is not None and user is None:
        return None
    return {
        "defs": [d.pk for d in r.definitions],
        "unit": r.unit.pk if r.unit is not None else None,
        "user": user,
        "depth": r.depth,
    }


def _store(computed: dict[str, Any], requests: list[Request], epoch: int) -> None:
    """Keep the computed results unless a write raced with them. A reader that cannot write now
    (SQLite busy past its timeout behind a long import) keeps nothing: the page is served all
    the same, and the next visit stores them."""
    try:
        with transaction.atomic():
            free, now = _epoch()
            if not free or now != epoch:
                return  # a write raced with the computation: keep nothing
            IndicatorSnapshot.objects.filter(computed_at__lt=timezone.now() - KEEP).delete()
            IndicatorSnapshot.objects.bulk_create(
                [
                    IndicatorSnapshot(
                        key=r.key, last_day=r.last_day, day=r.day, scope=_scope(r), data=computed[r.key]
                    )
                    for r in {r.key: r for r in requests}.values()
                ],
                ignore_conflicts=True,
            )
    except OperationalError:
        logger.warning("Không lưu được kết quả chỉ tiêu đã tính (cơ sở dữ liệu đang bận).")


def invalidate(
    model: type[models.Model], before: dict[str, Any] | None, after: dict[str, Any] | None
) -> None:
    """Delete the snapshots a logged change may alter, and keep the fact tables exact
    (``facts.on_change``; ``core.services`` calls it in the writing transaction)."""
    batch = at_batch_end("indicators.snapshots", _BatchEnd)
    bumped = False
    if facts.watches(model):
        if batch is None:
            _bump()  # PostgreSQL: under the shared lock a rebuild of the facts takes exclusively
        else:
            batch.bump()
        bumped = True
        facts.on_change(model, before, after)
    if issubclass(model, DATED):
        since = _earliest(before, after)
    elif issubclass(model, UNDATED):
        if model is Person and before is None and after is not None:
            return  # created: counts nowhere until a dated row of his is written
        if model is Person and before is not None and after is not None:
            changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
            if not changed & PERSON_FIELDS:
                return
        since = None
    else:
        return
    if batch is not None:
        if not bumped:
            batch.owed += 1
        batch.add(since)
        return
    if not bumped:
        _bump()
    _delete_since(since)


def _delete_since(since: dt.date | None) -> None:
    rows = IndicatorSnapshot.objects.all()
    if since is not None:
        rows = rows.filter(last_day__gte=since)
    _refresh_after_commit(rows)
    rows.delete()


class _BatchEnd:
    """``invalidate`` inside a ``deferred_log`` batch (``core.services.at_batch_end``): the
    snapshots are deleted once, at the batch's end, from the earliest day of its changes — the
    same rows deleted and the same scopes refreshed as after each change (the union of "on or
    after each day" is "on or after the earliest") — and the epoch moves by as many steps as the
    changes moved it, the last of them after the last change, as before."""

    def __init__(self) -> None:
        self.locked = False  # the first watched change moved the epoch (and took the lock)
        self.owed = 0  # the steps of the epoch left for the end
        self.changed = False
        self.since: dt.date | None = None

    def bump(self) -> None:
        """A watched change: the first moves the epoch now (PostgreSQL: the shared lock a
        rebuild of the facts waits for, held to the end of the transaction), the others at the end."""
        if self.locked:
            self.owed += 1
        else:
            _bump()
            self.locked = True

    def add(self, since: dt.date | None) -> None:
        if not self.changed:
            self.since = since
        elif self.since is not None:
            self.since = None if since is None else min(self.since, since)
        self.changed = True

    def __call__(self) -> None:
        if self.owed:
            _bump(self.owed)
        if self.changed:
            _delete_since(self.since)


def _earliest(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dt.date | None:
    """The earliest date among the row's old and new values; None (every date) when unknown."""
    days = [
        dt.date.fromisoformat(v)
        for values in (before, after)
        if values
        for v in values.values()
        if isinstance(v, str) and ISO_DAY.match(v)
    ]
    return min(days) if days else None


def _bump(steps: int = 1) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            if steps == 1:
                cur.execute(
                    "SELECT pg_advisory_xact_lock_shared(%s), nextval('indicators_snapshot_epoch')",
                    [LOCK_KEY],
                )
            else:
                cur.execute(
                    "SELECT pg_advisory_xact_lock_shared(%s), nextval('indicators_snapshot_epoch') "
                    "FROM generate_series(1, %s)",
                    [LOCK_KEY, steps],
                )
            return
    if not SnapshotEpoch.objects.filter(pk=1).update(value=models.F("value") + steps):
        SnapshotEpoch.objects.create(pk=1, value=steps)


# ---- refreshing in the background -----------------------------------------------------------


def dashboard_days(day: dt.date | None = None) -> list[dt.date]:
    """The dates today's dashboard shows: today and the same day of the years of its trend."""
    day = day or today()
    return [engine.years_before(day, k) for k in range(TREND_YEARS)]


class _Refresh:
    """The scopes whose snapshots of today's dashboard one transaction deleted, enqueued at its
    commit (``transaction.on_commit``): one task per scope, however many writes it made."""

    def __init__(self) -> None:
        self.scopes: dict[str, tuple[dict[str, Any], set[dt.date]]] = {}
        self.done = False

    def add(self, scope: dict[str, Any], day: dt.date) -> None:
        key = json.dumps(scope, sort_keys=True)
        self.scopes.setdefault(key, (scope, set()))[1].add(day)

    def __call__(self) -> None:
        self.done = True
        for scope, days in self.scopes.values():
            enqueue_refresh(scope, sorted(days))


def _refresh_after_commit(rows: models.QuerySet[IndicatorSnapshot]) -> None:
    stale = list(rows.filter(day__in=dashboard_days(), scope__isnull=False).values_list("scope", "day"))
    if not stale:
        return
    callbacks = [entry[1] for entry in connection.run_on_commit]
    pending = next((f for f in callbacks if isinstance(f, _Refresh) and not f.done), None)
    refresh = pending or _Refresh()
    for scope, day in stale:
        if scope is not None and day is not None:  # filtered above; the columns are nullable
            refresh.add(scope, day)
    if pending is None:
        transaction.on_commit(refresh, robust=True)  # a failed enqueue must not fail the write


def enqueue_refresh(scope: dict[str, Any], days: list[dt.date]) -> None:
    """Enqueue ``refresh_snapshots`` for ``scope`` on ``days``, unless the same task is still
    waiting in the database queue (writes in a row coalesce into one computation)."""
    iso = [d.isoformat() for d in days]
    args = [scope, iso]
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(refresh_snapshots.get_backend(), DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.ready().filter(task_path=refresh_snapshots.module_path)
        if any(a.get("args") == args for a in waiting.values_list("args_kwargs", flat=True)):
            return
    refresh_snapshots.enqueue(scope, iso)


@task()
def refresh_snapshots(scope: dict[str, Any], days: list[str]) -> int:
    """Compute again, and store, the snapshots of ``scope`` (definitions, unit, user, depth) on
    ``days`` (ISO dates) that are missing; returns how many of them are stored now. Nothing when a
    definition, the unit or the user is gone."""
    from django.contrib.auth import get_user_model

    by_pk = IndicatorDefinition.objects.in_bulk(scope["defs"])
    if len(by_pk) != len(set(scope["defs"])):
        return 0
    definitions = [by_pk[pk] for pk in scope["defs"]]
    unit = None
    if scope["unit"] is not None:
        unit = Unit.objects.filter(pk=scope["unit"]).first()
        if unit is None:
            return 0
    user = None
    if scope["user"] is not None:
        user = get_user_model().objects.filter(pk=scope["user"], is_active=True).first()
        if user is None:
            return 0
    requests = [Request(definitions, dt.date.fromisoformat(d), unit, user, scope["depth"]) for d in days]
    compute_many(requests)
    return IndicatorSnapshot.objects.filter(key__in=[r.key for r in requests]).count()
