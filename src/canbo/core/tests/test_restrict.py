"""restrict(): anonymous, no grant, granted (own subtree with descendants), other subtree,
read-only roles, sensitive sections and the person's own dossier; and the scope re-check that
services make inside the transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User

from canbo.conftest import kept_person_a, kept_tree, kept_users, new_person
from canbo.core.errors import NotPermitted
from canbo.core.models import ObjectChange
from canbo.core.querysets import CHANGE, VIEW
from canbo.org.models import Post, Title, Unit
from canbo.org.services import post_create
from canbo.people.models import FamilyRelation, Person, Qualification
from canbo.people.services import person_update, section_create

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    users: dict[str, User], tree: dict[str, Unit], title: Title, person_a: Person, person_b: Person
) -> Any:
    """One record of each kind in A1 (inside A) and in B."""
    person_p = new_person(tree["P"], "Hoàng Văn Tỉnh", sex="nam")
    data: dict[str, Any] = {"person_a": person_a, "person_b": person_b, "person_p": person_p}
    for key, person in (("a", person_a), ("b", person_b)):
        data[f"qual_{key}"] = Qualification.objects.create(
            person=person, kind="chuyen_mon", level="dai_hoc", obtained_date=dt.date(2002, 6, 1)
        )
        data[f"family_{key}"] = FamilyRelation.objects.create(
            person=person, relation="me", full_name="Lê Thị Mẹ"
        )
    data["post_a"] = Post.objects.create(unit=tree["A1"], title=title)
    data["post_b"] = Post.objects.create(unit=tree["B"], title=title)
    return data


def _visible(model: Any, user: Any, action: str = VIEW) -> set[int]:
    return set(model.objects.restrict(user, action).values_list("pk", flat=True))


MODELS = [
    (Person, "person"),
    (Qualification, "qual"),
    (FamilyRelation, "family"),
    (Post, "post"),
]


@pytest.mark.parametrize(("model", "key"), MODELS)
@pytest.mark.parametrize("action", [VIEW, CHANGE])
def test_anonymous_sees_nothing(world: Any, model: Any, key: str, action: str) -> None:
    assert _visible(model, AnonymousUser(), action) == set()


@pytest.mark.parametrize(("model", "key"), MODELS)
@pytest.mark.parametrize("action", [VIEW, CHANGE])
def test_no_grant_sees_nothing(world: Any, users: dict[str, User], model: Any, key: str, action: str) -> None:
    assert _visible(model, users["nogrant"], action) == set()


@pytest.mark.parametrize(("model", "key"), MODELS)
@pytest.mark.parametrize("action", [VIEW, CHANGE])
def test_officer_sees_own_subtree_only(
    world: Any, users: dict[str, User], model: Any, key: str, action: str
) -> None:
    # Records in A1 are covered by the grant on A (descendants included); B's and P's are not.
    assert _visible(model, users["officer_a"], action) == {world[f"{key}_a"].pk}
    assert _visible(model, users["officer_b"], action) == {world[f"{key}_b"].pk}


@pytest.mark.parametrize(("model", "key"), MODELS)
def test_superuser_sees_everything(world: Any, users: dict[str, User], model: Any, key: str) -> None:
    assert _visible(model, users["admin"], CHANGE) == set(model.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(("model", "key"), [(Person, "person"), (Qualification, "qual"), (Post, "post")])
def test_leader_reads_but_cannot_change(world: Any, users: dict[str, User], model: Any, key: str) -> None:
    assert _visible(model, users["leader_a"], VIEW) == {world[f"{key}_a"].pk}
    assert _visible(model, users["leader_a"], CHANGE) == set()


def test_sensitive_sections_need_a_grant_that_includes_them(world: Any, users: dict[str, User]) -> None:
    assert _visible(FamilyRelation, users["leader_a"], VIEW) == set()
    assert _visible(FamilyRelation, users["officer_a"], VIEW) == {world["family_a"].pk}
    # The leader still sees the non-sensitive sections of the same person.
    assert _visible(Qualification, users["leader_a"], VIEW) == {world["qual_a"].pk}


def test_self_sees_only_his_own_dossier_read_only(world: Any, users: dict[str, User]) -> None:
    me = users["self_user"]
    assert _visible(Person, me) == {world["person_a"].pk}
    assert _visible(Qualification, me) == {world["qual_a"].pk}
    assert _visible(FamilyRelation, me) == {world["family_a"].pk}
    for model in (Person, Qualification, FamilyRelation, Post, Unit):
        assert _visible(model, me, CHANGE) == set()
    assert _visible(Post, me) == set()
    assert _visible(Unit, me) == set()


def test_units_restricted_to_the_granted_subtree(
    world: Any, users: dict[str, User], tree: dict[str, Unit]
) -> None:
    a, a1, b, p = (tree[k].pk for k in ("A", "A1", "B", "P"))
    assert _visible(Unit, AnonymousUser()) == set()
    assert _visible(Unit, users["nogrant"]) == set()
    assert _visible(Unit, users["officer_a"]) == {a, a1}
    assert _visible(Unit, users["officer_a"], CHANGE) == {a, a1}
    assert _visible(Unit, users["officer_b"]) == {b}
    assert _visible(Unit, users["leader_a"]) == {a, a1}
    assert _visible(Unit, users["leader_a"], CHANGE) == set()
    assert _visible(Unit, users["admin"]) == {a, a1, b, p}


def test_a_new_sub_unit_is_covered_by_the_grant_on_its_ancestor(
    users: dict[str, User], tree: dict[str, Unit]
) -> None:
    """Grants follow the tree: a unit added later under A is in officer_a's scope at once."""
    from canbo.conftest import make_unit

    a = Unit.objects.get(pk=tree["A"].pk)
    deep = make_unit(a, "A2", "Phòng Tài chính huyện A")
    assert deep.path.startswith(a.path)
    assert deep.pk in _visible(Unit, users["officer_a"])
    assert deep.pk not in _visible(Unit, users["officer_b"])


