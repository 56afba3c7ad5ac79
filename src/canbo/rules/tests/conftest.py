"""Fixtures of the rules app: the rulebook loaded into the test database."""

from __future__ import annotations

from typing import Any

import pytest

from canbo.rules.services import rules_load


@pytest.fixture
def rules_loaded(db: Any) -> None:
    """The repository's rules and holidays, loaded as ``./canbo rules load`` does."""
    rules_load(acting_user=None)
