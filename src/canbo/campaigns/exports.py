"""The campaign's summary per unit and category, as Excel (XlsxWriter, text cells through
``core.xlsx.SafeSheet``) and as Word (python-docx, A4 portrait, the NĐ 30/2020 header of the
campaign's unit: ``org.wordheader.add_unit_header``)."""

from __future__ import annotations

import io
from collections.abc import Iterable

import xlsxwriter
from django.http import HttpResponse

from canbo.campaigns.models import CampaignEntry, RatingCampaign
from canbo.campaigns.selectors import LEVELS, summary
from canbo.core.xlsx import SafeSheet
from canbo.org.selectors import unit_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADERS = (
    "Cơ quan, đơn vị",
    "Đối tượng",
    "Hoàn thành xuất sắc",
    "Hoàn thành tốt",
    "Hoàn thành",
    "Không hoàn thành",
    "Chưa xếp loại",
    "Tổng số",
)


def attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _title(campaign: RatingCampaign) -> tuple[str, str]:
    return (
        f"TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG {campaign.period_label.upper()}",
        f"{campaign.get_system_display()} — {unit_label(campaign.unit)}"
        f" — ngày quyết định {campaign.decision_date:%d/%m/%Y}"
        f"{'' if campaign.is_open else ' (đã hoàn tất)'}",
    )


def _rows(campaign: RatingCampaign, entries: Iterable[CampaignEntry]) -> list[list[str | int]]:
    out: list[list[str | int]] = []
    for agency, category, counts in summary(campaign, entries):
        numbers = [counts[k] for k in LEVELS] + [counts[""]]
        out.append([agency, category, *numbers, sum(numbers)])
    return out


def summary_xlsx(campaign: RatingCampaign, entries: Iterable[CampaignEntry]) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("Tổng hợp")
    sheet = SafeSheet(wb, ws)
    bold = sheet.look(bold=True)
    title, sub = _title(campaign)
    sheet.row(0, [title], bold)
    sheet.row(1, [sub])
    sheet.row(3, list(HEADERS), sheet.look(bold=True, border=1, text_wrap=True))
    for i, row in enumerate(_rows(campaign, entries), start=4):
        sheet.row(i, row)
    ws.set_column(0, 0, 45)
    ws.set_column(1, 1, 22)
    ws.set_column(2, len(HEADERS) - 1, 14)
    wb.close()
    return out.getvalue()


def summary_docx(campaign: RatingCampaign, entries: Iterable[CampaignEntry]) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from canbo.core.dates import today
    from canbo.core.wordpage import apply_official_page
    from canbo.org.wordheader import add_unit_header

    document = apply_official_page(docx.Document())
    add_unit_header(document, campaign.unit, today())  # NĐ 30/2020, as every CanBo document
    title, sub = _title(campaign)
    heading = document.add_paragraph()
    heading.add_run(title).bold = True
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = document.add_paragraph(sub)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in _rows(campaign, entries):
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
