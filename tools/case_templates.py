"""Write the Word templates of the cases app: the ballot-count minutes (biên bản kiểm phiếu) and
the proposal (tờ trình), src/canbo/cases/data/*.docx, on the official page with the header of an
administrative document (NĐ 30/2020).

The template is data: an administrator may restyle it in Word and upload it at /tai-lieu/mau/,
keeping the ``{{ … }}`` fields (docxtpl, Jinja syntax; the fields are listed on that page and in
``canbo.cases.documents``). This script only makes the first version; run it again to start over:

    .venv/bin/python tools/case_templates.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from canbo.core.wordpage import add_official_header, apply_official_page  # noqa: E402

DATA = ROOT / "src/canbo/cases/data"


def _document(number: str = "") -> Any:
    doc = apply_official_page(Document())
    add_official_header(
        doc,
        issuer="{{ co_quan }}",
        parent="{{ co_quan_cap_tren }}",
        number=number,
        place_date="{{ dia_danh_ngay }}",
    )
    return doc


def _centred(doc: Any, text: str, *, bold: bool = False, italic: bool = False) -> None:
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    run.bold, run.italic = bold, italic


def _cell(cell: Any, text: str, *, bold: bool = False, centre: bool = False) -> None:
    para = cell.paragraphs[0]
    if centre:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run(text).bold = bold


def _loop_table(
    doc: Any, loop: str, headers: tuple[str, ...], fields: tuple[str, ...], widths: tuple[float, ...]
) -> None:
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for n, h in enumerate(headers):
        _cell(table.cell(0, n), h, bold=True, centre=True)
    table.cell(1, 0).paragraphs[0].add_run("{%tr for r in " + loop + " %}")
    for n, f in enumerate(fields):
        _cell(table.cell(2, n), "{{ r." + f + " }}", centre=f in ("stt", "so_phieu", "ty_le", "ngay_sinh"))
    table.cell(3, 0).paragraphs[0].add_run("{%tr endfor %}")
    # Word reads the cells' widths, LibreOffice the grid's.
    for n, column in enumerate(table.columns):
        column.width = Cm(widths[n])
    for row in table.rows:
        for n, c in enumerate(row.cells):
            c.width = Cm(widths[n])


def minutes() -> None:
    doc = _document()
    _centred(doc, "BIÊN BẢN KIỂM PHIẾU", bold=True)
    _centred(doc, "Giới thiệu nhân sự {{ chuc_danh }} – {{ don_vi }}", bold=True)
    _centred(doc, "(Bước {{ buoc }}: {{ hoi_nghi }})", italic=True)
    doc.add_paragraph("Hội nghị họp ngày {{ ngay_hop }}.")
    doc.add_paragraph(
        "Số người được triệu tập: {{ so_trieu_tap }}. Số người có mặt: {{ so_co_mat }}. "
        "Số phiếu phát ra: {{ so_phieu_phat_ra }}."
    )
    doc.add_paragraph("{{ so_luong }}")
    doc.add_paragraph("Kết quả kiểm phiếu (tỷ lệ tính trên tổng số người được triệu tập, A-10):")
    _loop_table(
        doc,
        "phieu",
        ("STT", "Họ và tên", "Số phiếu", "Tỷ lệ", "Kết quả"),
        ("stt", "ho_ten", "so_phieu", "ty_le", "ket_qua"),
        (1.2, 6.0, 2.2, 2.2, 4.0),
    )
    doc.add_paragraph()
    doc.add_paragraph("Người trúng (trên 50% số người được triệu tập): {{ nguoi_trung }}.")
    doc.add_paragraph("Chuyển sang bước sau: {{ chuyen_buoc }}.")
    doc.add_paragraph("{{ ghi_chu }}")
    sign = doc.add_table(rows=1, cols=2)
    _cell(sign.cell(0, 0), "THƯ KÝ HỘI NGHỊ", bold=True, centre=True)
    _cell(sign.cell(0, 1), "TỔ KIỂM PHIẾU", bold=True, centre=True)
    doc.save(str(DATA / "bien-ban-kiem-phieu.docx"))


def proposal() -> None:
    doc = _document(number="……/TTr-……")
    _centred(doc, "TỜ TRÌNH", bold=True)
    _centred(doc, "{{ ve_viec }}", bold=True)
    _centred(doc, "Kính gửi: Cấp có thẩm quyền bổ nhiệm")
    doc.add_paragraph(
        "Nguồn nhân sự: {{ nguon }}; quy trình {{ so_buoc }} bước. Ngày cơ quan tổ chức nhận tờ trình "
        "và hồ sơ: {{ ngay_nhan }} (các quy định được áp dụng theo phiên bản có hiệu lực vào ngày này)."
    )
    doc.add_paragraph("Kết luận về tiêu chuẩn, điều kiện của từng nhân sự tại ngày nhận hồ sơ:")
    _loop_table(
        doc,
        "nhan_su",
        ("STT", "Họ và tên", "Ngày sinh", "Kết luận", "Quy định chưa đạt", "Ngoại lệ"),
        ("stt", "ho_ten", "ngay_sinh", "ket_luan", "chua_dat", "ngoai_le"),
        (1.0, 3.2, 2.2, 2.8, 4.6, 2.2),
    )
    doc.add_paragraph()
    doc.add_paragraph("Kính trình cấp có thẩm quyền xem xét, quyết định.")
    sign = doc.add_table(rows=1, cols=2)
    _cell(sign.cell(0, 0), "Nơi nhận:\n- Như trên;\n- Lưu: VT.", bold=False)
    _cell(sign.cell(0, 1), "THỦ TRƯỞNG CƠ QUAN", bold=True, centre=True)
    doc.save(str(DATA / "to-trinh.docx"))


if __name__ == "__main__":
    DATA.mkdir(parents=True, exist_ok=True)
    minutes()
    proposal()
