"""Workbooks the import gives out: the documented template, and the upload with its errors.

Both are written with openpyxl's write-only mode, so an error workbook for a large upload is
streamed rather than built in memory, and every value through ``core.xlsx.safe_cell`` (a
formula in the upload comes back as text, never as a formula).
"""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter

from canbo.core.xlsx import Look, safe_cell, safe_row
from canbo.imports.errors import CellError
from canbo.imports.schema import SHEETS

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
BOLD = Font(bold=True)
GUIDE_LINE = (
    "Hướng dẫn đầy đủ: trang “Hướng dẫn nhập dữ liệu” trong mục Nhập dữ liệu của CanBo. "
    "Xóa các dòng ví dụ trước khi nhập."
)
WRAP = Alignment(wrap_text=True, vertical="top")

# Two example persons whose sections show every sheet (personal IDs are well-formed but invented).
EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "can_bo": [
        {
            "personal_id": "010180012345",
            "full_name": "Nguyễn Thị Hoa",
            "sex": "Nữ",
            "birth_date": "17/05/1980",
            "ethnicity": "Kinh",
            "religion": "Không",
            "category": "Công chức",
            "managing_unit": "(mã đơn vị)",
            "home_town_text": "Xã Võ Lao, huyện Văn Bàn, tỉnh Lào Cai",
            "general_education": "12/12",
            "recruitment_date": "01/09/2003",
            "grade_name": "Chuyên viên chính",
            "grade_code": "01.002",
            "salary_step": 3,
            "salary_coefficient": "5,08",
        },
        {
            "personal_id": "010075000321",
            "full_name": "Lò Văn Bình",
            "sex": "Nam",
            "birth_date": "1975",
            "ethnicity": "Thái",
            "religion": "Không",
            "category": "Cán bộ",
            "managing_unit": "(mã đơn vị)",
        },
    ],
    "trinh_do": [
        {
            "personal_id": "010180012345",
            "kind": "Chuyên môn",
            "level": "ThS",
            "field_of_study": "Luật",
            "obtained_date": "06/2012",
        },
        {
            "personal_id": "010180012345",
            "kind": "Lý luận chính trị",
            "level": "Cao cấp",
            "obtained_date": "2018",
        },
        {
            "personal_id": "010180012345",
            "kind": "Ngoại ngữ",
            "level": "B1",
            "language": "Tiếng Anh",
            "obtained_date": "2015",
        },
    ],
    "chuc_vu": [
        {
            "personal_id": "010180012345",
            "unit": "(mã đơn vị)",
            "title": "(mã chức danh)",
            "kind": "Bổ nhiệm",
            "start_date": "01/08/2020",
            "decision_number": "125/QĐ-UBND",
        }
    ],
    "cap_uy_hdnd": [
        {
            "personal_id": "010075000321",
            "body": "(mã cơ quan)",
            "kind": "Cấp ủy",
            "role": "Ủy viên",
            "term": "2020–2025",
            "start_date": "10/2020",
        }
    ],
    "gia_dinh": [
        {"personal_id": "010180012345", "relation": "Mẹ", "full_name": "Lê Thị Mai", "birth_year": 1952}
    ],
    "khen_thuong": [
        {"personal_id": "010180012345", "form": "Bằng khen của Chủ tịch UBND tỉnh", "year": 2022}
    ],
    "ky_luat": [],
    "danh_gia": [{"personal_id": "010180012345", "system": "Chính quyền", "year": 2024, "level": "HTTNV"}],
    # sheets added by issue 14
    "dang_tich": [
        {
            "personal_id": "010180012345",
            "admission_date": "19/05/2008",
            "official_date": "19/05/2009",
            "party_cell": "Chi bộ Phòng Nội vụ",
        }
    ],
    "tieu_chuan_chinh_tri": [
        {
            "personal_id": "010180012345",
            "conclusion_date": "15/03/2024",
            "issuing_body": "Ban Tổ chức Tỉnh ủy",
            "meets_standard": "Có",
        }
    ],
    "suc_khoe": [
        {
            "personal_id": "010180012345",
            "check_date": "10/04/2025",
            "status": "Tốt",
            "height_cm": 158,
            "weight_kg": 52,
            "blood_group": "O",
        }
    ],
    "qua_trinh_cong_tac": [
        {
            "personal_id": "010180012345",
            "start_date": "09/2003",
            "end_date": "07/2020",
            "description": "Chuyên viên Phòng Nội vụ huyện Văn Bàn",
        },
        {
            "personal_id": "010180012345",
            "start_date": "08/2020",
            "description": "Trưởng phòng Phòng Nội vụ huyện Văn Bàn",
        },
    ],
    "lich_su_ban_than": [],
    "ke_khai_tai_san": [
        {"personal_id": "010180012345", "kind": "Hằng năm", "year": 2025, "declared_date": "15/12/2025"}
    ],
    "tin_nhiem": [],
    # issue 17
    "luong": [
        {
            "personal_id": "010180012345",
            "grade": "01.003",
            "step": 6,
            "coefficient": "3,99",
            "from_date": "01/09/2018",
            "decision_number": "215/QĐ-UBND",
        },
        {
            "personal_id": "010180012345",
            "grade": "01.002",
            "step": 3,
            "coefficient": "5,08",
            "from_date": "01/09/2021",
            "decision_number": "318/QĐ-UBND",
        },
    ],
}


