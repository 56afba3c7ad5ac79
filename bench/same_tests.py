"""The tests of an earlier commit, as they are named today (docs/performance.md, "Session 17").

Issue 15 asks for the suite to take 30% less wall time than when it was filed (commit a8eefb2,
953 tests). The suite has grown since (the later issues' tests), so the honest comparison runs the
same tests before and after: a8eefb2's whole ``./canbo test`` against today's ``./canbo test``
given a8eefb2's tests by their names of today. This script makes that list from two collections::

    # in a clone at a8eefb2, with its own .venv, and in a clone of today's main:
    CANBO_DB=sqlite .venv/bin/pytest --collect-only -q -o addopts= -p no:xdist | grep :: > IDS
    python3 bench/same_tests.py BEFORE_IDS NOW_IDS OUT [--also NOW_ID ...]
    ./canbo test @OUT

A test of then is found today under its own id, or else under the ids of today with the same app
and the same test function (a module split or a class added changes the id, not the test); a
test with neither is printed, and ``--also`` adds the tests of today that replaced it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _key(node_id: str) -> tuple[str, str]:
    """(the app's folder, the test function's name) of ``src/canbo/APP/tests/M.py::[C::]f[p]``."""
    path, _, rest = node_id.partition("::")
    return path.split("/tests/", 1)[0], rest.rsplit("::", 1)[-1].split("[", 1)[0]


def same_tests(before: list[str], now: list[str], also: list[str]) -> tuple[list[str], list[str]]:
    """The ids of today to run for ``before``'s tests, and ``before``'s ids found nowhere today."""
    present = set(now)
    by_key: dict[tuple[str, str], list[str]] = {}
    for node_id in now:
        by_key.setdefault(_key(node_id), []).append(node_id)
    chosen: set[str] = set()
    missing = []
    for node_id in before:
        if node_id in present:
            chosen.add(node_id)
        elif _key(node_id) in by_key:
            chosen.update(by_key[_key(node_id)])
        else:
            missing.append(node_id)
    unknown = [a for a in also if a not in present]
    if unknown:
        raise SystemExit(f"Không có kiểm thử này trong danh sách hiện nay: {', '.join(unknown)}")
    chosen.update(also)
    return sorted(chosen), missing


def _read(path: str) -> list[str]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SystemExit(f"Không đọc được tệp {path}: {exc}") from None
    ids = [line.strip() for line in lines if "::" in line]
    if not ids:
        raise SystemExit(f"Tệp {path} không có mã kiểm thử nào (dạng đường_dẫn::tên).")
    return ids


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Danh sách kiểm thử của một commit cũ theo tên hiện nay.")
    parser.add_argument("before", help="Mã kiểm thử thu được ở commit cũ (mỗi dòng một mã).")
    parser.add_argument("now", help="Mã kiểm thử thu được hiện nay.")
    parser.add_argument("out", help="Tệp ghi danh sách cần chạy (dùng: ./canbo test @TỆP).")
    parser.add_argument("--also", nargs="*", default=[], help="Kiểm thử hiện nay thay cho kiểm thử cũ đã bỏ.")
    args = parser.parse_args(argv)
    before = _read(args.before)
    chosen, missing = same_tests(before, _read(args.now), args.also)
    Path(args.out).write_text("\n".join(chosen) + "\n", encoding="utf-8")
    for node_id in missing:
        print(f"không còn: {node_id}", file=sys.stderr)
    print(f"{len(chosen)} kiểm thử hiện nay cho {len(before)} kiểm thử cũ; {len(missing)} không còn.")


if __name__ == "__main__":
    main()
