"""Write the first version of the three résumé templates (src/canbo/documents/data/*.docx).

The templates are data (DOCUMENTS.md §1): an administrator downloads one from CanBo, corrects it
in Word keeping the ``{{ … }}`` fields (docxtpl, Jinja syntax; ``{%tr for … %}`` repeats a table
row) and uploads it back. This script only makes the first version, on the official page
(``canbo.core.wordpage``); run it again to start over:

    /work/main/.venv/bin/python tools/resume_templates.py

The field names are those of ``canbo.documents.resume.FIELDS`` and ``TABLES``; the upload check
refuses any other.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from canbo.core.wordpage import apply_official_page, set_font  # noqa: E402

DATA = ROOT / "src/canbo/documents/data"


class Writer:
    def __init__(self) -> None:
        self.doc = apply_official_page(Document())
        fmt = self.doc.styles["Normal"].paragraph_format
        fmt.space_after = Pt(2)
        fmt.space_before = Pt(0)

    def p(
        self,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        center: bool = False,
        size: float | None = None,
    ) -> Any:
        para = self.doc.add_paragraph()
        if center:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return para

    def item(self, label: str, value: str, note: str = "") -> None:
        """One numbered item: its label as printed on the form, then the field."""
        para = self.doc.add_paragraph()
        para.add_run(label)
        para.add_run(value).bold = True
        if note:
            para.add_run(" " + note).italic = True

    def table(
        self,
        headers: list[str],
        loop: str,
        cells: list[str],
        widths_mm: list[float],
        empty: str | None = None,
    ) -> None:
        """A table whose body row repeats for each element of ``loop`` (docxtpl ``{%tr %}``)."""
        t = self.doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(t.rows[0].cells, headers, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            run.font.size = Pt(11)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        var = loop.split(" in ")[0].strip()
        t.add_row().cells[0].text = "{%tr for " + loop + " %}"
        body = t.add_row().cells
        for cell, name in zip(body, cells, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run("{{ " + f"{var}.{name}" + " }}").font.size = Pt(12)
        t.add_row().cells[0].text = "{%tr endfor %}"
        _widths(t, widths_mm)
        if empty:
            self.p("{% if not " + loop.split(" in ")[1].strip() + " %}" + empty + "{% endif %}", italic=True)

    def header(self, left: list[str], right: list[str]) -> None:
        t = self.doc.add_table(rows=1, cols=2)
        for cell, lines in zip(t.rows[0].cells, (left, right), strict=True):
            cell.text = ""
            for i, line in enumerate(lines):
                para = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                para.add_run(line).font.size = Pt(12)
        _widths(t, [110, 55])

    def save(self, name: str) -> None:
        for para in self.doc.paragraphs:
            for run in para.runs:
                set_font(run)
        DATA.mkdir(parents=True, exist_ok=True)
        self.doc.save(str(DATA / name))


def common_identity(w: Writer) -> None:
    w.item("1) Họ và tên khai sinh (viết chữ in hoa): ", "{{ ho_ten_khai_sinh }}")
    w.item("2) Tên gọi khác: ", "{{ ten_goi_khac }}")
    w.item("3) Sinh ngày: ", "{{ ngay_sinh }}", "Giới tính (nam, nữ): {{ gioi_tinh }}")
    w.item("4) Nơi sinh: ", "{{ noi_sinh }}")
    w.item("5) Quê quán: ", "{{ que_quan }}")
    w.item("6) Dân tộc: ", "{{ dan_toc }}", "7) Tôn giáo: {{ ton_giao }}")
    w.item("8) Nơi đăng ký hộ khẩu thường trú: ", "{{ thuong_tru }}")
    w.item("9) Nơi ở hiện nay: ", "{{ noi_o }}")
    w.item("10) Nghề nghiệp khi được tuyển dụng: ", "{{ nghe_nghiep_tuyen_dung }}")
    w.item("11) Ngày tuyển dụng: ", "{{ ngay_tuyen_dung }}", "Cơ quan tuyển dụng: {{ co_quan_tuyen_dung }}")


def common_service(w: Writer, *, grade_label: str) -> None:
    w.item("12) Chức vụ (chức danh) hiện tại: ", "{{ chuc_vu }}")
    w.item("      Chức vụ kiêm nhiệm: ", "{{ chuc_vu_kiem_nhiem }}")
    w.item("      Cấp ủy, Hội đồng nhân dân, đoàn thể: ", "{{ cap_uy }}")
    w.item("13) Công việc chính được giao: ", "{{ cong_viec_chinh }}")
    w.item(f"14) {grade_label}: ", "{{ ngach }}", "Mã số: {{ ma_ngach }}")
    w.item("      Bậc lương: ", "{{ bac_luong }}", "Hệ số: {{ he_so }}, Ngày hưởng: {{ ngay_huong }}")
    w.item("      Phụ cấp chức vụ: ", "{{ phu_cap_chuc_vu }}", "Phụ cấp khác: {{ phu_cap_khac }}")
    w.item("15.1- Trình độ giáo dục phổ thông: ", "{{ giao_duc_pho_thong }}")
    w.item("15.2- Trình độ chuyên môn cao nhất: ", "{{ chuyen_mon }}")
    w.item(
        "15.3- Lý luận chính trị: ",
        "{{ ly_luan_chinh_tri }}",
        "15.4- Quản lý nhà nước: {{ quan_ly_nha_nuoc }}",
    )
    w.item("15.5- Ngoại ngữ: ", "{{ ngoai_ngu }}", "15.6- Tin học: {{ tin_hoc }}")
    w.item(
        "16) Ngày vào Đảng Cộng sản Việt Nam: ",
        "{{ ngay_vao_dang }}",
        "Ngày chính thức: {{ ngay_chinh_thuc }}",
    )
    w.item("17) Ngày tham gia tổ chức chính trị – xã hội: ", "{{ ngay_tham_gia_to_chuc }}")
    w.item(
        "18) Ngày nhập ngũ: ",
        "{{ ngay_nhap_ngu }}",
        "Ngày xuất ngũ: {{ ngay_xuat_ngu }}, Quân hàm cao nhất: {{ quan_ham }}",
    )
    w.item("19) Danh hiệu được phong tặng cao nhất: ", "{{ danh_hieu }}")
    w.item("20) Sở trường công tác: ", "{{ so_truong }}")
    w.item("21) Khen thưởng: ", "{{ khen_thuong }}")
    w.item("22) Kỷ luật: ", "{{ ky_luat }}")
    w.item(
        "23) Tình trạng sức khỏe: ",
        "{{ suc_khoe }}",
        "Chiều cao: {{ chieu_cao }}, Cân nặng: {{ can_nang }}, Nhóm máu: {{ nhom_mau }}",
    )
    w.item("24) Là thương binh hạng, gia đình chính sách: ", "{{ thuong_binh }}")
    w.item("25) Số định danh cá nhân (căn cước): ", "{{ so_dinh_danh }}", "Ngày cấp: {{ ngay_cap }}")
    w.item("26) Số sổ BHXH: ", "{{ so_bhxh }}")


def common_tables(w: Writer, *, salary_title: str) -> None:
    w.p("27) ĐÀO TẠO, BỒI DƯỠNG VỀ CHUYÊN MÔN, NGHIỆP VỤ, LÝ LUẬN CHÍNH TRỊ, NGOẠI NGỮ, TIN HỌC", bold=True)
    w.table(
        [
            "Tên trường",
            "Chuyên ngành đào tạo, bồi dưỡng",
            "Từ tháng, năm – đến tháng, năm",
            "Hình thức đào tạo",
            "Văn bằng, chứng chỉ, trình độ",
        ],
        "r in dao_tao",
        ["truong", "nganh", "thoi_gian", "hinh_thuc", "van_bang"],
        [42, 38, 30, 25, 30],
        empty="—",
    )
    w.p("28) TÓM TẮT QUÁ TRÌNH CÔNG TÁC", bold=True)
    w.table(
        [
            "Từ tháng, năm đến tháng, năm",
            "Chức danh, chức vụ, đơn vị công tác (đảng, chính quyền, đoàn thể, tổ chức xã hội)",
        ],
        "r in cong_tac",
        ["thoi_gian", "noi_dung"],
        [40, 125],
        empty="—",
    )
    w.p("29) ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN", bold=True)
    w.p(
        "a) Khai rõ: bị bắt, bị tù (từ ngày tháng năm nào đến ngày tháng năm nào, ở đâu), đã khai "
        "báo cho ai, những vấn đề gì? Bản thân có làm việc trong chế độ cũ (cơ quan, đơn vị nào, "
        "địa điểm, chức danh, chức vụ, thời gian làm việc …):",
        italic=True,
    )
    w.p("{{ lich_su_a }}")
    w.p(
        "b) Tham gia hoặc có quan hệ với các tổ chức chính trị, kinh tế, xã hội nào ở nước ngoài "
        "(làm gì, tổ chức nào, đặt trụ sở ở đâu …?):",
        italic=True,
    )
    w.p("{{ lich_su_b }}")
    w.p(
        "c) Có thân nhân (bố, mẹ, vợ, chồng, con, anh chị em ruột) ở nước ngoài (làm gì, địa chỉ …)?",
        italic=True,
    )
    w.p("{{ lich_su_c }}")
    w.p("30) QUAN HỆ GIA ĐÌNH", bold=True)
    w.p("a) Về bản thân: Bố, Mẹ, Vợ (hoặc chồng), các con, anh chị em ruột", italic=True)
    family_headers = [
        "Mối quan hệ",
        "Họ và tên",
        "Năm sinh",
        "Quê quán, nghề nghiệp, chức danh, chức vụ, đơn vị công tác, học tập, nơi ở "
        "(trong, ngoài nước); thành viên các tổ chức chính trị – xã hội",
    ]
    w.table(
        family_headers,
        "r in gia_dinh",
        ["quan_he", "ho_ten", "nam_sinh", "thong_tin"],
        [25, 40, 18, 82],
        empty="{{ gia_dinh_ghi_chu }}",
    )
    w.p("b) Về bên vợ (hoặc chồng): Bố, Mẹ, anh chị em ruột", italic=True)
    w.table(
        family_headers,
        "r in gia_dinh_vo_chong",
        ["quan_he", "ho_ten", "nam_sinh", "thong_tin"],
        [25, 40, 18, 82],
        empty="{{ gia_dinh_ghi_chu }}",
    )
    w.p(f"31) {salary_title}", bold=True)
    w.table(
        ["Tháng/năm", "Mã ngạch/bậc", "Hệ số lương"],
        "r in luong",
        ["thang_nam", "ma_ngach_bac", "he_so"],
        [40, 80, 45],
        empty="—",
    )


def footer(w: Writer, *, body: str) -> None:
    w.p("32) NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG " + body, bold=True)
    w.p("{{ nhan_xet }}")
    w.p("")
    t = w.doc.add_table(rows=1, cols=2)
    left, right = t.rows[0].cells
    left.text = ""
    left.paragraphs[0].add_run("Người khai").bold = True
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para = left.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("Tôi xin cam đoan những lời khai trên đây là đúng sự thật").italic = True
    para = left.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("(Ký tên, ghi rõ họ tên)").italic = True
    left.add_paragraph("")
    left.add_paragraph("")
    para = left.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("{{ ho_ten }}").bold = True
    right.text = ""
    right.paragraphs[0].add_run(
        "{{ noi_lap }}, ngày {{ ngay_lap_ngay }} tháng {{ ngay_lap_thang }} năm {{ ngay_lap_nam }}"
    ).italic = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para = right.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("Thủ trưởng cơ quan, đơn vị quản lý và sử dụng " + body.lower()).bold = True
    para = right.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("(Ký tên, đóng dấu)").italic = True
    w.p("")
    w.p("Ghi chú của CanBo: lập từ hồ sơ điện tử tại ngày {{ ngay_xem }}.", italic=True, size=11)
    w.p(
        "{% if gia_tri_hien_tai %}Các mục ghi theo hồ sơ hiện nay (chưa lưu lịch sử): "
        "{{ gia_tri_hien_tai }}.{% endif %}",
        italic=True,
        size=11,
    )
    w.p(
        "{% if muc_khong_in %}Các mục không in vì người in không được xem thông tin nhạy cảm: "
        "{{ muc_khong_in }}.{% endif %}",
        italic=True,
        size=11,
    )


def _widths(table: Any, widths_mm: list[float]) -> None:
    """Fixed column widths (Word reads the cells', LibreOffice the grid's: both are set)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _border(cell: Any) -> None:
    """A thin frame around one cell (the photo box)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    cell._tc.get_or_add_tcPr().append(borders)


def photo_box(w: Writer) -> None:
    t = w.doc.add_table(rows=1, cols=2)
    box, rest = t.rows[0].cells
    _border(box)
    t.rows[0].height = Mm(60)
    _widths(t, [40, 125])
    box.text = "{{ anh }}"
    box.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    rest.text = ""


def bnv() -> None:
    w = Writer()
    w.header(
        [
            "Cơ quan, đơn vị có thẩm quyền quản lý CBCC: {{ co_quan_quan_ly }}",
            "Cơ quan, đơn vị sử dụng CBCC: {{ co_quan_su_dung }}",
        ],
        ["Mẫu 2C-BNV/2008", "Số hiệu cán bộ, công chức:", "{{ so_hieu }}"],
    )
    w.p(
        "(Ban hành kèm theo Quyết định số 02/2008/QĐ-BNV ngày 06/10/2008 của Bộ trưởng Bộ Nội vụ)",
        italic=True,
        center=True,
        size=11,
    )
    photo_box(w)
    w.p("SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC", bold=True, center=True, size=14)
    common_identity(w)
    common_service(w, grade_label="Ngạch công chức (viên chức)")
    common_tables(w, salary_title="DIỄN BIẾN QUÁ TRÌNH LƯƠNG CỦA CÁN BỘ, CÔNG CHỨC")
    footer(w, body="CÁN BỘ, CÔNG CHỨC")
    w.save("2c-bnv.docx")


def tctw() -> None:
    w = Writer()
    w.header(
        [
            "Tỉnh: {{ tinh }}",
            "Đơn vị trực thuộc: {{ co_quan_quan_ly }}",
            "Đơn vị cơ sở: {{ co_quan_su_dung }}",
        ],
        ["Mẫu 2C/TCTW-98", "Số hiệu cán bộ:", "{{ so_hieu }}"],
    )
    photo_box(w)
    w.p("SƠ YẾU LÝ LỊCH", bold=True, center=True, size=14)
    common_identity(w)
    w.item("      Thành phần gia đình xuất thân: ", "{{ thanh_phan_xuat_than }}")
    w.item("      Ngày tham gia cách mạng: ", "{{ ngay_tham_gia_cach_mang }}")
    w.item("      Ngày vào cơ quan hiện đang công tác: ", "{{ ngay_vao_co_quan }}")
    w.item("      Cấp ủy hiện tại: ", "{{ cap_uy_hien_tai }}", "Cấp ủy kiêm: {{ cap_uy_kiem }}")
    common_service(w, grade_label="Ngạch công chức")
    w.item("      Công tác chính đang làm, công việc làm lâu nhất: ", "{{ cong_viec_lau_nhat }}")
    common_tables(w, salary_title="DIỄN BIẾN QUÁ TRÌNH LƯƠNG")
    w.p("HOÀN CẢNH KINH TẾ GIA ĐÌNH", bold=True)
    w.p("{{ kinh_te_gia_dinh }}")
    footer(w, body="CÁN BỘ")
    w.save("2c-tctw.docx")


def vc() -> None:
    w = Writer()
    w.header(
        [
            "Cơ quan quản lý viên chức: {{ co_quan_quan_ly }}",
            "Đơn vị sự nghiệp công lập sử dụng viên chức: {{ co_quan_su_dung }}",
        ],
        ["Mẫu HS02-VC/BNV", "Số hiệu viên chức:", "{{ so_hieu }}"],
    )
    w.p(
        "(Ban hành kèm theo Thông tư số 07/2019/TT-BNV ngày 01/6/2019 của Bộ trưởng Bộ Nội vụ)",
        italic=True,
        center=True,
        size=11,
    )
    photo_box(w)
    w.p("SƠ YẾU LÝ LỊCH VIÊN CHỨC", bold=True, center=True, size=14)
    common_identity(w)
    common_service(w, grade_label="Chức danh nghề nghiệp")
    common_tables(w, salary_title="DIỄN BIẾN QUÁ TRÌNH LƯƠNG CỦA VIÊN CHỨC")
    footer(w, body="VIÊN CHỨC")
    w.save("hs02-vc.docx")


if __name__ == "__main__":
    bnv()
    tctw()
    vc()
    print(f"Đã ghi các mẫu vào {DATA}")
