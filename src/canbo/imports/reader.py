"""Open an uploaded workbook safely and read its sheets.

Before any spreadsheet library sees the file, ``check_file`` looks at it as a ZIP archive:
signature, member count, total and per-member uncompressed size and compression ratio (a "zip
bomb" is refused before anything is decompressed), macros (``vbaProject.bin`` or a
macro-enabled content type), and XML parts declaring a DTD or entities. Python's ``zipfile``
never returns more bytes than a member's declared size, so the size check cannot be lied to.

The sheets are then read with python-calamine (Rust; about eight times faster than openpyxl on
the 70,000-person bench file, docs/performance.md "Import"). Calamine builds each sheet as one
dense grid from its first to its last cell, and reserves the shared-string table from its
declared count, so a few bytes can ask it for terabytes (the process aborts, no exception). So
``scan_sheet`` first reads every worksheet's XML here and refuses sheets whose cells lie too far
apart (``MAX_SHEET_CELLS``) and string tables that announce more strings than they can hold. The
same pass finds formula cells: calamine gives a formula's cached value, openpyxl (and the
validator) the formula itself, so those cells are handed on as "=…" text of type "f".
"""

from __future__ import annotations

import datetime as dt
import itertools
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canbo.imports.errors import RefusedFile
from canbo.imports.mapping import header_score
from canbo.imports.schema import (
    HEADER_SCAN_ROWS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_RATIO,
    MAX_ROWS_PER_SHEET,
    MAX_SHEET_CELLS,
    MAX_SHEETS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_MEMBERS,
    RATIO_FLOOR_BYTES,
)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def check_file(path: Path) -> None:
    """Refuse anything that is not a plain .xlsx workbook within the limits (RefusedFile)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        raise RefusedFile("Không đọc được tệp đã tải lên.") from None
    if size == 0:
        raise RefusedFile("Tệp rỗng.")
    if size > MAX_FILE_BYTES:
        raise RefusedFile(
            f"Tệp quá lớn ({_mb(size)}); tối đa {_mb(MAX_FILE_BYTES)}. Hãy chia thành nhiều tệp."
        )
    if head.startswith(OLE_SIGNATURE):
        raise RefusedFile(
            "Tệp là bảng tính Excel 97–2003 (.xls) hoặc có đặt mật khẩu. Hãy mở bằng Excel, "
            "bỏ mật khẩu nếu có, rồi lưu lại dạng “Excel Workbook (.xlsx)”."
        )
    if not head.startswith(ZIP_SIGNATURE):
        if path.suffix.lower() == ".csv" or _looks_like_text(head):
            raise RefusedFile(
                "Tệp không phải bảng tính Excel (.xlsx) mà là tệp văn bản (CSV hoặc tương tự). "
                "Hãy mở bằng Excel rồi lưu lại dạng “Excel Workbook (.xlsx)”."
            )
        raise RefusedFile("Tệp không phải bảng tính Excel (.xlsx).")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RefusedFile("Tệp .xlsx bị hỏng hoặc không phải bảng tính Excel.") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise RefusedFile(f"Tệp chứa quá nhiều thành phần ({len(infos)}); không phải bảng tính thông thường.")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise RefusedFile("Tệp nén này không phải bảng tính Excel (.xlsx).")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise RefusedFile(
            "Tệp có chứa macro (VBA); không nhận tệp có macro. Hãy lưu lại dạng “Excel Workbook (.xlsx)”."
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise RefusedFile(
                "Tệp bị từ chối: một phần của tệp giải nén ra lớn bất thường "
                f"({_mb(info.file_size)}, gấp {ratio:.0f} lần) — dấu hiệu “bom nén”."
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise RefusedFile(
            f"Tệp bị từ chối: giải nén ra {_mb(total)}, vượt giới hạn {_mb(MAX_UNCOMPRESSED_BYTES)} "
            "(dấu hiệu “bom nén” hoặc tệp quá lớn)."
        )
    try:
        with zipfile.ZipFile(path) as zf:
            content_types = zf.read("[Content_Types].xml")[:200_000]
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError):
        raise RefusedFile("Tệp .xlsx bị hỏng hoặc không phải bảng tính Excel.") from None
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        raise RefusedFile(
            "Tệp là bảng tính có macro (.xlsm); không nhận tệp có macro. "
            "Hãy lưu lại dạng “Excel Workbook (.xlsx)”."
        )
    _refuse_dtd(path, infos)


def _refuse_dtd(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse XML parts that declare a DTD: Excel never writes one, and entity declarations are
    how "billion laughs" bombs work. This does not depend on which XML parser openpyxl picks
    (lxml, once installed, would silently skip the entities instead of failing)."""
    try:
        with zipfile.ZipFile(path) as zf:
            for info in infos:
                if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    continue
                with zf.open(info) as member:
                    prolog = member.read(65536)
                if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                    raise RefusedFile(
                        "Không đọc được tệp: bảng tính chứa khai báo DTD/thực thể XML, điều Excel "
                        "không bao giờ ghi — dấu hiệu tệp độc hại."
                    )
                _refuse_string_table(info, prolog)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        raise RefusedFile("Tệp .xlsx bị hỏng hoặc không phải bảng tính Excel.") from None


