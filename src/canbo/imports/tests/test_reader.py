"""The reader (python-calamine) gives cells as openpyxl did, and refuses what would make calamine
allocate without bound (a failed allocation aborts the process: no exception to catch)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook

from canbo.imports import reader
from canbo.imports.engine import RefusedFile
from canbo.imports.tests.helpers import PERSON_HEADERS, make_xlsx

PID = "010180004242"
ROW = [PID, "Nguyễn Thị Hoa", "Nữ", "17/05/1980", "Kinh", "Không", "Công chức", "A1"]

# Every kind of value a province's sheet holds, one per row of column B.
VALUES: list[Any] = [
    dt.datetime(1980, 5, 17),  # a date cell
    dt.datetime(1980, 5, 17, 10, 30),  # a date and time
    dt.date(2003, 9, 1),
    "03/1980",  # a partial date typed as text
    "1980",  # a year as text
    1980,  # a year as a number
    2.34,  # a salary coefficient
    "2,34",  # ... typed with a decimal comma
    10180012345,  # a personal ID that lost its leading zero as a number
    "010180012345",  # the same, stored as text: the zero stays
    "0123",  # a number stored as text
    125.0,  # a whole number written as a float
    -5,
    1e20,
    True,
    "  ",  # blank text
    None,  # an empty cell between two rows
    dt.time(7, 30),
    "Nguyễn Thị Hoa",
]


def _openpyxl_rows(path: Path, name: str, width: int) -> list[tuple[int, tuple[Any, ...]]]:
    ws = load_workbook(path, read_only=True, data_only=False)[name]
    out = []
    for number, row in enumerate(ws.iter_rows(max_col=width), start=1):
        values = tuple(c.value for c in row)
        values += (None,) * (width - len(values))
        out.append((number, values))
    return out


def test_cells_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "kieu.xlsx", {"S": [["Số định danh cá nhân", "Giá trị"], *[["x", v] for v in VALUES]]}
    )
    book = reader.open_workbook(path)
    try:
        (sheet,) = book.sheets()
        mine = [(n, v) for n, v, _t in sheet.grid(1, 2)]
    finally:
        book.close()
    # openpyxl gives blank text as it is; the reader as None (both are blank to the validator)
    theirs = [
        (n, tuple(None if isinstance(v, str) and not v.strip() else v for v in vs))
        for n, vs in _openpyxl_rows(path, "S", 2)
    ]
    assert mine == theirs
    for (_n, (_x, got)), want in zip(mine[1:], VALUES, strict=True):
        if isinstance(want, str) and not want.strip():
            assert got is None
            continue
        assert (
            type(got) is type(want)
            or (want is not None and type(want) is dt.date and type(got) is dt.datetime)
            or (type(want) is float and want.is_integer() and type(got) is int and abs(want) < 2**53)
        ), (want, got)


def test_sheet_starting_further_down_and_right(tmp_path: Path) -> None:
    """Calamine leaves out the empty columns before the first cell (and keeps the rows): the
    row numbers and columns of errors must still be Excel's."""
    wb = OpenpyxlWorkbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Cán bộ"
    ws["D2"] = "Danh sách cán bộ"
    for j, header in enumerate(PERSON_HEADERS):
        ws.cell(4, 3 + j, header)
    for j, value in enumerate(ROW):
        ws.cell(5, 3 + j, value)
    ws.cell(7, 3 + 1, "Trần Văn Bình")
    path = tmp_path / "lech.xlsx"
    wb.save(path)
    book = reader.open_workbook(path)
    try:
        (sheet,) = book.sheets()
        assert sheet.header_row == 4
        assert sheet.headers == ["", "", *PERSON_HEADERS]
        rows = list(sheet.rows())
    finally:
        book.close()
    assert [n for n, _v, _t in rows] == [5, 7]
    assert rows[0][1][2:4] == (PID, "Nguyễn Thị Hoa")
    assert rows[1][1][3] == "Trần Văn Bình"


def _rewrite(path: Path, out: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, change(data) if item.filename == member else data)
    return out


SHEET1 = "xl/worksheets/sheet1.xml"


def test_formula_with_cached_value_is_still_a_formula(tmp_path: Path) -> None:
    """Excel stores a formula's last value too; calamine gives that value, the reader the
    formula (type "f"), as openpyxl did, so that the validator reports it."""
    plain = make_xlsx(tmp_path / "a.xlsx", {"Cán bộ": [PERSON_HEADERS, ROW]})
    path = _rewrite(
        plain,
        tmp_path / "b.xlsx",
        SHEET1,
        lambda d: re.sub(
            rb'<c r="B2" t="inlineStr"><is><t>[^<]*</t></is></c>',
            b'<c r="B2" t="str"><f>UPPER(&quot;hoa&quot;)</f><v>HOA</v></c>',
            d,
        ),
    )
    book = reader.open_workbook(path)
    try:
        (sheet,) = book.sheets()
        ((number, values, types),) = list(sheet.rows())
    finally:
        book.close()
    assert number == 2 and values[1] == '=UPPER("hoa")' and types[1] == "f" and types[0] == "n"


