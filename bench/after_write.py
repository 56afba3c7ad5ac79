"""What one write costs the pages read after it (issue 22, the write mix on PostgreSQL).

Usage: ./canbo bench after_write [--repeat N] [--before REV] [--pages TEXT]

On the database of the environment (``CANBO_DB``…; on PostgreSQL give a copy, the bench writes:
one PATCH of ``other_names`` per measured request, with the reason "đo tải"), in process through
Django's test client, every page of the load bench's mix (``bench/load.py``) is requested N times
in two ways, alternately: **after a write** — a PATCH of a person through the API with his
``row_version``, as the load bench's write mix sends it, then the page — and **repeated** — the
same page again, nothing written between. For each it takes the server's CPU
(``time.process_time``: this process is the server), the PostgreSQL backend's CPU (from /proc,
the session's own process) and the query count, and prints the medians (the backend's CPU,
counted in 10 ms ticks by the kernel, as a mean). On a server of several
processes every process pays the "after a write" price once per write, so under the write mix
(one request in ten a PATCH, 20 clients) nearly every request is one "after a write".

``--before REV`` runs the code of git revision REV too, as child processes alternating with this
one's for R rounds (``--rounds``), on the same database: both see the same machine. The load
average is printed before and after. No figure is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from bench.load import json_child, load, versions_to_compare

ROOT = Path(__file__).resolve().parent.parent


def measure(repeat: int, only: str) -> dict[str, dict[str, float]]:
    import django

    os.environ.setdefault("CANBO_DB_CONN_MAX_AGE", "600")
    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from canbo.indicators.models import IndicatorTarget
    from canbo.org.models import Unit
    from canbo.people.models import Person

    admin = User.objects.filter(is_superuser=True).order_by("id").first()
    if admin is None:
        sys.exit("Chưa có dữ liệu mẫu.")
    client = Client(enforce_csrf_checks=False)
    client.force_login(admin)
    persons = list(Person.objects.order_by("id").values_list("id", flat=True)[:400:20])
    writable = []
    from django.core.exceptions import ValidationError

    for p in Person.objects.filter(pk__in=persons):
        try:
            p.full_clean()
        except ValidationError:
            continue
        writable.append(p.pk)
    unit = Unit.objects.filter(depth=2).order_by("path").first()
    target = IndicatorTarget.objects.select_related("plan").order_by("id").first()
    pages = {
        "person list": "/can-bo/",
        "name search": "/can-bo/?q=nguyen+thi",
        "person page": f"/can-bo/{persons[1]}/",
        "unit tree": "/don-vi/",
        "unit page": f"/don-vi/{unit.pk if unit else 1}/",
        "plans": "/ke-hoach/",
        "planning list": "/quy-hoach/",
    }
    if target is not None:
        pages["dashboard"] = f"/chi-tieu/{target.plan.code}/"
    pages = {k: v for k, v in pages.items() if only in k}
    pg = connection.vendor == "postgresql"
    tick = os.sysconf("SC_CLK_TCK")

    def backend_ms() -> float:
        if not pg:
            return 0.0
        connection.ensure_connection()
        pid = connection.connection.info.backend_pid
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / tick

    n = [0]

    def write() -> None:
        pk = writable[n[0] % len(writable)]
        n[0] += 1
        got = client.get(f"/api/persons/{pk}/")
        body = {
            "row_version": got.json()["row_version"],
            "reason": "đo tải",
            "other_names": f"Tên khác {n[0]}",
        }
        r = client.patch(f"/api/persons/{pk}/", json.dumps(body), content_type="application/json")
        assert r.status_code == 200, (r.status_code, r.content[:300])

    def one(url: str) -> tuple[float, float, float]:
        b0, c0, w0 = backend_ms(), time.process_time(), time.perf_counter()
        r = client.get(url)
        cpu, wall = (time.process_time() - c0) * 1000, (time.perf_counter() - w0) * 1000
        assert r.status_code == 200, (url, r.status_code)
        return cpu, backend_ms() - b0, wall

    out: dict[str, dict[str, float]] = {}
    # the PATCH itself, measured the same way
    write()
    pcpu, ppg = [], []
    for _ in range(repeat):
        b0, c0 = backend_ms(), time.process_time()
        write()
        pcpu.append((time.process_time() - c0) * 1000)
        ppg.append(backend_ms() - b0)
    out["PATCH (GET + PATCH)"] = {"cpu_after": statistics.median(pcpu), "pg_after": statistics.mean(ppg)}
    for name, url in pages.items():
        client.get(url)
        after, again = [], []
        for _ in range(repeat):
            write()
            after.append(one(url))
            again.append(one(url))
        write()
        with CaptureQueriesContext(connection) as q1:
            client.get(url)
        with CaptureQueriesContext(connection) as q2:
            client.get(url)
        out[name] = {
            "cpu_after": statistics.median(a[0] for a in after),
            "pg_after": statistics.mean(a[1] for a in after),
            "cpu_again": statistics.median(a[0] for a in again),
            "pg_again": statistics.mean(a[1] for a in again),
            "q_after": len(q1.captured_queries),
            "q_again": len(q2.captured_queries),
        }
    return out


def run_child(src: Path, repeat: int, only: str) -> dict[str, dict[str, float]]:
    env = dict(os.environ, PYTHONPATH=f"{src}:{ROOT}", DJANGO_SETTINGS_MODULE="canbo.settings")
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); from bench.after_write import measure; "
        "print(json.dumps(measure(int(sys.argv[2]), sys.argv[3])))"
    )
    result: dict[str, dict[str, float]] = json_child([code, str(src), str(repeat), only], env)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--before", default="")
    ap.add_argument("--pages", default="")
    args = ap.parse_args()
    print(f"load average before: {load()}")
    with versions_to_compare(args.before) as versions:
        runs: dict[str, list[dict[str, dict[str, float]]]] = {v: [] for v in versions}
        for _ in range(args.rounds):
            for v, src in versions.items():
                runs[v].append(run_child(src, args.repeat, args.pages))
    print(f"load average after: {load()}")
    keys = ["cpu_after", "pg_after", "cpu_again", "pg_again", "q_after", "q_again"]
    print(
        "| page | version | server CPU after a write | PG CPU after a write | server CPU repeated"
        " | PG CPU repeated | queries after / repeated |"
    )
    print("|---|---|---:|---:|---:|---:|---|")
    for page in runs["now"][0]:
        for v in versions:
            m = {k: statistics.median(r[page][k] for r in runs[v]) for k in keys if k in runs[v][0][page]}
            q = f"{m['q_after']:.0f} / {m['q_again']:.0f}" if "q_after" in m else "—"
            print(
                f"| {page} | {v} | {m['cpu_after']:.1f} | {m['pg_after']:.1f} | "
                f"{m.get('cpu_again', float('nan')):.1f} | {m.get('pg_again', float('nan')):.1f} | {q} |"
            )


if __name__ == "__main__":
    main()
