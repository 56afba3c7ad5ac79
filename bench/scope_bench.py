"""Grants limited to a management scope (diện quản lý) against an unlimited grant, on the current
database (run after ``./canbo demo --no-serve``).

Usage: ./canbo bench scope_bench [--repeat N]

Makes three leader accounts on the root unit (``bench_scope_all``: every person;
``bench_scope_btv``: "Ban Thường vụ Tỉnh ủy quản lý"; ``bench_scope_agency``: "Cơ quan, đơn vị
quản lý"), then prints, as medians of N runs: the number of persons each sees, the time of
``Person.objects.restrict(user).count()``, of the person list page and of a name search on it
(Django's test client, in-process), each as wall time and as the process's CPU time (SQLite
runs in the process, so on a shared, loaded machine the CPU time is the steadier figure), and
the load average before and after. No figure is asserted. The accounts are left in place.
"""

from __future__ import annotations

import argparse
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


def median_ms(fn: Callable[[], Any], repeat: int) -> tuple[Any, float, float]:
    """(the last result, median wall ms, median CPU ms) of ``repeat`` runs after one warm-up."""
    result = fn()
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return result, statistics.median(wall), statistics.median(cpu)


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    from canbo.accounts.models import Grant, Role
    from canbo.org.choices import ManagementScope
    from canbo.org.models import Unit
    from canbo.people.models import Person

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    root = Unit.objects.filter(depth=1).order_by("path").first()
    if root is None:
        sys.exit("Chưa có cây đơn vị: chạy ./canbo demo --no-serve trước.")
    cases = (("all", ""), ("btv", ManagementScope.PROVINCIAL_STANDING), ("agency", ManagementScope.AGENCY))
    print(f"load average {os.getloadavg()[0]:.1f}, medians of {repeat} runs, ms (wall / CPU)")
    for name, scope in cases:
        user, _ = User.objects.get_or_create(username=f"bench_scope_{name}")
        Grant.objects.filter(user=user).delete()
        Grant.objects.create(user=user, role=Role.LEADER, unit=root, management_scope=scope)
        client = Client()
        client.force_login(user)

        def count(pk: int = user.pk) -> int:
            return Person.objects.restrict(User.objects.get(pk=pk)).count()

        def page(c: Client = client) -> int:
            return c.get("/can-bo/").status_code

        def search(c: Client = client) -> int:
            return c.get("/can-bo/", {"q": "nguyen van"}).status_code

        persons, *count_ms = median_ms(count, repeat)
        _, *page_ms = median_ms(page, repeat)
        _, *search_ms = median_ms(search, repeat)
        print(
            f"{name:7} {scope or '-':13} persons {persons:7}  count {count_ms[0]:6.1f} / {count_ms[1]:6.1f}  "
            f"list {page_ms[0]:6.1f} / {page_ms[1]:6.1f}  "
            f"name search {search_ms[0]:6.1f} / {search_ms[1]:6.1f}"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
