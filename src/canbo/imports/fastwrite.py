"""Insert or update many rows of a model with one ``executemany``, and their change-log entries
likewise.

Django's ``bulk_create`` runs every value of every object through the field machinery and
``bulk_log_created`` builds a model instance and a snapshot per record; for a 70,000-person
file that is most of the import's time. Here each field gets one converter, chosen once from
the backend's own adapters (``connection.ops``), rows are plain dicts, and the log entry of each
row is built from the same dict — the same snapshot ``ChangeLoggedModel.snapshot()`` gives, so
the history cannot tell the two paths apart (``test_engine`` compares them).

On PostgreSQL the rows are streamed with ``COPY … FROM STDIN`` instead (a third of the time of
``executemany`` there, which sends one statement per row).

Updates are written into a temporary table (``executemany`` on SQLite, ``COPY`` on PostgreSQL)
and applied by one ``UPDATE … FROM`` it, run by a worker thread (``start_update``); on
PostgreSQL the name-word entries of the persons it renames are rewritten around it in bulk
(``people.name_words``).
Django's ``bulk_update`` builds a ``CASE WHEN`` expression per field and row, which cost about
4 ms per person and made re-importing 70,000 people take minutes. Each update's log entry holds
the before and after snapshots ``audited_update`` would.

Primary keys are reserved before the insert: from the sequence on PostgreSQL (so concurrent
writers never collide), from ``MAX(id)`` on SQLite, where the import's transaction already holds
the database's write lock (``transaction_mode = IMMEDIATE``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from canbo.core.context import current_context
from canbo.core.models import ChangeLoggedModel, ObjectChange, jsonable
from canbo.core.services import frozen_user_name
from canbo.core.types import ActingUser
from canbo.imports.validate import concrete_field
from canbo.people import name_words
from canbo.people.models import Person

Row = dict[str, Any]


class FastWriter:
    """Inserts rows (dicts keyed by field name or attname) and logs each as created."""

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
        self.plans: dict[type[models.Model], tuple[str, list[tuple[str, Any, Callable[[Any], Any]]]]] = {}
        self.sequences: dict[str, int] = {}  # PostgreSQL: table → oid of its id sequence

    def _plan(self, model: type[models.Model]) -> tuple[str, list[tuple[str, Any, Callable[[Any], Any]]]]:
        if model in self.plans:
            return self.plans[model]
        ops = connection.ops
        qn = ops.quote_name
        now_db = ops.adapt_datetimefield_value(self.now)
        cols: list[tuple[str, Any, Callable[[Any], Any]]] = []
        for f in model._meta.concrete_fields:
            conv: Callable[[Any], Any]
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

    def params(self, model: type[models.Model], rows: list[Row], ids: list[int]) -> list[tuple[Any, ...]]:
        """The database values of ``rows`` given their reserved ``ids``, in column order. Uses no
        connection: it may run while a ``Background`` statement does."""
        _sql, cols = self._plan(model)
        params = []
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk
            params.append(tuple(conv(row.get(a, default)) for a, default, conv in cols))
        return params

    def insert_params(self, model: type[models.Model], params: list[tuple[Any, ...]]) -> None:
        """Insert rows already converted by ``params``."""
        if not params:
            return
        if connection.vendor == "postgresql":
            qn = connection.ops.quote_name
            names = ", ".join(qn(f.column) for f in model._meta.concrete_fields)
            _copy(f"COPY {qn(model._meta.db_table)} ({names}) FROM STDIN", params)
        else:
            sql, _cols = self._plan(model)
            with connection.cursor() as cur:
                cur.executemany(sql, params)

    def update(self, model: type[models.Model], records: list[Row], fields: list[str]) -> None:
        """Write ``fields`` (names) of ``records`` (dicts of "id" and attnames)."""
        self.start_update(model, records, fields).wait()

    def start_update(self, model: type[models.Model], records: list[Row], fields: list[str]) -> Background:
        """``update``, its long statement run by a worker thread: the caller may meanwhile do
        work that does not use the database, and must ``wait()`` before its next query.

        The records are first copied (here) into a scratch table of the same column types
        (``COPY`` on PostgreSQL, ``executemany`` on SQLite), and the worker runs one
        ``UPDATE … FROM`` it. Both drivers release the interpreter lock while the database
        works, so the statement and the caller's Python really overlap.
        """
        if not records:
            return Background(None)
        _sql, cols = self._plan(model)
        conv_of = {a: c for a, _d, c in cols}
        qn = connection.ops.quote_name
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        targets = [concrete_field(model, name) for name in fields]
        params = [(r["id"], *(conv_of[f.attname](r[f.attname]) for f in targets)) for r in records]
        cursor = connection.cursor()
        names = ", ".join(qn(f.column) for f in targets)
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMP TABLE canbo_import_update ON COMMIT DROP AS "  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
                f"SELECT {pk}, {names} FROM {table} WITH NO DATA"
            )
            _copy(f"COPY canbo_import_update ({pk}, {names}) FROM STDIN", params)
        else:
            # SQLite (3.33+ has UPDATE … FROM) the same way: one statement, during which the
            # driver releases the interpreter lock; one UPDATE per record would take it back
            # after every row and wait for this thread each time, overlapping nothing.
            cursor.execute("DROP TABLE IF EXISTS temp.canbo_import_update")
            cursor.execute(
                f"CREATE TEMP TABLE canbo_import_update AS SELECT {pk}, {names} FROM {table} WHERE 0"  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
            )
            marks = ", ".join(["%s"] * (len(targets) + 1))
            cursor.executemany(f"INSERT INTO canbo_import_update ({pk}, {names}) VALUES ({marks})", params)  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
        sets = ", ".join(f"{qn(f.column)} = u.{qn(f.column)}" for f in targets)
        before: list[str] = []
        after: list[str] = []
        if model is Person and connection.vendor == "postgresql":
            # Renamed or moved persons: their name-word entries in two set-based statements,
            # not by the per-row trigger (half the time of the whole statement).
            before, after = name_words.bulk_rewrite("canbo_import_update", [f.column for f in targets])

        def run() -> None:
            for sql in before:
                cursor.execute(sql)
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM canbo_import_update AS u WHERE {table}.{pk} = u.{pk}"  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
            )
            for sql in after:
                cursor.execute(sql)
            cursor.execute("DROP TABLE canbo_import_update")

        return Background(run, cursor)

    def log_updated(
        self,
        model: type[models.Model],
        entries: list[tuple[int, str, dict[str, Any], dict[str, Any]]],
        person_ids: list[int | None],
    ) -> None:
        """One "update" entry per (id, str(record), before, after), as ``audited_update`` logs it."""
        ids = self.reserve_ids(ObjectChange, len(entries)) if entries else []
        self.insert_params(ObjectChange, self.updated_log_params(model, entries, person_ids, ids))

    def updated_log_params(
        self,
        model: type[models.Model],
        entries: list[tuple[int, str, dict[str, Any], dict[str, Any]]],
        person_ids: list[int | None],
        ids: list[int],
    ) -> list[tuple[Any, ...]]:
        """``log_updated``'s rows as ``params`` gives them, for log ids reserved beforehand; uses
        no connection once the model's content type is cached (``content_type_id``)."""
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
        return self.params(ObjectChange, rows, ids)

    def content_type_id(self, model: type[models.Model]) -> int:
        """The model's content type id (read once, then from Django's cache)."""
        return int(ContentType.objects.get_for_model(model, for_concrete_model=True).pk)

    def log_created(
        self, model: type[ChangeLoggedModel], rows: list[Row], reprs: list[str], person_ids: list[int | None]
    ) -> None:
        """One "create" entry per row, with the row's snapshot as ``ChangeLoggedModel.snapshot()``."""
        _sql, cols = self._plan(model)
        exclude = set(model.audit_exclude)
        snap_cols = [(a, d) for a, d, _c in cols if a not in exclude]
        ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
        entries = []
        for row, text, person_id in zip(rows, reprs, person_ids, strict=True):
            snapshot = {a: jsonable(row.get(a, d)) for a, d in snap_cols}
            entries.append(
                {
                    **self.log_common,
                    "content_type_id": ct.pk,
                    "object_id": row["id"],
                    "object_repr": text[:300],
                    "related_person_id": person_id,
                    "postchange_data": snapshot,
                }
            )
        self.insert(ObjectChange, entries)


