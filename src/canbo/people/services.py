"""Writes of persons and their dossier sections. Every write is validated, logged with its
reason and re-checked against the acting user's grants inside the transaction."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from canbo.core.context import current_reason
from canbo.core.errors import DomainError, StorageFull
from canbo.core.querysets import VIEW
from canbo.core.services import audited_create, audited_delete, audited_update, ensure_can_change
from canbo.core.text import fold, normalize_name, split_name
from canbo.core.types import ActingUser
from canbo.core.vnsort import name_sort_key
from canbo.people.models import Attachment, Person, PersonSection, ServiceEvent

# Derived name fields: kept in step with full_name here, the one place a name is written.
NAME_FIELDS = ("family_name", "middle_name", "given_name", "search_name", "sort_key")


def _derive_names(person: Person) -> None:
    person.full_name = normalize_name(person.full_name)
    person.family_name, person.middle_name, person.given_name = split_name(person.full_name)
    person.search_name = fold(person.full_name)
    person.sort_key = name_sort_key(person.given_name, person.middle_name, person.family_name)


# The one answer for a personal ID held by a dossier the user may not see, whatever hides it
# (another subtree, a unit above his, a narrower management scope): no existence oracle.
HIDDEN_CONFLICT = (
    "Không thể dùng số định danh này cho hồ sơ: hãy liên hệ Ban Tổ chức Tỉnh ủy hoặc Sở Nội vụ "
    "để được hướng dẫn."
)


def personal_id_hidden(
    personal_id: str | None, acting_user: ActingUser, exclude_pk: int | None = None
) -> bool:
    """Whether ``personal_id`` belongs to another dossier ``acting_user`` may not see (the system,
    ``None``, sees every dossier). A dossier he sees is named by the usual uniqueness message."""
    if not personal_id or acting_user is None:
        return False
    others = Person.objects.filter(personal_id=personal_id)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists() and not others.restrict(acting_user, VIEW).exists()


def _check_personal_id(
    personal_id: str | None, acting_user: ActingUser, exclude_pk: int | None = None
) -> None:
    if personal_id_hidden(personal_id, acting_user, exclude_pk):
        raise ValidationError({"personal_id": HIDDEN_CONFLICT})


def person_create(*, acting_user: ActingUser, reason: str = "", **fields: Any) -> Person:
    """Create a dossier. The managing unit must lie inside the acting user's grants."""
    _check_personal_id(fields.get("personal_id"), acting_user)
    person = Person(**fields)
    _derive_names(person)
    return audited_create(person, acting_user=acting_user, reason=reason)


def person_update(
    *,
    acting_user: ActingUser,
    person: Person,
    changes: dict[str, Any],
    reason: str = "",
    expected_version: int | None = None,
) -> Person:
    """Change identity fields; moving the dossier to a unit outside the grants is refused."""
    if "personal_id" in changes:
        _check_personal_id(changes["personal_id"], acting_user, exclude_pk=person.pk)
    if "full_name" in changes:
        tmp = Person(full_name=changes["full_name"])
        _derive_names(tmp)
        changes = {**changes, **{f: getattr(tmp, f) for f in ("full_name", *NAME_FIELDS)}}
    return audited_update(
        person, acting_user=acting_user, changes=changes, reason=reason, expected_version=expected_version
    )


def section_create(
    *, acting_user: ActingUser, person: Person, instance: PersonSection, reason: str = ""
) -> PersonSection:
    """Add a section record (qualification, tenure, award, …) to ``person``'s dossier."""
    with transaction.atomic():
        ensure_can_change(person, acting_user)
        instance.person = person
        _check_linked_scope(instance, acting_user)
        created = audited_create(instance, acting_user=acting_user, reason=reason)
        _after_section_write(created, acting_user=acting_user, reason=reason)
        return created


def _after_section_write(instance: PersonSection, *, acting_user: ActingUser, reason: str) -> None:
    """A service event changes the person's periods of service: derive them again, in the
    same transaction, and write the person's derived fields through the audited path (his
    history then shows the new "Ngày thôi công tác" with the event's reason). Other sections
    derive through their own hook (a salary row keeps the person's current salary fields)."""
    instance.after_section_write(acting_user)
    if not isinstance(instance, ServiceEvent):
        return
    from canbo.people import service_history

    person = Person.objects.get(pk=instance.person_id)
    death = ServiceEvent.objects.filter(person=person, kind="tu_tran").order_by("event_date").first()
    if (
        death is not None
        and ServiceEvent.objects.filter(person=person, event_date__gt=death.event_date).exists()
    ):
        raise ValidationError({"event_date": "Không thể ghi sự kiện công tác sau ngày từ trần."})
    audited_update(
        person,
        acting_user=acting_user,
        changes=service_history.refresh(person),
        reason=reason,
    )


