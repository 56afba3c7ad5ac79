"""Integration tests of the import engine: success, failure (nothing written), update, dry run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from canbo.assessment.models import Award, Rating
from canbo.careers.models import BodyMembership, Tenure
from canbo.conftest import new_person, reference_data
from canbo.core.models import ObjectChange
from canbo.imports import engine
from canbo.imports.apply import file_sha256
from canbo.imports.engine import CellError, ImportResult
from canbo.imports.tests.helpers import PERSON_HEADERS, make_xlsx
from canbo.people.models import FamilyRelation, Person, Qualification
from canbo.people.validators import make_personal_id

pytestmark = pytest.mark.django_db


def pid(sex: str, year: int, serial: int) -> str:
    return make_personal_id(province_prefix="010", sex=sex, birth_year=year, serial=900000 + serial)


P1 = pid("nu", 1980, 1)
P2 = pid("nam", 1975, 2)


def good_book(tmp_path: Path, unit: str = "A1") -> Path:
    return make_xlsx(
        tmp_path / "canbo.xlsx",
        {
            "Cán bộ": [
                PERSON_HEADERS,
                [P1, "Nguyễn Thị Hoa", "Nữ", "17/05/1980", "Kinh", "Không", "Công chức", unit],
                [P2, "lò văn bình", "NAM", 1975, "03", "", "Cán bộ", "Phòng Nội vụ huyện A"],
            ],
            "Trình độ": [
                [
                    "Số định danh cá nhân",
                    "Loại trình độ",
                    "Trình độ",
                    "Chuyên ngành",
                    "Ngôn ngữ",
                    "Ngày cấp bằng",
                ],
                [P1, "", "ThS", "Luật", "", "06/2012"],
                [P1, "LLCT", "Cao cấp", "", "", 2018],
                [P2, "Ngoại ngữ", "Bậc 3", "", "Tiếng Anh", dt.datetime(2015, 3, 1)],
            ],
            "Chức vụ": [
                ["Số định danh cá nhân", "Đơn vị", "Chức danh", "Hình thức", "Từ ngày", "Đến hết ngày"],
                [P1, "A1", "Trưởng phòng", "Bổ nhiệm", "01/08/2020", None],
            ],
            "Cấp ủy, HĐND": [
                ["Số định danh cá nhân", "Cơ quan", "Loại", "Nhiệm kỳ", "Từ ngày", "Đến hết ngày"],
                [P2, "A", "HĐND", "2021-2026", "06/2021", ""],
            ],
            "Gia đình": [
                ["Số định danh cá nhân", "Quan hệ", "Họ và tên", "Năm sinh"],
                [P1, "Mẹ chồng", "Lê Thị Mai", 1952],
            ],
            "Khen thưởng": [
                ["Số định danh cá nhân", "Hình thức khen thưởng", "Năm"],
                [P1, "Bằng khen của Chủ tịch UBND tỉnh", 2022],
            ],
            "Đánh giá": [
                ["Số định danh cá nhân", "Hệ thống", "Năm", "Mức xếp loại"],
                [P1, "Chính quyền", 2024, "HTTNV"],
            ],
        },
    )


@pytest.fixture
def ready(tree: Any, title: Any) -> dict[str, Any]:
    reference_data()
    return tree


@pytest.fixture
def reading() -> list[str]:
    """Formerly: both ways of reading (here, and by a second process, since removed: calamine
    reads the whole file faster than the second process saved). Kept so that the tests read as
    before; no sheet is streamed from another process."""
    return []


def test_import_succeeds_with_sections_and_change_log(ready: Any, reading: list[str], tmp_path: Path) -> None:
    path = good_book(tmp_path)
    progress: list[tuple[int, int, str]] = []
    result = engine.run_import(path=path, acting_user=None, progress=lambda *a: progress.append(a))
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.section_rows) == (2, 0, 8)
    hoa = Person.objects.get(personal_id=P1)
    binh = Person.objects.get(personal_id=P2)
    assert hoa.managing_unit == ready["A1"] and hoa.birth_precision == "d"
    assert binh.full_name == "lò văn bình" or binh.full_name.lower() == "lò văn bình"
    assert binh.birth_date == dt.date(1975, 1, 1) and binh.birth_precision == "y"
    assert binh.ethnicity.name == "Thái" and binh.religion.name == "Không" and binh.sex == "nam"
    quals = {(q.kind, q.level, q.obtained_date) for q in Qualification.objects.filter(person=hoa)}
    assert quals == {
        ("chuyen_mon", "thac_si", dt.date(2012, 6, 1)),
        ("ly_luan_chinh_tri", "cao_cap", dt.date(2018, 1, 1)),
    }
    assert Qualification.objects.get(person=binh).level == "b1"
    tenure = Tenure.objects.get(person=hoa)
    assert tenure.unit == ready["A1"] and tenure.start_date == dt.date(2020, 8, 1) and tenure.is_primary
    member = BodyMembership.objects.get(person=binh)
    assert member.term == "2021–2026" and member.kind == "hdnd"
    fam = FamilyRelation.objects.get(person=hoa)
    assert fam.relation == "me_vo_chong" and fam.spouse_side
    assert Award.objects.get(person=hoa).year == 2022
    assert Rating.objects.get(person=hoa).level == "htt"
    reason = f"Nhập từ tệp canbo.xlsx ({file_sha256(path)[:12]})"
    log = ObjectChange.objects.filter(reason=reason)
    assert log.count() == 10
    assert set(log.values_list("source", flat=True)) == {"import"}
    assert len(set(log.values_list("request_id", flat=True))) == 1
    assert log.filter(related_person_id=hoa.pk).count() == 7
    assert progress and progress[-1][0] == progress[-1][1]
    # the fast writer logs exactly what the audited services would: the stored record's snapshot
    for entry in log:
        model = entry.content_type.model_class()
        assert model is not None
        record: Any = model._default_manager.get(pk=entry.object_id)
        assert entry.postchange_data == record.snapshot(), entry.content_type
        assert entry.object_repr == str(record)
        assert entry.action == "create" and entry.user_name == "hệ thống"
    if reading:  # the prefetch run really streamed every sheet from the child, persons first
        assert len(reading) == 7 and reading[0] == "Cán bộ"


def test_import_fails_writes_nothing_and_lists_every_error(
    ready: Any, reading: list[str], tmp_path: Path
) -> None:
    path = make_xlsx(
        tmp_path / "sai.xlsx",
        {
            "Cán bộ": [
                PERSON_HEADERS,
                [P1, "Nguyễn Thị Hoa", "Nữ", "31/02/1980", "Kinh", "Không", "Công chức", "A1"],
                [P2, "Lò Văn Bình", "Không rõ", "1975", "Sao Hỏa", "", "Cán bộ", "ZZZ"],
                [pid("nam", 1990, 3), "Trần Văn C", "Nam", "1990", "Kinh", "", "Công chức", "A1"],
            ],
            "Trình độ": [
                ["Số định danh cá nhân", "Trình độ", "Ngày cấp bằng"],
                [P1, "Trung cấp", "2010"],
                ["010199999999", "ThS", "2012"],
            ],
        },
    )
    before = ObjectChange.objects.count()
    result = engine.run_import(path=path, acting_user=None)
    assert not result.ok
    lines = [str(e) for e in result.errors]
    assert "Sheet Cán bộ, dòng 2, cột D (Ngày sinh): Ngày không có thật: “31/02/1980”." in lines
    assert any(
        line.startswith("Sheet Cán bộ, dòng 3, cột C (Giới tính): Giới tính không hợp lệ") for line in lines
    )
    assert any(line.startswith("Sheet Cán bộ, dòng 3, cột E (Dân tộc)") for line in lines)
    assert any(
        line.startswith("Sheet Cán bộ, dòng 3, cột H (Đơn vị quản lý hồ sơ): Không tìm thấy đơn vị")
        for line in lines
    )
    assert any(
        line.startswith("Sheet Trình độ, dòng 2, cột B (Trình độ)") and "nhiều loại" in line for line in lines
    )
    assert any(line.startswith("Sheet Trình độ, dòng 3") and "010199999999" in line for line in lines)
    assert len(lines) == 6, lines
    assert Person.objects.count() == 0 and Qualification.objects.count() == 0
    assert ObjectChange.objects.count() == before
    # the error workbook gives the rows back with a "Lỗi" column
    book = load_workbook(__import__("io").BytesIO(engine.error_workbook(path, result.errors)))
    ws = book["Cán bộ"]
    assert ws.cell(1, 9).value == "Lỗi"
    assert "Ngày không có thật" in str(ws.cell(2, 9).value)
    assert ws.cell(4, 9).value is None
    assert ws.cell(3, 1).value == P2
    assert reading in ([], ["Cán bộ", "Trình độ"])


def test_reimport_updates_only_mapped_fields_and_skips_duplicate_sections(ready: Any, tmp_path: Path) -> None:
    hoa = new_person(ready["A1"], "Nguyễn Thị Hoa", born=dt.date(1980, 5, 17), other_names="Hoa Lan")
    first = make_xlsx(
        tmp_path / "a.xlsx",
        {
            "DS cán bộ 2024": [
                ["STT", "Số CCCD", "Họ tên", "Ngạch", "Hệ số lương"],
                [1, hoa.personal_id, "Nguyễn Thị Hoa", "Chuyên viên chính", "4,40"],
            ],
            "Khen thưởng": [
                ["Số định danh cá nhân", "Hình thức khen thưởng", "Năm"],
                [hoa.personal_id, "Giấy khen", 2021],
                [hoa.personal_id, "giấy khen", 2021],
            ],
        },
    )
    result = engine.run_import(path=first, acting_user=None)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.section_rows, result.skipped) == (0, 1, 1, 1)
    hoa.refresh_from_db()
    assert hoa.grade_name == "Chuyên viên chính" and str(hoa.salary_coefficient) == "4.40"
    assert hoa.other_names == "Hoa Lan" and hoa.row_version == 2
    change = ObjectChange.objects.filter(object_id=hoa.pk, action="update").get()
    before, after = change.prechange_data or {}, change.postchange_data or {}
    assert before["grade_name"] == "" and after["grade_name"] == "Chuyên viên chính"
    assert change.reason.startswith("Nhập từ tệp a.xlsx (")
    again = engine.run_import(path=first, acting_user=None)
    assert again.ok and (again.updated, again.section_rows, again.skipped) == (0, 0, 2)
    assert Award.objects.count() == 1


def test_dry_run_writes_nothing(ready: Any, tmp_path: Path) -> None:
    result = engine.run_import(path=good_book(tmp_path), acting_user=None, dry_run=True)
    assert result.ok and result.dry_run and (result.created, result.section_rows) == (2, 8)
    assert Person.objects.count() == 0 and ObjectChange.objects.count() == 0


def test_scope_unit_outside_grants_is_a_row_error(ready: Any, users: Any, tmp_path: Path) -> None:
    path = good_book(tmp_path, unit="B")
    result = engine.run_import(path=path, acting_user=users["officer_a"])
    assert not result.ok
    lines = [str(e) for e in result.errors]
    assert (
        "Sheet Cán bộ, dòng 2, cột H (Đơn vị quản lý hồ sơ): Đơn vị "
        "“Huyện B” nằm ngoài phạm vi bạn được giao quyền sửa."
    ) in lines
    assert Person.objects.filter(personal_id=P1).count() == 0
    ok = engine.run_import(path=good_book(tmp_path), acting_user=users["officer_a"])
    assert ok.ok, [str(e) for e in ok.errors]
    leader = engine.run_import(path=good_book(tmp_path), acting_user=users["leader_a"])
    assert not leader.ok


def test_section_for_person_outside_scope_reads_as_missing(
    ready: Any, users: Any, person_b: Any, tmp_path: Path
) -> None:
    path = make_xlsx(
        tmp_path / "kt.xlsx",
        {
            "Khen thưởng": [
                ["Số định danh cá nhân", "Hình thức khen thưởng", "Năm"],
                [person_b.personal_id, "Giấy khen", 2020],
            ]
        },
    )
    result = engine.run_import(path=path, acting_user=users["officer_a"])
    assert not result.ok
    assert "Không có cán bộ mang số định danh" in result.errors[0].message
    assert engine.run_import(path=path, acting_user=users["officer_b"]).ok


def test_duplicate_personal_ids_are_errors_on_each_row(ready: Any, tmp_path: Path) -> None:
    row = [P1, "Nguyễn Thị Hoa", "Nữ", "17/05/1980", "Kinh", "Không", "Công chức", "A1"]
    path = make_xlsx(tmp_path / "dup.xlsx", {"Cán bộ": [PERSON_HEADERS, row, row, [P2, *row[1:]]]})
    result = engine.run_import(path=path, acting_user=None)
    assert not result.ok
    dupes = [e for e in result.errors if "xuất hiện nhiều lần" in e.message]
    assert [(e.row, e.sheet) for e in dupes] == [(2, "Cán bộ"), (3, "Cán bộ")]
    assert Person.objects.count() == 0


def test_ambiguous_unit_name_lists_candidates(ready: Any, tmp_path: Path) -> None:
    from canbo.conftest import make_unit
    from canbo.org.choices import Level, UnitKind

    make_unit(ready["B"], "B1", "Phòng Nội vụ huyện A", kind=UnitKind.DIVISION, level=Level.DISTRICT)
    path = good_book(tmp_path, unit="Phong noi vu huyen a")
    result = engine.run_import(path=path, acting_user=None)
    assert not result.ok
    msg = next(e.message for e in result.errors if e.row == 2)
    assert "trùng với nhiều đơn vị" in msg and "(mã A1)" in msg and "(mã B1)" in msg


def test_mapping_overrides_and_ignores(ready: Any, tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "m.xlsx",
        {
            "Sheet1": [
                ["CCCD", "Tên đầy đủ", "Phái", "NS", "DT", "Loại", "Nơi làm", "Ghi chú"],
                [P1, "Nguyễn Thị Hoa", "nu", "1980", "kinh", "CC", "A1", "=1+1"],
            ]
        },
    )
    mapping = {
        "_sheets": {"Sheet1": "can_bo"},
        "can_bo": {"Tên đầy đủ": "full_name", "NS": "birth_date", "DT": "ethnicity", "Loại": "category",
                   "Nơi làm": "managing_unit", "Ghi chú": ""},
    }  # fmt: skip
    result = engine.run_import(path=path, acting_user=None, mapping=mapping)
    assert result.ok, [str(e) for e in result.errors]
    assert Person.objects.get().category == "cong_chuc"


def test_result_round_trips() -> None:
    r = ImportResult(
        ok=False, errors=[CellError("Cán bộ", 3, "B (Họ và tên)", "Thiếu")], created=1, skipped=2
    )
    assert ImportResult.from_dict(r.as_dict()) == r
    assert str(r.errors[0]) == "Sheet Cán bộ, dòng 3, cột B (Họ và tên): Thiếu"
    assert str(CellError("Cán bộ", 4, "", "Trùng")) == "Sheet Cán bộ, dòng 4: Trùng"
    assert str(CellError("", 0, "", "Tệp trống")) == "Tệp trống"


def test_field_choices_and_template_round_trip(ready: Any, tmp_path: Path) -> None:
    assert ("birth_date", "Ngày sinh") in engine.field_choices("can_bo")
    path = tmp_path / "mau.xlsx"
    path.write_bytes(engine.template_workbook())
    infos = {s.name: s for s in engine.inspect_workbook(path)}
    assert infos["Cán bộ"].kind == "can_bo" and infos["Hướng dẫn"].kind is None
    assert infos["Cán bộ"].rows == 2 and infos["Kỷ luật"].rows == 0  # the example rows
    assert all(v is not None for v in infos["Trình độ"].proposed.values())


def test_repeated_values_are_checked_alike_and_every_bad_one_reported(ready: Any, tmp_path: Path) -> None:
    """Field checks remember the values they accepted (``Validator.full_clean``): a value
    accepted once is accepted again, and a wrong value is reported on every row that has it."""
    long_town = "Xã " + "Võ Lao " * 50  # longer than the 255 characters of "Quê quán"
    rows: list[list[Any]] = [[*PERSON_HEADERS, "Quê quán"]]
    for n, town in enumerate(["Xã A", long_town, "Xã A", long_town, "Xã B"]):
        rows.append(
            [pid("nam", 1980, 50 + n), f"Trần Văn {n}", "Nam", "1980", "Kinh", "", "Công chức", "A1", town]
        )
    path = make_xlsx(tmp_path / "que.xlsx", {"Cán bộ": rows})
    result = engine.run_import(path=path, acting_user=None, dry_run=True)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(3, "I (Quê quán)"), (5, "I (Quê quán)")]
    assert result.errors[0].message == result.errors[1].message and "255" in result.errors[0].message


def test_identity_card_date_and_insurance_number_are_imported(ready: Any, tmp_path: Path) -> None:
    hoa = new_person(ready["A1"], "Nguyễn Thị Hoa", born=dt.date(1980, 5, 17))
    book = make_xlsx(
        tmp_path / "bhxh.xlsx",
        {
            "Cán bộ": [
                ["Số CCCD", "Ngày cấp CCCD", "Mã số BHXH"],
                [hoa.personal_id, "15/03/2021", "0123456789"],
            ],
        },
    )
    result = engine.run_import(path=book, acting_user=None)
    assert result.ok, [str(e) for e in result.errors]
    hoa.refresh_from_db()
    assert hoa.identity_issue_date == dt.date(2021, 3, 15) and hoa.social_insurance_number == "0123456789"
    bad = make_xlsx(
        tmp_path / "bad.xlsx",
        {"Cán bộ": [["Số CCCD", "Số sổ BHXH"], [hoa.personal_id, "12345"]]},
    )
    failed = engine.run_import(path=bad, acting_user=None)
    assert not failed.ok and any("10 chữ số" in str(e) for e in failed.errors)
