"""The test database of each pytest-xdist worker: migrated once per run, copied for the others.

Creating a test database by migrations costs ~11 s of CPU (three quarters of it Django rendering
the models' state for the migrations with ``RunPython``), and under ``pytest -n 2`` every worker
did it (docs/performance.md, "Session 13: the suite"). With ``-n N`` the first worker to take the
run's lock migrates its database as before, leaves a copy of it (PostgreSQL: a template database,
``CREATE DATABASE … TEMPLATE``; SQLite in memory: a file written by SQLite's backup API) and a
*fingerprint* of it (every table's definition, index, constraint, trigger and function, and every
table's rows); each other worker makes its database from that copy and refuses to start its tests
unless the copy's fingerprint equals the migrated one's. Without xdist, or for a database this
module does not know how to copy (SQLite in a file), every process migrates its own, as Django does.

``canbo/conftest.py`` uses it: ``pytest_configure`` gives the run a directory (the lock, the
fingerprint, the SQLite copy), ``django_db_setup`` calls :func:`setup_test_database` and
``pytest_unconfigure`` removes the directory and the template database.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# The run's directory, made by the xdist controller and inherited by its workers.
RUN_DIR_ENV = "CANBO_TEST_DB_DIR"
FINGERPRINT = "fingerprint.json"
TEMPLATE_NAME = "template-name"  # PostgreSQL: the template database's name
SQLITE_COPY = "template.sqlite3"


# The test connections to PostgreSQL (never the production settings): a commit does not wait for
# its WAL record to reach the disk (a crash of the server could lose the last commits of a test
# database, which is dropped anyway), and no query is compiled by the JIT (the tests' data is small;
# compiling a plan that crosses the JIT's cost threshold, as some of the demo build's do, costs
# more than the query). Neither changes what a query returns.
POSTGRESQL_TEST_OPTIONS = "-c synchronous_commit=off -c jit=off"


def quick_test_connections(settings_dict: dict[str, Any]) -> None:
    """Give the test connections to PostgreSQL ``POSTGRESQL_TEST_OPTIONS`` (before any opens)."""
    if settings_dict["ENGINE"] == "django.db.backends.postgresql":
        options = settings_dict.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} {POSTGRESQL_TEST_OPTIONS}".strip()


def make_run_dir() -> str:
    """A directory for one run's shared test database (set in the controller's environment)."""
    path = tempfile.mkdtemp(prefix="canbo-testdb-")
    os.environ[RUN_DIR_ENV] = path
    return path


def remove_run_dir(path: str) -> None:
    """Drop the run's PostgreSQL template database, if one was made, and remove the directory."""
    name_file = Path(path) / TEMPLATE_NAME
    try:
        if name_file.exists():
            from django.db import connection

            with connection.creation._nodb_cursor() as cursor:  # type: ignore[attr-defined]
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name_file.read_text())}")
    except Exception as exc:  # the run's result stands; the next run drops it first
        print(f"The template test database was not dropped: {exc}", file=sys.stderr)
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _copyable(connection: Any) -> bool:
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and connection.creation.is_in_memory_db(
        connection.creation._get_test_db_name()
    )


def setup_test_database(verbosity: int, serialized_aliases: set[str] | None) -> list[Any]:
    """The ``default`` test database of this process, as ``django.test.utils.setup_databases``
    makes it (its return value is what ``teardown_databases`` takes): by migrations in the
    first xdist worker of a run, by a copy of that one in the others."""
    from django.db import connection
    from django.test.utils import setup_databases

    def migrate() -> list[Any]:
        return setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases={"default"},  # type: ignore[arg-type]  # a set of names, as pytest-django passes
            serialized_aliases=serialized_aliases,
        )

    run_dir = os.environ.get(RUN_DIR_ENV)
    if not run_dir or not os.environ.get("PYTEST_XDIST_WORKER") or not _copyable(connection):
        return migrate()
    run = Path(run_dir)
    with _locked(run / "lock"):
        if not (run / FINGERPRINT).exists():
            config = migrate()
            expected = fingerprint(connection)
            _leave_a_copy(connection, run)
            (run / FINGERPRINT).write_text(json.dumps(expected), encoding="utf-8")
            return config
        config = _from_the_copy(connection, run, verbosity)
    expected = json.loads((run / FINGERPRINT).read_text(encoding="utf-8"))
    got = fingerprint(connection)
    if got != expected:
        differ = sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k))
        raise RuntimeError(f"The copied test database differs from the migrated one in: {differ[:20]}")
    if serialized_aliases is None or "default" in serialized_aliases:
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()  # type: ignore[attr-defined]
    return config


