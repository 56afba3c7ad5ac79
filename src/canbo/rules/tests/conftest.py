"""Fixtures of the rules app: the rulebook loaded into the test database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from canbo.conftest import rows_kept_for_the_scope
from canbo.rules.services import rules_load


@pytest.fixture
def rules_loaded(db: Any) -> None:
    """The repository's rules and holidays, loaded as ``./canbo rules load`` does."""
    rules_load(acting_user=None)


@pytest.fixture(scope="module")
def rulebook_of_the_module(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The rulebook loaded once and kept for the rest of a module (``rows_kept_for_the_scope``:
    each test's own transaction is a savepoint inside the module's, so what a test writes, a new
    version or a holiday, is undone after it). For a module whose every database test uses the
    rulebook and none is transactional: it overrides ``rules_loaded`` with
    ``kept_rules_loaded``, e.g. ``rules/tests/test_pages.py``."""
    with rows_kept_for_the_scope(django_db_blocker, lambda: rules_load(acting_user=None)):
        yield


def kept_rules_loaded(rulebook_of_the_module: None, db: Any) -> None:
    """``rules_loaded`` for such a module: the rulebook is already there."""
