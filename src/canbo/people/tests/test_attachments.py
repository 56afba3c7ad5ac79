"""Attachments: bytes on disk under their SHA-256, only the reference in the database."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.people.models import Attachment, Person
from canbo.people.services import attachment_add, section_delete, storage_path

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x00" * 40


def _files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _add(user: User, person: Person, content: bytes, name: str = "quyet-dinh.pdf", **kw: Any) -> Attachment:
    return attachment_add(
        acting_user=user,
        person=person,
        upload=SimpleUploadedFile(name, content),
        kind=kw.pop("kind", "quyet_dinh"),
        title=kw.pop("title", "Quyết định bổ nhiệm"),
        reason=kw.pop("reason", "Bổ sung hồ sơ"),
    )


@pytest.mark.parametrize(
    ("content", "content_type"), [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")]
)
def test_stored_on_disk_under_its_checksum(
    users: dict[str, User], person_a: Person, content: bytes, content_type: str
) -> None:
    att = _add(users["officer_a"], person_a, content, name="scan.bin")
    sha = hashlib.sha256(content).hexdigest()
    expected = Path(settings.MEDIA_ROOT) / "attachments" / sha[:2] / sha
    assert att.sha256 == sha
    assert att.storage_name == f"{sha[:2]}/{sha}"
    assert storage_path(att.storage_name) == expected
    assert expected.read_bytes() == content
    assert _files() == [expected]
    fresh = Attachment.objects.get(pk=att.pk)
    assert (fresh.size, fresh.content_type, fresh.original_name) == (len(content), content_type, "scan.bin")
    # The database holds the reference only: no field carries the bytes.
    assert all(not isinstance(v, bytes | memoryview) for v in fresh.snapshot().values())
    entry = ObjectChange.objects.get(content_type__model="attachment", object_id=att.pk)
    assert entry.related_person_id == person_a.pk and entry.reason == "Bổ sung hồ sơ"


def test_identical_files_are_stored_once(users: dict[str, User], person_a: Person) -> None:
    first = _add(users["officer_a"], person_a, PDF, title="Bản 1")
    second = _add(users["officer_a"], person_a, PDF, title="Bản 2")
    assert first.storage_name == second.storage_name
    assert len(_files()) == 1


def test_title_defaults_to_the_file_name(users: dict[str, User], person_a: Person) -> None:
    att = _add(users["officer_a"], person_a, PDF, name="bang-dai-hoc.pdf", title="   ")
    assert att.title == "bang-dai-hoc.pdf"


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (b"day la van ban, khong phai PDF", "gia-mao.pdf", "Chỉ nhận tệp PDF, JPEG hoặc PNG"),
        (b"GIF89a" + b"\x00" * 20, "anh.gif", "Chỉ nhận tệp PDF, JPEG hoặc PNG"),
        (b"PK\x03\x04" + b"\x00" * 20, "ho-so.docx", "Chỉ nhận tệp PDF, JPEG hoặc PNG"),
        (b"", "rong.pdf", "Tệp rỗng"),
    ],
)
def test_refuses_bad_content(
    users: dict[str, User], person_a: Person, content: bytes, name: str, fragment: str
) -> None:
    count = ObjectChange.objects.count()
    with pytest.raises(DomainError) as exc:
        _add(users["officer_a"], person_a, content, name=name)
    assert fragment in exc.value.message
    assert _files() == []
    assert not Attachment.objects.exists()
    assert ObjectChange.objects.count() == count


def test_refuses_too_large(users: dict[str, User], person_a: Person, settings: Any) -> None:
    settings.CANBO_MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024
    big = b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)
    with pytest.raises(DomainError) as exc:
        _add(users["officer_a"], person_a, big)
    assert "Tệp quá lớn: tối đa 2 MB" in exc.value.message
    assert _files() == []
    assert not Attachment.objects.exists()
    settings.CANBO_MAX_ATTACHMENT_BYTES = len(big)
    assert _add(users["officer_a"], person_a, big).size == len(big)


def test_small_limit_is_shown_in_kilobytes(users: dict[str, User], person_a: Person, settings: Any) -> None:
    settings.CANBO_MAX_ATTACHMENT_BYTES = 10 * 1024
    with pytest.raises(DomainError) as exc:
        _add(users["officer_a"], person_a, PDF + b"0" * 20 * 1024)
    assert "tối đa 10 KB" in exc.value.message


def test_refused_by_scope_leaves_no_file(users: dict[str, User], person_a: Person) -> None:
    for username in ("officer_b", "leader_a", "self_user"):
        with pytest.raises(NotPermitted):
            _add(users[username], person_a, PDF)
    assert _files() == []
    assert not Attachment.objects.exists()


def test_refused_for_one_person_keeps_the_file_another_uses(
    users: dict[str, User], person_a: Person, person_b: Person
) -> None:
    kept = _add(users["officer_b"], person_b, PDF)
    with pytest.raises(NotPermitted):
        _add(users["officer_b"], person_a, PDF)
    assert _files() == [storage_path(kept.storage_name)]


def test_delete_requires_a_reason_and_removes_the_unused_file(
    users: dict[str, User], person_a: Person, django_capture_on_commit_callbacks: Any
) -> None:
    officer = users["officer_a"]
    first = _add(officer, person_a, PDF, title="Bản 1")
    second = _add(officer, person_a, PDF, title="Bản 2")
    path = storage_path(first.storage_name)
    with pytest.raises(DomainError):
        section_delete(acting_user=officer, instance=first, reason=" ")
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        section_delete(acting_user=officer, instance=first, reason="Tải nhầm")
    assert path.exists(), "still used by the second attachment"
    with django_capture_on_commit_callbacks(execute=True):
        section_delete(acting_user=officer, instance=second, reason="Tải nhầm")
    assert not path.exists()
    assert not Attachment.objects.exists()
    deleted = ObjectChange.objects.filter(content_type__model="attachment", action="delete")
    assert {(e.prechange_data or {}).get("sha256") for e in deleted} == {first.sha256}
