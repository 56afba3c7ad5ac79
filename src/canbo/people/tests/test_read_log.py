"""The read log (issue 21): every read of a dossier — the person page, the history, the API's
person and section reads, an attachment, the list export, a résumé, the national-database
document, the reports' and salary's documents — writes to core.AccessLog with who, which person,
what, whether sensitive, and the request id; the person page's "Ai đã xem hồ sơ này" shows them to
an administrator covering the dossier and to the person himself, to no one else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from canbo.accounts.models import Grant, Role
from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.core.models import AccessLog
from canbo.org.models import Unit
from canbo.people.models import Person, Qualification
from canbo.people.sections import SECTIONS
from canbo.people.services import attachment_add, section_create

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

pytestmark = pytest.mark.django_db

PLAIN = next(s for s in SECTIONS if not s.sensitive and not s.upload)
SENSITIVE = next(s for s in SECTIONS if s.sensitive)


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def dossier(users: dict[str, User], person_a: Person) -> dict[str, Any]:
    qualification = section_create(
        acting_user=users["officer_a"],
        person=person_a,
        instance=Qualification(
            kind="chuyen_mon", level="dai_hoc", field_of_study="Luật", obtained_date=dt.date(2003, 6, 30)
        ),
        reason="Bổ sung",
    )
    scan = attachment_add(
        acting_user=users["officer_a"],
        person=person_a,
        upload=SimpleUploadedFile("qd.pdf", b"%PDF-1.4 quyet dinh"),
        kind="quyet_dinh",
        title="Quyết định bổ nhiệm",
        reason="Bổ sung hồ sơ",
    )
    return {"person": person_a, "qualification": qualification, "scan": scan}


# (name, URL maker, query, kind, sensitive for officer_a whose grant includes sensitive sections,
# whether the row names the person)
Url = Callable[[dict[str, Any], dict[str, Unit]], str]
READS: list[tuple[str, Url, dict[str, Any], str, bool, bool]] = [
    ("trang hồ sơ", lambda d, t: f"/can-bo/{d['person'].pk}/", {}, "trang", True, True),
    (
        "trang hồ sơ tại ngày",
        lambda d, t: f"/can-bo/{d['person'].pk}/",
        {"ngay": "01/01/2020"},
        "trang",
        True,
        True,
    ),
    ("lịch sử", lambda d, t: f"/can-bo/{d['person'].pk}/lich-su/", {}, "trang", False, True),
    (
        "tệp đính kèm",
        lambda d, t: f"/can-bo/{d['person'].pk}/tai-lieu/{d['scan'].pk}/tep/",
        {},
        "tep",
        False,
        True,
    ),
    ("API hồ sơ", lambda d, t: f"/api/persons/{d['person'].pk}/", {}, "api", False, True),
    ("API danh sách", lambda d, t: "/api/persons/", {}, "api", False, True),
    ("API mục", lambda d, t: f"/api/persons/{d['person'].pk}/{PLAIN.slug}/", {}, "api", False, True),
    (
        "API một bản ghi",
        lambda d, t: f"/api/persons/{d['person'].pk}/trinh-do/{d['qualification'].pk}/",
        {},
        "api",
        False,
        True,
    ),
    (
        "API mục nhạy cảm",
        lambda d, t: f"/api/persons/{d['person'].pk}/{SENSITIVE.slug}/",
        {},
        "api",
        True,
        True,
    ),
    ("xuất danh sách", lambda d, t: "/can-bo/xuat-excel/", {}, "xuat", False, True),
    (
        "sơ yếu lý lịch",
        lambda d, t: f"/tai-lieu/so-yeu-ly-lich/{d['person'].pk}/tai/",
        {"mau": "bnv", "dinh_dang": "docx"},
        "van-ban",
        True,
        True,
    ),
    (
        "CSDL quốc gia",
        lambda d, t: f"/api/national/persons/{d['person'].personal_id}/",
        {},
        "van-ban",
        True,
        True,
    ),
    (
        "báo cáo số lượng, chất lượng",
        lambda d, t: "/bao-cao/so-luong-chat-luong/",
        {"ngay": "31/12/2024", "xuat": "xlsx", "don_vi": "A"},
        "van-ban",
        False,
        False,
    ),
    (
        "đến hạn nâng lương (Excel)",
        lambda d, t: "/luong/den-han/",
        {"ngay": "01/01/2025", "so_thang": 3, "xuat": "xlsx", "don_vi": "A"},
        "van-ban",
        False,
        False,
    ),
    (
        "đến hạn nâng lương (Word)",
        lambda d, t: "/luong/den-han/",
        {"ngay": "01/01/2025", "so_thang": 3, "xuat": "docx", "don_vi": "A"},
        "van-ban",
        False,
        False,
    ),
    (
        "thông báo nghỉ hưu",
        lambda d, t: f"/nghi-huu/{d['person'].pk}/thong-bao.docx",
        {"ngay": "01/01/2027"},
        "van-ban",
        False,
        True,
    ),
]


@pytest.mark.parametrize(
    ("name", "url", "query", "kind", "sensitive", "names_person"), READS, ids=[r[0] for r in READS]
)
def test_every_read_of_a_dossier_is_logged(
    users: dict[str, User],
    tree: dict[str, Unit],
    dossier: dict[str, Any],
    name: str,
    url: Url,
    query: dict[str, Any],
    kind: str,
    sensitive: bool,
    names_person: bool,
) -> None:
    person = dossier["person"]
    query = {k: (tree[v].pk if k == "don_vi" else v) for k, v in query.items()}
    response = client_for(users["officer_a"]).get(url(dossier, tree), query)
    assert response.status_code == 200, (name, response.content[:300])
    rows = list(AccessLog.objects.filter(request_id=response["X-Request-Id"]))
    assert rows, f"{name}: no read logged"
    assert {r.kind for r in rows} == {kind} and {r.user_id for r in rows} == {users["officer_a"].pk}
    assert all(r.what and r.user_name == "officer_a" for r in rows)
    assert any(r.sensitive for r in rows) == sensitive, name
    if names_person:
        assert person.pk in {r.person_id for r in rows}, name


def test_a_leader_without_sensitive_grant_reads_no_sensitive_section(
    users: dict[str, User], dossier: dict[str, Any]
) -> None:
    response = client_for(users["leader_a"]).get(f"/can-bo/{dossier['person'].pk}/")
    read = AccessLog.objects.get(request_id=response["X-Request-Id"])
    assert not read.sensitive and read.what == "Trang hồ sơ"


def test_the_person_page_names_the_sensitive_sections_it_showed(
    users: dict[str, User], dossier: dict[str, Any]
) -> None:
    response = client_for(users["officer_a"]).get(f"/can-bo/{dossier['person'].pk}/")
    read = AccessLog.objects.get(request_id=response["X-Request-Id"])
    assert read.what.startswith("Trang hồ sơ (gồm mục nhạy cảm: ") and SENSITIVE.title in read.what
    assert read.person_name == dossier["person"].full_name


def test_a_refused_read_logs_nothing(users: dict[str, User], dossier: dict[str, Any]) -> None:
    pk = dossier["person"].pk
    for url in (f"/can-bo/{pk}/", f"/api/persons/{pk}/", f"/can-bo/{pk}/tai-lieu/{dossier['scan'].pk}/tep/"):
        assert client_for(users["officer_b"]).get(url).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.fixture
def admin_a(tree: dict[str, Unit]) -> User:
    user = User.objects.create_user(username="admin_a", password="pw", first_name="Quản", last_name="Trị")
    Grant.objects.create(user=user, role=Role.ADMIN, unit=tree["A"])
    return user


def test_administrator_and_the_person_himself_see_who_read_the_dossier(
    users: dict[str, User], dossier: dict[str, Any], admin_a: User
) -> None:
    pk = dossier["person"].pk
    client_for(users["officer_a"]).get(f"/can-bo/{pk}/")
    page = client_for(admin_a).get(f"/can-bo/{pk}/")
    assert "Ai đã xem hồ sơ này" in page.content.decode()
    for viewer in (admin_a, users["self_user"]):
        reads = client_for(viewer).get(f"/can-bo/{pk}/ai-da-xem/")
        assert reads.status_code == 200
        text = reads.content.decode()
        assert "officer_a" in text and "Trang hồ sơ (gồm mục nhạy cảm" in text and "Xem hồ sơ" in text
    # An officer who may read the dossier but is no administrator does not see who read it.
    officer = client_for(users["officer_a"])
    assert "Ai đã xem hồ sơ này" not in officer.get(f"/can-bo/{pk}/").content.decode()
    assert officer.get(f"/can-bo/{pk}/ai-da-xem/").status_code == 404


def test_an_administrator_of_another_subtree_cannot_see_the_reads(
    users: dict[str, User], tree: dict[str, Unit], dossier: dict[str, Any]
) -> None:
    admin_b = User.objects.create_user(username="admin_b", password="pw")
    Grant.objects.create(user=admin_b, role=Role.ADMIN, unit=tree["B"])
    client_for(users["officer_a"]).get(f"/can-bo/{dossier['person'].pk}/")
    assert client_for(admin_b).get(f"/can-bo/{dossier['person'].pk}/ai-da-xem/").status_code == 404
    assert client_for(users["officer_b"]).get(f"/can-bo/{dossier['person'].pk}/ai-da-xem/").status_code == 404


def test_the_reads_page_is_paginated(users: dict[str, User], dossier: dict[str, Any], admin_a: User) -> None:
    from canbo.core.readlog import record_read

    person = dossier["person"]
    record_read(users["officer_a"], [person.pk] * 60, "Xuất danh sách ra Excel", kind=AccessLog.Kind.EXPORT)
    c = client_for(admin_a)
    first = c.get(f"/can-bo/{person.pk}/ai-da-xem/").content.decode()
    assert "Trang 1/2" in first and first.count("Xuất danh sách ra Excel") == 50
    second = c.get(f"/can-bo/{person.pk}/ai-da-xem/", {"trang": 2}).content.decode()
    assert second.count("Xuất danh sách ra Excel") == 10


def test_former_print_entries_of_the_change_log_leave_the_history(
    users: dict[str, User], dossier: dict[str, Any]
) -> None:
    """Before the read log, a résumé printed stood in the change log as a "documentread" entry;
    those are reads (their rows moved into the read log), not changes of the dossier."""
    import uuid

    from django.contrib.contenttypes.models import ContentType

    from canbo.core.models import ObjectChange

    person = dossier["person"]
    ObjectChange.objects.create(
        user_name="officer_a",
        request_id=uuid.uuid4(),
        source="web",
        action="create",
        content_type=ContentType.objects.get_or_create(app_label="documents", model="documentread")[0],
        object_id=1,
        object_repr="Tải về sơ yếu lý lịch Nguyễn Thị Hoa (bản cũ)",
        related_person_id=person.pk,
    )
    page = client_for(users["officer_a"]).get(f"/can-bo/{person.pk}/lich-su/").content.decode()
    assert "Quyết định bổ nhiệm" in page and "(bản cũ)" not in page
