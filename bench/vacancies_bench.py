"""Speed of the vacancy view (/don-vi/vi-tri/) of the whole province.

Usage: ./canbo bench vacancies_bench --db PATH [--repeat 5] [--src DIR]

``--db`` is a demo database (SQLite) made by the steps of ``./canbo demo --no-serve --size N``.
As the province organisation officer (``tochuc``, a grant on the whole province), the page is
fetched once to warm up, then ``--repeat`` times through Django's test client: the median wall
time and CPU time of the process, the query count and the page's size are printed. ``--src``
runs another checkout's ``src`` (an earlier commit, for a before/after in one session). Load
average is printed at the start and the end: the machine is shared. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--src", default=str(ROOT / "src"))
    parser.add_argument("--url", default="/don-vi/vi-tri/")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(args.src).resolve()))
    os.environ["CANBO_DB"] = "sqlite"
    os.environ["CANBO_SQLITE_PATH"] = str(Path(args.db).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import canbo

    settings.ALLOWED_HOSTS = ["*"]
    print(f"Mã nguồn: {Path(canbo.__file__).parent}")
    print(f"Tải hệ thống lúc đầu: {load()}")
    client = Client()
    client.force_login(get_user_model().objects.get(username="tochuc"))
    client.get(args.url)  # warm-up: caches of units and rules
    walls, cpus = [], []
    queries = size = 0
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as captured:
            start, cpu = time.perf_counter(), time.process_time()
            response = client.get(args.url)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        assert response.status_code == 200
        queries, size = len(captured.captured_queries), len(response.content)
    print(
        f"{args.url}: trung vị {statistics.median(walls):.2f} s (CPU {statistics.median(cpus):.2f} s), "
        f"{args.repeat} lần; {queries} truy vấn; trang {size / 1024:.0f} KB"
    )
    print(f"Tải hệ thống lúc cuối: {load()}")


if __name__ == "__main__":
    main()
