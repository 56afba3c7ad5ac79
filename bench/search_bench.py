"""Name search over 2,500,000 persons, on SQLite and on PostgreSQL.

Usage: ./canbo bench search_bench [--db sqlite|postgresql|both] [--rows N] [--repeat N] [--rebuild]

The first run builds a bench database (SQLite: ``var/bench/search.sqlite3``; PostgreSQL: database
``canbo_bench`` on the local test server, role ``canbo``), migrated like a real one, with N
persons (2,500,000 by default) whose names come from the demo's Vietnamese name pools (Kinh
mostly, minority names for the rest). Later runs reuse it and only apply new migrations, so a
migration that builds a search index is measured on 2.5 million existing rows too.

Bench data are not demo data: the rows are written with raw ``executemany`` (SQLite) or ``COPY``
(PostgreSQL) straight into ``people_person``, without services and without change-log entries,
because nothing here is a record anybody keeps; only the derived name fields (folded search name,
sort key) are computed exactly as the services compute them.

Then a fixed set of queries goes through the real ``name_search`` followed by
``order_by("sort_key", "id")[:50]`` (what every list does), each run ``--repeat`` times; the
median is printed with its ratio to a primary-key lookup measured in the same run, and the number
of matching rows (counted separately, not timed). No figure is asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")

SQLITE_PATH = ROOT / "var" / "bench" / "search.sqlite3"
PG_NAME = "canbo_bench"
SEED = 20261121
CHUNK = 50_000

# National make-up, roughly: Kinh ~86%, the rest spread over the minority name pools.
ETHNICITY_WEIGHTS = [
    ("01", 86.0), ("02", 2.5), ("08", 2.5), ("09", 2.0), ("07", 1.5), ("03", 1.5), ("06", 1.5),
    ("25", 0.8), ("35", 0.5), ("40", 0.5), ("43", 0.5),
]  # fmt: skip

# (label, query). Names are chosen from what the generator produces; counts are printed.
QUERIES = [
    ("family name, most common", "nguyen"),
    ("family name", "tran"),
    ("middle name, very common", "thi"),
    ("middle name, very common", "van"),
    ("family + middle", "nguyen thi"),
    ("family + middle", "nguyen van"),
    ("given name (also prefix of Hoàng)", "hoa"),
    ("given name, late in the alphabet", "trang"),
    ("given name, early in the alphabet", "anh"),
    ("given name, last in the alphabet", "yen"),
    ("family + given", "nguyen trang"),
    ("full name, common", "nguyen thi trang"),
    ("full name, common, accents and caps", "NGUYỄN THỊ HOA"),
    ("full name, common", "tran van hung"),
    ("word prefixes", "ng th tr"),
    ("full name, rare", "vuong thi bich thom"),
    ("full name, rare", "ta quang tuan"),
    ("full name, minority", "giang seo pao"),
    ("no match", "nguyen xyz"),
    ("no match", "zzz"),
    ("personal id, 12 digits", "<pid12>"),
    ("personal id, 9-digit prefix", "<pid9>"),
    ("personal id, 6-digit prefix", "<pid6>"),
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rows", type=int, default=2_500_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rebuild", action="store_true", help="drop the bench database and build it again")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print each query's plan")
    parser.add_argument(
        "--scoped-only", action="store_true", help="only the pages within grants, filters and a unit's list"
    )
    args = parser.parse_args()
    if args.db == "both":
        # Settings are read once per process: one child process per database.
        for db in ("sqlite", "postgresql"):
            argv = [a for a in sys.argv[1:] if not a.startswith("--db")]
            subprocess.run([sys.executable, "-m", "bench", "search_bench", "--db", db, *argv], check=True)
        return
    configure(args.db, rebuild=args.rebuild)
    import django

    django.setup()
    build(args.rows)
    if not args.build_only:
        run(args.repeat, explain=args.explain, scoped_only=args.scoped_only)


def configure(db: str, *, rebuild: bool) -> None:
    """Point the settings at the bench database (created if missing)."""
    if db == "sqlite":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        if rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        os.environ["CANBO_DB"] = "sqlite"
        os.environ["CANBO_SQLITE_PATH"] = str(SQLITE_PATH)
        return
    os.environ["CANBO_DB"] = "postgresql"
    os.environ["CANBO_DB_NAME"] = PG_NAME
    # The local test server of ./canbo test, unless the environment names another one.
    os.environ.setdefault("CANBO_DB_HOST", "127.0.0.1")
    os.environ.setdefault("CANBO_DB_USER", "canbo")
    os.environ.setdefault("CANBO_DB_PASSWORD", "canbo-test")
    import psycopg

    conninfo = psycopg.conninfo.make_conninfo(
        host=os.environ["CANBO_DB_HOST"],
        port=os.environ.get("CANBO_DB_PORT", "5432"),
        user=os.environ["CANBO_DB_USER"],
        password=os.environ["CANBO_DB_PASSWORD"],
        dbname="postgres",
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        if rebuild:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_NAME]).fetchone():
            conn.execute(f"CREATE DATABASE {PG_NAME}")


# --- building -------------------------------------------------------------------------------


def build(rows: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from canbo.people.models import Person

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    took = time.perf_counter() - t0
    if took > 5:
        print(f"migrate: {took:.1f} s", flush=True)
    have = Person.objects.count()
    if have == rows:
        if connection.vendor == "postgresql":
            # Index-only scans of the word table need its visibility map set (autovacuum would,
            # later); cheap when nothing changed.
            with connection.cursor() as cur:
                cur.execute("VACUUM ANALYZE people_person_name_word")
                cur.execute("VACUUM people_person")
        return
    if have:
        sys.exit(f"The bench database holds {have} persons, not {rows}: run with --rebuild.")
    t0 = time.perf_counter()
    units = make_units()
    columns, batches = person_rows(rows, units)
    done = 0
    for batch in batches:
        insert(columns, batch)
        done += len(batch)
        print(
            f"\r{connection.vendor}: {done:,} / {rows:,} persons, {time.perf_counter() - t0:.0f} s",
            end="",
            flush=True,
        )
    print(flush=True)
    t1 = time.perf_counter()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('people_person', 'id'), max(id)) FROM people_person"
            )
            cur.execute("VACUUM ANALYZE people_person")
            cur.execute("VACUUM ANALYZE people_person_name_word")
        else:
            cur.execute("ANALYZE")
    print(
        f"analyze: {time.perf_counter() - t1:.1f} s; build total {time.perf_counter() - t0:.0f} s", flush=True
    )


def make_units() -> list[int]:
    """A province root and 62 departments: persons spread over them (for ``restrict``)."""
    import datetime as dt

    from canbo.org.choices import Block, Level, UnitKind
    from canbo.org.models import Unit

    root = Unit.objects.add_root(
        instance=Unit(
            code="BENCH",
            name="Tỉnh đo thử",
            kind=UnitKind.LOCALITY,
            block=Block.STATE,
            level=Level.PROVINCE,
            valid_from=dt.date(2015, 1, 1),
        )
    )
    ids = [root.pk]
    for i in range(62):
        child = Unit(
            code=f"BENCH-{i:02d}",
            name=f"Sở đo thử {i}",
            kind=UnitKind.LOCALITY,
            block=Block.STATE,
            level=Level.PROVINCE,
            valid_from=dt.date(2015, 1, 1),
        )
        root = Unit.objects.get(pk=root.pk)
        ids.append(Unit.objects.add_child(root, instance=child).pk)
    return ids


def person_rows(rows: int, units: list[int]) -> tuple[list[str], Iterator[list[tuple[Any, ...]]]]:
    import datetime as dt

    from django.utils import timezone

    from canbo.core.text import fold, split_name
    from canbo.core.vnsort import name_sort_key
    from canbo.demo.names import full_name, pick
    from canbo.people.models import Ethnicity, Religion
    from canbo.people.validators import PROVINCE_PREFIXES, make_personal_id

    columns = [
        "id", "created", "last_updated", "row_version", "personal_id", "dossier_number",
        "national_db_id", "full_name", "family_name", "middle_name", "given_name", "search_name",
        "sort_key", "other_names", "sex", "birth_date", "birth_precision", "birth_place_text",
        "home_town_text", "residence_text", "current_address", "social_origin",
        "occupation_before", "general_education", "category", "recruiting_agency",
        "job_position", "grade_name", "grade_code", "military_rank", "honorary_title",
        "strengths", "policy_status", "left_service_reason", "is_synthetic", "ethnicity_id",
        "religion_id", "managing_unit_id",
    ]  # fmt: skip
    eth_ids = dict(Ethnicity.objects.values_list("code", "id"))
    religion = Religion.objects.get(code="00").pk
    prefixes = sorted(PROVINCE_PREFIXES)
    categories = ["can_bo", "cong_chuc", "vien_chuc", "dai_bieu", "khong_chuyen_trach"]
    derived: dict[str, tuple[str, str, str, str, str]] = {}
    from django.db import connection

    now: Any = timezone.now()
    if connection.vendor == "sqlite":
        now = now.replace(tzinfo=None).isoformat(" ")  # Django keeps naive UTC text on SQLite
    rng = random.Random(SEED)

    def names(full: str) -> tuple[str, str, str, str, str]:
        if full not in derived:
            family, middle, given = split_name(full)
            derived[full] = (family, middle, given, fold(full), name_sort_key(given, middle, family))
        return derived[full]

    def batches() -> Iterator[list[tuple[Any, ...]]]:
        batch: list[tuple[Any, ...]] = []
        for i in range(rows):
            eth = pick(rng, ETHNICITY_WEIGHTS)
            female = rng.random() < 0.5
            full = full_name(rng, ethnicity=eth, female=female)
            family, middle, given, search, sort_key = names(full)
            sex = "nu" if female else "nam"
            born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(40 * 365))
            pid = make_personal_id(
                province_prefix=prefixes[i % len(prefixes)],
                sex=sex,
                birth_year=born.year,
                serial=(i // len(prefixes)) * 7919,
            )
            unit = units[i % len(units)]
            batch.append((
                i + 1, now, now, 1, pid, f"HS-{i + 1:07d}", "", full, family, middle, given, search,
                sort_key, "", sex, born, "d", "Xã Tân Thịnh, huyện Văn Chấn, tỉnh Yên Bái",
                "Xã Phú Thịnh, huyện Yên Bình, tỉnh Yên Bái", "", "Số 12, đường Hoàng Liên, phường Cốc Lếu",
                "", "", "12/12", categories[i % len(categories)], "", "Chuyên viên", "Chuyên viên",
                "01.003", "", "", "", "", "", False, eth_ids[eth], religion, unit,
            ))  # fmt: skip
            if len(batch) == CHUNK:
                yield batch
                batch = []
        if batch:
            yield batch

    return columns, batches()


def insert(columns: list[str], batch: list[tuple[Any, ...]]) -> None:
    from django.db import connection, transaction

    cols = ", ".join(columns)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            raw = connection.connection
            with raw.cursor() as cur, cur.copy(f"COPY people_person ({cols}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            raw_cur = connection.connection.cursor()
            raw_cur.executemany(f"INSERT INTO people_person ({cols}) VALUES ({marks})", batch)


# --- timing ---------------------------------------------------------------------------------


def run(repeat: int, *, explain: bool, scoped_only: bool = False) -> None:
    from django.db import connection

    from canbo.people.models import Person
    from canbo.people.search import name_results, name_search

    total = Person.objects.count()
    sample = Person.objects.filter(pk=total // 3).values_list("personal_id", flat=True).get()
    subs = {"<pid12>": sample, "<pid9>": sample[:9], "<pid6>": sample[:6]}
    print(f"\n{connection.vendor}: {total:,} persons; median of {repeat} runs")

    def timed(fn: Any) -> float:
        fn()  # warm
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    base = timed(lambda: list(Person.objects.filter(pk=total // 2)))
    print("page: first 50 in name order as the list reads them (name-word index);")
    print("page+count: the same plus the list's count (capped at 1,000);")
    print("filter: the same 50 through the name_search filter alone (the fallback)")
    print(f"{'query':58} {'page ms':>8} {'ratio':>6} {'page+count':>10} {'filter ms':>9} {'matches':>9}")
    print(f"{'primary-key lookup (baseline)':58} {base:8.2f} {1.0:6.1f}")
    ordered = Person.objects.order_by("sort_key", "id")
    for label, q in [] if scoped_only else QUERIES:
        q = subs.get(q, q)
        qs = name_search(Person.objects.all(), q).order_by("sort_key", "id")

        def page(q: str = q) -> None:
            list(name_results(ordered, q)[0:50])

        def page_count(q: str = q) -> None:
            results = name_results(ordered, q)
            results.count()
            list(results[0:50])

        def filtered(qs: Any = qs) -> None:
            list(qs[:50])

        med = timed(page)
        both = timed(page_count)
        old = timed(filtered)
        same = [p.pk for p in name_results(ordered, q)[0:50]] == [p.pk for p in qs[:50]]
        matches = qs.count()
        flag = "" if same else "  DIFFERENT ROWS"
        name = f"{label} «{q}»"
        print(
            f"{name:58} {med:8.2f} {med / base:6.1f} {both:10.2f} {old:9.2f} {matches:9,}{flag}", flush=True
        )
        if explain:
            print(qs[:50].explain())
    scoped_run(timed, base)


SCOPED_QUERIES = ["nguyen", "thi", "nguyen thi", "yen", "NGUYỄN THỊ HOA", "tran van hung", "zzz"]


def scoped_run(timed: Any, base: float) -> None:
    """The same pages as the person list reads them for an officer (``filtered_persons``: the
    persons his grants cover, any filters, the name search): a grant on the whole province
    (every person), a grant on one department (1/63 of the people), the same department's women
    (a filter besides the grant), and the province officer's list of that department
    (``?don_vi=``: its dossiers and its post holders)."""
    import datetime as dt

    from django.contrib.auth.models import User
    from django.http import QueryDict

    from canbo.accounts.models import Grant, Role
    from canbo.lists.selectors import filtered_persons
    from canbo.org.models import Unit

    day = dt.date(2026, 11, 21)
    department = Unit.objects.filter(code="BENCH-07").get()
    cases = [
        ("BENCH", "a grant on the whole province", {}),
        ("BENCH-07", "a grant on one department", {}),
        ("BENCH-07", "the same department's women (a filter besides the grant)", {"gioi_tinh": "nu"}),
        ("BENCH", "the province officer's list of that department", {"don_vi": str(department.pk)}),
    ]
    for code, label, extra in cases:
        user, _ = User.objects.get_or_create(username=f"bench-{code.lower()}")
        Grant.objects.get_or_create(user=user, role=Role.OFFICER, unit=Unit.objects.filter(code=code).get())

        def listed(q: str, paged: bool, user_id: int = user.pk, extra: dict[str, str] = extra) -> Any:
            # A fresh user, as a request has: his grants are read again.
            params = QueryDict(mutable=True)
            params.update({"q": q, **extra})
            return filtered_persons(
                User.objects.get(pk=user_id), params, day, paged=paged, exact_count=False
            )[2]

        print(f"\nwithin {label} ({listed('', False).count():,} persons):")
        scoped_queries(timed, base, listed)


def scoped_queries(timed: Any, base: float, listed: Any) -> None:
    print(f"{'query':58} {'page ms':>8} {'ratio':>6} {'page+count':>10} {'filter ms':>9} {'matches':>9}")
    for q in SCOPED_QUERIES:

        def page(q: str = q) -> None:
            list(listed(q, True)[0:50])

        def page_count(q: str = q) -> None:
            found = listed(q, True)
            found.count()
            list(found[0:50])

        def filtered(q: str = q) -> None:
            list(listed(q, False)[:50])

        med, both, old = timed(page), timed(page_count), timed(filtered)
        same = [p.pk for p in listed(q, True)[0:50]] == [p.pk for p in listed(q, False)[:50]]
        matches = listed(q, False).count()
        counted = listed(q, True)
        shown = f"{counted.count():,}{'+' if counted.count_is_lower_bound else ''}"
        flag = "" if same else "  DIFFERENT ROWS"
        exact = counted.count() == matches and not counted.count_is_lower_bound
        if not exact and not (counted.count_is_lower_bound and counted.count() < matches):
            flag += f"  COUNT {shown}"
        print(
            f"{'«' + q + '»':58} {med:8.2f} {med / base:6.1f} {both:10.2f} {old:9.2f} {matches:9,}{flag}",
            flush=True,
        )


if __name__ == "__main__":
    main()
