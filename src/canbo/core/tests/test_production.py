"""Production profile (issue 21): the start-up refusals of `./canbo serve` (``manage.py
preflight``), the deploy checks, the security headers and the session's idle expiry."""

import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

REPO = Path(__file__).resolve().parents[4]


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CANBO_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.own_database
def test_preflight_refuses_demo_key_debug_and_unapplied_migrations(tmp_path: Path) -> None:
    """On an empty database, with no key set and DEBUG on, each problem gets its own Vietnamese
    line saying what to set, and the command fails (so `./canbo serve` does not start gunicorn)."""
    env = {
        "CANBO_DB": "sqlite",
        "CANBO_SQLITE_PATH": str(tmp_path / "empty.sqlite3"),
        "CANBO_VAR_DIR": str(tmp_path),
        "CANBO_DEBUG": "1",
    }
    result = _manage("preflight", env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, result.stderr
    assert "CANBO_SECRET_KEY" in lines[0]
    assert "CANBO_DEBUG=0" in lines[1]
    assert "./canbo migrate" in lines[2]


@pytest.mark.own_database
def test_preflight_demo_mode_allows_the_demo_key(tmp_path: Path) -> None:
    env = {
        "CANBO_DB": "sqlite",
        "CANBO_SQLITE_PATH": str(tmp_path / "empty.sqlite3"),
        "CANBO_VAR_DIR": str(tmp_path),
        "CANBO_DEMO": "1",
    }
    result = _manage("preflight", env=env)
    assert result.returncode == 1
    assert "CANBO_SECRET_KEY" not in result.stderr
    assert "./canbo migrate" in result.stderr


@pytest.mark.django_db
def test_preflight_passes_on_a_production_configuration(settings: Any) -> None:
    settings.SECRET_KEY = "a-real-key-" + "x7Q" * 20
    settings.CANBO_DEMO = False
    settings.DEBUG = False
    err = StringIO()
    call_command("preflight", stderr=err)
    assert err.getvalue() == ""


@pytest.mark.django_db
def test_preflight_refuses_the_demo_key_in_process(settings: Any) -> None:
    settings.SECRET_KEY = settings.CANBO_DEMO_SECRET_KEY
    settings.CANBO_DEMO = False
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("preflight", stderr=err)
    assert "CANBO_SECRET_KEY" in err.getvalue()


@pytest.mark.own_database
def test_check_deploy_is_clean_in_the_production_profile(tmp_path: Path) -> None:
    """`manage.py check --deploy` (every check, of every tag, drf-spectacular's schema warnings
    included; warnings fail) with the environment of docs/van-hanh.md: a key of our own and
    HTTPS. Without them it names each missing setting."""
    base = {"CANBO_DB": "sqlite", "CANBO_VAR_DIR": str(tmp_path)}
    args = ("check", "--deploy", "--fail-level", "WARNING")
    production = {**base, "CANBO_SECRET_KEY": "k-" + "Zq8-pW3x" * 8, "CANBO_HTTPS": "1"}
    result = _manage(*args, env=production)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout

    # The missing settings are named by the security checks (CanBo's demo-key check is one of
    # them): only those run here, not the URL and schema checks the clean run above ran already
    # (they import every view and generate the API schema: 2.3 s of CPU against 1.0 s).
    result = _manage(*args, "--tag", "security", env=base)
    assert result.returncode == 1
    for check_id in ("canbo.W001", "security.W004", "security.W008", "security.W012", "security.W016"):
        assert check_id in result.stderr


@pytest.mark.django_db
def test_logged_in_answers_are_not_stored_and_carry_security_headers(client: Any, users: Any) -> None:
    client.force_login(users["officer_a"])
    response = client.get("/")
    assert response.status_code in (200, 302)
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    api = client.get("/api/units/")
    assert api.status_code == 200
    assert "no-store" in api["Cache-Control"]


@pytest.mark.django_db
def test_static_files_stay_cacheable_for_a_logged_in_user(client: Any, users: Any) -> None:
    client.force_login(users["officer_a"])
    response = client.get("/static/css/canbo.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_session_ends_at_browser_close_and_after_idle_time(client: Any, users: Any, settings: Any) -> None:
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from canbo.core.middleware import SESSION_SEEN_KEY

    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    response = client.post("/dang-nhap/", {"username": "officer_a", "password": "pw-officer_a"})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert cookie["httponly"]

    # A page right after login writes nothing to the session (no query added to every page).
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code in (200, 302)
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"].upper()]

    # After a minute without a write, a request pushes the server-side expiry forward.
    session = client.session
    session[SESSION_SEEN_KEY] = session[SESSION_SEEN_KEY] - 120
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(seconds=30)
    )
    client.get("/")
    expiry = Session.objects.get(session_key=session.session_key).expire_date
    assert expiry > timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 10)

    # Idle past the limit: the session is gone and the next page asks for the login again.
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"]


@pytest.mark.django_db
@override_settings(CANBO_API_BASIC_AUTH=True)
def test_api_answers_under_basic_auth_are_not_stored(client: Any, users: Any) -> None:
    import base64

    token = base64.b64encode(b"officer_a:pw-officer_a").decode()
    response = client.get("/api/units/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def _guide_proxy_headers() -> dict[str, str]:
    """The ``proxy_set_header`` lines of the nginx block in docs/van-hanh.md."""
    guide = (REPO / "docs" / "van-hanh.md").read_text(encoding="utf-8")
    block = guide.split("```nginx", 1)[1].split("```", 1)[0]
    headers = {}
    for line in block.splitlines():
        parts = line.strip().rstrip(";").split()
        if parts[:1] == ["proxy_set_header"]:
            headers[parts[1]] = parts[2]
    return headers


@pytest.mark.parametrize("public", ["canbo.tinh.gov.vn", "canbo.tinh.gov.vn:8443"])
@pytest.mark.django_db
def test_login_through_the_guides_tls_proxy_passes_the_csrf_check(
    users: Any, settings: Any, public: str
) -> None:
    """Found walking the guide: its nginx block sent ``Host $host``, which drops the port, so a proxy
    on any port but 443 made every form fail Django's origin check (403 "Yêu cầu không hợp lệ").
    The request is built as the guide's nginx builds it for a browser at https://<public>/."""
    from django.test import Client

    settings.ALLOWED_HOSTS = ["canbo.tinh.gov.vn"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = True
    nginx_vars = {"$host": public.split(":")[0], "$http_host": public, "$scheme": "https"}
    sent = {name: nginx_vars.get(value, "203.0.113.7") for name, value in _guide_proxy_headers().items()}
    assert set(sent) >= {"Host", "X-Forwarded-Proto"}
    meta: dict[str, Any] = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in sent.items()}
    client = Client(enforce_csrf_checks=True, **meta)
    page = client.get("/dang-nhap/")
    assert page.status_code == 200
    token = page.context["csrf_token"]
    response = client.post(
        "/dang-nhap/",
        {"username": "officer_a", "password": "pw-officer_a", "csrfmiddlewaretoken": str(token)},
        HTTP_ORIGIN=f"https://{public}",
        HTTP_REFERER=f"https://{public}/dang-nhap/",
    )
    assert response.status_code == 302, response.content.decode()[:300]
    assert "_auth_user_id" in client.session