# Scope re-check inside the transaction


def test_officer_cannot_create_a_person_in_another_subtree(
    users: dict[str, User], tree: dict[str, Unit]
) -> None:
    before_people, before_log = Person.objects.count(), ObjectChange.objects.count()
    with pytest.raises(NotPermitted):
        new_person(tree["B"], "Đinh Văn Lạ", sex="nam", acting_user=users["officer_a"])
    assert Person.objects.count() == before_people
    assert not Person.objects.filter(full_name="Đinh Văn Lạ").exists()
    assert ObjectChange.objects.count() == before_log


def test_officer_creates_a_person_in_his_subtree(users: dict[str, User], tree: dict[str, Unit]) -> None:
    person = new_person(tree["A1"], "Đinh Văn Quen", sex="nam", acting_user=users["officer_a"])
    assert Person.objects.restrict(users["officer_a"], CHANGE).filter(pk=person.pk).exists()


def test_leader_cannot_create_a_person(users: dict[str, User], tree: dict[str, Unit]) -> None:
    with pytest.raises(NotPermitted):
        new_person(tree["A1"], "Đinh Văn Lạ", sex="nam", acting_user=users["leader_a"])
    assert not Person.objects.filter(full_name="Đinh Văn Lạ").exists()


def test_officer_cannot_move_a_person_out_of_his_subtree(
    users: dict[str, User], tree: dict[str, Unit], person_a: Person
) -> None:
    before_log = ObjectChange.objects.count()
    with pytest.raises(NotPermitted):
        person_update(acting_user=users["officer_a"], person=person_a, changes={"managing_unit": tree["B"]})
    fresh = Person.objects.get(pk=person_a.pk)
    assert fresh.managing_unit_id == tree["A1"].pk
    assert fresh.row_version == 1
    assert ObjectChange.objects.count() == before_log


def test_officer_cannot_touch_a_person_of_another_subtree(users: dict[str, User], person_b: Person) -> None:
    with pytest.raises(NotPermitted):
        person_update(acting_user=users["officer_a"], person=person_b, changes={"other_names": "X"})
    assert Person.objects.get(pk=person_b.pk).other_names == ""


def test_officer_cannot_add_sections_or_posts_elsewhere(
    users: dict[str, User], tree: dict[str, Unit], title: Title, person_b: Person
) -> None:
    before_log = ObjectChange.objects.count()
    with pytest.raises(NotPermitted):
        section_create(
            acting_user=users["officer_a"],
            person=person_b,
            instance=Qualification(kind="tin_hoc", level="co_ban", obtained_date=dt.date(2010, 1, 1)),
        )
    with pytest.raises(NotPermitted):
        post_create(acting_user=users["officer_a"], unit=tree["B"], title=title)
    assert not Qualification.objects.exists()
    assert not Post.objects.exists()
    assert ObjectChange.objects.count() == before_log
    post = post_create(acting_user=users["officer_a"], unit=tree["A1"], title=title, reason="Đề án vị trí")
    assert post.pk in _visible(Post, users["officer_a"], CHANGE)
