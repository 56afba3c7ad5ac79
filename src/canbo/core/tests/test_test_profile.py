"""The suite's settings profile (``canbo/conftest.py``, ``TEST_PROFILE`` and ``_media_root``): what it
changes for the tests."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings as django_settings

import canbo.settings as production_settings


def test_each_test_has_a_media_root_of_its_own_made_by_its_first_file() -> None:
    root = Path(django_settings.MEDIA_ROOT)
    assert not root.exists()
    assert root != Path(production_settings.MEDIA_ROOT)
    assert root.parent.name.startswith("media")
