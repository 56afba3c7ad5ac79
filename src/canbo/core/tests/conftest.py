"""Fixtures of the core app's tests: the common rows (``tree``, ``person_a``, ``users``) kept for
a whole module whose many tests only read them (docs/architecture.md, "Rows shared by the tests
of a class")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User

from canbo.conftest import make_tree, make_users, new_person, rows_kept_for_the_scope
from canbo.org.models import Unit
from canbo.people.models import Person


@pytest.fixture(scope="module")
def common_rows_of_the_module(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """``tree``, ``person_a`` and ``users`` written once, in the order the function-scoped
    fixtures write them, when the module's first test needs them, and rolled back after its last
    (``rows_kept_for_the_scope``: each test's own transaction is a savepoint inside the module's,
    so what a test writes, a login's session or a new row, is undone after it). For a module
    whose tests are all on ``db`` (none transactional) and that takes ``kept_tree``,
    ``kept_person_a`` and ``kept_users`` under the usual names, e.g. ``test_bad_input.py``."""

    def build() -> dict[str, Any]:
        tree = make_tree()
        person_a = new_person(tree["A1"], "Nguyễn Thị Hoa")
        return {"tree": tree, "person_a": person_a, "users": make_users(tree, person_a)}

    with rows_kept_for_the_scope(django_db_blocker, build) as rows:
        yield rows


# Function-scoped views of the module's rows, read afresh for each test (a test that changes an
# instance in memory leaves the next one an unchanged copy).


def kept_tree(common_rows_of_the_module: dict[str, Any], db: Any) -> dict[str, Unit]:
    kept = common_rows_of_the_module["tree"]
    units = Unit.objects.in_bulk([u.pk for u in kept.values()])
    return {code: units[u.pk] for code, u in kept.items()}


def kept_person_a(common_rows_of_the_module: dict[str, Any], tree: dict[str, Unit]) -> Person:
    return Person.objects.get(pk=common_rows_of_the_module["person_a"].pk)


def kept_users(common_rows_of_the_module: dict[str, Any], person_a: Person) -> dict[str, User]:
    kept = common_rows_of_the_module["users"]
    fresh = User.objects.in_bulk([u.pk for u in kept.values()])
    return {name: fresh[u.pk] for name, u in kept.items()}
