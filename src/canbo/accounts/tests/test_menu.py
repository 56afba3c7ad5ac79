"""Every role's menu offers exactly the pages the role may open; the person role lands on his
own dossier; the administrator's site speaks Vietnamese."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from canbo.accounts.models import Grant, Role
from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.people.models import Person

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

OFFICER = [
    "Tổ chức",
    "Cán bộ",
    "Nhập dữ liệu",
    "Quy định",
    "Kế hoạch",
    "Quy hoạch",
    "Đánh giá",
    "Chỉ tiêu",
    "Nâng lương",
    "Nghỉ hưu",
    "Bổ nhiệm",
    "Danh sách",
    "Báo cáo",
]
EXPECTED = {
    "admin": [*OFFICER, "Người dùng", "Mẫu tài liệu", "API", "Quản trị"],
    "officer_a": OFFICER,
    "leader_a": [x for x in OFFICER if x != "Nhập dữ liệu"],
    "self_user": ["Hồ sơ của tôi", "Quy định"],
    "nogrant": ["Quy định"],
}


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def menu(body: str) -> list[tuple[str, str]]:
    nav = body.split('<nav class="mainnav">')[1].split("</nav>")[0]
    return [(label, href) for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_role_is_offered_what_it_may_open_and_nothing_else(users: dict, name: str) -> None:
    c = client_for(users[name])
    items = menu(c.get(reverse("rules:index")).content.decode())
    assert [label for label, _ in items] == EXPECTED[name]
    for label, href in items:
        assert c.get(href).status_code == 200, label


def test_the_api_entry_is_for_administrators_only(users: dict, tree: dict) -> None:
    manager = User.objects.create_user(username="quantri_a", password="x")
    Grant.objects.create(user=manager, role=Role.ADMIN, unit=tree["A"])
    labels = [label for label, _ in menu(client_for(manager).get(reverse("rules:index")).content.decode())]
    assert "API" in labels and "Nhập dữ liệu" in labels and "Người dùng" in labels
    assert "Quản trị" not in labels  # Django's admin site needs a staff account
    for name in ("officer_a", "leader_a", "self_user", "nogrant"):
        body = client_for(users[name]).get(reverse("rules:index")).content.decode()
        assert "API" not in [label for label, _ in menu(body)]


def test_the_person_role_lands_on_his_own_dossier(users: dict, person_a: Person) -> None:
    c = client_for(users["self_user"])
    own = reverse("people:detail", args=[person_a.pk])
    r = c.get(reverse("home"))
    assert r.status_code == 302 and r["Location"] == own
    dated = c.get(reverse("home"), {"ngay": "11/12/2020"})
    assert dated["Location"] == f"{own}?ngay=11%2F12%2F2020"
    page = c.get(own).content.decode()
    assert ("Hồ sơ của tôi", own) in menu(page)
    assert 'class="active">Hồ sơ của tôi' in page
    assert "0 đơn vị" not in page
    # Officers still land on the home page.
    assert client_for(users["officer_a"]).get(reverse("home")).status_code == 200


def test_login_takes_the_person_role_to_his_dossier(users: dict, person_a: Person) -> None:
    r = Client().post(reverse("login"), {"username": "self_user", "password": "pw-self_user"}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("people:detail", args=[person_a.pk])
    assert "Nguyễn Thị Hoa" in r.content.decode()


def test_the_admin_site_is_in_vietnamese(users: dict) -> None:
    body = client_for(users["admin"]).get("/quan-tri/").content.decode()
    assert "Skip to main content" not in body
    assert "Chuyển đến nội dung chính" in body
    assert "Toggle theme" not in body and "Toggle navigation" not in body


def test_the_person_role_is_not_sent_to_unit_pages_he_cannot_open(users: dict, person_a: Person) -> None:
    own = reverse("people:detail", args=[person_a.pk])
    page = client_for(users["self_user"]).get(own).content.decode()
    assert "Phòng Nội vụ huyện A" in page
    assert "/don-vi/" not in page
    assert "/don-vi/" in client_for(users["officer_a"]).get(own).content.decode()
