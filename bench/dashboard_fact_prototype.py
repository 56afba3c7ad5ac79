"""Prototype of the dashboard's cold path read from per-row fact tables (PostgreSQL only).

Measures, before anything is built in ``src/``, what the cold page's two heavy counting
statements (the table's tenure and membership statements, ``engine._count``), and the
breakdown's and the trend's tenure statements (``_count``, ``_count_days``), would cost if
they read one narrow table each instead of joining the person, the qualifications, the home
town's area and the ethnicity:

- ``proto22d.person_fact``: per person, the counted attributes (birth date, sex, Kinh or not,
  home town and its parent area, service dates) and, for each qualification condition of the
  plan (kind, minimum rank), the FIRST date the person met it (``MIN(obtained_date)``): "holds a
  qualification of that kind and rank obtained by D" is exactly "that first date <= D";
- ``proto22d.tenure_fact``: per primary tenure of the counted titles, the tenure's own columns
  (person, title, unit, dates) with the person's facts copied in and "local" (home town in the
  unit's area or a sub-area) computed once;
- ``proto22d.membership_fact``: the same per body membership.

The statements are captured from one cold request of the dashboard (the page, through Django's
test client, the snapshots deleted first), rewritten against the fact tables (text
substitutions, asserted to have applied), run one after another in the same backend with
parallel workers off, and the backend's CPU read from ``/proc/<pid>/stat`` around each (the
server on this machine, as ``dashboard_bench --server-cpu``). The rewritten statement's result is
compared with the original's. Nothing is asserted about time; the schema is dropped at the end
unless ``--keep``.

    CANBO_DB=postgresql CANBO_DB_NAME=canbo_dash22c ... python -m bench dashboard_fact_prototype \
        --as-of 2020-12-11 2025-12-31 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.dashboard_bench import backend_cpu_clock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")

# The qualification conditions of the plan lc-18-da-tu (kind, minimum rank) -> fact column.
QUALS = {
    ("ngoai_ngu", 40): "nn40",
    ("chuyen_mon", 40): "cm40",
    ("ly_luan_chinh_tri", 20): "llct20",
    ("chuyen_mon", 50): "cm50",
}

PERSON_FACT = """
CREATE TABLE proto22d.person_fact AS
SELECT p.id AS person_id, p.birth_date, p.sex, (e.code = '01') AS kinh,
       p.home_town_id, a.parent_id AS home_town_parent_id, p.service_from, p.service_until,
       {firsts}
FROM people_person p
LEFT JOIN people_ethnicity e ON e.id = p.ethnicity_id
LEFT JOIN org_adminarea a ON a.id = p.home_town_id
LEFT JOIN (SELECT person_id, {mins} FROM people_qualification GROUP BY person_id) q ON q.person_id = p.id
"""
TENURE_FACT = """
CREATE TABLE proto22d.tenure_fact AS
SELECT t.id AS tenure_id, t.person_id, t.title_id, t.unit_id, t.start_date, t.end_date, t.is_primary, f.*,
       (f.home_town_id = u.area_id OR f.home_town_parent_id = u.area_id) AS is_local
