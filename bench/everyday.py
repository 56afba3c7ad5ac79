"""Server CPU, wall time and query count of every everyday page (issue 22: 20 ms of CPU each).

Usage: ./canbo bench everyday [--db PATH] [--repeat N] [--rounds R] [--before REV]

Each page is requested N times through Django's test client, in process, on a SQLite copy of a
demo database (``--db``, default ``/work/bench-data/pages22-40k.sqlite3``; build one with
``CANBO_SQLITE_PATH=... ./canbo demo --no-serve``, 40,000 people by default). For every request it takes the
process's CPU time (``time.process_time``: this process is the server) and the wall time; the
medians are printed with the query count of one more request. The pages are the administrator's,
and the person list once more as the demo's leader ``lanhdao``, whose grant is one district.

``--before REV`` measures the code of git revision REV too, in the same run: that revision's
``src`` is exported to a temporary folder and both versions run as child processes, alternately
for R rounds on the same database, so both see the same machine load. The load average is
printed before and after. No figure is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.load import load, versions_to_compare

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "/work/bench-data/pages22-40k.sqlite3"


def measure(repeat: int) -> dict[str, dict[str, float]]:
    """Measure every page in this process; returns {page: {cpu, wall, queries}}."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from canbo.careers.models import Tenure
    from canbo.org.models import Unit
    from canbo.people.models import Person

    user = User.objects.filter(is_superuser=True).order_by("id").first()
    if user is None:
        sys.exit("Chưa có dữ liệu mẫu: chạy ./canbo demo --no-serve trước.")
    busiest = Tenure.objects.values("person_id").order_by("-person_id").first()
    person = Person.objects.get(pk=busiest["person_id"]) if busiest else Person.objects.first()
    unit = Unit.objects.filter(depth=2).order_by("path").first()
    assert person is not None and unit is not None
    from canbo.plans.models import Plan

    plan = Plan.objects.order_by("id").first()
    client = Client()
    client.force_login(user)
    pages = {
        "login form (baseline)": "/dang-nhap/",
        "person list, first page": "/can-bo/",
        "person list, name search": "/can-bo/?q=nguyen thi",
        "person list of a unit (depth 2)": f"/can-bo/?don_vi={unit.pk}",
        "person page": f"/can-bo/{person.pk}/",
        "person edit form": f"/can-bo/{person.pk}/sua/",
        "unit page": f"/don-vi/{unit.pk}/",
        "unit tree": "/don-vi/?ngay=hom-nay",
        "planning list": "/quy-hoach/",
        "career calendar": "/quy-dinh/lich/",
    }
    if plan is not None:
        pages["plan"] = f"/ke-hoach/{plan.pk}/"
    from canbo.indicators.models import IndicatorTarget

    # the 18-ĐA/TU dashboard, chosen as bench/load.py chooses it (its snapshots stored: the first
    # request, the warm-up, computes and keeps them, as a running server does)
    target = IndicatorTarget.objects.select_related("plan").order_by("id").first()
    if target is not None:
        pages["dashboard"] = f"/chi-tieu/{target.plan.code}/"
    # A grant limited to part of the tree: the demo's leader ``lanhdao`` (one district, 379 of the
    # 40,000 dossiers), whose list is read through ``restrict()`` (issue 22).
    narrow = User.objects.filter(username="lanhdao", is_superuser=False).first()
    clients = {}
    if narrow is not None:
        clients["person list, narrow grant (lanhdao)"] = Client()
        clients["person list, narrow grant (lanhdao)"].force_login(narrow)
        pages["person list, narrow grant (lanhdao)"] = "/can-bo/"
    out: dict[str, dict[str, float]] = {}
    for name, url in pages.items():
        c = Client() if name.startswith("login") else clients.get(name, client)
        r = c.get(url)  # warm caches
        assert r.status_code == 200, (url, r.status_code)
        cpu, wall = [], []
        for _ in range(repeat):
            c0, w0 = time.process_time(), time.perf_counter()
            r = c.get(url)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        with CaptureQueriesContext(connection) as q:
            c.get(url)
        out[name] = {
            "cpu": statistics.median(cpu),
            "wall": statistics.median(wall),
            "queries": len(q.captured_queries),
            "samples": repeat,
        }
    return out


def run_child(src: Path, db: str, repeat: int) -> dict[str, dict[str, float]]:
    env = {
        **os.environ,
        "CANBO_DB": "sqlite",
        "CANBO_SQLITE_PATH": db,
        "PYTHONPATH": str(src),
        "DJANGO_SETTINGS_MODULE": "canbo.settings",
    }
    code = (
        f"import sys, json; sys.path.insert(0, {str(src)!r}); sys.path.insert(1, {str(ROOT)!r});"
        f"from bench.everyday import measure; print(json.dumps(measure({repeat})))"
    )
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)
    if res.returncode:
        sys.exit(res.stderr[-3000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--before", help="git revision to compare with, measured in the same run")
    args = parser.parse_args()
    db = str(Path(args.db).resolve())
    if not Path(db).exists():
        sys.exit(f"Không có cơ sở dữ liệu {db}: tạo bằng ./canbo demo --no-serve (xem đầu tệp này).")
    print(f"load average before: {load()}")
    samples: dict[str, dict[str, dict[str, list[float]]]] = {}
    with versions_to_compare(args.before, "before") as versions:
        samples = {v: {} for v in versions}
        for _ in range(args.rounds):
            for v, src in versions.items():
                for page, fig in run_child(src, db, args.repeat).items():
                    s = samples[v].setdefault(page, {"cpu": [], "wall": [], "queries": []})
                    s["cpu"].append(fig["cpu"])
                    s["wall"].append(fig["wall"])
                    s["queries"].append(fig["queries"])
    print(f"load average after: {load()}")
    print(f"{args.rounds} rounds × {args.repeat} requests per page and version; median of the medians")
    head = f"{'page':36}"
    for v in versions:
        head += f" {v + ' cpu ms':>14} {'wall ms':>8} {'queries':>7}"
    print(head)
    for page in samples["now"]:
        line = f"{page:36}"
        for v in versions:
            got = samples[v].get(page)
            if got is None:
                line += f" {'-':>14} {'-':>8} {'-':>7}"
                continue
            line += (
                f" {statistics.median(got['cpu']):14.1f} {statistics.median(got['wall']):8.1f}"
                f" {int(max(got['queries'])):7d}"
            )
        print(line)


if __name__ == "__main__":
    main()
