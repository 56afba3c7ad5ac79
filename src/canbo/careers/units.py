"""What the organisation's pages and restructuring read and write of careers (``org.hooks``,
registered in ``CareersConfig.ready()``): the people holding posts in a unit, and their tenures
and memberships closed or carried over when a unit ends or moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import Q, QuerySet

from canbo.careers.models import BodyMembership, Tenure, TenureKind, on_date_q
from canbo.core.errors import DomainError
from canbo.core.services import audited_create, audited_update
from canbo.core.types import ActingUser
from canbo.org.models import Unit

DAY = dt.timedelta(days=1)

# The ids of units known to hold no tenure and no membership (``units_known_empty``).
_known_empty: ContextVar[set[int] | None] = ContextVar("careers_known_empty", default=None)


@contextmanager
def units_known_empty(unit_ids: Iterable[int]) -> Iterator[None]:
    """Within it, ``close_tenures`` takes the units of ``unit_ids`` that hold no tenure and no
    membership (read here, in two queries) as empty, without its two reads per unit.

    For a caller that restructures many units and meanwhile writes tenures and memberships only
    through these hooks (the demo generator, whose ~860 operations run before any person
    exists): a unit that receives a carried tenure or membership is read again."""
    ids = set(unit_ids)
    held = set(Tenure.objects.filter(unit_id__in=ids).values_list("unit_id", flat=True).distinct())
    held |= set(BodyMembership.objects.filter(body_id__in=ids).values_list("body_id", flat=True).distinct())
    token = _known_empty.set(ids - held)
    try:
        yield
    finally:
        _known_empty.reset(token)


def _is_known_empty(unit: Unit) -> bool:
    empty = _known_empty.get()
    return empty is not None and unit.pk in empty


def _receives(unit: Unit) -> None:
    """``unit`` gets a tenure or membership: no longer known to be empty."""
    empty = _known_empty.get()
    if empty is not None:
        empty.discard(unit.pk)


def unit_people_on(user: Any, unit: Unit, day: dt.date, *, subtree: bool = False) -> QuerySet[Tenure]:
    """Tenures held in the unit (or its subtree) on ``day``, visible to the user."""
    qs = Tenure.objects.restrict(user).filter(on_date_q(day))
    qs = qs.filter(unit__path__startswith=unit.path) if subtree else qs.filter(unit=unit)
    return qs.select_related("person", "title", "unit").order_by("-title__rank", "person__sort_key")


def tenures_in_subtree_on(user: Any, root: Unit, day: dt.date) -> QuerySet[Tenure]:
    """The tenures held in ``root``'s subtree on ``day`` that the user may see, by name."""
    return (
        Tenure.objects.restrict(user)
        .filter(unit__path__startswith=root.path)
        .filter(on_date_q(day))
        .select_related("person", "unit", "title")
        .order_by("person__sort_key")
    )


def running_people(user: Any, unit: Unit) -> list[tuple[int, str]]:
    """(person id, "name (title)") of the people with an open tenure at ``unit``."""
    tenures = (
        Tenure.objects.restrict(user)
        .filter(unit=unit, end_date__isnull=True)
        .select_related("person", "title")
        .order_by("person__sort_key")
    )
    seen: dict[int, str] = {}
    for t in tenures:
        seen.setdefault(t.person_id, f"{t.person.full_name} ({t.title.name})")
    return list(seen.items())


def _running_on(qs: Any, on: dt.date) -> list[Any]:
    """Tenures or memberships of ``qs`` still running on ``on``; refuse any that start later.

    A record that ends on or after ``on`` is running as much as an open one: leaving it would
    keep someone in a unit after its last day. One that starts on or after ``on`` cannot be
    closed the day before, so the operation is refused until it is corrected.
    """
    running = list(qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=on)).select_related("person"))
    for rec in running:
        if rec.start_date >= on:
            raise DomainError(
                f"“{rec.person}” có “{rec}” bắt đầu từ {rec.start_date:%d/%m/%Y}, không trước ngày sắp xếp "
                f"{on:%d/%m/%Y}; hãy sửa bản ghi đó trước."
            )
    return running


def close_tenures(
    unit: Unit,
    *,
    on: dt.date,
    acting_user: ActingUser,
    reason: str,
    carry: Callable[[int], Unit | None],
) -> int:
    """Close the tenures and memberships at ``unit`` the day before ``on``; carry each person
    that ``carry(person_id)`` maps to a unit with a new tenure there from ``on``.

    Returns the number of tenures carried.
    """
    if _is_known_empty(unit):
        return 0
    last_day = on - DAY
    carried = 0
    tenures = _running_on(Tenure.objects.filter(unit=unit).select_related("title"), on)
    memberships = _running_on(BodyMembership.objects.filter(body=unit), on)
    for tenure in tenures:
        audited_update(
            tenure,
            acting_user=acting_user,
            changes={"end_date": last_day, "end_reason": reason[:200]},
            reason=reason,
            check_scope=False,
        )
        target = carry(tenure.person_id)
        if target is not None:
            _receives(target)
            audited_create(
                Tenure(
                    person=tenure.person,
                    unit=target,
                    title=tenure.title,
                    kind=TenureKind.CARRIED,
                    is_primary=tenure.is_primary,
                    start_date=on,
                ),
                acting_user=acting_user,
                reason=reason,
                check_scope=False,
            )
            carried += 1
    for membership in memberships:
        audited_update(
            membership,
            acting_user=acting_user,
            changes={"end_date": last_day},
            reason=reason,
            check_scope=False,
        )
    return carried


def carry_memberships(
    unit: Unit, successor: Unit, *, on: dt.date, acting_user: ActingUser, reason: str
) -> None:
    """The memberships of a body that moves carry over to its successor from ``on``: the body is
    the same, in a new place (the restructuring closes the old ones with the unit)."""
    _receives(successor)
    for membership in _running_on(BodyMembership.objects.filter(body=unit), on):
        audited_create(
            BodyMembership(
                person=membership.person,
                body=successor,
                kind=membership.kind,
                role=membership.role,
                term=membership.term,
                start_date=on,
                decision_number=membership.decision_number,
            ),
            acting_user=acting_user,
            reason=reason,
            check_scope=False,
        )
