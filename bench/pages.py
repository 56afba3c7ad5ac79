"""Server time of the main pages on the current database (run after ``./canbo demo --no-serve``).

Usage: ./canbo bench pages [--repeat N]

Each page is requested N times through Django's test client (in-process: server time without the
network); the median is printed together with its ratio to the median of a trivial page (the
login form) measured in the same run, since these machines are noisy. No figure is asserted.
"""

from __future__ import annotations

import argparse
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

    from canbo.careers.models import Tenure
    from canbo.org.models import Unit
    from canbo.people.models import Person

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    user = User.objects.filter(is_superuser=True).order_by("id").first()
    if user is None:
        sys.exit("Chưa có dữ liệu mẫu: chạy ./canbo demo --no-serve trước.")
    busiest = Tenure.objects.values("person_id").order_by("-person_id").first()
    person = Person.objects.get(pk=busiest["person_id"]) if busiest else Person.objects.first()
    unit = Unit.objects.filter(depth=2).order_by("path").first()
    assert person is not None and unit is not None
    client = Client()
    client.force_login(user)
    pages = {
        "login form (baseline)": ("/dang-nhap/", False),
        "person page": (f"/can-bo/{person.pk}/", True),
        "person page as of 11/12/2020": (f"/can-bo/{person.pk}/?ngay=2020-12-11", True),
        "person list, first page": ("/can-bo/", True),
        "person list, name search": ("/can-bo/?q=nguyen thi", True),
        f"person list of {unit.name}": (f"/can-bo/?don_vi={unit.pk}", True),
        "unit tree": ("/don-vi/?ngay=hom-nay", True),
        "API persons": ("/api/persons/?q=hoa", True),
    }
    anon = Client()
    print(f"{Person.objects.count()} people, {Unit.objects.count()} units, DB {connection.vendor}")
    print(f"{'page':45} {'median ms':>10} {'ratio':>8} {'queries':>8}")
    base = None
    for name, (url, logged_in) in pages.items():
        c = client if logged_in else anon
        c.get(url)  # warm caches
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            r = c.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, (url, r.status_code)
        with CaptureQueriesContext(connection) as q:
            c.get(url)
        med = statistics.median(times)
        base = base or med
        print(f"{name:45} {med:10.1f} {med / base:8.1f} {len(q.captured_queries):8d}")


if __name__ == "__main__":
    main()
