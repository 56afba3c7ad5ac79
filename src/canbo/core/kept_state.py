"""Values kept per process across the writes that cannot change them (issue 22, the write mix).

A list's count and a name search's count and page ids are kept per process and were keyed by
the change log's newest entry (``core.conditional.latest_change``): any write anywhere — a
PATCH of someone's other names — made every server process count the province's 40,000 or
160,000 dossiers again (18 ms of PostgreSQL at 40,000, for the person list alone), and under
the busy office's write mix (one request in ten a write) nearly every list was counted afresh.

``KeptByChanges`` keeps each value with the newest entry of its computation and the text of
the statements it was computed from (``reads``: their SQL, and any table read by other code).
Asked again later, it reads the change-log entries written since (one indexed range read, at
most ``MAX_CHANGES`` of them; the same range is read once per process) and reuses the value
when none of them can alter it:

- a change to a record whose table the statements do not name cannot change what they return;
- an update whose changed columns (the entry's before and after differ) are none of the
  quoted identifiers of the statements cannot either: the statements read no other column of
  that row, and an update does not add or remove rows (the columns an entry leaves out,
  ``audit_exclude`` — the row's version and times —, count as changed by every update);
- a table filled from another one by triggers or in bulk (the name-word table from the person
  rows) is declared with ``add_derived_table``: a change of its source's listed columns, or a
  new or deleted source row, counts as a change of it.

A transaction still in flight when a value is computed may hold an entry older than the
newest one read (PostgreSQL hands out ids in the order of the inserts, not of the commits) and
commit afterwards: on PostgreSQL the write transactions in flight for the snapshot that read
the newest entry (``IN_FLIGHT_SQL``, in the same statement) are kept with the value, and the
value is not reused once one of them may have committed (``pg_xact_status``). (A transaction
with an id past the snapshot's ``xmax`` is read from the sessions a moment after the snapshot:
one that commits within that moment of the same statement is missed, as every in-flight one
was, until the next write, when the newest entry was the whole key.) On SQLite the writers are
serialized, so an entry's id is given in commit order.

Anything else counts as a change that may alter the value: a create or delete in a named table,
a changed column that is named, a table the statements name that is neither a change-logged
record's nor declared (nothing says when it changes), an entry of a type no longer known, more
than ``MAX_CHANGES`` entries since, and a log that went back (a restored backup: the kept entry
is gone or has another time). Every write goes through the audited services, whose entries hold
the whole record before and after (``ChangeLoggedModel.snapshot``), which is what makes this
exact — as it made the newest entry an exact key before.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connections

from canbo.core.models import ChangeLoggedModel, ObjectChange

# More entries than this since a value was kept: it is computed again rather than checked.
MAX_CHANGES = 64

Stamp = tuple[int, str]  # (id, time) of the change log's newest entry, as ``latest_change`` gives

# table read by the statements -> [(source table, source columns)]
_derived: dict[str, list[tuple[str, frozenset[str]]]] = {}
_QUOTED = re.compile(r'"([^"]+)"')


def add_derived_table(table: str, source: str, columns: tuple[str, ...] | frozenset[str]) -> None:
    """Declare that ``table`` holds what the rows of ``source`` say in ``columns`` (kept in step
    by triggers or by the writing code, with no change-log entry of its own)."""
    entry = (source, frozenset(columns))
    if entry not in _derived.setdefault(table, []):
        _derived[table].append(entry)


_logged_tables: dict[str, bool] | None = None
# change-logged table -> its columns left out of the entries (``audit_exclude``: the row's
# version and times, a token's hash…), which change without showing in before/after
_unlogged_columns: dict[str, frozenset[str]] = {}


def _tables() -> dict[str, bool]:
    """Every model table: True when its records are change-logged."""
    global _logged_tables
    if _logged_tables is None:
        models = apps.get_models(include_auto_created=True)
        for m in models:
            if issubclass(m, ChangeLoggedModel):
                excluded = set(m.audit_exclude)
                _unlogged_columns[m._meta.db_table] = frozenset(
                    f.column for f in m._meta.concrete_fields if f.name in excluded
                )
        _logged_tables = {m._meta.db_table: issubclass(m, ChangeLoggedModel) for m in models}
    return _logged_tables


class _Reads:
    """What a text of statements reads: tables (logged, derived, unknown) and quoted names."""

    def __init__(self, text: str) -> None:
        names = set(_QUOTED.findall(text))
        known = _tables()
        # A derived table may be named unquoted by hand-written SQL: look for its name as a word.
        self.derived = {t for t in _derived if re.search(rf"\b{re.escape(t)}\b", text)}
        self.tables = {n for n in names if n in known}
        # a model table whose rows are not change-logged, nor declared derived: nothing says
        # when it changes
        self.unknown = any(not known[t] and t not in self.derived for t in self.tables)
        self.names = names

    def touched_by(self, table: str | None, action: str, columns: frozenset[str]) -> bool:
        if table is None or self.unknown:
            return True
        for derived in self.derived:
            for source, source_columns in _derived[derived]:
                if source == table and (action != ObjectChange.Action.UPDATE or columns & source_columns):
                    return True
        if table not in self.tables:
            return False
        if action != ObjectChange.Action.UPDATE:
            return True
        return bool((columns | _unlogged_columns.get(table, frozenset())) & self.names)


_Change = tuple[str | None, str, frozenset[str]]  # (table, action, changed columns)


def _table_of(content_type_id: int) -> str | None:
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None
    return model._meta.db_table if model is not None else None


def _changed(before: Any, after: Any) -> frozenset[str]:
    b = before if isinstance(before, dict) else {}
    a = after if isinstance(after, dict) else {}
    return frozenset(k for k in set(b) | set(a) if b.get(k) != a.get(k))


_ranges: OrderedDict[tuple[str, Stamp, Stamp], list[_Change] | None] = OrderedDict()
_ranges_lock = threading.Lock()
_RANGES_MAX = 64


def changes_between(db: str, since: Stamp, now: Stamp) -> list[_Change] | None:
    """The changes logged after ``since`` up to ``now``; None when they cannot be told (too
    many, or the log went back: ``since`` is gone or has another time)."""
    key = (db, since, now)
    with _ranges_lock:
        if key in _ranges:
            _ranges.move_to_end(key)
            return _ranges[key]
    rows = list(
        ObjectChange.objects.using(db)
        .filter(id__gte=since[0], id__lte=now[0])
        .order_by("id")
        .values_list("id", "time", "content_type_id", "action", "prechange_data", "postchange_data")[
            : MAX_CHANGES + 2
        ]
    )
    found: list[_Change] | None
    if (
        not rows
        or rows[0][0] != since[0]
        or rows[0][1].isoformat() != since[1]
        or rows[-1][0] != now[0]
        or rows[-1][1].isoformat() != now[1]
        or len(rows) > MAX_CHANGES + 1
    ):
        found = None
    else:
        found = [(_table_of(ct), action, _changed(b, a)) for _id, _t, ct, action, b, a in rows[1:]]
    with _ranges_lock:
        _ranges[key] = found
        while len(_ranges) > _RANGES_MAX:
            _ranges.popitem(last=False)
    return found


# On PostgreSQL, read in the statement that reads the newest entry (``core.conditional``): the
# write transactions in flight for that statement's snapshot — an id the entry's reading could
# not see belongs to one of them. The snapshot lists those below its ``xmax`` (less those of
# another database of the cluster); the ones from ``xmax`` on are implied, not listed, and are
# read from this database's sessions (their 32-bit ids widened to the snapshot's epoch).
# A listed transaction's session is found by the lock it holds on its own id (``pg_locks``,
# read live): ``pg_stat_activity`` is read once per transaction and kept until its end, so
# inside a longer transaction (a test's) its ``backend_xid`` would be an earlier statement's,
# while a session's database does not change.
IN_FLIGHT_SQL = """(WITH s AS (SELECT pg_current_snapshot() AS snap),
 m AS (SELECT pg_snapshot_xmax(snap)::text::bigint AS top FROM s)
SELECT array_agg(DISTINCT v) FROM (
 SELECT x::text AS v FROM s, pg_snapshot_xip(s.snap) x
  WHERE NOT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
   WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
   AND a.datname <> current_database()
   AND l.transactionid::text = mod(x::text::bigint, 4294967296)::text)
 UNION ALL
 SELECT (m.top - mod(m.top, 4294967296) + a.backend_xid::text::bigint)::text FROM m, pg_stat_activity a
  WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()
   AND a.backend_xid::text::bigint >= mod(m.top, 4294967296)) t)"""


def _still_in_flight(db: str, xids: tuple[str, ...]) -> tuple[str, ...] | None:
    """Those of ``xids`` still running (aborted ones are dropped); None when one may have
    committed (``pg_xact_status``: committed, or too old to be known)."""
    with connections[db].cursor() as cur:
        cur.execute("SELECT x, pg_xact_status(x::xid8) FROM unnest(%s::text[]) x", [list(xids)])
        status = dict(cur.fetchall())
    if any(v not in ("in progress", "aborted") for v in status.values()):
        return None
    return tuple(x for x, v in status.items() if v == "in progress")


class KeptByChanges:
    """Values kept per process by key, each reused until a change that may alter it."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._values: OrderedDict[Any, tuple[Stamp, _Reads, tuple[str, ...], Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, db: str, key: Any, stamp: Stamp) -> Any:
        """The value kept for ``key`` if no change logged up to ``stamp`` may alter it, else
        None. ``stamp`` 0 (an empty log) keeps nothing."""
        with self._lock:
            found = self._values.get(key)
            if found is not None:
                self._values.move_to_end(key)
        if found is None:
            return None
        kept_stamp, reads, in_flight, value = found
        if in_flight:
            running = _still_in_flight(db, in_flight)
            if running is None:
                return None  # a write that was running when the value was computed committed
            in_flight = running
        if kept_stamp != stamp:
            if kept_stamp[0] >= stamp[0] or stamp[0] == 0:
                return None
            changes = changes_between(db, kept_stamp, stamp)
            if changes is None or any(reads.touched_by(*c) for c in changes):
                return None
        if (kept_stamp, in_flight) != (found[0], found[2]):
            with self._lock:  # holds as of ``stamp`` now: the next request need not look back
                if self._values.get(key) is found:
                    self._values[key] = (stamp, reads, in_flight, value)
        return value

    def put(self, key: Any, stamp: Stamp, reads: str, value: Any, in_flight: tuple[str, ...] = ()) -> None:
        """Keep ``value``, computed when ``stamp`` was the newest entry, from statements
        ``reads``, with ``in_flight`` (the transactions in flight when ``stamp`` was read:
        ``core.conditional.writes_in_flight``)."""
        with self._lock:
            self._values[key] = (stamp, _Reads(reads), in_flight, value)
            self._values.move_to_end(key)
            while len(self._values) > self.maxsize:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
        with _ranges_lock:
            _ranges.clear()
