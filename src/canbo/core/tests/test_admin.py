"""Catalogue edits in the admin are logged like every other change."""

from __future__ import annotations

from django.test import Client

from canbo.core.models import ObjectChange
from canbo.org.models import Title


def test_title_created_in_admin_is_logged(users: dict) -> None:
    c = Client()
    c.force_login(users["admin"])
    r = c.post(
        "/quan-tri/org/title/add/",
        {
            "code": "GD",
            "name": "Giám đốc sở",
            "level": "tinh",
            "group": "truong_co_quan",
            "block": "nha_nuoc",
            "is_key": "",
            "is_leader": "on",
            "head_kind": "truong",
            "management_scope": "btv_tinh_uy",
            "rank": "60",
            "standards": "",
        },
    )
    assert r.status_code == 302, r.content.decode()[:500]
    t = Title.objects.get(code="GD")
    log = ObjectChange.objects.get(object_id=t.pk, content_type__model="title")
    assert log.action == "create" and log.user_name == "admin"
    assert Client().get("/quan-tri/").status_code == 302


def test_pages_without_a_date_show_the_remembered_one(users: dict) -> None:
    c = Client()
    c.force_login(users["officer_a"])
    c.get("/don-vi/", {"ngay": "11/12/2020"})
    body = c.get("/danh-sach/").content.decode()
    assert 'value="11/12/2020"' in body
