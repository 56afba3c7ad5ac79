"""The mapping guesser: headers as provinces write them, sheet kinds, saved mappings."""

from __future__ import annotations

import pytest

from canbo.imports.mapping import detect_kind, propose, propose_field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Họ tên", "full_name"),
        ("Họ và tên", "full_name"),
        ("HỌ VÀ TÊN", "full_name"),
        ("ho va ten", "full_name"),
        ("Họ và tên:", "full_name"),
        ("Họ và tên (khai sinh)", "full_name"),
        ("Ngày tháng năm sinh", "birth_date"),
        ("Ngày, tháng, năm sinh", "birth_date"),
        ("Năm sinh", "birth_date"),
        ("Giới tính", "sex"),
        ("GIOI TINH", "sex"),
        ("Dân tộc", "ethnicity"),
        ("Số CCCD", "personal_id"),
        ("Số định danh", "personal_id"),
        ("Số định danh cá nhân", "personal_id"),
        ("CMND/CCCD", "personal_id"),
        ("Tôn giáo", "religion"),
        ("Đơn vị công tác", "managing_unit"),
        ("Quê quán", "home_town_text"),
        ("Hệ số lương", "salary_coefficient"),
        ("Ngạch", "grade_name"),
        ("STT", None),
        ("", None),
        ("Ghi chú", None),
    ],
)
def test_person_headers(header: str, field: str | None) -> None:
    assert propose_field("can_bo", header) == field


def test_section_headers() -> None:
    assert propose_field("trinh_do", "Năm tốt nghiệp") == "obtained_date"
    assert propose_field("trinh_do", "Chuyên ngành đào tạo") == "field_of_study"
    assert propose_field("chuc_vu", "Chức vụ") == "title"
    assert propose_field("danh_gia", "Xếp loại") == "level"
    assert propose_field("gia_dinh", "Quan hệ") == "relation"


def test_detect_kind_by_sheet_name_then_headers() -> None:
    assert detect_kind("Cán bộ", []) == "can_bo"
    assert detect_kind("CAN BO", []) == "can_bo"
    assert detect_kind("Trình độ", []) == "trinh_do"
    assert detect_kind("Sheet1", ["STT", "Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính"]) == "can_bo"
    assert detect_kind("Sheet2", ["Số CCCD", "Trình độ", "Chuyên ngành", "Năm tốt nghiệp"]) == "trinh_do"
    assert detect_kind("Sheet3", ["Ghi chú", "Họ và tên"]) is None  # no personal ID column
    assert detect_kind("Sheet1", ["a"], {"_sheets": {"Sheet1": "khen_thuong"}}) == "khen_thuong"
    assert detect_kind("Cán bộ", ["a"], {"_sheets": {"Cán bộ": ""}}) is None


def test_propose_uses_saved_mapping_and_never_maps_a_field_twice() -> None:
    headers = ["CCCD", "Tên", "Họ tên", "Họ và tên", "Ghi chú"]
    saved = {"can_bo": {"ten": "full_name", "Ghi chú": "", "CCCD": "no_such_field"}}
    proposed = propose("can_bo", headers, saved)
    assert proposed == {"CCCD": None, "Tên": "full_name", "Họ tên": None, "Họ và tên": None, "Ghi chú": None}
    assert propose("can_bo", ["Họ tên", "Họ và tên"]) == {"Họ tên": "full_name", "Họ và tên": None}
