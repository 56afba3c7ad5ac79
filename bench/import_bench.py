"""Import speed: a 70,000-person workbook with its sections, on a fresh SQLite or PostgreSQL database.

Usage: ./canbo bench import_bench [--persons 70000] [--db sqlite|postgresql] [--update] [--keep]

1. Generates a realistic workbook (write-only openpyxl): sheet "Cán bộ" with 14 columns, and
   about 3 section rows per person over "Trình độ", "Chức vụ", "Khen thưởng" and "Đánh giá";
   dates written as Excel dates, "dd/mm/yyyy", "mm/yyyy" or years, levels as abbreviations,
   units by code or by name — as provinces' sheets write them.
2. Times (a) reading that file with openpyxl alone (read-only, every cell touched) and (b)
   ``run_import`` (safety checks, validation of every row, then writing everything with its
   change-log entries in one transaction) into a fresh database, in the same run; prints both,
   their ratio and the peak RSS of the import process and of its second reading process.
   ``--db sqlite`` (default): a temporary CANBO_SQLITE_PATH, migrated here. ``--db postgresql``:
   the database ``canbo_import_bench`` on CANBO_DB_HOST (default 127.0.0.1, user canbo,
   password from CANBO_DB_PASSWORD, default canbo-test), dropped and created again, migrated
   here, and dropped at the end; with ``--keep`` it is kept at the end and reused by the next
   ``--keep`` run (its persons, sections and change log emptied first).
3. ``--update``: then generates a second workbook with the same personal IDs in which every
   person has changed fields, about a fifth of the section rows changed (same natural key,
   other values) and one new section row per person, and times its import separately (every
   person updated with a before/after change-log entry). On PostgreSQL the database is first
   vacuumed and analysed, untimed (as autovacuum would soon after the first import).
Nothing is asserted (issue 3: measured, never asserted).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Lò", "Hà", "Giàng"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thành", "Công"]
MIDDLE_F = ["Thị", "Thu", "Thanh", "Ngọc", "Thị Kim", "Hồng"]
GIVEN_M = ["Hùng", "Dũng", "Bình", "Long", "Sơn", "Tuấn", "Nam", "Quân", "Thắng", "Hải"]
GIVEN_F = ["Hoa", "Lan", "Mai", "Hương", "Hà", "Linh", "Trang", "Thảo", "Nga", "Yến"]
ETHNIC = ["Kinh"] * 6 + ["Tày", "Thái", "Mông", "Dao", "Nùng", "Mường", "01", "03"]
LEVELS = [("Chuyên môn", "ĐH"), ("Chuyên môn", "ThS"), ("", "Thạc sĩ"), ("", "CĐ"),
          ("Chuyên môn", "Trung cấp"),
          ("LLCT", "Trung cấp"), ("", "Cao cấp"), ("QLNN", "Chuyên viên"), ("", "CVC"), ("Ngoại ngữ", "B1"),
          ("Ngoại ngữ", "Bậc 2"), ("Tin học", "Cơ bản")]  # fmt: skip
RATINGS = ["HTXSNV", "HTTNV", "Hoàn thành tốt nhiệm vụ", "HTNV", "Hoàn thành nhiệm vụ"]


PG_NAME = "canbo_import_bench"


def _pg_admin(sql: list[str]) -> bool:
    """Run statements on the server's maintenance database; True if the bench database exists."""
    import psycopg

    with psycopg.connect(
        host=os.environ["CANBO_DB_HOST"],
        port=os.environ.get("CANBO_DB_PORT", "5432"),
        user=os.environ["CANBO_DB_USER"],
        password=os.environ["CANBO_DB_PASSWORD"],
        dbname="postgres",
        autocommit=True,
    ) as conn:
        for statement in sql:
            conn.execute(statement)
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_NAME]).fetchone() is not None


