"""The one bulk writer: insert or update many rows of a model with one statement per batch, and
log them in the change log likewise. Used by the spreadsheet import (``imports/apply.py``) and
the demo generator (``demo/generator.py``), the two bulk writers STYLE.md allows on audited
models.

Django's ``bulk_create`` runs every value of every object through the field machinery and
``bulk_log_created`` builds a model instance and a snapshot per record; for a 70,000-person
file that is most of an import's time. Here each field gets one converter, chosen once from
the backend's own adapters (``connection.ops``), rows are plain dicts keyed by attname, and the
log entry of each row is built from the same dict — the same snapshot
``ChangeLoggedModel.snapshot()`` gives, so the history cannot tell the two paths apart
(``imports/tests/test_engine`` compares them).

On PostgreSQL the rows are streamed with ``COPY … FROM STDIN`` (a third of the time of
``executemany`` there, which sends one statement per row); on SQLite one ``executemany``.

Updates are written into a temporary table (``executemany`` on SQLite, ``COPY`` on PostgreSQL)
and applied by one ``UPDATE … FROM`` it. Django's ``bulk_update`` builds a ``CASE WHEN``
expression per field and row, which cost about 4 ms per person and made re-importing 70,000
people take minutes. Each update's log entry holds the before and after snapshots
``audited_update`` would.

Primary keys are reserved before the insert: from the sequence on PostgreSQL (so concurrent
writers never collide, and the sequence is never behind), from ``MAX(id)`` on SQLite, where the
writer's transaction already holds the database's write lock (``transaction_mode = IMMEDIATE``).

Everything runs on the caller's connection, in the caller's transaction: no thread, no second
connection (docs/architecture.md, "Background work").
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from json.encoder import (  # type: ignore[attr-defined] # the C encoder json.JSONEncoder itself uses
    c_make_encoder,
    encode_basestring,
    encode_basestring_ascii,
)
from operator import attrgetter
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models.base import ModelState
from django.utils import timezone

from canbo.core.context import current_context
from canbo.core.models import ChangeLoggedModel, ObjectChange, jsonable
from canbo.core.services import frozen_user_name, notify_bulk
from canbo.core.types import ActingUser

Row = dict[str, Any]
M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any], Any]
# (statements before the UPDATE, statements after it), given the scratch table's name and the
# columns it updates; e.g. ``people.name_words.bulk_rewrite`` for persons on PostgreSQL.
AroundUpdate = Callable[[str, Sequence[str]], tuple[list[str], list[str]]]

UPDATE_TABLE = "canbo_bulk_update"
# SQLite: the values bound to one multi-row INSERT (its historical limit; 3.32+ allows 32,766).
SQLITE_VARIABLES = 999
Reader = Callable[[Any], tuple[Any, ...]]
# content type id, snapshot keys, their reader, (key, converter) of the keys jsonable() changes,
# the key of the related person (None: ask ``audit_person_id()``), the primary key's attname
SnapshotPlan = tuple[int, tuple[str, ...], Reader, list[tuple[str, Converter]], str | None, str | None]


def concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The concrete field ``name`` (or attname) of ``model`` (never a reverse relation)."""
    field_obj = model._meta.get_field(name)
    if not isinstance(field_obj, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field_obj


class BulkWriter:
    """Inserts and updates rows (dicts keyed by attname) and logs each in the change log."""

    def __init__(self, *, acting_user: ActingUser, reason: str) -> None:
        self.now = timezone.now()
        ctx = current_context()
        self.log_common = {
            "user_id": getattr(acting_user, "pk", None),
            "user_name": frozen_user_name(acting_user),
            "request_id": ctx.request_id,
            "source": ctx.source,
            "action": ObjectChange.Action.CREATE,
            "reason": reason[:500],
            "prechange_data": None,
        }
        self.plans: dict[type[models.Model], tuple[str, list[tuple[str, Any, Converter]]]] = {}
        self.sequences: dict[str, int] = {}  # PostgreSQL: table → oid of its id sequence
        # Per model: the reader of its column values and the columns that need a converter
        # (most need none), so that a row costs one C call and a few conversions.
        self.readers: dict[type[models.Model], tuple[Reader, list[tuple[int, Converter]]]] = {}
        self.snapshots: dict[type[models.Model], SnapshotPlan] = {}
        self.log_template: dict[str, list[Any]] = {}  # action → an ObjectChange row's common values
        self.makers: dict[type[models.Model], Callable[..., Any]] = {}
        self.multi_row: dict[tuple[type[models.Model], int], str] = {}

    # -- inserting -----------------------------------------------------------------------------
    def _plan(self, model: type[models.Model]) -> tuple[str, list[tuple[str, Any, Converter]]]:
        if model in self.plans:
            return self.plans[model]
        ops = connection.ops
        qn = ops.quote_name
        now_db = ops.adapt_datetimefield_value(self.now)
        cols: list[tuple[str, Any, Converter]] = []
        for f in model._meta.concrete_fields:
            conv: Converter
            if isinstance(f, models.DateTimeField):
                conv = _const(now_db) if (f.auto_now or f.auto_now_add) else ops.adapt_datetimefield_value
            elif isinstance(f, models.DateField):
                conv = ops.adapt_datefield_value
            elif isinstance(f, models.DecimalField):
                conv = _decimal(ops, f.max_digits, f.decimal_places)
            elif isinstance(f, models.JSONField):
                conv = _json(f.encoder)
            elif isinstance(f, models.UUIDField):
                conv = _uuid(f)
            else:
                conv = _same
            default = None if f.primary_key else f.get_default()
            cols.append((f.attname, default, conv))
        names = ", ".join(qn(f.column) for f in model._meta.concrete_fields)
        sql = f"INSERT INTO {qn(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(cols))})"  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
        self.plans[model] = (sql, cols)
        return sql, cols

    def reserve_ids(self, model: type[models.Model], n: int) -> list[int]:
        table = model._meta.db_table
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                if table not in self.sequences:  # looked up once: per id it cost as much as nextval
                    cur.execute("SELECT pg_get_serial_sequence(%s, 'id')::regclass::oid", [table])
                    self.sequences[table] = cur.fetchone()[0]
                cur.execute(
                    "SELECT nextval(%s::oid::regclass) FROM generate_series(1, %s)",
                    [self.sequences[table], n],
                )
                return [r[0] for r in cur.fetchall()]
            cur.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
            start = (cur.fetchone()[0] or 0) + 1
            return list(range(start, start + n))

    def insert(self, model: type[models.Model], rows: list[Row]) -> list[int]:
        """Insert ``rows`` (completed with defaults); set and return their ids."""
        if not rows:
            return []
        ids = self.reserve_ids(model, len(rows))
        self.insert_params(model, self.params(model, rows, ids))
        return ids

    def insert_objects(self, objs: Sequence[models.Model]) -> None:
        """Insert unsaved model instances of one model, as ``bulk_create`` would but without its
        per-value field machinery: their ids, ``auto_now`` times and saved state are set, so
        that they can be logged (``log_objects``) and referred to afterwards."""
        if not objs:
            return
        model = type(objs[0])
        auto = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
        ]
        read, fix = self._reader(model)
        ids = self.reserve_ids(model, len(objs))
        # The id straight into the instance's dict (what ``obj.pk = pk`` does when the primary key
        # is no relation, minus the property and ``_set_pk_val``: a fifth of this method's time).
        pk_attname = model._meta.pk.attname if not model._meta.pk.is_relation else None
        stamps = dict.fromkeys(auto, self.now)
        params: list[Sequence[Any]] = []
        append = params.append
        for obj, pk in zip(objs, ids, strict=True):
            values_of = obj.__dict__
            if pk_attname is not None:
                values_of[pk_attname] = pk
            else:
                obj.pk = pk
            values_of.update(stamps)
            obj._state.adding = False
            if fix:
                values = list(read(obj))
                for i, conv in fix:
                    values[i] = conv(values[i])
                append(values)
            else:
                append(read(obj))
        self.insert_params(model, params)

    def maker(self, model: type[M]) -> Callable[..., M]:
        """A constructor of unsaved ``model`` instances from keyword arguments naming concrete
        fields (a related object by the field's name, or its id by the attname), equal to
        ``model(**kwargs)`` but without ``Model.__init__``'s per-field machinery (a third of a
        demo build's CPU went into it): the defaults are read once, a callable default is
        called per instance, a related object is cached as its descriptor would cache it."""
        if model not in self.makers:
            self.makers[model] = _maker(model)
        return self.makers[model]

    def _reader(self, model: type[models.Model]) -> tuple[Reader, list[tuple[int, Converter]]]:
        """One C-level getter of the columns' values (by attname, in column order) and the
        (index, converter) of the columns whose converter is not the identity."""
        if model not in self.readers:
            _sql, cols = self._plan(model)
            self.readers[model] = (
                _tuple_getter([a for a, _d, _c in cols]),
                [(i, conv) for i, (_a, _d, conv) in enumerate(cols) if conv is not _same],
            )
        return self.readers[model]

    def params(self, model: type[models.Model], rows: list[Row], ids: list[int]) -> list[tuple[Any, ...]]:
        """The database values of ``rows`` given their reserved ``ids``, in column order."""
        _sql, cols = self._plan(model)
        params = []
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk
            params.append(tuple(conv(row.get(a, default)) for a, default, conv in cols))
        return params

    def insert_params(self, model: type[models.Model], params: Sequence[Sequence[Any]]) -> None:
        """Insert rows already converted by ``params``."""
        if not params:
            return
        if connection.vendor == "postgresql":
            qn = connection.ops.quote_name
            names = ", ".join(qn(f.column) for f in model._meta.concrete_fields)
            _copy(f"COPY {qn(model._meta.db_table)} ({names}) FROM STDIN", params)
        else:
            # Many rows to a statement (``INSERT … VALUES (…), (…), …``): a sixth less CPU than
            # one ``executemany`` (fewer steps of the statement, each binding as many values);
            # the rest of the rows by ``executemany``. The change log's rows one by one inside a
            # savepoint (``_one_by_one``).
            sql, cols = self._plan(model)
            per = max(1, SQLITE_VARIABLES // len(cols))
            whole = len(params) - len(params) % per if per > 1 and not _one_by_one(model) else 0
            with connection.cursor() as cur:
                if whole:
                    many = self._multi_row_sql(model, per)
                    flatten = chain.from_iterable
                    for start in range(0, whole, per):
                        cur.execute(many, list(flatten(params[start : start + per])))
                if whole < len(params):
                    cur.executemany(sql, params[whole:])

    def _multi_row_sql(self, model: type[models.Model], rows: int) -> str:
        """SQLite: the model's ``INSERT`` of ``rows`` rows in one statement (made once)."""
        key = (model, rows)
        if key not in self.multi_row:
            sql, cols = self._plan(model)
            one = "(" + ", ".join(["%s"] * len(cols)) + ")"
            head = sql[: sql.index(" VALUES ")]
            self.multi_row[key] = f"{head} VALUES {', '.join([one] * rows)}"
        return self.multi_row[key]

    # -- updating ------------------------------------------------------------------------------
    def update(
        self,
        model: type[models.Model],
        records: list[Row],
        fields: list[str],
        *,
        around: AroundUpdate | None = None,
    ) -> None:
        """Write ``fields`` (names) of ``records`` (dicts of "id" and attnames).

        The records are copied into a scratch table of the same column types (``COPY`` on
        PostgreSQL, ``executemany`` on SQLite), applied by one ``UPDATE … FROM`` it, and the
        table dropped. ``around`` gives statements to run before and after the ``UPDATE``."""
        if not records:
            return
        _sql, cols = self._plan(model)
        conv_of = {a: c for a, _d, c in cols}
        qn = connection.ops.quote_name
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        targets = [concrete_field(model, name) for name in fields]
        params = [(r["id"], *(conv_of[f.attname](r[f.attname]) for f in targets)) for r in records]
        names = ", ".join(qn(f.column) for f in targets)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE TEMP TABLE {UPDATE_TABLE} ON COMMIT DROP AS "  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
                    f"SELECT {pk}, {names} FROM {table} WITH NO DATA"
                )
                _copy(f"COPY {UPDATE_TABLE} ({pk}, {names}) FROM STDIN", params)
            else:
                # SQLite 3.33+ has UPDATE … FROM: one statement rather than one per record.
                cursor.execute(f"DROP TABLE IF EXISTS temp.{UPDATE_TABLE}")
                cursor.execute(
                    f"CREATE TEMP TABLE {UPDATE_TABLE} AS SELECT {pk}, {names} FROM {table} WHERE 0"  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
                )
                marks = ", ".join(["%s"] * (len(targets) + 1))
                cursor.executemany(f"INSERT INTO {UPDATE_TABLE} ({pk}, {names}) VALUES ({marks})", params)  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
            before, after = around(UPDATE_TABLE, [f.column for f in targets]) if around else ([], [])
            sets = ", ".join(f"{qn(f.column)} = u.{qn(f.column)}" for f in targets)
            for sql in before:
                cursor.execute(sql)
            cursor.execute(f"UPDATE {table} SET {sets} FROM {UPDATE_TABLE} AS u WHERE {table}.{pk} = u.{pk}")  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
            for sql in after:
                cursor.execute(sql)
            cursor.execute(f"DROP TABLE {UPDATE_TABLE}")

    # -- the change log ------------------------------------------------------------------------
    def log_updated(
        self,
        model: type[models.Model],
        entries: list[tuple[int, str, dict[str, Any], dict[str, Any]]],
        person_ids: Sequence[int | None],
    ) -> None:
        """One "update" entry per (id, str(record), before, after), as ``audited_update`` logs it."""
        if not entries:
            return
        ct_id = self.content_type_id(model)
        rows = [
            {
                **self.log_common,
                "action": ObjectChange.Action.UPDATE,
                "content_type_id": ct_id,
                "object_id": pk,
                "object_repr": text[:300],
                "related_person_id": person_id,
                "prechange_data": before,
                "postchange_data": after,
            }
            for (pk, text, before, after), person_id in zip(entries, person_ids, strict=True)
        ]
        self.insert(ObjectChange, rows)
        notify_bulk(model)

    def content_type_id(self, model: type[models.Model]) -> int:
        """The model's content type id (read once, then from Django's cache)."""
        return int(ContentType.objects.get_for_model(model, for_concrete_model=True).pk)

    def log_created(
        self,
        model: type[ChangeLoggedModel],
        rows: list[Row],
        reprs: list[str],
        person_ids: Sequence[int | None],
    ) -> None:
        """One "create" entry per row, with the row's snapshot as ``ChangeLoggedModel.snapshot()``."""
        _sql, cols = self._plan(model)
        exclude = set(model.audit_exclude)
        snap_cols = [(a, d) for a, d, _c in cols if a not in exclude]
        ct_id = self.content_type_id(model)
        entries = []
        for row, text, person_id in zip(rows, reprs, person_ids, strict=True):
            snapshot = {a: jsonable(row.get(a, d)) for a, d in snap_cols}
            entries.append(
                {
                    **self.log_common,
                    "content_type_id": ct_id,
                    "object_id": row["id"],
                    "object_repr": text[:300],
                    "related_person_id": person_id,
                    "postchange_data": snapshot,
                }
            )
        self.insert(ObjectChange, entries)
        notify_bulk(model)

    def log_objects(self, objs: Sequence[ChangeLoggedModel]) -> int:
        """One "create" entry per saved instance (of any models), in order: what
        ``core.services.bulk_log_created`` writes, without an ``ObjectChange`` instance per entry
        nor Django's field machinery per value. The snapshot is ``ChangeLoggedModel.snapshot()``
        (the concrete fields' values by attname, less ``audit_exclude``, through ``jsonable``),
        read per model once: one C-level getter per row, a per-type converter (equal to
        ``jsonable``) only on the non-empty values of the columns whose type it changes (dates,
        times, decimals, UUIDs, files), the related person read from the same values when the
        model keeps ``ChangeLoggedModel.audit_person_id``, and one JSON encoder made once."""
        if not objs:
            return 0
        _sql, cols = self._plan(ObjectChange)
        template = self._log_template(ObjectChange.Action.CREATE)
        at = {a: i for i, (a, _d, _c) in enumerate(cols)}
        i_id, i_ct, i_obj, i_repr, i_person, i_post = (
            at["id"],
            at["content_type_id"],
            at["object_id"],
            at["object_repr"],
            at["related_person_id"],
            at["postchange_data"],
        )
        to_json = cols[i_post][2]
        ids = self.reserve_ids(ObjectChange, len(objs))
        params: list[list[Any]] = []
        append = params.append
        model: Any = None
        for obj, pk in zip(objs, ids, strict=True):
            if obj.__class__ is not model:
                model = obj.__class__
                ct_id, keys, read, fix, person_key, pk_attname = self._snapshot_plan(model)
            snapshot = dict(zip(keys, read(obj), strict=True))
            for key, conv in fix:
                value = snapshot[key]
                if value is not None:
                    snapshot[key] = conv(value)
            row = template.copy()
            row[i_id] = pk
            row[i_ct] = ct_id
            row[i_obj] = obj.__dict__[pk_attname] if pk_attname else obj.pk
            row[i_repr] = str(obj)[:300]
            if person_key is None:
                row[i_person] = obj.audit_person_id()
            else:
                person = snapshot[person_key]
                row[i_person] = None if person is None else int(person)
            row[i_post] = to_json(snapshot)
            append(row)
        self.insert_params(ObjectChange, params)
        for kind in {type(obj) for obj in objs}:
            notify_bulk(kind)
        return len(params)

    def _snapshot_plan(self, model: type[models.Model]) -> SnapshotPlan:
        if model not in self.snapshots:
            exclude = set(getattr(model, "audit_exclude", ()))
            fields = [f for f in model._meta.concrete_fields if f.name not in exclude]
            keys = tuple(f.attname for f in fields)
            fix = [(f.attname, _jsonable_of(f)) for f in fields if isinstance(f, _JSONABLE_FIELDS)]
            # ``audit_person_id()`` not overridden: the snapshot's own ``person_id`` gives it.
            person_key = (
                "person_id"
                if "person_id" in keys
                and getattr(model, "audit_person_id", None) is ChangeLoggedModel.audit_person_id
                else None
            )
            pk_attname = model._meta.pk.attname if not model._meta.pk.is_relation else None
            self.snapshots[model] = (
                self.content_type_id(model),
                keys,
                _tuple_getter(list(keys)),
                fix,
                person_key,
                pk_attname,
            )
        return self.snapshots[model]

    def _log_template(self, action: str) -> list[Any]:
        """The database values an ``ObjectChange`` row of this writer has in common (the rest is
        filled per entry), converted as ``params`` converts them."""
        if action not in self.log_template:
            _sql, cols = self._plan(ObjectChange)
            common = {**self.log_common, "action": action}
            self.log_template[action] = [conv(common.get(a, default)) for a, default, conv in cols]
        return self.log_template[action]


