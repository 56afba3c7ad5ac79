"""Refusing a hostile workbook: one sheet of 1,048,576 one-cell rows (issue 21).

Usage: ./canbo bench hostile_rows_bench [--runs 5]

Writes the workbook once (its XML straight into the ZIP, as the test does), then times
``reader.open_workbook`` refusing it (the pre-scan stops at row 300,010, before calamine), runs
times, and prints the median, the peak RSS of this process and the load average. For comparison,
``--calamine`` also times calamine reading the sheet (what the refusal used to cost). Nothing is
asserted (measured, never asserted).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calamine", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    import django

    django.setup()
    from canbo.imports import reader
    from canbo.imports.errors import RefusedFile
    from canbo.imports.tests.test_hostile import _million_row_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        path = _million_row_xlsx(Path(tmp) / "trieu-dong.xlsx")
        print(f"workbook: {path.stat().st_size / 1e6:.1f} MB")
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            try:
                reader.check_file(path)
                reader.open_workbook(path).close()
                print("not refused!")
            except RefusedFile as exc:
                message = exc.message
            times.append(time.perf_counter() - start)
        print(f"refused in median {statistics.median(times):.2f} s over {args.runs} runs: {message}")
        print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        if args.calamine:
            import python_calamine

            start = time.perf_counter()
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            rows = len(book.get_sheet_by_index(0).to_python())
            print(f"calamine read {rows} rows in {time.perf_counter() - start:.2f} s")
            print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