def copy_of_the_migrated_sqlite(target: Path) -> bool:
    """Write this run's migrated SQLite test database to ``target`` (for a test that starts a
    Django process of its own on a new SQLite file, which then has nothing left to migrate).
    False, and nothing written, when the run has none: not under xdist, on PostgreSQL, or before
    the first worker finished its migrations."""
    run_dir = os.environ.get(RUN_DIR_ENV)
    if not run_dir or not (Path(run_dir) / FINGERPRINT).exists():
        return False
    source = Path(run_dir) / SQLITE_COPY
    if not source.exists():
        return False
    shutil.copyfile(source, target)
    return True


def _template_name(connection: Any) -> str:
    # PostgreSQL limits names to 63 bytes; the worker's suffix (_gw0) is replaced by _tpl.
    test_name: str = connection.creation._get_test_db_name()
    return (test_name.rsplit("_gw", 1)[0] + "_tpl")[-63:]


def _leave_a_copy(connection: Any, run: Path) -> None:
    if connection.vendor == "postgresql":
        # CREATE DATABASE … TEMPLATE needs the source without connections: this worker's own is
        # closed for the copy and reopened by its first query.
        template = _template_name(connection)
        qn = connection.ops.quote_name
        own = connection.settings_dict["NAME"]
        connection.close()
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {qn(template)}")
            cursor.execute(f"CREATE DATABASE {qn(template)} TEMPLATE {qn(own)}")
        (run / TEMPLATE_NAME).write_text(template, encoding="utf-8")
    else:
        connection.ensure_connection()
        target = sqlite3.connect(run / SQLITE_COPY)
        try:
            connection.connection.backup(target)
        finally:
            target.close()


def _from_the_copy(connection: Any, run: Path, verbosity: int) -> list[Any]:
    """What ``creation.create_test_db`` does, with a copy in place of ``migrate``."""
    from django.conf import settings

    creation = connection.creation
    test_name = creation._get_test_db_name()
    old_name = connection.settings_dict["NAME"]
    if verbosity >= 1:
        creation.log(f"Copying the migrated test database for alias {connection.alias!r}…")
    connection.close()
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        template = (run / TEMPLATE_NAME).read_text(encoding="utf-8")
        with creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {qn(test_name)}")
            cursor.execute(f"CREATE DATABASE {qn(test_name)} TEMPLATE {qn(template)}")
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        source = sqlite3.connect(run / SQLITE_COPY)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    return [(connection, old_name, True)]


