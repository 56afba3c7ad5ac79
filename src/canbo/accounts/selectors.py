"""Reads of grants. ``active_grants`` is called on every scoped query, so it is cached per user
object (one query per request)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from canbo.accounts.models import CHANGE_ROLES, Grant, Role


@dataclass(frozen=True)
class GrantInfo:
    """What ``restrict()`` needs of a grant."""

    role: str
    unit_path: str | None
    unit_id: int | None
    person_id: int | None
    include_sensitive: bool

    @property
    def can_change(self) -> bool:
        return self.role in CHANGE_ROLES

    @property
    def is_self(self) -> bool:
        return self.role == Role.SELF


def active_grants(user: Any) -> list[GrantInfo]:
    cached = getattr(user, "_canbo_grants", None)
    if cached is not None:
        return cached
    grants = [
        GrantInfo(
            role=g.role,
            unit_path=g.unit.path if g.unit is not None else None,
            unit_id=g.unit_id,
            person_id=g.person_id,
            include_sensitive=g.include_sensitive,
        )
        for g in Grant.objects.filter(user=user).select_related("unit")
    ]
    user._canbo_grants = grants
    return grants


def can_change_anything(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(g.can_change for g in active_grants(user))


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(
        g.role == Role.ADMIN for g in active_grants(user)
    )


def sees_sensitive_of(user: Any, person: Any) -> bool:
    """Whether one of the user's grants that covers ``person`` includes sensitive sections."""
    if getattr(user, "is_superuser", False):
        return True
    path = person.managing_unit.path
    for g in active_grants(user):
        if g.is_self and g.person_id == person.pk:
            return True
        if g.include_sensitive and g.unit_path and path.startswith(g.unit_path):
            return True
    return False