class Background:
    """A database statement run by a worker thread on this thread's connection (see
    ``FastWriter.start_update``); ``wait()`` joins it and raises its error as Django would."""

    def __init__(self, run: Callable[[], None] | None, cursor: Any = None) -> None:
        self.cursor = cursor
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        if run is not None:
            self.thread = threading.Thread(target=self._run, args=(run,), name="canbo-import-write")
            self.thread.start()

    def _run(self, run: Callable[[], None]) -> None:
        try:
            run()
        except BaseException as exc:  # handed to the caller's thread by wait()
            self.error = exc

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.cursor is not None:
            self.cursor.close()
            self.cursor = None
        if self.error is not None:
            error, self.error = self.error, None
            raise error


def _copy(sql: str, rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL: stream ``rows`` with ``COPY … FROM STDIN`` (psycopg formats them in C)."""
    with connection.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _same(value: Any) -> Any:
    return value


def _const(value: Any) -> Callable[[Any], Any]:
    return lambda _v: value


def _decimal(ops: Any, digits: int | None, places: int | None) -> Callable[[Any], Any]:
    return lambda v: None if v is None else ops.adapt_decimalfield_value(v, digits, places)


def _json(encoder: Any) -> Callable[[Any], Any]:
    """JSON encoded here, as text: what Django's adapters send on both databases (PostgreSQL
    parses the text into jsonb on COPY), and the encoding can run while a ``Background``
    statement holds the connection."""
    return lambda v: None if v is None else json.dumps(v, cls=encoder)


def _uuid(field: models.Field) -> Callable[[Any], Any]:
    return lambda v: field.get_db_prep_value(v, connection, prepared=False)