def build_template() -> bytes:
    """One sheet per kind with its Vietnamese headers (required ones shaded), a comment on each
    header listing the accepted values, and example rows; plus a "Hướng dẫn" sheet."""
    wb = Workbook(write_only=True)
    guide = wb.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 40
    guide.column_dimensions["C"].width = 90
    bold = Look(guide, font=BOLD)
    guide.append(safe_row(guide, ["Mẫu nhập dữ liệu cán bộ — CanBo"]))
    guide.append(safe_row(guide, [GUIDE_LINE]))
    guide.append([])
    for spec in SHEETS.values():
        guide.append([safe_cell(guide, f"Sheet “{spec.title}”", bold), safe_cell(guide, spec.description)])
        for f in spec.fields:
            req = "bắt buộc" if f.required else ""
            guide.append(safe_row(guide, [f.label, req, f.accepted]))
        guide.append([])
    for kind, spec in SHEETS.items():
        add_template_sheet(wb, spec, EXAMPLES.get(kind, []), freeze="B2")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def add_template_sheet(wb: Workbook, spec: Any, examples: list[dict[str, Any]], *, freeze: str) -> None:
    """One data sheet of a template (people's or the organisation's): the headers, required
    ones shaded, each with a comment listing what it accepts, then the example rows."""
    ws = wb.create_sheet(spec.title)
    for i, f in enumerate(spec.fields):
        ws.column_dimensions[_letter(i)].width = max(14, min(40, len(f.label) + 4))
    ws.freeze_panes = freeze
    header = []
    required = Look(ws, font=BOLD, fill=REQUIRED_FILL, alignment=WRAP)
    optional = Look(ws, font=BOLD, fill=HEADER_FILL, alignment=WRAP)
    for f in spec.fields:
        cell = safe_cell(ws, f.label, required if f.required else optional)
        note = (("Bắt buộc. " if f.required else "") + f.accepted).strip()
        if note:
            cell.comment = Comment(note, "CanBo")
        header.append(cell)
    ws.append(header)
    for example in examples:
        ws.append(safe_row(ws, [example.get(f.name) for f in spec.fields]))


def _letter(i: int) -> str:
    return get_column_letter(i + 1)


def _column_index(column: str) -> int | None:
    """The 0-based index of an error's column, written "C (Ngày sinh)"; None without one."""
    letters = column.split(" ", 1)[0]
    if not letters.isascii() or not letters.isalpha():
        return None
    try:
        return column_index_from_string(letters.upper()) - 1
    except ValueError:
        return None


def build_error_workbook(path: Path, errors: list[CellError]) -> bytes:
    """The uploaded workbook's values, row for row, with a "Lỗi" column after the last column
    listing each row's errors; the "Lỗi" cell and each wrong cell are shaded. Errors of the whole
    sheet go on its header row; errors of the whole file on a first sheet "Lỗi chung"."""
    from canbo.imports.reader import open_workbook

    by_sheet: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    wrong: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    general: list[str] = []
    for e in errors:
        if not e.sheet:
            general.append(e.message)
            continue
        text = f"Cột {e.column}: {e.message}" if e.column else e.message
        by_sheet[e.sheet][e.row].append(text)
        index = _column_index(e.column)
        if index is not None:
            wrong[e.sheet][e.row].add(index)
    source = open_workbook(path)
    out = Workbook(write_only=True)
    try:
        if general:
            ws = out.create_sheet("Lỗi chung")
            for msg in general:
                ws.append(safe_row(ws, [msg]))
        for name in source.worksheets():
            ws = out.create_sheet(name)
            row_errors = by_sheet.get(name, {})
            row_wrong = wrong.get(name, {})
            header_look = Look(ws, font=BOLD, fill=ERROR_FILL)
            message_look = Look(ws, fill=ERROR_FILL, alignment=WRAP)
            wrong_look = Look(ws, fill=ERROR_FILL)
            sheet = source.sheet(name)
            width = max(sheet.width, 1)
            ws.column_dimensions[_letter(width)].width = 60
            for number, row, _types in sheet.grid(1, width):
                values = list(row)  # safe_cell gives formulas back as text
                bad = row_wrong.get(number, set())
                cells = [safe_cell(ws, v, wrong_look if j in bad else None) for j, v in enumerate(values)]
                msgs = row_errors.get(number)
                if number == sheet.header_row:
                    text = "Lỗi" + (": " + "; ".join(msgs) if msgs else "")
                    ws.append([*cells, safe_cell(ws, text, header_look)])
                elif msgs:
                    ws.append([*cells, safe_cell(ws, "\n".join(msgs), message_look)])
                else:
                    ws.append(cells)
    finally:
        source.close()
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()