def setup_database(db: str, db_path: Path, *, keep: bool) -> None:
    """Point Django at a fresh bench database, migrate it and create the units and titles."""
    if db == "postgresql":
        os.environ["CANBO_DB"] = "postgresql"
        os.environ["CANBO_DB_NAME"] = PG_NAME
        os.environ.setdefault("CANBO_DB_HOST", "127.0.0.1")
        os.environ.setdefault("CANBO_DB_USER", "canbo")
        os.environ.setdefault("CANBO_DB_PASSWORD", "canbo-test")
        if not (keep and _pg_admin([])):
            _pg_admin([f"DROP DATABASE IF EXISTS {PG_NAME}", f"CREATE DATABASE {PG_NAME}"])
    else:
        os.environ["CANBO_DB"] = "sqlite"
        os.environ["CANBO_SQLITE_PATH"] = str(db_path)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from canbo.org.choices import Block, HeadKind, Level, ManagementScope, TitleGroup, UnitKind
    from canbo.org.models import Title, Unit

    if Unit.objects.filter(code="T").exists():  # a kept PostgreSQL database: empty the people side
        with connection.cursor() as cur:
            # The name-word table has no foreign key and TRUNCATE fires no row trigger: named too.
            cur.execute("TRUNCATE people_person, people_person_name_word, core_objectchange CASCADE")
        return
    root = Unit.objects.add_root(
        instance=Unit(
            code="T", name="Tỉnh Thử", kind=UnitKind.LOCALITY, block=Block.STATE, level=Level.PROVINCE
        )
    )
    for d in range(1, 31):  # 30 districts × 10 divisions
        root = Unit.objects.get(pk=root.pk)
        district = Unit.objects.add_child(
            root,
            instance=Unit(
                code=f"H{d:02d}",
                name=f"Huyện số {d}",
                kind=UnitKind.LOCALITY,
                block=Block.STATE,
                level=Level.DISTRICT,
            ),
        )
        for k in range(1, 11):
            district = Unit.objects.get(pk=district.pk)
            Unit.objects.add_child(
                district,
                instance=Unit(
                    code=f"H{d:02d}P{k:02d}",
                    name=f"Phòng {k} huyện số {d}",
                    kind=UnitKind.DIVISION,
                    block=Block.STATE,
                    level=Level.DISTRICT,
                ),
            )
    for i, (name, group) in enumerate(
        [
            ("Trưởng phòng", TitleGroup.DIVISION_HEAD),
            ("Phó Trưởng phòng", TitleGroup.DIVISION_HEAD),
            ("Chuyên viên", TitleGroup.DIVISION_HEAD),
        ]
    ):
        Title.objects.create(
            code=f"CD{i}",
            name=name,
            level=Level.DISTRICT,
            group=group,
            block=Block.STATE,
            head_kind=HeadKind.HEAD if i == 0 else HeadKind.DEPUTY if i == 1 else HeadKind.STAFF,
            management_scope=ManagementScope.DISTRICT_STANDING,
            rank=30 - i,
        )


