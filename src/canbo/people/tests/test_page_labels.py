"""Labels, order and confirmations of the person page and its forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from canbo.assessment.models import Rating
from canbo.conftest import REASON, REASON_HEADERS
from canbo.people.forms import PersonForm
from canbo.people.models import FamilyRelation, HealthRecord, Person


@pytest.fixture
def officer(users: dict) -> Client:
    c = Client(headers=REASON_HEADERS)
    c.force_login(users["officer_a"])
    return c


def section(body: str, slug: str) -> str:
    return body.split(f'id="{slug}"')[1].split("</section>")[0]


def detail(c: Client, person: Person) -> str:
    r = c.get(reverse("people:detail", args=[person.pk]), {"ngay": "hom-nay"})
    assert r.status_code == 200
    return r.content.decode()


def test_ratings_are_not_labelled_as_discipline(officer: Client, person_a: Person) -> None:
    Rating.objects.create(person=person_a, system="chinh_quyen", year=2023, level="htt")
    Rating.objects.create(person=person_a, system="dang", year=2023, level="htxs")
    ratings = section(detail(officer, person_a), "danh-gia")
    assert "Kỷ luật" not in ratings
    assert "Xếp loại cán bộ, công chức, viên chức" in ratings and "Xếp loại đảng viên" in ratings
    form = officer.get(reverse("people:section_add", args=[person_a.pk, "danh-gia"])).content.decode()
    assert "Kỷ luật" not in form and "Loại đánh giá" in form


def test_family_is_listed_in_the_2c_order(officer: Client, person_a: Person) -> None:
    for relation, name, year in [
        ("anh_chi_em", "Nguyễn Văn Em", 1985),
        ("con", "Trần Thị Con", 2010),
        ("me_vo_chong", "Phạm Thị Mẹ Chồng", 1958),
        ("vo_chong", "Trần Văn Chồng", 1978),
        ("me", "Lê Thị Mẹ", 1955),
        ("bo", "Nguyễn Văn Bố", 1952),
    ]:
        FamilyRelation.objects.create(person=person_a, relation=relation, full_name=name, birth_year=year)
    family = section(detail(officer, person_a), "gia-dinh")
    order = [
        "Nguyễn Văn Bố",
        "Lê Thị Mẹ",
        "Trần Văn Chồng",
        "Trần Thị Con",
        "Nguyễn Văn Em",
        "Phạm Thị Mẹ Chồng",
    ]
    assert sorted(order, key=family.index) == order
    api = officer.get(f"/api/persons/{person_a.pk}/gia-dinh/").json()
    names = [r["full_name"] for r in api.get("results", api)]
    assert names == order


def test_height_and_weight_carry_their_units(officer: Client, person_a: Person) -> None:
    HealthRecord.objects.create(
        person=person_a, check_date=dt.date(2024, 3, 1), status="tot", height_cm=158, weight_kg=52
    )
    health = section(detail(officer, person_a), "suc-khoe")
    assert "158 cm" in health and "52 kg" in health
    form = officer.get(reverse("people:section_add", args=[person_a.pk, "suc-khoe"])).content.decode()
    assert "Chiều cao (cm)" in form and "Cân nặng (kg)" in form


def _person_post(person: Person, user: Any, **changes: Any) -> dict[str, Any]:
    form = PersonForm(instance=person, user=user)
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return {**data, "reason": REASON, **changes}


def test_saving_personal_information_is_confirmed(officer: Client, users: dict, person_a: Person) -> None:
    url = reverse("people:edit", args=[person_a.pk])
    r = officer.post(url, _person_post(person_a, users["officer_a"], other_names="Hoa Nhỏ"), follow=True)
    assert r.status_code == 200, r.content.decode()[:3000]
    assert "Đã lưu thông tin cá nhân." in r.content.decode()
    person_a.refresh_from_db()
    assert person_a.other_names == "Hoa Nhỏ"
    same = officer.post(url, _person_post(person_a, users["officer_a"]), follow=True).content.decode()
    assert "Không có thay đổi nào; hồ sơ giữ nguyên." in same and "Đã lưu thông tin cá nhân." not in same


def test_section_saves_and_deletes_are_confirmed(officer: Client, person_a: Person) -> None:
    add = reverse("people:section_add", args=[person_a.pk, "suc-khoe"])
    body = officer.post(
        add, {"reason": REASON, "check_date": "01/03/2024", "status": "tot"}, follow=True
    ).content.decode()
    assert "Đã thêm vào mục “Sức khỏe”." in body
    rec = HealthRecord.objects.get(person=person_a)
    edit = reverse("people:section_edit", args=[person_a.pk, "suc-khoe", rec.pk])
    body = officer.post(
        edit,
        {"reason": REASON, "check_date": "01/03/2024", "status": "kha", "row_version": rec.row_version},
        follow=True,
    ).content.decode()
    assert "Đã lưu thay đổi trong mục “Sức khỏe”." in body
    delete = reverse("people:section_delete", args=[person_a.pk, "suc-khoe", rec.pk])
    rec.refresh_from_db()
    body = officer.post(
        delete, {"reason": "Nhập trùng", "row_version": rec.row_version}, follow=True
    ).content.decode()
    assert "Đã xóa khỏi mục “Sức khỏe”." in body
