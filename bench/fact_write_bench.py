"""What keeping the indicators' fact tables exact costs a write (``indicators.facts.on_change``).

For ``--count`` people holding a primary tenure, one edit of a counted field (the birth date,
moved to the 31st of December of the same year) through ``people.services.person_update``, and
one qualification added through ``section_create``; each write alternately with the facts'
listener and without it (``facts.on_change`` swapped for a no-op in this process: the
snapshots' invalidation runs in both), all in one transaction rolled back at the end, so the
database is left as it was. Medians of the wall time per write; the load average before and
after. Nothing is asserted.

    CANBO_DB=postgresql CANBO_DB_NAME=canbo_dash22c ... python -m bench fact_write_bench --count 40
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")


class _Rollback(Exception):
    pass


def main() -> None:
    import django

    django.setup()
    from django.db import connection, transaction

    from canbo.indicators import facts
    from canbo.indicators.models import TenureFact
    from canbo.people.models import Person, Qualification
    from canbo.people.services import person_update, section_create

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    args = parser.parse_args()
    real = facts.on_change

    def off(*_a: Any) -> None:
        return None

    holders = TenureFact.objects.order_by("person_id").values_list("person_id", flat=True).distinct()
    ids = list(holders[: args.count * 2])
    times: dict[str, list[float]] = {f"{w}, {h}": [] for w in ("edit", "qual") for h in ("with", "without")}
    print(
        f"{connection.vendor}, {Person.objects.count():,} people, {len(ids)} writers; load average before: "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    try:
        with transaction.atomic():
            for k, pk in enumerate(ids):
                way = "with" if k % 2 == 0 else "without"
                facts.on_change = real if way == "with" else off  # type: ignore[assignment]
                person = Person.objects.get(pk=pk)
                t0 = time.perf_counter()
                person_update(
                    person=person,
                    acting_user=None,
                    changes={"birth_date": person.birth_date.replace(month=12, day=31)},
                )
                times[f"edit, {way}"].append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                section_create(
                    acting_user=None,
                    person=person,
                    instance=Qualification(
                        kind="chuyen_mon", level="thac_si", obtained_date=dt.date(2020, 6, 1)
                    ),
                )
                times[f"qual, {way}"].append((time.perf_counter() - t0) * 1000)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        facts.on_change = real
    for name, xs in times.items():
        print(f"  {name:15} median {statistics.median(xs):7.1f} ms (n={len(xs)}, max {max(xs):.1f})")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
