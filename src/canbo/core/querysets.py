"""The restricted queryset: every scoped read goes through ``.restrict(user, action)``.

A user's grants (read through ``core.grants``: a role bound to a unit subtree, or the person role
bound to his own dossier) become one ``Q``; a record outside them is simply not in the queryset,
so views answer 404 for it exactly as for a missing record (STYLE.md convention 5).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connections, models
from django.db.models import ForeignKey, Lookup, Q

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
        q |= subtree_q(model, path)
    if scope.scoped_paths:
        grants = user_grants(user)
        for path, management_scope in scope.scoped_paths:
            q |= subtree_q(model, path) & grants.scope_q(management_scope, model.scope_person)
    return q


# A subtree with more rows of a model than this is "broad" for that model (see ``subtree_q``).
NARROW_SUBTREE = 2_000
# How long a process keeps a breadth answer (seconds): it only chooses how a query is driven.
BREADTH_KEPT = 600.0
_breadth: dict[tuple[str, str, str], tuple[bool, float]] = {}
_breadth_lock = threading.Lock()


def _unit_link(model: Any) -> tuple[str, Any] | None:
    """The lookup from ``model`` to the unit whose path ``scope_unit_path`` reads
    (``"person__managing_unit"`` for ``person__managing_unit__path``) and the unit model; None
    for the unit model itself (its own ``path``)."""
    lookup: str = model.scope_unit_path
    if not lookup.endswith("__path"):
        return None
    link = lookup.removesuffix("__path")
    target = model
    for part in link.split("__"):
        target = target._meta.get_field(part).related_model
    return link, target


def subtree_ids(unit_model: Any, path: str) -> Any:
    """Ids of the units in the subtree at ``path``, as a subquery.

    On SQLite, ``LIKE`` (``startswith``) is case-insensitive and reads no index: every unit was
    scanned for each statement (0.15 ms for 2,366 units, on each section a page reads). The same
    units are also a range of the path index: a path that starts with ``path`` sorts between
    ``path`` and ``path`` followed by the highest code point (SQLite compares text bytewise), so
    the range is added there (0.02 ms). PostgreSQL reads the ``LIKE`` prefix from its pattern
    index, and its collation need not sort bytewise, so it gets the ``LIKE`` alone."""
    units = unit_model._base_manager.filter(path__startswith=path)
    if connections[units.db].vendor == "sqlite":
        units = units.filter(path__gte=path, path__lt=path + "\U0010ffff")
    return units.order_by().values("pk")


@ForeignKey.register_lookup
class InIdsOf(Lookup):
    """``fk__in_ids_of=subquery``: the key is one of the subquery's ids, as ``__in`` says, written
    on PostgreSQL as ``key = ANY(ARRAY(subquery))`` (issue 22, the narrow grant's list).

    PostgreSQL plans ``key IN (subquery)`` as a semi-join and estimates its rows from the key's
    average per unit: a district of 136 units, 1,516 of 160,000 dossiers, where most units keep
    few people and a hundred keep half of them, was guessed at 5,000 rows, counted by a parallel
    scan of every dossier (125 ms) and paged by walking the name index (10,297 dossiers for 50,
    53 ms). ``ARRAY(subquery)`` is computed once before the statement (an init plan) and
    ``= ANY`` of it is an index condition; its rows are guessed as for ten keys (991 there), near
    what a narrow subtree holds (``NARROW_SUBTREE``), so the dossiers are read from the unit
    index and sorted: 8–12 ms for the count, 2 ms for the page. The statement names no id, so
    it stays right when compiled once and run later (``rules.selectors._rows``); writing the
    subtree's ids into it would not. Other databases get the plain ``IN`` (SQLite reads it from
    the unit index as it is)."""

    lookup_name = "in_ids_of"

    def get_prep_lookup(self) -> Any:
        return self.rhs  # a subquery of ids

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        params = [*lhs_params, *rhs_params]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", params
        return f"{lhs} IN {rhs}", params


def is_broad_subtree(model: Any, path: str) -> bool:
    """Whether the subtree at ``path`` holds more than ``NARROW_SUBTREE`` rows of ``model``: at
    most ``NARROW_SUBTREE + 1`` of them are counted, once per process and model for
    ``BREADTH_KEPT`` seconds (the answer chooses how a query is driven, never which rows it gives)."""
    link = _unit_link(model)
    if link is None:
        return True
    key = (model._meta.label, model.scope_unit_path, path)
    now = time.monotonic()
    with _breadth_lock:
        found = _breadth.get(key)
    if found is not None and now - found[1] < BREADTH_KEPT:
        return found[0]
    fk, unit_model = link
    rows = model._base_manager.filter(**{f"{fk}__in": subtree_ids(unit_model, path)}).order_by()
    broad = rows[: NARROW_SUBTREE + 1].count() > NARROW_SUBTREE
    with _breadth_lock:
        _breadth[key] = (broad, now)
    return broad


def scope_breadth_reset() -> None:
    """Forget the breadth answers (tests: each test has its own units and rows)."""
    with _breadth_lock:
        _breadth.clear()


def subtree_q(model: Any, path: str) -> Q:
    """The rows of ``model`` whose unit (``scope_unit_path``) is in the subtree at ``path``.

    How the query is driven matters more than the condition (issue 22). As a join on the unit's
    path, SQLite reads a list in its own order (the name index) and checks each row's unit: good
    for a broad subtree, where the first page is found after a few hundred rows, and bad for a
    narrow one: the first 50 of a district's 379 dossiers were found after walking some 5,000
    (24 ms), those of a commune's 25 after all 40,000 (90–130 ms). For a narrow subtree
    (``is_broad_subtree``) the condition is the unit's id in the subtree's ids: its rows are read
    from their unit index and sorted (0.3–0.5 ms), as for the list of a unit
    (``lists.filters.subtree_ids``); on PostgreSQL written ``= ANY(ARRAY(subquery))``
    (``InIdsOf``), whose rows its planner guesses near a narrow subtree's, where it guessed the
    ``IN``'s from the average unit and scanned every dossier. Both give the same rows: units are
    never moved, so a path is the same on every date."""
    link = _unit_link(model)
    if link is None or is_broad_subtree(model, path):
        return Q(**{f"{model.scope_unit_path}__startswith": path})
    fk, unit_model = link
    return Q(**{f"{fk}__in_ids_of": subtree_ids(unit_model, path)})


class RestrictedQuerySet(models.QuerySet):
    """QuerySet with ``restrict(user, action)``; see ``scope_q``."""

    def restrict(self, user: Any, action: str = VIEW) -> RestrictedQuerySet:
        q = scope_q(self.model, user, action)
        return self if q is None else self.filter(q)
