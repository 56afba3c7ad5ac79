"""The person list: combined filters as of a date, columns, saved lists, Excel export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from canbo.careers.models import Tenure
from canbo.conftest import kept_person_a, kept_tree, kept_users, new_person
from canbo.core.models import AccessLog
from canbo.lists.models import SavedList
from canbo.people.models import Ethnicity, PartyMembership, Person, Qualification

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def names(response: Any) -> set[str]:
    body = response.content.decode()
    return {n for n in ("Nguyễn Thị Hoa", "Giàng A Páo", "Lê Văn Tám", "Trần Văn Bình") if n in body}


@pytest.fixture
def people(tree: dict, title: Any, person_a: Person, person_b: Person) -> dict[str, Person]:
    pao = new_person(tree["A"], "Giàng A Páo", sex="nam", born=dt.date(1992, 3, 1))
    pao.ethnicity = Ethnicity.objects.get(code="08")
    pao.save()
    tam = new_person(tree["A1"], "Lê Văn Tám", sex="nam", born=dt.date(1966, 8, 8))
    Tenure.objects.create(
        person=tam, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2018, 1, 1)
    )
    Qualification.objects.create(
        person=tam, kind="chuyen_mon", level="thac_si", level_rank=50, obtained_date=dt.date(2012, 1, 1)
    )
    Qualification.objects.create(
        person=person_a,
        kind="ly_luan_chinh_tri",
        level="trung_cap",
        level_rank=20,
        obtained_date=dt.date(2022, 6, 1),
    )
    PartyMembership.objects.create(person=tam, admission_date=dt.date(1995, 5, 19))
    return {"hoa": person_a, "pao": pao, "tam": tam, "binh": person_b}


def test_filters_combine_and_respect_grants(users: dict, people: dict) -> None:
    c = client_for(users["officer_a"])
    assert names(c.get("/can-bo/")) == {
        "Nguyễn Thị Hoa",
        "Giàng A Páo",
        "Lê Văn Tám",
    }  # not Bình (district B)
    assert names(c.get("/can-bo/", {"gioi_tinh": "nam"})) == {"Giàng A Páo", "Lê Văn Tám"}
    assert names(c.get("/can-bo/", {"gioi_tinh": "nam", "dan_toc": "thieu_so"})) == {"Giàng A Páo"}
    assert names(c.get("/can-bo/", {"dan_toc": "08"})) == {"Giàng A Páo"}
    assert names(c.get("/can-bo/", {"nhom_chuc_danh": "truong_phong"})) == {"Lê Văn Tám"}
    assert names(c.get("/can-bo/", {"chuyen_mon": "50"})) == {"Lê Văn Tám"}
    assert names(c.get("/can-bo/", {"dang_vien": "co"})) == {"Lê Văn Tám"}
    assert names(c.get("/can-bo/", {"dang_vien": "khong"})) == {"Nguyễn Thị Hoa", "Giàng A Páo"}
    assert names(c.get("/can-bo/", {"q": "le van tam", "gioi_tinh": "nu"})) == set()


def test_age_and_qualifications_are_read_as_of_the_date(users: dict, people: dict) -> None:
    c = client_for(users["officer_a"])
    # Born 17/05/1980: 39 on 16/05/2020, 40 on 17/05/2020.
    assert "Nguyễn Thị Hoa" in names(c.get("/can-bo/", {"tuoi_den": "39", "ngay": "16/05/2020"}))
    assert "Nguyễn Thị Hoa" not in names(c.get("/can-bo/", {"tuoi_den": "39", "ngay": "17/05/2020"}))
    assert names(c.get("/can-bo/", {"tuoi_tu": "35", "tuoi_den": "45", "ngay": "01/01/2021"})) == {
        "Nguyễn Thị Hoa"
    }
    # Intermediate political theory obtained 01/06/2022.
    assert names(c.get("/can-bo/", {"ly_luan_chinh_tri": "20", "ngay": "31/05/2022"})) == set()
    assert names(c.get("/can-bo/", {"ly_luan_chinh_tri": "20", "ngay": "01/06/2022"})) == {"Nguyễn Thị Hoa"}
    # The post started 01/01/2018.
    assert names(c.get("/can-bo/", {"nhom_chuc_danh": "truong_phong", "ngay": "31/12/2017"})) == set()


def test_bad_filters_are_400_in_vietnamese(users: dict, people: dict) -> None:
    c = client_for(users["officer_a"])
    r = c.get("/can-bo/", {"tuoi_tu": "50", "tuoi_den": "30"})
    assert r.status_code == 400 and "Tuổi từ" in r.content.decode()
    assert c.get("/can-bo/", {"gioi_tinh": "khac"}).status_code == 400
    assert c.get("/can-bo/", {"don_vi": "abc"}).status_code == 400
    assert c.get("/can-bo/", {"don_vi": str(people["binh"].managing_unit_id)}).status_code == 404
    assert c.get("/can-bo/xuat-excel/", {"tuoi_tu": "x"}).status_code == 400


def test_columns_are_chosen(users: dict, people: dict) -> None:
    body = client_for(users["officer_a"]).get("/can-bo/", {"cot": ["ho_ten", "ngay_vao_dang", "chuyen_mon"]})
    text = body.content.decode()
    assert "<th>Ngày vào Đảng</th>" in text and "19/05/1995" in text and "Thạc sĩ" in text
    assert "<th>Dân tộc</th>" not in text


def test_a_page_reads_only_what_its_columns_show(people: dict, django_assert_num_queries: Any) -> None:
    from canbo.lists.columns import BY_KEY, build_context, rows

    persons = list(Person.objects.order_by("pk"))
    day = dt.date(2026, 1, 1)
    with django_assert_num_queries(0):  # name and birth date: nothing more to read
        assert rows(persons, [BY_KEY["ho_ten"], BY_KEY["ngay_sinh"]], day)
    with django_assert_num_queries(1):  # one qualification kind, the others not read
        context = build_context(persons, day, ["ho_ten", "chuyen_mon"])
    assert set(context.best) == {(people["tam"].pk, "chuyen_mon")}
    assert not context.tenures and not context.party
    everything = build_context(persons, day)  # every column's facts, as before
    assert (people["hoa"].pk, "ly_luan_chinh_tri") in everything.best
    assert people["tam"].pk in everything.tenures and people["tam"].pk in everything.party


def test_export_xlsx_has_header_lines_columns_and_is_logged(users: dict, people: dict) -> None:
    c = client_for(users["officer_a"])
    r = c.get("/can-bo/xuat-excel/", {"gioi_tinh": "nam", "cot": ["ho_ten", "chuc_vu"], "ngay": "01/01/2024"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.getvalue())).active
    assert ws is not None
    values = [[cell for cell in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "DANH SÁCH TRÍCH NGANG CÁN BỘ"
    assert values[1][0] == "Tính đến ngày: 01/01/2024"
    assert "Giới tính: Nam" in [row[0] for row in values]
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    assert list(values[header]) == ["STT", "Họ và tên", "Chức vụ"]
    data = [row[1] for row in values[header + 1 :]]
    assert data == ["Giàng A Páo", "Lê Văn Tám"]  # Vietnamese order by given name: Páo before Tám
    assert "Trần Văn Bình" not in data
    # The read log: one row per person exported, with who and what.
    reads = AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT)
    exported = Person.objects.filter(full_name__in=["Giàng A Páo", "Lê Văn Tám"])
    assert {r.person_id for r in reads} == {p.pk for p in exported}
    assert reads.count() == 2 and {r.user_id for r in reads} == {users["officer_a"].pk}
    assert reads.first().detail["row_count"] == 2  # type: ignore[union-attr]


def test_an_export_chunk_loads_only_the_fields_its_columns_read(
    people: dict, django_assert_num_queries: Any, django_assert_max_num_queries: Any
) -> None:
    """The export loads persons with ``only()`` the fields its columns name (PERSON_FIELDS) and
    prefetches their relations: a field missing there would cost a query per person."""
    from canbo.lists.columns import COLUMNS, PERSON_RELATIONS, person_fields, rows

    keys = [c.key for c in COLUMNS]
    fields = person_fields(keys)
    assert fields is not None
    relations = sorted(set(PERSON_RELATIONS.values()))
    qs = Person.objects.only(*fields).prefetch_related(*relations).order_by("sort_key", "id")
    with django_assert_max_num_queries(1 + len(relations)):  # no query for a relation all empty
        persons = list(qs)
    from canbo.org.selectors import unit_index

    unit_index()  # the process's unit labels, built once (org.selectors.unit_index)
    # posts, qualifications, Party memberships, and the unit table's freshness check of the labels
    with django_assert_num_queries(4):
        loaded = rows(persons, COLUMNS, dt.date(2026, 1, 1))
    full = Person.objects.select_related(*relations).order_by("sort_key", "id")
    assert loaded == rows(list(full), COLUMNS, dt.date(2026, 1, 1))
    assert person_fields(["ho_ten", "a_column_nobody_declared"]) is None  # then every field


def test_export_of_the_whole_list_streams_every_row_in_chunks(
    users: dict, people: dict, monkeypatch: Any
) -> None:
    """No filter: every person of the grants, read in chunks (here of 2), streamed from a file."""
    from canbo.lists import exports

    monkeypatch.setattr(exports, "CHUNK", 2)
    c = client_for(users["officer_a"])
    r = c.get("/can-bo/xuat-excel/")
    assert r.status_code == 200 and r.streaming
    assert r["Content-Disposition"].startswith('attachment; filename="danh-sach-can-bo-')
    ws = load_workbook(io.BytesIO(r.getvalue())).active
    assert ws is not None
    values = list(ws.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    assert str(values[1][0]).startswith("Tính đến ngày: ")  # the as-of date above the table
    assert [row[0] for row in values[header + 1 :]] == [1, 2, 3]
    assert {row[1] for row in values[header + 1 :]} == {"Nguyễn Thị Hoa", "Giàng A Páo", "Lê Văn Tám"}
    assert AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).count() == 3
    # A list with no filter can be saved too (it answered 500, as the export's record did).
    assert c.post("/danh-sach/", {"ten": "Tất cả", "query": ""}).status_code == 302
    assert SavedList.objects.get(owner=users["officer_a"]).filters == {}


def test_export_writes_user_text_as_text_never_a_formula(users: dict, people: dict) -> None:
    """A name "=HYPERLINK(…)" (the probe's) and text starting with + - @ stay text; numbers stay
    numbers."""
    link = '=HYPERLINK("http://example.invalid","Hoa")'
    Person.objects.filter(pk=people["hoa"].pk).update(
        full_name=link, home_town_text="+84 Lào Cai", grade_name="@Chuyên viên"
    )
    Person.objects.filter(pk=people["tam"].pk).update(home_town_text="-1+2", grade_name="#N/A")
    c = client_for(users["officer_a"])
    r = c.get("/can-bo/xuat-excel/", {"cot": ["ho_ten", "tuoi", "que_quan", "ngach"]})
    ws = load_workbook(io.BytesIO(r.getvalue())).active
    assert ws is not None
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    for text in (link, "+84 Lào Cai", "@Chuyên viên", "-1+2", "#N/A"):
        assert cells[text].data_type == "s", text
        assert cells[text].quotePrefix, text
    ages = [row[2].value for row in ws.iter_rows() if isinstance(row[0].value, int)]
    assert ages and all(isinstance(a, int) for a in ages)


def test_an_all_columns_export_writes_each_value_with_its_type(users: dict, people: dict) -> None:
    """Every column: text as text (a name "=1+2" too, never a formula), numbers as numbers, the
    Party admission date as a date shown dd/mm/yyyy (XlsxWriter, lists/exports.py)."""
    from canbo.lists.columns import COLUMNS

    Person.objects.filter(pk=people["tam"].pk).update(full_name="=1+2", salary_coefficient="4.98")
    c = client_for(users["officer_a"])
    r = c.get("/can-bo/xuat-excel/", {"cot": [col.key for col in COLUMNS], "ngay": "01/01/2024"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.getvalue())).active
    assert ws is not None
    header = next(row for row in ws.iter_rows() if row[0].value == "STT")
    assert [cell.value for cell in header] == ["STT", *[col.label for col in COLUMNS]]
    column = {cell.value: i for i, cell in enumerate(header)}
    tam = next(row for row in ws.iter_rows() if row[1].value == "=1+2")
    name, age = tam[column["Họ và tên"]], tam[column["Tuổi"]]
    assert name.data_type == "s" and name.quotePrefix  # text, never a formula
    assert isinstance(tam[0].value, int) and age.value == 57 and isinstance(age.value, int)
    assert tam[column["Hệ số lương"]].value == 4.98
    admitted = tam[column["Ngày vào Đảng"]]
    assert admitted.value == dt.datetime(1995, 5, 19) and admitted.number_format == "dd/mm/yyyy"
    assert tam[column["Ngày sinh"]].value == "08/08/1966"  # a birth date may be partial: text
    assert tam[column["Giới tính"]].value == "Nam" and tam[column["Chức vụ"]].data_type == "s"
    at = header[0].row
    assert at is not None and ws.freeze_panes == f"A{at + 1}"  # the header stays on screen
    assert ws.print_title_rows == f"${at}:${at}"  # and on every printed page
    assert ws.column_dimensions["B"].width > 20  # the name column is wide


def test_saved_lists_are_private(users: dict, people: dict) -> None:
    c = client_for(users["officer_a"])
    r = c.post(
        "/danh-sach/", {"ten": "Nam, đảng viên", "query": "gioi_tinh=nam&dang_vien=co&cot=ho_ten&cot=tuoi"}
    )
    assert r.status_code == 302
    saved = SavedList.objects.get(owner=users["officer_a"])
    assert saved.filters == {"gioi_tinh": ["nam"], "dang_vien": ["co"]} and saved.columns == [
        "ho_ten",
        "tuoi",
    ]
    opened = c.get(f"/danh-sach/{saved.pk}/", follow=True)
    assert names(opened) == {"Lê Văn Tám"}
    other = client_for(users["officer_b"])
    assert other.get(f"/danh-sach/{saved.pk}/").status_code == 404
    assert other.post(f"/danh-sach/{saved.pk}/xoa/").status_code == 404
    assert c.post("/danh-sach/", {"ten": " ", "query": ""}).status_code == 400
    assert c.post("/danh-sach/", {"ten": "x", "query": "tuoi_tu=abc"}).status_code == 400
    assert c.post(f"/danh-sach/{saved.pk}/xoa/").status_code == 302
    assert not SavedList.objects.exists()


def test_list_query_count_is_bounded(
    users: dict, tree: dict, title: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        p = new_person(tree["A1"], f"Phạm Văn Số{i}", sex="nam")
        Tenure.objects.create(
            person=p, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2020, 1, 1)
        )
        Qualification.objects.create(
            person=p, kind="chuyen_mon", level="dai_hoc", level_rank=40, obtained_date=dt.date(2010, 1, 1)
        )
    all_columns = [
        "ho_ten",
        "ngay_sinh",
        "tuoi",
        "que_quan",
        "chuc_vu",
        "don_vi",
        "chuyen_mon",
        "ngay_vao_dang",
        "don_vi_ho_so",
    ]
    c = client_for(users["officer_a"])
    with django_assert_max_num_queries(15):
        r = c.get("/can-bo/", {"cot": all_columns})
    assert r.status_code == 200
