"""The plan's table in the layout of 18-ĐA/TU Phụ lục 1: Nội dung, Hiện trạng, Mục tiêu, Ghi chú
(“numerator/population người”), as .xlsx (openpyxl) and .docx (python-docx)."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from canbo.core.dates import today
from canbo.core.wordpage import apply_official_page
from canbo.core.xlsx import safe_row
from canbo.indicators.engine import format_int
from canbo.indicators.selectors import Row
from canbo.org.models import Unit
from canbo.org.wordheader import add_unit_header
from canbo.plans.models import Plan

HEADERS = ["STT", "Nội dung", "Hiện trạng", "Mục tiêu", "Ghi chú"]


def cells(row: Row) -> list[str]:
    """The five cells of one row, as the appendix writes them."""
    res = row.result
    if res.status == "pending":
        current, note = "Chưa tính được", res.note
    elif res.status == "absent":
        current, note = "Không có", res.note
    elif res.kind == "exists":
        current = "Có" if res.numerator else "Không"
        note = f"{format_int(res.numerator)}/{format_int(res.population)} người"
    else:
        current = res.percent() or "—"
        unit = "đơn vị" if res.unit_based else "người"
        note = f"{format_int(res.numerator)}/{format_int(res.population)} {unit}"
    if row.target.note:
        note = f"{note}. {row.target.note}" if note else row.target.note
    return [row.target.row, row.target.content, current, row.target.text, note]


def title_lines(plan: Plan, unit: Unit | None, day: dt.date) -> list[str]:
    return [
        f"MỤC TIÊU, CHỈ TIÊU CỦA {plan.get_kind_display().upper()} {plan.number}",
        plan.title,
        f"Hiện trạng tính đến ngày {day:%d/%m/%Y}" + (f" – {unit.name_on(day)}" if unit else ""),
    ]


def table_xlsx(plan: Plan, rows: list[Row], *, unit: Unit | None, day: dt.date) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 (invariant; narrows the type for mypy)
    ws.title = "Phụ lục 1"
    for line in title_lines(plan, unit, day):
        ws.append(safe_row(ws, [line]))
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.append([])
    ws.append(safe_row(ws, HEADERS))
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    term = None
    for r in rows:
        if r.target.term != term:
            term = r.target.term
            ws.append(safe_row(ws, [f"Giai đoạn {term}"]))
            ws.cell(ws.max_row, 1).font = Font(italic=True)
        ws.append(safe_row(ws, cells(r)))
        for c in ws[ws.max_row]:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDE", (8, 60, 14, 20, 40), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_docx(plan: Plan, rows: list[Row], *, unit: Unit | None, day: dt.date) -> bytes:
    doc = apply_official_page(Document(), landscape=True)
    add_unit_header(doc, unit or plan.unit, today())
    doc.add_paragraph("PHỤ LỤC 1").runs[0].bold = True
    for line in title_lines(plan, unit, day):
        doc.add_paragraph(line).runs[0].bold = True
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for r in rows:
        for cell, text in zip(table.add_row().cells, cells(r), strict=True):
            cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
