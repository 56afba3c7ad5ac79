"""Speed of the 2C résumé: one person as Word and as PDF, and a batch of 500 as a ZIP.

Usage: ./canbo bench documents_bench --db PATH [--repeat 5] [--batch 500] [--as-of YYYY-MM-DD]

``--db`` is a demo database (SQLite) made by ``./canbo demo --no-serve --size N`` (or the steps
of ``cmd_demo`` with ``CANBO_VAR_DIR``). As the demo's province organisation officer (``tochuc``,
a grant on the whole province, sensitive items included), in one run:

- Word: ``documents.services.resume_docx`` for one person (the dossier read as of the date and
  the template filled), median of ``--repeat``, and its query count;
- PDF: the same and LibreOffice's conversion (``convert.to_pdf``: one start of LibreOffice per
  call, with its own profile), median of ``--repeat``;
- batch: ``services.batch_run`` for the first ``--batch`` persons of the province in name order
  (what the background task runs), as Word and as PDF (PDFs converted in chunks of 50, one
  LibreOffice start per chunk), once each: total time and per person.

Load average is printed at the start and the end: the machine is shared. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--as-of", dest="as_of", default="")
    args = parser.parse_args()
    os.environ["CANBO_DB"] = "sqlite"
    os.environ["CANBO_SQLITE_PATH"] = str(Path(args.db).resolve())
    os.environ.setdefault("CANBO_MEDIA_ROOT", str(Path(args.db).resolve().parent / "bench-media"))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from canbo.core.context import bind_context
    from canbo.core.dates import today
    from canbo.documents import convert, services
    from canbo.documents.models import ResumeBatch
    from canbo.people.models import Person
    from canbo.people.selectors import person_get

    day = dt.date.fromisoformat(args.as_of) if args.as_of else today()
    user = get_user_model().objects.get(username="tochuc")
    ids = list(
        Person.objects.restrict(user).order_by("sort_key", "id").values_list("pk", flat=True)[: args.batch]
    )
    print(f"load average at start: {load()}; {len(ids)} persons; as of {day:%d/%m/%Y}")
    person = person_get(user, ids[0])

    def word() -> bytes:
        return services.resume_docx(acting_user=user, person=person, form="bnv", day=day)[0]

    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        data = word()
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as ctx:
        word()
    print(
        f"Word, one person: median {statistics.median(times) * 1000:.0f} ms, "
        f"{len(data):,} bytes, {len(ctx)} queries"
    )
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        pdf = convert.to_pdf(word())
        times.append(time.perf_counter() - start)
    print(f"PDF, one person: median {statistics.median(times) * 1000:.0f} ms, {len(pdf):,} bytes")

    for fmt in ("docx", "pdf"):
        with bind_context(source="command"):
            batch = ResumeBatch.objects.create(
                user=user, title="bench", form="", file_format=fmt, as_of=day, person_ids=ids, total=len(ids)
            )
            start = time.perf_counter()
            services.batch_run(batch.pk)
            took = time.perf_counter() - start
        batch.refresh_from_db()
        size = (services.batch_dir() / batch.result_name).stat().st_size if batch.result_name else 0
        print(
            f"batch of {batch.done} as {fmt}: {took:.1f} s "
            f"({took / max(batch.done, 1) * 1000:.0f} ms per person), "
            f"ZIP {size / 1024 / 1024:.1f} MB, status {batch.status}"
        )
    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
