"""Users and grants managed in the app: who may create, reset, lock, grant and revoke; the
change log; the password change forced after a reset; "Tài khoản của tôi"."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from canbo.accounts import services
from canbo.accounts.models import Account, Grant, Role
from canbo.conftest import REASON_HEADERS, kept_person_a, kept_tree, kept_users
from canbo.core.errors import DomainError
from canbo.core.models import ObjectChange
from canbo.org.choices import ManagementScope
from canbo.org.models import Unit

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")


def client_for(user: Any) -> Client:
    c = Client(headers=REASON_HEADERS)
    c.force_login(user)
    return c


@pytest.fixture
def admin_a(tree: dict[str, Unit]) -> User:
    """An administrator of district A's subtree (not a superuser)."""
    u = User.objects.create_user(username="quantri_a", password="pw-quantri_a")
    Grant.objects.create(user=u, role=Role.ADMIN, unit=tree["A"], include_sensitive=True)
    return u


def grant_log(grant_id: int) -> list[ObjectChange]:
    ct = ContentType.objects.get_for_model(Grant)
    return list(ObjectChange.objects.filter(content_type=ct, object_id=grant_id).order_by("id"))


def test_admin_creates_a_user_with_a_grant_logged_with_its_reason(admin_a: User, tree: dict) -> None:
    c = client_for(admin_a)
    r = c.post(
        reverse("accounts:user_create"),
        {
            "username": "canbo_a1",
            "full_name": "Lê Văn Cường",
            "password1": "mat-khau-tam",
            "password2": "mat-khau-tam",
            "role": Role.OFFICER,
            "unit_code": "A1",
            "reason": "Công văn 12/NV",
        },
    )
    assert r.status_code == 302
    user = User.objects.get(username="canbo_a1")
    grant = user.grants.get()
    assert (grant.role, grant.unit_id) == (Role.OFFICER, tree["A1"].pk)
    entries = grant_log(grant.pk)
    assert [(e.action, e.user_name, e.reason) for e in entries] == [("create", "quantri_a", "Công văn 12/NV")]
    assert Account.objects.get(user=user).must_change_password
    assert ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=user.pk
    )


def test_a_grant_outside_the_admins_scope_is_refused_in_vietnamese(admin_a: User, users: dict) -> None:
    target = users["nogrant"]
    r = client_for(admin_a).post(
        reverse("accounts:grant_add", args=[target.pk]),
        {"role": Role.OFFICER, "unit_code": "B", "reason": "Thử"},
    )
    assert r.status_code == 400
    assert "ngoài phạm vi" in r.content.decode()
    assert not target.grants.exists()
    # the parent of his unit is outside too
    with pytest.raises(DomainError, match="ngoài phạm vi"):
        services.grant_add(
            acting_user=admin_a, user=target, role=Role.LEADER, unit=Unit.objects.get(code="P"), reason="x"
        )
    assert not target.grants.exists()


def test_no_wider_grant_than_ones_own(tree: dict, users: dict) -> None:
    narrow = User.objects.create_user(username="qt_hep", password="x")
    Grant.objects.create(user=narrow, role=Role.ADMIN, unit=tree["A"])  # no sensitive sections
    with pytest.raises(DomainError):
        services.grant_add(
            acting_user=narrow,
            user=users["nogrant"],
            role=Role.LEADER,
            unit=tree["A1"],
            include_sensitive=True,
            reason="x",
        )
    services.grant_add(
        acting_user=narrow, user=users["nogrant"], role=Role.LEADER, unit=tree["A1"], reason="x"
    )


def test_an_officer_cannot_grant_and_pages_answer_404(users: dict) -> None:
    with pytest.raises(DomainError):
        services.grant_add(
            acting_user=users["officer_a"],
            user=users["nogrant"],
            role=Role.LEADER,
            unit=Unit.objects.get(code="A1"),
            reason="x",
        )
    c = client_for(users["officer_a"])
    assert c.get(reverse("accounts:users")).status_code == 404
    assert c.get(reverse("accounts:user_create")).status_code == 404
    assert c.get(reverse("accounts:grant_add", args=[users["nogrant"].pk])).status_code == 404


