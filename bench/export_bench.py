"""Speed and memory of the list export (``/can-bo/xuat-excel/``) over a whole demo province.

Usage: ./canbo bench export_bench [--size 150000] [--repeat 3] [--db PATH]

The first run builds a demo database of ``--size`` people (``var/bench/export-SIZE.sqlite3``)
with the demo's own commands (``migrate``, ``rules load``, ``seed_demo --size SIZE``,
``demo_login``), about 45 minutes for 150,000 on a loaded machine; later runs reuse it. Then,
in one run, each ``--repeat`` times (medians printed):

- baseline: openpyxl alone writing as many rows of as many short text cells to a temporary
  file (no database, no Django): the floor any openpyxl export of that size stands on;
- the same for 21 cells (the all-columns export's width), with openpyxl and with XlsxWriter's
  ``constant_memory`` mode, which the export writes with;
- reading: the persons in scope read in chunks with the columns' facts, exactly as the export
  reads them (``lists.exports.export_rows``), nothing written;
- the export itself through Django's test client as the demo's province organisation officer
  (``tochuc``: a grant on the whole province), no filter, the default columns, then all 20
  columns: time to the last byte of the response, rows, file size, and the process's peak RSS
  during the request (VmHWM, reset before each run).

- A/B: the all-columns workbook written straight to a temporary file (no view, no record) by
  ``lists.exports.write_list`` (XlsxWriter) and by the previous writer (openpyxl write-only,
  kept here only for the comparison), alternated run by run.

Load average is printed at the start and the end: these machines are shared, compare ratios
to the baseline of the same run. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")


def _vm_hwm_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    """Start this process's peak RSS afresh (Linux); elsewhere the peak covers the whole run."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def build(db: Path, size: int) -> None:
    """The demo province of ``size`` people, written by the demo's own commands."""
    env = {**os.environ, "CANBO_DB": "sqlite", "CANBO_SQLITE_PATH": str(db)}
    manage = [sys.executable, str(ROOT / "manage.py")]
    print(f"Tạo dữ liệu mẫu {size:,} người vào {db} (một lần; các lần sau dùng lại)…", flush=True)
    steps = (
        ["migrate", "--noinput", "-v0"],
        ["rules", "load"],
        ["seed_demo", "--size", str(size)],
        ["demo_login"],
    )
    for args in steps:
        subprocess.run([*manage, *args], env=env, check=True)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any, float]:
    """(median seconds, last result, highest peak RSS MiB over the runs)."""
    times, peak, result = [], 0.0, None
    for _ in range(repeat):
        _reset_peak()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        peak = max(peak, _vm_hwm_mib())
    return statistics.median(times), result, peak


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=150_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", type=Path, default=None, help="an existing SQLite demo database")
    args = parser.parse_args()
    db = args.db or ROOT / "var" / "bench" / f"export-{args.size}.sqlite3"
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        build(db, args.size)
    os.environ["CANBO_DB"] = "sqlite"
    os.environ["CANBO_SQLITE_PATH"] = str(db)
    import django

    django.setup()
    import xlsxwriter
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from openpyxl import Workbook

    from canbo.core.dates import today
    from canbo.core.models import AccessLog
    from canbo.lists.columns import COLUMNS, DEFAULT_COLUMNS, parse_columns
    from canbo.lists.exports import export_rows, write_list
    from canbo.people.selectors import person_queryset

    call_command("migrate", verbosity=0)  # a database built by an earlier version
    if not User.objects.filter(username="tochuc").exists():
        call_command("demo_login", stdout=io.StringIO())
    # The province's organisation officer: a grant on the whole province, as who met the 500.
    user = User.objects.get(username="tochuc")
    in_scope = person_queryset(user).count()
    print(
        f"{in_scope:,} người trong phạm vi; CSDL SQLite {db.name}; tải máy đầu lượt: {os.getloadavg()[0]:.2f}"
    )
    client = Client()
    client.force_login(user)
    width = len(DEFAULT_COLUMNS) + 1  # STT and the default columns

    def openpyxl_alone(width: int) -> Callable[[], int]:
        def run() -> int:
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("Danh sách")
            row = ["Nguyễn Thị Hoa", "17/05/1980", "Nữ", "Kinh", "Chuyên viên", "Phòng Nội vụ", "Đại học"]
            values = (row * 3)[: width - 1]
            for i in range(in_scope):
                ws.append([i + 1, *values])
            with tempfile.TemporaryFile() as out:
                wb.save(out)
                return out.tell()

        return run

    def xlsxwriter_alone(width: int) -> Callable[[], int]:
        def run() -> int:
            with tempfile.TemporaryFile() as out:
                wb = xlsxwriter.Workbook(out, {"constant_memory": True})
                ws = wb.add_worksheet("Danh sách")
                row = ["Nguyễn Thị Hoa", "17/05/1980", "Nữ", "Kinh", "Chuyên viên", "Phòng Nội vụ", "Đại học"]
                values = (row * 3)[: width - 1]
                for i in range(in_scope):
                    ws.write_number(i, 0, i + 1)
                    for j, v in enumerate(values, start=1):
                        ws.write_string(i, j, v)
                wb.close()
                return out.tell()

        return run

    def openpyxl_write_list(out: Any, qs: Any, columns: Any, day: dt.date) -> int:
        """The export's previous writer (openpyxl write-only, as lists/exports.py before
        XlsxWriter): the same rows and cells through core.xlsx.safe_cell, for the A/B."""
        from openpyxl.styles import Font

        from canbo.core.xlsx import Look, safe_cell, safe_row

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Danh sách")
        ws.append([safe_cell(ws, "DANH SÁCH TRÍCH NGANG CÁN BỘ", Look(ws, font=Font(bold=True, size=14)))])
        ws.append(safe_row(ws, ["STT", *[c.label for c in columns]], Look(ws, font=Font(bold=True))))
        n = 0
        for values in export_rows(qs, columns, day):
            n += 1
            ws.append([n, *[safe_cell(ws, v) for v in values]])
        wb.save(out)
        return n

    def writer(write: Callable[..., int]) -> Callable[[], int]:
        def run() -> int:
            qs = person_queryset(user).order_by("sort_key", "id")
            with tempfile.TemporaryFile() as out:
                return write(out, qs, list(COLUMNS), user_day)

        return run

    def xlsxwriter_write_list(out: Any, qs: Any, columns: Any, day: dt.date) -> int:
        return write_list(out, qs, columns, day=day, description=[])

    def reading() -> int:
        qs = person_queryset(user).order_by("sort_key", "id")
        return sum(1 for _values in export_rows(qs, parse_columns([]), user_day))

    def export(columns: list[str]) -> Callable[[], tuple[int, int]]:
        def run() -> tuple[int, int]:
            response = client.get("/can-bo/xuat-excel/", {"cot": columns} if columns else {})
            assert response.status_code == 200, response.status_code
            size = len(response.getvalue())  # every streamed block
            response.close()
            # The read log's rows of this export (one per person) carry its row count.
            return size, AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).order_by("-pk")[0].detail[
                "row_count"
            ]

        return run

    user_day = today()
    line = "{:72} {:>10} {:>7} {:>9} {:>6} {:>8}"
    print(line.format("measure", "median s", "ratio", "rows", "MB", "RSS MiB"))
    base, size, peak = timed(openpyxl_alone(width), args.repeat)
    label = "openpyxl alone, same rows × 9 text cells (baseline)"
    print(line.format(label, f"{base:.1f}", "1.0", f"{in_scope:,}", f"{size / 1e6:.1f}", f"{peak:.0f}"))
    t, n, peak = timed(reading, args.repeat)
    label = "reading the rows and their facts (default columns)"
    print(line.format(label, f"{t:.1f}", f"{t / base:.1f}", f"{n:,}", "", f"{peak:.0f}"))
    t, size, peak = timed(openpyxl_alone(len(COLUMNS) + 1), args.repeat)
    label = f"openpyxl alone, same rows × {len(COLUMNS) + 1} text cells"
    print(
        line.format(label, f"{t:.1f}", f"{t / base:.1f}", f"{in_scope:,}", f"{size / 1e6:.1f}", f"{peak:.0f}")
    )
    t, size, peak = timed(xlsxwriter_alone(len(COLUMNS) + 1), args.repeat)
    label = f"XlsxWriter alone (constant_memory), same rows × {len(COLUMNS) + 1} text cells"
    print(
        line.format(label, f"{t:.1f}", f"{t / base:.1f}", f"{in_scope:,}", f"{size / 1e6:.1f}", f"{peak:.0f}")
    )
    for label, cols in (
        ("export, no filter, default columns (8 + STT)", []),
        (f"export, no filter, all {len(COLUMNS)} columns", [c.key for c in COLUMNS]),
    ):
        t, (size, n), peak = timed(export(cols), args.repeat)
        print(line.format(label, f"{t:.1f}", f"{t / base:.1f}", f"{n:,}", f"{size / 1e6:.1f}", f"{peak:.0f}"))
    # A/B of the writers on the same rows, alternated run by run (load drifts on a shared machine).
    times: dict[str, list[float]] = {"openpyxl": [], "XlsxWriter": []}
    for _ in range(args.repeat):
        for name, fn in (("openpyxl", openpyxl_write_list), ("XlsxWriter", xlsxwriter_write_list)):
            t0 = time.perf_counter()
            n = writer(fn)()
            times[name].append(time.perf_counter() - t0)
    for name, ts in times.items():
        t = statistics.median(ts)
        label = f"A/B all {len(COLUMNS)} columns, write_list with {name} (no view)"
        print(line.format(label, f"{t:.1f}", f"{t / base:.1f}", f"{n:,}", "", ""))
    print(f"Tải máy cuối lượt: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
