"""Organisation pages and catalogue endpoints by kind of user."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from canbo.conftest import REASON_HEADERS, kept_person_a, kept_tree, kept_users
from canbo.core.models import ObjectChange
from canbo.org.restructuring import unit_rename

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")


def client_for(user: Any | None) -> Client:
    c = Client(headers=REASON_HEADERS)
    if user is not None:
        c.force_login(user)
    return c


def test_unit_page_access_matrix(users: dict, tree: dict) -> None:
    url = f"/don-vi/{tree['A1'].pk}/"
    assert client_for(None).get(url).status_code == 302
    assert client_for(users["nogrant"]).get(url).status_code == 404
    assert client_for(users["officer_b"]).get(url).status_code == 404
    assert client_for(users["leader_a"]).get(url).status_code == 200
    assert client_for(users["officer_a"]).get(url).status_code == 200


def test_tree_shows_names_and_units_of_the_day(users: dict, tree: dict) -> None:
    unit_rename(acting_user=users["admin"], unit=tree["A"], new_name="Huyện A Mới", on=dt.date(2023, 1, 1))
    c = client_for(users["admin"])
    old = c.get(f"/don-vi/{tree['A'].pk}/", {"ngay": "2022-06-01"}).content.decode()
    assert "<h1>Huyện A</h1>" in old
    new = c.get(f"/don-vi/{tree['A'].pk}/", {"ngay": "2024-06-01"}).content.decode()
    assert "<h1>Huyện A Mới</h1>" in new and "Tên gọi trước đây" in new
    children = c.get(f"/don-vi/{tree['P'].pk}/con/", {"ngay": "2024-06-01"}).content.decode()
    assert "Huyện A Mới" in children and "Huyện B" in children


def test_tree_lists_only_granted_subtrees(users: dict, tree: dict) -> None:
    body = client_for(users["officer_a"]).get("/don-vi/").content.decode()
    assert "Huyện A" in body and "Huyện B" not in body and "Tỉnh Thử nghiệm" not in body


def test_restructure_form_refuses_bad_input_in_vietnamese(users: dict, tree: dict) -> None:
    c = client_for(users["officer_a"])
    url = f"/don-vi/{tree['A1'].pk}/sap-xep/doi-ten/"
    r = c.post(url, {"on": "2010-01-01", "basis": "QĐ 1", "new_name": "Phòng Nội vụ mới"})
    assert r.status_code == 400
    assert "bắt đầu hiệu lực" in r.content.decode() or "không còn hiệu lực" in r.content.decode()
    assert c.post(url, {"on": "không phải ngày", "basis": "", "new_name": ""}).status_code == 400
    # the decision is the change's reason: without it nothing is written (issue 21)
    before = ObjectChange.objects.count()
    r = c.post(url, {"on": "2024-01-01", "basis": "", "new_name": "Phòng Nội vụ mới"})
    assert r.status_code == 400 and "Hãy ghi căn cứ của thay đổi" in r.content.decode()
    assert ObjectChange.objects.count() == before
    assert client_for(users["leader_a"]).get(url).status_code == 404
    ok = c.post(url, {"on": "2024-01-01", "basis": "QĐ 1", "new_name": "Phòng Nội vụ mới"})
    assert ok.status_code == 302
    assert ObjectChange.objects.filter(object_id=tree["A1"].pk, reason="QĐ 1").exists()


def test_catalogues_need_login_but_no_grant(users: dict, title: Any) -> None:
    assert client_for(None).get("/api/titles/").status_code in (401, 403)
    assert client_for(users["nogrant"]).get("/api/titles/").status_code == 200
    assert client_for(users["nogrant"]).get("/api/units/").json()["results"] == []
    assert client_for(users["officer_a"]).get("/quan-tri/").status_code == 302  # admin site: superusers only


def test_unit_page_shows_its_history(users: dict, tree: dict) -> None:
    unit_rename(
        acting_user=users["admin"],
        unit=tree["B"],
        new_name="Huyện B Mới",
        on=dt.date(2023, 1, 1),
        basis="NQ 99",
    )
    body = client_for(users["officer_b"]).get(f"/don-vi/{tree['B'].pk}/").content.decode()
    assert "NQ 99" in body and "Huyện B Mới" in body


def test_unit_page_title_is_the_unit_name(users: dict, tree: dict) -> None:
    body = client_for(users["officer_a"]).get(f"/don-vi/{tree['A1'].pk}/").content.decode()
    assert "<title>Phòng Nội vụ huyện A · CanBo</title>" in body
    assert body.count("Lịch sử thay đổi của đơn vị") == 1


def test_former_units_outside_the_grant_are_named_not_linked(users: dict, tree: dict) -> None:
    # A commune officer's new commune was formed from former communes outside his grant: their
    # pages answer 404 to him, so the "Hình thành từ" list names them without a link.
    from canbo.org.models import UnitLineage

    UnitLineage.objects.create(
        predecessor=tree["B"], successor=tree["A"], event="merge", event_date=dt.date(2025, 7, 1)
    )
    link = f'href="/don-vi/{tree["B"].pk}/'
    mine = client_for(users["officer_a"]).get(f"/don-vi/{tree['A'].pk}/").content.decode()
    assert "Hình thành từ" in mine and "Huyện B" in mine
    assert link not in mine
    everything = client_for(users["admin"]).get(f"/don-vi/{tree['A'].pk}/").content.decode()
    assert link in everything
