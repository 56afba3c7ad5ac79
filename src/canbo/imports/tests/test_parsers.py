"""Values as people write them: dates, sex, levels and abbreviations, numbers, yes/no."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from canbo.imports import parsers
from canbo.imports.parsers import ParseError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(1980, 5, 17, 0, 0), (dt.date(1980, 5, 17), "d")),
        (dt.date(1980, 5, 17), (dt.date(1980, 5, 17), "d")),
        (29358, (dt.date(1980, 5, 17), "d")),  # Excel serial number
        (29358.0, (dt.date(1980, 5, 17), "d")),
        (61, (dt.date(1900, 3, 1), "d")),  # after Excel's fictitious 29/2/1900
        (1980, (dt.date(1980, 1, 1), "y")),
        (1980.0, (dt.date(1980, 1, 1), "y")),
        ("17/05/1980", (dt.date(1980, 5, 17), "d")),
        ("7/5/1980", (dt.date(1980, 5, 7), "d")),
        (" 17-05-1980 ", (dt.date(1980, 5, 17), "d")),
        ("17.05.1980", (dt.date(1980, 5, 17), "d")),
        ("1980-05-17", (dt.date(1980, 5, 17), "d")),
        ("1980-05-17 00:00:00", (dt.date(1980, 5, 17), "d")),
        ("05/1980", (dt.date(1980, 5, 1), "m")),
        ("5/1980", (dt.date(1980, 5, 1), "m")),
        ("1980", (dt.date(1980, 1, 1), "y")),
        ("ngày 17 tháng 5 năm 1980", (dt.date(1980, 5, 17), "d")),
        ("Tháng 5/1980", (dt.date(1980, 5, 1), "m")),
        ("năm 1980", (dt.date(1980, 1, 1), "y")),
    ],
)
def test_partial_date(value: object, expected: tuple[dt.date, str]) -> None:
    assert parsers.partial_date(value) == expected


@pytest.mark.parametrize(
    "value", ["31/02/1980", "17/13/1980", "13/1980", "abc", "17/05/80", True, -5, 0.0, "1980/05/17x"]
)
def test_partial_date_refuses(value: object) -> None:
    with pytest.raises(ParseError) as exc:
        parsers.partial_date(value)
    assert "Ngày" in exc.value.message


def test_the_import_reads_text_dates_with_the_forms_grammar() -> None:
    """One partial-date grammar (issue 15): a text cell is read exactly as the person form reads it."""
    from django.core.exceptions import ValidationError

    from canbo.core.dates import parse_partial_date
    from canbo.core.tests.test_dates import ACCEPTED, REFUSED

    for text, expected in ACCEPTED:
        assert parsers.partial_date(text) == expected == parse_partial_date(text)
    for text, message in REFUSED:
        with pytest.raises(ParseError) as exc:
            parsers.partial_date(text)
        assert exc.value.message == message
        with pytest.raises(ValidationError):
            parse_partial_date(text)


def test_end_date_is_the_last_day_of_a_month_or_year() -> None:
    assert parsers.end_date("02/2024") == dt.date(2024, 2, 29)
    assert parsers.end_date("2020") == dt.date(2020, 12, 31)
    assert parsers.end_date("15/06/2020") == dt.date(2020, 6, 15)
    assert parsers.date("06/2020") == dt.date(2020, 6, 1)
    assert parsers.year(dt.datetime(2019, 4, 2)) == 2019


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Nam", "nam"),
        ("NAM", "nam"),
        ("nam ", "nam"),
        ("Nữ", "nu"),
        ("NỮ", "nu"),
        ("nu", "nu"),
        ("Nu", "nu"),
        ("nữ", "nu"),
    ],
)
def test_sex(value: str, expected: str) -> None:
    assert parsers.sex(value) == expected


def test_sex_refuses_other_values() -> None:
    with pytest.raises(ParseError, match="Giới tính không hợp lệ"):
        parsers.sex("Khác")


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("ThS", None, ("chuyen_mon", "thac_si")),
        ("Th.S", None, ("chuyen_mon", "thac_si")),
        ("thạc sỹ", None, ("chuyen_mon", "thac_si")),
        ("TS", None, ("chuyen_mon", "tien_si")),
        ("Tiến sĩ", None, ("chuyen_mon", "tien_si")),
        ("ĐH", None, ("chuyen_mon", "dai_hoc")),
        ("Đại học", "chuyen_mon", ("chuyen_mon", "dai_hoc")),
        ("CN", "chuyen_mon", ("chuyen_mon", "dai_hoc")),
        ("Cử nhân", "chuyen_mon", ("chuyen_mon", "dai_hoc")),
        ("CĐ", None, ("chuyen_mon", "cao_dang")),
        ("TC", "chuyen_mon", ("chuyen_mon", "trung_cap")),
        ("Cao cấp", None, ("ly_luan_chinh_tri", "cao_cap")),
        ("cao cap", None, ("ly_luan_chinh_tri", "cao_cap")),
        ("Trung cấp", "ly_luan_chinh_tri", ("ly_luan_chinh_tri", "trung_cap")),
        ("Cao cấp lý luận chính trị – hành chính", None, ("ly_luan_chinh_tri", "cao_cap")),
        ("Cử nhân chính trị", None, ("ly_luan_chinh_tri", "cu_nhan")),
        ("CN", None, ("chuyen_mon", "dai_hoc")),
        ("Cao đẳng", None, ("chuyen_mon", "cao_dang")),
        ("Chuyên viên chính", None, ("quan_ly_nha_nuoc", "chuyen_vien_chinh")),
        ("CVCC", None, ("quan_ly_nha_nuoc", "chuyen_vien_cao_cap")),
        ("B1", None, ("ngoai_ngu", "b1")),
        ("b2", None, ("ngoai_ngu", "b2")),
        ("Bậc 3", None, ("ngoai_ngu", "b1")),
        ("Bậc 3 (B1)", None, ("ngoai_ngu", "b1")),
        ("bac 4/6", None, ("ngoai_ngu", "b2")),
        ("B", "ngoai_ngu", ("ngoai_ngu", "b")),
        ("B", "tin_hoc", ("tin_hoc", "b")),
        ("Ứng dụng CNTT cơ bản", None, ("tin_hoc", "co_ban")),
        ("Đối tượng 3", None, ("quoc_phong_an_ninh", "doi_tuong_3")),
        ("thac_si", "chuyen_mon", ("chuyen_mon", "thac_si")),
    ],
)
def test_levels(value: str, kind: str | None, expected: tuple[str, str]) -> None:
    assert parsers.level(value, kind) == expected


def test_level_ambiguous_or_unknown_or_wrong_kind() -> None:
    with pytest.raises(ParseError, match="nhiều loại"):
        parsers.level("Trung cấp", None)
    with pytest.raises(ParseError, match="nhiều loại"):
        parsers.level("B", None)  # foreign language or IT
    with pytest.raises(ParseError, match="Không nhận ra"):
        parsers.level("Siêu cấp", None)
    with pytest.raises(ParseError, match="không thuộc loại “Ngoại ngữ”"):
        parsers.level("Thạc sĩ", "ngoai_ngu")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("LLCT", "ly_luan_chinh_tri"),
        ("Lý luận chính trị", "ly_luan_chinh_tri"),
        ("QLNN", "quan_ly_nha_nuoc"),
        ("Ngoại ngữ", "ngoai_ngu"),
        ("chuyên môn", "chuyen_mon"),
    ],
)
def test_qualification_kind(value: str, expected: str) -> None:
    assert parsers.qualification_kind(value) == expected


def test_numbers_text_booleans_and_ids() -> None:
    assert parsers.decimal("2,34") == Decimal("2.34")
    assert parsers.decimal(2.34) == Decimal("2.34")
    assert parsers.integer(3.0) == 3 and parsers.integer(" 7 ") == 7
    with pytest.raises(ParseError):
        parsers.integer("3,5")
    assert parsers.text(125.0) == "125" and parsers.text("  Nguyễn   Văn  A ") == "Nguyễn Văn A"
    assert (
        parsers.boolean("x") is True and parsers.boolean("Không") is False and parsers.boolean("có") is True
    )
    with pytest.raises(ParseError):
        parsers.boolean("có lẽ")
    assert parsers.personal_id(10180012345) == "010180012345"  # Excel dropped the leading zero
    assert parsers.personal_id("'010180012345") == "010180012345"
    assert parsers.personal_id("010 180 012 345") == "010180012345"


@pytest.mark.parametrize(
    ("parser", "value", "expected"),
    [
        (parsers.category, "Công chức", "cong_chuc"),
        (parsers.category, "CÔNG CHỨC", "cong_chuc"),
        (parsers.category, "VC", "vien_chuc"),
        (parsers.relation, "Mẹ chồng", "me_vo_chong"),
        (parsers.relation, "vợ", "vo_chong"),
        (parsers.relation, "Con gái", "con"),
        (parsers.rating_level, "HTTNV", "htt"),
        (parsers.rating_level, "Hoàn thành xuất sắc nhiệm vụ", "htxs"),
        (parsers.tenure_kind, "bổ nhiệm", "bo_nhiem"),
        (parsers.body_kind, "HĐND", "hdnd"),
        (parsers.body_kind, "BTV", "ban_thuong_vu"),
        (parsers.discipline_form, "Khiển trách", "khien_trach"),
        (parsers.term, "2020 - 2025", "2020–2025"),
        (parsers.general_education, "12/12", "12/12"),
        (parsers.general_education, 12, "12/12"),
    ],
)
def test_enumerations(parser: object, value: object, expected: str) -> None:
    assert parser(value) == expected  # type: ignore[operator]


@pytest.mark.django_db
def test_references_by_code_or_name(tree: object) -> None:
    from canbo.conftest import reference_data

    reference_data()
    refs = parsers.References()
    assert (
        refs.ethnicity("kinh").code == "01"
        and refs.ethnicity(3).name == "Thái"
        and refs.ethnicity("03").name == "Thái"
    )
    assert refs.ethnicity("Ê Đê").code == "12" and refs.ethnicity("e de").code == "12"
    assert refs.religion("Không").code == "00" and refs.religion(0).code == "00"
    assert refs.religion("Thiên chúa giáo").name == "Công giáo"
    assert refs.unit("a1").code == "A1" and refs.unit("phong noi vu huyen A").code == "A1"
    with pytest.raises(ParseError, match="Không tìm thấy đơn vị"):
        refs.unit("Sở Không Có")


def test_imported_sort_key_agrees_with_vnsort() -> None:
    from canbo.core.text import split_name
    from canbo.core.vnsort import name_sort_key
    from canbo.imports.validate import derive_names

    def _sort_key(given: str, middle: str, family: str) -> str:  # as an import derives it
        return str(derive_names({"full_name": " ".join(w for w in (family, middle, given) if w)})["sort_key"])

    names = ["Nguyễn Thị Hoa", "Đặng Văn Đức", "Lò A Sử", "Hoàng Thị Kim Ngọc Ánh", "Giàng", "Bế Ly",
             "Trần Văn Số12", "Phạm Wilson Zhou", "Âu Dương Ưng Ơn", "Nguyễn Thị Hoa"]  # fmt: skip
    for name in names:
        family, middle, given = split_name(name)
        assert _sort_key(given, middle, family) == name_sort_key(given, middle, family), name
