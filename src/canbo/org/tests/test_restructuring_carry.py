"""What a restructuring carries besides people: grants on the closed unit, its posts and its
staffing quotas (biên chế) — each change in the change log with the operation's reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from canbo.accounts.models import Grant, Role
from canbo.conftest import kept_person_a, kept_tree, kept_users, make_unit
from canbo.core.errors import NotPermitted
from canbo.core.models import ObjectChange
from canbo.org.choices import Block, HeadKind, Level, ManagementScope, TitleGroup, UnitKind
from canbo.org.models import Post, StaffingQuota, Title, Unit
from canbo.org.restructuring import unit_dissolve, unit_merge, unit_move, unit_split

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

D = dt.date
JULY = D(2025, 7, 1)
LAST = D(2025, 6, 30)


def part(code: str, name: str) -> dict[str, Any]:
    return {
        "code": code, "name": name, "kind": UnitKind.LOCALITY, "block": Block.STATE, "level": Level.COMMUNE,
    }  # fmt: skip


@pytest.fixture
def communes(tree: dict[str, Unit]) -> dict[str, Unit]:
    return {
        "X": make_unit(tree["A"], "X", "Xã X", level=Level.COMMUNE),
        "Y": make_unit(tree["A"], "Y", "Xã Y", level=Level.COMMUNE),
        "Z": make_unit(tree["B"], "Z", "Xã Z", level=Level.COMMUNE),
    }


@pytest.fixture
def chairman(db: Any) -> Title:
    return Title.objects.create(
        code="CT-XA", name="Chủ tịch UBND xã", level=Level.COMMUNE, group=TitleGroup.COMMITTEE_CHAIR,
        block=Block.STATE, is_leader=True, head_kind=HeadKind.HEAD,
        management_scope=ManagementScope.AGENCY, rank=50,
    )  # fmt: skip


def officer_on(username: str, unit: Unit, **kw: Any) -> Grant:
    user, _ = User.objects.get_or_create(username=username)
    return Grant.objects.create(user=user, role=Role.OFFICER, unit=unit, **kw)


def quota(unit: Unit, year: int, civil: int, public: int) -> StaffingQuota:
    return StaffingQuota.objects.create(
        unit=unit, year=year, civil_servants=civil, public_employees=public, basis=f"QĐ {year}"
    )


def logged(obj: Any, action: str) -> ObjectChange:
    return ObjectChange.objects.filter(object_id=obj.pk, action=action, object_repr=str(obj)).latest("pk")


def test_merge_carries_grants_quotas_and_closes_posts(
    users: dict[str, User], tree: dict[str, Unit], communes: dict[str, Unit], chairman: Title
) -> None:
    x, y, z = communes["X"], communes["Y"], communes["Z"]
    gx = officer_on("xa_x", x, include_sensitive=True)
    gy = officer_on("xa_x", y)  # the same officer on both: one grant is enough afterwards
    gz = officer_on("xa_z", z)  # another subtree: untouched
    post = Post.objects.create(unit=x, title=chairman, seats=1, valid_from=D(2020, 1, 1))
    quota(x, 2025, 5, 3)
    quota(y, 2025, 4, 2)
    quota(x, 2026, 6, 1)
    quota(x, 2024, 7, 7)
    new = unit_merge(
        acting_user=users["officer_a"], sources=[x, y], parent=tree["A"], new_unit=part("XY", "Xã XY"),
        on=JULY, basis="NQ 1/NQ-UBTVQH",
    )  # fmt: skip
    gx.refresh_from_db()
    assert gx.unit_id == new.pk and gx.include_sensitive
    assert not Grant.objects.filter(pk=gy.pk).exists()  # covered by the carried one
    assert Grant.objects.get(pk=gz.pk).unit_id == z.pk
    change = logged(gx, ObjectChange.Action.UPDATE)
    assert "NQ 1/NQ-UBTVQH" in change.reason and change.user == users["officer_a"]
    assert ObjectChange.objects.filter(object_id=gy.pk, action=ObjectChange.Action.DELETE).exists()
    # The post ends with the commune; the merged commune's seats come from its own decision.
    post.refresh_from_db()
    assert post.valid_to == LAST
    assert not Post.objects.filter(unit=new).exists()
    # The quotas of the year are added up on the merged commune; later years too; the closed
    # communes keep the year they ended in and earlier, not the years after.
    assert {(q.year, q.civil_servants, q.public_employees) for q in new.quotas.all()} == {
        (2025, 9, 5),
        (2026, 6, 1),
    }
    assert sorted(x.quotas.values_list("year", flat=True)) == [2024, 2025]


def test_merge_into_an_existing_unit_adds_its_quota(
    users: dict[str, User], tree: dict[str, Unit], communes: dict[str, Unit]
) -> None:
    x, y = communes["X"], communes["Y"]
    quota(x, 2025, 5, 3)
    quota(y, 2025, 4, 2)
    gx = officer_on("xa_x", x)
    unit_merge(acting_user=users["officer_a"], sources=[x], into=y, on=JULY, basis="QĐ 2")
    q = StaffingQuota.objects.get(unit=y, year=2025)
    assert (q.civil_servants, q.public_employees, q.basis) == (9, 5, "QĐ 2025")
    assert Grant.objects.get(pk=gx.pk).unit_id == y.pk


def test_a_grant_covered_from_above_is_removed_not_carried(
    users: dict[str, User], tree: dict[str, Unit], communes: dict[str, Unit]
) -> None:
    x = communes["X"]
    g_district = officer_on("huyen", tree["A"])
    g_commune = officer_on("huyen", x)
    g_leader = Grant.objects.create(user=g_district.user, role=Role.LEADER, unit=x)  # another role
    new = unit_merge(acting_user=users["officer_a"], sources=[x], into=communes["Y"], on=JULY)
    assert not Grant.objects.filter(pk=g_commune.pk).exists()
    assert Grant.objects.get(pk=g_leader.pk).unit_id == new.pk
    assert Grant.objects.get(pk=g_district.pk).unit_id == tree["A"].pk


def test_split_gives_each_part_the_grant_and_closes_posts_and_later_quotas(
    users: dict[str, User], tree: dict[str, Unit], communes: dict[str, Unit], chairman: Title
) -> None:
    x = communes["X"]
    gx = officer_on("xa_x", x, management_scope=ManagementScope.AGENCY)
    post = Post.objects.create(unit=x, title=chairman, seats=1)
    quota(x, 2025, 5, 3)
    quota(x, 2026, 6, 1)
    parts = unit_split(
        acting_user=users["officer_a"], source=x, on=JULY, parts=[part("X1", "Xã X1"), part("X2", "Xã X2")]
    )
    grants = Grant.objects.filter(user=gx.user).order_by("pk")
    assert [(g.unit_id, g.management_scope) for g in grants] == [
        (parts[0].pk, ManagementScope.AGENCY),
        (parts[1].pk, ManagementScope.AGENCY),
    ]
    assert grants[0].pk == gx.pk
    post.refresh_from_db()
    assert post.valid_to == LAST
    # Nothing is divided by guess: the parts get their quota by decision; the source keeps 2025.
    assert not StaffingQuota.objects.filter(unit__in=parts).exists()
    assert list(x.quotas.values_list("year", flat=True)) == [2025]


def test_move_carries_grants_posts_and_quotas_of_the_subtree(
    users: dict[str, User], tree: dict[str, Unit], communes: dict[str, Unit], chairman: Title
) -> None:
    x = communes["X"]
    hamlet = make_unit(x, "X-T1", "Thôn 1", level=Level.COMMUNE)
    gx = officer_on("xa_x", x)
    gh = officer_on("thon", hamlet)
    Post.objects.create(unit=x, title=chairman, seats=2)
    quota(x, 2025, 5, 3)
    quota(x, 2026, 6, 1)
    moved = unit_move(acting_user=users["admin"], unit=x, new_parent=tree["B"], on=JULY, basis="QĐ 9")
    assert Grant.objects.get(pk=gx.pk).unit_id == moved.pk
    new_hamlet = Unit.objects.get(code="X-T1")
    assert new_hamlet.path.startswith(moved.path)
    assert Grant.objects.get(pk=gh.pk).unit_id == new_hamlet.pk
    assert list(Post.objects.filter(unit=moved).values_list("seats", "valid_from")) == [(2, JULY)]
    assert {(q.year, q.civil_servants) for q in moved.quotas.all()} == {(2025, 5), (2026, 6)}
    old = Unit.objects.get(pk=x.pk)
    assert list(old.quotas.values_list("year", flat=True)) == [2025]
    # The district officer of A no longer reaches the moved commune through the carried grant.
    assert not Unit.objects.restrict(users["officer_a"]).filter(pk=moved.pk).exists()


def test_dissolve_carries_grants_only_to_a_successor(
    users: dict[str, User], tree: dict[str, Unit], communes: dict[str, Unit]
) -> None:
    x, y = communes["X"], communes["Y"]
    gx = officer_on("xa_x", x)
    gy = officer_on("xa_y", y)
    quota(x, 2026, 1, 1)
    unit_dissolve(acting_user=users["officer_a"], unit=x, on=JULY, successor=y)
    assert Grant.objects.get(pk=gx.pk).unit_id == y.pk
    assert not StaffingQuota.objects.filter(unit=y).exists()  # a dissolved unit's quota is withdrawn
    unit_dissolve(acting_user=users["officer_a"], unit=Unit.objects.get(pk=y.pk), on=D(2025, 8, 1))
    # Without a successor the grants stay on the closed unit: its past can still be read.
    assert Grant.objects.get(pk=gy.pk).unit_id == y.pk


def test_an_officer_of_another_subtree_carries_nothing(
    users: dict[str, User], tree: dict[str, Unit], communes: dict[str, Unit]
) -> None:
    x, z = communes["X"], communes["Z"]
    gx = officer_on("xa_x", x)
    quota(x, 2025, 5, 3)
    before = ObjectChange.objects.count()
    with pytest.raises(NotPermitted):
        unit_merge(acting_user=users["officer_b"], sources=[x], into=z, on=JULY)
    with pytest.raises(NotPermitted):
        unit_move(acting_user=users["officer_b"], unit=x, new_parent=tree["B"], on=JULY)
    with pytest.raises(NotPermitted):
        unit_merge(acting_user=users["officer_a"], sources=[x], into=z, on=JULY)  # target not his
    assert Grant.objects.get(pk=gx.pk).unit_id == x.pk
    assert not StaffingQuota.objects.filter(unit=z).exists()
    assert ObjectChange.objects.count() == before
