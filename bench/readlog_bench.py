"""The read log's cost (issue 21: "logging a read never slows a page by more than 2 ms"), on the
current database (run after ``./canbo demo --no-serve``).

Usage: ./canbo bench readlog_bench [--repeat N]

Prints, as medians of N runs after one warm-up, wall time and the process's CPU time (SQLite
runs in the process, so on a shared, loaded machine the CPU time is the steadier figure):

- ``record_read`` alone for one person (the one INSERT a page adds) and for an export of 1,000
  persons and of every person of the database (one bulk INSERT on PostgreSQL, batches of
  SQLite's parameter limit there; a quarter of N runs);
- first, the person page of a full dossier and the API read of a person, with the read log and
  without it (``canbo.people.reads.record_read`` replaced by a no-op), alternating run by run,
  and their difference and ratio;

and the load average before and after. No figure is asserted. The reads the bench writes stay
in the log (it is append-only); the purge removes them with the retention period.
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


def median_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """(median wall ms, median CPU ms) of ``repeat`` runs after one warm-up."""
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.test import Client

    from canbo.careers.models import Tenure
    from canbo.core import readlog
    from canbo.people import reads
    from canbo.people.models import Person

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=31)
    repeat = parser.parse_args().repeat
    # The person with the fullest dossier (most posts held), so the page is a heavy one.
    fullest = Tenure.objects.values("person").annotate(n=Count("id")).order_by("-n", "person").first()
    person = Person.objects.filter(pk=fullest["person"]).first() if fullest else None
    if person is None:
        sys.exit("Chưa có hồ sơ: chạy ./canbo demo --no-serve trước.")
    user, _ = User.objects.get_or_create(username="bench_readlog", defaults={"is_superuser": True})
    if not user.is_superuser:
        user.is_superuser = True
        user.save()
    client = Client()
    client.force_login(user)
    every = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    load_before = os.getloadavg()
    print(f"load average {load_before[0]:.2f} {load_before[1]:.2f}; medians of {repeat} runs, ms (wall/CPU)")

    pages = {
        "person page": lambda: client.get(f"/can-bo/{person.pk}/").status_code,
        "API person": lambda: client.get(f"/api/persons/{person.pk}/").status_code,
    }
    real = reads.record_read

    def without(fetch: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            reads.record_read = lambda *a, **k: []
            try:
                return fetch()
            finally:
                reads.record_read = real

        return run

    # Pages first (the exports below grow the log and the SQLite WAL), with and without the log
    # alternating run by run, so that a change in the machine's load falls on both.
    for name, fetch in pages.items():
        fetch(), without(fetch)()
        on_wall: list[float] = []
        on_cpu: list[float] = []
        off_wall: list[float] = []
        off_cpu: list[float] = []
        for _ in range(repeat):
            for fn, wall, cpu in ((fetch, on_wall, on_cpu), (without(fetch), off_wall, off_cpu)):
                start, start_cpu = time.perf_counter(), time.process_time()
                fn()
                wall.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
        on = statistics.median(on_wall), statistics.median(on_cpu)
        off = statistics.median(off_wall), statistics.median(off_cpu)
        print(
            f"{name}: with log {on[0]:.2f} / {on[1]:.2f}, without {off[0]:.2f} / {off[1]:.2f}; "
            f"difference {on[0] - off[0]:+.2f} / {on[1] - off[1]:+.2f}, "
            f"ratio {on[0] / off[0]:.3f} / {on[1] / off[1]:.3f}"
        )

    one = median_ms(lambda: readlog.record_read(user, person.pk, "Trang hồ sơ (bench)"), repeat)
    print(f"record_read, one person: {one[0]:.3f} / {one[1]:.3f}")
    for ids in (every[:1000], every):

        def export(ids: list[int] = ids) -> Any:
            return readlog.record_read(user, ids, "Xuất (bench)", kind=readlog.Kind.EXPORT)

        many = median_ms(export, max(3, repeat // 4))
        print(f"record_read, {len(ids):,} persons (an export): {many[0]:.1f} / {many[1]:.1f}")
    load_after = os.getloadavg()
    print(f"load average after {load_after[0]:.2f} {load_after[1]:.2f}")


if __name__ == "__main__":
    main()
