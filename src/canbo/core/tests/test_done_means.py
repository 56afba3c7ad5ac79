"""Issue 21's "Done means", end to end on PostgreSQL, over the production server: gunicorn with
CanBo's own configuration (as `./canbo serve` starts it, after `manage.py preflight`), in the
production profile of docs/van-hanh.md (a key of our own, DEBUG off, CANBO_HTTPS=1 behind a TLS
proxy whose headers the test sends as the guide's nginx block does).

Log in, read two dossiers, `backup`, `restore` into an EMPTY database, a second server on it, log
in again and see the same dossier pages; a password-guessing loop locked out and lifted as the
guide says; the read log showing the reads of the session (by their request ids).

The servers are real processes on loopback ports; nothing of CanBo is mocked.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.db import connection

from canbo.conftest import new_person
from canbo.core.models import AccessLog
from canbo.org.models import Unit
from canbo.people.models import Person

REPO = Path(__file__).resolve().parents[4]
CONF = REPO / "src" / "canbo" / "gunicorn_conf.py"

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the production database")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def production_env(tmp_path: Path, db_name: str, media: Path) -> dict[str, str]:
    db = connection.settings_dict
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CANBO_", "DJANGO_"))}
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "canbo.settings",
        "PYTHONPATH": str(REPO / "src"),
        "CANBO_SECRET_KEY": "done-means-" + "Hq7-xZ2p" * 8,
        "CANBO_ALLOWED_HOSTS": "127.0.0.1",
        "CANBO_HTTPS": "1",
        "CANBO_BEHIND_PROXY": "1",
        "CANBO_DB": "postgresql",
        "CANBO_DB_NAME": db_name,
        "CANBO_DB_HOST": str(db["HOST"]),
        "CANBO_DB_PORT": str(db["PORT"] or 5432),
        "CANBO_DB_USER": str(db["USER"]),
        "CANBO_DB_PASSWORD": str(db["PASSWORD"]),
        "CANBO_VAR_DIR": str(tmp_path / "var"),
        "CANBO_MEDIA_ROOT": str(media),
        "CANBO_WEB_WORKERS": "1",
        "CANBO_WEB_ACCESSLOG": "",
        "CANBO_LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO,
    )


@contextlib.contextmanager
def production_server(env: dict[str, str]) -> Iterator[int]:
    """`./canbo serve`'s web server: preflight, then gunicorn with CanBo's configuration."""
    checked = manage(env, "preflight")
    assert checked.returncode == 0, checked.stderr
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "canbo.wsgi:application", "--config", str(CONF)],
        env={**env, "CANBO_ADDR": f"127.0.0.1:{port}"},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


class Browser:
    """A browser behind the guide's TLS proxy: the proxy's headers, the cookies kept by hand
    (they are Secure; the proxy speaks plain HTTP to the server, as nginx does)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "Host": f"127.0.0.1:{self.port}",  # nginx's $http_host
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "198.51.100.21",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form)
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin}
            headers["Referer"] = origin + path
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie = value.split(";", 1)[0]
                    key, _, val = cookie.partition("=")
                    assert "Secure" in value and "HttpOnly" in value, value
                    self.cookies[key] = val
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def login(self, username: str, password: str) -> tuple[int, str]:
        self.get("/dang-nhap/")
        status, _headers, text = self.request(
            "POST", "/dang-nhap/", {"username": username, "password": password}
        )
        return status, text


def main_of(page: str) -> str:
    """The page's <main>, without the values that differ from one answer to the next."""
    match = re.search(r"<main>(.*)</main>", page, re.S)
    assert match, page[:500]
    return re.sub(r'(csrfmiddlewaretoken" value=")[^"]+', r"\1", match.group(1))


@contextlib.contextmanager
def empty_database(name: str) -> Iterator[str]:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_install_serve_login_backup_restore_lockout_and_read_log(
    tree: dict[str, Unit], person_a: Person, users: dict[str, User], tmp_path: Path
) -> None:
    second = new_person(tree["A1"], "Lê Văn Cường", sex="nam")
    for name in ("officer_a", "admin"):  # the production hasher (the tests' own is MD5)
        users[name].password = PBKDF2PasswordHasher().encode(f"pw-{name}", PBKDF2PasswordHasher().salt())
        users[name].save(update_fields=["password"])
    dossiers = [f"/can-bo/{person_a.pk}/", f"/can-bo/{second.pk}/"]
    media = Path(django_settings.MEDIA_ROOT)
    env = production_env(tmp_path, str(connection.settings_dict["NAME"]), media)
    limit = django_settings.AXES_FAILURE_LIMIT

    with production_server(env) as port:
        # Log in over the production server; anonymous reads are sent to the login page.
        officer = Browser(port)
        status, headers, _ = officer.get(dossiers[0])
        assert status == 302 and headers["location"].startswith("/dang-nhap/")
        status, text = officer.login("officer_a", "pw-officer_a")
        assert status == 302, re.sub(r"\s+", " ", main_of(text))
        pages, request_ids = {}, []
        for path in dossiers:
            status, headers, text = officer.get(path)
            assert status == 200 and "no-store" in headers["cache-control"]
            pages[path] = main_of(text)
            request_ids.append(headers["x-request-id"])
        assert "Nguyễn Thị Hoa" in pages[dossiers[0]] and "Lê Văn Cường" in pages[dossiers[1]]

        # The read log shows the reads of this session, each by its request id.
        logged = AccessLog.objects.filter(request_id__in=request_ids, user=users["officer_a"])
        assert logged.count() == 2
        assert set(logged.values_list("person_id", flat=True)) == {person_a.pk, second.pk}
        admin = Browser(port)
        assert admin.login("admin", "pw-admin")[0] == 302
        status, _, text = admin.get(f"/can-bo/{person_a.pk}/ai-da-xem/")
        assert status == 200
        assert "Ai đã xem hồ sơ này" in text and "officer_a" in text and "Trang hồ sơ" in text

        # A password-guessing loop: locked at the limit, the right password refused too.
        guesser = Browser(port)
        statuses = [guesser.login("officer_a", f"doan-sai-{i}")[0] for i in range(limit + 5)]
        assert statuses[: limit - 1] == [200] * (limit - 1)
        assert statuses[limit - 1 :] == [429] * 6
        status, text = Browser(port).login("officer_a", "pw-officer_a")
        assert status == 429 and "tạm khóa đăng nhập" in text
        # The administrator lifts it as the guide says.
        lifted = manage(env, "axes_reset_username", "officer_a")
        assert lifted.returncode == 0, lifted.stderr
        assert Browser(port).login("officer_a", "pw-officer_a")[0] == 302

        # Backup while the server runs.
        made = manage(env, "backup", "--output", str(tmp_path / "saved"))
        assert made.returncode == 0, made.stderr
        (archive,) = (tmp_path / "saved").glob("canbo-*.tar")

    # Restore into an empty database (and an empty attachment folder), a second server on it.
    with empty_database(f"{connection.settings_dict['NAME']}_done") as restored:
        env2 = production_env(tmp_path / "second", restored, tmp_path / "second-media")
        done = manage(env2, "restore", str(archive))
        assert done.returncode == 0, done.stderr
        assert "Mọi bảng và tệp đính kèm khớp" in done.stdout
        with production_server(env2) as port2:
            again = Browser(port2)
            assert again.login("officer_a", "pw-officer_a")[0] == 302
            for path in dossiers:
                status, _, text = again.get(path)
                assert status == 200
                assert main_of(text) == pages[path]
