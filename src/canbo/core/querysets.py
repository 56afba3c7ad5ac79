"""The restricted queryset: every scoped read goes through ``.restrict(user, action)``.

A user's grants (read through ``core.grants``: a role bound to a unit subtree, or the person role
bound to his own dossier) become one ``Q``; a record outside them is simply not in the queryset,
so views answer 404 for it exactly as for a missing record (STYLE.md convention 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from canbo.core.grants import user_grants

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

VIEW = "view"
CHANGE = "change"


@dataclass(frozen=True)
class GrantScope:
    """What a user's grants let through for a model: the records kept in the unit subtrees of
    ``unit_paths`` and those of the persons ``persons`` (the "self" role). ``unit_paths`` None:
    no limit (a superuser)."""

    unit_paths: tuple[str, ...] | None
    persons: tuple[int, ...] = ()
    # (unit path, management scope): the persons of the subtree who are in that scope (diện
    # quản lý) today — grants limited to a management scope, on person-bound models only.
    scoped_paths: tuple[tuple[str, str], ...] = ()


def grant_scope(model: Any, user: AbstractBaseUser | AnonymousUser, action: str = VIEW) -> GrantScope:
    """The unit subtrees and persons whose records of ``model`` ``user`` may see (or change)."""
    if not user.is_authenticated:
        return GrantScope(unit_paths=())
    if getattr(user, "is_superuser", False):
        return GrantScope(unit_paths=None)
    paths: list[str] = []
    persons: list[int] = []
    scoped: list[tuple[str, str]] = []
    for grant in user_grants(user):
        if action == CHANGE and not grant.can_change:
            continue
        if grant.is_self:
            if model.scope_person and grant.person_id:
                persons.append(grant.person_id)
            continue
        if model.sensitive and not grant.include_sensitive:
            continue
        if not (grant.unit_path and model.scope_unit_path):
            continue
        if grant.management_scope:
            # A grant limited to a management scope keeps the persons of that scope; records
            # bound to nobody (units, plans, lists) it may read for finding its way, not change.
            if model.scope_person:
                scoped.append((grant.unit_path, grant.management_scope))
            elif action != CHANGE:
                paths.append(grant.unit_path)
            continue
        paths.append(grant.unit_path)
    return GrantScope(unit_paths=tuple(paths), persons=tuple(persons), scoped_paths=tuple(scoped))


def scope_q(model: Any, user: AbstractBaseUser | AnonymousUser, action: str = VIEW) -> Q | None:
    """The filter that limits ``model`` to what ``user`` may do; None means no limit."""
    scope = grant_scope(model, user, action)
    if scope.unit_paths is None:
        return None
    q = Q(pk__in=[])
    for person in scope.persons:
        q |= Q(**{model.scope_person: person})
    for path in scope.unit_paths:
        q |= Q(**{f"{model.scope_unit_path}__startswith": path})
    if scope.scoped_paths:
        grants = user_grants(user)
        for path, management_scope in scope.scoped_paths:
            q |= Q(**{f"{model.scope_unit_path}__startswith": path}) & grants.scope_q(
                management_scope, model.scope_person
            )
    return q


class RestrictedQuerySet(models.QuerySet):
    """QuerySet with ``restrict(user, action)``; see ``scope_q``."""

    def restrict(self, user: Any, action: str = VIEW) -> RestrictedQuerySet:
        q = scope_q(self.model, user, action)
        return self if q is None else self.filter(q)
