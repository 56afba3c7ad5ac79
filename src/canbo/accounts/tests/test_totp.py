"""The second factor (issue 21, django-otp): off by default; when ``CANBO_TOTP`` is on, the
administrator and users with sensitive sections enrol an authenticator and enter its code after
the password; a wrong code is refused in Vietnamese and counts toward the lockout; an
administrator resets a user's authenticator within his subtree only, with a reason, logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from canbo.accounts import services
from canbo.accounts.models import Grant, Role
from canbo.conftest import REASON_HEADERS, kept_person_a, kept_tree, kept_users
from canbo.core.errors import DomainError
from canbo.core.models import ObjectChange
from canbo.org.models import Unit

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

ON = override_settings(CANBO_TOTP=True)


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    """The code the user's app shows now, computed by django-otp's own TOTP function."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return str(value).zfill(device.digits)


def wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, d) for d in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def login(username: str) -> Client:
    client = Client(headers=REASON_HEADERS)
    response = client.post("/dang-nhap/", {"username": username, "password": "pw-" + username})
    assert response.status_code == 302
    return client


def user_log(user: User) -> list[ObjectChange]:
    ct = ContentType.objects.get_for_model(User)
    return list(ObjectChange.objects.filter(content_type=ct, object_id=user.pk).order_by("id"))


@pytest.fixture
def admin_a(tree: dict[str, Unit]) -> User:
    u = User.objects.create_user(username="quantri_a", password="pw-quantri_a")
    Grant.objects.create(user=u, role=Role.ADMIN, unit=tree["A"], include_sensitive=True)
    return u


@pytest.fixture
def admin_b(tree: dict[str, Unit]) -> User:
    u = User.objects.create_user(username="quantri_b", password="pw-quantri_b")
    Grant.objects.create(user=u, role=Role.ADMIN, unit=tree["B"], include_sensitive=True)
    return u


@pytest.mark.django_db
def test_off_by_default_the_password_alone_opens_the_pages(users: dict[str, Any]) -> None:
    assert settings.CANBO_TOTP is False
    client = login("admin")
    assert client.get("/").status_code == 200
    assert client.get("/api/units/").status_code == 200


