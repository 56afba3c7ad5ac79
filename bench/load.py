"""The everyday mix under load, through the production server (issue 22).

Usage: ./canbo bench load [--db PATH|NAME] [--db-engine sqlite|postgresql] [--clients 20]
                          [--seconds 60] [--think 1.0] [--writes] [--port 8765]

Bounded and on loopback only: the bench copies the SQLite database ``--db`` (default
``/work/bench-data/pages22-40k.sqlite3``, a 40,000-person demo; see bench/everyday.py) to a
temporary file — or, with ``--db-engine postgresql``, the PostgreSQL database ``--db`` (default
``CANBO_DB_NAME``; server, user and password from ``CANBO_DB_HOST``/``PORT``/``USER``/``PASSWORD``,
the host must be a loopback address) to a new database ``<name>_load`` made with
``CREATE DATABASE … TEMPLATE`` and dropped at the end — starts the server exactly as
``./canbo serve`` does — ``manage.py preflight``, the task worker (``manage.py db_worker``) and
gunicorn with ``src/canbo/gunicorn_conf.py`` (one process per core, gthread) — on
``127.0.0.1:PORT`` in demo mode, with the copy as its database, and stops all of it after
``--seconds``. ``--clients`` threads, each with its own keep-alive connection and the
administrator's session, replay the everyday mix: the person list, a name search, a person page,
the unit tree, a unit page, the 18-ĐA/TU dashboard, the plans and the planning list. After each
answer a client waits a random time with mean ``--think`` seconds (exponential; 1.0: about one
request per second per client, a busy office; 0: no think time, the server's throughput).
``--writes``: one request in ten is a PATCH of a person through the API with his ``row_version``
(a 409 for a version changed by another client counts as answered, not as an error).

Printed: requests, errors, requests per second and per core, p50/p95/p99 of the latency per page
and overall, the server's CPU per request (utime+stime of gunicorn's processes from /proc; on
PostgreSQL also the database server's: its postmaster's children, reaped and live, from /proc —
the whole cluster, so another database's work at the same time would be counted too, and the
bench prints how many other databases' sessions were active), and the load average before and
after. No figure is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.client
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "/work/bench-data/pages22-40k.sqlite3"
BIN = Path(sys.executable).parent


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def cpu_seconds(pid: int) -> float:
    """utime+stime of a process and its live children (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids = (task / "children").read_text().split()
            pids += [int(k) for k in kids]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            continue
    return total


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def pg_connect(dbname: str) -> Any:
    import psycopg

    e = os.environ.get
    host = e("CANBO_DB_HOST", "127.0.0.1")
    if host not in LOOPBACK and not host.startswith("/"):
        sys.exit(f"Máy chủ PostgreSQL {host} không phải máy này (chỉ đo trên 127.0.0.1).")
    return psycopg.connect(
        host=host,
        port=e("CANBO_DB_PORT", "5432"),
        dbname=dbname,
        user=e("CANBO_DB_USER", "canbo"),
        password=e("CANBO_DB_PASSWORD", ""),
        autocommit=True,
        connect_timeout=10,
    )


def pg_copy(source: str, copy: str) -> None:
    """A copy of ``source`` made by the server itself (file copy of the template, no dump)."""
    from psycopg import sql

    with pg_connect("postgres") as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [source]).fetchone()
        if not exists:
            sys.exit(f"Không có cơ sở dữ liệu PostgreSQL {source}.")
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy)))
        strategy = " STRATEGY FILE_COPY" if conn.info.server_version >= 150000 else ""
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}" + strategy).format(
                sql.Identifier(copy), sql.Identifier(source)
            )
        )


def pg_drop(copy: str) -> None:
    from psycopg import sql

    with pg_connect("postgres") as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy)))


