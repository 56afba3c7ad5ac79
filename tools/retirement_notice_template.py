"""Write the Word templates of the salary app: the retirement notice and decision
(salary/data/thong-bao-nghi-huu.docx, quyet-dinh-nghi-huu.docx) and the due-raise list
(danh-sach-den-han-nang-luong.docx, A4 landscape), all on the official page with the header of an
administrative document (NĐ 30/2020: ``core.wordpage.add_official_header``, the same header as
the indicator and plan exports and the case templates).

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
from docx.shared import Cm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from canbo.core.wordpage import add_official_header, apply_official_page  # noqa: E402

DATA = ROOT / "src/canbo/salary/data"


def _document(number: str, *, landscape: bool = False, body_pt: float = 13) -> Any:
    """The official page (A4, NĐ 30/2020 margins, Times New Roman) and the header: governing
    and issuing body, number, national title and motto, place and date (fields filled by
    ``salary.retirement.document_context`` and ``salary.exports.due_docx``)."""
    doc = apply_official_page(Document(), landscape=landscape, body_pt=body_pt)
    add_official_header(
        doc,
        issuer="{{ co_quan_hoa }}",
        parent="{{ co_quan_cap_tren }}",
        number=number,
        place_date="{{ dia_danh_ngay }}",
    )
    return doc


def _centred(doc: Any, text: str, *, bold: bool = False) -> None:
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run(text).bold = bold


def notice() -> None:
    doc = _document("{{ so }}")

    def centred(text: str, *, bold: bool = False) -> None:
        _centred(doc, text, bold=bold)

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
    doc = _document("{{ so }}")
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


def _cell(cell: Any, text: str, *, bold: bool = False, italic: bool = False, centre: bool = True) -> None:
    para = cell.paragraphs[0]
    if centre:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    run.bold, run.italic = bold, italic


def due_list() -> None:
    """The list of people due a step raise or a beyond-frame step, in the usual layout (A4
    landscape): the header of NĐ 30/2020 (issuing body and number, national title, motto, place
    and date), the title, the table of those who qualify, the table of those blocked with the
    reason, the signature block."""
    doc = _document("……/DS-…", landscape=True, body_pt=12)
    _centred(doc, "DANH SÁCH", bold=True)
    _centred(doc, "Cán bộ, công chức, viên chức đến hạn nâng bậc lương thường xuyên", bold=True)
    _centred(doc, "và hưởng phụ cấp thâm niên vượt khung")
    _centred(doc, "(từ ngày {{ tu_ngay }} đến ngày {{ den_ngay }}; {{ don_vi }})")
    headers = ("STT", "Họ và tên", "Ngày sinh", "Đơn vị", "Ngạch", "Đang hưởng", "Nâng lên",
               "Ngày hưởng", "Kéo dài, ghi chú")  # fmt: skip
    fields = ("stt", "ho_ten", "ngay_sinh", "don_vi", "ngach", "dang_huong", "nang_len",
              "ngay_huong", "ghi_chu")  # fmt: skip
    widths = (1.2, 4.2, 2.3, 4.6, 1.8, 3.4, 3.4, 2.4, 5.4)

    def table(loop: str) -> None:
        t = doc.add_table(rows=4, cols=len(headers))
        t.style = "Table Grid"
        for n, h in enumerate(headers):
            _cell(t.cell(0, n), h, bold=True)
        t.cell(1, 0).paragraphs[0].add_run("{%tr for i in " + loop + " %}")
        for n, f in enumerate(fields):
            _cell(t.cell(2, n), "{{ i." + f + " }}", centre=f in ("stt", "ngay_sinh", "ngach", "ngay_huong"))
        t.cell(3, 0).paragraphs[0].add_run("{%tr endfor %}")
        for row in t.rows:
            for n, c in enumerate(row.cells):
                c.width = Cm(widths[n])

    doc.add_paragraph("I. ĐỦ ĐIỀU KIỆN ({{ so_du }} người)").runs[0].bold = True
    table("du")
    title = "II. CHƯA ĐỦ ĐIỀU KIỆN HOẶC CHƯA KẾT LUẬN ĐƯỢC ({{ so_chua }} người)"
    doc.add_paragraph(title).runs[0].bold = True
    table("chua")
    foot = doc.add_table(rows=1, cols=2)
    left = foot.cell(0, 0)
    _cell(left, "Nơi nhận:", bold=True, italic=True, centre=False)
    left.add_paragraph("- Như trên;")
    left.add_paragraph("- Lưu: VT, TCCB.")
    _cell(foot.cell(0, 1), "THỦ TRƯỞNG CƠ QUAN", bold=True)
    foot.cell(0, 1).add_paragraph("(Ký, ghi rõ họ tên, đóng dấu)").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.save(str(DATA / "danh-sach-den-han-nang-luong.docx"))


def main() -> None:
    notice()
    decision()
    due_list()
    print(DATA)


if __name__ == "__main__":
    main()