def test_a_district_admin_sees_and_changes_only_users_of_his_subtree(admin_a: User, users: dict) -> None:
    c = client_for(admin_a)
    body = c.get(reverse("accounts:users")).content.decode()
    assert "officer_a" in body and "leader_a" in body
    assert "officer_b" not in body and ">admin<" not in body
    for name in ("officer_b", "admin"):  # another subtree; the superuser
        assert c.get(reverse("accounts:user", args=[users[name].pk])).status_code == 404
        r = c.post(reverse("accounts:deactivate", args=[users[name].pk]), {"reason": "x"})
        assert r.status_code == 404
        assert User.objects.get(pk=users[name].pk).is_active
    grant_b = users["officer_b"].grants.get()
    assert c.post(reverse("accounts:grant_revoke", args=[grant_b.pk]), {"reason": "x"}).status_code == 404
    assert Grant.objects.filter(pk=grant_b.pk).exists()


def test_revoke_needs_a_reason_and_is_logged(admin_a: User, users: dict) -> None:
    grant = users["leader_a"].grants.get()
    c = client_for(admin_a)
    r = c.post(reverse("accounts:grant_revoke", args=[grant.pk]), {"reason": ""})
    assert r.status_code == 400 and "Hãy ghi lý do" in r.content.decode()
    assert Grant.objects.filter(pk=grant.pk).exists()
    assert (
        c.post(reverse("accounts:grant_revoke", args=[grant.pk]), {"reason": "Nghỉ hưu"}).status_code == 302
    )
    assert not Grant.objects.filter(pk=grant.pk).exists()
    assert [(e.action, e.reason) for e in grant_log(grant.pk)] == [("delete", "Nghỉ hưu")]


def test_reset_forces_a_password_change_at_next_login(admin_a: User, users: dict) -> None:
    target = users["leader_a"]
    r = client_for(admin_a).post(
        reverse("accounts:password_reset", args=[target.pk]),
        {"password1": "tam-thoi-123", "password2": "tam-thoi-123", "reason": "Quên mật khẩu"},
    )
    assert r.status_code == 302
    c = Client(headers=REASON_HEADERS)
    r = c.post(reverse("login"), {"username": "leader_a", "password": "tam-thoi-123"})
    assert r.status_code == 302 and r["Location"] == reverse("accounts:password")
    # every other page sends him back to the change-password page
    r = c.get(reverse("people:list"))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:password")
    assert c.get(reverse("accounts:password")).status_code == 200
    r = c.post(
        reverse("accounts:password"),
        {"old_password": "tam-thoi-123", "password1": "moi-cua-toi-9", "password2": "moi-cua-toi-9"},
    )
    assert r.status_code == 302
    assert c.get(reverse("people:list")).status_code == 200
    assert not Account.objects.get(user=target).must_change_password


def test_a_locked_user_cannot_log_in(admin_a: User, users: dict) -> None:
    c = client_for(admin_a)
    assert (
        c.post(
            reverse("accounts:deactivate", args=[users["leader_a"].pk]), {"reason": "Chuyển công tác"}
        ).status_code
        == 302
    )
    assert not User.objects.get(pk=users["leader_a"].pk).is_active
    r = Client(headers=REASON_HEADERS).post(
        reverse("login"), {"username": "leader_a", "password": "pw-leader_a"}
    )
    assert r.status_code == 200  # the form again, not logged in
    # an administrator does not lock himself out
    r = c.post(reverse("accounts:deactivate", args=[admin_a.pk]), {"reason": "x"})
    assert r.status_code == 400 and "không tự khóa" in r.content.decode()


def test_my_account_shows_grants_and_who_gave_them(admin_a: User, users: dict, tree: dict) -> None:
    services.grant_add(
        acting_user=admin_a, user=users["nogrant"], role=Role.LEADER, unit=tree["A1"], reason="QĐ 5/QĐ-UBND"
    )
    body = client_for(users["nogrant"]).get(reverse("accounts:me")).content.decode()
    assert "Lãnh đạo (chỉ xem)" in body and "Phòng Nội vụ huyện A" in body
    assert "quantri_a" in body and "QĐ 5/QĐ-UBND" in body