def pg_postmaster() -> int:
    """The PostgreSQL server's main process: the parent of its checkpointer."""
    with pg_connect("postgres") as conn:
        row = conn.execute("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'").fetchone()
    if not row:
        return 0
    try:
        return int(Path(f"/proc/{row[0]}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def pg_cpu_seconds(postmaster: int) -> float:
    """The cluster's CPU: the postmaster's own, its reaped children's (the backends of closed
    connections) and its live children's."""
    if not postmaster:
        return float("nan")
    tick = os.sysconf("SC_CLK_TCK")
    try:
        fields = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()
        total = sum(int(f) for f in fields[11:15]) / tick
    except (OSError, IndexError, ValueError):
        return float("nan")
    return total + cpu_seconds(postmaster) - int(fields[11]) / tick - int(fields[12]) / tick


def pg_other_sessions(copy: str) -> int:
    """Active sessions of other databases (another helper's work would be in the cluster's CPU)."""
    with pg_connect("postgres") as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND datname IS NOT NULL"
            " AND datname <> %s AND pid <> pg_backend_pid()",
            [copy],
        ).fetchone()
    return int(row[0]) if row else 0


def pg_database_stats(copy: str) -> tuple[float, int]:
    """The copy's own figures from the statistics collector: milliseconds spent running
    statements (``active_time``, wall time: on a loaded machine it includes waiting for a core)
    and sessions opened (Django opens one per request unless CONN_MAX_AGE is set)."""
    with pg_connect("postgres") as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT active_time, sessions FROM pg_stat_database WHERE datname = %s", [copy]
        ).fetchone()
    return (float(row[0] or 0), int(row[1] or 0)) if row else (float("nan"), 0)


def prepare(env: dict[str, str]) -> dict[str, object]:
    """Sessions, CSRF secret and the pages' targets, written to/read from the copy."""
    code = r"""
import json, random, django
django.setup()
from django.contrib.auth.models import User
from django.test import Client
from canbo.org.models import Unit
from canbo.people.models import Person
from canbo.indicators.models import IndicatorTarget
admin = User.objects.filter(is_superuser=True).order_by("id").first()
sessions = []
for _ in range(int(__import__("sys").argv[1])):
    c = Client()
    c.force_login(admin)
    sessions.append(c.cookies["sessionid"].value)
ids = list(Person.objects.order_by("?").values_list("id", flat=True)[:500])
units = list(Unit.objects.filter(depth__lte=3).values_list("id", flat=True)[:200])
target = IndicatorTarget.objects.select_related("plan").order_by("id").first()
# The write mix PATCHes only persons whose record passes the model's validation as it stands: a
# bench database made by copying people (the 160,000 one) holds personal ids that the API rightly
# refuses (400), and a PATCH of those would measure the refusal, not a write.
from django.core.exceptions import ValidationError
writable = []
for p in Person.objects.filter(pk__in=ids[:200]):
    try:
        p.full_clean()
    except ValidationError:
        continue
    writable.append(p.pk)
print(json.dumps({"sessions": sessions, "persons": ids, "units": units,
                  "dashboard": target.plan.code if target else None,
                  "people": Person.objects.count(), "writable": writable}))
"""
    return json_child([code, env["BENCH_CLIENTS"]], env)


