"""The static files' middleware (``core.middleware.StaticFilesMiddleware``): WhiteNoise's, with
its scan of the apps' static files made once per process and settings (docs/architecture.md,
"Static files scanned once per process")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.test import Client, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from canbo.core import middleware
from canbo.core.middleware import StaticFilesMiddleware


def _answer(files: dict[str, Any], url: str) -> tuple[int, list[tuple[str, str]]]:
    response = files[url].get_response("GET", {})
    if response.file is not None:
        response.file.close()
    return response.status, sorted(response.headers)


def test_the_application_serves_its_static_files_through_it() -> None:
    assert "canbo.core.middleware.StaticFilesMiddleware" in settings.MIDDLEWARE
    assert "whitenoise.middleware.WhiteNoiseMiddleware" not in settings.MIDDLEWARE
    answer = Client().get("/static/css/canbo.css")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/css")


def test_a_second_instance_reuses_the_scan_and_has_what_whitenoise_finds() -> None:
    """Fails on the old code (every instance scanned the ~220 files again: 10 ms of CPU per test
    client): the second instance's files are the first one's, and they are WhiteNoise's own."""
    first = StaticFilesMiddleware(lambda request: None)
    second = StaticFilesMiddleware(lambda request: None)
    own = WhiteNoiseMiddleware(lambda request: None)
    assert len(own.files) > 100
    assert first.files.keys() == second.files.keys() == own.files.keys()
    assert all(second.files[url] is first.files[url] for url in first.files)
    for url in own.files:
        assert _answer(second.files, url) == _answer(own.files, url), url


def test_the_middleware_of_a_new_client_does_not_scan_again(monkeypatch: Any) -> None:
    """What the test client builds for each new client (``load_middleware``): no walk of the
    finders once the process has scanned them."""
    StaticFilesMiddleware(lambda request: None)
    walks: list[str] = []
    real = WhiteNoiseMiddleware.add_files_from_finders

    def counted(self: Any) -> None:
        walks.append("scan")
        real(self)

    monkeypatch.setattr(WhiteNoiseMiddleware, "add_files_from_finders", counted)
    BaseHandler().load_middleware()
    assert walks == []


def test_other_settings_get_their_own_scan(monkeypatch: Any) -> None:
    """The headers depend on the settings: another max-age is another scan, not the kept one."""
    monkeypatch.setattr(middleware.StaticFilesMiddleware, "_scans", {})
    usual = StaticFilesMiddleware(lambda request: None)
    with override_settings(WHITENOISE_MAX_AGE=7):
        other = StaticFilesMiddleware(lambda request: None)
    url = "/static/css/canbo.css"
    assert other.files[url] is not usual.files[url]
    assert dict(_answer(other.files, url)[1])["Cache-Control"] == "max-age=7, public"
    assert dict(_answer(usual.files, url)[1])["Cache-Control"] != "max-age=7, public"
    assert len(StaticFilesMiddleware._scans) == 2