def _refuse_string_table(info: zipfile.ZipInfo, prolog: bytes) -> None:
    """Refuse a shared-string table announcing more strings than its size can hold: calamine
    reserves room for the announced count before reading one (a few bytes could ask for
    terabytes, and a failed allocation aborts the process). Any XML part may be the table (the
    relationships name it), so every part's root element is looked at: it must come first (after
    the declaration, processing instructions and comments), within the prolog read."""
    if info.file_size == 0 or not info.filename.lower().endswith((".xml", ".rels")):
        return
    root = _ROOT.match(prolog)
    if root is None:
        raise RefusedFile("Tệp .xlsx bị hỏng hoặc không phải bảng tính Excel.")
    if root[1] != b"sst":
        return
    for m in _COUNT.finditer(root[2] or b""):
        if int(m[1]) > 1000 + info.file_size // 5:  # "<si/>": at least 5 bytes a string
            raise RefusedFile(
                "Tệp bị từ chối: bảng chuỗi của tệp khai báo nhiều chuỗi hơn nó có thể chứa — "
                "dấu hiệu tệp độc hại hoặc hỏng."
            )


_ROOT = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)(\s[^>]*)?/?>",
    re.S,
)
_COUNT = re.compile(rb"""\buniqueCount\s*=\s*["']\s*([0-9]{1,30})""")


def _looks_like_text(head: bytes) -> bool:
    return all(b in b"\t\r\n" or 32 <= b < 127 or b >= 128 for b in head)


@dataclass
class Sheet:
    """A sheet as read: its header row, and an iterator over the data rows below it."""

    name: str
    ws: Any  # the calamine sheet (its cells in memory), dropped once its rows are read
    header_row: int  # Excel row number of the header row
    headers: list[str]
    data_rows: int  # approximate (rows below the header up to the last cell), for progress only
    width: int = 0
    formulas: dict[tuple[int, int], str] = field(default_factory=dict, repr=False)

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...], tuple[str, ...]]]:
        """(Excel row number, values, data types) for every non-empty row under the header.

        Values are as openpyxl gives them: None for an empty (or blank) cell, ``int`` for a whole number,
        ``datetime`` for a date, "=…" for a formula (data type "f"; every other type is "n").
        Raises RefusedFile when the sheet holds more data rows than the limit.
        """
        count = 0
        width = self.width
        for number, values, types in self.grid(self.header_row + 1, width):
            if values.count(None) == width:  # blank text is None too
                continue
            count += 1
            if count > MAX_ROWS_PER_SHEET:
                raise RefusedFile(
                    f"Sheet {self.name} có quá {MAX_ROWS_PER_SHEET:,} dòng dữ liệu".replace(",", ".")
                    + "; hãy chia thành nhiều tệp."
                )
            yield number, values, types
        self.ws = None  # the sheet's cells are no longer needed

    def grid(self, start: int, width: int) -> Iterator[tuple[int, tuple[Any, ...], tuple[str, ...]]]:
        """Every row from Excel row ``start`` to the sheet's last, empty ones included, each cut or
        padded to ``width`` cells."""
        ws = self.ws
        if ws is None or ws.start is None or width <= 0:
            return
        # python-calamine yields every row from row 1 but only the columns from the first used
        # one (``test_reader.test_sheet_starting_further_down_and_right`` pins it).
        first_col = ws.start[1]
        pad = (None,) * first_col
        plain = ("n",) * width
        blank = (None,) * width
        for number, raw in enumerate(ws.iter_rows(), start=1):
            if number < start:
                continue
            # The cells as openpyxl gives them (the parsers were written against openpyxl): None
            # for an empty cell (calamine: "") and, here, for blank text too; whole numbers as
            # int (calamine reads every number as a float); a date as a datetime at midnight.
            # Written out rather than a function call per cell: this runs for every cell.
            values = tuple(
                [
                    (v if v.strip() else None)
                    if (t := type(v)) is str
                    else (int(v) if v.is_integer() and -_EXACT < v < _EXACT else v)
                    if t is float
                    else _midnight(v)
                    if t is _DATE
                    else v
                    for v in raw
                ]
            )
            if first_col:
                values = pad + values
            if len(values) != width:
                values = values[:width] + blank[len(values) :]
            types = plain
            if self.formulas:
                values, types = self._with_formulas(number, values, types)
            yield number, values, types

    def _with_formulas(
        self, number: int, values: tuple[Any, ...], types: tuple[str, ...]
    ) -> tuple[tuple[Any, ...], tuple[str, ...]]:
        cols = [(c, f) for (r, c), f in self.formulas.items() if r == number and c < len(values)]
        if not cols:
            return values, types
        vals, kinds = list(values), list(types)
        for c, text in cols:
            vals[c], kinds[c] = "=" + text, "f"
        return tuple(vals), tuple(kinds)


