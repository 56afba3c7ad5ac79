"""The due list as an Excel workbook (one sheet: the due, then the blocked with the reason)."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from canbo.core.dates import format_date
from canbo.org.models import Unit
from canbo.org.selectors import unit_label
from canbo.salary.selectors import DueItem

HEADERS = (
    "STT",
    "Họ và tên",
    "Số định danh cá nhân",
    "Đơn vị",
    "Loại",
    "Ngày đến hạn",
    "Mã ngạch",
    "Đang hưởng",
    "Lên",
    "Kéo dài",
    "Kết luận",
)


def due_xlsx(items: list[DueItem], *, unit: Unit, as_of: dt.date, months: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 (invariant; narrows the type for mypy)
    ws.title = "Đến hạn nâng lương"
    ws.append(["DANH SÁCH ĐẾN HẠN NÂNG BẬC LƯƠNG, PHỤ CẤP THÂM NIÊN VƯỢT KHUNG"])
    ws.append([f"{unit_label(unit.pk)} — từ ngày {format_date(as_of)}, trong {months} tháng"])
    ws.append([])
    ws.append(list(HEADERS))
    for cell in ws[4]:
        cell.font = Font(bold=True)
    ordered = [i for i in items if not i.blocked] + [i for i in items if i.blocked]
    for n, i in enumerate(ordered, start=1):
        delays = "; ".join(
            f"{d.version.rule_id} v{d.version.version}: {d.reason} ({d.record})"
            for d in i.case.schedule.delays
        )
        verdict = i.verdict.summary
        if i.blocked:
            reasons = [r.message for r in i.verdict.results if r.outcome not in ("pass", "warn")]
            verdict = f"{verdict} {' '.join(reasons)}"
        ws.append(
            [n, i.name, i.personal_id, i.unit, i.verdict.purpose_label, format_date(i.due), i.row.grade_code,
             i.from_text, i.to_text, delays or "—", verdict]
        )  # fmt: skip
    ws["A1"].font = Font(bold=True, size=13)
    for col, width in zip("ABCDEFGHIJK", (6, 28, 16, 36, 26, 13, 11, 28, 28, 50, 60), strict=True):
        ws.column_dimensions[col].width = width
    for r in ws.iter_rows(min_row=5):
        for cell in r:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