# Field types whose values ``jsonable`` turns into text (the others are JSON-ready as they are).
_JSONABLE_FIELDS = (
    models.DateField,
    models.TimeField,
    models.DecimalField,
    models.UUIDField,
    models.FileField,
)


def _jsonable_of(field: models.Field[Any, Any]) -> Converter:
    """A converter equal to ``jsonable`` for a non-empty value of ``field``: the value's exact
    type tested first (one comparison instead of ``jsonable``'s chain of ``isinstance``), anything
    else handed to ``jsonable`` itself."""
    expected: type | None = None
    for kind, python_type in (
        (models.DateTimeField, dt.datetime),
        (models.DateField, dt.date),
        (models.TimeField, dt.time),
        (models.DecimalField, decimal.Decimal),
        (models.UUIDField, uuid.UUID),
    ):
        if isinstance(field, kind):
            expected = python_type
            break
    if expected in (dt.datetime, dt.date, dt.time):

        def iso(value: Any) -> Any:
            return value.isoformat() if value.__class__ is expected else jsonable(value)

        return iso
    if expected in (decimal.Decimal, uuid.UUID):

        def text(value: Any) -> Any:
            return str(value) if value.__class__ is expected else jsonable(value)

        return text
    return jsonable


def _maker(model: type[M]) -> Callable[..., M]:
    """See ``BulkWriter.maker``."""
    constant: dict[str, Any] = {}
    called: list[tuple[str, Callable[[], Any]]] = []
    relations: dict[str, tuple[str, str]] = {}  # name → (attname, the target's attname)
    plain: set[str] = set()
    for f in model._meta.concrete_fields:
        if f.has_default() and callable(f.default):
            called.append((f.attname, f.default))
        else:
            constant[f.attname] = f.get_default()
        plain.add(f.attname)
        if f.is_relation:
            relations[f.name] = (f.attname, f.target_field.attname)  # type: ignore[attr-defined]
        else:
            plain.add(f.name)
    new = object.__new__
    related = frozenset(relations)
    allowed = frozenset(plain)

    def make(**kwargs: Any) -> M:
        obj = new(model)
        values = obj.__dict__
        values.update(constant)
        for attname, default in called:
            values[attname] = default()
        state = values["_state"] = ModelState()
        cache: dict[str, Any] = {}
        # The related objects first (a set intersection in C finds them), then the plain
        # values in one update.
        for name in related.intersection(kwargs):
            value = kwargs.pop(name)
            attname, target = relations[name]
            values[attname] = None if value is None else getattr(value, target)
            cache[name] = value
            if value is not None:
                state.db = value._state.db = value._state.db or "default"
        if not allowed.issuperset(kwargs):
            name = next(iter(set(kwargs) - allowed))
            raise TypeError(f"{model.__name__}() got an unexpected keyword argument '{name}'")
        values.update(kwargs)
        state.fields_cache = cache
        return obj

    return make