_DATE = dt.date


def _midnight(v: dt.date) -> dt.datetime:
    return dt.datetime(v.year, v.month, v.day)  # noqa: DTZ001 (a spreadsheet cell's datetime is naive, as openpyxl gives it)


_EXACT = 2.0**53


def _reraise_interrupts(exc: BaseException) -> None:
    """A panic in Rust code reaches Python as pyo3's ``PanicException``, a ``BaseException``:
    the callers catch those too (a damaged file), but never an interrupt or an exit."""
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise exc


class Workbook:
    """An opened workbook; ``sheets()`` finds each sheet's header row."""

    def __init__(self, path: Path) -> None:
        import python_calamine

        self.path = path
        try:
            parts = sheet_parts(path)
            self.scans = {name: scan_sheet(path, part, name) for name, part in parts.items()}
            self.book = python_calamine.CalamineWorkbook.from_path(str(path))
        except RefusedFile:
            raise
        except BaseException as exc:  # calamine and the ZIP/XML readers raise many kinds
            _reraise_interrupts(exc)
            raise RefusedFile(
                "Không đọc được tệp: bảng tính bị hỏng hoặc không đúng định dạng .xlsx."
            ) from None
        self.sheetnames: list[str] = list(self.book.sheet_names)
        if len(self.sheetnames) > MAX_SHEETS:
            self.close()
            raise RefusedFile(f"Tệp có quá nhiều sheet ({len(self.sheetnames)}); tối đa {MAX_SHEETS}.")

    def worksheets(self, *, hidden: bool = True) -> list[str]:
        """Names of the worksheets (not chart sheets), in workbook order; without the hidden
        ones whose name starts with "_" (lists for drop-downs) unless ``hidden``."""
        import python_calamine

        out = []
        for meta in self.book.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            visible = meta.visible == python_calamine.SheetVisibleEnum.Visible
            if not hidden and not visible and meta.name.startswith("_"):
                continue
            out.append(meta.name)
        return out

    def sheets(self) -> list[Sheet]:
        return [self.sheet(name) for name in self.worksheets(hidden=False)]

    def sheet(self, name: str) -> Sheet:
        """Load one sheet (its cells, into memory) and find its header row."""
        if name not in self.scans:  # a sheet calamine lists that the scan did not see
            raise RefusedFile(f"Không đọc được sheet {name}: bảng tính bị hỏng.")
        try:
            ws = self.book.get_sheet_by_name(name)
        except BaseException as exc:
            _reraise_interrupts(exc)
            raise RefusedFile(f"Không đọc được sheet {name}: bảng tính bị hỏng.") from None
        sheet = Sheet(name, ws, 1, [], 0, 0, self.scans[name].formulas)
        top = itertools.islice(sheet.grid(1, MAX_COLUMNS + 1), HEADER_SCAN_ROWS)
        head = [values for _n, values, _t in top]
        best_row, best_score, first_nonempty = 0, 0, 0
        for i, row in enumerate(head, start=1):
            texts = [str(v).strip() if v is not None else "" for v in row]
            if not any(texts):
                continue
            first_nonempty = first_nonempty or i
            score = header_score(texts)
            if score > best_score:
                best_row, best_score = i, score
        header_row = best_row or first_nonempty
        if not header_row:
            return Sheet(name, ws, 1, [], 0, 0)
        raw = head[header_row - 1]
        headers = [_header_text(v) for v in raw]
        while headers and not headers[-1]:
            headers.pop()
        # Repeated headers get a number so that each column can be mapped on its own.
        seen: dict[str, int] = {}
        for j, h in enumerate(headers):
            if h:
                seen[h] = seen.get(h, 0) + 1
                if seen[h] > 1:
                    headers[j] = f"{h} ({seen[h]})"
        if len(headers) > MAX_COLUMNS:
            raise RefusedFile(f"Sheet {name} có quá nhiều cột ({len(headers)}); tối đa {MAX_COLUMNS}.")
        last = ws.end[0] + 1 if ws.end is not None else 0
        sheet.header_row, sheet.headers, sheet.width = header_row, headers, len(headers)
        sheet.data_rows = max(0, last - header_row)
        return sheet

    def close(self) -> None:
        self.book.close()


