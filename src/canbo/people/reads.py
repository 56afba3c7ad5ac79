"""The dossier's reads in the read log (``core.readlog``): what the person page, the API and the
attachment download write, and who may see the reads of a dossier."""

from __future__ import annotations

import datetime as dt
from typing import Any

from canbo.core.dates import today
from canbo.core.grants import user_grants
from canbo.core.readlog import Kind, record_read
from canbo.people.models import Person
from canbo.people.sections import SectionSpec


def _on(day: dt.date | None) -> str:
    return f" tại ngày {day:%d/%m/%Y}" if day is not None and day != today() else ""


def page_read(request: Any, person: Person, sections: list[SectionSpec], day: dt.date) -> None:
    """The person page: every section it shows; the sensitive ones named."""
    sensitive = [s.title for s in sections if s.sensitive]
    what = "Trang hồ sơ" + _on(day)
    if sensitive:
        what += " (gồm mục nhạy cảm: " + ", ".join(sensitive) + ")"
    record_read(request, person.pk, what, bool(sensitive), person_name=person.full_name)


def history_read(request: Any, person: Person) -> None:
    record_read(request, person.pk, "Lịch sử thay đổi hồ sơ", person_name=person.full_name)


def api_person_read(request: Any, person: Person) -> None:
    record_read(request, person.pk, "Hồ sơ qua API", kind=Kind.API, person_name=person.full_name)


def api_persons_read(request: Any, person_ids: list[int]) -> None:
    """A page of the API's person list: one row per person, one INSERT."""
    if person_ids:
        record_read(request, person_ids, "Danh sách hồ sơ qua API", kind=Kind.API)


def api_section_read(request: Any, person: Person, spec: SectionSpec) -> None:
    record_read(
        request,
        person.pk,
        f"Mục “{spec.title}” qua API",
        spec.sensitive,
        kind=Kind.API,
        person_name=person.full_name,
    )


def attachment_read(request: Any, person: Person, title: str, sensitive: bool = False) -> None:
    record_read(
        request,
        person.pk,
        f"Tệp đính kèm “{title}”",
        sensitive,
        kind=Kind.ATTACHMENT,
        person_name=person.full_name,
    )


def sees_reads_of(user: Any, person: Person) -> bool:
    """Who may see who read a dossier: an administrator whose grant covers it, and the person
    himself (the caller has checked the dossier is within the user's grants)."""
    if getattr(user, "is_superuser", False):
        return True
    path = person.managing_unit.path
    for g in user_grants(user):
        if g.is_self and g.person_id == person.pk:
            return True
        if g.is_admin and g.unit_path and path.startswith(g.unit_path):
            return True
    return False
