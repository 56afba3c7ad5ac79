"""The compiled summary of a reporting period, exported to Word and Excel.

The layout is the one boards hand in: a title, the period, then a table of tasks with the lead
unit, the status and the result as the units reported it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from canbo.core.xlsx import safe_row
from canbo.org.selectors import unit_label
from canbo.plans.models import ReportingPeriod, TaskReport, TaskStatus

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ("STT", "Nhiệm vụ", "Đơn vị chủ trì", "Tình trạng", "Kết quả thực hiện")


@dataclass
class SummaryRow:
    number: str
    content: str
    lead: str
    status: str
    result: str
    reported: int
    expected: int


def period_summary(period: ReportingPeriod) -> list[SummaryRow]:
    """One row per task: the lead unit's reported status (else the task's), and every unit's
    result for the period, the lead unit's first."""
    reports: dict[int, list[TaskReport]] = {}
    for r in period.reports.select_related("unit").order_by("unit__path"):
        reports.setdefault(r.task_id, []).append(r)
    rows = []
    labels = dict(TaskStatus.choices)
    tasks = (
        period.plan.tasks.select_related("lead_unit")
        .prefetch_related("coordinating_units")
        .order_by("order", "pk")
    )
    for i, task in enumerate(tasks, start=1):
        mine = sorted(reports.get(task.pk, []), key=lambda r: r.unit_id != task.lead_unit_id)
        lead_report = next((r for r in mine if r.unit_id == task.lead_unit_id), None)
        status = labels[lead_report.status if lead_report else task.status]
        if mine:
            result = "\n".join(
                (r.result if len(mine) == 1 else f"{unit_label(r.unit_id)}: {r.result}")
                + (f" (Khó khăn: {r.difficulties})" if r.difficulties else "")
                for r in mine
            )
        else:
            result = task.result or "Chưa báo cáo"
        expected = (1 if task.lead_unit_id else 0) + len(
            [u for u in task.coordinating_units.all() if u.pk != task.lead_unit_id]
        )
        rows.append(
            SummaryRow(
                number=task.number or str(i),
                content=task.content,
                lead=task.lead_display,
                status=status,
                result=result,
                reported=len(mine),
                expected=expected,
            )
        )
    return rows


def _title(period: ReportingPeriod) -> tuple[str, str]:
    plan = period.plan
    return (
        f"BÁO CÁO KẾT QUẢ THỰC HIỆN {plan.get_kind_display().upper()} {plan.number}",
        f"Kỳ báo cáo: {period} (từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y})",
    )


def summary_docx(period: ReportingPeriod, rows: list[SummaryRow]) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    from canbo.core.dates import today
    from canbo.core.wordpage import apply_official_page
    from canbo.org.wordheader import add_unit_header

    document = apply_official_page(docx.Document(), landscape=True)
    plan = period.plan
    add_unit_header(document, plan.unit, today())
    title, sub = _title(period)
    heading = document.add_paragraph()
    run = heading.add_run(title)
    run.bold = True
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = document.add_paragraph(period.plan.title)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = document.add_paragraph(sub)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(
            cells, (row.number, row.content, row.lead, row.status, row.result), strict=True
        ):
            cell.text = text
    widths = (Cm(1.2), Cm(9.5), Cm(4.3), Cm(3.3), Cm(6.9))  # 25.2 cm: A4 landscape within the margins
    for r in table.rows:
        for cell, width in zip(r.cells, widths, strict=True):
            cell.width = width
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def summary_xlsx(period: ReportingPeriod, rows: list[SummaryRow]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 (invariant; narrows the type for mypy)
    ws.title = "Tổng hợp"
    title, sub = _title(period)
    ws.append(safe_row(ws, [title]))
    ws.append(safe_row(ws, [sub]))
    ws.append([])
    ws.append(safe_row(ws, [*HEADERS, "Số đơn vị đã báo cáo", "Số đơn vị phải báo cáo"]))
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in rows:
        values = [row.number, row.content, row.lead, row.status, row.result, row.reported, row.expected]
        ws.append(safe_row(ws, values))
    ws["A1"].font = Font(bold=True, size=13)
    for col, width in zip("ABCDEFG", (8, 70, 30, 20, 60, 12, 12), strict=True):
        ws.column_dimensions[col].width = width
    for r in ws.iter_rows(min_row=5):
        for cell in r:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
