"""Reads of grants. A user's grants are loaded by ``accounts.backends.GrantBackend`` and cached
on the user object (one query per request); ``canbo.core.grants`` reads them, and holds the
checks every app needs (``can_change_anything``, ``is_admin``, ``sees_sensitive_of``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from canbo.accounts.models import CHANGE_ROLES, Grant, Role
from canbo.core import grants as core_grants
from canbo.core.dates import today


@dataclass(frozen=True)
class GrantInfo:
    """What ``restrict()`` needs of a grant."""

    role: str
    unit_path: str | None
    unit_id: int | None
    person_id: int | None
    include_sensitive: bool
    management_scope: str = ""  # "" covers every person of the subtree

    @property
    def can_change(self) -> bool:
        return self.role in CHANGE_ROLES

    @property
    def is_self(self) -> bool:
        return self.role == Role.SELF

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def active_grants(user: Any) -> list[GrantInfo]:
    """``user``'s grants, loaded by ``accounts.backends.GrantBackend`` and cached on the user."""
    return core_grants.active_grants(user)  # type: ignore[return-value]


can_change_anything = core_grants.can_change_anything
is_admin = core_grants.is_admin
sees_sensitive_of = core_grants.sees_sensitive_of


def management_scope_holders(scope: str) -> QuerySet[Any]:
    """The ids of the persons in management scope ``scope`` (diện quản lý) today, as a subquery.

    A person's management scope is not a field of his own: it is the scope of the title he
    holds. He is in ``scope`` when one of his tenures running today (started, not ended) is in a
    title of that scope. This is exact (it follows appointments, transfers and retirements the
    day they take effect, with nothing to keep in step). Someone with several running tenures is
    in each of their scopes.
    """
    from canbo.careers.models import Tenure, on_date_q

    return Tenure.objects.filter(on_date_q(today()), title__management_scope=scope).values("person_id")


# Above this many persons in a management scope, a list is read in its own order and each
# person checked against the scope, rather than read from the scope's persons (see below).
NARROW_SCOPE = 2_000


def is_broad_scope(scope: str, user: Any = None) -> bool:
    """Whether more than NARROW_SCOPE persons hold a title of ``scope`` today: at most
    NARROW_SCOPE + 1 entries of the tenure index are counted. Kept on ``user`` for the request
    (the answer only chooses how a query is driven, never which rows it gives)."""
    from canbo.careers.models import Tenure, on_date_q

    day = today()
    cache: dict[tuple[str, Any], bool] | None = getattr(user, "_canbo_scope_breadth", None)
    if cache is not None and (scope, day) in cache:
        return cache[(scope, day)]
    running = Tenure.objects.filter(on_date_q(day), title__management_scope=scope).order_by()
    broad = running[: NARROW_SCOPE + 1].count() > NARROW_SCOPE
    if user is not None:
        if cache is None:
            cache = {}
            user._canbo_scope_breadth = cache
        cache[(scope, day)] = broad
    return broad


def management_scope_q(scope: str, person_field: str, user: Any = None) -> Q:
    """The rows whose person (``person_field`` of the filtered model) is in management scope
    ``scope`` today (``management_scope_holders``), for ``user``'s grant.

    How the query is driven matters more than the condition. A narrow scope (the few hundred
    persons of "diện Ban Thường vụ Tỉnh ủy quản lý") is best read from its holders: a semi-join,
    each holder then found by primary key. A broad one (most of a province) is not: SQLite still
    started from the holders, found every person by key and sorted them all for the first page
    of a list (482 ms against 119 ms unlimited), and every check of a few candidates of the name
    search built the list of 25,000 holders again (1.1 s). For a broad scope
    (``is_broad_scope``) the condition is a correlated ``EXISTS``: the list is read as an
    unlimited one is (its name index, stopping after a page) and each person is looked up in
    the tenure index (person, dates, title), which answers it alone.
    """
    from canbo.careers.models import Tenure, on_date_q

    if not is_broad_scope(scope, user):
        return Q(**{f"{person_field}__in": management_scope_holders(scope)})
    running = Tenure.objects.filter(
        on_date_q(today()), title__management_scope=scope, person_id=OuterRef(person_field)
    )
    return Q(Exists(running.order_by()))


def admin_grants(user: Any) -> list[GrantInfo]:
    """The user's administrator grants (those that let him manage users and grants)."""
    return [g for g in active_grants(user) if g.role == Role.ADMIN and g.unit_path]


def admin_covers(user: Any, unit: Any, *, sensitive: bool, management_scope: str) -> bool:
    """Whether one of ``user``'s admin grants covers ``unit``'s subtree with at least the given
    breadth: sensitive sections if asked, and no narrower management scope."""
    if getattr(user, "is_superuser", False):
        return True
    for g in admin_grants(user):
        if not unit.path.startswith(g.unit_path or "\0"):
            continue
        if sensitive and not g.include_sensitive:
            continue
        if g.management_scope and g.management_scope != management_scope:
            continue
        return True
    return False


def _covered_q(paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(unit__path__startswith=path) | Q(person__managing_unit__path__startswith=path)
    return q


def managed_users(user: Any) -> QuerySet[Any]:
    """The logins ``user`` administers: every one for a superuser; for an administrator on unit
    subtrees, those (not superusers) whose grants all lie within his subtrees, and those without
    any grant. A user with a grant elsewhere (say, the province's administrator, seen from a
    district) is not his to reset or lock."""
    from django.contrib.auth.models import User

    users = User.objects.all()
    if getattr(user, "is_superuser", False):
        return users
    paths = [g.unit_path for g in admin_grants(user) if g.unit_path and not g.management_scope]
    if not paths:
        return users.none()
    outside = Grant.objects.exclude(_covered_q(paths)).values("user_id")
    return users.filter(is_superuser=False).exclude(pk__in=outside)


def grants_of(user: Any) -> list[tuple[Grant, Any]]:
    """``user``'s grants, each with the change-log entry that created it (who granted it, when,
    why), in two queries."""
    from django.contrib.contenttypes.models import ContentType

    from canbo.core.models import ObjectChange

    grants = list(
        Grant.objects.filter(user=user).select_related("unit", "person").order_by("role", "unit__path", "pk")
    )
    entries = {
        e.object_id: e
        for e in ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Grant),
            object_id__in=[g.pk for g in grants],
            action="create",
        )
    }
    return [(g, entries.get(g.pk)) for g in grants]
