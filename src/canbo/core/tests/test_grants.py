"""Grants reach core through the user object (docs/architecture.md, "Layers").

``core.grants.user_grants`` asks the configured authentication backends for ``load_grants`` and
caches the answer on the user; core imports no app. Without such a backend nobody has a grant
(nothing is let through), and the answer is read once per user object.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from canbo.accounts.backends import GrantBackend, GrantSet
from canbo.conftest import compiled_statements
from canbo.core.grants import CACHE_ATTR, NoGrants, can_change_anything, is_admin, user_grants
from canbo.org.models import Unit
from canbo.people.models import Person


@pytest.mark.django_db
def test_the_backend_attaches_the_grants_once_per_user(users: dict[str, Any], tree: dict[str, Unit]) -> None:
    user = User.objects.get(username="officer_a")  # a fresh object: nothing cached yet
    assert not hasattr(user, CACHE_ATTR)
    with CaptureQueriesContext(connection) as queries:
        grants = user_grants(user)
        assert isinstance(grants, GrantSet)
        assert [(g.unit_id, g.can_change, g.is_admin) for g in grants] == [(tree["A"].pk, True, False)]
        assert user_grants(user) is grants and can_change_anything(user) and not is_admin(user)
        assert Person.objects.restrict(user).exists()
    # the grants, once; whether A's subtree is broad (kept per process: core.querysets.
    # is_broad_subtree); the persons
    assert len(queries) == 3
    assert getattr(user, CACHE_ATTR) is grants


@pytest.mark.django_db
@override_settings(AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.ModelBackend"])
def test_without_a_grant_backend_nobody_has_a_grant(users: dict[str, Any], person_a: Person) -> None:
    user = User.objects.get(username="officer_a")
    assert isinstance(user_grants(user), NoGrants)
    assert not Person.objects.restrict(user).exists()
    assert not can_change_anything(user)


def test_the_backends_are_the_configured_ones() -> None:
    from axes.backends import AxesStandaloneBackend
    from django.contrib.auth import get_backends
    from django.contrib.auth.backends import ModelBackend

    # The lockout check first (it never logs anyone in), passwords as before (the sessions
    # ModelBackend signed stay valid), then the grants.
    assert [type(b) for b in get_backends()] == [AxesStandaloneBackend, ModelBackend, GrantBackend]


@pytest.mark.django_db
def test_the_grants_statement_is_compiled_once_per_process(
    users: dict[str, Any], tree: dict[str, Unit], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every request reads its user's grants: the statement is compiled once per process
    (``core.kept``), and gives the rows and units the ORM's read gives, a new grant included."""
    from canbo.accounts.backends import grant_info
    from canbo.accounts.models import Grant, Role

    def orm(user: User) -> list[Any]:
        return [grant_info(g) for g in Grant.objects.filter(user=user).select_related("unit")]

    compiled = compiled_statements(monkeypatch)

    def loaded(username: str) -> list[Any]:
        """The grants of a fresh user object, and the statements compiled to read them."""
        user = User.objects.get(username=username)
        compiled.clear()
        with CaptureQueriesContext(connection) as queries:
            grants = list(user_grants(user))
        assert len(queries) == 1 and "accounts_grant" in queries[0]["sql"]
        return grants

    loaded("officer_b")  # compiled here, or earlier in the process
    grants = loaded("officer_a")
    assert compiled == []
    officer = User.objects.get(username="officer_a")
    assert grants == orm(officer) and [g.unit_path for g in grants] == [tree["A"].path]

    Grant.objects.create(user=officer, role=Role.LEADER, unit=tree["B"], include_sensitive=False)
    again = loaded("officer_a")
    assert compiled == []
    assert again == orm(officer) and sorted(g.unit_path or "" for g in again) == [
        tree["A"].path,
        tree["B"].path,
    ]
