"""Open an uploaded workbook safely and read its sheets.

Before openpyxl sees the file, ``check_file`` looks at it as a ZIP archive: signature, member
count, total and per-member uncompressed size and compression ratio (a "zip bomb" is refused
before anything is decompressed), macros (``vbaProject.bin`` or a macro-enabled content type).
openpyxl then reads in read-only (streaming) mode; its XML parsing goes through defusedxml, so
entity-expansion tricks are refused too. Python's ``zipfile`` never returns more bytes than a
member's declared size, so the size check cannot be lied to.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canbo.imports import prefetch as prefetch_mod
from canbo.imports.engine import RefusedFile
from canbo.imports.mapping import header_score
from canbo.imports.prefetch import Prefetcher, PrefetchError, sheet_rows
from canbo.imports.schema import (
    HEADER_SCAN_ROWS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_RATIO,
    MAX_ROWS_PER_SHEET,
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
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        raise RefusedFile("Tệp .xlsx bị hỏng hoặc không phải bảng tính Excel.") from None


def _looks_like_text(head: bytes) -> bool:
    return all(b in b"\t\r\n" or 32 <= b < 127 or b >= 128 for b in head)


@dataclass
class Sheet:
    """A sheet as read: its header row, and an iterator over the data rows below it."""

    name: str
    ws: Any
    header_row: int  # Excel row number of the header row
    headers: list[str]
    data_rows: int  # approximate (from the sheet's declared dimension), for progress only
    width: int = 0
    prefetcher: Any = field(default=None, repr=False)  # a prefetch.Prefetcher reading this sheet

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...], tuple[str, ...]]]:
        """(Excel row number, values, data types) for every non-empty row under the header.

        Raises RefusedFile when the sheet holds more data rows than the limit.
        """
        for count, item in enumerate(self._source(), start=1):
            if count > MAX_ROWS_PER_SHEET:
                raise RefusedFile(
                    f"Sheet {self.name} có quá {MAX_ROWS_PER_SHEET:,} dòng dữ liệu".replace(",", ".")
                    + "; hãy chia thành nhiều tệp."
                )
            yield item

    def _source(self) -> Iterator[tuple[int, tuple[Any, ...], tuple[str, ...]]]:
        if self.prefetcher is not None:
            try:
                yield from self.prefetcher.rows(self.name)
            except PrefetchError:
                raise RefusedFile(f"Không đọc được sheet {self.name}: bảng tính bị hỏng.") from None
            return
        yield from sheet_rows(self.ws, self.header_row + 1, self.width)


class Workbook:
    """An opened workbook (read-only); ``sheets()`` finds each sheet's header row."""

    def __init__(self, path: Path) -> None:
        import openpyxl

        self.path = path
        self.prefetcher: Prefetcher | None = None
        try:
            self.book = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
        except Exception:  # openpyxl raises many kinds on a damaged file
            raise RefusedFile(
                "Không đọc được tệp: bảng tính bị hỏng hoặc không đúng định dạng .xlsx."
            ) from None
        if len(self.book.sheetnames) > MAX_SHEETS:
            self.close()
            raise RefusedFile(f"Tệp có quá nhiều sheet ({len(self.book.sheetnames)}); tối đa {MAX_SHEETS}.")

    def sheets(self) -> list[Sheet]:
        out = []
        for ws in self.book.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible" and ws.title.startswith("_"):
                continue
            out.append(self._sheet(ws))
        return out

    def _sheet(self, ws: Any) -> Sheet:
        try:
            head = list(
                ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, max_col=MAX_COLUMNS + 1, values_only=True)
            )
        except Exception:
            raise RefusedFile(f"Không đọc được sheet {ws.title}: bảng tính bị hỏng.") from None
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
            return Sheet(ws.title, ws, 1, [], 0, 0)
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
            raise RefusedFile(f"Sheet {ws.title} có quá nhiều cột ({len(headers)}); tối đa {MAX_COLUMNS}.")
        declared = ws.max_row if isinstance(getattr(ws, "max_row", None), int) else 0
        return Sheet(ws.title, ws, header_row, headers, max(0, declared - header_row), len(headers))

    def prefetch(self, sheets: list[Sheet]) -> None:
        """Have a second process parse ``sheets`` (to be read in this order) while this one
        checks their rows; only worth it for large sheets (``prefetch.MIN_ROWS``)."""
        todo = [s for s in sheets if s.headers and s.width]
        if not todo or sum(s.data_rows for s in todo) < prefetch_mod.MIN_ROWS:
            return
        self.prefetcher = Prefetcher(str(self.path), [(s.name, s.header_row + 1, s.width) for s in todo])
        for s in todo:
            s.prefetcher = self.prefetcher

    def close(self) -> None:
        if self.prefetcher is not None:
            self.prefetcher.close()
        self.book.close()


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def open_workbook(path: Path) -> Workbook:
    """Check the file (RefusedFile) and open it for reading."""
    check_file(path)
    return Workbook(path)
