"""A user's grants as the bottom layer sees them.

Core depends on no app of ours, yet ``restrict()`` needs the grants, which live in
``accounts``. They reach core through the user object: an authentication backend (in
``accounts.backends``) loads them on first use and caches them on the user, as NetBox's
``ObjectPermissionBackend`` fills ``user._object_perm_cache``. Core knows only the two small
protocols below and asks the configured backends (``settings.AUTHENTICATION_BACKENDS``) for an
object that satisfies ``UserGrants``; no backend that can: no grant (nothing is let through).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from django.contrib import auth
from django.db.models import Q, QuerySet

#: The attribute that caches a user's grants (one query per user object, so one per request).
CACHE_ATTR = "_canbo_grants"


class Grant(Protocol):
    """What core needs of one grant: a role bound to a unit subtree, or the person role bound to
    one dossier."""

    @property
    def unit_path(self) -> str | None: ...
    @property
    def unit_id(self) -> int | None: ...
    @property
    def person_id(self) -> int | None: ...
    @property
    def include_sensitive(self) -> bool: ...
    @property
    def management_scope(self) -> str: ...  # "" covers every person of the subtree
    @property
    def can_change(self) -> bool: ...
    @property
    def is_self(self) -> bool: ...
    @property
    def is_admin(self) -> bool: ...


class UserGrants(Protocol):
    """The cached attribute: the user's grants, and the persons a management scope covers."""

    def __iter__(self) -> Iterator[Grant]: ...

    def scope_holders(self, management_scope: str) -> QuerySet[Any]:
        """The ids of the persons in ``management_scope`` (diện quản lý) today, as a subquery."""
        ...

    def scope_q(self, management_scope: str, person_field: str) -> Q:
        """The condition "the person in ``person_field`` is in ``management_scope`` today",
        shaped for the scope's size (a semi-join for a narrow one, ``EXISTS`` for a broad one)."""
        ...


class NoGrants:
    """The grants of a user no backend answers for: none."""

    def __iter__(self) -> Iterator[Grant]:
        return iter(())

    def scope_holders(self, management_scope: str) -> QuerySet[Any]:  # pragma: no cover - never asked
        raise LookupError("no grant, no management scope")

    def scope_q(self, management_scope: str, person_field: str) -> Q:  # pragma: no cover - never asked
        raise LookupError("no grant, no management scope")


def user_grants(user: Any) -> UserGrants:
    """``user``'s grants: the cached attribute, filled on first use by the first authentication
    backend that has ``load_grants(user)``."""
    cached = getattr(user, CACHE_ATTR, None)
    if cached is not None:
        return cached
    loaded: UserGrants = NoGrants()
    if getattr(user, "is_authenticated", False):
        for backend in auth.get_backends():
            load = getattr(backend, "load_grants", None)
            if load is not None:
                loaded = load(user)
                break
    setattr(user, CACHE_ATTR, loaded)
    return loaded


def active_grants(user: Any) -> Sequence[Grant]:
    """``user``'s grants, as a list."""
    return list(user_grants(user))


def can_change_anything(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(g.can_change for g in user_grants(user))


def is_admin(user: Any) -> bool:
    """Superusers and holders of an administrator grant."""
    return bool(getattr(user, "is_superuser", False)) or any(g.is_admin for g in user_grants(user))


def in_management_scope(user: Any, person_id: int, scope: str) -> bool:
    return user_grants(user).scope_holders(scope).filter(person_id=person_id).exists()


def sees_sensitive_of(user: Any, person: Any) -> bool:
    """Whether one of the user's grants that covers ``person`` includes sensitive sections."""
    if getattr(user, "is_superuser", False):
        return True
    path = person.managing_unit.path
    for g in user_grants(user):
        if g.is_self and g.person_id == person.pk:
            return True
        if (
            g.include_sensitive
            and g.unit_path
            and path.startswith(g.unit_path)
            and (not g.management_scope or in_management_scope(user, person.pk, g.management_scope))
        ):
            return True
    return False