def make_workbook(
    path: Path, persons: int, seed: int = 7, *, shared_strings: bool = True, changed: bool = False
) -> dict[str, int]:
    """The bench workbook. ``changed=True`` gives the same persons (same personal IDs, sex and
    birth date, drawn from the same seed) with other values in every person row, about a fifth
    of the section rows changed outside their natural key, and one new rating per person."""
    from openpyxl import Workbook

    from canbo.people.validators import make_personal_id

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    people = wb.create_sheet("Cán bộ")
    quals = wb.create_sheet("Trình độ")
    tenures = wb.create_sheet("Chức vụ")
    awards = wb.create_sheet("Khen thưởng")
    ratings = wb.create_sheet("Đánh giá")
    people.append(["STT", "Số định danh cá nhân", "Họ và tên", "Giới tính", "Ngày tháng năm sinh", "Dân tộc",
                   "Tôn giáo", "Đối tượng", "Đơn vị công tác", "Quê quán", "Ngạch", "Mã ngạch", "Bậc lương",
                   "Hệ số lương",
                   "Ngày tuyển dụng"])  # fmt: skip
    quals.append(
        [
            "Số định danh cá nhân",
            "Loại trình độ",
            "Trình độ",
            "Chuyên ngành",
            "Ngôn ngữ",
            "Cơ sở đào tạo",
            "Năm tốt nghiệp",
        ]
    )
    tenures.append(
        [
            "Số định danh cá nhân",
            "Đơn vị",
            "Chức danh",
            "Hình thức",
            "Từ ngày",
            "Đến hết ngày",
            "Số quyết định",
        ]
    )
    awards.append(["Số định danh cá nhân", "Hình thức khen thưởng", "Năm", "Số quyết định"])
    ratings.append(["Số định danh cá nhân", "Hệ thống", "Năm", "Mức xếp loại"])
    counts = {"persons": 0, "sections": 0}
    alt = random.Random(seed + 1)  # the changes; ``rng`` keeps drawing exactly as the first file
    for i in range(persons):
        female = rng.random() < 0.45
        sex = "nu" if female else "nam"
        born = dt.date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28))
        pid = make_personal_id(province_prefix="010", sex=sex, birth_year=born.year, serial=i)
        name = " ".join(
            [
                rng.choice(FAMILY),
                rng.choice(MIDDLE_F if female else MIDDLE_M),
                rng.choice(GIVEN_F if female else GIVEN_M),
            ]
        )
        form = rng.random()
        birth = (
            born
            if form < 0.5
            else born.strftime("%d/%m/%Y")
            if form < 0.9
            else born.strftime("%m/%Y")
            if form < 0.95
            else born.year
        )
        d, k = rng.randint(1, 30), rng.randint(1, 10)
        unit = f"H{d:02d}P{k:02d}" if rng.random() < 0.7 else f"Phòng {k} huyện số {d}"
        step = rng.randint(1, 8)
        recruited = dt.date(born.year + rng.randint(21, 30), rng.randint(1, 12), 1)
        # A recruitment date is never in the future (people.plausibility); the draw stays the
        # same so that the rest of the file is unchanged.
        recruited = min(recruited, dt.date(2025, 12, 1))
        ethnic, kind_of = rng.choice(ETHNIC), rng.choice(["Công chức", "Viên chức", "Cán bộ"])
        p_unit, hometown, grade, grade_code = (
            unit,
            "Xã Võ Lao, huyện Văn Bàn, tỉnh Lào Cai",
            "Chuyên viên",
            "01.003",
        )
        if changed:  # every person: a new name, unit, home town, grade and salary step
            name = f"{name} {alt.choice(GIVEN_F if female else GIVEN_M)}"
            p_unit = f"H{alt.randint(1, 30):02d}P{alt.randint(1, 10):02d}"
            hometown = f"Xã Số {alt.randint(1, 99)}, huyện Bảo Yên, tỉnh Lào Cai"
            grade, grade_code = "Chuyên viên chính", "01.002"
            step = step % 8 + 1
        people.append([i + 1, pid, name, "Nữ" if female else "Nam", birth, ethnic, "Không",
                       kind_of, p_unit, hometown,
                       grade, grade_code, step, f"{2.34 + 0.33 * (step - 1):.2f}".replace(".", ","),
                       recruited.strftime("%d/%m/%Y")])  # fmt: skip
        counts["persons"] += 1
        graduated = born.year + 22
        for n in range(1 if rng.random() < 0.7 else 2):
            kind, level = rng.choice(LEVELS)
            lang = "Tiếng Anh" if kind == "Ngoại ngữ" else ""
            school = "Học viện Hành chính Quốc gia"
            if changed and alt.random() < 0.2:  # same qualification (key), another school
                school = "Trường Đại học Luật Hà Nội"
            quals.append(
                [
                    pid,
                    kind,
                    level,
                    "Luật" if kind == "Chuyên môn" else "",
                    lang,
                    school,
                    graduated + n * 3,
                ]
            )
            counts["sections"] += 1
        start = dt.date(recruited.year + rng.randint(2, 10), rng.randint(1, 12), 1)
        title, decision = (
            rng.choice(["Trưởng phòng", "Phó Trưởng phòng", "CD2"]),
            f"{rng.randint(10, 999)}/QĐ-UBND",
        )
        ended = None
        if changed and alt.random() < 0.2:  # the same tenure (key), now ended
            ended = f"{alt.randint(1, 12):02d}/{start.year + alt.randint(1, 4)}"
        tenures.append([pid, unit, title, "Bổ nhiệm", start, ended, decision])  # fmt: skip
        counts["sections"] += 1
        if rng.random() < 0.3:
            awards.append(
                [
                    pid,
                    "Giấy khen của Chủ tịch UBND huyện",
                    rng.randint(2015, 2024),
                    f"{rng.randint(1, 900)}/QĐ-UBND",
                ]
            )
            counts["sections"] += 1
        if rng.random() < 0.6:
            year, level = rng.randint(2019, 2024), rng.choice(RATINGS)
            if changed and alt.random() < 0.2:  # the same rating (key), another level
                level = "HTXSNV" if level != "HTXSNV" else "HTNV"
            ratings.append([pid, "Chính quyền", year, level])
            counts["sections"] += 1
        if changed:  # a new rating for every person
            ratings.append([pid, "Đảng", 2025, alt.choice(RATINGS)])
            counts["sections"] += 1
    wb.save(path)
    _as_excel_saves(path, shared_strings=shared_strings)
    return counts


