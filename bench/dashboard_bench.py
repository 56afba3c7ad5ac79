"""The 18-ĐA/TU dashboard (table, breakdown, trend) before and after the snapshots, one run.

Usage (on a demo database; DB copies outside the repository, e.g.
``CANBO_SQLITE_PATH=/work/bench-data/demo-150k.sqlite3``):

    ./canbo bench dashboard_bench [--plan lc-18-da-tu] [--repeat 7] [--as-of 2020-12-11 ...]

For each as-of date, the dashboard of the plan for the whole province (as a superuser, through
Django's test client: server time without the network) is requested ``--repeat`` times in four
ways, interleaved so that the machine's load falls on all of them alike:

- ``fresh``: every number computed from the records (``snapshots.fresh()``): the statements the
  page sent before the snapshots, one per source for the table, one for the breakdown, one per
  date of the trend;
- ``cold``: no snapshot at all (all deleted before the request): computed, then stored;
- ``after write``: the snapshots a write dated on the as-of day deletes are gone (those of
  that day and later), the earlier years of the trend are kept;
- ``snapshots``: everything read from the snapshots.

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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from canbo.indicators import snapshots
    from canbo.indicators.models import IndicatorSnapshot
    from canbo.org.models import Unit
    from canbo.people.models import Person

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="lc-18-da-tu")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--as-of", dest="days", nargs="*", default=["2020-12-11", "2025-12-31"])
    args = parser.parse_args()

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

    def prepare(way: str, day: dt.date) -> None:
        if way == "cold":
            IndicatorSnapshot.objects.all().delete()
        elif way == "after write":
            IndicatorSnapshot.objects.filter(last_day__gte=day).delete()

    def request(url: str, way: str) -> tuple[float, float, int, int]:
        with CaptureQueriesContext(connection) as q:
            t0, c0 = time.perf_counter(), time.process_time()
            if way == "fresh":
                with snapshots.fresh():
                    r = client.get(url)
            else:
                r = client.get(url)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert r.status_code == 200, (url, r.status_code)
        counting = sum("COUNT(DISTINCT" in x["sql"] for x in q.captured_queries)
        return wall * 1000, cpu * 1000, len(q.captured_queries), counting

    ways = ["fresh", "cold", "after write", "snapshots"]
    print(f"{'as of':12} {'way':12} {'median ms':>10} {'CPU ms':>8} {'queries':>8} {'COUNT(DISTINCT':>15}")
    for raw in args.days:
        day = dt.date.fromisoformat(raw)
        url = f"/chi-tieu/{args.plan}/?ngay={day.isoformat()}&don_vi={root.pk}"
        client.get(url)  # warm the process (templates, content types) and the snapshots
        samples: dict[str, list[tuple[float, float, int, int]]] = {w: [] for w in ways}
        for _ in range(args.repeat):
            for way in ways:
                prepare(way, day)
                samples[way].append(request(url, way))
        for way in ways:
            s = samples[way]
            print(
                f"{day:%d/%m/%Y}   {way:12} {statistics.median(x[0] for x in s):10.1f} "
                f"{statistics.median(x[1] for x in s):8.1f} {s[-1][2]:8d} {s[-1][3]:15d}"
            )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
