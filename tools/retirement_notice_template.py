"""Write the Word templates of the retirement notice and decision (salary/data/thong-bao-nghi-huu.docx,
quyet-dinh-nghi-huu.docx).

The template is data: an officer may restyle it in Word, keeping the ``{{ … }}`` fields (docxtpl,
Jinja syntax). This script only makes the first version; run it again to start over:

    .venv/bin/python tools/retirement_notice_template.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from canbo.core.wordpage import apply_official_page  # noqa: E402

DATA = ROOT / "src/canbo/salary/data"


def _document() -> Any:
    # The official page (A4, NĐ 30/2020 margins, Times New Roman 13).
    return apply_official_page(Document())


def _centred(doc: Any, text: str, *, bold: bool = False) -> None:
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run(text).bold = bold


def notice() -> None:
    doc = _document()

    def centred(text: str, *, bold: bool = False) -> None:
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run(text).bold = bold

    centred("{{ co_quan_hoa }}", bold=True)
    centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    centred("Độc lập - Tự do - Hạnh phúc", bold=True)
    doc.add_paragraph("Số: {{ so }}\t\tNgày {{ ngay_ban_hanh }}")
    centred("THÔNG BÁO", bold=True)
    centred("Về việc nghỉ hưu để hưởng chế độ bảo hiểm xã hội", bold=True)
    doc.add_paragraph(
        "Căn cứ Bộ luật Lao động năm 2019, Nghị định số 135/2020/NĐ-CP và quy định về thời điểm thông "
        "báo nghỉ hưu (H-8: thông báo trước ít nhất {{ so_thang_thong_bao }} tháng), {{ co_quan }} "
        "thông báo:"
    )
    doc.add_paragraph("{{ danh_xung }}: {{ ho_ten }}")
    doc.add_paragraph("Ngày sinh: {{ ngay_sinh }}")
    doc.add_paragraph("Số định danh cá nhân: {{ so_dinh_danh }}")
    doc.add_paragraph("Đơn vị công tác: {{ don_vi }}")
    doc.add_paragraph(
        "Thời điểm nghỉ hưu: hết ngày {{ ngay_nghi_huu }}; hưởng chế độ hưu trí từ ngày "
        "{{ ngay_huong_luong_huu }} (căn cứ: {{ can_cu }})."
    )
    doc.add_paragraph(
        "Quyết định nghỉ hưu sẽ được ban hành chậm nhất ngày {{ han_quyet_dinh }}. Đề nghị "
        "{{ danh_xung_thuong }} {{ ho_ten }} chuẩn bị bàn giao công việc và hoàn thiện hồ sơ hưởng "
        "chế độ bảo hiểm xã hội."
    )
    centred("THỦ TRƯỞNG CƠ QUAN", bold=True)
    centred("{{ nguoi_ky }}")
    doc.save(str(DATA / "thong-bao-nghi-huu.docx"))


def decision() -> None:
    doc = _document()
    _centred(doc, "{{ co_quan_hoa }}", bold=True)
    _centred(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    _centred(doc, "Độc lập - Tự do - Hạnh phúc", bold=True)
    doc.add_paragraph("Số: {{ so }}\t\tNgày {{ ngay_ban_hanh }}")
    _centred(doc, "QUYẾT ĐỊNH", bold=True)
    _centred(doc, "Về việc nghỉ hưu để hưởng chế độ bảo hiểm xã hội", bold=True)
    doc.add_paragraph("Căn cứ Bộ luật Lao động năm 2019 và Nghị định số 135/2020/NĐ-CP;")
    doc.add_paragraph("Căn cứ thông báo nghỉ hưu số {{ so_thong_bao }} ngày {{ ngay_thong_bao }};")
    _centred(doc, "QUYẾT ĐỊNH:", bold=True)
    doc.add_paragraph(
        "Điều 1. {{ danh_xung }} {{ ho_ten }}, sinh ngày {{ ngay_sinh }}, đơn vị công tác {{ don_vi }}, "
        "được nghỉ hưu để hưởng chế độ bảo hiểm xã hội kể từ ngày {{ ngay_huong_luong_huu }} "
        "(thời điểm nghỉ hưu: hết ngày {{ ngay_nghi_huu }}; căn cứ: {{ can_cu }})."
    )
    doc.add_paragraph(
        "Điều 2. {{ danh_xung }} {{ ho_ten }} và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi "
        "hành Quyết định này."
    )
    _centred(doc, "THỦ TRƯỞNG CƠ QUAN", bold=True)
    _centred(doc, "{{ nguoi_ky }}")
    doc.save(str(DATA / "quyet-dinh-nghi-huu.docx"))


def main() -> None:
    notice()
    decision()
    print(DATA)


if __name__ == "__main__":
    main()
