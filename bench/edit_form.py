"""Server time and size of the person edit form on the current database (issue 14: 2.6 s and
760 KB with a select of every unit; the target is under 200 ms).

Usage: ./canbo bench edit_form [--repeat N]   (after ./canbo demo --no-serve)

The form is requested N times through Django's test client (in-process: server time without
the network) as the administrator (every unit in scope) and as the commune officer (``xa``);
the median is printed with its ratio to the median of the login form measured in the same run,
the query count, the page size, and the unit picker's search (``/don-vi/chon/?tim=van hoa``).
The load average is printed before and after, since these machines are shared. No figure is
asserted.
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

    from canbo.org.models import Unit
    from canbo.people.models import Person

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    admin = User.objects.filter(is_superuser=True).order_by("id").first()
    if admin is None:
        sys.exit("Chưa có dữ liệu mẫu: chạy ./canbo demo --no-serve trước.")
    officer = User.objects.filter(username="xa").first()
    person = Person.objects.order_by("id").first()
    assert person is not None
    clients = {}
    for user in (admin, officer):
        if user is not None:
            c = Client()
            c.force_login(user)
            clients[user.username] = c
    officer_person = None
    if officer is not None:
        from canbo.core.querysets import CHANGE

        officer_person = Person.objects.restrict(officer, CHANGE).order_by("id").first()
    pages = [("login form (baseline)", Client(), "/dang-nhap/")]
    admin_client = clients[admin.username]
    pages.append((f"person edit form ({admin.username})", admin_client, f"/can-bo/{person.pk}/sua/"))
    if officer_person is not None:
        pages.append(("person edit form (xa)", clients["xa"], f"/can-bo/{officer_person.pk}/sua/"))
    pages.append(("unit picker search 'van hoa'", clients[admin.username], "/don-vi/chon/?tim=van+hoa"))
    pages.append(("unit picker, top units", clients[admin.username], "/don-vi/chon/"))
    print(f"{Person.objects.count()} people, {Unit.objects.count()} units, DB {connection.vendor}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'page':40} {'median ms':>10} {'ratio':>7} {'queries':>8} {'KB':>8}")
    base = None
    for name, c, url in pages:
        r = c.get(url)  # warm caches
        assert r.status_code == 200, (url, r.status_code)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            r = c.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        with CaptureQueriesContext(connection) as q:
            r = c.get(url)
        med = statistics.median(times)
        base = base or med
        size = len(r.content) / 1024
        print(f"{name:40} {med:10.1f} {med / base:7.1f} {len(q.captured_queries):8d} {size:8.1f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
