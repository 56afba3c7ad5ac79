"""The change log: every create, change and delete keeps who, when, before, after and why."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType

from canbo.conftest import kept_person_a, kept_tree, kept_users, new_person
from canbo.core.context import bind_context
from canbo.core.errors import ConflictError
from canbo.core.models import ObjectChange
from canbo.core.services import audited_create, audited_delete, audited_update
from canbo.org.models import Unit
from canbo.people.models import Person, Qualification
from canbo.people.services import person_update, section_create, section_delete, section_update

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")


def _changes_of(obj: Any) -> Any:
    ct = ContentType.objects.get_for_model(type(obj))
    return ObjectChange.objects.filter(content_type=ct, object_id=obj.pk).order_by("id")


def _qualification(**kw: Any) -> Qualification:
    fields = {
        "kind": "chuyen_mon",
        "level": "dai_hoc",
        "field_of_study": "Luật",
        "obtained_date": dt.date(2003, 6, 30),
    }
    return Qualification(**{**fields, **kw})


def test_create_logs_user_request_reason_and_after(users: dict[str, User], tree: dict[str, Unit]) -> None:
    officer = users["officer_a"]
    officer.first_name, officer.last_name = "Lan", "Phạm"
    officer.save()
    request_id = uuid.uuid4()
    with bind_context(source="command", request_id=request_id):
        person = new_person(tree["A1"], "Lê Văn Tám", sex="nam", acting_user=officer, reason="QĐ 12/QĐ-UBND")
    [entry] = _changes_of(person)
    assert entry.action == ObjectChange.Action.CREATE
    assert entry.user == officer
    assert entry.user_name == officer.get_full_name()
    assert entry.request_id == request_id
    assert entry.source == "command"
    assert entry.reason == "QĐ 12/QĐ-UBND"
    assert entry.related_person_id == person.pk
    assert entry.prechange_data is None
    assert entry.postchange_data["full_name"] == "Lê Văn Tám"
    assert entry.postchange_data["managing_unit_id"] == tree["A1"].pk
    assert entry.postchange_data["birth_date"] == "1980-05-17"
    assert "row_version" not in entry.postchange_data


def test_user_name_is_frozen_when_the_user_is_deleted(users: dict[str, User], person_a: Person) -> None:
    person_update(
        acting_user=users["officer_a"], person=person_a, changes={"other_names": "Hoa Lan"}, reason="x"
    )
    users["officer_a"].delete()
    entry = _changes_of(person_a).last()
    assert entry.user is None
    assert entry.user_name == "officer_a"


def test_entries_without_bound_context_get_a_fresh_request_id(person_a: Person) -> None:
    entry = _changes_of(person_a).get()
    assert entry.source == "other"
    assert entry.user is None and entry.user_name == "hệ thống"
    assert isinstance(entry.request_id, uuid.UUID)


def test_update_logs_before_and_after(users: dict[str, User], person_a: Person) -> None:
    with bind_context(source="web") as ctx:
        person_update(
            acting_user=users["officer_a"],
            person=person_a,
            changes={"full_name": "Nguyễn Thị Hoà Bình"},
            reason="QĐ 7/QĐ-UBND",
            expected_version=1,
        )
    entry = _changes_of(person_a).last()
    assert entry.action == ObjectChange.Action.UPDATE
    assert entry.request_id == ctx.request_id
    assert entry.reason == "QĐ 7/QĐ-UBND"
    assert entry.prechange_data["full_name"] == "Nguyễn Thị Hoa"
    assert entry.postchange_data["full_name"] == "Nguyễn Thị Hoà Bình"
    diff = {field for field, _before, _after in entry.diff()}
    assert diff == {"full_name", "middle_name", "given_name", "search_name", "sort_key"}
    person_a.refresh_from_db()
    assert person_a.row_version == 2
    assert person_a.given_name == "Bình" and person_a.search_name == "nguyen thi hoa binh"


def test_update_with_no_change_writes_nothing(users: dict[str, User], person_a: Person) -> None:
    before = _changes_of(person_a).count()
    person_update(
        acting_user=users["officer_a"],
        person=person_a,
        changes={"full_name": person_a.full_name, "sex": person_a.sex},
        reason="không đổi",
        expected_version=1,
    )
    assert _changes_of(person_a).count() == before
    person_a.refresh_from_db()
    assert person_a.row_version == 1


def test_stale_expected_version_raises_conflict_and_writes_nothing(
    users: dict[str, User], person_a: Person
) -> None:
    person_update(
        acting_user=users["officer_a"], person=person_a, changes={"other_names": "A"}, expected_version=1
    )
    count = ObjectChange.objects.count()
    stale = Person.objects.get(pk=person_a.pk)
    with pytest.raises(ConflictError) as exc:
        person_update(
            acting_user=users["officer_a"], person=stale, changes={"other_names": "B"}, expected_version=1
        )
    assert "người khác sửa" in exc.value.message
    assert exc.value.status_code == 409
    assert ObjectChange.objects.count() == count
    person_a.refresh_from_db()
    assert person_a.other_names == "A" and person_a.row_version == 2


def test_stale_copy_does_not_revert_what_others_changed(users: dict[str, User], person_a: Person) -> None:
    old_copy = Person.objects.get(pk=person_a.pk)
    person_update(acting_user=users["officer_a"], person=person_a, changes={"other_names": "Hoa Lan"})
    person_update(acting_user=users["officer_a"], person=old_copy, changes={"strengths": "Tổ chức"})
    fresh = Person.objects.get(pk=person_a.pk)
    assert fresh.other_names == "Hoa Lan"
    assert fresh.strengths == "Tổ chức"
    assert old_copy.other_names == "Hoa Lan" and old_copy.row_version == fresh.row_version == 3
    entry = _changes_of(person_a).last()
    assert [field for field, _b, _a in entry.diff()] == ["strengths"]


def test_section_changes_carry_the_person(users: dict[str, User], person_a: Person) -> None:
    officer = users["officer_a"]
    q = section_create(
        acting_user=officer, person=person_a, instance=_qualification(), reason="Bằng tốt nghiệp"
    )
    section_update(acting_user=officer, instance=q, changes={"level": "thac_si"}, reason="Bổ sung")
    section_delete(acting_user=officer, instance=q, reason="Nhập nhầm")
    entries = list(ObjectChange.objects.filter(related_person_id=person_a.pk).order_by("id"))
    actions = [(e.content_type.model, e.action) for e in entries]
    assert actions == [
        ("person", "create"),
        ("qualification", "create"),
        ("qualification", "update"),
        ("qualification", "delete"),
    ]
    update = entries[2]
    assert update.prechange_data and update.postchange_data
    assert update.prechange_data["level_rank"] == 40 and update.postchange_data["level_rank"] == 50


def test_delete_keeps_the_last_values(users: dict[str, User], person_a: Person) -> None:
    officer = users["officer_a"]
    q = section_create(acting_user=officer, person=person_a, instance=_qualification(), reason="r")
    stale = Qualification.objects.get(pk=q.pk)
    section_update(
        acting_user=officer, instance=q, changes={"institution": "Đại học Luật Hà Nội"}, reason="r"
    )
    section_delete(acting_user=officer, instance=stale, reason="QĐ hủy 3/QĐ")
    assert not Qualification.objects.filter(pk=q.pk).exists()
    entry = _changes_of(q).last()
    assert entry.action == ObjectChange.Action.DELETE
    assert entry.reason == "QĐ hủy 3/QĐ"
    assert entry.postchange_data is None
    assert entry.prechange_data["institution"] == "Đại học Luật Hà Nội"
    assert entry.prechange_data["person_id"] == person_a.pk
    assert entry.object_repr == "Chuyên môn: Đại học"


def test_delete_with_stale_version_raises_conflict(users: dict[str, User], person_a: Person) -> None:
    officer = users["officer_a"]
    q = section_create(acting_user=officer, person=person_a, instance=_qualification(), reason="r")
    stale = Qualification.objects.get(pk=q.pk)
    section_update(acting_user=officer, instance=q, changes={"institution": "X"}, reason="r")
    count = ObjectChange.objects.count()
    with pytest.raises(ConflictError):
        section_delete(acting_user=officer, instance=stale, reason="r", expected_version=stale.row_version)
    assert Qualification.objects.filter(pk=q.pk).exists()
    assert ObjectChange.objects.count() == count


def test_audited_primitives_log_non_person_records(users: dict[str, User], title: Any) -> None:
    admin = users["admin"]
    pk = title.pk
    audited_update(title, acting_user=admin, changes={"rank": 31}, reason="Sửa thứ bậc")
    audited_delete(title, acting_user=admin, reason="Bỏ chức danh")
    entries = list(ObjectChange.objects.filter(object_id=pk, content_type__model="title").order_by("id"))
    assert [e.action for e in entries] == ["update", "delete"]
    assert all(e.related_person_id is None for e in entries)
    before, after = entries[0].prechange_data, entries[0].postchange_data
    assert before and after
    assert before["rank"] == 30 and after["rank"] == 31


def test_failed_validation_writes_nothing(users: dict[str, User], person_a: Person) -> None:
    from django.core.exceptions import ValidationError

    count = ObjectChange.objects.count()
    with pytest.raises(ValidationError):
        audited_create(
            Qualification(
                person=person_a, kind="chuyen_mon", level="cao_cap", obtained_date=dt.date(2000, 1, 1)
            ),
            acting_user=users["officer_a"],
        )
    assert ObjectChange.objects.count() == count
    assert not Qualification.objects.exists()
