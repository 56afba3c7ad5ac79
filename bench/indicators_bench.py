"""All indicators of a plan, for every unit of a level, as of one date; against DuckDB.

Usage: ./canbo bench indicators [--size N] [--plan CODE] [--as-of YYYY-MM-DD] [--repeat N]

The first run builds a demo province of N people (150,000 by default) in its own SQLite file,
``var/bench/indicators-<N>.sqlite3`` (``manage.py migrate`` + ``seed_demo --size N``, about
6 minutes at 150,000 on this machine), and loads the indicator definitions and targets; later
runs reuse it.

For each level (the district localities, then the commune localities in force on the date) the
engine computes every indicator of the plan grouped by the units of that level
(``engine.compute(..., depth=...)``: one SQL query per population source plus the "is there a
unit of that level" check), ``--repeat`` times; the median wall time (Python and SQL,
in-process: server time without HTTP) is printed.

DuckDB 1.5.6 then runs the very SQL statements the engine sent (captured with
``connection.execute_wrapper``), on the same rows copied into an in-memory DuckDB database
(tables exported with the sqlite3 shell as CSV, typed from the SQLite schema; the copy is not
timed). Its median is printed, with our time as a ratio to it, and the result rows of both are
compared: the numbers must be identical. Nothing is asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TABLES = [
    "careers_tenure",
    "careers_bodymembership",
    "org_title",
    "org_unit",
    "org_adminarea",
    "people_person",
    "people_ethnicity",
    "people_qualification",
    "people_partymembership",
]


def duck_type(sqlite_type: str) -> str:
    t = sqlite_type.lower()
    if t.startswith("bool"):
        return "BOOLEAN"
    if t in ("date",):
        return "DATE"
    if t.startswith("datetime"):
        return "TIMESTAMP"
    if "int" in t:
        return "BIGINT"
    if t.startswith(("decimal", "real", "float")):
        return "DOUBLE"
    return "VARCHAR"


def build(path: Path, size: int) -> None:
    env = {**os.environ, "CANBO_DB": "sqlite", "CANBO_SQLITE_PATH": str(path)}
    manage = [sys.executable, str(ROOT / "manage.py")]
    print(f"Tạo CSDL thử {path} với {size:,} người (vài phút)…", flush=True)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    seed = [*manage, "seed_demo", "--size", str(size)]
    subprocess.run(seed, env=env, check=True, stdout=subprocess.DEVNULL)


def duck_copy(sqlite_path: Path) -> Any:
    """An in-memory DuckDB database with the same rows and column types as the SQLite tables."""
    import sqlite3

    import duckdb

    duck = duckdb.connect()
    src = sqlite3.connect(sqlite_path)
    with tempfile.TemporaryDirectory() as tmp:
        for table in TABLES:
            cols = [(r[1], duck_type(r[2])) for r in src.execute(f"PRAGMA table_info({table})")]
            csv = Path(tmp) / f"{table}.csv"
            with csv.open("w") as fh:
                dump = ["sqlite3", "-csv", "-header", str(sqlite_path), f"SELECT * FROM {table}"]
                subprocess.run(dump, stdout=fh, check=True)
            types = ", ".join(f"'{c}': 'VARCHAR'" for c, _ in cols)
            select = ", ".join(
                f'"{c}"' if t == "VARCHAR" else f'CAST(NULLIF("{c}", \'\') AS {t}) AS "{c}"' for c, t in cols
            )
            duck.execute(
                f"CREATE TABLE \"{table}\" AS SELECT {select} FROM read_csv('{csv}', header=true, "
                f"columns={{{types}}}, quote='\"', escape='\"')"
            )
    return duck


PG_NAME = "canbo_ind_bench"
PG_ENV = {
    "CANBO_DB": "postgresql",
    "CANBO_DB_NAME": PG_NAME,
    "CANBO_DB_HOST": os.environ.get("CANBO_DB_HOST", "127.0.0.1"),
    "CANBO_DB_USER": os.environ.get("CANBO_DB_USER", "canbo"),
    "CANBO_DB_PASSWORD": os.environ.get("CANBO_DB_PASSWORD", "canbo-test"),
}
# Copied from the SQLite bench file, in foreign-key order (checks are deferred to the commit).
PG_COPY = [
    "org_adminarea",
    "org_unit",
    "org_title",
    "org_post",
    "people_ethnicity",
    "people_religion",
    "people_person",
    "careers_tenure",
    "careers_bodymembership",
    "people_qualification",
    "people_partymembership",
]
# Replicated FACTOR times with offset ids: the people and everything hanging from them.
PG_REPLICATE = ["people_person", "careers_tenure", "careers_bodymembership", "people_qualification",
                "people_partymembership"]  # fmt: skip
OFFSET = 10_000_000


def pg_connect(dbname: str) -> Any:
    import psycopg

    return psycopg.connect(
        host=PG_ENV["CANBO_DB_HOST"], user=PG_ENV["CANBO_DB_USER"], password=PG_ENV["CANBO_DB_PASSWORD"],
        dbname=dbname, autocommit=True,
    )  # fmt: skip


def pg_columns(conn: Any, table: str) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
        "ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def build_pg(sqlite_path: Path, factor: int) -> None:
    """PostgreSQL bench database: the SQLite demo's rows copied, then the people and their
    tenures, memberships, qualifications and Party memberships replicated ``factor`` times with
    offset ids (personal ids rewritten to stay unique) into the same units: seed_demo would take
    hours at 2,500,000 people."""
    with pg_connect("postgres") as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_NAME,)).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{PG_NAME}"')
    if exists:
        # Kept from an earlier run: add the missing copies when a larger factor is asked for.
        with pg_connect(PG_NAME) as conn:
            have = conn.execute("SELECT max(id) FROM people_person").fetchone()[0] // OFFSET + 1
            if have < factor:
                print(f"CSDL PostgreSQL {PG_NAME}: thêm bản sao {have}…{factor - 1}", flush=True)
                conn.autocommit = False
                replicate(conn, range(have, factor), factor)
        return
    env = {**os.environ, **PG_ENV}
    print(f"Tạo CSDL PostgreSQL {PG_NAME}: migrate, chép dữ liệu, nhân {factor} lần…", flush=True)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True)
    with pg_connect(PG_NAME) as conn, tempfile.TemporaryDirectory() as tmp:
        conn.autocommit = False
        conn.execute("TRUNCATE " + ", ".join(PG_COPY) + " CASCADE")
        for table in PG_COPY:
            cols = pg_columns(conn, table)
            names = ", ".join(f'"{c}"' for c, _ in cols)
            csv = Path(tmp) / f"{table}.csv"
            with csv.open("w") as fh:
                dump = ["sqlite3", "-csv", str(sqlite_path), f"SELECT {names} FROM {table}"]
                subprocess.run(dump, stdout=fh, check=True)
            text = [f'"{c}"' for c, t in cols if t in ("character varying", "text")]
            force = f", FORCE_NOT_NULL ({', '.join(text)})" if text else ""
            with conn.cursor().copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv{force})") as cp:
                cp.write(csv.read_bytes())
            print(f"  {table}", flush=True)
        conn.commit()
        replicate(conn, range(1, factor), factor)


def replicate(conn: Any, copies: range, factor: int) -> None:
    """Copies ``k`` of the original rows (ids below OFFSET) with ids offset by k·OFFSET, then the
    sequences moved past them and ``VACUUM ANALYZE``."""
    for k in copies:
        for table in PG_REPLICATE:
            cols = pg_columns(conn, table)
            exprs = []
            for c, _t in cols:
                if c in ("id", "person_id"):
                    exprs.append(f'"{c}" + {k * OFFSET}')
                elif c == "personal_id":  # "0000" + 8 digits: no province code starts with 000
                    exprs.append(f"lpad(({k * OFFSET} + id)::text, 12, '0')")
                else:
                    exprs.append(f'"{c}"')
            names = ", ".join(f'"{c}"' for c, _ in cols)
            select = f"SELECT {', '.join(exprs)} FROM {table} WHERE id < {OFFSET}"
            conn.execute(f"INSERT INTO {table} ({names}) {select}")
        conn.commit()
        print(f"  bản sao {k}/{factor - 1}", flush=True)
    conn.autocommit = True
    for table in PG_COPY:
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    # VACUUM as well: after a bulk load the visibility map is empty until autovacuum passes,
    # and index-only scans (the engine's covering indexes) would read the table pages anyway.
    conn.execute("VACUUM ANALYZE")


def duck_copy_pg(tables: list[str]) -> Any:
    """In-memory DuckDB copy of the PostgreSQL tables (COPY TO CSV, typed from the schema)."""
    import duckdb

    pg_types = {"boolean": "BOOLEAN", "date": "DATE", "integer": "BIGINT", "bigint": "BIGINT",
                "smallint": "BIGINT", "numeric": "DOUBLE"}  # fmt: skip
    duck = duckdb.connect()
    with pg_connect(PG_NAME) as conn, tempfile.TemporaryDirectory() as tmp:
        for table in tables:
            cols = [(c, pg_types.get(t, "VARCHAR")) for c, t in pg_columns(conn, table)]
            csv = Path(tmp) / f"{table}.csv"
            with (
                csv.open("wb") as fh,
                conn.cursor().copy(f"COPY {table} TO STDOUT WITH (FORMAT csv, HEADER)") as cp,
            ):
                for chunk in cp:
                    fh.write(chunk)
            types = ", ".join(f"'{c}': 'VARCHAR'" for c, _ in cols)
            select = ", ".join(
                f'"{c}"' if t == "VARCHAR" else f'CAST(NULLIF("{c}", \'\') AS {t}) AS "{c}"' for c, t in cols
            )
            duck.execute(
                f"CREATE TABLE \"{table}\" AS SELECT {select} FROM read_csv('{csv}', header=true, "
                f"columns={{{types}}}, quote='\"', escape='\"')"
            )
    return duck


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=150_000)
    parser.add_argument("--plan", default="lc-18-da-tu")
    parser.add_argument("--as-of", dest="as_of", default="2020-12-11")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--factor", type=int, default=17, help="PostgreSQL: nhân số người của tệp SQLite")
    args = parser.parse_args()

    path = ROOT / "var" / "bench" / f"indicators-{args.size // 1000}k.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        build(path, args.size)
    if args.db == "postgresql":
        build_pg(path, args.factor)
        os.environ.update(PG_ENV)
    else:
        os.environ["CANBO_DB"] = "sqlite"
        os.environ["CANBO_SQLITE_PATH"] = str(path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)  # a bench file built before a new migration

    from canbo.indicators import engine, services
    from canbo.indicators.models import IndicatorTarget
    from canbo.org.models import Unit
    from canbo.people.models import Person
    from canbo.plans.models import Plan

    services.definitions_load()
    services.targets_load()
    day = dt.date.fromisoformat(args.as_of)
    plan = Plan.objects.get(code=args.plan)
    targets = IndicatorTarget.objects.filter(plan=plan).select_related("definition")
    defs = list({t.definition_id: t.definition for t in targets}.values())
    root = Unit.objects.get_root_nodes().first()
    assert root is not None
    print(
        f"{Person.objects.count():,} người, {Unit.objects.count():,} đơn vị; kế hoạch {plan.number}, "
        f"{len(defs)} chỉ tiêu, ngày {day:%d/%m/%Y}; "
        + (f"SQLite {path.name}" if args.db == "sqlite" else f"PostgreSQL {PG_NAME}")
    )

    print("Chép các bảng sang DuckDB (không tính giờ)…", flush=True)
    duck = duck_copy(path) if args.db == "sqlite" else duck_copy_pg(TABLES)

    for level, label in (("huyen", "mọi huyện, thị xã, thành phố"), ("xa", "mọi xã, phường, thị trấn")):
        # The localities of the level (kind "dia_phuong"): the units a province compares.
        localities = Unit.objects.in_force(day).filter(level=level, kind="dia_phuong")
        depths = sorted(set(localities.values_list("depth", flat=True)))
        if not depths:
            print(f"{label}: không có đơn vị vào ngày này")
            continue
        captured: list[tuple[str, Any]] = []

        def capture(
            execute: Any, sql: str, params: Any, many: bool, context: Any, captured: list = captured
        ) -> Any:
            captured.append((sql, params))
            return execute(sql, params, many, context)

        ours = []
        for i in range(args.repeat):
            t = time.perf_counter()
            if i == 0:
                with connection.execute_wrapper(capture):
                    for depth in depths:
                        engine.compute(defs, day=day, unit=root, depth=depth)
            else:
                for depth in depths:
                    engine.compute(defs, day=day, unit=root, depth=depth)
            ours.append(time.perf_counter() - t)
        # Same statements on both engines: result rows compared, then DuckDB timed.
        statements = [(sql.replace("%s", "?"), list(p or [])) for sql, p in captured]
        with connection.cursor() as cur:
            expected = []
            for sql, params in captured:
                cur.execute(sql, params)
                expected.append(sorted(map(tuple, cur.fetchall()), key=repr))
        got = [sorted(map(tuple, duck.execute(sql, p).fetchall()), key=repr) for sql, p in statements]
        same = all(
            [tuple(int(v) if isinstance(v, bool) else v for v in row) for row in a]
            == [tuple(int(v) if isinstance(v, bool) else v for v in row) for row in b]
            for a, b in zip(expected, got, strict=True)
        )
        theirs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            for sql, p in statements:
                duck.execute(sql, p).fetchall()
            theirs.append(time.perf_counter() - t)
        a, b = statistics.median(ours), statistics.median(theirs)
        groups = sum(len(r) for r in expected)
        print(
            f"{label} (độ sâu {depths}): CanBo/{connection.vendor} {a * 1000:.0f} ms, "
            f"DuckDB {b * 1000:.0f} ms, "
            f"tỷ lệ {a / b:.1f}×; {len(statements)} câu SQL, {groups} dòng kết quả; "
            f"cùng số liệu: {'có' if same else 'KHÔNG'}"
        )


if __name__ == "__main__":
    main()
