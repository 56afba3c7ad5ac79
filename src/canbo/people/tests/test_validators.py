"""The personal identification number: shape, province prefix, century/sex digit, year, uniqueness."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from canbo.conftest import new_person
from canbo.org.models import Unit
from canbo.people.models import Ethnicity, Person, Religion
from canbo.people.validators import (
    PROVINCE_PREFIXES,
    make_personal_id,
    personal_id_conflicts,
    validate_personal_id,
)


def test_sixty_three_province_prefixes() -> None:
    assert len(PROVINCE_PREFIXES) == 63
    assert {"001", "010", "015", "079", "096"} <= PROVINCE_PREFIXES
    assert not {"000", "003", "097", "099"} & PROVINCE_PREFIXES


@pytest.mark.parametrize("value", ["010180000001", "001099123456", "096300000000"])
def test_valid_numbers(value: str) -> None:
    validate_personal_id(value)


@pytest.mark.parametrize(
    "value", ["", "01018000000", "0101800000011", "01018000000a", "010 80000001", "０１０１８００００００１"]
)
def test_shape_is_twelve_ascii_digits(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_personal_id(value)
    assert exc.value.messages == ["Số định danh cá nhân phải gồm đúng 12 chữ số."]


@pytest.mark.parametrize("prefix", ["000", "003", "099", "100"])
def test_unknown_province_prefix(prefix: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_personal_id(f"{prefix}180000001")
    assert exc.value.code == "pid_province"
    assert f"({prefix})" in exc.value.messages[0]
    assert "mã tỉnh" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("sex", "year", "digit"),
    [("nam", 1980, "0"), ("nu", 1980, "1"), ("nam", 2003, "2"), ("nu", 2000, "3"), ("nam", 1900, "0")],
)
def test_make_personal_id_encodes_century_and_sex(sex: str, year: int, digit: str) -> None:
    pid = make_personal_id(province_prefix="010", sex=sex, birth_year=year, serial=42)
    assert pid == f"010{digit}{year % 100:02d}000042"
    validate_personal_id(pid)
    assert personal_id_conflicts(pid, sex=sex, birth=dt.date(year, 6, 1)) is None


def test_conflicts_name_the_mismatch() -> None:
    male_1980 = "010080000001"
    sex_msg = personal_id_conflicts(male_1980, sex="nu", birth=dt.date(1980, 1, 1))
    assert sex_msg is not None and "giới tính" in sex_msg
    year_msg = personal_id_conflicts(male_1980, sex="nam", birth=dt.date(1981, 1, 1))
    assert year_msg is not None and "năm sinh" in year_msg
    # Same two year digits, wrong century.
    century_msg = personal_id_conflicts(male_1980, sex="nam", birth=dt.date(2080, 1, 1))
    assert century_msg is not None and "năm sinh" in century_msg


def _person(unit: Unit, **kw: object) -> Person:
    fields: dict[str, object] = {
        "full_name": "Lò Văn Minh",
        "family_name": "Lò",
        "middle_name": "Văn",
        "given_name": "Minh",
        "search_name": "lo van minh",
        "sex": "nam",
        "birth_date": dt.date(1985, 3, 2),
        "personal_id": "010085000777",
        "ethnicity": Ethnicity.objects.get(code="01"),
        "religion": Religion.objects.get(code="00"),
        "category": "cong_chuc",
        "managing_unit": unit,
    }
    fields.update(kw)
    return Person(**fields)


@pytest.mark.django_db
def test_person_full_clean_accepts_a_matching_number(tree: dict[str, Unit]) -> None:
    _person(tree["A"]).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"sex": "nu"}, "không khớp giới tính"),
        ({"birth_date": dt.date(1986, 3, 2)}, "không khớp năm sinh"),
        ({"personal_id": "010285000777"}, "không khớp năm sinh"),
        ({"personal_id": "010085000"}, "đúng 12 chữ số"),
        ({"personal_id": "098085000777"}, "mã tỉnh"),
    ],
)
def test_person_full_clean_refuses_a_mismatch(
    tree: dict[str, Unit], changes: dict[str, object], fragment: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        _person(tree["A"], **changes).full_clean()
    assert any(fragment in m for m in exc.value.message_dict["personal_id"])


@pytest.mark.django_db
def test_personal_id_is_unique(tree: dict[str, Unit]) -> None:
    first = new_person(tree["A"], "Lò Văn Minh", sex="nam", born=dt.date(1985, 3, 2))
    with pytest.raises(ValidationError) as exc:
        _person(tree["B"], personal_id=first.personal_id).full_clean()
    [message] = exc.value.message_dict["personal_id"]
    assert "đã tồn tại" in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"birth_date": dt.date(1899, 12, 31), "personal_id": "010999000777"}, "birth_date", "trước 1900"),
        ({"birth_date": dt.date(2999, 1, 1), "personal_id": "010899000777"}, "birth_date", "tương lai"),
        (
            {"enlistment_date": dt.date(2005, 1, 1), "discharge_date": dt.date(2004, 1, 1)},
            "discharge_date",
            "sau ngày nhập ngũ",
        ),
        ({"general_education": "12"}, "general_education", "12/12"),
    ],
)
def test_person_clean_other_rules(
    tree: dict[str, Unit], changes: dict[str, object], field: str, fragment: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        _person(tree["A"], **changes).full_clean()
    assert any(fragment in m for m in exc.value.message_dict[field])
