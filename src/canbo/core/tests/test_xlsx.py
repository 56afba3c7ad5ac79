"""core.xlsx: text that a spreadsheet would read as a formula is written as text."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from canbo.core.xlsx import Look, safe_row

RISKY = ["=1+2", '=HYPERLINK("http://example.invalid","x")', "+1", "-x", "@SUM(A1)", "\tx", "\rx", "#N/A"]


@pytest.mark.parametrize("write_only", [True, False])
def test_risky_text_is_text_and_other_values_keep_their_type(write_only: bool) -> None:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("t")
    plain = ["Nguyễn Thị Hoa", -5, Decimal("-2.34"), 4.5, dt.date(2020, 12, 11), None, "a\x01b"]
    ws.append(safe_row(ws, RISKY))
    ws.append(safe_row(ws, plain))
    ws.append(safe_row(ws, ["=1+2", "x"], Look(ws, font=Font(bold=True))))
    out = io.BytesIO()
    wb.save(out)
    read = load_workbook(io.BytesIO(out.getvalue()))["t"]
    first, second_row, third = list(read.iter_rows(min_row=1, max_row=3))
    assert [c.value for c in first] == RISKY
    assert all(c.data_type == "s" and c.quotePrefix for c in first)
    second = [c.value for c in second_row]
    assert second[:4] == ["Nguyễn Thị Hoa", -5, -2.34, 4.5]  # negative numbers stay numbers
    assert second[4] == dt.datetime(2020, 12, 11)
    assert second[6] == "ab"  # a control character XML cannot hold is dropped, not a failure
    a3, b3 = third[:2]
    assert a3.data_type == "s" and a3.quotePrefix and a3.font.b and b3.font.b and not b3.quotePrefix


def test_safe_sheet_writes_xlsxwriter_cells_with_the_same_rule() -> None:
    """XlsxWriter (the list export): risky text is quoted text, numbers and dates keep their
    type, a date is shown dd/mm/yyyy, a control character is dropped."""
    import xlsxwriter

    from canbo.core.xlsx import SafeSheet

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = SafeSheet(wb, wb.add_worksheet("t"))
    plain = ["Nguyễn Thị Hoa", -5, Decimal("-2.34"), 4.5, dt.date(2020, 12, 11), None, "a\x01b", True]
    sheet.row(0, RISKY)
    sheet.row(1, plain)
    sheet.row(2, ["=1+2", "x"], sheet.look(bold=True))
    wb.close()
    read = load_workbook(io.BytesIO(out.getvalue()))["t"]
    first, second_row, third = list(read.iter_rows(min_row=1, max_row=3))
    # XlsxWriter writes a carriage return as Excel's escape "_x000D_" (Excel reads it back as
    # one; openpyxl leaves it).
    assert [str(c.value).replace("_x000D_", "\r") for c in first] == RISKY
    assert all(c.data_type == "s" and c.quotePrefix for c in first)
    second = [c.value for c in second_row]
    assert second[:4] == ["Nguyễn Thị Hoa", -5, -2.34, 4.5]  # negative numbers stay numbers
    assert second[4] == dt.datetime(2020, 12, 11) and second_row[4].number_format == "dd/mm/yyyy"
    assert second[5] is None and second[6] == "ab" and second[7] is True
    a3, b3 = third[:2]
    assert a3.data_type == "s" and a3.quotePrefix and a3.font.b and b3.font.b and not b3.quotePrefix