def _as_excel_saves(path: Path, *, shared_strings: bool = True) -> None:
    """Rewrite openpyxl's write-only output the way Excel and LibreOffice save a workbook: each
    sheet carries its <dimension>, and text lives in one shared-string table (``t="s"``).

    openpyxl's write-only mode leaves the dimension out (its read-only mode then parses every
    sheet one extra time to size it) and writes every text cell inline (``t="inlineStr"``, read
    back through openpyxl's slower rich-text path) — costs real uploads do not have.
    """
    import re
    import shutil
    import zipfile

    from openpyxl.utils import get_column_letter

    inline = re.compile(
        rb'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>', re.S
    )
    table: dict[bytes, int] = {}
    count = 0

    def shared(m: re.Match[bytes]) -> bytes:
        nonlocal count
        count += 1
        idx = table.setdefault(m.group(3), len(table))
        return b'<c r="' + m.group(1) + b'"' + m.group(2) + b' t="s"><v>' + str(idx).encode() + b"</v></c>"

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                rows = len(re.findall(rb"<row ", data))
                first = re.search(rb"<row [^>]*>(.*?)</row>", data, re.S)
                cols = len(re.findall(rb"<c ", first.group(1))) if first else 1
                ref = f'<dimension ref="A1:{get_column_letter(max(cols, 1))}{max(rows, 1)}"/>'.encode()
                data = re.sub(
                    rb"(<worksheet[^>]*>(?:<sheetPr.*?</sheetPr>|<sheetPr[^>]*/>)?)",
                    rb"\1" + ref,
                    data,
                    count=1,
                    flags=re.S,
                )
                if shared_strings:
                    data = inline.sub(shared, data)
            elif shared_strings and item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif shared_strings and item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSharedStrings" Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/sharedStrings" Target="/xl/sharedStrings.xml"/></Relationships>',
                )
            dst.writestr(item, data)
        if shared_strings:
            items = b"".join(b'<si><t xml:space="preserve">' + text + b"</t></si>" for text in table)
            dst.writestr(
                "xl/sharedStrings.xml",
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats'
                b'.org/spreadsheetml/2006/main" count="'
                + str(count).encode()
                + b'" uniqueCount="'
                + str(len(table)).encode()
                + b'">'
                + items
                + b"</sst>",
            )
    shutil.move(tmp, path)