def test_cells_without_position_are_placed_as_calamine_places_them(tmp_path: Path) -> None:
    plain = make_xlsx(tmp_path / "a.xlsx", {"Cán bộ": [PERSON_HEADERS, ROW]})
    path = _rewrite(
        plain, tmp_path / "b.xlsx", SHEET1, lambda d: re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", d)
    )
    book = reader.open_workbook(path)
    try:
        (sheet,) = book.sheets()
        assert sheet.headers == PERSON_HEADERS
        assert [values for _n, values, _t in sheet.rows()] == [tuple(ROW)]
    finally:
        book.close()


@pytest.mark.parametrize(
    "far",
    [
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',  # a far cell
        b'<row r="2000000"><c r="B2000000" t="inlineStr"><is><t>x</t></is></c></row>',  # far down
        b'<row r="3"><c r="ZZ3" t="inlineStr"><is><t>x</t></is></c></row>'  # far right, then down
        b'<row r="90000"><c r="A90000" t="inlineStr"><is><t>x</t></is></c></row>',
        b'<row r="99999999"><c t="inlineStr"><is><t>x</t></is></c></row>',  # no position on the cell
    ],
)
def test_sheet_spanning_too_many_cells_is_refused(tmp_path: Path, far: bytes) -> None:
    """Two cells far apart make calamine allocate their whole grid (half a terabyte for A1 and
    XFD1048576): refused before calamine reads the sheet."""
    plain = make_xlsx(tmp_path / "a.xlsx", {"Cán bộ": [PERSON_HEADERS, ROW]})
    path = _rewrite(
        plain, tmp_path / "xa.xlsx", SHEET1, lambda d: d.replace(b"</sheetData>", far + b"</sheetData>")
    )
    with pytest.raises(RefusedFile, match=r"vượt giới hạn 12\.000\.000 ô"):
        reader.open_workbook(path)


def test_far_empty_cell_is_not_refused(tmp_path: Path) -> None:
    """A formatted but empty cell far away (Excel writes those) takes no room in calamine."""
    plain = make_xlsx(tmp_path / "a.xlsx", {"Cán bộ": [PERSON_HEADERS, ROW]})
    far = b'<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    path = _rewrite(
        plain, tmp_path / "b.xlsx", SHEET1, lambda d: d.replace(b"</sheetData>", far + b"</sheetData>")
    )
    book = reader.open_workbook(path)
    try:
        (sheet,) = book.sheets()
        assert [values for _n, values, _t in sheet.rows()] == [tuple(ROW)]
    finally:
        book.close()


def _with_strings(
    plain: Path, out: Path, unique: bytes, part: str = "xl/sharedStrings.xml", before: bytes = b""
) -> Path:
    """``plain`` with a shared-string table declaring ``unique`` strings (it holds one) and
    99,999,999 uses of them (``count``: not what calamine reserves, so never refused)."""
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?>' + before + b'<sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="99999999" uniqueCount="' + unique + b'"><si><t>x</t></si></sst>'
    )
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/'
                    + part.encode()
                    + b'" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/sharedStrings" Target="/' + part.encode() + b'"/></Relationships>',
                )
            dst.writestr(item, data)
        dst.writestr(part, sst)
    return out


def test_string_table_announcing_too_many_strings_is_refused(tmp_path: Path) -> None:
    """Calamine reserves the announced count of shared strings before reading one."""
    plain = make_xlsx(tmp_path / "a.xlsx", {"Cán bộ": [PERSON_HEADERS, ROW]})
    with pytest.raises(RefusedFile, match="bảng chuỗi"):
        reader.check_file(_with_strings(plain, tmp_path / "b.xlsx", b"99999999999999"))
    # under another name (the relationships say which part is the table), behind a decoy
    decoy = b'<!-- <sst uniqueCount="1"> -->'
    hidden = _with_strings(plain, tmp_path / "d.xlsx", b"99999999999999", "xl/other.xml", decoy)
    with pytest.raises(RefusedFile, match="bảng chuỗi"):
        reader.check_file(hidden)
    long_prolog = _with_strings(
        plain, tmp_path / "e.xlsx", b"1", "xl/other.xml", b"<!--" + b"x" * 70000 + b"-->"
    )
    with pytest.raises(RefusedFile, match="bị hỏng"):
        reader.check_file(long_prolog)
    fine = _with_strings(plain, tmp_path / "c.xlsx", b"1")
    book = reader.open_workbook(fine)
    try:
        assert book.sheetnames == ["Cán bộ"]
    finally:
        book.close()


def test_number_formats_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    """Whether a number is a date depends on its format (locale prefixes included): the two
    readers agree on every format a province's sheet uses."""
    formats = ["mm/yyyy", "[$-42A]dd/mm/yyyy;@", "dd/mm/yyyy", "d-mmm-yy", "yyyy", "0.00", "@", "[h]:mm"]
    formats += ["hh:mm", "dd/mm/yyyy hh:mm", "[$-F800]dddd, mmmm dd, yyyy", "General", "#,##0"]
    wb = OpenpyxlWorkbook()
    ws = wb.active
    assert ws is not None
    ws.title = "S"
    for i, number_format in enumerate(formats, start=1):
        ws.cell(i, 1, 29358.0).number_format = number_format
        ws.cell(i, 2, 2.34).number_format = number_format if "y" not in number_format else "0.00"
    path = tmp_path / "dang.xlsx"
    wb.save(path)
    book = reader.open_workbook(path)
    try:
        sheet = book.sheet("S")
        mine = [(n, v) for n, v, _t in sheet.grid(1, 2)]
    finally:
        book.close()
    assert mine == _openpyxl_rows(path, "S", 2)