FROM careers_tenure t JOIN org_unit u ON u.id = t.unit_id
JOIN proto22d.person_fact f ON f.person_id = t.person_id
WHERE t.is_primary AND t.title_id IN ({titles})
"""
MEMBERSHIP_FACT = """
CREATE TABLE proto22d.membership_fact AS
SELECT m.id AS membership_id, m.person_id, m.body_id, m.kind, m.start_date, m.end_date, f.*
FROM careers_bodymembership m JOIN proto22d.person_fact f ON f.person_id = m.person_id
"""


def build(cur: Any, titles: str) -> None:
    firsts = ", ".join(f"q.{c}" for c in QUALS.values())
    mins = ", ".join(
        f"MIN(obtained_date) FILTER (WHERE kind = '{k}' AND level_rank >= {r}) AS {c}"
        for (k, r), c in QUALS.items()
    )
    steps = [
        "DROP SCHEMA IF EXISTS proto22d CASCADE",
        "CREATE SCHEMA proto22d",
        PERSON_FACT.format(firsts=firsts, mins=mins),
        "ALTER TABLE proto22d.person_fact ADD PRIMARY KEY (person_id)",
        # f.* repeats person_id: drop the copy's name clash by building from an explicit list.
        TENURE_FACT.replace(
            "f.*",
            "f.birth_date, f.sex, f.kinh, f.service_from, f.service_until, " + firsts.replace("q.", "f."),
        ).format(titles=titles),
        "CREATE INDEX ON proto22d.tenure_fact (start_date, end_date)",
        "CREATE INDEX ON proto22d.tenure_fact (person_id)",
        MEMBERSHIP_FACT.replace("f.*", "f.birth_date, f.sex, f.kinh, f.service_from, f.service_until"),
        "CREATE INDEX ON proto22d.membership_fact (start_date, end_date)",
        "CREATE INDEX ON proto22d.membership_fact (person_id)",
        "ANALYZE proto22d.person_fact",
        "ANALYZE proto22d.tenure_fact",
        "ANALYZE proto22d.membership_fact",
    ]
    for sql in steps:
        t0 = time.perf_counter()
        cur.execute(sql)
        print(
            f"  {sql.split(chr(10))[0] or sql.split(chr(10))[1]}: {(time.perf_counter() - t0) * 1000:,.0f} ms"
        )
    cur.execute(
        "SELECT (SELECT count(*) FROM proto22d.tenure_fact), "
        "(SELECT count(*) FROM proto22d.membership_fact), "
        "pg_size_pretty(pg_total_relation_size('proto22d.person_fact')), "
        "pg_size_pretty(pg_total_relation_size('proto22d.tenure_fact')), "
        "pg_size_pretty(pg_total_relation_size('proto22d.membership_fact'))"
    )
    print(
        "  tenure facts {}, membership facts {}; sizes: person {}, tenure {}, membership {}".format(
            *cur.fetchone()
        )
    )


def rewrite_tenure(sql: str, day: str) -> str:
    """The table's tenure statement against ``proto22d.tenure_fact``."""
    s = sql
    s = re.sub(
        r'LEFT OUTER JOIN "people_qualification" qual0 ON .*? INNER JOIN "people_ethnicity" ON '
        r'\("people_person"."ethnicity_id" = "people_ethnicity"."id"\)',
        "",
        s,
    )
    for (kind, rank), col in QUALS.items():
        s = s.replace(
            f'qual0."kind" = \'{kind}\' AND qual0."level_rank" >= {rank}',
            f"\"people_person\".{col} <= '{day}'::date",
        )
    non_local = (
        'NOT (("people_person"."home_town_id" = ("org_unit"."area_id") '
        'AND "people_person"."home_town_id" IS NOT NULL '
        'AND "org_unit"."area_id" IS NOT NULL) OR (T7."parent_id" = ("org_unit"."area_id") '
        'AND T7."parent_id" IS NOT NULL AND "org_unit"."area_id" IS NOT NULL))'
    )
    s = s.replace(non_local, 'NOT COALESCE("people_person".is_local, false)')
    s = s.replace('"people_ethnicity"."code" = \'01\'', '"people_person".kinh')
    s = s.replace('FROM "careers_tenure" INNER JOIN', 'FROM proto22d.tenure_fact "careers_tenure" INNER JOIN')
    s = s.replace('INNER JOIN "people_person" ON ("careers_tenure"."person_id" = "people_person"."id")', "")
    s = s.replace('"people_person".', '"careers_tenure".')
    assert not any(x in s for x in ("qual0", "T7", "people_ethnicity", "people_person")), s
    return s


def rewrite_membership(sql: str) -> str:
    s = sql.replace(
        'FROM "careers_bodymembership" INNER JOIN',
        'FROM proto22d.membership_fact "careers_bodymembership" INNER JOIN',
    )
    s = s.replace(
        'INNER JOIN "people_person" ON ("careers_bodymembership"."person_id" = "people_person"."id")', ""
    )
    s = s.replace('"people_person".', '"careers_bodymembership".')
    assert "people_person" not in s, s
    return s