# -- what calamine would build: every worksheet's extent and formula cells, read here first ------

_P = rb"<(?:[A-Za-z_][\w.-]*:)?"  # an element, with or without a namespace prefix
_REF = rb"""\br\s*=\s*["']([A-Za-z]*)([0-9]+)["']"""
# A cell start tag with its reference, not self-closing (calamine skips self-closing cells).
_VALUE_CELL = re.compile(_P + rb"c\s[^>]*?" + _REF + rb"[^>]*(?<!/)>")
# A reference past column Z or row 99,999 (one with two letters, or six digits).
_BIG_REF = re.compile(rb'<c r="(?:[A-Z]{2}|[A-Z][0-9]{6})')
_OPEN_CELL = re.compile(_P + rb"c(?:\s[^>]*)?(?<!/)>()")
_FORMULA = re.compile(_P + rb"f[\s/>]")
_TOKEN = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(row|c|f)(?=[\s/>])([^>]*)>")
_REF_ATTR = re.compile(_REF)
_F_TEXT = re.compile(rb"([^<]*)<")
SCAN_CHUNK = 4 * 1024 * 1024


@dataclass
class Scan:
    """One worksheet as the scan saw it: rows and columns its cells span (from A1), and its
    formula cells by (Excel row number, column index from 0)."""

    rows: int = 0
    cols: int = 0
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


def sheet_parts(path: Path) -> dict[str, str]:
    """{sheet name: its XML part in the archive} of the workbook's worksheets."""
    from defusedxml import ElementTree

    with zipfile.ZipFile(path) as zf:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        try:
            rels_xml = zf.read("xl/_rels/workbook.xml.rels")
        except KeyError:
            rels_xml = b"<Relationships/>"
        rels = ElementTree.fromstring(rels_xml)
    targets = {}
    for rel in rels:
        if rel.get("Type", "").endswith("/worksheet"):
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            targets[rel.get("Id")] = part
    out = {}
    for el in book.iter():
        if el.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        if rid in targets:
            out[el.get("name", "")] = targets[rid]
    return out


def _chunks(path: Path, part: str) -> Iterator[bytes]:
    """The part's bytes in pieces that each end before a tag (a tag is never cut in two)."""
    with zipfile.ZipFile(path) as zf, zf.open(part) as member:
        tail = b""
        while True:
            data = member.read(SCAN_CHUNK)
            if not data:
                if tail:
                    yield tail
                return
            data = tail + data
            cut = data.rfind(b"<")
            cut = cut if cut > 0 else len(data)
            tail = data[cut:]
            yield data[:cut]


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def scan_sheet(path: Path, part: str, name: str) -> Scan:
    """Refuse a worksheet whose cells would make calamine's grid too large; find its formulas.

    Three passes, each only when the one before cannot decide (the first costs about a tenth of
    calamine's own reading): (1) cells written as Excel writes them (``<c r="B12"``) whose
    references all have one letter and at most five digits span at most 99,999 × 26 cells, found
    by a search that matches none of them; (2) otherwise the references of the cells holding
    something are read and their largest row and column taken; (3) a sheet with formulas, or with
    cells that leave their position out, is read tag by tag and placed as calamine places them.
    """
    scan = Scan()
    cheap = True
    for chunk in _chunks(path, part):
        if (b"<f" in chunk or b":f" in chunk) and _FORMULA.search(chunk):
            return _exact_scan(path, part, name)
        cells = chunk.count(b'<c r="')
        if not cells and b"<c" not in chunk and b":c" not in chunk:
            continue
        if cells != chunk.count(b"<c ") or b"<c>" in chunk or b":c" in chunk or _BIG_REF.search(chunk):
            cheap = False
            break
        scan.rows, scan.cols = max(scan.rows, 99_999), 26
    if cheap:
        return scan
    return _precise_scan(path, part, name)


