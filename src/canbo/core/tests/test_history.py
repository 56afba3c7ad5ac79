"""The change history shows the form's labels and the page's values (issue 14)."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.test import Client

from canbo.conftest import make_unit
from canbo.org.choices import UnitKind
from canbo.people.models import Person, Qualification
from canbo.people.services import person_update, section_create

RAW = (
    "field_of_study",
    "level_rank",
    "sort_key",
    "search_name",
    "row_version",
    "managing_unit",
    "revolution_date",
    "False",
    "True",
    "2010-03-15",
    "1980-01-01",
    "cong_chuc",
    "vien_chuc",
    "dai_hoc",
    "chinh_quy",
    "numchild",
)


def test_a_person_history_shows_labels_and_page_values(users: dict, tree: dict, person_a: Person) -> None:
    admin = users["admin"]
    # Two units named alike: the history names the new one with its parent.
    vhxh_a = make_unit(tree["A"], "A-VH", "Phòng Văn hóa – Xã hội", kind=UnitKind.DIVISION)
    make_unit(tree["B"], "B-VH", "Phòng Văn hóa – Xã hội", kind=UnitKind.DIVISION)
    person = Person.objects.get(pk=person_a.pk)
    person_update(
        acting_user=admin,
        person=person,
        changes={
            "managing_unit": vhxh_a,
            "category": "vien_chuc",
            "revolution_date": dt.date(2010, 3, 15),
            "salary_coefficient": decimal.Decimal("4.65"),
            "birth_date": dt.date(1980, 1, 1),
            "birth_precision": "y",
        },
        reason="QĐ 12/QĐ-UBND",
    )
    section_create(
        acting_user=admin,
        person=Person.objects.get(pk=person_a.pk),
        instance=Qualification(
            kind="chuyen_mon",
            level="dai_hoc",
            field_of_study="Luật",
            mode="chinh_quy",
            obtained_date=dt.date(2003, 6, 30),
        ),
    )
    client = Client()
    client.force_login(admin)
    html = client.get(f"/can-bo/{person_a.pk}/lich-su/").content.decode()
    table = html[html.index("<table") :]
    for label in (
        "Đơn vị quản lý hồ sơ",
        "Phòng Văn hóa – Xã hội, Huyện A",
        "Phòng Nội vụ huyện A",
        "Viên chức",
        "Công chức",
        "Ngày tham gia cách mạng",
        "15/03/2010",
        "4,65",
        "Ngày sinh",
        "17/05/1980",
        '<td class="after">1980</td>',
        "Chuyên ngành",
        "Luật",
        "Đại học",
        "Chính quy",
        "30/06/2003",
    ):
        assert label in table, label
    for raw in RAW:
        assert raw not in table, raw
    # Internal fields are left out, and so is a precision shown with its date.
    assert "Khóa sắp xếp tên" not in table and "Thứ bậc trình độ" not in table
    assert "Độ chính xác ngày sinh" not in table and "Tên không dấu" not in table


def test_a_unit_history_shows_labels(users: dict, tree: dict) -> None:
    from canbo.org.restructuring import unit_rename

    unit_rename(acting_user=users["admin"], unit=tree["A1"], new_name="Phòng Nội vụ", on=dt.date(2025, 7, 1))
    client = Client()
    client.force_login(users["admin"])
    html = client.get(f"/don-vi/{tree['A1'].pk}/").content.decode()
    table = html[html.index("Lịch sử thay đổi của đơn vị") :]
    assert "Tên đơn vị" in table and "Phòng Nội vụ huyện A" in table
    for raw in ("numchild", "path", "depth", "name:", "valid_from"):
        assert raw not in table, raw


def test_describe_changes_reads_related_labels_once_per_model(
    users: dict, tree: dict, django_assert_max_num_queries: Any
) -> None:
    from canbo.conftest import new_person
    from canbo.core.history import describe_changes
    from canbo.core.models import ObjectChange

    for i in range(5):
        new_person(tree["A1"], f"Lê Văn {chr(65 + i)}", acting_user=users["admin"])
    entries = list(ObjectChange.objects.select_related("content_type"))
    # Units (the labels' stamp and, the first time, the labels), ethnicities, religions: a fixed
    # number of queries whatever the number of entries.
    with django_assert_max_num_queries(4):
        described = describe_changes(entries)
    assert all(e.changes for e in described)  # type: ignore[attr-defined]


def test_the_admin_shows_a_change_as_the_history_does(users: dict, person_a: Person) -> None:
    from canbo.core.models import ObjectChange

    entry = ObjectChange.objects.filter(related_person_id=person_a.pk).first()
    assert entry is not None
    client = Client()
    client.force_login(users["admin"])
    html = client.get(f"/quan-tri/core/objectchange/{entry.pk}/change/").content.decode()
    assert "Họ và tên khai sinh" in html and "Nguyễn Thị Hoa" in html
    assert "sort_key" not in html and "search_name" not in html


def test_the_source_of_a_change_is_said_in_vietnamese(users: dict, person_a: Person) -> None:
    # The demo's history showed "Trình tạo dữ liệu mẫu (generator)" and "hệ thống (command)".
    from canbo.core.context import bind_context

    for source, name in (("generator", "Tên Mới Một"), ("command", "Tên Mới Hai"), ("import", "Tên Mới Ba")):
        with bind_context(source=source):
            person_a.refresh_from_db()
            person_update(acting_user=users["admin"], person=person_a, changes={"full_name": name})
    c = Client()
    c.force_login(users["officer_a"])
    body = c.get(f"/can-bo/{person_a.pk}/lich-su/").content.decode()
    for raw in ("(generator)", "(command)", "(import)"):
        assert raw not in body
    assert "(lệnh quản trị)" in body and "(nhập từ tệp)" in body
    # Not "Trình tạo dữ liệu mẫu (dữ liệu mẫu)": the actor's name says it already.
    from canbo.core.models import ObjectChange

    entry = ObjectChange(user_name="Trình tạo dữ liệu mẫu", source="generator")
    assert entry.source_note() == ""
    assert ObjectChange(user_name="admin", source="generator").source_note() == "dữ liệu mẫu"
