"""The sheets added by issue 14 (Party membership, political-standard conclusions, health, work
history, personal history, asset declarations, confidence votes) and the plausibility checks of
imported dates and salary figures: same checks, same all-or-nothing rule as the other sheets."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from canbo.accounts.models import Grant, Role
from canbo.assessment.models import Award, ConfidenceVote, PoliticalConclusion, Rating
from canbo.conftest import new_person, reference_data
from canbo.core.dates import today
from canbo.core.models import ObjectChange
from canbo.imports import engine
from canbo.imports.tests.helpers import PERSON_HEADERS, make_xlsx
from canbo.people.models import (
    AssetDeclaration,
    HealthRecord,
    PartyMembership,
    Person,
    PersonalHistory,
    Qualification,
    WorkHistory,
)
from canbo.people.validators import make_personal_id

pytestmark = pytest.mark.django_db

P1 = make_personal_id(province_prefix="010", sex="nu", birth_year=1980, serial=914001)
P2 = make_personal_id(province_prefix="010", sex="nam", birth_year=1975, serial=914002)
PERSON_ROWS: list[list[Any]] = [
    PERSON_HEADERS,
    [P1, "Nguyễn Thị Hoa", "Nữ", "17/05/1980", "Kinh", "Không", "Công chức", "A1"],
    [P2, "Lò Văn Bình", "Nam", 1975, "Thái", "", "Cán bộ", "A1"],
]
ID = "Số định danh cá nhân"
NEW_MODELS = (
    PartyMembership,
    PoliticalConclusion,
    HealthRecord,
    WorkHistory,
    PersonalHistory,
    AssetDeclaration,
    ConfidenceVote,
)


def sheets_14() -> dict[str, list[list[Any]]]:
    """One good row (or two) in each new sheet, headers as the template writes them."""
    return {
        "Đảng tịch": [
            [ID, "Ngày vào Đảng", "Ngày chính thức", "Số thẻ đảng viên", "Chi bộ sinh hoạt"],
            [P1, "19/05/2008", "19/05/2009", "12345678", "Chi bộ Phòng Nội vụ"],
        ],
        "Tiêu chuẩn chính trị": [
            [ID, "Ngày kết luận", "Cơ quan kết luận", "Đủ tiêu chuẩn chính trị", "Mức trần"],
            [P1, "15/03/2024", "Ban Tổ chức Tỉnh ủy", "Có", ""],
            [P2, "01/06/2023", "Ban Tổ chức Tỉnh ủy", "Chưa đủ tiêu chuẩn", "Phó Giám đốc Sở"],
        ],
        "Sức khỏe": [
            [ID, "Ngày khám", "Tình trạng sức khỏe", "Chiều cao (cm)", "Cân nặng (kg)", "Nhóm máu"],
            [P1, "10/04/2025", "Tốt", 158, 52, "O"],
        ],
        "Quá trình công tác": [
            [ID, "Từ tháng, năm", "Đến tháng, năm", "Chức danh, chức vụ, đơn vị công tác"],
            [P1, "09/2003", "07/2020", "Chuyên viên Phòng Nội vụ huyện Văn Bàn"],
            [P1, "08/2020", None, "Trưởng phòng Phòng Nội vụ huyện Văn Bàn"],
        ],
        "Lịch sử bản thân": [
            ["Số định danh cá nhân", "Nội dung", "Thời gian", "Chi tiết"],
            [P2, "Thân nhân ở nước ngoài", "Từ 2015", "Em gái lao động tại Hàn Quốc"],
        ],
        "Kê khai tài sản": [
            ["Số định danh cá nhân", "Loại kê khai", "Năm kê khai", "Ngày kê khai", "Cơ quan tiếp nhận"],
            [P1, "Hằng năm", 2025, "15/12/2025", "Ủy ban Kiểm tra Tỉnh ủy"],
        ],
        "Lấy phiếu tín nhiệm": [
            [ID, "Ngày lấy phiếu", "Hội nghị / kỳ họp", "Chức vụ được lấy phiếu", "Số được triệu tập",
             "Số có mặt", "Số phiếu phát ra", "Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp"],
            [P2, "20/11/2023", "Kỳ họp thứ 15 HĐND tỉnh", "Phó Chủ tịch UBND tỉnh", 50, 48, 48, 30, 15, 3],
        ],
    }  # fmt: skip


@pytest.fixture
def ready(tree: Any, title: Any) -> dict[str, Any]:
    reference_data()
    return tree


@pytest.fixture
def reading() -> str:
    """Formerly both ways of reading (the second reading process is gone: calamine)."""
    return "one process"


def test_the_vote_body_column_is_taken_and_an_unknown_body_refused(ready: Any, tmp_path: Path) -> None:
    headers = [ID, "Ngày lấy phiếu", "Cơ quan lấy phiếu", "Hội nghị / kỳ họp", "Chức vụ được lấy phiếu",
               "Số được triệu tập", "Số có mặt", "Số phiếu phát ra", "Tín nhiệm cao", "Tín nhiệm",
               "Tín nhiệm thấp"]  # fmt: skip
    row = [P2, "20/11/2023", "Cấp ủy", "Hội nghị lần thứ 9", "Phó Bí thư", 50, 48, 48, 30, 15, 3]
    wrong = [*row[:2], "Quốc hội", *row[3:]]
    bad = make_xlsx(tmp_path / "sai.xlsx", {"Cán bộ": PERSON_ROWS, "Lấy phiếu tín nhiệm": [headers, wrong]})
    result = engine.run_import(path=bad, acting_user=None)
    assert not result.ok and any("Cơ quan lấy phiếu không hợp lệ" in str(e) for e in result.errors)
    assert not ConfidenceVote.objects.exists() and not Person.objects.exists()
    good = make_xlsx(tmp_path / "dung.xlsx", {"Cán bộ": PERSON_ROWS, "Lấy phiếu tín nhiệm": [headers, row]})
    assert engine.run_import(path=good, acting_user=None).ok
    assert ConfidenceVote.objects.get().body_kind == "cap_uy"  # the column, not the wording


def test_each_new_sheet_imports_with_its_change_log(ready: Any, reading: str, tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "moi.xlsx", {"Cán bộ": PERSON_ROWS, **sheets_14()})
    result = engine.run_import(path=path, acting_user=None)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.section_rows) == (2, 9)
    hoa, binh = Person.objects.get(personal_id=P1), Person.objects.get(personal_id=P2)
    party = PartyMembership.objects.get(person=hoa)
    assert (party.admission_date, party.official_date, party.card_number) == (
        dt.date(2008, 5, 19),
        dt.date(2009, 5, 19),
        "12345678",
    )
    verdicts = dict(PoliticalConclusion.objects.values_list("person__personal_id", "meets_standard"))
    assert verdicts == {P1: True, P2: False}
    assert PoliticalConclusion.objects.get(person=binh).ceiling == "Phó Giám đốc Sở"
    health = HealthRecord.objects.get(person=hoa)
    assert (health.status, health.height_cm, health.weight_kg, health.blood_group) == ("tot", 158, 52, "O")
    work = list(WorkHistory.objects.filter(person=hoa).order_by("start_date"))
    assert [(w.start_date, w.start_precision, w.end_date, w.end_precision) for w in work] == [
        (dt.date(2003, 9, 1), "m", dt.date(2020, 7, 1), "m"),
        (dt.date(2020, 8, 1), "m", None, "m"),
    ]
    assert str(work[0]) == "09/2003: Chuyên viên Phòng Nội vụ huyện Văn Bàn"
    history = PersonalHistory.objects.get(person=binh)
    assert (history.kind, history.period) == ("than_nhan_nuoc_ngoai", "Từ 2015")
    assets = AssetDeclaration.objects.get(person=hoa)
    assert (assets.kind, assets.year, assets.declared_date) == ("hang_nam", 2025, dt.date(2025, 12, 15))
    vote = ConfidenceVote.objects.get(person=binh)
    assert vote.body_kind == "hdnd"  # no "Cơ quan lấy phiếu" column: read from the session's name
    assert (vote.convened, vote.present, vote.ballots, vote.high, vote.medium, vote.low) == (
        50,
        48,
        48,
        30,
        15,
        3,
    )
    # Every record is in the change log, described as the audited services describe it.
    for model in NEW_MODELS:
        for record in model._default_manager.all():
            entry = ObjectChange.objects.get(content_type__model=model._meta.model_name, object_id=record.pk)
            assert entry.action == "create" and entry.source == "import"
            assert entry.object_repr == str(record)
            assert entry.related_person_id == record.person_id
            assert entry.postchange_data == record.snapshot()
    # Importing the same file again adds nothing: each row matches its record by the sheet's key.
    again = engine.run_import(path=path, acting_user=None)
    assert again.ok and (again.section_rows, again.skipped) == (0, 9)


def _now() -> str:
    return f"{today():%d/%m/%Y}"


# (sheet, bad row, exact error): one wrong cell in each new sheet.
BAD_ROWS = [
    (
        "Đảng tịch",
        [P1, "19/05/2030", "", "", ""],
        f"Sheet Đảng tịch, dòng 3, cột B (Ngày vào Đảng): Ngày vào Đảng 19/05/2030 là ngày trong tương lai "
        f"(hôm nay là {_now()}).",
    ),
    (
        "Tiêu chuẩn chính trị",
        [P2, "01/06/2023", "Ban Tổ chức Tỉnh ủy", "Có thể", ""],
        "Sheet Tiêu chuẩn chính trị, dòng 4, cột D (Đủ tiêu chuẩn chính trị): Ghi “Có” (đủ tiêu chuẩn) "
        "hoặc “Không” (chưa đủ tiêu chuẩn), không phải “Có thể”.",
    ),
    (
        "Sức khỏe",
        [P2, "10/04/2025", "Tốt", 165, 60, "C"],
        "Sheet Sức khỏe, dòng 3, cột F (Nhóm máu): Nhóm máu không hợp lệ: “C”. Dùng một trong: A; B; AB; O.",
    ),
    (
        "Quá trình công tác",
        [P1, "05/1979", "06/1999", "Học sinh"],
        "Sheet Quá trình công tác, dòng 4, cột B (Từ tháng, năm): Thời gian bắt đầu 05/1979 trước ngày "
        "sinh của cán bộ (17/05/1980).",
    ),
    (
        "Lịch sử bản thân",
        [P1, "Đi du lịch", "", "Thái Lan"],
        "Sheet Lịch sử bản thân, dòng 3, cột B (Nội dung): Nội dung không hợp lệ: “Đi du lịch”. Dùng một "
        "trong: Bị bắt, bị tù; Làm việc trong chế độ cũ; Tham gia hoặc có quan hệ với tổ chức nước ngoài; "
        "Thân nhân ở nước ngoài; Khác.",
    ),
    (
        "Kê khai tài sản",
        [P2, "Hằng năm", 2030, "15/12/2025", ""],
        f"Sheet Kê khai tài sản, dòng 3, cột C (Năm kê khai): Năm kê khai 2030 là năm trong tương lai "
        f"(năm nay là {today().year}).",
    ),
    (
        "Lấy phiếu tín nhiệm",
        [P1, "20/11/2023", "Kỳ họp thứ 15 HĐND tỉnh", "Giám đốc Sở", 50, 51, 48, 30, 15, 3],
        "Sheet Lấy phiếu tín nhiệm, dòng 3, cột F (Số có mặt): Số có mặt không thể lớn hơn số được "
        "triệu tập.",
    ),
]


@pytest.mark.parametrize(("sheet", "row", "message"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_a_bad_row_in_a_new_sheet_rejects_the_whole_file(
    ready: Any, tmp_path: Path, sheet: str, row: list[Any], message: str
) -> None:
    sheets = sheets_14()
    sheets[sheet].append(row)
    path = make_xlsx(tmp_path / "sai.xlsx", {"Cán bộ": PERSON_ROWS, **sheets})
    result = engine.run_import(path=path, acting_user=None)
    assert not result.ok
    assert [str(e) for e in result.errors] == [message]
    assert not Person.objects.exists()
    for model in NEW_MODELS:
        assert not model._default_manager.exists()
    assert not ObjectChange.objects.exists()


def test_sensitive_new_sheets_need_a_sensitive_grant(ready: Any, tmp_path: Path) -> None:
    from django.contrib.auth.models import User

    person = new_person(ready["A1"], born=dt.date(1980, 5, 17))
    officer = User.objects.create_user(username="officer_plain", password="x")
    Grant.objects.create(user=officer, role=Role.OFFICER, unit=ready["A"], include_sensitive=False)
    path = make_xlsx(
        tmp_path / "nhay-cam.xlsx",
        {
            "Lịch sử bản thân": [
                ["Số định danh cá nhân", "Nội dung", "Chi tiết"],
                [person.personal_id, "Khác", "Không có"],
            ],
            "Sức khỏe": [
                ["Số định danh cá nhân", "Ngày khám", "Tình trạng sức khỏe"],
                [person.personal_id, "10/04/2025", "Tốt"],
            ],
        },
    )
    result = engine.run_import(path=path, acting_user=officer)
    assert [(e.sheet, e.row) for e in result.errors] == [("Lịch sử bản thân", 2)]
    assert "dữ liệu nhạy cảm" in result.errors[0].message
    assert not HealthRecord.objects.exists() and not PersonalHistory.objects.exists()


def test_imported_dates_and_figures_are_checked_for_plausibility(ready: Any, tmp_path: Path) -> None:
    """A qualification in the future or before birth, an award before birth, a salary
    coefficient of 99 and a changed record's future date are refused, with the messages the
    forms and the API give (people/tests/test_plausibility.py)."""
    stored = new_person(ready["A1"], "Trần Văn Cường", sex="nam", born=dt.date(1990, 3, 1))
    Rating.objects.create(person=stored, system="chinh_quyen", year=2024, level="htt")
    year = today().year
    path = make_xlsx(
        tmp_path / "vo-ly.xlsx",
        {
            "Cán bộ": [
                [*PERSON_HEADERS, "Hệ số lương", "Phụ cấp chức vụ"],
                [P1, "Nguyễn Thị Hoa", "Nữ", "17/05/1980", "Kinh", "Không", "Công chức", "A1", 99, "0,3"],
            ],
            "Trình độ": [
                ["Số định danh cá nhân", "Trình độ", "Chuyên ngành", "Ngày cấp bằng"],
                [P1, "ThS", "Luật", "06/2030"],
                [P1, "ĐH", "Luật", "1979"],
                [stored.personal_id, "ĐH", "Luật", "1989"],
            ],
            "Khen thưởng": [
                ["Số định danh cá nhân", "Hình thức khen thưởng", "Năm"],
                [stored.personal_id, "Giấy khen", 1985],
            ],
            "Đánh giá": [
                ["Số định danh cá nhân", "Hệ thống", "Năm", "Mức xếp loại", "Ngày quyết định xếp loại"],
                [stored.personal_id, "Chính quyền", 2024, "HTTNV", f"15/01/{year + 1}"],
            ],
        },
    )
    result = engine.run_import(path=path, acting_user=None)
    assert [str(e) for e in result.errors] == [
        "Sheet Cán bộ, dòng 2, cột I (Hệ số lương): Hệ số lương 99,00 nằm ngoài khoảng của các bảng "
        "lương (từ 1,00 đến 11,00).",
        f"Sheet Trình độ, dòng 2, cột D (Ngày cấp bằng): Ngày cấp bằng 01/06/2030 là ngày trong tương "
        f"lai (hôm nay là {_now()}).",
        "Sheet Trình độ, dòng 3, cột D (Ngày cấp bằng): Ngày cấp bằng 01/01/1979 trước ngày sinh của cán "
        "bộ (17/05/1980).",
        "Sheet Trình độ, dòng 4, cột D (Ngày cấp bằng): Ngày cấp bằng 01/01/1989 trước ngày sinh của cán "
        "bộ (01/03/1990).",
        "Sheet Khen thưởng, dòng 2, cột C (Năm): Năm khen thưởng 1985 trước năm sinh của cán bộ (1990).",
        f"Sheet Đánh giá, dòng 2, cột E (Ngày quyết định xếp loại): Ngày quyết định xếp loại "
        f"15/01/{year + 1} là ngày trong tương lai (hôm nay là {_now()}).",
    ]
    assert not Person.objects.filter(personal_id=P1).exists()
    assert not Qualification.objects.exists() and not Award.objects.exists()
    assert Rating.objects.get(person=stored).decision_date is None


def test_planned_dates_may_lie_ahead(ready: Any, tmp_path: Path) -> None:
    """A planned retirement date and a tenure's last day may be in the future."""
    later = f"31/12/{today().year + 3}"
    path = make_xlsx(
        tmp_path / "du-kien.xlsx",
        {
            "Cán bộ": [
                [
                    *PERSON_HEADERS,
                    "Ngày thôi công tác",
                    "Lý do thôi công tác",
                    "Hệ số lương",
                    "Phụ cấp chức vụ",
                ],
                [
                    P1,
                    "Nguyễn Thị Hoa",
                    "Nữ",
                    "17/05/1980",
                    "Kinh",
                    "Không",
                    "Công chức",
                    "A1",
                    later,
                    "Nghỉ hưu theo chế độ",
                    "4,98",
                    0,
                ],
            ],
            "Chức vụ": [
                ["Số định danh cá nhân", "Đơn vị", "Chức danh", "Hình thức", "Từ ngày", "Đến hết ngày"],
                [P1, "A1", "Trưởng phòng", "Bổ nhiệm", "01/08/2022", later],
            ],
        },
    )
    result = engine.run_import(path=path, acting_user=None)
    assert result.ok, [str(e) for e in result.errors]


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_xlsx", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_cli_imports_the_new_sheets_and_reports_their_errors(ready: Any, tmp_path: Path) -> None:
    sheets = sheets_14()
    sheets["Kê khai tài sản"].append([P2, "Hằng năm", 2030, "15/12/2025", ""])
    bad = make_xlsx(tmp_path / "sai.xlsx", {"Cán bộ": PERSON_ROWS, **sheets})
    code, out, err = run_cli(str(bad))
    assert code == 1
    assert out.strip().splitlines() == [BAD_ROWS[5][2]]
    assert "Có 1 lỗi; chưa ghi gì" in err
    assert not Person.objects.exists() and not AssetDeclaration.objects.exists()
    good = make_xlsx(tmp_path / "dung.xlsx", {"Cán bộ": PERSON_ROWS, **sheets_14()})
    code, out, _err = run_cli(str(good))
    assert code == 0, out
    assert "Đã nhập: 2 hồ sơ mới, 0 hồ sơ cập nhật, 9 dòng thông tin" in out
    for model in NEW_MODELS:
        assert model._default_manager.exists(), model