def refresh(cur: Any, cpu_ms: Any, count: int = 50) -> None:
    """What keeping the facts exact would cost a write: one person's rows recomputed (their
    person fact from the records, then their tenure and membership facts from it), for
    ``count`` people holding a counted post, in one transaction rolled back. Medians."""
    firsts = ", ".join(QUALS.values())
    mins = ", ".join(
        f"MIN(obtained_date) FILTER (WHERE kind = '{k}' AND level_rank >= {r})" for (k, r) in QUALS
    )
    cur.execute(f"SELECT DISTINCT person_id FROM proto22d.tenure_fact ORDER BY person_id LIMIT {count}")
    ids = [r[0] for r in cur.fetchall()]
    steps = [
        f"UPDATE proto22d.person_fact f SET birth_date = p.birth_date, sex = p.sex, kinh = (e.code = '01'), "
        f"home_town_id = p.home_town_id, home_town_parent_id = a.parent_id, service_from = p.service_from, "
        f"service_until = p.service_until, ({firsts}) = (SELECT {mins} FROM people_qualification q "
        f"WHERE q.person_id = p.id) FROM people_person p "
        f"LEFT JOIN people_ethnicity e ON e.id = p.ethnicity_id "
        f"LEFT JOIN org_adminarea a ON a.id = p.home_town_id WHERE p.id = %s AND f.person_id = p.id",
        f"UPDATE proto22d.tenure_fact t SET birth_date = f.birth_date, sex = f.sex, kinh = f.kinh, "
        f"service_from = f.service_from, service_until = f.service_until, "
        f"({firsts}) = ({', '.join('f.' + c for c in QUALS.values())}), "
        f"is_local = (f.home_town_id = u.area_id OR f.home_town_parent_id = u.area_id) "
        f"FROM proto22d.person_fact f, org_unit u WHERE t.person_id = %s AND f.person_id = t.person_id "
        f"AND u.id = t.unit_id",
        "UPDATE proto22d.membership_fact m SET birth_date = f.birth_date, sex = f.sex, kinh = f.kinh, "
        "service_from = f.service_from, service_until = f.service_until FROM proto22d.person_fact f "
        "WHERE m.person_id = %s AND f.person_id = m.person_id",
    ]
    cpu: list[float] = []
    wall: list[float] = []
    cur.execute("BEGIN")
    for pk in ids:
        c0, w0 = cpu_ms(), time.perf_counter()
        for sql in steps:
            cur.execute(sql, [pk])
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append(cpu_ms() - c0)
    cur.execute("ROLLBACK")
    print(
        f"refresh of one person's facts ({len(ids)} people, 3 statements each): wall median "
        f"{statistics.median(wall):.1f} ms (max {max(wall):.1f}), PostgreSQL CPU in all {sum(cpu):.0f} ms"
    )


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from canbo.indicators.models import IndicatorSnapshot
    from canbo.org.models import Unit

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="lc-18-da-tu")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--as-of", dest="days", nargs="+", default=["2020-12-11", "2025-12-31"])
    parser.add_argument("--keep", action="store_true", help="giữ lại lược đồ proto22d")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "Chỉ dùng với PostgreSQL."
    user = User.objects.filter(is_superuser=True).order_by("id").first()
    root = Unit.objects.order_by("depth", "path").first()
    assert user is not None and root is not None, "Chưa có dữ liệu mẫu."
    client = Client()
    client.force_login(user)

    captured: dict[str, list[str]] = {}
    for day in args.days:
        got: list[tuple[str, Any]] = []

        def capture(execute: Any, sql: str, params: Any, many: bool, context: Any, got: Any = got) -> Any:
            got.append((sql, params))
            return execute(sql, params, many, context)

        IndicatorSnapshot.objects.all().delete()
        with connection.execute_wrapper(capture):
            client.get(f"/chi-tieu/{args.plan}/?ngay={day}&don_vi={root.pk}")
        with connection.cursor() as cur:
            texts = [cur.mogrify(sql, params) for sql, params in got if "COUNT(DISTINCT" in sql]
            captured[day] = [t.decode() if isinstance(t, bytes) else t for t in texts]

    tenure0 = captured[args.days[0]][0]
    titles = re.search(r'"careers_tenure"."title_id" IN \(([0-9, ]+)\)', tenure0)
    assert titles is not None
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with connection.cursor() as cur:
        build(cur, titles.group(1))
        cpu_ms = backend_cpu_clock(cur)
        cur.execute("SET max_parallel_workers_per_gather = 0")
        for day in args.days:
            # The cold page's counting statements, in the order it sends them: the table's
            # tenures, memberships and planning entries, the breakdown, the trend.
            tenure, membership, _, breakdown, trend = captured[day]
            assert all('FROM "careers_tenure"' in x for x in (tenure, breakdown, trend)), captured[day]
            variants = {
                "tenures, today": tenure,
                "tenures, fact table": rewrite_tenure(tenure, day),
                "memberships, today": membership,
                "memberships, fact table": rewrite_membership(membership),
                "breakdown, today": breakdown,
                "breakdown, fact table": rewrite_tenure(breakdown, day),
                "trend, today": trend,
                "trend, fact table": rewrite_tenure(trend, day),
            }
            cpu: dict[str, list[float]] = {k: [] for k in variants}
            wall: dict[str, list[float]] = {k: [] for k in variants}
            rows: dict[str, Any] = {}
            for _ in range(args.repeat):
                for name, sql in variants.items():
                    c0, w0 = cpu_ms(), time.perf_counter()
                    cur.execute(sql)
                    rows[name] = cur.fetchall()
                    wall[name].append((time.perf_counter() - w0) * 1000)
                    cpu[name].append(cpu_ms() - c0)
            print(f"as of {day}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}:")
            for name in variants:
                same = rows[name] == rows[name.split(",")[0] + ", today"]
                print(
                    f"  {name}: PostgreSQL CPU median {statistics.median(cpu[name]):,.0f} ms "
                    f"({', '.join(f'{x:.0f}' for x in cpu[name])}), wall median "
                    f"{statistics.median(wall[name]):,.0f} ms; "
                    f"{'same counts' if same else 'DIFFERENT COUNTS'}"
                )
        refresh(cur, cpu_ms)
        if not args.keep:
            cur.execute("DROP SCHEMA proto22d CASCADE")


if __name__ == "__main__":
    main()
