"""The dossier pages as each kind of user meets them: anonymous, no grant, granted, other subtree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from canbo.careers.models import Tenure
from canbo.conftest import REASON, kept_person_a, kept_tree, kept_users, new_person
from canbo.core.models import ObjectChange
from canbo.people.models import FamilyRelation, Person, Qualification

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")


def client_for(user: Any | None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def family(person_a: Person) -> FamilyRelation:
    return FamilyRelation.objects.create(
        person=person_a, relation="bo", full_name="Nguyễn Văn Cha", birth_year=1950
    )


def test_person_page_access_matrix(users: dict, person_a: Person, family: FamilyRelation) -> None:
    url = reverse("people:detail", args=[person_a.pk])
    assert client_for(None).get(url).status_code == 302  # to the login page
    assert client_for(users["nogrant"]).get(url).status_code == 404
    assert client_for(users["officer_b"]).get(url).status_code == 404
    missing = reverse("people:detail", args=[person_a.pk + 10_000])
    assert client_for(users["officer_a"]).get(missing).status_code == 404
    ok = client_for(users["officer_a"]).get(url)
    assert ok.status_code == 200
    assert "Nguyễn Thị Hoa" in ok.content.decode()
    assert "Nguyễn Văn Cha" in ok.content.decode()  # officer_a's grant includes sensitive sections


def test_sensitive_sections_hidden_from_leader(users: dict, person_a: Person, family: FamilyRelation) -> None:
    page = client_for(users["leader_a"]).get(reverse("people:detail", args=[person_a.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Nguyễn Văn Cha" not in body
    assert "Quan hệ gia đình" not in body.split('class="section-nav"')[1].split("</nav>")[0]
    assert "Sửa thông tin" not in body  # leader reads only


def test_self_sees_own_dossier_only(
    users: dict, person_a: Person, person_b: Person, family: FamilyRelation
) -> None:
    c = client_for(users["self_user"])
    assert c.get(reverse("people:detail", args=[person_a.pk])).status_code == 200
    assert c.get(reverse("people:detail", args=[person_b.pk])).status_code == 404
    assert c.get(reverse("people:edit", args=[person_a.pk])).status_code == 404
    assert c.get(reverse("people:section_add", args=[person_a.pk, "trinh-do"])).status_code == 404


def test_list_is_scoped_and_searches_without_accents(users: dict, person_a: Person, person_b: Person) -> None:
    body = (
        client_for(users["officer_a"]).get(reverse("people:list"), {"q": "nguyen thi hoa"}).content.decode()
    )
    assert "Nguyễn Thị Hoa" in body
    body = client_for(users["officer_a"]).get(reverse("people:list"), {"q": "binh"}).content.decode()
    assert "Trần Văn Bình" not in body  # outside the grant
    body = client_for(users["admin"]).get(reverse("people:list"), {"q": "TRẦN VĂN"}).content.decode()
    assert "Trần Văn Bình" in body
    by_id = client_for(users["officer_a"]).get(reverse("people:list"), {"q": person_a.personal_id})
    assert "Nguyễn Thị Hoa" in by_id.content.decode()


def test_bad_as_of_date_is_400(users: dict, person_a: Person) -> None:
    r = client_for(users["officer_a"]).get(
        reverse("people:detail", args=[person_a.pk]), {"ngay": "31/02/2020"}
    )
    assert r.status_code == 400
    assert "Ngày xem không hợp lệ" in r.content.decode()


def test_as_of_date_shows_past_posts(users: dict, person_a: Person, tree: dict, title: Any) -> None:
    Tenure.objects.create(
        person=person_a,
        unit=tree["A1"],
        title=title,
        kind="bo_nhiem",
        start_date=dt.date(2018, 1, 1),
        end_date=dt.date(2022, 12, 31),
    )
    c = client_for(users["officer_a"])
    url = reverse("people:detail", args=[person_a.pk])
    past = c.get(url, {"ngay": "2020-06-01"}).content.decode()
    assert "Trưởng phòng</strong> – " in past
    assert "40 tuổi" in past  # born 17/05/1980
    now = c.get(url, {"ngay": "2025-06-01"}).content.decode()
    assert "Không giữ chức vụ nào" in now


def test_add_qualification_logs_change_with_reason(users: dict, person_a: Person) -> None:
    c = client_for(users["officer_a"])
    url = reverse("people:section_add", args=[person_a.pk, "trinh-do"])
    r = c.post(
        url,
        {
            "kind": "chuyen_mon",
            "level": "thac_si",
            "field_of_study": "Quản lý công",
            "obtained_date": "2015-06-30",
            "reason": "QĐ 12/QĐ-SNV",
        },
    )
    assert r.status_code == 302
    q = Qualification.objects.get(person=person_a)
    assert q.level_rank == 50
    log = ObjectChange.objects.filter(related_person_id=person_a.pk, action="create").latest("id")
    assert log.reason == "QĐ 12/QĐ-SNV"
    assert log.user_name == "officer_a"
    history = c.get(reverse("people:history", args=[person_a.pk])).content.decode()
    assert "QĐ 12/QĐ-SNV" in history


def test_invalid_section_form_is_400_and_writes_nothing(users: dict, person_a: Person) -> None:
    c = client_for(users["officer_a"])
    before = ObjectChange.objects.count()
    r = c.post(
        reverse("people:section_add", args=[person_a.pk, "trinh-do"]),
        {"reason": REASON, "kind": "ly_luan_chinh_tri", "level": "thac_si", "obtained_date": "2015-06-30"},
    )
    assert r.status_code == 400
    assert "Trình độ này không thuộc loại đã chọn" in r.content.decode()
    assert not Qualification.objects.exists()
    assert ObjectChange.objects.count() == before


def test_officer_of_other_subtree_cannot_write(users: dict, person_a: Person) -> None:
    c = client_for(users["officer_b"])
    r = c.post(
        reverse("people:section_add", args=[person_a.pk, "trinh-do"]),
        {"reason": REASON, "kind": "chuyen_mon", "level": "dai_hoc", "obtained_date": "2010-06-30"},
    )
    assert r.status_code == 404
    assert not Qualification.objects.exists()


def test_stale_edit_is_refused_with_409(users: dict, person_a: Person) -> None:
    c = client_for(users["officer_a"])
    url = reverse("people:section_add", args=[person_a.pk, "suc-khoe"])
    c.post(url, {"reason": REASON, "check_date": "2024-03-01", "status": "tot"})
    rec = person_a.healthrecord_set.get()
    edit = reverse("people:section_edit", args=[person_a.pk, "suc-khoe", rec.pk])
    first = c.post(
        edit, {"reason": REASON, "check_date": "2024-03-01", "status": "kha", "row_version": rec.row_version}
    )
    assert first.status_code == 302
    stale = c.post(
        edit, {"reason": REASON, "check_date": "2024-03-01", "status": "yeu", "row_version": rec.row_version}
    )
    assert stale.status_code == 409
    rec.refresh_from_db()
    assert rec.status == "kha"


def test_delete_needs_reason_and_is_logged(users: dict, person_a: Person, family: FamilyRelation) -> None:
    c = client_for(users["officer_a"])
    url = reverse("people:section_delete", args=[person_a.pk, "gia-dinh", family.pk])
    assert c.post(url, {"reason": "", "row_version": family.row_version}).status_code == 400
    assert c.post(url, {"reason": "Nhập trùng", "row_version": family.row_version}).status_code == 302
    assert not FamilyRelation.objects.filter(pk=family.pk).exists()
    log = ObjectChange.objects.get(action="delete", object_id=family.pk)
    assert log.prechange_data is not None
    assert log.prechange_data["full_name"] == "Nguyễn Văn Cha"


def test_delete_page_offers_the_usual_reasons_and_logs_the_picked_one(
    users: dict, person_a: Person, family: FamilyRelation
) -> None:
    """The delete page's reason has the pick-list of every other reason field (issue 21); an
    empty or blank reason is refused with the Vietnamese message and a 400; a picked reason is
    the one logged."""
    from canbo.core.forms import REASON_REQUIRED, USUAL_REASONS

    c = client_for(users["officer_a"])
    url = reverse("people:section_delete", args=[person_a.pk, "gia-dinh", family.pk])
    page = c.get(url).content.decode()
    assert 'list="id_reason-goi-y"' in page
    assert '<datalist id="id_reason-goi-y">' in page
    for usual in USUAL_REASONS:
        assert f'<option value="{usual}">' in page
    assert '<label for="id_reason">' in page
    for blank in ("", "   "):
        refused = c.post(url, {"reason": blank, "row_version": family.row_version})
        assert refused.status_code == 400
        assert REASON_REQUIRED in refused.content.decode()
        assert '<datalist id="id_reason-goi-y">' in refused.content.decode()
    assert FamilyRelation.objects.filter(pk=family.pk).exists()
    # another subtree's officer cannot reach the page nor delete
    other = client_for(users["officer_b"])
    assert other.get(url).status_code == 404
    picked = "Sửa lỗi nhập liệu"
    assert picked in USUAL_REASONS
    assert other.post(url, {"reason": picked, "row_version": family.row_version}).status_code == 404
    assert FamilyRelation.objects.filter(pk=family.pk).exists()
    assert c.post(url, {"reason": picked, "row_version": family.row_version}).status_code == 302
    assert not FamilyRelation.objects.filter(pk=family.pk).exists()
    log = ObjectChange.objects.get(action="delete", object_id=family.pk)
    assert log.reason == picked


def test_create_person_partial_birth_and_bad_id(users: dict, tree: dict) -> None:
    c = client_for(users["officer_a"])
    data = {
        "personal_id": "010080000123",
        "full_name": "  Lò  Văn   Páo ",
        "sex": "nam",
        "birth": "1980",
        "ethnicity": 3,
        "religion": 1,
        "category": "cong_chuc",
        "managing_unit": tree["A1"].pk,
        "reason": REASON,
    }
    from canbo.people.models import Ethnicity, Religion

    data["ethnicity"] = Ethnicity.objects.get(code="03").pk
    data["religion"] = Religion.objects.get(code="00").pk
    r = c.post(reverse("people:create"), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    p = Person.objects.get(personal_id="010080000123")
    assert p.full_name == "Lò Văn Páo" and p.given_name == "Páo" and p.birth_display == "1980"
    bad = c.post(
        reverse("people:create"), {"reason": REASON, **data, "personal_id": "010180000124"}
    )  # century/sex digit says female
    assert bad.status_code == 400
    assert "không khớp giới tính" in bad.content.decode()
    other = c.post(
        reverse("people:create"),
        {"reason": REASON, **data, "personal_id": "010080000125", "managing_unit": tree["B"].pk},
    )
    assert other.status_code == 400  # unit B is not a choice for officer_a
    assert not Person.objects.filter(personal_id="010080000125").exists()
    # The form reads the spreadsheet's spellings too (one partial-date grammar, issue 15).
    worded = c.post(
        reverse("people:create"),
        {"reason": REASON, **data, "personal_id": "010080000126", "birth": "tháng 3/1980"},
    )
    assert worded.status_code == 302, worded.content.decode()[:2000]
    assert Person.objects.get(personal_id="010080000126").birth_display == "03/1980"
    unreal = c.post(
        reverse("people:create"),
        {"reason": REASON, **data, "personal_id": "010080000127", "birth": "31/02/1980"},
    )
    assert unreal.status_code == 400 and "Ngày không có thật: “31/02/1980”." in unreal.content.decode()


def test_person_page_query_count_is_bounded(
    users: dict, person_a: Person, tree: dict, title: Any, django_assert_max_num_queries: Any
) -> None:
    for year in range(2010, 2020):
        Tenure.objects.create(
            person=person_a,
            unit=tree["A1"],
            title=title,
            kind="bo_nhiem",
            start_date=dt.date(year, 1, 1),
            end_date=dt.date(year, 12, 31),
        )
    c = client_for(users["officer_a"])
    # 42 (was 40): issue 17's career calendar reads the salary row in force (with its grade),
    # the retirement notices and decisions issued, and their grant check (the next raise and the
    # notice's status); its disciplines and ratings are the calendar's own facts. +1 (issue 21):
    # the read log's one INSERT (core.readlog.record_read; no SELECT). +1 (issue 22): this first
    # request of the test also reads the kept rulebook's stamp before reading the rulebook; the
    # next requests read the stamp only. The warm page is pinned in test_everyday_queries.py.
    with django_assert_max_num_queries(44):
        assert c.get(reverse("people:detail", args=[person_a.pk])).status_code == 200


def test_unknown_section_slug_404(users: dict, person_a: Person) -> None:
    c = client_for(users["officer_a"])
    assert c.get(reverse("people:section_add", args=[person_a.pk, "khong-co"])).status_code == 404
    assert callable(new_person)
