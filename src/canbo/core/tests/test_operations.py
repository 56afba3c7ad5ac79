"""Running CanBo for real (issue 21, the web server's side): the content-security policy,
`/healthz`, the request log and error references, and the answers to faults of the database
and of the attachment disk."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import re
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from canbo.core.health import write_heartbeat
from canbo.core.logs import RequestIdFilter
from canbo.people.models import Attachment, Person

REPO = Path(__file__).resolve().parents[4]
SRC = REPO / "src" / "canbo"


# --- Content-security policy -------------------------------------------------------------------


def _csp(response: Any) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _plain_routes(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    """Every route without a parameter (a page reachable by its address alone)."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if "<" in route or "(?P" in route or route.startswith(("quan-tri/", "static/")):
            continue
        if isinstance(entry, URLResolver):
            yield from _plain_routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route.lstrip("^").rstrip("$")


@pytest.mark.django_db
def test_every_page_answers_the_content_security_policy(client: Client, users: dict[str, User]) -> None:
    """Each page without a parameter, for an administrator (whatever its status), and the login
    page, the 404 page and /healthz for nobody: script-src 'self', no inline script or style."""
    anonymous = Client()
    answers = [anonymous.get(p) for p in ("/dang-nhap/", "/khong-co-trang-nay/", "/healthz")]
    client.force_login(users["admin"])
    routes = sorted(set(_plain_routes(get_resolver())))
    assert len(routes) > 30
    answers += [client.get(route) for route in routes]
    for response in answers:
        directives = _csp(response)
        assert directives.get("script-src") == ["'self'"], response.request["PATH_INFO"]
        assert directives.get("style-src") == ["'self'"]
        assert directives.get("default-src") == ["'self'"]
        assert directives.get("frame-ancestors") == ["'none'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+=[\"']", re.I), "an on…= handler"),
    (re.compile(r"javascript:", re.I), "a javascript: address"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style", re.I), "a <style> element"),
]


