"""Writes of tenures and memberships."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from canbo.careers.models import BodyMembership, Tenure, TenureKind
from canbo.core.errors import DomainError
from canbo.core.services import audited_create, audited_update
from canbo.core.types import ActingUser
from canbo.org.models import Title, Unit
from canbo.people.models import Person


def tenure_start(
    *,
    acting_user: ActingUser,
    person: Person,
    unit: Unit,
    title: Title,
    kind: str,
    start_date: dt.date,
    reason: str = "",
    move_dossier: bool | None = None,
    **fields: Any,
) -> Tenure:
    """Record that ``person`` takes ``title`` in ``unit`` from ``start_date``.

    A primary tenure also moves the dossier to the new unit (``managing_unit``) unless
    ``move_dossier`` is False: the unit a person serves in keeps his dossier.
    """
    with transaction.atomic():
        tenure = audited_create(
            Tenure(person=person, unit=unit, title=title, kind=kind, start_date=start_date, **fields),
            acting_user=acting_user,
            reason=reason,
        )
        primary = fields.get("is_primary", True)
        if (move_dossier if move_dossier is not None else primary) and person.managing_unit_id != unit.pk:
            # Scope is checked: moving the dossier out of the acting user's subtree is refused.
            audited_update(person, acting_user=acting_user, changes={"managing_unit": unit}, reason=reason)
    return tenure


def tenure_end(
    *, acting_user: ActingUser, tenure: Tenure, end_date: dt.date, end_reason: str = "", reason: str = ""
) -> Tenure:
    """Close a tenure on ``end_date`` (the last day held)."""
    if tenure.end_date is not None and tenure.end_date <= end_date:
        raise DomainError("Chức vụ này đã kết thúc.")
    return audited_update(
        tenure,
        acting_user=acting_user,
        changes={"end_date": end_date, "end_reason": end_reason or tenure.end_reason},
        reason=reason,
    )


def membership_add(
    *, acting_user: ActingUser, person: Person, body: Unit, reason: str = "", **fields: Any
) -> BodyMembership:
    return audited_create(
        BodyMembership(person=person, body=body, **fields), acting_user=acting_user, reason=reason
    )


def carried_kind() -> str:
    return TenureKind.CARRIED
