"""Unit pages that write: create, correct, split, move — by kind of user, with bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from canbo.careers.models import Tenure, TenureKind
from canbo.conftest import kept_person_a, kept_tree, kept_users, new_person
from canbo.core.models import ObjectChange
from canbo.org.models import Unit, UnitLineage

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")


def client_for(user: Any | None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


NEW = {
    "code": "A2", "name": "Phòng Tư pháp huyện A", "kind": "phong", "block": "nha_nuoc", "level": "huyen",
    "valid_from": "01/02/2020", "basis": "QĐ 15/QĐ-UBND ngày 20/01/2020",
}  # fmt: skip


def test_create_unit_page_by_kind_of_user(users: dict, tree: dict) -> None:
    url = f"/don-vi/{tree['A'].pk}/them-don-vi/"
    assert client_for(None).get(url).status_code == 302
    for name in ("nogrant", "leader_a", "officer_b"):
        assert client_for(users[name]).get(url).status_code == 404
        assert client_for(users[name]).post(url, NEW).status_code == 404
    assert not Unit.objects.filter(code="A2").exists()
    c = client_for(users["officer_a"])
    assert "Quyết định thành lập" in c.get(url).content.decode()
    r = c.post(url, NEW)
    assert r.status_code == 302
    unit = Unit.objects.get(code="A2")
    assert Unit.objects.get_parent(unit).pk == tree["A"].pk and unit.basis.startswith("QĐ 15")


def test_create_unit_bad_input_is_refused_in_vietnamese(users: dict, tree: dict) -> None:
    c = client_for(users["officer_a"])
    url = f"/don-vi/{tree['A'].pk}/them-don-vi/"
    before = (Unit.objects.count(), ObjectChange.objects.count())
    r = c.post(url, {**NEW, "code": "A1"})
    assert r.status_code == 400 and "đã được dùng cho" in r.content.decode()
    r = c.post(url, {**NEW, "valid_from": "01/01/2001"})
    assert r.status_code == 400 and "không thể có hiệu lực trước" in r.content.decode()
    r = c.post(url, {**NEW, "valid_from": "31/02/2020"})
    assert r.status_code == 400
    # the founding decision is the change's reason: required (issue 21)
    r = c.post(url, {**NEW, "basis": ""})
    assert r.status_code == 400 and "Hãy ghi căn cứ của thay đổi" in r.content.decode()
    assert (Unit.objects.count(), ObjectChange.objects.count()) == before


def test_correct_unit_page_logs_the_reason(users: dict, tree: dict) -> None:
    url = f"/don-vi/{tree['A1'].pk}/dinh-chinh/"
    assert client_for(users["officer_b"]).get(url).status_code == 404
    c = client_for(users["officer_a"])
    form = {
        "code": "A1", "name": "Phòng Nội vụ huyện A", "kind": "phong", "block": "nha_nuoc", "level": "huyen",
        "reason": "",
    }  # fmt: skip
    assert c.post(url, form).status_code == 400
    r = c.post(url, {**form, "name": "Phòng Nội Vụ huyện A", "reason": "Sai chính tả"})
    assert r.status_code == 302
    change = ObjectChange.objects.filter(object_id=tree["A1"].pk, reason="Sai chính tả").get()
    assert change.postchange_data is not None and change.postchange_data["name"] == "Phòng Nội Vụ huyện A"


def test_split_form_creates_the_parts_and_carries_the_chosen_people(
    users: dict, tree: dict, title: Any
) -> None:
    person = new_person(tree["A1"], "Phạm Văn Tách", sex="nam")
    Tenure.objects.create(
        person=person, unit=tree["A1"], title=title, kind=TenureKind.APPOINTED, start_date=dt.date(2020, 1, 1)
    )
    url = f"/don-vi/{tree['A1'].pk}/sap-xep/chia-tach/"
    assert client_for(users["officer_b"]).get(url).status_code == 404
    c = client_for(users["officer_a"])
    assert "Phạm Văn Tách" in c.get(url).content.decode()
    data = {
        "on": "01/07/2025", "basis": "QĐ 9/QĐ-UBND", "code_1": "A1N", "name_1": "Phòng Nội vụ",
        "code_2": "A1L", "name_2": "Phòng Lao động", f"person_{person.pk}": "2",
    }  # fmt: skip
    bad = c.post(url, {**data, "code_2": "", "name_2": ""})
    assert bad.status_code == 400 and not Unit.objects.filter(code="A1N").exists()
    assert c.post(url, data).status_code == 302
    labour = Unit.objects.get(code="A1L")
    assert Tenure.objects.get(person=person, end_date__isnull=True).unit_id == labour.pk
    assert UnitLineage.objects.filter(predecessor=tree["A1"], event="split").count() == 2


def test_move_form_refuses_a_cycle_and_moves(users: dict, tree: dict) -> None:
    c = client_for(users["admin"])
    url = f"/don-vi/{tree['A'].pk}/sap-xep/chuyen/"
    r = c.post(url, {"on": "01/07/2025", "basis": "QĐ 3", "new_parent": tree["A1"].pk})
    assert r.status_code == 400 and "vòng lặp" in r.content.decode()
    # officer_a may restructure A1 (his grant is on its parent A) but not change B: moving
    # under B is not offered, and refused.
    r = client_for(users["officer_a"]).post(
        f"/don-vi/{tree['A1'].pk}/sap-xep/chuyen/",
        {"on": "01/07/2025", "basis": "QĐ 3", "new_parent": tree["B"].pk},
    )
    assert r.status_code == 400
    assert Unit.objects.get(pk=tree["A1"].pk).valid_to is None
    r = c.post(
        f"/don-vi/{tree['A1'].pk}/sap-xep/chuyen/",
        {"on": "01/07/2025", "basis": "QĐ 3", "new_parent": tree["B"].pk},
    )
    assert r.status_code == 302
    moved = Unit.objects.get(code="A1")
    assert Unit.objects.get_parent(moved).pk == tree["B"].pk
    old_page = c.get(f"/don-vi/{tree['A'].pk}/", {"ngay": "2025-06-30"}).content.decode()
    assert "Phòng Nội vụ huyện A" in old_page


OPS = ("doi-ten", "chuyen", "sap-nhap", "chia-tach", "giai-the")


def test_an_officer_of_a_unit_may_not_restructure_the_unit_itself(users: dict, tree: dict) -> None:
    """A commune officer (a grant on his commune only) sees no restructuring action on his
    commune's page, and a POST is refused by the page and by the service; the officer of the
    parent sees them and may."""
    from django.contrib.auth.models import User

    from canbo.accounts.models import Grant, Role
    from canbo.conftest import make_unit
    from canbo.core.errors import NotPermitted
    from canbo.org import restructuring

    commune = make_unit(tree["A"], "XA1", "Xã Một", level="xa")
    xa = User.objects.create_user("xa_test", password="x")
    Grant.objects.create(user=xa, role=Role.OFFICER, unit=commune)
    c = client_for(xa)
    page = c.get(f"/don-vi/{commune.pk}/").content.decode()
    assert "Thêm vị trí" in page  # he may still change what is inside his commune
    for op in OPS:
        assert f"/sap-xep/{op}/" not in page
    assert "/dinh-chinh/" not in page
    for op in OPS:
        assert c.get(f"/don-vi/{commune.pk}/sap-xep/{op}/").status_code == 403
    r = c.post(
        f"/don-vi/{commune.pk}/sap-xep/giai-the/", {"on": "01/07/2025", "basis": "QĐ 1", "carry_people": ""}
    )
    assert r.status_code == 403
    rename = {"on": "01/07/2025", "new_name": "Xã Hai", "basis": ""}
    r = c.post(f"/don-vi/{commune.pk}/sap-xep/doi-ten/", rename)
    assert r.status_code == 403
    assert c.get(f"/don-vi/{commune.pk}/dinh-chinh/").status_code == 403
    commune.refresh_from_db()
    assert commune.valid_to is None and commune.name == "Xã Một"
    with pytest.raises(NotPermitted):
        restructuring.unit_dissolve(acting_user=xa, unit=commune, on=dt.date(2025, 7, 1))
    with pytest.raises(NotPermitted):
        restructuring.unit_rename(acting_user=xa, unit=commune, new_name="Xã Hai", on=dt.date(2025, 7, 1))
    # The officer of the district (the commune's parent) sees the actions and may use them.
    district_page = client_for(users["officer_a"]).get(f"/don-vi/{commune.pk}/").content.decode()
    for op in OPS:
        assert f"/sap-xep/{op}/" in district_page
    r = client_for(users["officer_a"]).post(
        f"/don-vi/{commune.pk}/sap-xep/doi-ten/", {"on": "01/07/2025", "new_name": "Xã Hai", "basis": "QĐ 2"}
    )
    assert r.status_code == 302
    # On his own district he has no grant on its parent (the province): no action there.
    own = client_for(users["officer_a"]).get(f"/don-vi/{tree['A'].pk}/").content.decode()
    assert "/sap-xep/" not in own
    assert client_for(users["officer_a"]).get(f"/don-vi/{tree['A'].pk}/sap-xep/chuyen/").status_code == 403
