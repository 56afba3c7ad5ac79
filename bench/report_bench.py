"""The yearly number-and-quality report (issue 18) on the current database (run after
``./canbo demo --no-serve``).

Usage: ./canbo bench report_bench [--repeat N] [--as-of YYYY-MM-DD]

Prints, as medians of N runs, for the province (the root unit) as a superuser: the computation
(``reports.statistics.compute``), the report page, a drill-down page (the women of the total row),
the Excel and the Word export (Django's test client, in-process), and the queries of the page.
No figure is asserted.
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
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


CPU: list[float] = []


def median_ms(fn: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    """Median wall time; the median CPU time of this process goes to ``CPU`` (the machine is
    shared, so the wall time alone says little)."""
    times, cpu = [], []
    result = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    CPU.append(statistics.median(cpu))
    return result, statistics.median(times)


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from canbo.org.models import Unit
    from canbo.people.models import Person
    from canbo.reports.layouts import layout_for
    from canbo.reports.statistics import compute

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--as-of", default="2025-12-31")
    args = parser.parse_args()
    day = dt.date.fromisoformat(args.as_of)
    root = Unit.objects.filter(depth=1).order_by("path").first()
    if root is None:
        sys.exit("Chưa có cây đơn vị: chạy ./canbo demo --no-serve trước.")
    user, _ = User.objects.get_or_create(username="bench_report", defaults={"is_superuser": True})
    client = Client()
    client.force_login(user)
    layout = layout_for(None, day)
    persons, units = Person.objects.count(), Unit.objects.count()
    print(f"{persons} persons, {units} units, as of {day}, layout {layout.code}")
    report, ms = median_ms(lambda: compute(user, root, day, layout), args.repeat)
    counted = report.counts.get(("tong", "tong"), 0)
    print(f"compute: {ms:.0f} ms (CPU {CPU[-1]:.0f} ms), {counted} counted, {len(report.rows)} rows")
    params = {"don_vi": root.pk, "ngay": f"{day:%d/%m/%Y}"}
    for label, extra in (
        ("page", {}),
        ("drill-down (women, total row)", None),
        ("Excel", {"xuat": "xlsx"}),
        ("Word", {"xuat": "docx"}),
    ):
        if extra is None:
            url = "/bao-cao/so-luong-chat-luong/nguoi/"
            query = {**params, "mau": layout.code, "hang": "tong", "cot": "nu"}
        else:
            url = "/bao-cao/so-luong-chat-luong/"
            query = {**params, **extra}

        def fetch(u: str = url, q: dict[str, Any] = query) -> Any:
            return client.get(u, q)

        response, ms = median_ms(fetch, args.repeat)
        assert response.status_code == 200, response.status_code
        print(f"{label}: {ms:.0f} ms (CPU {CPU[-1]:.0f} ms), {len(response.content) // 1024} KB")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/bao-cao/so-luong-chat-luong/", params)
    print(f"page queries: {len(ctx.captured_queries)}")


if __name__ == "__main__":
    main()
