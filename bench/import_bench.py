"""Import speed: a 70,000-person workbook with its sections, on a fresh SQLite database.

Usage: ./canbo bench import_bench [--persons 70000] [--keep]

1. Generates a realistic workbook (write-only openpyxl): sheet "Cán bộ" with 14 columns, and
   about 3 section rows per person over "Trình độ", "Chức vụ", "Khen thưởng" and "Đánh giá";
   dates written as Excel dates, "dd/mm/yyyy", "mm/yyyy" or years, levels as abbreviations,
   units by code or by name — as provinces' sheets write them.
2. Times (a) reading that file with openpyxl alone (read-only, every cell touched) and (b)
   ``run_import`` (safety checks, validation of every row, then writing everything with its
   change-log entries in one transaction) into a fresh SQLite database (a temporary
   CANBO_SQLITE_PATH, migrated here), in the same run; prints both, their ratio and the
   process's peak RSS. Nothing is asserted (issue 3: measured, never asserted).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

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


def setup_database(db_path: Path) -> None:
    os.environ["CANBO_DB"] = "sqlite"
    os.environ["CANBO_SQLITE_PATH"] = str(db_path)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from canbo.org.choices import Block, HeadKind, Level, ManagementScope, TitleGroup, UnitKind
    from canbo.org.models import Title, Unit

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


def make_workbook(path: Path, persons: int, seed: int = 7, *, shared_strings: bool = True) -> dict[str, int]:
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
        people.append([i + 1, pid, name, "Nữ" if female else "Nam", birth, rng.choice(ETHNIC), "Không",
                       rng.choice(["Công chức", "Viên chức", "Cán bộ"]), unit,
                       "Xã Võ Lao, huyện Văn Bàn, tỉnh Lào Cai",
                       "Chuyên viên", "01.003", step, f"{2.34 + 0.33 * (step - 1):.2f}".replace(".", ","),
                       recruited.strftime("%d/%m/%Y")])  # fmt: skip
        counts["persons"] += 1
        graduated = born.year + 22
        for n in range(1 if rng.random() < 0.7 else 2):
            kind, level = rng.choice(LEVELS)
            lang = "Tiếng Anh" if kind == "Ngoại ngữ" else ""
            quals.append(
                [
                    pid,
                    kind,
                    level,
                    "Luật" if kind == "Chuyên môn" else "",
                    lang,
                    "Học viện Hành chính Quốc gia",
                    graduated + n * 3,
                ]
            )
            counts["sections"] += 1
        start = dt.date(recruited.year + rng.randint(2, 10), rng.randint(1, 12), 1)
        tenures.append([pid, unit, rng.choice(["Trưởng phòng", "Phó Trưởng phòng", "CD2"]), "Bổ nhiệm", start,
                        None, f"{rng.randint(10, 999)}/QĐ-UBND"])  # fmt: skip
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
            ratings.append([pid, "Chính quyền", rng.randint(2019, 2024), rng.choice(RATINGS)])
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=70_000)
    parser.add_argument("--keep", action="store_true", help="keep the workbook and the database")
    parser.add_argument(
        "--inline-strings",
        action="store_true",
        help="keep openpyxl's inline strings instead of a shared-string table as Excel saves",
    )
    parser.add_argument(
        "--compare-prefetch",
        action="store_true",
        help="first validate the file twice (dry runs), without and with the second reading process",
    )
    parser.add_argument("--profile", action="store_true", help="profile run_import (cProfile, top 30)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="canbo-import-bench-"))
    db_path = work / "bench.sqlite3"
    setup_database(db_path)
    book = work / "bench.xlsx"
    t0 = time.perf_counter()
    counts = make_workbook(book, args.persons, shared_strings=not args.inline_strings)
    gen = time.perf_counter() - t0
    size = book.stat().st_size
    print(
        f"Tệp: {counts['persons']:,} người, {counts['sections']:,} dòng thông "
        f"tin, {size / 2**20:.1f} MB (tạo mất {gen:.1f} s)"
    )

    read_s, cells = read_only_pass(book)
    print(f"(a) openpyxl đọc toàn bộ (read_only, {cells:,} ô): {read_s:.1f} s")

    from canbo.core.models import ObjectChange
    from canbo.imports.engine import run_import
    from canbo.people.models import Person

    if args.compare_prefetch:
        from canbo.imports import prefetch

        saved = prefetch.MIN_ROWS
        for label, min_rows in (("một tiến trình", 10**12), ("đọc song song", saved)):
            prefetch.MIN_ROWS = min_rows
            t0 = time.perf_counter()
            run_import(path=book, acting_user=None, dry_run=True)
            print(f"(c) chỉ kiểm tra (dry run), {label}: {time.perf_counter() - t0:.1f} s", flush=True)
        prefetch.MIN_ROWS = saved

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
                    status = Path(f"/proc/{kid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        child_peak_kib[0] = max(child_peak_kib[0], int(line.split()[1]))

    watcher = threading.Thread(target=watch_children, daemon=True)
    watcher.start()
    last = [0.0]

    def progress(done: int, total: int, label: str) -> None:
        now = time.perf_counter()
        if now - last[0] > 5:
            last[0] = now
            print(f"    {label}: {done:,}/{total:,}", flush=True)

    t0 = time.perf_counter()
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        result = prof.runcall(run_import, path=book, acting_user=None, progress=progress)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    else:
        result = run_import(path=book, acting_user=None, progress=progress)
    import_s = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    watching.set()
    watcher.join()
    child_peak = child_peak_kib[0] / 1024
    if not result.ok:
        for e in result.errors[:20]:
            print("   ", e)
        print(f"Nhập thất bại: {len(result.errors)} lỗi")
    print(
        f"(b) run_import (kiểm tra + ghi): {import_s:.1f} s — {result.created:,} hồ sơ mới, "
        f"{result.section_rows:,} dòng thông tin, {ObjectChange.objects.count():,} dòng lịch sử; "
        f"trong CSDL: {Person.objects.count():,} người"
    )
    print(f"Tỉ lệ (b)/(a): {import_s / read_s:.1f}")
    print(f"RSS cao nhất của tiến trình: {peak:,.0f} MiB; của tiến trình đọc phụ: {child_peak:,.0f} MiB")
    if args.keep:
        print(f"Giữ lại: {work}")
    else:
        for p in work.iterdir():
            p.unlink()
        work.rmdir()


if __name__ == "__main__":
    main()
