"""Writes of persons and their dossier sections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from canbo.conftest import new_person
from canbo.core.dates import PRECISION_YEAR, parse_partial_date
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.org.models import Unit
from canbo.people.models import FamilyRelation, Person, Qualification
from canbo.people.services import person_update, section_create, section_delete, section_update


def test_person_create_derives_the_name_fields(tree: dict[str, Unit]) -> None:
    person = new_person(tree["A"], "  nguyễn   Thị  Hoa ")
    person.refresh_from_db()
    assert person.full_name == "nguyễn Thị Hoa"
    assert (person.family_name, person.middle_name, person.given_name) == ("nguyễn", "Thị", "Hoa")
    assert person.search_name == "nguyen thi hoa"
    assert Person.objects.filter(search_name__contains="thi hoa").get() == person


def test_partial_birth_date_stays_partial(tree: dict[str, Unit]) -> None:
    born, precision = parse_partial_date("1975")
    person = new_person(tree["A"], "Trần Văn Năm", sex="nam", born=born, birth_precision=precision)
    person = Person.objects.get(pk=person.pk)
    assert person.birth_precision == PRECISION_YEAR
    assert person.birth_display == "1975"
    assert person.age_on(dt.date(2025, 1, 1)) == 50
    assert person.age_on(dt.date(2024, 12, 31)) == 49


def test_person_update_keeps_derived_names_in_step(users: dict[str, User], person_a: Person) -> None:
    person_update(
        acting_user=users["officer_a"], person=person_a, changes={"full_name": "Đào  Thị Lan"}, reason="r"
    )
    fresh = Person.objects.get(pk=person_a.pk)
    assert (fresh.full_name, fresh.family_name, fresh.given_name, fresh.search_name) == (
        "Đào Thị Lan",
        "Đào",
        "Lan",
        "dao thi lan",
    )


def test_person_update_validates(users: dict[str, User], person_a: Person) -> None:
    with pytest.raises(ValidationError) as exc:
        person_update(acting_user=users["officer_a"], person=person_a, changes={"sex": "nam"})
    assert "giới tính" in exc.value.message_dict["personal_id"][0]
    assert Person.objects.get(pk=person_a.pk).sex == "nu"


def test_section_create_update_delete(users: dict[str, User], person_a: Person) -> None:
    officer = users["officer_a"]
    q = Qualification(kind="ly_luan_chinh_tri", level="trung_cap", obtained_date=dt.date(2015, 3, 1))
    section_create(acting_user=officer, person=person_a, instance=q, reason="Bằng TCLLCT")
    assert q.person_id == person_a.pk and q.level_rank == 20
    section_update(acting_user=officer, instance=q, changes={"level": "cao_cap"}, reason="Học tiếp")
    assert Qualification.objects.get(pk=q.pk).level_rank == 30
    section_delete(acting_user=officer, instance=q, reason="Nhập trùng")
    assert not Qualification.objects.filter(pk=q.pk).exists()


def test_section_cannot_move_to_another_dossier(
    users: dict[str, User], person_a: Person, tree: dict[str, Unit]
) -> None:
    other = new_person(tree["A1"], "Phan Văn Khác", sex="nam")
    q = section_create(
        acting_user=users["officer_a"],
        person=person_a,
        instance=Qualification(kind="tin_hoc", level="co_ban", obtained_date=dt.date(2012, 1, 1)),
    )
    for changes in ({"person": other}, {"person_id": other.pk}):
        with pytest.raises(DomainError) as exc:
            section_update(acting_user=users["officer_a"], instance=q, changes=changes)
        assert "hồ sơ khác" in exc.value.message
    assert Qualification.objects.get(pk=q.pk).person_id == person_a.pk


def test_section_validation_refuses_bad_values(users: dict[str, User], person_a: Person) -> None:
    count = ObjectChange.objects.count()
    with pytest.raises(ValidationError) as exc:
        section_create(
            acting_user=users["officer_a"],
            person=person_a,
            instance=Qualification(kind="ngoai_ngu", level="b1", obtained_date=dt.date(2012, 1, 1)),
        )
    assert exc.value.message_dict["language"] == ["Ghi rõ ngôn ngữ."]
    with pytest.raises(ValidationError) as exc:
        section_create(
            acting_user=users["officer_a"],
            person=person_a,
            instance=Qualification(
                kind="chuyen_mon",
                level="dai_hoc",
                start_date=dt.date(2005, 9, 1),
                obtained_date=dt.date(2004, 6, 1),
            ),
        )
    assert "obtained_date" in exc.value.message_dict
    assert not Qualification.objects.exists()
    assert ObjectChange.objects.count() == count


def test_section_delete_requires_a_reason(users: dict[str, User], person_a: Person) -> None:
    fam = section_create(
        acting_user=users["officer_a"],
        person=person_a,
        instance=FamilyRelation(relation="bo", full_name="Nguyễn Văn Bố", birth_year=1950),
    )
    for reason in ("", "   "):
        with pytest.raises(DomainError) as exc:
            section_delete(acting_user=users["officer_a"], instance=fam, reason=reason)
        assert "lý do" in exc.value.message
    assert FamilyRelation.objects.filter(pk=fam.pk).exists()


def test_readers_cannot_write_sections(users: dict[str, User], person_a: Person) -> None:
    fam = FamilyRelation.objects.create(person=person_a, relation="me", full_name="Lê Thị Mẹ")
    for username in ("leader_a", "self_user", "officer_b", "nogrant"):
        with pytest.raises(NotPermitted):
            section_update(acting_user=users[username], instance=fam, changes={"full_name": "X"})
        with pytest.raises(NotPermitted):
            section_delete(acting_user=users[username], instance=fam, reason="r")
    assert FamilyRelation.objects.get(pk=fam.pk).full_name == "Lê Thị Mẹ"


def test_system_writes_without_a_user(person_a: Person) -> None:
    """Commands and the generator write as the system (acting_user=None), still logged."""
    q = section_create(
        acting_user=None,
        person=person_a,
        instance=Qualification(kind="tin_hoc", level="co_ban", obtained_date=dt.date(2012, 1, 1)),
        reason="Nạp dữ liệu",
    )
    entry = ObjectChange.objects.filter(object_id=q.pk, content_type__model="qualification").get()
    assert entry.user is None and entry.user_name == "hệ thống"