def _check_linked_scope(instance: PersonSection, acting_user: ActingUser) -> None:
    """Records that point at a unit (a tenure) must point inside the user's grants as well."""
    for name in getattr(type(instance), "scope_also", ()):
        target = getattr(instance, name, None)
        if target is not None:
            ensure_can_change(target, acting_user)


def section_update(
    *,
    acting_user: ActingUser,
    instance: PersonSection,
    changes: dict[str, Any],
    reason: str = "",
    expected_version: int | None = None,
) -> PersonSection:
    if "person" in changes or "person_id" in changes:
        raise DomainError("Không thể chuyển bản ghi sang hồ sơ khác.")
    with transaction.atomic():
        for name in getattr(type(instance), "scope_also", ()):
            target = changes.get(name)
            if target is not None:
                ensure_can_change(target, acting_user)
        updated = audited_update(
            instance,
            acting_user=acting_user,
            changes=changes,
            reason=reason,
            expected_version=expected_version,
        )
        _after_section_write(updated, acting_user=acting_user, reason=reason)
        return updated


def section_delete(
    *, acting_user: ActingUser, instance: PersonSection, reason: str = "", expected_version: int | None = None
) -> None:
    reason = current_reason(reason)
    if not reason:
        raise DomainError("Hãy ghi lý do xóa (ví dụ số quyết định).")
    with transaction.atomic():
        audited_delete(instance, acting_user=acting_user, reason=reason, expected_version=expected_version)
        _after_section_write(instance, acting_user=acting_user, reason=reason)
        if isinstance(instance, Attachment):
            transaction.on_commit(lambda: _remove_if_unused(instance.storage_name))


ALLOWED_TYPES = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}


def _storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "attachments"


def storage_path(storage_name: str) -> Path:
    return _storage_root() / storage_name


def _remove_if_unused(storage_name: str) -> None:
    if not Attachment.objects.filter(storage_name=storage_name).exists():
        storage_path(storage_name).unlink(missing_ok=True)


def _size_text(n: int) -> str:
    """A byte count as people read it ("20 MB", "1,5 MB", "500 KB"), never "0 MB"."""
    mib = n / (1024 * 1024)
    if mib >= 1:
        return f"{mib:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"
    return f"{max(1, n // 1024)} KB"


def attachment_add(
    *, acting_user: ActingUser, person: Person, upload: UploadedFile, kind: str, title: str, reason: str = ""
) -> Attachment:
    """Store an uploaded scan on disk under its SHA-256 and record it in the dossier.

    Only PDF, JPEG and PNG are accepted, checked by their first bytes rather than the name.
    Identical files are stored once.
    """
    max_bytes = settings.CANBO_MAX_ATTACHMENT_BYTES
    if upload.size is None or upload.size == 0:
        raise DomainError("Tệp rỗng.")
    if upload.size > max_bytes:
        raise DomainError(f"Tệp quá lớn: tối đa {_size_text(max_bytes)}.")
    head = upload.read(16)
    upload.seek(0)
    content_type = next((ct for ct, magic in ALLOWED_TYPES.items() if head.startswith(magic)), None)
    if content_type is None:
        raise DomainError("Chỉ nhận tệp PDF, JPEG hoặc PNG.")
    root = _storage_root()
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        storage_name = f"{sha[:2]}/{sha}"
        final = storage_path(storage_name)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, final)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if StorageFull.raised_by(exc):
            raise StorageFull() from exc
        raise
    attachment = Attachment(
        kind=kind,
        title=title.strip() or (upload.name or "tài liệu"),
        storage_name=storage_name,
        sha256=sha,
        size=upload.size,
        content_type=content_type,
        original_name=(upload.name or "")[:255],
    )
    try:
        return section_create(acting_user=acting_user, person=person, instance=attachment, reason=reason)  # type: ignore[return-value]
    except Exception:
        _remove_if_unused(storage_name)
        raise