def fingerprint(connection: Any) -> dict[str, Any]:
    """Everything a migration leaves in a database, in a form two databases can be compared by:
    the definition of every table, index, constraint, trigger, view and function, the sequences'
    positions, and a hash of every table's rows (the catalogues that data migrations write). The
    times at which the migrations were applied are left out."""
    out: dict[str, Any] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
            for kind, name, table, sql in cursor.fetchall():
                out[f"{kind}:{name}"] = [table, sql]
        else:
            queries = {
                "column": """SELECT table_name || '.' || column_name, concat_ws(' ', data_type,
                    character_maximum_length, numeric_precision, numeric_scale, is_nullable,
                    column_default, collation_name, is_identity)
                    FROM information_schema.columns WHERE table_schema = 'public'""",
                "index": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
                "constraint": """SELECT c.conrelid::regclass::text || '.' || c.conname,
                    pg_get_constraintdef(c.oid) || ' deferrable=' || c.condeferrable::text
                    || ' deferred=' || c.condeferred::text
                    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                    WHERE n.nspname = 'public'""",
                "trigger": """SELECT tgrelid::regclass::text || '.' || tgname, pg_get_triggerdef(oid)
                    FROM pg_trigger WHERE NOT tgisinternal""",
                "function": """SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
                    pg_get_functiondef(p.oid) FROM pg_proc p
                    JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'""",
                "view": "SELECT viewname, definition FROM pg_views WHERE schemaname = 'public'",
                "sequence": """SELECT sequencename, concat_ws(' ', data_type, last_value)
                    FROM pg_sequences WHERE schemaname = 'public'""",
                "extension": "SELECT extname, extversion FROM pg_extension",
            }
            for kind, sql in queries.items():
                cursor.execute(sql)
                for name, definition in cursor.fetchall():
                    out[f"{kind}:{name}"] = definition
        qn = connection.ops.quote_name
        for table in sorted(connection.introspection.table_names(cursor)):
            # Every column, in the table's order (the columns themselves are compared above). Not
            # Django's get_table_description per table: on SQLite it parses each table's SQL for
            # its collations (0.5 s of CPU a fingerprint), on PostgreSQL it is a catalogue query
            # per table (0.15 s of the server's CPU). Names read from the database itself, quoted.
            cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608
            names = [c[0] for c in cursor.description]
            kept = [i for i, c in enumerate(names) if (table, c) != ("django_migrations", "applied")]
            rows = sorted(repr(tuple(_plain(row[i]) for i in kept)) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            out[f"rows:{table}"] = [len(rows), digest]
    return out


def _plain(value: Any) -> Any:
    # A memoryview's repr is its address; its bytes are what the row holds.
    return bytes(value) if isinstance(value, memoryview) else value


# --- The flush at the end of a transactional test ------------------------------------------------

# Above this many rows in all (counted up to it), Django's TRUNCATE is kept: DELETE costs by the row.
FLUSH_DELETE_MAX_ROWS = 10_000


def _sql_flush_deleting_written_rows(real: Any) -> Any:
    """Django's ``sql_flush`` for the flush that ends a transactional test (``live_server``,
    ``transactional_db``), except on PostgreSQL: ``DELETE FROM`` each table that holds rows
    instead of one ``TRUNCATE`` of all ~95 tables. PostgreSQL's TRUNCATE gives every table and
    index a new file and rebuilds each empty index with an immediate fsync of its file (a wait
    on ``DataFileImmediateSync``), 2–5 s a test on this machine's disk whatever the rows; the
    few rows a test wrote are deleted in milliseconds. The tables are left empty as the TRUNCATE
    left them (sequences are not reset by either), in one transaction, so that the foreign keys
    (Django makes them DEFERRABLE INITIALLY DEFERRED) are checked when every row is gone. Row
    triggers fire where TRUNCATE fires none: the append-only access log's is passed as the
    retention purge passes it (``canbo.core.readlog.PURGE_SETTING``), and the person-name word
    table (not a Django model, never flushed by TRUNCATE) is emptied with its people. Nothing
    written (an empty database, whose flush Django answers without post_migrate), a flush that
    resets sequences or cascades, or many rows: Django's own statements."""

    def sql_flush(
        style: Any, connection: Any, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        if connection.vendor != "postgresql" or reset_sequences or allow_cascade:
            return list(real(style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade))
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        quote = connection.ops.quote_name
        limit = FLUSH_DELETE_MAX_ROWS + 1
        # Table names from Django's introspection, quoted; each table's rows counted up to `limit`.
        counts = " UNION ALL ".join(
            f"SELECT %s, (SELECT count(*) FROM (SELECT 1 FROM {quote(t)} LIMIT {limit}) r)"  # noqa: S608
            for t in tables
        )
        with connection.cursor() as cursor:
            cursor.execute(counts, list(tables))
            written = {table: n for table, n in cursor.fetchall() if n}
        if not written or sum(written.values()) > FLUSH_DELETE_MAX_ROWS:
            return list(real(style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade))
        from canbo.core.readlog import PURGE_SETTING

        return [f"SELECT set_config('{PURGE_SETTING}', 'on', true)"] + [
            f"DELETE FROM {quote(t)}"  # noqa: S608
            for t in tables
            if t in written
        ]

    return sql_flush


@contextlib.contextmanager
def flush_deleting_written_rows() -> Iterator[None]:
    """Within it, Django's ``flush`` command empties PostgreSQL's tables as
    :func:`_sql_flush_deleting_written_rows` says (``canbo/conftest.py`` wraps the flush that
    ends each transactional test in it; ``manage.py flush`` is left as Django made it)."""
    from django.core.management.commands import flush

    # ``flush`` imports ``sql_flush`` from django.core.management.sql (the stubs do not say so).
    real = getattr(flush, "sql_flush")  # noqa: B009
    setattr(flush, "sql_flush", _sql_flush_deleting_written_rows(real))  # noqa: B010
    try:
        yield
    finally:
        setattr(flush, "sql_flush", real)  # noqa: B010