def test_bad_input_answers_400_in_vietnamese(admin_a: User, users: dict) -> None:
    c = client_for(admin_a)
    url = reverse("accounts:user_create")
    base = {
        "username": "x1",
        "password1": "mat-khau-tam",
        "password2": "mat-khau-tam",
        "role": "officer",
        "unit_code": "A1",
        "reason": "x",
    }
    for change, words in [
        ({"unit_code": "KHONG"}, "Không có đơn vị"),
        ({"password2": "khac-han-1"}, "không khớp"),
        ({"password1": "ngan", "password2": "ngan"}, "ít nhất 10"),
        ({"username": "officer_a"}, "đã tồn tại"),
        ({"role": "self", "personal_id": ""}, "số định danh"),
    ]:
        r = c.post(url, {**base, **change})
        assert r.status_code == 400, change
        assert words in r.content.decode(), change
    assert not User.objects.filter(username="x1").exists()


def test_management_scope_grant_on_the_page(admin_a: User, users: dict) -> None:
    r = client_for(admin_a).post(
        reverse("accounts:grant_add", args=[users["nogrant"].pk]),
        {
            "role": Role.LEADER,
            "unit_code": "A",
            "management_scope": ManagementScope.DISTRICT_STANDING,
            "reason": "x",
        },
    )
    assert r.status_code == 302
    assert users["nogrant"].grants.get().management_scope == ManagementScope.DISTRICT_STANDING


def test_a_management_scope_grant_finds_by_name_only_persons_of_its_scope(
    tree: dict, person_a: Any, person_b: Any, title: Any
) -> None:
    """The name search reads its word table by unit; a scope-limited grant is not a set of units,
    so the search must fall back to the restricted list (no one out of scope found)."""
    import datetime as dt

    from canbo.careers.models import Tenure

    Tenure.objects.create(
        person=person_a, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2020, 1, 1)
    )
    user = User.objects.create_user(username="ban_to_chuc", password="x")
    Grant.objects.create(user=user, role=Role.LEADER, unit=tree["P"], management_scope=title.management_scope)
    c = client_for(user)
    body = c.get(reverse("people:list"), {"q": "Nguyễn Thị Hoa"}).content.decode()
    assert reverse("people:detail", args=[person_a.pk]) in body
    body = c.get(reverse("people:list"), {"q": "Trần Văn Bình"}).content.decode()
    assert reverse("people:detail", args=[person_b.pk]) not in body
    body = c.get(reverse("people:list")).content.decode()
    assert reverse("people:detail", args=[person_b.pk]) not in body
    assert c.get(reverse("people:detail", args=[person_b.pk])).status_code == 404
    assert c.get(reverse("people:detail", args=[person_a.pk])).status_code == 200


