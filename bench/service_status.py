"""What "in service on the date" costs the lists, counts and indicators (run after ``./canbo demo``).

Usage: ./canbo bench service_status [--repeat N]

Each page is requested N times through Django's test client as the administrator, alternately
with the service-status condition (as shipped: every list is "in service on the date" unless
``?tinh_trang=`` says otherwise) and without it (``lists.filters.apply_filters`` told to leave
it out, the home count and the indicator engine patched back to no condition): the medians and
their ratio. No figure is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")


@contextmanager
def without_status() -> Any:
    """The code as before the service status: no condition anywhere."""
    from django.db.models import Q

    from canbo.indicators import engine
    from canbo.lists import filters
    from canbo.people import service_history

    defaults: dict[str, Any] = filters.apply_filters.__kwdefaults__ or {}
    saved = (engine.in_service_q, service_history.in_service_q)
    defaults["with_status"] = False

    def nothing(day: Any, prefix: str = "", person_key: str | None = None) -> Q:
        return Q()

    engine.in_service_q = nothing
    service_history.in_service_q = nothing  # the home page imports it when called
    try:
        yield
    finally:
        defaults["with_status"] = True
        engine.in_service_q, service_history.in_service_q = saved


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from canbo.org.models import Unit
    from canbo.people.models import Person
    from canbo.plans.models import Plan

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    user = User.objects.filter(is_superuser=True).order_by("id").first()
    if user is None:
        sys.exit("Chưa có dữ liệu mẫu: chạy ./canbo demo --no-serve trước.")
    unit = Unit.objects.filter(depth=2).order_by("path").first()
    plan = Plan.objects.order_by("id").first()
    assert unit is not None
    client = Client()
    client.force_login(user)
    pages = {
        "home page (count)": "/?ngay=hom-nay",
        "person list, first page": "/can-bo/",
        "person list as of 01/01/2000": "/can-bo/?ngay=01/01/2000",
        "person list, name search (nguyen thi)": "/can-bo/?q=nguyen thi&ngay=hom-nay",
        "person list, name search (hoa)": "/can-bo/?q=hoa",
        "person list, women aged 30-40": "/can-bo/?gioi_tinh=nu&tuoi_tu=30&tuoi_den=40",
        f"person list of {unit.name}": f"/can-bo/?don_vi={unit.pk}",
        f"name search (hoa) in {unit.name}": f"/can-bo/?don_vi={unit.pk}&q=hoa",
        "API persons (q=hoa)": "/api/persons/?q=hoa",
    }
    if plan is not None:
        pages["indicators of a plan as of 11/12/2020"] = f"/chi-tieu/{plan.code}/?ngay=11/12/2020"
    print(f"{Person.objects.count()} people, {Unit.objects.count()} units, DB {connection.vendor}")
    print("| page | with status, median ms | without, median ms | ratio |")
    print("|---|---:|---:|---:|")
    for label, url in pages.items():
        times: dict[bool, list[float]] = {True: [], False: []}
        for i in range(args.repeat * 2 + 2):
            status = i % 2 == 0
            ctx = without_status() if not status else _null()
            with ctx:
                t = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - t) * 1000
            if response.status_code != 200:
                print(f"{label}: HTTP {response.status_code}")
                break
            if i >= 2:  # the first of each is a warm-up
                times[status].append(elapsed)
        if times[True] and times[False]:
            a, b = statistics.median(times[True]), statistics.median(times[False])
            print(f"| {label} | {a:.1f} | {b:.1f} | {a / b:.2f} |")


@contextmanager
def _null() -> Any:
    yield


if __name__ == "__main__":
    main()
