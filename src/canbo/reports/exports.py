"""Word and Excel of the reports: the number-and-quality report and the planning list.

Word: A4 (portrait or landscape), margins of NĐ 30/2020/NĐ-CP (top and bottom 20 mm, left 30 mm,
right 15 mm), Times New Roman: ``core.wordpage.apply_official_page``, as every Word file CanBo makes.
Excel: XlsxWriter through ``core.xlsx.SafeSheet`` (text stays text), A4, landscape, fit to width.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from canbo.core.dates import today
from canbo.core.wordpage import MOTTO, NATIONAL_TITLE, apply_official_page
from canbo.core.xlsx import SafeSheet
from canbo.org.wordheader import add_unit_header
from canbo.reports.statistics import Report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"


def _para(
    document: Any, text: str, *, bold: bool = False, center: bool = False, size: int | None = None
) -> Any:
    p = document.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(2)
    return p


def _cell(cell: Any, text: str, *, bold: bool = False, size: int = 8, center: bool = True) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _widths(table: Any, widths: list[float]) -> None:
    """Fixed column widths in millimetres (Word otherwise squeezes the label column); a merged
    cell gets the sum of the columns it spans."""
    table.autofit = False
    for column, w in zip(table.columns, widths, strict=False):
        column.width = Mm(w)
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Mm(sum(widths[col : col + span]))
            col += span


def _narrow_margins(table: Any, twips: int = 30) -> None:
    """Cell margins of about half a millimetre, so that a 6 mm column holds a 5-digit count."""
    tbl_pr = table._tbl.tblPr
    mar = tbl_pr.makeelement(qn("w:tblCellMar"), {})
    for side in ("left", "right"):
        mar.append(mar.makeelement(qn(f"w:{side}"), {qn("w:w"): str(twips), qn("w:type"): "dxa"}))
    tbl_pr.append(mar)


def _vertical(cell: Any) -> None:
    """Header text written bottom to top, as the Ministry's wide forms print it."""
    tc_pr = cell._tc.get_or_add_tcPr()
    direction = tc_pr.makeelement(qn("w:textDirection"), {qn("w:val"): "btLr"})
    tc_pr.append(direction)


def _header(document: Any, unit: Any, form: str, title: str, subtitle: str) -> None:
    """The NĐ 30/2020 header of ``unit``'s document made today (``org.wordheader``), then the
    form's code, the title and the subtitle."""
    add_unit_header(document, unit, today())
    if form:
        _para(document, form, center=True, size=11)
    _para(document, title, bold=True, center=True, size=14)
    _para(document, subtitle, center=True, size=12)


