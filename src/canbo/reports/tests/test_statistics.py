"""The number-and-quality report: exact counts as of a date, against the person list's own
filters; layouts as data; Excel and Word; drill-down; scope; bad input; the page's query count."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from docx import Document

from canbo.conftest import kept_person_a, kept_tree, kept_users, official_header
from canbo.core.errors import DomainError
from canbo.core.models import AccessLog
from canbo.lists.filters import apply_filters
from canbo.people.models import Person
from canbo.reports.layouts import layout_for, layouts, parse_layout
from canbo.reports.statistics import compute
from canbo.reports.tests.conftest import DAY, client_for

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

pytestmark = pytest.mark.django_db


def _col(report: Any, row: str, col: str) -> int:
    return report.counts.get((row, col), 0)


def _list_count(user: Any, unit: Any, day: dt.date, **data: Any) -> int:
    """A fresh computation of the same figure by the person list's filters."""
    return apply_filters(Person.objects.restrict(user), data, unit=unit, day=day, user=user).count()


def test_counts_as_of_31_december_match_the_list_filters(users: dict, staff: dict, tree: dict) -> None:
    officer, unit = users["officer_a"], tree["A"]
    report = compute(officer, unit, DAY, layout_for("hien-hanh", DAY))
    c = {col.key: _col(report, "tong", col.key) for col in report.layout.columns}
    # the retired-after-the-date man is in, the recruited-after-the-date woman is not
    assert c["tong"] == 5 == _list_count(officer, unit, DAY)
    assert c["nu"] == 2 == _list_count(officer, unit, DAY, gioi_tinh="nu")
    assert c["dtts"] == 1 == _list_count(officer, unit, DAY, dan_toc="thieu_so")
    assert c["ton_giao"] == 1 == _list_count(officer, unit, DAY, ton_giao="co")
    assert c["dang_vien"] == 1 == _list_count(officer, unit, DAY, dang_vien="co")
    assert c["tuoi_30"] == 1 == _list_count(officer, unit, DAY, tuoi_den=30)
    assert c["tuoi_41_50"] == 2 == _list_count(officer, unit, DAY, tuoi_tu=41, tuoi_den=50)
    assert c["tuoi_51_60"] == 1 == _list_count(officer, unit, DAY, tuoi_tu=51, tuoi_den=60)
    assert c["tuoi_60"] == 1 == _list_count(officer, unit, DAY, tuoi_tu=61)
    # grades of the date: Lò Văn An was chuyên viên then, chuyên viên chính only from 1/3/2025
    assert (c["ngach_cvcc"], c["ngach_cvc"], c["ngach_cv"], c["ngach_cs"]) == (1, 1, 1, 1)
    assert report.grade_today == 1  # Vũ Văn Cũ has no salary row: today's grade, said so
    # highest level obtained by the date (An's university degree came in January 2025)
    assert (c["cm_ths"], c["cm_dh"], c["cm_tc"], c["cm_sc"]) == (1, 0, 1, 3)
    assert c["llct_cc"] == 1
    # rows: the district's own staff, then its sub-units
    rows = {r.key: r for r in report.rows}
    own = _col(report, "rieng", "tong")
    a1 = next(r for r in report.rows if r.unit_id == tree["A1"].pk)
    assert (own, _col(report, a1.key, "tong")) == (1, 4)
    assert "tong" in rows
    assert set(report.cell("rieng", "tong")) == {staff["ba"].pk}


def test_counts_half_a_year_later_follow_the_changes(users: dict, staff: dict, tree: dict) -> None:
    later = dt.date(2025, 6, 30)
    report = compute(users["officer_a"], tree["A"], later, layout_for("hien-hanh", later))
    people = set(report.cell("tong", "tong"))
    assert staff["ba"].pk not in people and staff["moi"].pk in people
    assert _col(report, "tong", "tong") == 5 == _list_count(users["officer_a"], tree["A"], later)
    assert _col(report, "tong", "ngach_cvc") == 2  # An promoted
    assert staff["an"].pk in report.cell("tong", "cm_dh")


def test_other_subtree_is_not_counted_and_refused_on_the_page(users: dict, staff: dict, tree: dict) -> None:
    report = compute(users["officer_a"], tree["P"], DAY, layout_for("hien-hanh", DAY))
    assert staff["khac"].pk not in report.cell("tong", "tong")
    r = client_for(users["officer_b"]).get(
        "/bao-cao/so-luong-chat-luong/", {"don_vi": tree["A"].pk, "ngay": "31/12/2024"}
    )
    assert r.status_code == 400
    assert "Nguyễn Thị Hồng" not in r.content.decode()
    # a drill-down of another subtree's unit is refused the same way
    r = client_for(users["officer_b"]).get(
        "/bao-cao/so-luong-chat-luong/nguoi/", {"don_vi": tree["A"].pk, "hang": "tong", "cot": "tong"}
    )
    assert r.status_code == 400


