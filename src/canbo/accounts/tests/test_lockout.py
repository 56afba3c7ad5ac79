"""Password guessing (issue 21, django-axes): after AXES_FAILURE_LIMIT failed logins for a user
name, or from an address, further attempts — even with the right password — are refused with a
Vietnamese message, on the login page and through the API's Basic auth, until the administrator
lifts the lockout (or the cool-off ends)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.mark.django_db
def test_web_login_is_locked_after_the_failure_limit(users: dict[str, Any]) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/dang-nhap/", {"username": "officer_a", "password": "doan-sai-1"})
        assert response.status_code == 200
        assert "không đúng" in response.content.decode()
    # The N-th failure locks, and says so.
    response = client.post("/dang-nhap/", {"username": "officer_a", "password": "doan-sai-1"})
    assert response.status_code == 429
    response = client.post("/dang-nhap/", {"username": "officer_a", "password": "pw-officer_a"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "tạm khóa đăng nhập" in body and "quản trị viên" in body
    assert "_auth_user_id" not in client.session

    # Another address still cannot log in as this user (locked by user name) …
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/dang-nhap/", {"username": "officer_a", "password": "pw-officer_a"}).status_code == 429
    # … and the locked address cannot log in as anyone else (locked by address).
    assert client.post("/dang-nhap/", {"username": "leader_a", "password": "pw-leader_a"}).status_code == 429

    # The administrator lifts the lockouts; the right password works again.
    call_command("axes_reset_username", "officer_a")
    call_command("axes_reset_ip", "127.0.0.1")
    response = client.post("/dang-nhap/", {"username": "officer_a", "password": "pw-officer_a"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
@override_settings(CANBO_API_BASIC_AUTH=True)
def test_basic_auth_is_locked_after_the_failure_limit(users: dict[str, Any]) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.get("/api/units/", HTTP_AUTHORIZATION=basic("officer_a", "doan-sai-1"))
        assert response.status_code == 401
    response = client.get("/api/units/", HTTP_AUTHORIZATION=basic("officer_a", "doan-sai-1"))
    assert response.status_code == 429
    response = client.get("/api/units/", HTTP_AUTHORIZATION=basic("officer_a", "pw-officer_a"))
    assert response.status_code == 429
    assert "tạm khóa đăng nhập" in response.json()["detail"]


@pytest.mark.django_db
def test_a_successful_login_clears_the_count(users: dict[str, Any]) -> None:
    client = Client()
    right = {"username": "officer_a", "password": "pw-officer_a"}
    wrong = {"username": "officer_a", "password": "doan-sai-1"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/dang-nhap/", wrong)
    assert client.post("/dang-nhap/", right).status_code == 302
    client.post("/dang-xuat/")
    client.post("/dang-nhap/", wrong)
    assert client.post("/dang-nhap/", right).status_code == 302


@pytest.mark.django_db
@override_settings(CANBO_API_BASIC_AUTH=False)
def test_with_basic_auth_off_api_guesses_neither_answer_nor_lock_the_user(users: dict[str, Any]) -> None:
    """The production profile (Basic off): a guessing loop through the API never checks a password
    (so it learns nothing, even the right one is 401) and counts no failure, so it cannot lock an
    officer out of the web login either (walked on the production server: 0 access attempts)."""
    from axes.models import AccessAttempt

    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT * 3):
        response = client.get("/api/persons/", HTTP_AUTHORIZATION=basic("officer_a", f"doan-sai-{i}"))
        assert response.status_code == 401
        assert response.json()["detail"] == "Bạn cần đăng nhập."
    right = client.get("/api/persons/", HTTP_AUTHORIZATION=basic("officer_a", "pw-officer_a"))
    assert right.status_code == 401
    assert not AccessAttempt.objects.exists()
    web = Client().post("/dang-nhap/", {"username": "officer_a", "password": "pw-officer_a"})
    assert web.status_code == 302
