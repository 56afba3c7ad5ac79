"""The everyday mix under load, through the production server (issue 22).

Usage: ./canbo bench load [--db PATH] [--clients 20] [--seconds 60] [--think 1.0] [--writes]
                          [--port 8765]

Bounded and on loopback only: the bench copies the SQLite database ``--db`` (default
``/work/bench-data/pages22-40k.sqlite3``, a 40,000-person demo; see bench/everyday.py) to a
temporary file, starts the server exactly as ``./canbo serve`` does — ``manage.py preflight``,
the task worker (``manage.py db_worker``) and gunicorn with ``src/canbo/gunicorn_conf.py`` (one
process per core, gthread) — on ``127.0.0.1:PORT`` in demo mode, and stops all of it after
``--seconds``. ``--clients`` threads, each with its own keep-alive connection and the
administrator's session, replay the everyday mix: the person list, a name search, a person page,
the unit tree, a unit page, the 18-ĐA/TU dashboard, the plans and the planning list. After each
answer a client waits a random time with mean ``--think`` seconds (exponential; 1.0: about one
request per second per client, a busy office; 0: no think time, the server's throughput).
``--writes``: one request in ten is a PATCH of a person through the API with his ``row_version``
(a 409 for a version changed by another client counts as answered, not as an error).

Printed: requests, errors, requests per second and per core, p50/p95/p99 of the latency per page
and overall, the server's CPU per request (utime+stime of gunicorn's processes from /proc), and
the load average before and after. No figure is asserted.
"""

from __future__ import annotations

import argparse
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
from pathlib import Path

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


def prepare(db: Path, env: dict[str, str]) -> dict[str, object]:
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
print(json.dumps({"sessions": sessions, "persons": ids, "units": units,
                  "dashboard": target.plan.code if target else None}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code, env["BENCH_CLIENTS"]],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


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


def client_loop(
    n: int,
    port: int,
    targets: dict[str, object],
    args: argparse.Namespace,
    stop_at: float,
    results: list[tuple[str, float, int]],
    lock: threading.Lock,
) -> None:
    rnd = random.Random(n)
    session = targets["sessions"][n]  # type: ignore[index]
    csrf = "b" * 32
    cookie = f"sessionid={session}; csrftoken={csrf}"
    persons: list[int] = targets["persons"]  # type: ignore[assignment]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while time.monotonic() < stop_at:
        write = args.writes and rnd.random() < 0.1
        url, pk = "", 0
        t0 = time.perf_counter()
        try:
            if write:
                name, status = "PATCH person (API)", 0
                pk = rnd.choice(persons)
                conn.request("GET", f"/api/persons/{pk}/", headers={"Cookie": cookie})
                got = conn.getresponse()
                body = got.read()
                if got.status == 200:
                    version = json.loads(body)["row_version"]
                    payload = json.dumps(
                        {
                            "row_version": version,
                            "reason": "đo tải",
                            "other_names": f"Tên khác {rnd.randint(1, 999)}",
                        }
                    )
                    conn.request(
                        "PATCH",
                        f"/api/persons/{pk}/",
                        body=payload.encode(),
                        headers={
                            "Cookie": cookie,
                            "X-CSRFToken": csrf,
                            "Content-Type": "application/json",
                        },
                    )
                    got = conn.getresponse()
                    got.read()
                status = got.status
            else:
                name, url = mix(targets, rnd)
                conn.request("GET", url, headers={"Cookie": cookie})
                got = conn.getresponse()
                got.read()
                status = got.status
        except (OSError, http.client.HTTPException):
            # The server closed an idle keep-alive connection (2 s): reconnect and ask again, as
            # a browser does; only a second failure counts as no answer.
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                conn.request("GET", url if not write else f"/api/persons/{pk}/", headers={"Cookie": cookie})
                got = conn.getresponse()
                got.read()
                status = got.status
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


def wait_up(port: int, timeout: float = 90) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/dang-nhap/")
            c.getresponse().read()
            c.close()
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("Máy chủ không khởi động được.")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--writes", action="store_true")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--warmup", type=float, default=5)
    args = parser.parse_args()
    args.seconds = min(args.seconds, 600)  # bounded
    args.clients = max(1, min(args.clients, 200))
    source = Path(args.db).resolve()
    if not source.exists():
        sys.exit(f"Không có cơ sở dữ liệu {source} (xem bench/everyday.py).")
    tmp = Path(tempfile.mkdtemp(prefix="canbo-load-", dir=source.parent))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        copy = tmp / "db.sqlite3"
        src_conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst_conn = sqlite3.connect(copy)
        src_conn.backup(dst_conn)
        dst_conn.close()
        src_conn.close()
        env = {
            **os.environ,
            "CANBO_DB": "sqlite",
            "CANBO_SQLITE_PATH": str(copy),
            "CANBO_DEMO": "1",
            "CANBO_DEBUG": "0",
            "CANBO_ADDR": f"127.0.0.1:{args.port}",
            "CANBO_WEB_ACCESSLOG": "",
            "CANBO_MEDIA_ROOT": str(tmp / "media"),
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "canbo.settings",
            "BENCH_CLIENTS": str(args.clients),
        }
        targets = prepare(copy, env)
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
        wait_up(args.port)
        lock = threading.Lock()
        results: list[tuple[str, float, int]] = []
        # Warm-up: every worker imports and fills its caches; not counted.
        warm_stop = time.monotonic() + args.warmup
        warm = [
            threading.Thread(
                target=client_loop, args=(i, args.port, targets, args, warm_stop, [], threading.Lock())
            )
            for i in range(args.clients)
        ]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        before_load = load()
        cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
        stop_at = t0 + args.seconds
        threads = [
            threading.Thread(target=client_loop, args=(i, args.port, targets, args, stop_at, results, lock))
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        duration = time.monotonic() - t0
        cpu = cpu_seconds(server.pid) - cpu0
        after_load = load()
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    cores = len(os.sched_getaffinity(0))
    ok = [r for r in results if r[2] < 500]
    errors = len(results) - len(ok)
    lat = [r[1] for r in results]
    print(
        f"{args.clients} clients, {args.seconds:.0f} s, think {args.think} s, "
        f"writes {'on' if args.writes else 'off'}, {cores} cores, DB {source.name}"
    )
    print(f"load average before: {before_load}; after: {after_load}")
    print(
        f"{len(results)} requests, {errors} errors (5xx or no answer), "
        f"{len(results) / duration:.1f} req/s, {len(results) / duration / cores:.1f} req/s per core; "
        f"server CPU {cpu * 1000 / max(1, len(results)):.1f} ms per request"
    )
    print(f"{'page':22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    names = sorted({r[0] for r in results})
    for name in [*names, "all"]:
        vals = lat if name == "all" else [r[1] for r in results if r[0] == name]
        print(
            f"{name:22} {len(vals):6d} {statistics.median(vals):8.0f}"
            f" {pct(vals, 0.95):8.0f} {pct(vals, 0.99):8.0f}"
        )
    statuses: dict[int, int] = {}
    for r in results:
        statuses[r[2]] = statuses.get(r[2], 0) + 1
    print("statuses:", ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))


if __name__ == "__main__":
    main()