def _vn(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


# --- number-and-quality report ---------------------------------------------------------------


def statistics_title(report: Report) -> tuple[str, str]:
    title = report.layout.name.upper()
    subtitle = f"Tính đến ngày {_vn(report.day)} – {report.unit.name_on(report.day)}"
    return title, subtitle


def statistics_notes(report: Report) -> list[str]:
    notes = [f"Mẫu: {report.layout.form}; căn cứ: {report.layout.basis}."]
    if report.layout.confidence == "UNCONFIRMED":
        # The forms of TT 18/2025/TT-BNV were not found (reports/data/README.md lists the searches).
        notes.append(
            "Bố cục biểu mẫu này là cách hiểu của CanBo, chưa được đối chiếu với phụ lục biểu mẫu "
            "của thông tư (chưa tìm được bản phụ lục); hàng và cột có thể khác mẫu chính thức "
            "(xem hướng dẫn sử dụng)."
        )
    elif report.layout.confidence != "CONFIRMED":
        notes.append(
            "Bố cục biểu mẫu lấy theo nguồn thứ cấp, chưa được đối chiếu với phụ lục biểu mẫu của "
            "thông tư (xem hướng dẫn sử dụng)."
        )
    if report.grade_today:
        notes.append(
            f"{report.grade_today} người chưa có diễn biến lương đến ngày báo cáo: "
            "xếp theo ngạch hiện tại (giá trị hiện tại, chưa lưu lịch sử)."
        )
    return notes


def statistics_docx(report: Report) -> bytes:
    document = apply_official_page(Document(), landscape=True)
    title, subtitle = statistics_title(report)
    _header(document, report.unit, report.layout.form, title, subtitle)
    cols = report.layout.columns
    table = document.add_table(rows=3, cols=len(cols) + 2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    hdr, sub, num = table.rows[0].cells, table.rows[1].cells, table.rows[2].cells
    _cell(hdr[0], "STT", bold=True)
    hdr[0].merge(sub[0])
    _cell(hdr[1], "Đơn vị" if report.layout.rows == "units" else "Đối tượng", bold=True)
    hdr[1].merge(sub[1])
    i = 2
    for group, span in report.layout.column_groups():
        if group:
            _cell(hdr[i], group, bold=True)
            if span > 1:
                hdr[i].merge(hdr[i + span - 1])
            for j in range(span):
                _cell(sub[i + j], cols[i + j - 2].label, bold=True, size=7)
        else:
            _cell(hdr[i], cols[i - 2].label, bold=True)
            hdr[i].merge(sub[i])
        i += span
    for j in range(len(cols) + 2):
        _cell(num[j], str(j + 1), size=7)
    for j, c in enumerate(cols):
        if c.group:
            _vertical(sub[j + 2])
    table.rows[1].height = Mm(38)
    for n, (row, counts) in enumerate(report.table()):
        cells = table.add_row().cells
        _cell(cells[0], "" if row.key == "tong" else str(n))
        _cell(cells[1], row.label, bold=row.key == "tong", center=False)
        for j, value in enumerate(counts):
            _cell(cells[j + 2], str(value), bold=row.key == "tong", size=7)
    _narrow_margins(table)
    rest = (297 - 30 - 15 - 8 - 42) / len(cols)
    _widths(table, [8, 42, *([rest] * len(cols))])
    for note in statistics_notes(report):
        _para(document, note, size=10)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def statistics_xlsx(report: Report, out: Any) -> None:
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("Báo cáo")
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    base = {"font_name": FONT, "font_size": 11}
    bold_center = wb.add_format(
        {**base, "bold": True, "align": "center", "valign": "vcenter", "text_wrap": True}
    )
    head = wb.add_format(
        {**base, "bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    )
    cell = wb.add_format({**base, "border": 1, "align": "center"})
    cell_bold = wb.add_format({**base, "border": 1, "align": "center", "bold": True})
    label = wb.add_format({**base, "border": 1, "text_wrap": True})
    label_bold = wb.add_format({**base, "border": 1, "bold": True})
    plain = wb.add_format(base)
    cols = report.layout.columns
    last = len(cols) + 1
    title, subtitle = statistics_title(report)
    ws.merge_range(0, 0, 0, 6, report.unit.name_on(report.day).upper(), bold_center)
    ws.merge_range(0, 7, 0, last, NATIONAL_TITLE, bold_center)
    ws.merge_range(1, 7, 1, last, MOTTO, bold_center)
    ws.merge_range(2, 0, 2, last, report.layout.form, bold_center)
    ws.merge_range(3, 0, 3, last, title, bold_center)
    ws.merge_range(4, 0, 4, last, subtitle, bold_center)
    top = 6
    ws.merge_range(top, 0, top + 1, 0, "STT", head)
    ws.merge_range(top, 1, top + 1, 1, "Đơn vị" if report.layout.rows == "units" else "Đối tượng", head)
    c = 2
    for group, span in report.layout.column_groups():
        if group:
            if span > 1:
                ws.merge_range(top, c, top, c + span - 1, group, head)
            else:
                ws.write_string(top, c, group, head)
            for j in range(span):
                ws.write_string(top + 1, c + j, cols[c + j - 2].label, head)
        else:
            ws.merge_range(top, c, top + 1, c, cols[c - 2].label, head)
        c += span
    for j in range(last + 1):
        ws.write_number(top + 2, j, j + 1, cell)
    ws.set_row(top + 1, 75)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 38)
    ws.set_column(2, last, 7)
    r = top + 3
    for n, (row, counts) in enumerate(report.table()):
        bold = row.key == "tong"
        if bold:
            ws.write_blank(r, 0, None, cell)
        else:
            ws.write_number(r, 0, n, cell)
        ws.write_string(r, 1, row.label, label_bold if bold else label)
        for j, value in enumerate(counts):
            ws.write_number(r, j + 2, value, cell_bold if bold else cell)
        r += 1
    for note in statistics_notes(report):
        r += 1
        ws.write_string(r, 1, note, plain)
    wb.close()


# --- planning list ------------------------------------------------------------------------------

PLANNING_COLUMNS = (
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Chức vụ, đơn vị công tác hiện tại",
    "Trình độ chuyên môn",
    "Lý luận chính trị",
    "Quản lý nhà nước",
    "Ngày vào Đảng",
    "Chức danh quy hoạch",
    "Ghi chú",
)


def planning_docx(doc: Any) -> bytes:
    """``doc`` is a ``planning_doc.PlanningDocument``."""
    document = apply_official_page(Document(), landscape=True)
    _header(document, doc.planning_list.unit, "", doc.title, doc.subtitle)
    table = document.add_table(rows=1, cols=len(PLANNING_COLUMNS))
    table.style = "Table Grid"
    for j, text in enumerate(PLANNING_COLUMNS):
        _cell(table.rows[0].cells[j], text, bold=True, size=9)
    for group in doc.groups:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        _cell(merged, f"{group.title} ({len(group.lines)} người)", bold=True, size=10, center=False)
        for n, line in enumerate(group.lines, 1):
            cells = table.add_row().cells
            for j, value in enumerate([str(n), *line.values()]):
                _cell(cells[j], value, size=9, center=j in (0, 2, 3, 9))
    _widths(table, [10, 30, 18, 12, 14, 38, 24, 18, 20, 18, 24, 26])
    if doc.removed:
        _para(document, "Đã đưa ra khỏi quy hoạch đến ngày này", bold=True, size=12)
        for text in doc.removed:
            _para(document, f"– {text}", size=11)
    _para(document, f"Cơ cấu của danh sách tại ngày {_vn(doc.day)}", bold=True, size=12)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for j, text in enumerate(("Cơ cấu", "Số người", "Tỷ lệ")):
        _cell(table.rows[0].cells[j], text, bold=True, size=10)
    for s in doc.structure:
        cells = table.add_row().cells
        _cell(cells[0], s.label, size=10, center=False)
        _cell(cells[1], f"{s.count}/{s.total}", size=10)
        _cell(cells[2], s.percent, size=10)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def planning_xlsx(doc: Any, out: Any) -> None:
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("Danh sách quy hoạch")
    sheet = SafeSheet(wb, ws)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    base = {"font_name": FONT, "font_size": 11}
    title = wb.add_format({**base, "bold": True, "align": "center"})
    head = wb.add_format(
        {**base, "bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    )
    group = wb.add_format({**base, "bold": True, "border": 1})
    text = sheet.look(font_name=FONT, font_size=11, border=1, text_wrap=True, valign="top")
    last = len(PLANNING_COLUMNS) - 1
    ws.merge_range(0, 0, 0, last, doc.title, title)
    ws.merge_range(1, 0, 1, last, doc.subtitle, title)
    for j, label in enumerate(PLANNING_COLUMNS):
        ws.write_string(3, j, label, head)
    widths = (5, 24, 11, 8, 10, 34, 18, 14, 16, 11, 26, 30)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    r = 4
    for g in doc.groups:
        ws.merge_range(r, 0, r, last, f"{g.title} ({len(g.lines)} người)", group)
        r += 1
        for n, line in enumerate(g.lines, 1):
            sheet.row(r, [str(n), *line.values()], text)
            r += 1
    r += 1
    if doc.removed:
        ws.write_string(r, 1, "Đã đưa ra khỏi quy hoạch đến ngày này", title)
        r += 1
        for item in doc.removed:
            sheet.row(r, ["", item], None)
            r += 1
        r += 1
    ws.write_string(r, 1, f"Cơ cấu của danh sách tại ngày {_vn(doc.day)}", title)
    r += 1
    for j, label in enumerate(("Cơ cấu", "Số người", "Tỷ lệ")):
        ws.write_string(r, j + 1, label, head)
    r += 1
    for s in doc.structure:
        sheet.row(r, ["", s.label, f"{s.count}/{s.total}", s.percent], text)
        r += 1
    wb.close()
