"""The due list as an Excel workbook (one sheet: the due, then the blocked with the reason)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

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


DUE_TEMPLATE = Path(__file__).resolve().parent / "data" / "danh-sach-den-han-nang-luong.docx"


def _line(n: int, i: DueItem, births: dict[int, str]) -> dict[str, str]:
    delays = "; ".join(f"{d.reason} ({d.record})" for d in i.case.schedule.delays)
    note = delays
    if i.blocked:
        reasons = [r.message for r in i.verdict.results if r.outcome not in ("pass", "warn")]
        note = " ".join(reasons) + (f" {delays}" if delays else "")
    return {
        "stt": str(n),
        "ho_ten": i.name,
        "ngay_sinh": births.get(i.person_id, ""),
        "don_vi": i.unit,
        "ngach": i.row.grade_code,
        "dang_huong": i.from_text,
        "nang_len": i.to_text,
        "ngay_huong": format_date(i.due),
        "ghi_chu": note,
    }


def due_docx(items: list[DueItem], *, unit: Unit, as_of: dt.date, months: int) -> bytes:
    """The due list as a Word document in the usual administrative layout (A4 landscape, the
    header of NĐ 30/2020, the template ``data/danh-sach-den-han-nang-luong.docx`` filled by
    docxtpl): those who qualify, then those blocked with the reason."""
    from docxtpl import DocxTemplate

    from canbo.core.dates import today
    from canbo.people.models import Person
    from canbo.rules.engine.dates import add_months

    births = {
        pk: format_date(b) if precision != "y" else str(b.year)
        for pk, b, precision in Person.objects.filter(pk__in=[i.person_id for i in items])
        .values_list("pk", "birth_date", "birth_precision")
        .iterator(chunk_size=5000)
        if b is not None
    }
    good = [i for i in items if not i.blocked]
    held = [i for i in items if i.blocked]
    label = unit_label(unit.pk)
    end = add_months(as_of, months) - dt.timedelta(days=1)
    from canbo.salary.retirement import header_fields

    made = today()
    context = {
        **header_fields(unit, made, made),  # the NĐ 30/2020 header: bodies, place and date
        "don_vi": label,
        "ngay_lap": format_date(made),
        "tu_ngay": format_date(as_of),
        "den_ngay": format_date(end),
        "so_du": str(len(good)),
        "so_chua": str(len(held)),
        "du": [_line(n, i, births) for n, i in enumerate(good, start=1)],
        "chua": [_line(n, i, births) for n, i in enumerate(held, start=1)],
    }
    doc = DocxTemplate(str(DUE_TEMPLATE))
    doc.render(context, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
