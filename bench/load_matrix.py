"""The load matrix of issue 22, one command: every cell of bench/load.py one after the other.

Usage: ./canbo bench load_matrix --out FILE [--sqlite-small PATH] [--sqlite-large PATH]
       [--pg-small NAME] [--pg-large NAME] [--seconds 30] [--clients 20] [--warmup 5]
       [--port 8765] [--only TEXT]

2 databases (SQLite, PostgreSQL) × 2 sizes (the 40,000- and the 150,000-person demo) × think time
1 s / none × write mix off / on = 16 runs of ``bench/load.py`` (each: a copy of the database, the
production server of ``./canbo serve`` on loopback, ``--clients`` clients for ``--seconds`` after a
``--warmup``), run in sequence, never side by side. A database given as an empty string is left
out (its cells are listed as not run). ``--only`` keeps the cells whose label contains TEXT (e.g.
"SQLite", "writes"). PostgreSQL: server, user and password from ``CANBO_DB_HOST`` … as for
bench/load.py (loopback only).

Writes FILE (markdown) after every cell, so an interrupted matrix keeps what it measured: one
row per cell with the load average before and after, the requests, the 5xx and unanswered
requests (the errors), requests per second and per core, the server's CPU per request (plus the
PostgreSQL cluster's), p50/p95/p99 over all requests, and for the write mix the PATCHes answered
200, those refused with 409 (another client changed the person between the GET and the PATCH: an
answer, not an error) and the changes with the bench's reason found in the copy's change log
afterwards; then each cell's statuses and per-page p50/p95. A cell that could not run says why.
No figure is asserted; the figures mean something only on a machine doing nothing else (the load
average is there to show it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from bench import load

ROOT = Path(__file__).resolve().parent.parent
DATA = Path("/work/bench-data")


def cells(args: argparse.Namespace) -> list[dict[str, Any]]:
    out = []
    for engine, label, small, large in (
        ("sqlite", "SQLite", args.sqlite_small, args.sqlite_large),
        ("postgresql", "PostgreSQL", args.pg_small, args.pg_large),
    ):
        for size, db in (("40,000", small), ("150,000", large)):
            for think in (1.0, 0.0):
                for writes in (False, True):
                    name = (
                        f"{size} {label}, {'think 1 s' if think else 'no think time'}"
                        f"{', writes' if writes else ''}"
                    )
                    out.append({"label": name, "engine": engine, "db": db, "think": think, "writes": writes})
    return [c for c in out if not args.only or args.only.lower() in c["label"].lower()]


def _ms(v: float) -> str:
    return "—" if v != v else f"{v:,.0f}"  # NaN: no request


def row(cell: dict[str, Any]) -> str:
    res = cell.get("result")
    if res is None:
        return f"| {cell['label']} | {cell.get('why', 'not run')} |" + " |" * 10
    cpu = f"{res['cpu_ms']:.1f}"
    if res["pg_cpu_ms"] is not None:
        cpu += f" + {res['pg_cpu_ms']:.1f} PG = {res['cpu_ms'] + res['pg_cpu_ms']:.1f}"
    whole = res["pages"]["all"]
    writes = (
        f"{res['patch_ok']} / {res['patch_conflicts']} / {res['patch_other']} ({res['writes_logged']} logged)"
        if res["writes"]
        else "—"
    )
    people = f"{res['people']:,}" if isinstance(res["people"], int) else "?"
    return (
        f"| {cell['label']} ({people} people) | {res['load_before']} → {res['load_after']} "
        f"| {res['requests']:,} | {res['errors']} | {res['req_per_s']:.1f} | {res['req_per_s_per_core']:.1f} "
        f"| {cpu} | {_ms(whole['p50'])} | {_ms(whole['p95'])} | {_ms(whole['p99'])} | {writes} "
        f"| {', '.join(f'{k}: {v}' for k, v in sorted(res['statuses'].items()))} |"
    )


HEADER = (
    "| run | load avg before → after | requests | errors (5xx, no answer) | req/s | req/s per core "
    "| server CPU per request (ms) | p50 ms | p95 ms | p99 ms | PATCH 200 / 409 / other "
    "| statuses |\n"
    "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---|---|"
)


def write(path: Path, args: argparse.Namespace, all_cells: list[dict[str, Any]], started: str) -> None:
    git = shutil.which("git") or "git"
    commit = subprocess.run(
        [git, "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    lines = [
        f"# Load matrix ({started} UTC, code {commit or '?'})",
        "",
        f"`python -m bench load_matrix {' '.join(sys.argv[1:])}`: {args.clients} clients, "
        f"{args.seconds:.0f} s per run after a {args.warmup:.0f} s warm-up, "
        f"{len(os.sched_getaffinity(0))} cores; databases: SQLite {args.sqlite_small or '—'} and "
        f"{args.sqlite_large or '—'}, PostgreSQL {args.pg_small or '—'} and {args.pg_large or '—'}.",
        "",
        HEADER,
        *(row(c) for c in all_cells),
        "",
        "Per page (p50 / p95 ms):",
        "",
    ]
    for c in all_cells:
        res = c.get("result")
        if res is None:
            continue
        pages = ", ".join(
            f"{name} {_ms(f['p50'])} / {_ms(f['p95'])} (n {f['n']})"
            for name, f in res["pages"].items()
            if name != "all"
        )
        lines.append(f"- {c['label']}: {pages}.")
        lines.extend(f"  - server log: `{line[:200]}`" for line in res["server_log_errors"][:3])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--sqlite-small", default=str(DATA / "load22b-40k.sqlite3"))
    parser.add_argument("--sqlite-large", default=str(DATA / "load22b-150k.sqlite3"))
    parser.add_argument("--pg-small", default="canbo_load22b_40k")
    parser.add_argument("--pg-large", default="canbo_load22b_160k")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    all_cells = cells(args)
    for i, cell in enumerate(all_cells, 1):
        if not cell["db"]:
            cell["why"] = "not run (no database given)"
            continue
        print(f"== {i}/{len(all_cells)} {cell['label']} (load {load.load()})", flush=True)
        run_args = load.parser().parse_args(
            [
                "--db-engine",
                cell["engine"],
                "--db",
                cell["db"],
                "--clients",
                str(args.clients),
                "--seconds",
                str(args.seconds),
                "--think",
                str(cell["think"]),
                "--warmup",
                str(args.warmup),
                "--port",
                str(args.port),
                *(["--writes"] if cell["writes"] else []),
            ]
        )
        t0 = time.monotonic()
        try:
            cell["result"] = load.run(run_args)
            load.report(cell["result"])
        except SystemExit as exc:  # the bench's own refusal (no database, no server): said, not fatal
            cell["why"] = f"failed: {exc.code}"
        except Exception as exc:  # one broken cell must not lose the others
            traceback.print_exc()
            cell["why"] = f"failed: {type(exc).__name__}: {exc}"[:300]
        print(f"   ({time.monotonic() - t0:.0f} s)", flush=True)
        write(args.out, args, all_cells, started)
    write(args.out, args, all_cells, started)
    print(args.out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
