"""The suite's settings profile (``canbo/conftest.py``, ``TEST_PROFILE``): what it changes for the
tests and that the production settings it stands in for are still the ones tested where it matters.

WhiteNoise in production lists the static files when the middleware is built (once per server
process); every test client builds a middleware chain, so the suite has WhiteNoise look a file up
when it is asked for (its ``autorefresh`` mode) and the answer must be the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import Settings
from django.conf import settings as django_settings
from django.test import Client
from whitenoise.middleware import WhiteNoiseMiddleware

import canbo.settings as production_settings

STATIC = "/static/css/canbo.css"
# Every header WhiteNoise sets on a static file (its responders.StaticFile), the body's length included.
HEADERS = ("Content-Type", "Content-Length", "Cache-Control", "Last-Modified", "ETag",
           "Access-Control-Allow-Origin", "Vary")  # fmt: skip


def test_a_test_client_builds_its_middleware_without_listing_the_static_files() -> None:
    middleware = WhiteNoiseMiddleware(lambda request: None)
    assert middleware.autorefresh
    assert middleware.files == {}


def test_the_production_settings_list_the_static_files_once() -> None:
    assert production_settings.WHITENOISE_AUTOREFRESH is production_settings.DEBUG is False
    assert production_settings.WHITENOISE_USE_FINDERS
    # The settings a server process starts with: the module over Django's defaults, no override.
    listed = WhiteNoiseMiddleware(lambda request: None, settings=Settings("canbo.settings"))
    assert not listed.autorefresh
    assert STATIC in listed.files


def test_a_static_file_is_answered_alike_looked_up_or_listed(settings: Any) -> None:
    looked_up = Client().get(STATIC)
    settings.WHITENOISE_AUTOREFRESH = False
    listed = Client().get(STATIC)
    assert looked_up.status_code == listed.status_code == 200
    assert b"".join(looked_up.streaming_content) == b"".join(listed.streaming_content)  # type: ignore[attr-defined]
    assert {h: looked_up.get(h) for h in HEADERS} == {h: listed.get(h) for h in HEADERS}
    assert listed["Cache-Control"] == "max-age=60, public"
    assert Client().get(STATIC, HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 304
    assert Client().get(STATIC, HTTP_IF_MODIFIED_SINCE=listed["Last-Modified"]).status_code == 304


def test_each_test_has_a_media_root_of_its_own_made_by_its_first_file() -> None:
    root = Path(django_settings.MEDIA_ROOT)
    assert not root.exists()
    assert root != Path(production_settings.MEDIA_ROOT)
    assert root.parent.name.startswith("media")