def test_ages_compared_as_birth_dates_agree_with_age_at() -> None:
    """The database compares birth dates (``born_by``); the same ages as ``core.dates.age_at``, a
    29 February birthday and a report date of 29 February included."""
    from canbo.core.dates import age_at
    from canbo.reports.statistics import born_by

    births = [dt.date(1964, 2, 29), dt.date(1964, 3, 1), dt.date(1964, 2, 28), dt.date(1995, 12, 31)]
    births += [dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28) for i in range(200)]
    for day in (dt.date(2024, 12, 31), dt.date(2025, 2, 28), dt.date(2024, 2, 29), dt.date(2025, 3, 1)):
        for years in (30, 40, 50, 60, 61):
            limit = born_by(day, years)
            for birth in births:
                assert (birth <= limit) == (age_at(birth, day) >= years), (birth, day, years)


def test_layouts_are_data_and_a_bad_one_is_refused() -> None:
    assert set(layouts()) == {"hien-hanh", "bm01", "bm02"}
    assert layout_for(None, dt.date(2020, 12, 31)).code == "bm01"
    assert layout_for(None, dt.date(2025, 12, 31)).code == "hien-hanh"
    with pytest.raises(DomainError, match="không được hỗ trợ"):
        parse_layout(
            {"code": "x", "name": "x", "form": "x", "basis": "x", "confidence": "x", "rows": "units",
             "column": [{"key": "a", "label": "A", "when": {"mau_mat": "xanh"}}]},
            "thu.toml",
        )  # fmt: skip
    with pytest.raises(DomainError, match="mã trình độ"):
        parse_layout(
            {"code": "x", "name": "x", "form": "x", "basis": "x", "confidence": "x", "rows": "units",
             "column": [{"key": "a", "label": "A",
                         "when": {"level": {"kind": "chuyen_mon", "codes": ["pho_thong"]}}}]},
            "thu.toml",
        )  # fmt: skip


def test_bm02_counts_commune_people_by_category(users: dict, tree: dict) -> None:
    from canbo.conftest import make_unit, new_person
    from canbo.org.choices import Level
    from canbo.reports.tests.conftest import event

    commune = make_unit(tree["A"], "X1", "Xã Một", level=Level.COMMUNE)
    p = new_person(commune, "Hà Thị Xã")
    Person.objects.filter(pk=p.pk).update(category="can_bo")
    event(p, "tuyen_dung", dt.date(2010, 1, 1))
    q = new_person(commune, "Hà Văn Xã", sex="nam")
    event(q, "tuyen_dung", dt.date(2010, 1, 1))
    report = compute(users["officer_a"], tree["A"], dt.date(2020, 12, 31), layout_for("bm02", DAY))
    assert report.cell("can_bo_xa", "tong") == [p.pk]
    assert report.cell("cong_chuc_xa", "tong") == [q.pk]
    assert _col(report, "tong", "tong") == 2  # district staff are not in the commune form