def read_only_pass(path: Path) -> tuple[float, int]:
    from openpyxl import load_workbook

    start = time.perf_counter()
    wb = load_workbook(path, read_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for _value in row:
                cells += 1
    wb.close()
    return time.perf_counter() - start, cells


def calamine_pass(path: Path) -> tuple[float, int]:
    """The fastest reader in bench/: python-calamine reading every cell (what the import uses)."""
    import python_calamine

    start = time.perf_counter()
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    cells = 0
    for name in wb.sheet_names:
        for row in wb.get_sheet_by_name(name).iter_rows():
            for _value in row:
                cells += 1
    wb.close()
    return time.perf_counter() - start, cells


def reader_pass(path: Path) -> tuple[float, int]:
    """The import's own reader alone: the safety checks and extent scan, then every data row of
    every sheet as the validator receives it (``reader.open_workbook`` … ``Sheet.rows``)."""
    from canbo.imports import reader

    start = time.perf_counter()
    book = reader.open_workbook(path)
    rows = 0
    for sheet in book.sheets():
        for _row in sheet.rows():
            rows += 1
    book.close()
    return time.perf_counter() - start, rows


def _vm_hwm_kib(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    """Start this process's peak RSS (VmHWM) afresh, so that a second run is measured alone."""
    # Not Linux, or not allowed: the peak then covers the whole process.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def timed_import(book: Path, *, profile: bool) -> tuple[float, Any, float, float]:
    """Run ``run_import`` on ``book`` as the system user; (seconds, result, peak RSS MiB of this
    process during the run, peak RSS MiB of its reading process)."""
    from canbo.imports.engine import run_import

    child_peak_kib = [0]
    watching = threading.Event()

    def watch_children() -> None:
        # The reading process's own peak (VmHWM after its exec); RUSAGE_CHILDREN would report
        # the parent's size at fork time instead.
        me = os.getpid()
        while not watching.wait(0.2):
            try:
                kids = Path(f"/proc/{me}/task/{me}/children").read_text().split()
            except OSError:
                continue
            for kid in kids:
                try:
                    child_peak_kib[0] = max(child_peak_kib[0], _vm_hwm_kib(kid))
                except OSError:
                    continue

    _reset_peak()
    watcher = threading.Thread(target=watch_children, daemon=True)
    watcher.start()
    last = [0.0]
    step = [""]

    def progress(done: int, total: int, label: str) -> None:
        # Every step's start, and every 5 s within a step, with the time since the import began.
        now = time.perf_counter()
        if now - last[0] > 5 or label != step[0]:
            last[0], step[0] = now, label
            print(f"    {now - t0:5.1f} s  {label}: {done:,}/{total:,}", flush=True)

    import resource

    cpu0 = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    t0 = time.perf_counter()
    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        result = prof.runcall(run_import, path=book, acting_user=None, progress=progress)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    else:
        result = run_import(path=book, acting_user=None, progress=progress)
    seconds = time.perf_counter() - t0
    cpu1 = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    # CPU seconds of the import, this process (all its threads) and the reading process (joined)
    own, kids = (b.ru_utime + b.ru_stime - a.ru_utime - a.ru_stime for a, b in zip(cpu0, cpu1, strict=True))
    print(f"    CPU: {own:.1f} s tiến trình nhập + {kids:.1f} s tiến trình đọc phụ", flush=True)
    peak = _vm_hwm_kib() / 1024
    watching.set()
    watcher.join()
    if not result.ok:
        for e in result.errors[:20]:
            print("   ", e)
        print(f"Nhập thất bại: {len(result.errors)} lỗi")
    return seconds, result, peak, child_peak_kib[0] / 1024


def _readers(book: Path, repeat: int, suffix: str = "") -> tuple[float, float, float]:
    """Median seconds of (a) openpyxl alone, python-calamine alone (the baseline: the fastest
    reader in bench/) and the import's reader alone, each reading every cell of ``book``."""
    import statistics

    runs: dict[str, list[float]] = {"openpyxl": [], "calamine": [], "reader": []}
    for _ in range(repeat):
        t, cells = read_only_pass(book)
        runs["openpyxl"].append(t)
        t, cal_cells = calamine_pass(book)
        runs["calamine"].append(t)
        t, rows = reader_pass(book)
        runs["reader"].append(t)
    med = {k: statistics.median(v) for k, v in runs.items()}
    print(
        f"(a{suffix}) openpyxl đọc toàn bộ (read_only, {cells:,} ô): {med['openpyxl']:.1f} s; "
        f"python-calamine đọc toàn bộ ({cal_cells:,} ô, mốc so sánh): {med['calamine']:.2f} s; "
        f"bộ đọc của phần nhập (kiểm tra an toàn + {rows:,} dòng): {med['reader']:.2f} s "
        f"(trung vị {repeat} lần; openpyxl/calamine = {med['openpyxl'] / med['calamine']:.1f}; "
        f"tải máy {os.getloadavg()[0]:.2f})",
        flush=True,
    )
    return med["openpyxl"], med["calamine"], med["reader"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=70_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--update",
        action="store_true",
        help="then import a second workbook updating the same persons, timed separately",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the workbooks and the database (PostgreSQL: reused, emptied, by the next --keep run)",
    )
    parser.add_argument(
        "--inline-strings",
        action="store_true",
        help="keep openpyxl's inline strings instead of a shared-string table as Excel saves",
    )
    parser.add_argument("--repeat", type=int, default=1, help="time the readers alone n times")
    parser.add_argument("--profile", action="store_true", help="profile run_import (cProfile, top 40)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="canbo-import-bench-"))
    setup_database(args.db, work / "bench.sqlite3", keep=args.keep)
    print(f"CSDL: {args.db}; tải máy (uptime): {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", flush=True)
    book = work / "bench.xlsx"
    t0 = time.perf_counter()
    counts = make_workbook(book, args.persons, shared_strings=not args.inline_strings)
    gen = time.perf_counter() - t0
    size = book.stat().st_size
    print(
        f"Tệp: {counts['persons']:,} người, {counts['sections']:,} dòng thông "
        f"tin, {size / 2**20:.1f} MB (tạo mất {gen:.1f} s)"
    )

    read_s, cal_s, _own_s = _readers(book, args.repeat)
    from canbo.core.models import ObjectChange
    from canbo.people.models import Person

    import_s, result, peak, child_peak = timed_import(book, profile=args.profile)
    print(
        f"(b) run_import (kiểm tra + ghi): {import_s:.1f} s — {result.created:,} hồ sơ mới, "
        f"{result.section_rows:,} dòng thông tin, {ObjectChange.objects.count():,} dòng lịch sử; "
        f"trong CSDL: {Person.objects.count():,} người"
    )
    print(f"Tỉ lệ (b)/(a): {import_s / read_s:.1f}; (b)/(calamine, cùng lần chạy): {import_s / cal_s:.1f}")
    print(f"RSS cao nhất của tiến trình: {peak:,.0f} MiB; của tiến trình đọc phụ: {child_peak:,.0f} MiB")
    print(f"Tải máy sau lần nhập: {os.getloadavg()[0]:.2f}", flush=True)

    if args.update:
        if args.db == "postgresql":
            # What autovacuum does within a minute of the first import, done here and untimed:
            # left to autovacuum, its pass over the 70,000 new persons and 300,000 log entries
            # sometimes fell inside the timed update (docs/performance.md, "Import").
            from django.db import connection

            t0 = time.perf_counter()
            with connection.cursor() as cur:
                cur.execute("VACUUM ANALYZE")
            print(f"VACUUM ANALYZE sau lần nhập đầu (không tính giờ): {time.perf_counter() - t0:.1f} s")
        book2 = work / "bench-update.xlsx"
        counts2 = make_workbook(book2, args.persons, shared_strings=not args.inline_strings, changed=True)
        print(
            f"Tệp cập nhật: {counts2['persons']:,} người (cùng số định danh), {counts2['sections']:,} dòng "
            f"thông tin, {book2.stat().st_size / 2**20:.1f} MB"
        )
        read2_s, cal2_s, _own2 = _readers(book2, args.repeat, suffix="2")
        log_before = ObjectChange.objects.count()
        upd_s, upd, upd_peak, upd_child = timed_import(book2, profile=args.profile)
        updates_logged = ObjectChange.objects.filter(action=ObjectChange.Action.UPDATE).count()
        print(
            f"(b2) run_import cập nhật: {upd_s:.1f} s — {upd.created:,} hồ sơ mới, {upd.updated:,} hồ sơ "
            f"cập nhật, {upd.section_rows:,} dòng thông tin mới, {upd.section_updates:,} dòng thông tin "
            f"sửa, {upd.skipped:,} dòng trùng bỏ qua; lịch sử thêm "
            f"{ObjectChange.objects.count() - log_before:,} dòng ({updates_logged:,} dòng sửa có trước/sau)"
        )
        print(f"Tỉ lệ (b2)/(a2): {upd_s / read2_s:.1f}; (b2)/(calamine): {upd_s / cal2_s:.1f}")
        print(
            f"RSS cao nhất trong lần cập nhật: {upd_peak:,.0f} MiB; "
            f"của tiến trình đọc phụ: {upd_child:,.0f} MiB"
        )
        print(f"Tải máy sau lần cập nhật: {os.getloadavg()[0]:.2f}", flush=True)

    if args.keep:
        print(f"Giữ lại: {work}" + (f" và CSDL {PG_NAME}" if args.db == "postgresql" else ""))
    else:
        from django.db import connection

        connection.close()
        for p in work.iterdir():
            p.unlink()
        work.rmdir()
        if args.db == "postgresql":
            _pg_admin([f"DROP DATABASE IF EXISTS {PG_NAME}"])


if __name__ == "__main__":
    main()
