"""The due list (/luong/den-han/ and ./canbo salary due): S-4/S-8 due dates, delays, blocked
people with their verdicts, scope."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from canbo.conftest import kept_person_a, kept_tree, kept_users, official_header
from canbo.core.dates import today
from canbo.core.wordpage import place_date_line
from canbo.salary.models import Grade
from canbo.salary.selectors import due_list
from canbo.salary.tests.conftest import AS_OF, client_for, kept_staff

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")
# So is the salary tests' staff (salary/tests/conftest.py, staff_of_the_module).
staff = pytest.fixture(kept_staff, name="staff")

pytestmark = pytest.mark.django_db


def test_due_list_dates_targets_delays_and_blocked(users: dict, staff: dict, tree: dict) -> None:
    items = {i.name: i for i in due_list(users["officer_a"], tree["A"], AS_OF, 3)}
    assert set(items) == {"Đỗ Văn Đúng", "Đỗ Văn Chậm", "Đỗ Thị Thiếu", "Đỗ Văn Khung"}
    on_time = items["Đỗ Văn Đúng"]
    assert (on_time.kind, on_time.due, on_time.to_text) == (
        "regular",
        dt.date(2025, 2, 1),
        "bậc 4, hệ số 3,33",
    )
    delayed = items["Đỗ Văn Chậm"].to_dict()
    assert delayed["due_date"] == "2025-02-15"  # 15/8/2024 + 6 months for the reprimand
    assert [(d["rule"], d["months"]) for d in delayed["delays"]] == [("S-6", 6)]
    assert "7/QĐ-UBND" in delayed["delays"][0]["record"]
    unrated = items["Đỗ Thị Thiếu"]
    assert unrated.blocked and unrated.verdict.outcome == "cannot_decide"
    top = items["Đỗ Văn Khung"].to_dict()
    assert (top["kind"], top["due_date"], top["to"]["beyond_frame_percent"]) == (
        "beyond_frame",
        "2025-01-10",
        5,
    )


def test_the_outcome_read_from_the_schedule_is_the_verdicts(users: dict, staff: dict, tree: dict) -> None:
    """The list knows who is blocked before it builds any verdict; the verdict, built when shown,
    says the same (pass, warn for a delay, cannot decide for a missing year)."""
    from canbo.rules.engine.checks.salary import check_salary

    items = due_list(users["officer_a"], tree["A"], AS_OF, 3)
    outcomes = {i.name: i.outcome for i in items}
    assert outcomes == {i.name: check_salary(i.case).outcome for i in items}
    assert set(outcomes.values()) == {"pass", "warn", "cannot_decide"}


def test_page_lists_the_due_and_the_blocked_with_their_verdict(users: dict, staff: dict, tree: dict) -> None:
    r = client_for(users["officer_a"]).get(
        "/luong/den-han/", {"don_vi": tree["A"].pk, "ngay": "01/01/2025", "so_thang": 3}
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Đỗ Văn Đúng" in html and "01/02/2025" in html and "bậc 4, hệ số 3,33" in html
    assert "S-6 v1" in html and "7/QĐ-UBND" in html
    assert f'id="chan-{staff["unrated"].pk}"' in html
    assert "thiếu kết quả xếp loại cán bộ, công chức, viên chức năm 2023" in html
    assert "Lý Văn Khác" not in html


def test_page_shows_the_lists_in_pages_with_complete_counts_and_exports(
    users: dict, staff: dict, tree: dict, monkeypatch: Any
) -> None:
    """A province's list holds thousands (docs/performance.md "Due raises"): the page shows it in
    pages, the counts and the Excel list are of everyone."""
    from canbo.salary import views

    monkeypatch.setattr(views, "DUE_PER_PAGE", 2)
    monkeypatch.setattr(views, "BLOCKED_PER_PAGE", 1)
    c = client_for(users["officer_a"])
    query = {"don_vi": tree["A"].pk, "ngay": "01/01/2025", "so_thang": 3}
    first = c.get("/luong/den-han/", query).content.decode()
    assert "Đủ điều kiện (3 người)" in first and "(1 người)" in first
    assert "Đỗ Văn Khung" in first and "Đỗ Văn Đúng" in first and "Đỗ Văn Chậm" not in first
    assert "Trang 1/2, người thứ 1 đến 2." in first and "trang=2" in first
    second = c.get("/luong/den-han/", {**query, "trang": 2}).content.decode()
    assert "Đủ điều kiện (3 người)" in second and "Đỗ Văn Chậm" in second and "Đỗ Văn Khung" not in second
    assert 'name="chon"' in second  # the decision form covers the page shown
    assert "Trang 2/2, người thứ 3 đến 3." in second and "trang=1" in second
    assert "xuat=xlsx" in second and "trang=2&amp;xuat" not in second
    import io

    from openpyxl import load_workbook

    export = c.get("/luong/den-han/", {**query, "trang": 2, "xuat": "xlsx"})
    ws = load_workbook(io.BytesIO(export.content)).active
    assert ws is not None
    assert len([row for row in ws.iter_rows(min_row=5) if row[1].value]) == 4


def test_other_subtree_unit_is_refused_and_shows_nobody(users: dict, staff: dict, tree: dict) -> None:
    r = client_for(users["officer_b"]).get(
        "/luong/den-han/", {"don_vi": tree["A"].pk, "ngay": "01/01/2025", "so_thang": 3}
    )
    assert r.status_code == 400
    assert "không thuộc phạm vi được giao" in r.content.decode()
    assert "Đỗ Văn Đúng" not in r.content.decode()
    # from his own subtree's root he sees only his own people
    names = {i.name for i in due_list(users["officer_b"], tree["P"], AS_OF, 3)}
    assert names == {"Lý Văn Khác"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ngay": "31/02/2025", "so_thang": 3}, "Ngày tính không hợp lệ"),
        ({"ngay": "01/01/2025", "so_thang": 99}, "Số tháng không quá 24."),
        ({"ngay": "01/01/2025", "so_thang": "ba"}, "Số tháng phải là một số nguyên."),
    ],
)
def test_bad_input_is_400_in_vietnamese(users: dict, tree: dict, params: dict, message: str) -> None:
    r = client_for(users["officer_a"]).get("/luong/den-han/", {"don_vi": tree["A"].pk, **params})
    assert r.status_code == 400
    assert message in r.content.decode()


def test_empty_form_and_catalogue_pages_open(users: dict) -> None:
    c = client_for(users["leader_a"])
    assert c.get("/luong/den-han/").status_code == 200
    page = c.get("/luong/").content.decode()
    assert "Chuyên viên" in page and "2.340.000" in page and "01/07/2024" in page


def test_command_prints_the_due_list_as_json(staff: dict, tree: dict) -> None:
    out = StringIO()
    args = ["--as-of", "2025-01-01", "--unit", tree["A"].code, "--months", "3", "--json"]
    call_command("salary", "due", *args, stdout=out)
    data = json.loads(out.getvalue())
    assert data["count"] == 4
    first = data["items"][0]
    assert set(first) >= {"person_id", "personal_id", "kind", "due_date", "from", "to", "delays"}
    assert first["from"]["coefficient"] == str(Decimal("4.98"))  # Đỗ Văn Khung, due 10/01/2025
    everyone = StringIO()
    call_command("salary", "due", "--as-of", "2025-01-01", "--months", "3", "--json", stdout=everyone)
    assert json.loads(everyone.getvalue())["count"] == 5


def test_command_refuses_bad_input_in_vietnamese(capsys: Any) -> None:
    with pytest.raises(SystemExit):
        call_command("salary", "due", "--as-of", "2025-13-01", "--json")
    with pytest.raises(SystemExit):
        call_command("salary", "due", "--as-of", "2025-01-01", "--unit", "KHONGCO", "--json")


def test_api_due_list_catalogues_and_salary_rows(users: dict, staff: dict, tree: dict) -> None:
    c = client_for(users["officer_a"])
    r = c.get("/api/salary/due/", {"don_vi": tree["A"].pk, "ngay": "2025-01-01", "so_thang": 3})
    assert r.status_code == 200
    assert r.json()["count"] == 4
    refused = client_for(users["officer_b"]).get("/api/salary/due/", {"don_vi": tree["A"].pk, "so_thang": 3})
    assert refused.status_code == 400
    assert "không thuộc phạm vi được giao" in refused.content.decode()
    groups = c.get("/api/salary/groups/").json()["results"]
    a1 = next(g for g in groups if g["code"] == "A1")
    assert a1["coefficients"][0] == "2.34" and a1["coefficients"][-1] == "4.98"
    person = staff["on_time"]
    url = f"/api/persons/{person.pk}/dien-bien-luong/"
    grade = Grade.objects.get(code="01.003").pk
    row = {"grade": grade, "step": 4, "from_date": "2025-02-01", "step_since": "2025-02-01"}
    bad = c.post(url, {**row, "coefficient": "3.40"}, content_type="application/json")
    assert bad.status_code == 400
    assert "bậc 4 của Loại A1 có hệ số 3,33" in bad.content.decode()
    row.update({"coefficient": "3.33", "decision_number": "5/QĐ"})
    good = c.post(url, row, content_type="application/json")
    assert good.status_code == 201, good.content
    person.refresh_from_db()
    assert person.salary_step == 4


def test_due_list_reads_a_fixed_number_of_queries(
    users: dict, staff: dict, tree: dict, django_assert_max_num_queries: Any
) -> None:
    from canbo.rules.selectors import rulebook

    rulebook()  # the rulebook's own reads (versions, holidays) are the rules app's
    officer = users["officer_a"]
    due_list(officer, tree["A"], AS_OF, 3)  # grants warmed
    # measured on SQLite: 7 = the user's grants, grades, disciplines, the persons with a year
    # rated KHT, rows in force, then the persons who can be due and their ratings (one chunk;
    # one more pair per 5,000 of them). The persons and ratings of everyone else are not read:
    # that split (6 → 7) is what keeps the province's list under 1 s (docs/performance.md).
    # The rulebook is built once per process. 8 (session 9): the candidates' raises already
    # decided (rows starting after the date, decided on or before it), one more per chunk.
    with django_assert_max_num_queries(8):
        assert len(due_list(officer, tree["A"], AS_OF, 3)) == 4


def test_excel_export_lists_the_due_then_the_blocked(users: dict, staff: dict, tree: dict) -> None:
    import io

    from openpyxl import load_workbook

    r = client_for(users["officer_a"]).get(
        "/luong/den-han/", {"don_vi": tree["A"].pk, "ngay": "01/01/2025", "so_thang": 3, "xuat": "xlsx"}
    )
    assert r.status_code == 200
    assert r["Content-Disposition"].endswith('den-han-nang-luong-20250101.xlsx"')
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    rows = [[str(c.value) for c in row] for row in ws.iter_rows(min_row=5)]
    assert [row[1] for row in rows] == ["Đỗ Văn Khung", "Đỗ Văn Đúng", "Đỗ Văn Chậm", "Đỗ Thị Thiếu"]
    assert rows[2][5] == "15/02/2025" and "S-6 v1" in rows[2][9]
    assert "thiếu kết quả xếp loại" in rows[3][10]


def test_word_list_is_a4_with_the_due_then_the_blocked(users: dict, staff: dict, tree: dict) -> None:
    import io

    from docx import Document

    r = client_for(users["officer_a"]).get(
        "/luong/den-han/", {"don_vi": tree["A"].pk, "ngay": "01/01/2025", "so_thang": 3, "xuat": "docx"}
    )
    assert r.status_code == 200
    assert r["Content-Disposition"].endswith('den-han-nang-luong-20250101.docx"')
    doc = Document(io.BytesIO(r.content))
    section = doc.sections[0]
    width, height, left = section.page_width, section.page_height, section.left_margin
    assert width is not None and height is not None and left is not None
    assert {round(width.cm, 1), round(height.cm, 1)} == {21.0, 29.7}
    assert round(left.cm, 1) == 3.0
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "DANH SÁCH" in text and "từ ngày 01/01/2025 đến ngày 31/03/2025" in text
    assert "I. ĐỦ ĐIỀU KIỆN (3 người)" in text and "(1 người)" in text
    good, held = doc.tables[1], doc.tables[2]
    issuer, national = official_header(doc)  # the NĐ 30/2020 header of every CanBo document
    assert issuer == ["TỈNH THỬ NGHIỆM", tree["A"].name.upper(), "―――――――", "Số: ……/DS-…"]
    assert national[:3] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "―――――――"]
    assert national[3] == place_date_line("Thử nghiệm", today())
    names = [row.cells[1].text for row in good.rows[1:]]
    assert names == ["Đỗ Văn Khung", "Đỗ Văn Đúng", "Đỗ Văn Chậm"]
    assert "15/02/2025" in good.rows[3].cells[7].text and "7/QĐ-UBND" in good.rows[3].cells[8].text
    assert held.rows[1].cells[1].text == "Đỗ Thị Thiếu"
    assert "thiếu kết quả xếp loại" in held.rows[1].cells[8].text
    assert "{{" not in text and all("{" not in c.text for t in doc.tables for c in t._cells)


def test_section_reads_skip_the_grant_filter_only_when_it_adds_nothing(
    users: dict, staff: dict, tree: dict
) -> None:
    """The due list reads disciplines and ratings of persons already restricted to the user's
    scope: their own grant filter (a second join to the person and his unit) is dropped only when
    the grants let through exactly the persons' sections; a sensitive section keeps it."""
    from canbo.assessment.models import PoliticalConclusion, Rating
    from canbo.salary.selectors import _person_bound

    leader = users["leader_a"]  # a grant on A without sensitive data
    PoliticalConclusion.objects.create(
        person=staff["on_time"], conclusion_date=dt.date(2024, 1, 1), issuing_body="Ban Tổ chức"
    )
    assert not _person_bound(Rating, leader).query.where  # no filter: the persons are restricted
    assert list(_person_bound(PoliticalConclusion, leader)) == []  # restricted: not sensitive-granted
    assert _person_bound(PoliticalConclusion, users["officer_a"]).count() == 1