def test_page_links_every_cell_to_its_people(users: dict, staff: dict, tree: dict) -> None:
    c = client_for(users["officer_a"])
    r = c.get("/bao-cao/so-luong-chat-luong/", {"don_vi": tree["A"].pk, "ngay": "31/12/2024"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Biểu tổng hợp số lượng, chất lượng" in html and "Chuyên viên chính và tương đương" in html
    assert "1 người chưa có diễn biến lương" in html
    r = c.get(
        "/bao-cao/so-luong-chat-luong/nguoi/",
        {"don_vi": tree["A"].pk, "ngay": "31/12/2024", "mau": "hien-hanh", "hang": "tong", "cot": "ngach_cv"},
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Lò Văn An" in html and "Nguyễn Thị Hồng" not in html
    page = c.get(
        "/bao-cao/so-luong-chat-luong/", {"don_vi": tree["A"].pk, "ngay": "31/12/2024"}
    ).content.decode()
    link = (
        f"/bao-cao/so-luong-chat-luong/nguoi/?don_vi={tree['A'].pk}&amp;ngay=31%2F12%2F2024&amp;mau=hien-hanh"
        "&amp;hang=tong&amp;cot=ngach_cv"
    )
    assert f'<a href="{link}">1</a>' in page


def test_page_says_the_layout_is_canbos_reading_until_checked(users: dict, staff: dict, tree: dict) -> None:
    """The current form's layout is not confirmed against the appendix of TT 18/2025/TT-BNV
    (reports/data/README.md): the page says so; the old BM01 says it rests on a secondary source."""
    c = client_for(users["officer_a"])
    html = c.get(
        "/bao-cao/so-luong-chat-luong/", {"don_vi": tree["A"].pk, "ngay": "31/12/2024"}
    ).content.decode()
    assert "cách hiểu của CanBo, chưa được đối chiếu với phụ lục biểu mẫu của thông tư" in html
    old = c.get(
        "/bao-cao/so-luong-chat-luong/", {"don_vi": tree["A"].pk, "ngay": "31/12/2020", "mau": "bm01"}
    ).content.decode()
    assert "nguồn thứ cấp, chưa được đối chiếu với phụ lục biểu mẫu" in old
    assert "cách hiểu của CanBo" not in old


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ngay": "31/02/2024"}, "Ngày báo cáo không hợp lệ"),
        ({"ngay": "31/12/2024", "mau": "bm99"}, "Không có mẫu báo cáo “bm99”"),
        ({"ngay": "31/12/2024", "xuat": "pdf"}, "Định dạng xuất phải là"),
    ],
)
def test_bad_input_is_400_in_vietnamese(users: dict, tree: dict, params: dict, message: str) -> None:
    r = client_for(users["officer_a"]).get(
        "/bao-cao/so-luong-chat-luong/", {"don_vi": tree["A"].pk, **params}
    )
    assert r.status_code == 400
    assert message in r.content.decode()


def test_bad_cell_is_400(users: dict, tree: dict) -> None:
    r = client_for(users["officer_a"]).get(
        "/bao-cao/so-luong-chat-luong/nguoi/", {"don_vi": tree["A"].pk, "hang": "tong", "cot": "khong_co"}
    )
    assert r.status_code == 400
    assert "Ô báo cáo không hợp lệ" in r.content.decode()


def test_excel_and_word_in_the_form_layout_and_recorded(users: dict, staff: dict, tree: dict) -> None:
    c = client_for(users["officer_a"])
    base = {"don_vi": tree["A"].pk, "ngay": "31/12/2024", "mau": "hien-hanh"}
    r = c.get("/bao-cao/so-luong-chat-luong/", {**base, "xuat": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = values[6]
    assert header[0] == "STT" and header[2] == "Tổng số" and "Trong đó" in header
    total_row = next(v for v in values if v[1] == "Tổng cộng")
    layout = layout_for("hien-hanh", DAY)
    report = compute(users["officer_a"], tree["A"], DAY, layout)
    assert total_row[2:] == report.row_counts(report.rows[0])
    r = c.get("/bao-cao/so-luong-chat-luong/", {**base, "xuat": "docx"})
    doc = Document(io.BytesIO(r.content))
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert section.page_width > section.page_height  # A4 landscape
    assert round(section.page_width.mm) == 297 and doc.styles["Normal"].font.name == "Times New Roman"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Tính đến ngày 31/12/2024" in text
    issuer, national = official_header(doc)  # the NĐ 30/2020 header of every CanBo document
    assert issuer == ["TỈNH THỬ NGHIỆM", "HUYỆN A", "―――――――"]
    assert national[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and national[-1].startswith(
        "Thử nghiệm, ngày "
    )
    table = doc.tables[1]
    total = next(row for row in table.rows if row.cells[1].text == "Tổng cộng")
    assert [int(c.text) for c in total.cells[2:]] == report.row_counts(report.rows[0])
    reads = list(
        AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT)
        .order_by("pk")
        .values_list("user_id", "detail__document", "detail__file_format", "count")
    )
    assert reads == [
        (users["officer_a"].pk, "so_luong_chat_luong", "xlsx", 5),
        (users["officer_a"].pk, "so_luong_chat_luong", "docx", 5),
    ]


def test_report_page_query_count_is_pinned(
    users: dict, staff: dict, tree: dict, django_assert_num_queries: Any
) -> None:
    c = client_for(users["officer_a"])
    params = {"don_vi": tree["A"].pk, "ngay": "31/12/2024"}
    c.get("/bao-cao/so-luong-chat-luong/", params)  # warm the unit-label index
    # 8 since the counts are made in the database: the persons, posts, qualifications, Party
    # memberships, salary rows and grade catalogue (7 reads) are one statement (was 13).
    with django_assert_num_queries(8):
        r = c.get("/bao-cao/so-luong-chat-luong/", params)
    assert r.status_code == 200