@pytest.mark.django_db
@ON
def test_the_administrator_must_enrol_then_confirm_a_code(users: dict[str, Any]) -> None:
    admin = users["admin"]
    client = login("admin")
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/xac-thuc-hai-buoc/dang-ky/")
    # A session API call is refused until a code is entered.
    response = client.get("/api/units/")
    assert response.status_code == 403 and "xác thực hai bước" in response.json()["detail"]
    page = client.get("/xac-thuc-hai-buoc/dang-ky/")
    assert page.status_code == 200 and "Đăng ký xác thực hai bước" in page.content.decode()
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert device.config_url in page.content.decode().replace("&amp;", "&")
    # A wrong code: refused in Vietnamese, nothing confirmed.
    response = client.post("/xac-thuc-hai-buoc/dang-ky/", {"code": wrong_code(device)})
    assert response.status_code == 400 and "Mã xác thực không đúng" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp's throttle: the user would wait a second
    # The right code confirms the device and opens the pages and the session API.
    response = client.post("/xac-thuc-hai-buoc/dang-ky/", {"code": code_for(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).count() == 1
    assert client.get("/").status_code == 200
    assert client.get("/api/units/").status_code == 200
    assert [c.postchange_data for c in user_log(admin)] == [{"second_factor": True}]


@pytest.mark.django_db
@ON
def test_login_asks_the_code_after_the_password_right_and_wrong(users: dict[str, Any]) -> None:
    officer = users["officer_a"]  # sensitive sections: must use the second factor
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client = login("officer_a")
    response = client.get("/can-bo/")
    assert response.status_code == 302 and response["Location"].startswith("/xac-thuc-hai-buoc/?next=")
    response = client.post("/xac-thuc-hai-buoc/", {"code": wrong_code(device), "next": "/can-bo/"})
    assert response.status_code == 400 and "Mã xác thực không đúng" in response.content.decode()
    assert client.get("/can-bo/").status_code == 302
    # Straight after a wrong code django-otp's throttle refuses even the right one, and says wait.
    response = client.post("/xac-thuc-hai-buoc/", {"code": code_for(device), "next": "/can-bo/"})
    assert response.status_code == 400 and "hãy đợi vài giây" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post("/xac-thuc-hai-buoc/", {"code": code_for(device), "next": "/can-bo/"})
    assert response.status_code == 302 and response["Location"] == "/can-bo/"
    assert client.get("/can-bo/").status_code == 200


@pytest.mark.django_db
@ON
def test_a_user_without_sensitive_sections_is_not_asked(users: dict[str, Any]) -> None:
    client = login("leader_a")
    assert client.get("/").status_code == 200


@pytest.mark.django_db
@ON
def test_wrong_codes_count_toward_the_lockout(users: dict[str, Any]) -> None:
    officer = users["officer_a"]
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client = login("officer_a")
    statuses = []
    for _ in range(settings.AXES_FAILURE_LIMIT):
        device.refresh_from_db()
        device.throttle_reset()  # django-otp's own throttle aside: the lockout is axes'
        statuses.append(client.post("/xac-thuc-hai-buoc/", {"code": wrong_code(device)}).status_code)
    assert statuses[:-1] == [400] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    # Logged out, and the right password is refused now.
    response = Client().post("/dang-nhap/", {"username": "officer_a", "password": "pw-officer_a"})
    assert response.status_code == 429 and "tạm khóa" in response.content.decode()


@pytest.mark.django_db
@ON
def test_token_calls_are_unaffected(users: dict[str, Any], tree: dict[str, Unit]) -> None:
    grant = Grant.objects.get(user=users["officer_a"])
    _, key = services.token_create(acting_user=None, grant=grant, name="tích hợp", can_write=False,
                                   reason="Kết nối phần mềm")  # fmt: skip
    response = Client().get("/api/units/", headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_administrator_resets_a_device_with_a_reason_logged(admin_a: User, users: dict[str, Any]) -> None:
    officer = users["officer_a"]
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client = Client(headers=REASON_HEADERS)
    client.force_login(admin_a)
    url = f"/tai-khoan/nguoi-dung/{officer.pk}/xac-thuc-hai-buoc/"
    assert "Đặt lại xác thực hai bước" in client.get(f"/tai-khoan/nguoi-dung/{officer.pk}/").content.decode()
    response = Client().get(url)
    assert response.status_code == 302  # anonymous: to the login page
    response = client.post(url, {"reason": "Mất điện thoại"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    entry = user_log(officer)[-1]
    assert entry.reason == "Mất điện thoại" and entry.user_id == admin_a.pk
    assert entry.prechange_data == {"second_factor": True} and entry.postchange_data == {
        "second_factor": False
    }


@pytest.mark.django_db
def test_reset_without_a_reason_is_refused_in_vietnamese(admin_a: User, users: dict[str, Any]) -> None:
    officer = users["officer_a"]
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    with pytest.raises(DomainError, match="lý do"):
        services.totp_reset(acting_user=admin_a, user=officer, reason="")
    assert TOTPDevice.objects.filter(user=officer).exists()


@pytest.mark.django_db
def test_reset_by_an_administrator_of_another_subtree_is_refused(
    admin_b: User, users: dict[str, Any]
) -> None:
    officer = users["officer_a"]  # district A; admin_b administers district B
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client = Client(headers=REASON_HEADERS)
    client.force_login(admin_b)
    response = client.post(
        f"/tai-khoan/nguoi-dung/{officer.pk}/xac-thuc-hai-buoc/", {"reason": "Mất điện thoại"}
    )
    assert response.status_code == 404
    with pytest.raises(DomainError, match="ngoài phạm vi"):
        services.totp_reset(acting_user=admin_b, user=officer, reason="Mất điện thoại")
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    assert user_log(officer) == []
