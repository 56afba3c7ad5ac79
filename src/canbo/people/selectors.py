"""Reads of persons, always through the acting user's grants."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from canbo.accounts.selectors import sees_sensitive_of
from canbo.careers.models import BodyMembership, Tenure, on_date_q
from canbo.core.models import ObjectChange
from canbo.core.querysets import CHANGE, VIEW
from canbo.people.choices import AttachmentKind
from canbo.people.models import Attachment, Person
from canbo.people.sections import SectionSpec, visible_sections
from canbo.people.service_history import StatusOn, status_on


def person_queryset(user: Any, action: str = VIEW) -> QuerySet[Person]:
    return Person.objects.restrict(user, action)


def person_get(user: Any, pk: int, action: str = VIEW) -> Person:
    """The person if the user's grants cover him; raises Person.DoesNotExist otherwise (→ 404)."""
    return (
        person_queryset(user, action)
        .select_related("managing_unit", "ethnicity", "religion", "birth_place", "home_town", "residence")
        .get(pk=pk)
    )


@dataclass
class SectionBlock:
    spec: SectionSpec
    rows: list[tuple[Any, list[Any]]]  # (record, its cells in column order)


@dataclass
class Dossier:
    """Everything the person page shows, computed for one as-of date."""

    person: Person
    day: dt.date
    age: int
    current_tenures: list[Tenure]
    current_memberships: list[BodyMembership]
    timeline: list[Tenure]
    sections: list[SectionBlock]
    photo: Attachment | None
    can_change: bool
    sensitive_ok: bool
    service_status: StatusOn

    @property
    def in_service(self) -> bool:
        return self.service_status.in_service


def dossier(user: Any, person: Person, day: dt.date) -> Dossier:
    sensitive_ok = sees_sensitive_of(user, person)
    can_change = person_queryset(user, CHANGE).filter(pk=person.pk).exists()
    tenures = list(
        Tenure.objects.filter(person=person)
        .select_related("unit", "title")
        .prefetch_related("unit__former_names")
        .order_by("start_date", "id")
    )
    for t in tenures:
        # The unit's name while the post was held (a rename after it does not rewrite the past).
        seen_on = min(day, t.end_date) if t.end_date else day
        t.unit_label = t.unit.name_on(seen_on)
    current = [t for t in tenures if t.start_date <= day and (t.end_date is None or t.end_date >= day)]
    current.sort(key=lambda t: (not t.is_primary, -t.title.rank))
    memberships = list(
        BodyMembership.objects.filter(person=person).filter(on_date_q(day)).select_related("body")
    )
    blocks = []
    for spec in visible_sections(sensitive_ok=sensitive_ok):
        qs = spec.model._default_manager.filter(person=person)
        rows = [(obj, [col(obj) for _label, col in spec.columns]) for obj in spec.rows(qs, day)]
        blocks.append(SectionBlock(spec=spec, rows=rows))
    photo = (
        Attachment.objects.filter(person=person, kind=AttachmentKind.PHOTO, created__date__lte=day)
        .order_by("-created")
        .first()
    )
    return Dossier(
        person=person,
        day=day,
        age=person.age_on(day),
        current_tenures=current,
        current_memberships=memberships,
        timeline=[t for t in tenures if t.start_date <= day],
        sections=blocks,
        photo=photo,
        can_change=can_change,
        sensitive_ok=sensitive_ok,
        service_status=status_on(person, day),
    )


def person_history(user: Any, person: Person) -> QuerySet[ObjectChange]:
    """Changes to the person and to every section of his dossier (the caller has checked access).

    Changes to sensitive sections are listed only for users who may see those sections.
    """
    qs = ObjectChange.objects.filter(related_person_id=person.pk).select_related("content_type")
    if not sees_sensitive_of(user, person):
        hidden = [s.model._meta.model_name for s in visible_sections(sensitive_ok=True) if s.sensitive]
        qs = qs.exclude(content_type__model__in=hidden)
    return qs.order_by("-time", "-id")