# SQLite settings of the connection during a bulk build (``build_connection``), restored after.
BUILD_PRAGMAS: dict[str, int] = {
    # No fsync of the write-ahead log at its checkpoints. In WAL mode a crash of the process
    # still loses nothing committed; a crash of the machine may lose the last transactions or,
    # at worst, damage the file: acceptable for a build that starts from nothing and is run
    # again (the demo province, a bench database), not for the office's own data.
    "synchronous": 0,
    # 64 MiB of page cache (the default is 2 MiB): the person table's indexes on random keys
    # and the change log's are read and written all over a file of gigabytes.
    "cache_size": -65536,
}


@contextmanager
def build_connection(pragmas: dict[str, int] | None = None) -> Iterator[None]:
    """The SQLite settings of a bulk build (``BUILD_PRAGMAS``) on the caller's connection, the
    previous ones afterwards. Nothing is changed inside a transaction (SQLite refuses to change
    the safety level there, and a test's transaction is not a build), nor on PostgreSQL."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    wanted = BUILD_PRAGMAS if pragmas is None else pragmas
    previous: dict[str, int] = {}
    with connection.cursor() as cur:
        for name, value in wanted.items():
            cur.execute(f"PRAGMA {name}")
            previous[name] = int(cur.fetchone()[0])
            cur.execute(f"PRAGMA {name} = {int(value):d}")
    try:
        yield
    finally:
        if not connection.in_atomic_block:
            with connection.cursor() as cur:
                for name, value in previous.items():
                    cur.execute(f"PRAGMA {name} = {value:d}")


def _tuple_getter(names: list[str]) -> Reader:
    """``attrgetter`` of ``names`` that always returns a tuple (it returns the bare value for one)."""
    get = attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (get(obj),)
    return get


def analyze_all() -> None:
    """Refresh PostgreSQL's planner statistics of every table of the project.

    After a bulk write, autovacuum would do it only after the commit (and never inside a test's
    transaction); until then the planner believes the tables empty and may pick nested loops that
    take minutes. ANALYZE inside the transaction sees its own rows. The tables are named: a bare
    ANALYZE also takes the cluster's shared catalogues, whose lock it would hold to the end of a
    test's transaction and make another test worker's ANALYZE wait for it.
    """
    if connection.vendor != "postgresql":
        return
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cur:
        cur.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in sorted(tables)))


def _one_by_one(model: type[models.Model]) -> bool:
    """SQLite: whether the change log's rows go one to an ``INSERT``: inside a savepoint (a nested
    ``atomic``: the generator's chunk inside a test's transaction).

    A multi-row ``INSERT`` runs with a statement journal, and when it ends inside a savepoint,
    SQLite cuts its sub-journal back to the statement's start; in an in-memory database (the
    tests') that sub-journal is a list of 1 KiB pieces walked from the first at every cut. In
    the demo test's first build most of the change log's writing went into that walk; written
    one row to a statement, the change log's phase took 8 s of CPU instead of 21 s. The other
    tables' rows one by one took twice as long as many to a statement (docs/performance.md,
    session 16), so they keep the multi-row ``INSERT``."""
    return model is ObjectChange and any(sid is not None for sid in connection.savepoint_ids)


def _copy(sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """PostgreSQL: stream ``rows`` with ``COPY … FROM STDIN`` (psycopg formats them in C)."""
    with connection.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _same(value: Any) -> Any:
    return value


def _const(value: Any) -> Converter:
    return lambda _v: value


def _decimal(ops: Any, digits: int | None, places: int | None) -> Converter:
    return lambda v: None if v is None else ops.adapt_decimalfield_value(v, digits, places)


def _json(encoder: Any) -> Converter:
    """JSON encoded here, as text: what Django's adapters send on both databases (PostgreSQL
    parses the text into jsonb on COPY). For the standard encoder, its C encoder is made once
    (``JSONEncoder.encode`` makes one per call): the same text, a third less time per value."""
    base = (encoder or json.JSONEncoder)()
    encode = base.encode  # what json.dumps(v, cls=encoder) builds per call
    if type(base) is json.JSONEncoder and c_make_encoder is not None and base.indent is None:
        one_shot = c_make_encoder(
            None,  # no circular check: a dict of field values holds no container of its own
            base.default,
            encode_basestring_ascii if base.ensure_ascii else encode_basestring,
            base.indent,
            base.key_separator,
            base.item_separator,
            base.sort_keys,
            base.skipkeys,
            base.allow_nan,
        )
        join = "".join

        def fast(v: Any) -> Any:
            if v is None:
                return None
            if v.__class__ is dict:
                return join(one_shot(v, 0))
            return encode(v)

        return fast
    return lambda v: None if v is None else encode(v)


def _uuid(field: models.Field[Any, Any]) -> Converter:
    return lambda v: field.get_db_prep_value(v, connection, prepared=False)