def test_no_template_has_inline_script_or_style() -> None:
    """The policy refuses them: a template with one would break in the browser."""
    found = []
    for template in SRC.rglob("templates/**/*.html"):
        text = re.sub(r"{#.*?#}", "", template.read_text(encoding="utf-8"))  # template comments
        found += [f"{template.relative_to(SRC)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert found == []


# --- /healthz --------------------------------------------------------------------------------


@pytest.fixture
def heartbeat(settings: Any, tmp_path: Path) -> Path:
    settings.CANBO_WORKER_HEARTBEAT_FILE = tmp_path / "worker-heartbeat.json"
    settings.CANBO_MIN_FREE_DISK_MB = 1
    return settings.CANBO_WORKER_HEARTBEAT_FILE


@pytest.mark.django_db
def test_healthz_answers_200_without_login_and_shows_no_data(heartbeat: Path, person_a: Person) -> None:
    write_heartbeat()
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert set(body) == {"status", "database", "migrations", "worker", "disk"}
    assert body["database"] == {"ok": True}
    assert body["migrations"] == {"ok": True, "pending": 0}
    assert body["worker"]["ok"] and body["worker"]["seconds_since_heartbeat"] <= 5
    assert body["disk"]["ok"] and body["disk"]["free_mb"] >= 1
    assert person_a.full_name not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https_for_the_monitoring_probe(heartbeat: Path, settings: Any) -> None:
    """With CANBO_HTTPS=1 every page over plain HTTP is redirected, but the probe that asks the
    server itself (``curl http://127.0.0.1:8000/healthz``, behind the TLS proxy) gets its answer."""
    settings.SECURE_SSL_REDIRECT = True
    write_heartbeat()
    assert Client().get("/dang-nhap/").status_code == 301
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_503_when_the_worker_never_beat_or_stopped_beating(heartbeat: Path, settings: Any) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == {"ok": False, "seconds_since_heartbeat": None}
    assert response.json()["database"]["ok"] and response.json()["disk"]["ok"]

    write_heartbeat(at=timezone.now() - dt.timedelta(seconds=settings.CANBO_WORKER_STALE_SECONDS + 30))
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    worker = response.json()["worker"]
    assert not worker["ok"] and worker["seconds_since_heartbeat"] >= settings.CANBO_WORKER_STALE_SECONDS + 30

    write_heartbeat()
    assert Client().get("/healthz").status_code == 200


@pytest.mark.django_db
def test_healthz_503_when_the_attachment_disk_is_short_of_space(heartbeat: Path, settings: Any) -> None:
    write_heartbeat()
    settings.CANBO_MIN_FREE_DISK_MB = 10**12  # more than any disk has free
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["disk"]["ok"] is False
    assert response.json()["worker"]["ok"] and response.json()["migrations"]["ok"]


@pytest.mark.django_db
def test_healthz_503_when_a_migration_is_not_applied(heartbeat: Path) -> None:
    write_heartbeat()
    from django.db.migrations.loader import MigrationLoader

    # The people app's last migration, as if the code were newer than the database.
    app, name = next(n for n in MigrationLoader(None).graph.leaf_nodes() if n[0] == "people")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", [app, name])
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == {"ok": False, "pending": 1}


@pytest.mark.own_database
def test_worker_command_writes_the_heartbeat(tmp_path: Path) -> None:
    """`manage.py worker` (what `./canbo serve` runs) beats at start, then runs db_worker."""
    beat = tmp_path / "beat.json"
    env = {
        **_clean_env(),
        "CANBO_DB": "sqlite",
        "CANBO_VAR_DIR": str(tmp_path),
        "CANBO_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "CANBO_WORKER_HEARTBEAT_FILE": str(beat),
    }
    # One process: the tasks' table migrated, then manage.py itself run with the worker's
    # arguments (its ``main``, as `python manage.py worker …` runs it), instead of a process each.
    args = ["worker", "--batch", "--no-startup-delay", "--no-reload", "-v0"]
    script = (
        "import runpy, sys\n"
        "manage, args = sys.argv[1], sys.argv[2:]\n"
        "sys.argv = [manage, 'migrate', 'django_tasks_database', '-v0']\n"
        "runpy.run_path(manage, run_name='__main__')\n"
        "sys.argv = [manage, *args]\n"
        "runpy.run_path(manage, run_name='__main__')\n"
    )
    command = [sys.executable, "-c", script, str(REPO / "manage.py"), *args]
    subprocess.run(command, env=env, check=True, timeout=120)
    body = json.loads(beat.read_text())
    assert body["worker"].endswith(tuple("0123456789"))
    assert timezone.now() - dt.datetime.fromisoformat(body["at"]) < dt.timedelta(minutes=2)


# --- Logs ------------------------------------------------------------------------------------


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the configured console handler writes (its format and filter), into a buffer."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RequestIdFilter())
    config: dict[str, Any] = settings.LOGGING
    handler.setFormatter(logging.Formatter(config["formatters"]["canbo"]["format"]))
    loggers = [logging.getLogger("canbo.request"), logging.getLogger("django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield out
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.mark.django_db
def test_one_log_line_per_request_with_id_user_status_and_time_and_no_query(
    client: Client, users: dict[str, User], person_a: Person, log_lines: io.StringIO
) -> None:
    client.force_login(users["officer_a"])
    response = client.get("/can-bo/", {"q": person_a.full_name})
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    uuid.UUID(request_id)
    lines = log_lines.getvalue().splitlines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert f"[{request_id}]" in line
    assert re.search(rf"GET /can-bo/ 200 user={users['officer_a'].pk} ms=\d+\.\d$", line), line
    assert "q=" not in line and person_a.full_name not in line and "Nguy" not in line

    anonymous = Client().get("/dang-nhap/")
    assert anonymous["X-Request-ID"] != request_id
    assert "GET /dang-nhap/ 200 user=- ms=" in log_lines.getvalue().splitlines()[1]


@pytest.mark.django_db
@pytest.mark.urls("canbo.core.tests.urls_crash")
def test_a_500_shows_its_reference_and_the_log_has_it_with_the_traceback(
    users: dict[str, User], log_lines: io.StringIO
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(users["officer_a"])
    response = client.get("/loi-thu/")
    assert response.status_code == 500
    reference = response["X-Request-ID"][:8]
    page = response.content.decode()
    assert f"Mã lỗi: <strong>{reference}</strong>" in page
    assert "Đã có lỗi ở máy chủ" in page and "Traceback" not in page
    log = log_lines.getvalue()
    assert f"[{response['X-Request-ID']}] Internal Server Error: /loi-thu/" in log
    assert "Traceback (most recent call last)" in log and "ZeroDivisionError: a bug in a page" in log
    assert f"[{response['X-Request-ID']}] GET /loi-thu/ 500 user={users['officer_a'].pk}" in log

    api = client.get("/api/loi-thu/")
    assert api.status_code == 500
    assert api.json() == {
        "detail": f"Đã có lỗi ở máy chủ; thao tác chưa được thực hiện. Hãy báo cho quản trị hệ thống "
        f"kèm mã lỗi {api['X-Request-ID'][:8]}.",
        "code": "server_error",
        "reference": api["X-Request-ID"][:8],
    }


# --- Faults of the database: a real unreachable server, a real SQLite lock -------------------


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("CANBO_", "DJANGO_"))}


def _run(script: str, env: dict[str, str]) -> dict[str, Any]:
    """Runs ``script`` in a fresh Django process of its own database; it prints one JSON line."""
    prelude = textwrap.dedent(
        """
        import json, django
        django.setup()
        from django.test import Client
        from django.test.utils import setup_test_environment
        setup_test_environment()
        def answer(response):
            return {
                "status": response.status_code,
                "type": response["Content-Type"],
                "retry": response.get("Retry-After"),
                "body": response.content.decode(),
            }
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(script)],
        env={
            **_clean_env(),
            "DJANGO_SETTINGS_MODULE": "canbo.settings",
            "PYTHONPATH": str(REPO / "src"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


UNREACHABLE = {
    "postgresql": {"CANBO_DB": "postgresql", "CANBO_DB_HOST": "127.0.0.1", "CANBO_DB_PORT": "1"},
    "sqlite": {"CANBO_DB": "sqlite", "CANBO_SQLITE_PATH": "/nonexistent-canbo-dir/canbo.sqlite3"},
}


@pytest.mark.parametrize("database", ["postgresql", "sqlite"])
@pytest.mark.own_database
def test_database_unreachable_answers_503_in_vietnamese_not_a_traceback(
    database: str, tmp_path: Path
) -> None:
    env = {**UNREACHABLE[database], "CANBO_VAR_DIR": str(tmp_path)}
    out = _run(
        """
        client = Client(raise_request_exception=False)
        client.cookies["sessionid"] = "a-session-of-yesterday"
        print(json.dumps({
            "page": answer(client.get("/")),
            "api": answer(client.get("/api/units/")),
            "health": answer(Client().get("/healthz")),
        }))
        """,
        env,
    )
    page, api, health = out["page"], out["api"], out["health"]
    assert page["status"] == 503 and page["type"].startswith("text/html")
    assert "Không kết nối được cơ sở dữ liệu" in page["body"] and "Mã lỗi" in page["body"]
    assert "Traceback" not in page["body"] and "OperationalError" not in page["body"]
    assert page["retry"] == "30"
    assert api["status"] == 503 and api["type"] == "application/json"
    assert json.loads(api["body"])["code"] == "db_unavailable"
    assert json.loads(api["body"])["detail"].startswith("Không kết nối được cơ sở dữ liệu")
    assert health["status"] == 503
    assert json.loads(health["body"])["database"] == {"ok": False}


@pytest.mark.own_database
def test_sqlite_locked_past_its_timeout_answers_503_with_retry_after(tmp_path: Path) -> None:
    """Another writer holds SQLite's write lock longer than CANBO_SQLITE_BUSY_SECONDS: the page
    that writes answers 503 with Retry-After (never a 500); once the lock is gone it works."""
    path = tmp_path / "busy.sqlite3"
    env = {
        "CANBO_DB": "sqlite",
        "CANBO_SQLITE_PATH": str(path),
        "CANBO_VAR_DIR": str(tmp_path),
        "CANBO_SQLITE_BUSY_SECONDS": "0.2",
    }
    out = _run(
        f"""
        import sqlite3
        from django.contrib.sessions.backends.db import SessionStore
        from django.core.management import call_command
        from django.test.utils import override_settings
        call_command("migrate", "sessions", verbosity=0)
        session = SessionStore()
        session.create()
        with override_settings(ROOT_URLCONF="canbo.core.tests.urls_crash"):
            client = Client(raise_request_exception=False)
            client.cookies["sessionid"] = session.session_key
            other = sqlite3.connect({str(path)!r}, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")  # another writer, holding the lock
            busy = answer(client.get("/ghi/"))
            session_busy = answer(client.get("/ghi-phien/"))
            other.execute("ROLLBACK")
            free = answer(client.get("/ghi/"))
            session_free = answer(client.get("/ghi-phien/"))
        out = {{"busy": busy, "session_busy": session_busy, "free": free, "session_free": session_free}}
        print(json.dumps(out))
        """,
        env,
    )
    # A service's write, and the session's own (Django turns that one into a 400 otherwise).
    for busy in (out["busy"], out["session_busy"]):
        assert busy["status"] == 503
        assert busy["retry"] == "5"
        assert "Cơ sở dữ liệu đang bận" in busy["body"] and "Mã lỗi" in busy["body"]
    assert out["free"]["status"] == 200 and out["session_free"]["status"] == 200


# --- The attachment disk full: the kernel's own ENOSPC (/dev/full) ---------------------------

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploads are written through a file on /dev/full, where every write fails with ENOSPC."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    from canbo.people import services

    real_fdopen = os.fdopen

    def fdopen_on_full_disk(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" not in mode:
            return real_fdopen(fd, mode, *args, **kwargs)
        os.close(fd)
        return open("/dev/full", mode)

    monkeypatch.setattr(services.os, "fdopen", fdopen_on_full_disk)


@pytest.mark.django_db
def test_attachment_disk_full_says_so_and_records_nothing(
    client: Client, users: dict[str, User], person_a: Person, full_disk: None
) -> None:
    client.force_login(users["officer_a"])
    response = client.post(
        f"/can-bo/{person_a.pk}/tai-lieu/them/",
        {
            "upload": SimpleUploadedFile("quyet-dinh.pdf", PDF, content_type="application/pdf"),
            "kind": "quyet_dinh",
            "title": "Quyết định bổ nhiệm",
            "reason": "Bổ sung hồ sơ",
        },
    )
    assert response.status_code == 507
    assert "ổ đĩa chứa tài liệu đính kèm của máy chủ đã đầy" in response.content.decode()
    assert not Attachment.objects.filter(person=person_a).exists()
    root = Path(settings.MEDIA_ROOT) / "attachments"
    assert not [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_attachment_upload_outside_the_scope_is_refused_before_the_disk(
    client: Client, users: dict[str, User], person_a: Person
) -> None:
    """The other subtree: officer_b cannot add to person_a's dossier, full disk or not."""
    client.force_login(users["officer_b"])
    response = client.post(
        f"/can-bo/{person_a.pk}/tai-lieu/them/",
        {
            "upload": SimpleUploadedFile("quyet-dinh.pdf", PDF, content_type="application/pdf"),
            "kind": "quyet_dinh",
            "title": "Quyết định",
            "reason": "Bổ sung hồ sơ",
        },
    )
    assert response.status_code == 404
    assert not Attachment.objects.filter(person=person_a).exists()


# --- The API schema and its documentation need a login ---------------------------------------


@pytest.mark.django_db
def test_api_schema_and_docs_need_a_login(client: Client, users: dict[str, User]) -> None:
    anonymous = Client()
    schema = anonymous.get("/api/schema/")
    assert schema.status_code in (401, 403)
    assert "openapi" not in schema.content.decode()
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/dang-nhap/")
    assert anonymous.get("/api/docs/", {"script": ""}).status_code == 302

    client.force_login(users["officer_a"])
    assert client.get("/api/schema/").status_code == 200
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