def json_child(args: list[str], env: dict[str, str]) -> Any:
    """Run ``python -c <args>`` from the project's root and read the JSON of its last line
    (the child's own output before it is ignored); a failed child ends the bench with its error."""
    out = subprocess.run(
        [sys.executable, "-c", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def versions_to_compare(before: str | None, label: str = "") -> Iterator[dict[str, Path]]:
    """The source trees a bench measures in one run: ``{"now": src}``, preceded by the revision
    ``before``'s ``src`` (``git archive`` into a temporary directory, removed afterwards) under
    ``label`` or the revision's own name, when one is given. Both then meet the same machine."""
    if not before:
        yield {"now": ROOT / "src"}
        return
    with tempfile.TemporaryDirectory(prefix="canbo-before-") as tmp:
        archive = subprocess.run(
            [shutil.which("git") or "git", "-C", str(ROOT), "archive", before, "src"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run([shutil.which("tar") or "tar", "-x", "-C", tmp], input=archive, check=True)
        yield {label or before: Path(tmp) / "src", "now": ROOT / "src"}


SEARCHES = ["nguyen thi", "hoa", "tran van", "le minh", "pham", "hoang anh", "vu thi lan"]


def mix(targets: dict[str, object], rnd: random.Random) -> tuple[str, str]:
    persons: list[int] = targets["persons"]  # type: ignore[assignment]
    units: list[int] = targets["units"]  # type: ignore[assignment]
    pages = [
        ("person list", "/can-bo/"),
        ("name search", "/can-bo/?q=" + rnd.choice(SEARCHES).replace(" ", "+")),
        ("person page", f"/can-bo/{rnd.choice(persons)}/"),
        ("unit tree", "/don-vi/"),
        ("unit page", f"/don-vi/{rnd.choice(units)}/"),
        ("plans", "/ke-hoach/"),
        ("planning list", "/quy-hoach/"),
    ]
    if targets.get("dashboard"):
        pages.append(("dashboard", f"/chi-tieu/{targets['dashboard']}/"))
    return rnd.choice(pages)


WRITE = "PATCH person (API)"
REASON = "đo tải"


def write_once(conn: http.client.HTTPConnection, pk: int, cookie: str, csrf: str, rnd: random.Random) -> int:
    """GET a person through the API, then PATCH him with the ``row_version`` read: the status of
    the PATCH (200 written, 409 another client's write came between), or of the GET when it was
    not a 200."""
    conn.request("GET", f"/api/persons/{pk}/", headers={"Cookie": cookie})
    got = conn.getresponse()
    body = got.read()
    if got.status != 200:
        return got.status
    payload = json.dumps(
        {
            "row_version": json.loads(body)["row_version"],
            "reason": REASON,
            "other_names": f"Tên khác {rnd.randint(1, 999)}",
        }
    )
    conn.request(
        "PATCH",
        f"/api/persons/{pk}/",
        body=payload.encode(),
        headers={"Cookie": cookie, "X-CSRFToken": csrf, "Content-Type": "application/json"},
    )
    got = conn.getresponse()
    got.read()
    return got.status


def read_once(conn: http.client.HTTPConnection, url: str, cookie: str) -> int:
    conn.request("GET", url, headers={"Cookie": cookie})
    got = conn.getresponse()
    got.read()
    return got.status


def client_loop(
    n: int,
    port: int,
    targets: dict[str, object],
    args: argparse.Namespace,
    stop_at: float,
    results: list[tuple[str, float, int]],
    lock: threading.Lock,
    seed: int = 0,
) -> None:
    rnd = random.Random(seed + n)
    session = targets["sessions"][n]  # type: ignore[index]
    csrf = "b" * 32
    cookie = f"sessionid={session}; csrftoken={csrf}"
    writable: list[int] = targets.get("writable") or targets["persons"]  # type: ignore[assignment]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while time.monotonic() < stop_at:
        write = args.writes and rnd.random() < 0.1
        if write:
            name, pk = WRITE, rnd.choice(writable)
            attempt = functools.partial(write_once, pk=pk, cookie=cookie, csrf=csrf, rnd=rnd)
        else:
            name, url = mix(targets, rnd)
            attempt = functools.partial(read_once, url=url, cookie=cookie)
        t0 = time.perf_counter()
        try:
            status = attempt(conn)
        except (OSError, http.client.HTTPException):
            # The server closed an idle keep-alive connection (2 s): reconnect and ask again, as
            # a browser does; only a second failure counts as no answer (599).
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                status = attempt(conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                status = 599
        elapsed = (time.perf_counter() - t0) * 1000
        with lock:
            results.append((name, elapsed, status))
        if args.think > 0:
            time.sleep(min(rnd.expovariate(1 / args.think), 5 * args.think))
    conn.close()


def wait_up(port: int, server: subprocess.Popen[bytes], log: Path, timeout: float = 240) -> None:
    """Until the server answers the login page; its log's last lines in the refusal otherwise (a
    start takes a minute or more on a machine at a load of 20)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and server.poll() is None:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/dang-nhap/")
            c.getresponse().read()
            c.close()
            return
        except OSError:
            time.sleep(0.5)
    tail = " | ".join(log.read_text(errors="replace").splitlines()[-5:]) if log.exists() else ""
    sys.exit(f"Máy chủ không khởi động được. {tail}"[:600])


def written(env: dict[str, str]) -> int:
    """The write mix's changes found in the copy's change log (``ObjectChange`` with the bench's
    reason): the PATCHes answered 200 really wrote, through the audited service."""
    code = (
        "import django; django.setup()\n"
        "from canbo.core.models import ObjectChange\n"
        f"print(ObjectChange.objects.filter(reason={REASON!r}).count())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    try:
        return int(out.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return -1


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--db", default=None, help="SQLite: the file; PostgreSQL: the database (default CANBO_DB_NAME)"
    )
    parser.add_argument("--db-engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--writes", action="store_true")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--warmup", type=float, default=5)
    return parser


def run(args: argparse.Namespace) -> dict[str, Any]:
    """One run: copy, serve, replay the mix, measure; the figures as a dict (``report`` prints
    them, ``bench/load_matrix.py`` tabulates them). Exits (``SystemExit``) with a Vietnamese
    message when the database is missing or the server does not start."""
    args.seconds = min(args.seconds, 600)  # bounded
    args.clients = max(1, min(args.clients, 200))
    pg = args.db_engine == "postgresql"
    if pg:
        source_name = args.db or os.environ.get("CANBO_DB_NAME", "canbo")
        copy_name = f"{source_name}_load"
        tmp = Path(tempfile.mkdtemp(prefix="canbo-load-"))
    else:
        source = Path(args.db or DEFAULT_DB).resolve()
        if not source.exists():
            sys.exit(f"Không có cơ sở dữ liệu {source} (xem bench/everyday.py).")
        source_name = source.name
        tmp = Path(tempfile.mkdtemp(prefix="canbo-load-", dir=source.parent))
    procs: list[subprocess.Popen[bytes]] = []
    postmaster, pg_cpu, others = 0, float("nan"), 0
    active_ms, sessions = float("nan"), 0
    copy_seconds = 0.0
    try:
        env = {
            **os.environ,
            "CANBO_DEMO": "1",
            "CANBO_DEBUG": "0",
            "CANBO_ADDR": f"127.0.0.1:{args.port}",
            "CANBO_WEB_ACCESSLOG": "",
            "CANBO_MEDIA_ROOT": str(tmp / "media"),
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "canbo.settings",
            "BENCH_CLIENTS": str(args.clients),
        }
        copy_started = time.monotonic()
        if pg:
            pg_copy(source_name, copy_name)
            # As ./canbo serve sets it (src/canbo/settings.py).
            env.setdefault("CANBO_DB_CONN_MAX_AGE", "60")
            env.update({"CANBO_DB": "postgresql", "CANBO_DB_NAME": copy_name})
            postmaster = pg_postmaster()
        else:
            copy = tmp / "db.sqlite3"
            src_conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            dst_conn = sqlite3.connect(copy)
            src_conn.backup(dst_conn)
            dst_conn.close()
            src_conn.close()
            env.update({"CANBO_DB": "sqlite", "CANBO_SQLITE_PATH": str(copy)})
        copy_seconds = time.monotonic() - copy_started
        print(f"copy of {source_name}: {copy_seconds:.0f} s", flush=True)
        targets = prepare(env)
        subprocess.run([sys.executable, "manage.py", "preflight"], env=env, cwd=ROOT, check=True)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(worker)
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "canbo.wsgi:application",
                "--pythonpath",
                str(ROOT / "src"),
                "--config",
                str(ROOT / "src/canbo/gunicorn_conf.py"),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(tmp / "server.log").open("wb"),
        )
        procs.append(server)
        wait_up(args.port, server, tmp / "server.log")
        lock = threading.Lock()
        results: list[tuple[str, float, int]] = []
        # Warm-up: every worker imports and fills its caches; not counted. Its clients draw other
        # requests than the run's (another seed): with the same, the run repeated the warm-up's
        # pages and its PATCHes wrote the values already written, so changed nothing.
        warm_stop = time.monotonic() + args.warmup
        warm = [
            threading.Thread(
                target=client_loop,
                args=(i, args.port, targets, args, warm_stop, [], threading.Lock(), 10_000),
            )
            for i in range(args.clients)
        ]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        # The warm-up's writes are in the change log too: only the run's are counted.
        written_before = written(env) if args.writes else 0
        before_load = load()
        if pg:
            pg_cpu0 = pg_cpu_seconds(postmaster)
            active0, sessions0 = pg_database_stats(copy_name)
        cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
        stop_at = t0 + args.seconds
        threads = [
            threading.Thread(target=client_loop, args=(i, args.port, targets, args, stop_at, results, lock))
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        if pg:
            time.sleep(min(args.seconds / 2, 10))
            others = pg_other_sessions(copy_name)
        for t in threads:
            t.join()
        duration = time.monotonic() - t0
        cpu = cpu_seconds(server.pid) - cpu0
        after_load = load()
        if pg:
            pg_cpu = pg_cpu_seconds(postmaster) - pg_cpu0
            time.sleep(1.5)  # backends report their statistics at most once a second
            active1, sessions1 = pg_database_stats(copy_name)
            active_ms, sessions = active1 - active0, sessions1 - sessions0
        writes_logged = written(env) - written_before if args.writes else 0
        server_errors = [
            line
            for line in (tmp / "server.log").read_text(errors="replace").splitlines()
            if "Traceback" in line or " ERROR " in line
        ]
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(tmp, ignore_errors=True)
        if pg:
            pg_drop(copy_name)
    cores = len(os.sched_getaffinity(0))
    n = len(results)
    statuses: dict[int, int] = {}
    for r in results:
        statuses[r[2]] = statuses.get(r[2], 0) + 1
    writes = [r[2] for r in results if r[0] == WRITE]
    pages: dict[str, dict[str, float]] = {}
    for name in [*sorted({r[0] for r in results}), "all"]:
        vals = [r[1] for r in results if name in ("all", r[0])]
        pages[name] = {
            "n": len(vals),
            "p50": statistics.median(vals) if vals else float("nan"),
            "p95": pct(vals, 0.95),
            "p99": pct(vals, 0.99),
        }
    return {
        "engine": args.db_engine,
        "source": source_name,
        "people": targets.get("people"),
        "writable": len(targets.get("writable") or []),  # type: ignore[arg-type]
        "clients": args.clients,
        "seconds": args.seconds,
        "think": args.think,
        "writes": args.writes,
        "cores": cores,
        "copy_seconds": copy_seconds,
        "load_before": before_load,
        "load_after": after_load,
        "requests": n,
        "duration": duration,
        "req_per_s": n / duration,
        "req_per_s_per_core": n / duration / cores,
        # A 5xx, or no answer after a reconnection (599): the only errors. A 409 (row_version
        # changed by another client) is an answer, counted apart.
        "errors": sum(v for k, v in statuses.items() if k >= 500),
        "statuses": statuses,
        "server_log_errors": server_errors[:20],
        "patch_ok": sum(1 for s in writes if s == 200),
        "patch_conflicts": sum(1 for s in writes if s == 409),
        "patch_other": sum(1 for s in writes if s not in (200, 409)),
        "writes_logged": writes_logged,
        "cpu_ms": cpu * 1000 / max(1, n),
        "pg_cpu_ms": pg_cpu * 1000 / max(1, n) if pg else None,
        "pg_others": others,
        "pg_active_ms": active_ms / max(1, n) if pg else None,
        "pg_sessions": sessions,
        "pages": pages,
    }


def report(res: dict[str, Any]) -> None:
    print(
        f"{res['clients']} clients, {res['seconds']:.0f} s, think {res['think']} s, "
        f"writes {'on' if res['writes'] else 'off'}, {res['cores']} cores, {res['engine']} {res['source']}"
        f" ({res['people']} people)"
    )
    print(f"load average before: {res['load_before']}; after: {res['load_after']}")
    print(
        f"{res['requests']} requests, {res['errors']} errors (5xx or no answer), "
        f"{res['req_per_s']:.1f} req/s, {res['req_per_s_per_core']:.1f} req/s per core; "
        f"server CPU {res['cpu_ms']:.1f} ms per request"
    )
    if res["writes"]:
        print(
            f"PATCHes: {res['patch_ok']} answered 200, {res['patch_conflicts']} refused 409 "
            f"(row_version changed meanwhile), {res['patch_other']} other; "
            f"{res['writes_logged']} changes with the bench's reason in the change log; "
            f"PATCHed persons drawn from {res['writable']} of 200 that pass validation"
        )
    if res["pg_cpu_ms"] is not None:
        print(
            f"PostgreSQL server CPU {res['pg_cpu_ms']:.1f} ms per request "
            f"(whole cluster; other databases' active sessions seen mid-run: {res['pg_others']}); "
            f"together {res['cpu_ms'] + res['pg_cpu_ms']:.1f} ms"
        )
        print(
            f"this database: statements active {res['pg_active_ms']:.1f} ms per request "
            f"(wall), {res['pg_sessions']} sessions opened for {res['requests']} requests"
        )
    print(f"{'page':22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, f in res["pages"].items():
        print(f"{name:22} {f['n']:6d} {f['p50']:8.0f} {f['p95']:8.0f} {f['p99']:8.0f}")
    print("statuses:", ", ".join(f"{k}: {v}" for k, v in sorted(res["statuses"].items())))
    for line in res["server_log_errors"]:
        print("server log:", line)


def main() -> None:
    report(run(parser().parse_args()))


if __name__ == "__main__":
    main()