def _precise_scan(path: Path, part: str, name: str) -> Scan:
    """The largest row and column of the cells holding something (pass 2 of ``scan_sheet``)."""
    scan = Scan()
    for chunk in _chunks(path, part):
        refs = _VALUE_CELL.findall(chunk)
        if len(_OPEN_CELL.findall(chunk)) > len(refs):  # cells without their position
            return _exact_scan(path, part, name)
        if refs:
            letters, digits = zip(*refs, strict=True)
            rows, cols = set(digits), set(letters)
            if max(map(len, rows)) > 7 or max(map(len, cols)) > 3:
                _refuse_extent(name, 10**7, 10**4)
            scan.rows = max(scan.rows, max(map(int, rows)))
            scan.cols = max(scan.cols, max(map(_col_number, cols)))
            _check_extent(name, scan)
    return scan


def _exact_scan(path: Path, part: str, name: str) -> Scan:
    """Every cell's position as calamine counts it (its ``r``, else the next column of the row),
    and the formula cells."""
    scan = Scan()
    row = col = 0  # calamine's counters, from 0
    cell: tuple[int, int] | None = None
    for chunk in _chunks(path, part):
        for m in _TOKEN.finditer(chunk):
            closing, tag, attrs = m[1], m[2], m[3]
            if tag == b"row":
                if closing:
                    row, col = row + 1, 0
                elif not attrs.endswith(b"/") and (ref := _REF_ATTR.search(attrs)):
                    row = int(ref[2]) - 1
            elif tag == b"c":
                if closing or attrs.endswith(b"/"):
                    cell = None
                    continue
                if ref := _REF_ATTR.search(attrs):
                    if len(ref[1]) > 3 or len(ref[2]) > 7:
                        _refuse_extent(name, 10**7, 10**4)
                    cell = (int(ref[2]) - 1, _col_number(ref[1]) - 1)
                    col = cell[1]
                else:
                    cell = (row, col)
                col += 1
                scan.rows = max(scan.rows, cell[0] + 1)
                scan.cols = max(scan.cols, cell[1] + 1)
                if scan.rows * scan.cols > MAX_SHEET_CELLS or scan.rows > max_sheet_rows():
                    _check_extent(name, scan)
            elif tag == b"f" and not closing and cell is not None:
                text = b""
                if not attrs.endswith(b"/") and (t := _F_TEXT.match(chunk, m.end())):
                    text = t[1]
                scan.formulas[(cell[0] + 1, cell[1])] = _unescape(text.decode("utf-8", "replace"))
    _check_extent(name, scan)
    return scan


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def _check_extent(name: str, scan: Scan) -> None:
    if scan.rows * scan.cols > MAX_SHEET_CELLS:
        _refuse_extent(name, scan.rows, scan.cols)
    if scan.rows > max_sheet_rows():
        _refuse_rows(name, scan.rows)


def max_sheet_rows() -> int:
    """The farthest row a worksheet may reach: the data-row limit below the header rows. A sheet
    reaching farther holds more rows than ``Sheet.rows`` would accept, or stray cells far below
    its table; either way it is refused before calamine builds its grid (a sheet of 1,048,576
    one-cell rows is under the cell limit but took 32 s and 1 GB to be refused after parsing)."""
    return MAX_ROWS_PER_SHEET + HEADER_SCAN_ROWS


def _refuse_rows(name: str, rows: int) -> None:
    def num(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    raise RefusedFile(
        f"Sheet {name} có dữ liệu quá dòng {num(max_sheet_rows())}, vượt giới hạn "
        f"{num(MAX_ROWS_PER_SHEET)} dòng dữ liệu. Hãy chia thành nhiều tệp, hoặc xóa các ô có dữ "
        "liệu nằm xa bên dưới bảng."
    )


def _refuse_extent(name: str, rows: int, cols: int) -> None:
    raise RefusedFile(
        f"Sheet {name} trải trên {rows:,} dòng × {cols:,} cột, vượt giới hạn {MAX_SHEET_CELLS:,} ô. ".replace(
            ",", "."
        )
        + "Hãy xóa các ô có dữ liệu nằm xa bảng (ở cuối hoặc bên phải) hoặc chia thành nhiều tệp."
    )


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def open_workbook(path: Path) -> Workbook:
    """Check the file (RefusedFile) and open it for reading."""
    check_file(path)
    return Workbook(path)
