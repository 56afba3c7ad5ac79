"""A narrow grant's person list, first request and asked again, on either database (issue 22).

Usage: ./canbo bench narrow_list [--user lanhdao] [--repeat N] [--rounds R] [--before REV] [--others]
       [--unit ID]

On the database of the environment (``CANBO_DB``…: a PostgreSQL database or
``CANBO_SQLITE_PATH``; nothing is written), in process through Django's test client, as the demo's
leader ``lanhdao`` (a grant on one district) or ``--user``, a few of his person lists are each
requested N times in two ways, alternately: **first** — every kept count, page and rows' markup
forgotten before the request (``lists.kept.kept_counts_reset``), as the first request after a
write that may change the list — and **again**, the same list asked once more. For each it takes
the server's CPU (``time.process_time``: this process is the server), the PostgreSQL backend's CPU
(from /proc, the session's own process; counted by the kernel in 10 ms ticks, so a mean), the
wall time and the query count, and prints the medians. The unit's list is that of ``--unit ID``,
else of his first grant's unit. ``--others``: his other everyday pages
(person page, unit tree, planning list, plans, career calendar), read through the same grant.

``--before REV`` runs the code of git revision REV too, as child processes alternating with this
one's for R rounds on the same database: both see the same machine. The load average is printed
before and after. No figure is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path
from typing import Any

from bench.load import json_child, load, versions_to_compare

ROOT = Path(__file__).resolve().parent.parent


def measure(repeat: int, username: str, others: bool = False, unit: int = 0) -> dict[str, dict[str, float]]:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from canbo.lists.kept import kept_counts_reset

    user = User.objects.filter(username=username).first()
    if user is None:
        raise SystemExit(f"Không có người dùng {username}.")
    client = Client()
    client.force_login(user)
    from canbo.accounts.models import Grant

    grant = Grant.objects.filter(user=user, unit__isnull=False).order_by("id").first()
    pages = {
        "list, first page": "/can-bo/",
        "list, page 3": "/can-bo/?trang=3",
        "list, women": "/can-bo/?gioi_tinh=nu",
        "name search": "/can-bo/?q=nguyen+thi",
        # last: the date is remembered in the session
        "list on 1/1/2020": "/can-bo/?ngay=01%2F01%2F2020",
    }
    unit = unit or (grant.unit_id or 0 if grant is not None else 0)
    if unit:
        pages = {**pages, "a unit's list": f"/can-bo/?don_vi={unit}"}
        pages["list on 1/1/2020"] = pages.pop("list on 1/1/2020")  # still last
    if others:  # the user's other everyday pages, read through the same grant (``restrict``)
        from canbo.people.models import Person

        person = Person.objects.restrict(user).order_by("id").first()
        pages = {
            "list, first page": "/can-bo/?ngay=hom-nay",
            "person page": f"/can-bo/{person.pk if person else 1}/",
            "unit tree": "/don-vi/",
            "planning list": "/quy-hoach/",
            "plans": "/ke-hoach/",
            "career calendar": "/quy-dinh/lich/",
        }
    pg = connection.vendor == "postgresql"
    tick = os.sysconf("SC_CLK_TCK")

    def backend_ms() -> float:
        if not pg:
            return 0.0
        connection.ensure_connection()
        pid = connection.connection.info.backend_pid
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / tick

    def one(url: str) -> tuple[float, float, float]:
        b0, c0, w0 = backend_ms(), time.process_time(), time.perf_counter()
        r = client.get(url)
        cpu, wall = (time.process_time() - c0) * 1000, (time.perf_counter() - w0) * 1000
        assert r.status_code == 200, (url, r.status_code)
        return cpu, backend_ms() - b0, wall

    out: dict[str, dict[str, float]] = {}
    for name, url in pages.items():
        client.get(url)  # warm the process (breadth of the grant, labels, templates)
        first, again = [], []
        for _ in range(repeat):
            kept_counts_reset()
            first.append(one(url))
            again.append(one(url))
        kept_counts_reset()
        with CaptureQueriesContext(connection) as q1:
            client.get(url)
        with CaptureQueriesContext(connection) as q2:
            client.get(url)
        out[name] = {
            "cpu_first": statistics.median(a[0] for a in first),
            "pg_first": statistics.mean(a[1] for a in first),
            "wall_first": statistics.median(a[2] for a in first),
            "cpu_again": statistics.median(a[0] for a in again),
            "pg_again": statistics.mean(a[1] for a in again),
            "wall_again": statistics.median(a[2] for a in again),
            "q_first": len(q1.captured_queries),
            "q_again": len(q2.captured_queries),
        }
    return out


def run_child(src: Path, repeat: int, username: str, others: bool, unit: int) -> dict[str, dict[str, float]]:
    env = dict(os.environ, PYTHONPATH=f"{src}:{ROOT}", DJANGO_SETTINGS_MODULE="canbo.settings")
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); from bench.narrow_list import measure; "
        "print(json.dumps(measure(int(sys.argv[2]), sys.argv[3], sys.argv[4] == '1', int(sys.argv[5]))))"
    )
    args = [code, str(src), str(repeat), username, str(int(others)), str(unit)]
    result: dict[str, dict[str, float]] = json_child(args, env)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--user", default="lanhdao")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--before", default="")
    ap.add_argument("--others", action="store_true", help="the user's other everyday pages")
    ap.add_argument("--unit", type=int, default=0, help="the unit's list of a user without a unit grant")
    args = ap.parse_args()
    print(f"database: {os.environ.get('CANBO_DB', 'sqlite')}; load average before: {load()}")
    with versions_to_compare(args.before) as versions:
        runs: dict[str, list[dict[str, dict[str, float]]]] = {v: [] for v in versions}
        for _ in range(args.rounds):
            for v, src in versions.items():
                runs[v].append(run_child(src, args.repeat, args.user, args.others, args.unit))
    print(f"load average after: {load()}")
    print(f"{args.rounds} rounds × {args.repeat} requests per list and version; median of the rounds")
    print(
        "| list | version | first: server CPU | first: PG CPU | first: wall | again: server CPU"
        " | again: PG CPU | again: wall | queries first / again |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for page in runs["now"][0]:
        for v in versions:
            m: dict[str, Any] = {k: statistics.median(r[page][k] for r in runs[v]) for k in runs[v][0][page]}
            print(
                f"| {page} | {v} | {m['cpu_first']:.1f} | {m['pg_first']:.1f} | {m['wall_first']:.1f} | "
                f"{m['cpu_again']:.1f} | {m['pg_again']:.1f} | {m['wall_again']:.1f} | "
                f"{m['q_first']:.0f} / {m['q_again']:.0f} |"
            )


if __name__ == "__main__":
    main()
