"""Reads of persons, always through the acting user's grants."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.html import format_html
from django.utils.timezone import localdate

from canbo.core.dates import today
from canbo.core.grants import sees_sensitive_of
from canbo.core.kept import KeptQuery
from canbo.core.models import ObjectChange
from canbo.core.querysets import CHANGE, VIEW, scope_q
from canbo.org.models import Unit
from canbo.org.selectors import unit_label, unit_label_on
from canbo.people.choices import AttachmentKind
from canbo.people.models import Attachment, Person
from canbo.people.panels import PanelBlock, panels_on
from canbo.people.sections import SectionSpec, read_records, remember_records, visible_sections
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
    rows: list[tuple[Any, list[Any]]]  # (record, its cells in column order), as on the day
    later: int = 0  # records that begin after the day: not shown, only counted


@dataclass(frozen=True)
class UnitOnDay:
    """The managing unit as the page can show it for a day. CanBo keeps no history of which
    unit managed a dossier, so this is always today's unit; ``in_force`` says whether it
    existed on the day at all, ``name`` is its name on that day (today's if it did not exist)."""

    unit: Unit
    name: str
    in_force: bool


@dataclass
class Dossier:
    """Everything the person page shows, computed for one as-of date."""

    person: Person
    day: dt.date
    age: int
    sections: list[SectionBlock]
    managing_unit: UnitOnDay
    photo: Attachment | None
    can_change: bool
    sensitive_ok: bool
    service_status: StatusOn
    # What other apps show on the page (``people.panels``), by place of the page.
    panels: dict[str, list[PanelBlock]]
    salary_row: Any = None  # the salary-history row in force on the day, if any

    @property
    def in_service(self) -> bool:
        return self.service_status.in_service


def dossier(user: Any, person: Person, day: dt.date) -> Dossier:
    sensitive_ok = sees_sensitive_of(user, person)
    # No limit on changing persons (a superuser): no query to ask.
    unlimited = scope_q(Person, user, CHANGE) is None
    can_change = unlimited or person_queryset(user, CHANGE).filter(pk=person.pk).exists()
    specs = visible_sections(sensitive_ok=sensitive_ok)
    filled = sections_with_records(specs, person)
    blocks = [section_on(spec, person, day, empty=spec.model not in filled) for spec in specs]
    unit = person.managing_unit
    in_force = unit.in_force_on(day)
    # Today's name needs no look-up of former names (one query saved on the usual page).
    unit_name = unit_label_on(unit, day) if in_force and day != today() else unit_label(unit)
    photo = photo_on(person, day)
    return Dossier(
        person=person,
        day=day,
        age=person.age_on(day),
        sections=blocks,
        managing_unit=UnitOnDay(unit=unit, name=unit_name, in_force=in_force),
        photo=photo,
        can_change=can_change,
        sensitive_ok=sensitive_ok,
        service_status=status_on(person, day),
        panels=panels_on(user, person, day),
        salary_row=next((b.rows[0][0] for b in blocks if b.spec.slug == "dien-bien-luong" and b.rows), None),
    )


def photo_on(person: Person, day: dt.date) -> Attachment | None:
    """The newest photo stored on or before ``day`` (from the attachments the page read)."""
    attachments = read_records(person, Attachment)
    if attachments is None:
        return (
            Attachment.objects.filter(person=person, kind=AttachmentKind.PHOTO, created__date__lte=day)
            .order_by("-created")
            .first()
        )
    photos = [a for a in attachments if a.kind == AttachmentKind.PHOTO and localdate(a.created) <= day]
    return max(photos, key=lambda a: a.created, default=None)


@functools.cache
def _filled_sql(specs: tuple[SectionSpec, ...]) -> str:
    qn = connection.ops.quote_name
    return " UNION ALL ".join(
        # Table and column names from the models, quoted; the person's id is a parameter.
        f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {qn(s.model._meta.db_table)} "  # noqa: S608
        f"WHERE {qn(s.model._meta.get_field('person').column)} = %s)"
        for i, s in enumerate(specs)
    )


def sections_with_records(specs: list[SectionSpec], person: Person) -> set[type[Any]]:
    """The section models of which ``person`` has at least one record: one statement (an
    ``EXISTS`` per section on the person's index), so that the page reads only the sections that
    hold something (most dossiers leave half of them empty, and each read costs its SQL compiled
    by the ORM). The caller has checked that the user may see the person."""
    key = tuple(specs)
    with connection.cursor() as cursor:
        cursor.execute(_filled_sql(key), [person.pk] * len(key))
        return {key[i].model for (i,) in cursor.fetchall()}


def _of_person(model: Any, person_id: int) -> QuerySet[Any]:
    """The person's records in the model's order, less its leading "person": every row is his,
    and ordering by a person joins the person table for his sort key (one join per section)."""
    ordering = [o for o in model._meta.ordering if o not in ("person", "person_id")]
    return model._default_manager.filter(person_id=person_id).order_by(*ordering)


_SECTION_READS: dict[SectionSpec, KeptQuery[Any]] = {}


def section_records(spec: SectionSpec, person_id: int) -> list[Any]:
    """The person's records of a section, as ``spec.rows`` reads them, with the statement
    compiled once per process (``core.kept``: the ORM's compilation of the eight or so section
    reads was about a third of the person page)."""
    kept = _SECTION_READS.get(spec)
    if kept is None:
        kept = _SECTION_READS[spec] = KeptQuery(lambda pk: spec.rows(_of_person(spec.model, pk)))
    return kept(person_id)


def section_on(spec: SectionSpec, person: Person, day: dt.date, *, empty: bool = False) -> SectionBlock:
    """One section of the dossier as it stood on ``day``.

    Records that begin after the day are left out (and counted, so the page can say so). On a
    day other than today, a date that falls after the day (the end of a post still held then, a
    Party member's recognition) is shown as the record stood on the day, the recorded date
    greyed as "after the day"; today, a future end date is a planned one and shows as recorded.
    ``empty``: the caller knows the person has no record of the section (nothing is read).
    """
    rows: list[tuple[Any, list[Any]]] = []
    later = 0
    past = day != today()
    positions = {label: i for i, (label, _col) in enumerate(spec.columns)}
    records = [] if empty else section_records(spec, person.pk)
    remember_records(person, spec.model, records)
    for obj in records:
        if spec.begins_after(obj, day):
            later += 1
            continue
        cells = [col(obj) for _label, col in spec.columns]
        for mark in spec.later if past else ():
            value = getattr(obj, mark.field)
            if value is not None and value > day:
                i = positions[mark.column]
                cells[i] = format_html(
                    '{} <span class="after-day">{} (sau ngày xem)</span>', mark.on_day, cells[i]
                )
        rows.append((obj, cells))
    return SectionBlock(spec=spec, rows=rows, later=later)


def person_history(user: Any, person: Person) -> QuerySet[ObjectChange]:
    """Changes to the person and to every section of his dossier (the caller has checked access).

    Changes to sensitive sections are listed only for users who may see those sections.
    """
    # Before the read log (core.AccessLog), a résumé printed stood in the change log as a
    # "documentread" entry; those reads are in the read log now, not among the changes.
    qs = (
        ObjectChange.objects.filter(related_person_id=person.pk)
        .exclude(content_type__app_label="documents", content_type__model="documentread")
        .select_related("content_type")
    )
    if not sees_sensitive_of(user, person):
        hidden = [s.model._meta.model_name for s in visible_sections(sensitive_ok=True) if s.sensitive]
        qs = qs.exclude(content_type__model__in=hidden)
    return qs.order_by("-time", "-id")


def staff_counts_on(units: list[Unit], day: dt.date) -> dict[int, dict[str, int]]:
    """Civil servants and public employees counted against each unit's quota on ``day``.

    SWITCH POINT: until "in service on a date" lands in people/, a person counts for the unit
    that manages his dossier (``managing_unit``), by his category, unless he left service on
    or before ``day``. Replace the body with the people selector when it is merged. Registered
    in ``PeopleConfig.ready()`` as ``org.hooks.staff_counts_on``.
    """
    counts: dict[int, dict[str, int]] = {u.pk: {"cong_chuc": 0, "vien_chuc": 0} for u in units}
    rows = (
        Person.objects.filter(managing_unit__in=units, category__in=("cong_chuc", "vien_chuc"))
        .filter(Q(left_service_date__isnull=True) | Q(left_service_date__gt=day))
        .values_list("managing_unit_id", "category")
        .annotate(n=Count("id"))
    )
    for unit_id, category, n in rows:
        counts[unit_id][category] += n
    return counts
