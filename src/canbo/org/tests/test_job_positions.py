"""The job-position catalogue's pages (vị trí việc làm) and the person's record pointing to one."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from canbo.conftest import REASON
from canbo.core.models import ObjectChange
from canbo.org.models import JobPosition
from canbo.people.models import Person
from canbo.people.tests.test_lost_updates import person_form_data

NEW = {
    "code": "VTVL-01", "name": "Chuyên viên tổ chức cán bộ", "kind": "chuyen_mon", "category": "cong_chuc",
    "level": "tinh", "title": "", "source": "Thông tư 01/2025", "reason": "Danh mục của tỉnh",
}  # fmt: skip


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_catalogue_pages_by_kind_of_user(users: dict) -> None:
    officer = client_for(users["officer_a"])
    assert officer.get("/don-vi/vi-tri-viec-lam/").status_code == 200
    assert officer.get("/don-vi/vi-tri-viec-lam/them/").status_code == 404
    assert officer.post("/don-vi/vi-tri-viec-lam/them/", NEW).status_code == 404
    assert not JobPosition.objects.exists()
    admin = client_for(users["admin"])
    r = admin.post("/don-vi/vi-tri-viec-lam/them/", NEW)
    assert r.status_code == 302
    position = JobPosition.objects.get(code="VTVL-01")
    listed = admin.get("/don-vi/vi-tri-viec-lam/").content.decode()
    assert (
        "Chuyên viên tổ chức cán bộ" in listed and "Chuyên môn, nghiệp vụ" in listed and "Công chức" in listed
    )
    # A duplicate code is refused in Vietnamese, nothing written.
    r = admin.post("/don-vi/vi-tri-viec-lam/them/", {"reason": REASON, **NEW, "code": "vtvl-01"})
    assert r.status_code == 400 and "đã có trong danh mục" in r.content.decode()
    assert JobPosition.objects.count() == 1
    # Corrected, with the reason in the change log.
    edit = f"/don-vi/vi-tri-viec-lam/{position.pk}/sua/"
    assert officer.get(edit).status_code == 404
    r = admin.post(
        edit,
        {**NEW, "name": "Chuyên viên về tổ chức cán bộ", "reason": "Sửa tên theo QĐ 5"},
    )
    assert r.status_code == 302
    assert JobPosition.objects.get(pk=position.pk).name == "Chuyên viên về tổ chức cán bộ"
    change = ObjectChange.objects.filter(object_id=position.pk, action=ObjectChange.Action.UPDATE).get()
    assert change.reason == "Sửa tên theo QĐ 5"
    assert admin.get("/don-vi/vi-tri-viec-lam/999999/sua/").status_code == 404
    bad = admin.post(
        "/don-vi/vi-tri-viec-lam/them/", {"reason": REASON, **NEW, "code": "X2", "kind": "khong-co"}
    )
    assert bad.status_code == 400


def test_the_person_form_points_to_a_catalogue_entry(users: dict, person_a: Person) -> None:
    position = JobPosition.objects.create(
        code="VTVL-02", name="Chuyên viên nội vụ", kind="chuyen_mon", category="cong_chuc"
    )
    c = client_for(users["officer_a"])
    data = person_form_data(c, person_a)
    assert "Chuyên viên nội vụ" in c.get(reverse("people:edit", args=[person_a.pk])).content.decode()
    r = c.post(
        reverse("people:edit", args=[person_a.pk]),
        {"reason": REASON, **data, "job_position_entry": position.pk},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Person.objects.get(pk=person_a.pk).job_position_entry == position