def test_grants_api_has_the_pages_permissions(admin_a: User, users: dict, tree: dict) -> None:
    c = client_for(admin_a)
    url = "/api/grants/"
    r = c.post(
        url,
        {"user": users["nogrant"].pk, "role": "leader", "unit": "A1", "reason": "QĐ 7"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    grant_id = r.json()["id"]
    assert grant_log(grant_id)[0].reason == "QĐ 7"
    # outside his subtree: refused in Vietnamese, nothing written
    r = c.post(
        url,
        {"user": users["nogrant"].pk, "role": "leader", "unit": "B", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "ngoài phạm vi" in r.json()["detail"]
    r = c.post(
        url,
        {"user": users["officer_b"].pk, "role": "leader", "unit": "A1", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400
    r = c.post(
        url,
        {"user": users["nogrant"].pk, "role": "leader", "unit": "KHONG", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "Không có đơn vị" in str(r.json())
    assert users["nogrant"].grants.count() == 1
    listed = {g["username"] for g in c.get(url).json()["results"]}
    assert "officer_b" not in listed and {"nogrant", "officer_a"} <= listed
    # an officer sees his own grants only and may not grant or revoke
    o = client_for(users["officer_a"])
    assert [g["username"] for g in o.get(url).json()["results"]] == ["officer_a"]
    r = o.post(
        url,
        {"user": users["nogrant"].pk, "role": "leader", "unit": "A1", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert o.delete(f"{url}{users['officer_a'].grants.get().pk}/?ly_do=x").status_code == 403
    # revoke: reason required
    assert c.delete(f"{url}{grant_id}/", headers={"X-Change-Reason": ""}).status_code == 400
    assert c.delete(f"{url}{grant_id}/?ly_do=Sai").status_code == 204
    assert c.delete(f"{url}{users['officer_b'].grants.get().pk}/?ly_do=x").status_code == 404
    assert [e.action for e in grant_log(grant_id)] == ["create", "delete"]


# session, user, his grants, then: the users + 3 prefetches; the user, his account, his grants, their
# log entries; his grants, their log entries
# The user page: 7 → 8 (issue 21: its API tokens, one query); 8 → 9 (issue 21: whether he has
# enrolled a second factor, one EXISTS, for the reset button); 9 → 10 (issue 21: whether he holds
# the exception right, one query).
PINNED_LIST, PINNED_USER, PINNED_ME = 7, 10, 5


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_are_pinned_and_do_not_grow(admin_a: User, users: dict, tree: dict) -> None:
    """The user list, a user's page and "Tài khoản của tôi" (STYLE.md convention 14)."""
    c = client_for(admin_a)
    target = users["leader_a"]
    urls = {
        "list": reverse("accounts:users"),
        "user": reverse("accounts:user", args=[target.pk]),
        "me": reverse("accounts:me"),
    }
    _queries(c, urls["user"])  # warms the content-type cache the change-log lookup uses
    before = {name: _queries(c if name != "me" else client_for(target), url) for name, url in urls.items()}
    for i in range(5):
        u = User.objects.create_user(username=f"them_{i}", password="x")
        services.grant_add(acting_user=admin_a, user=u, role=Role.LEADER, unit=tree["A1"], reason="x")
        services.grant_add(
            acting_user=admin_a,
            user=target,
            role=Role.LEADER,
            unit=tree["A1"],
            management_scope=ManagementScope.values[i],
            reason="x",
        )
    after = {name: _queries(c if name != "me" else client_for(target), url) for name, url in urls.items()}
    assert after == before
    assert before == {"list": PINNED_LIST, "user": PINNED_USER, "me": PINNED_ME}


def test_a_scope_limited_grant_opens_sensitive_sections_only_within_its_scope(
    tree: dict, person_a: Any, title: Any
) -> None:
    import datetime as dt

    from canbo.accounts.selectors import sees_sensitive_of
    from canbo.careers.models import Tenure
    from canbo.imports.validate import Scope

    user = User.objects.create_user(username="hai_quyen", password="x")
    Grant.objects.create(user=user, role=Role.LEADER, unit=tree["A"])  # no sensitive sections
    Grant.objects.create(
        user=user,
        role=Role.OFFICER,
        unit=tree["P"],
        include_sensitive=True,
        management_scope=title.management_scope,
    )
    assert not sees_sensitive_of(User.objects.get(pk=user.pk), person_a)  # not in the scope today
    Tenure.objects.create(
        person=person_a, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2020, 1, 1)
    )
    assert sees_sensitive_of(User.objects.get(pk=user.pk), person_a)
    # and it does not import: a row's scope is unknown until its tenures are written
    assert not Scope(User.objects.get(pk=user.pk)).covers(tree["A1"].path)


def test_anonymous_is_sent_to_the_login_page(users: dict) -> None:
    c = Client(headers=REASON_HEADERS)
    for name, args in (
        ("me", []),
        ("users", []),
        ("user_create", []),
        ("password", []),
        ("user", [users["nogrant"].pk]),
        ("deactivate", [users["nogrant"].pk]),
    ):
        r = c.get(reverse(f"accounts:{name}", args=args))
        assert r.status_code == 302 and r["Location"].startswith(reverse("login")), name
    assert c.get("/api/grants/").status_code in (401, 403)


def test_a_broad_management_scope_gives_the_same_list_and_search(
    tree: dict, person_a: Any, title: Any, monkeypatch: Any
) -> None:
    """A scope held by more than NARROW_SCOPE persons is asked of each person (EXISTS) instead of
    read from its holders: the list, its count and a name search give the same persons."""
    import datetime as dt

    from django.contrib.auth.models import User
    from django.test import Client

    from canbo.accounts import selectors
    from canbo.accounts.models import Grant, Role
    from canbo.careers.models import Tenure
    from canbo.conftest import new_person
    from canbo.org.choices import ManagementScope
    from canbo.people.models import Person

    Tenure.objects.create(
        person=person_a, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2020, 1, 1)
    )
    new_person(tree["A1"], "Nguyễn Thị Lan")  # same subtree, no title of the scope
    user = User.objects.create_user(username="ban_to_chuc", password="x")
    Grant.objects.create(
        user=user, role=Role.LEADER, unit=tree["P"], management_scope=ManagementScope.DISTRICT_STANDING
    )
    seen = {}
    for broad in (False, True):
        monkeypatch.setattr(selectors, "NARROW_SCOPE", -1 if broad else 2_000)
        fresh = User.objects.get(pk=user.pk)
        assert selectors.is_broad_scope(ManagementScope.DISTRICT_STANDING, fresh) is broad
        c = Client(headers=REASON_HEADERS)
        c.force_login(fresh)
        listed = c.get("/can-bo/").content.decode()
        found = c.get("/can-bo/", {"q": "nguyen thi"}).content.decode()
        seen[broad] = (
            list(Person.objects.restrict(fresh).values_list("pk", flat=True)),
            person_a.full_name in listed and "Nguyễn Thị Lan" not in listed,
            person_a.full_name in found and "Nguyễn Thị Lan" not in found,
        )
    assert seen[False] == seen[True] == ([person_a.pk], True, True)


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("12345678", "ít nhất 10"),
        ("password", "ít nhất 10"),
        ("1234567890", "quá phổ biến"),
        ("password123", "quá phổ biến"),
        ("8406192735", "hoàn toàn là số"),
        ("nguyenvanhung", "quá giống"),
    ],
)
def test_user_create_refuses_weak_passwords(admin_a: User, users: dict, password: str, words: str) -> None:
    """The password policy (issue 21): length 10, Django's common-password list, not all digits,
    not close to the login; refused on the page with a Vietnamese message, nothing created."""
    response = client_for(admin_a).post(
        reverse("accounts:user_create"),
        {
            "username": "nguyenvanhung",
            "full_name": "Nguyễn Văn Hùng",
            "password1": password,
            "password2": password,
            "role": "officer",
            "unit_code": "A1",
            "reason": "Công văn 12/SNV",
        },
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not User.objects.filter(username="nguyenvanhung").exists()


def test_password_change_refuses_a_common_password(users: dict) -> None:
    user = users["leader_a"]
    with pytest.raises(DomainError, match="quá phổ biến"):
        services.user_password_change(user=user, old_password="pw-leader_a", new_password="qwertyuiop")


def test_an_admin_gives_and_takes_the_exception_right_with_a_reason_inside_his_grants(
    admin_a: User, users: dict, tree: dict
) -> None:
    from canbo.rules.services import can_record_exception

    officer = users["officer_a"]
    url = reverse("accounts:exception_right", args=[officer.pk])
    c = client_for(admin_a)
    page = c.get(url)
    assert page.status_code == 200 and "Được ghi nhận ngoại lệ quy định" in page.content.decode()
    # no reason: refused in Vietnamese, nothing given
    r = c.post(url, {"allowed": "on", "reason": ""})
    assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ" in r.content.decode()
    assert not can_record_exception(User.objects.get(pk=officer.pk), tree["A1"])
    r = c.post(url, {"allowed": "on", "reason": "Quyết định 7/QĐ-UBND"})
    assert r.status_code == 302
    assert can_record_exception(User.objects.get(pk=officer.pk), tree["A1"])
    assert "được ghi nhận" in c.get(reverse("accounts:user", args=[officer.pk])).content.decode()
    r = c.post(url, {"reason": "Hết nhiệm vụ"})
    assert r.status_code == 302
    assert not can_record_exception(User.objects.get(pk=officer.pk), tree["A1"])
    logged = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=officer.pk
    ).order_by("id")
    assert [(e.reason, (e.postchange_data or {})["record_rule_exception"]) for e in logged] == [
        ("Quyết định 7/QĐ-UBND", True),
        ("Hết nhiệm vụ", False),
    ]


def test_the_exception_right_of_a_user_of_another_subtree_cannot_be_given(admin_a: User, users: dict) -> None:
    from canbo.rules.services import can_record_exception

    other = users["officer_b"]  # unit B: outside admin_a's grants
    r = client_for(admin_a).post(
        reverse("accounts:exception_right", args=[other.pk]), {"allowed": "on", "reason": "Thử"}
    )
    assert r.status_code == 404
    with pytest.raises(DomainError, match="ngoài phạm vi"):
        services.user_set_exception_right(acting_user=admin_a, user=other, allowed=True, reason="Thử")
    assert not other.user_permissions.exists()
    assert not can_record_exception(User.objects.get(pk=other.pk), Unit.objects.get(code="B"))
    # a superuser holds it anyway: nothing to give
    with pytest.raises(DomainError, match="luôn có quyền"):
        services.user_set_exception_right(acting_user=None, user=users["admin"], allowed=True, reason="Thử")
