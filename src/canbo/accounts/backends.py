"""The authentication backend that gives core a user's grants.

Listed after Django's ``ModelBackend`` (which still checks passwords, so the sessions it signed
stay valid), it authenticates nobody and answers ``load_grants``: core's
``canbo.core.grants.user_grants`` asks the configured backends for it the first time a user
object's grants are read and caches the answer on the user (``user._canbo_grants``), as NetBox's
``ObjectPermissionBackend`` caches object permissions on ``user._object_perm_cache``. So the
bottom layer reads grants without importing this app.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.db.models import Q, QuerySet

from canbo.accounts.models import Grant
from canbo.accounts.selectors import GrantInfo, management_scope_holders, management_scope_q
from canbo.core.kept import KeptQuery


def grant_info(g: Grant) -> GrantInfo:
    """What ``restrict()`` needs of a grant (its unit read with it)."""
    return GrantInfo(
        role=g.role,
        unit_path=g.unit.path if g.unit is not None else None,
        unit_id=g.unit_id,
        person_id=g.person_id,
        include_sensitive=g.include_sensitive,
        management_scope=g.management_scope,
    )


class GrantSet:
    """A user's grants (``core.grants.UserGrants``)."""

    def __init__(self, grants: list[GrantInfo], user: Any = None) -> None:
        self.grants = grants
        self.user = user  # keeps the per-request breadth answers of management_scope_q

    def __iter__(self) -> Iterator[GrantInfo]:
        return iter(self.grants)

    def __len__(self) -> int:
        return len(self.grants)

    def scope_holders(self, management_scope: str) -> QuerySet[Any]:
        return management_scope_holders(management_scope)

    def scope_q(self, management_scope: str, person_field: str) -> Q:
        return management_scope_q(management_scope, person_field, self.user)


# A user's grants with their units: read on every request that restricts a read, i.e. nearly
# every page, so its statement is compiled once per process (``core.kept``); the ORM compiled it
# (both tables' columns, the join, the model's ordering) on every request, a third of the SQL
# compilation of a page (docs/performance.md, "Session 15: the suite (the request path)").
_grants_of = KeptQuery(lambda user_id: Grant.objects.filter(user_id=user_id).select_related("unit"))


class GrantBackend(BaseBackend):
    """Loads a user's grants for ``restrict()`` (one query); authenticates nobody, grants no
    Django permission (``BaseBackend``'s answers)."""

    def load_grants(self, user: Any) -> GrantSet:
        return GrantSet([grant_info(g) for g in _grants_of(user.pk)], user)
