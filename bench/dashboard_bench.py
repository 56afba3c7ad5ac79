"""The 18-ĐA/TU dashboard (table, breakdown, trend) before and after the snapshots, one run.

Usage (on a demo database; DB copies outside the repository, e.g.
``CANBO_SQLITE_PATH=/work/bench-data/demo-150k.sqlite3``):

    ./canbo bench dashboard_bench [--plan lc-18-da-tu] [--repeat 7] [--as-of 2020-12-11 ...]

For each as-of date, the dashboard of the plan for the whole province (as a superuser, through
Django's test client: server time without the network) is requested ``--repeat`` times in four
ways, interleaved so that the machine's load falls on all of them alike:

- ``fresh``: every number computed from the records (``snapshots.fresh()``, the fact tables off
  too): the statements the page sent before the snapshots, one per source for the table, one
  for the breakdown, one per date of the trend;
- ``cold``: no snapshot at all (all deleted before the request): computed, then stored; the
  table's tenure and membership statements read the fact tables (``indicators.facts``); the
  trend's dates not stored counted together, one statement for all of them
  (``engine.compute_days``);
- ``cold records``: the same from the records (``engine.from_records()``): the cold page as it
  was before the fact tables;
- ``cold 1/date``: the same, but each missing date counted by a statement of its own, as
  before ``compute_days`` (the bench swaps ``snapshots._compute_missing`` for the per-request
  computation: the "before" of the cold path, in the same run);
- ``after write`` and ``after write 1/date``: the snapshots a write dated on the as-of day
  deletes are gone (those of that day and later), the earlier years of the trend are kept;
- ``refreshed``: the same deletion, then the background refresh a write enqueues
  (``snapshots.refresh_snapshots``, untimed, run for the deleted snapshots' scopes) before the
  request: what the first visit after a write costs once the worker has run;
- ``snapshots``: everything read from the snapshots.

The refresh's own time (in the worker, not in a request) is printed per as-of date too.

On PostgreSQL, ``--copy-from FILE.sqlite3`` first fills the (migrated, empty) database named by
``CANBO_DB_NAME`` with every table of a SQLite demo file but the change log (COPY of the
sqlite3 shell's CSV; foreign keys are checked at the commit), then runs as above:

    CANBO_DB=postgresql CANBO_DB_NAME=canbo_dash22 ... ./manage.py migrate
    CANBO_DB=postgresql CANBO_DB_NAME=canbo_dash22 ... ./canbo bench dashboard_bench \
        --copy-from /work/bench-data/demo-40k.sqlite3

``--replicate K`` then copies the people and what hangs from them K-1 more times (offset ids,
same units; on PostgreSQL with the secondary indexes dropped and rebuilt, see ``replicate``);
``--as-of`` with no date builds without measuring; ``--ways`` measures only the ways named
(none: ``--ways`` alone); ``--server-cpu`` also prints PostgreSQL's own CPU for the cold page's
counting statements (``server_cpu``; the server on this machine), ``--pg-set`` a setting to run
them under. The
2,520,000-person PostgreSQL database of docs/performance.md ("Session 11"):

    CANBO_DB=postgresql CANBO_DB_NAME=canbo_dash22c ... ./canbo bench dashboard_bench \
        --copy-from /work/bench-data/merged40k.sqlite3 --replicate 63 --as-of
    CANBO_DB=postgresql CANBO_DB_NAME=canbo_dash22c ... ./canbo bench dashboard_bench \
        --repeat 3 --ways cold "after write" refreshed snapshots
    CANBO_DB=postgresql CANBO_DB_NAME=canbo_dash22c ... ./canbo bench dashboard_bench \
        --repeat 3 --ways --server-cpu [--pg-set "SET LOCAL jit = off"]

Printed per way: median wall time, median CPU time of this process (``time.process_time``: the
SQLite work runs in it; PostgreSQL's runs in the server), the query count and the number of
``COUNT(DISTINCT`` statements, and the load average before and after. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")


# The change log is not read; the name-word table is filled by a trigger on the persons.
SKIP = {
    "core_objectchange",
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "people_person_name_word",
}


def backend_cpu_clock(cur: Any) -> Callable[[], float]:
    """A clock of the CPU (user + system, ms) of the PostgreSQL backend behind ``cur``, read from
    /proc: the server runs on this machine, and its work is not in this process's
    ``process_time``."""
    cur.execute("SELECT pg_backend_pid()")
    pid = cur.fetchone()[0]
    tick = os.sysconf("SC_CLK_TCK")

    def cpu_ms() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / tick

    return cpu_ms


def copy_to_postgresql(sqlite_path: str) -> None:
    """Every table of the SQLite file present in the PostgreSQL database, in one transaction."""
    import sqlite3
    import subprocess
    import tempfile

    from django.db import connection, transaction

    tables = [
        r[0]
        for r in sqlite3.connect(sqlite_path).execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if r[0] not in SKIP and not r[0].startswith("sqlite_")
    ]
    with connection.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        present = {r[0] for r in cur.fetchall()}
    tables = [t for t in tables if t in present]
    with tempfile.TemporaryDirectory() as tmp, transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
        cur.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        for table in tables:
            cur.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
                "ORDER BY ordinal_position",
                (table,),
            )
            cols = cur.fetchall()
            names = ", ".join(f'"{c}"' for c, _t in cols)
            select = ", ".join(
                f"CASE \"{c}\" WHEN 1 THEN 't' WHEN 0 THEN 'f' END" if t == "boolean" else f'"{c}"'
                for c, t in cols
            )
            csv = Path(tmp) / f"{table}.csv"
            with csv.open("w") as fh:
                dump = ["sqlite3", "-csv", sqlite_path, f'SELECT {select} FROM "{table}"']
                subprocess.run(dump, stdout=fh, check=True)
            text = [f'"{c}"' for c, t in cols if t in ("character varying", "text")]
            force = f", FORCE_NOT_NULL ({', '.join(text)})" if text else ""
            with cur.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN WITH (FORMAT csv{force})') as cp:
                cp.write(csv.read_bytes())
            if any(c == "id" and t in ("integer", "bigint") for c, t in cols):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM \"{table}\"))",
                    [table],
                )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"Đã chép {len(tables)} bảng từ {sqlite_path}", flush=True)


# ``--replicate K``: the people and what hangs from them copied K-1 times with offset ids into the
# same units (seed_demo takes too long at 150,000 on a loaded machine): K times the people.
REPLICATE = ["people_person", "careers_tenure", "careers_bodymembership", "people_qualification",
             "people_partymembership", "people_serviceevent", "people_servicegap"]  # fmt: skip
OFFSET = 10_000_000
WAYS = [
    "fresh",
    "cold 1/date",
    "cold records",
    "cold",
    "after write 1/date",
    "after write",
    "refreshed",
    "snapshots",
]


def replicate(factor: int) -> None:
    """The people and what hangs from them copied up to ``factor`` times. Each copy is committed
    on its own (an interrupted build keeps the copies made, and a rerun adds the missing ones).

    On PostgreSQL (60 copies of a 40,000 file for 2,500,000 people) the secondary indexes of the
    copied tables are dropped first and built again at the end, and the copies are inserted with
    ``session_replication_role = replica`` (no foreign-key checks and no name-word trigger, whose
    rows are copied with the persons'): maintaining 18 indexes on the persons row by row made a
    copy take 35 s on the shared machine. Then ``VACUUM ANALYZE`` (after a bulk load the
    visibility map is empty and index-only scans would read the tables)."""
    from django.db import connection, transaction

    pg = connection.vendor == "postgresql"
    tables = [*REPLICATE, "people_person_name_word"] if pg else REPLICATE
    with connection.cursor() as cur:
        cur.execute("SELECT max(id) FROM people_person")
        have = (cur.fetchone()[0] or 0) // OFFSET + 1
        if pg and have < factor:
            # Every index but the primary keys and unique constraints (the name words' key too),
            # its definition kept in the database so that an interrupted build still rebuilds it.
            cur.execute("CREATE TABLE IF NOT EXISTS bench_dropped_index (definition text)")
            cur.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
                "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conindid = (quote_ident(i.indexname))::regclass)",
                [tables],
            )
            for name, definition in cur.fetchall():
                cur.execute("INSERT INTO bench_dropped_index VALUES (%s)", [definition])
                cur.execute(f'DROP INDEX "{name}"')
            cur.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'people_person_name_word'::regclass AND contype = 'p'"
            )
            for name, definition in cur.fetchall():
                alter = f'ALTER TABLE people_person_name_word ADD CONSTRAINT "{name}" {definition}'
                cur.execute("INSERT INTO bench_dropped_index VALUES (%s)", [alter])
                cur.execute(f'ALTER TABLE people_person_name_word DROP CONSTRAINT "{name}"')
            cur.execute(
                "CREATE TEMP TABLE bench_name_word0 AS SELECT * FROM people_person_name_word "
                f"WHERE person_id < {OFFSET}"
            )
            cur.execute("SET session_replication_role = replica")
    for k in range(have, factor):
        with transaction.atomic(), connection.cursor() as cur:
            for table in tables:
                if pg:
                    cur.execute(
                        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                        "ORDER BY ordinal_position",
                        (table,),
                    )
                    cols = [r[0] for r in cur.fetchall()]
                else:
                    cur.execute(f'PRAGMA table_info("{table}")')
                    cols = [r[1] for r in cur.fetchall()]
                exprs = []
                for c in cols:
                    if c in ("id", "person_id"):
                        exprs.append(f'"{c}" + {k * OFFSET}')
                    elif c == "personal_id":  # "0000" + 8 digits: no province code starts with 000
                        exprs.append(
                            f"lpad(({k * OFFSET} + id)::text, 12, '0')"
                            if pg
                            else f"substr('000000000000' || ({k * OFFSET} + id), -12, 12)"
                        )
                    else:
                        exprs.append(f'"{c}"')
                names = ", ".join(f'"{c}"' for c in cols)
                # the original name words, read once (the table has no index during the build)
                source = (
                    "bench_name_word0"
                    if table == "people_person_name_word"
                    else f'"{table}" WHERE id < {OFFSET}'
                )
                cur.execute(f'INSERT INTO "{table}" ({names}) SELECT {", ".join(exprs)} FROM {source}')
        print(f"  bản sao {k}/{factor - 1}", flush=True)
    with connection.cursor() as cur:
        if pg:
            cur.execute("SET session_replication_role = DEFAULT")
            cur.execute("SELECT to_regclass('bench_dropped_index') IS NOT NULL")
            if cur.fetchone()[0]:
                cur.execute("SELECT definition FROM bench_dropped_index")
                for (definition,) in cur.fetchall():
                    cur.execute(definition)
                cur.execute("DROP TABLE bench_dropped_index")
            cur.execute("VACUUM ANALYZE")
        else:
            cur.execute("ANALYZE")
    print(f"Đã nhân {factor} lần người và hồ sơ của họ", flush=True)


def server_cpu(url: str, client: Any, repeat: int, settings: list[str]) -> None:
    """PostgreSQL's own CPU for the cold page's counting statements: captured from one cold
    request, then run one after another with parallel workers off (the backend does all the
    work; ``settings``, e.g. ``SET LOCAL jit = off``, before them), the backend's utime + stime
    read from ``/proc/<pid>/stat`` around each (the server on this machine). Medians. Twice:
    the statements counting from the records (``engine.from_records()``, the cold page before the
    fact tables) and the page's own (the table's from the fact tables); their results compared."""
    import contextlib

    from django.db import connection, transaction

    from canbo.indicators import engine
    from canbo.indicators.models import IndicatorSnapshot

    results: dict[str, list[Any]] = {}
    for variant, block in (("records", engine.from_records), ("fact tables", contextlib.nullcontext)):
        got: list[tuple[str, Any]] = []

        def capture(execute: Any, sql: str, params: Any, many: bool, context: Any, got: Any = got) -> Any:
            got.append((sql, params))
            return execute(sql, params, many, context)

        IndicatorSnapshot.objects.all().delete()
        with block(), connection.execute_wrapper(capture):
            client.get(url)
        counting = [(sql, params) for sql, params in got if "COUNT(DISTINCT" in sql]
        with connection.cursor() as cur:
            cpu_ms = backend_cpu_clock(cur)
        runs: list[list[float]] = []
        for _ in range(repeat):
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute("SET LOCAL max_parallel_workers_per_gather = 0")
                for setting in settings:
                    cur.execute(setting)
                each = []
                rows = []
                for sql, params in counting:
                    c0 = cpu_ms()
                    cur.execute(sql, params)
                    rows.append(cur.fetchall())
                    each.append(cpu_ms() - c0)
                runs.append(each)
                results[variant] = rows
        per = [statistics.median(r[i] for r in runs) for i in range(len(counting))]
        total = statistics.median(sum(r) for r in runs)
        label = "; ".join(settings) or "default settings"
        print(
            f"  PostgreSQL CPU of the {len(counting)} counting statements, {variant} ({label}): "
            f"median {total:.0f} ms, per statement {', '.join(f'{x:.0f}' for x in per)}"
        )
    same = results["records"] == results["fact tables"]
    print(f"  results of the two: {'the same' if same else 'DIFFERENT'}")


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from canbo.indicators import engine, snapshots
    from canbo.indicators.models import IndicatorSnapshot
    from canbo.org.models import Unit
    from canbo.people.models import Person

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="lc-18-da-tu")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--as-of", dest="days", nargs="*", default=["2020-12-11", "2025-12-31"])
    parser.add_argument("--copy-from", dest="copy_from", help="PostgreSQL: chép dữ liệu từ tệp SQLite này")
    parser.add_argument("--replicate", type=int, default=0, help="nhân số người lên K lần (một lần)")
    parser.add_argument(
        "--server-cpu",
        action="store_true",
        help="PostgreSQL (cùng máy): đo CPU của máy chủ cho các câu lệnh đếm của trang chưa có ảnh chụp",
    )
    parser.add_argument("--pg-set", action="append", default=[], help="ví dụ: SET LOCAL jit = off")
    parser.add_argument("--ways", nargs="*", choices=WAYS, help="chỉ đo những cách này (mặc định: tất cả)")
    args = parser.parse_args()
    if args.copy_from:
        copy_to_postgresql(args.copy_from)
    if args.replicate > 1:
        replicate(args.replicate)

    user = User.objects.filter(is_superuser=True).order_by("id").first()
    if user is None:
        user = User.objects.create_superuser("bench-dashboard", password=None)
    root = Unit.objects.order_by("depth", "path").first()
    assert root is not None, "Chưa có dữ liệu mẫu."
    client = Client()
    client.force_login(user)
    print(
        f"{Person.objects.count():,} people, DB {connection.vendor}, plan {args.plan}; "
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )

    together = snapshots._compute_missing

    def one_by_one(missing: list[snapshots.Request], scopes: dict[int, engine.Scope]) -> dict[str, Any]:
        return {r.key: snapshots._dump(snapshots._compute(r)) for r in missing}

    refresh_ms: list[float] = []

    def prepare(way: str, day: dt.date) -> None:
        if way.startswith("cold"):
            IndicatorSnapshot.objects.all().delete()
        elif way.startswith("after write") or way == "refreshed":
            stale = IndicatorSnapshot.objects.filter(last_day__gte=day)
            if way == "refreshed":
                scopes: dict[str, tuple[dict[str, Any], list[str]]] = {}
                for scope, on in stale.values_list("scope", "day"):
                    if scope is not None and on is not None:
                        scopes.setdefault(str(sorted(scope.items())), (scope, []))[1].append(on.isoformat())
            stale.delete()
            if way == "refreshed":
                t0 = time.perf_counter()
                for scope, days in scopes.values():
                    snapshots.refresh_snapshots.call(scope, days)
                refresh_ms.append((time.perf_counter() - t0) * 1000)

    def request(url: str, way: str) -> tuple[float, float, int, int]:
        snapshots._compute_missing = one_by_one if way.endswith("1/date") else together
        with CaptureQueriesContext(connection) as q:
            t0, c0 = time.perf_counter(), time.process_time()
            if way == "fresh":
                with snapshots.fresh():
                    r = client.get(url)
            elif way == "cold records":
                with engine.from_records():
                    r = client.get(url)
            else:
                r = client.get(url)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        snapshots._compute_missing = together
        assert r.status_code == 200, (url, r.status_code)
        counting = sum("COUNT(DISTINCT" in x["sql"] for x in q.captured_queries)
        return wall * 1000, cpu * 1000, len(q.captured_queries), counting

    ways = [w for w in WAYS if args.ways is None or w in args.ways]
    print(f"{'as of':12} {'way':18} {'median ms':>10} {'CPU ms':>8} {'queries':>8} {'COUNT(DISTINCT':>15}")
    for raw in args.days:
        day = dt.date.fromisoformat(raw)
        url = f"/chi-tieu/{args.plan}/?ngay={day.isoformat()}&don_vi={root.pk}"
        client.get(url)  # warm the process (templates, content types) and the snapshots
        samples: dict[str, list[tuple[float, float, int, int]]] = {w: [] for w in ways}
        refresh_ms.clear()
        for _ in range(args.repeat):
            for way in ways:
                prepare(way, day)
                samples[way].append(request(url, way))
        for way in ways:
            s = samples[way]
            print(
                f"{day:%d/%m/%Y}   {way:18} {statistics.median(x[0] for x in s):10.1f} "
                f"{statistics.median(x[1] for x in s):8.1f} {s[-1][2]:8d} {s[-1][3]:15d}"
            )
        if refresh_ms:
            refresh = statistics.median(refresh_ms)
            print(f"{day:%d/%m/%Y}   background refresh after a write: median {refresh:.1f} ms")
        if args.server_cpu and connection.vendor == "postgresql":
            server_cpu(url, client, args.repeat, args.pg_set)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
