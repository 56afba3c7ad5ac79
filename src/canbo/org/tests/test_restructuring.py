"""Restructuring: rename, merge, split, dissolve. The past is never edited: every past date
still shows the structure, the names and the tenures of that date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from canbo.careers.models import BodyKind, BodyMembership, Tenure, TenureKind
from canbo.conftest import kept_person_a, kept_tree, kept_users, make_unit, new_person
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.org.choices import Block, Level, LineageEvent, UnitKind
from canbo.org.models import Title, Unit, UnitLineage
from canbo.org.restructuring import unit_dissolve, unit_merge, unit_rename, unit_split
from canbo.org.services import unit_create
from canbo.people.models import Person

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

D = dt.date
JULY = D(2025, 7, 1)
LAST = D(2025, 6, 30)
START = D(2020, 1, 1)


def fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def new_fields(code: str, name: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "kind": UnitKind.LOCALITY,
        "block": Block.STATE,
        "level": Level.COMMUNE,
    }


def serve(
    person: Person,
    unit: Unit,
    title: Title,
    start: dt.date = START,
    end: dt.date | None = None,
    **kw: Any,
) -> Tenure:
    return Tenure.objects.create(
        person=person, unit=unit, title=title, kind=TenureKind.APPOINTED, start_date=start, end_date=end, **kw
    )


@pytest.fixture
def leaves(tree: dict[str, Unit]) -> dict[str, Unit]:
    """Two leaf communes X, Y under A and one Z under B (A1 is also a leaf under A)."""
    return {
        "X": make_unit(tree["A"], "X", "Xã X", level=Level.COMMUNE),
        "Y": make_unit(tree["A"], "Y", "Xã Y", level=Level.COMMUNE),
        "Z": make_unit(tree["B"], "Z", "Xã Z", level=Level.COMMUNE),
    }


# Rename


def test_rename_keeps_the_former_name_for_earlier_dates(
    users: dict[str, User], tree: dict[str, Unit]
) -> None:
    a1 = unit_rename(
        acting_user=users["officer_a"],
        unit=tree["A1"],
        new_name="Phòng  Nội vụ – Lao động",
        on=D(2024, 3, 1),
        basis="QĐ 5/QĐ-UBND",
    )
    a1 = fresh(a1)
    assert a1.name == "Phòng Nội vụ – Lao động"
    assert a1.name_on(D(2024, 2, 29)) == "Phòng Nội vụ huyện A"
    assert a1.name_on(D(2015, 1, 1)) == "Phòng Nội vụ huyện A"
    assert a1.name_on(D(2024, 3, 1)) == "Phòng Nội vụ – Lao động"
    unit_rename(acting_user=users["officer_a"], unit=a1, new_name="Phòng Nội vụ", on=JULY)
    a1 = fresh(a1)
    assert [a1.name_on(d) for d in (D(2020, 1, 1), D(2025, 6, 30), JULY)] == [
        "Phòng Nội vụ huyện A",
        "Phòng Nội vụ – Lao động",
        "Phòng Nội vụ",
    ]
    assert ObjectChange.objects.filter(content_type__model="unitformername", reason="QĐ 5/QĐ-UBND").exists()


def test_rename_refusals(users: dict[str, User], tree: dict[str, Unit]) -> None:
    officer = users["officer_a"]
    with pytest.raises(DomainError, match="trùng tên"):
        unit_rename(acting_user=officer, unit=tree["A1"], new_name=" Phòng Nội vụ  huyện A", on=JULY)
    with pytest.raises(DomainError, match="không được để trống"):
        unit_rename(acting_user=officer, unit=tree["A1"], new_name="  ", on=JULY)
    with pytest.raises(DomainError, match="bắt đầu hiệu lực"):
        unit_rename(acting_user=officer, unit=tree["A1"], new_name="Mới", on=D(2014, 1, 1))
    unit_rename(acting_user=officer, unit=tree["A1"], new_name="Mới", on=JULY)
    with pytest.raises(DomainError, match="sau lần đổi tên trước"):
        unit_rename(acting_user=officer, unit=fresh(tree["A1"]), new_name="Mới hơn", on=D(2025, 1, 1))
    with pytest.raises(NotPermitted):
        unit_rename(acting_user=users["officer_b"], unit=tree["A1"], new_name="Khác", on=D(2025, 8, 1))
    with pytest.raises(NotPermitted):
        unit_rename(acting_user=users["leader_a"], unit=tree["A1"], new_name="Khác", on=D(2025, 8, 1))
    assert fresh(tree["A1"]).name == "Mới"


# Merge


def test_merge_into_a_new_unit(
    users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit], title: Title
) -> None:
    x, y = leaves["X"], leaves["Y"]
    px = new_person(x, "Lý Văn Xa", sex="nam")
    py = new_person(y, "Lý Thị Yến")
    tx = serve(px, x, title, decision_number="1/QĐ")
    ty = serve(py, y, title, is_primary=False)
    old_done = serve(py, y, title, start=D(2016, 1, 1), end=D(2019, 12, 31))
    council = BodyMembership.objects.create(
        person=px, body=x, kind=BodyKind.PEOPLES_COUNCIL, term="2021-2026", start_date=D(2021, 6, 1)
    )
    count = ObjectChange.objects.count()

    new = unit_merge(
        acting_user=users["officer_a"],
        sources=[x, y],
        on=JULY,
        parent=tree["A"],
        new_unit=new_fields("XY", "Xã Xuân Yên"),
        basis="NQ 1673/NQ-UBTVQH15",
    )

    assert new.valid_from == JULY and Unit.objects.get_parent(new) == tree["A"]
    assert fresh(x).valid_to == LAST and fresh(y).valid_to == LAST
    tx.refresh_from_db()
    ty.refresh_from_db()
    old_done.refresh_from_db()
    assert tx.end_date == LAST and ty.end_date == LAST
    assert tx.end_reason == "NQ 1673/NQ-UBTVQH15"
    assert old_done.end_date == D(2019, 12, 31)
    council.refresh_from_db()
    assert council.end_date == LAST
    carried = Tenure.objects.filter(unit=new).order_by("person__full_name")
    assert [(t.person, t.kind, t.start_date, t.end_date, t.title, t.is_primary) for t in carried] == [
        (py, TenureKind.CARRIED, JULY, None, title, False),
        (px, TenureKind.CARRIED, JULY, None, title, True),
    ]
    assert Person.objects.get(pk=px.pk).managing_unit == new
    assert Person.objects.get(pk=py.pk).managing_unit == new
    lineage = UnitLineage.objects.filter(successor=new).order_by("predecessor__code")
    assert [(lin.predecessor, lin.event, lin.event_date) for lin in lineage] == [
        (x, LineageEvent.MERGE, JULY),
        (y, LineageEvent.MERGE, JULY),
    ]
    entries = ObjectChange.objects.all()[: ObjectChange.objects.count() - count]
    assert {e.reason for e in entries} == {"NQ 1673/NQ-UBTVQH15"}
    assert {e.user_id for e in entries} == {users["officer_a"].pk}

    # Every past date still shows the structure of that date.
    before = set(Unit.objects.in_force(LAST).values_list("code", flat=True))
    after = set(Unit.objects.in_force(JULY).values_list("code", flat=True))
    assert before == {"P", "A", "A1", "B", "X", "Y", "Z"}
    assert after == {"P", "A", "A1", "B", "XY", "Z"}
    assert set(Tenure.objects.on(LAST).values_list("unit__code", flat=True)) == {"X", "Y"}
    assert set(Tenure.objects.on(JULY).values_list("unit__code", flat=True)) == {"XY"}


def test_merge_into_an_existing_unit_without_carrying(
    users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit], title: Title
) -> None:
    x, y = leaves["X"], leaves["Y"]
    px = new_person(x, "Lý Văn Xa", sex="nam")
    tx = serve(px, x, title)
    target = unit_merge(acting_user=users["officer_a"], sources=[x], into=y, on=JULY, carry_people=False)
    assert target == y
    assert fresh(y).valid_to is None
    assert fresh(x).valid_to == LAST
    tx.refresh_from_db()
    assert tx.end_date == LAST
    assert not Tenure.objects.filter(unit=y).exists()
    assert Person.objects.get(pk=px.pk).managing_unit == x
    lin = UnitLineage.objects.get()
    assert (lin.predecessor, lin.successor, lin.event) == (x, y, LineageEvent.MERGE)


def test_merge_into_an_existing_unit_carries_people(
    users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit], title: Title
) -> None:
    x, y = leaves["X"], leaves["Y"]
    px = new_person(x, "Lý Văn Xa", sex="nam")
    serve(px, x, title)
    unit_merge(acting_user=users["officer_a"], sources=[x], into=y, on=JULY)
    assert Person.objects.get(pk=px.pk).managing_unit == y
    assert Tenure.objects.get(unit=y).kind == TenureKind.CARRIED


def test_merge_closes_a_tenure_that_would_run_past_the_last_day(
    users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit], title: Title
) -> None:
    x = leaves["X"]
    px = new_person(x, "Lý Văn Xa", sex="nam")
    t = serve(px, x, title, end=D(2026, 5, 31))
    unit_merge(acting_user=users["officer_a"], sources=[x], into=leaves["Y"], on=JULY)
    t.refresh_from_db()
    assert t.end_date == LAST
    assert Tenure.objects.get(unit=leaves["Y"]).start_date == JULY


def test_merge_refuses_a_tenure_starting_on_or_after_the_date(
    users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit], title: Title
) -> None:
    x = leaves["X"]
    px = new_person(x, "Lý Văn Xa", sex="nam")
    serve(px, x, title, start=JULY)
    with pytest.raises(DomainError, match="Lý Văn Xa"):
        unit_merge(acting_user=users["officer_a"], sources=[x], into=leaves["Y"], on=JULY)
    assert fresh(x).valid_to is None


def _nothing_written(before: int) -> None:
    assert ObjectChange.objects.count() == before
    assert not UnitLineage.objects.exists()


def test_merge_refuses_a_source_with_open_children(users: dict[str, User], tree: dict[str, Unit]) -> None:
    before = ObjectChange.objects.count()
    with pytest.raises(DomainError) as exc:
        unit_merge(
            acting_user=users["admin"],
            sources=[tree["A"], tree["B"]],
            on=JULY,
            parent=tree["P"],
            new_unit=new_fields("AB", "Huyện AB"),
        )
    assert "còn 1 đơn vị trực thuộc đang hoạt động (Phòng Nội vụ huyện A)" in exc.value.message
    _nothing_written(before)
    assert fresh(tree["A"]).valid_to is None
    assert not Unit.objects.filter(code="AB").exists()


def test_merge_ignores_children_closed_before_the_date(users: dict[str, User], tree: dict[str, Unit]) -> None:
    unit_dissolve(acting_user=users["admin"], unit=tree["A1"], on=D(2024, 1, 1))
    new = unit_merge(
        acting_user=users["admin"],
        sources=[fresh(tree["A"]), tree["B"]],
        on=JULY,
        parent=tree["P"],
        new_unit=new_fields("AB", "Huyện AB"),
    )
    assert fresh(tree["A"]).valid_to == LAST and new.code == "AB"
    # Tree bookkeeping stays right: P has A, B and the new AB.
    assert fresh(tree["P"]).numchild == 3
    assert fresh(tree["A"]).numchild == 1


@pytest.mark.parametrize("on", [D(2015, 1, 1), D(2014, 6, 1)])
def test_merge_refuses_a_date_outside_validity(
    users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit], on: dt.date
) -> None:
    leaves["X"].valid_from = D(2015, 1, 1)
    before = ObjectChange.objects.count()
    with pytest.raises(DomainError) as exc:
        unit_merge(acting_user=users["officer_a"], sources=[leaves["X"]], into=leaves["Y"], on=on)
    assert "Xã X" in exc.value.message
    _nothing_written(before)


def test_merge_refuses_a_source_already_closed(
    users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit]
) -> None:
    unit_merge(acting_user=users["officer_a"], sources=[leaves["X"]], into=leaves["Y"], on=JULY)
    with pytest.raises(DomainError, match="không còn hiệu lực vào ngày 01/08/2025"):
        unit_merge(
            acting_user=users["officer_a"], sources=[fresh(leaves["X"])], into=leaves["Y"], on=D(2025, 8, 1)
        )


def test_merge_refuses_a_closed_target(
    users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit]
) -> None:
    unit_dissolve(acting_user=users["officer_a"], unit=leaves["Y"], on=D(2024, 1, 1))
    with pytest.raises(DomainError, match="Đơn vị tiếp nhận “Xã Y” không có hiệu lực"):
        unit_merge(acting_user=users["officer_a"], sources=[leaves["X"]], into=fresh(leaves["Y"]), on=JULY)
    assert fresh(leaves["X"]).valid_to is None


def test_merge_refuses_a_target_inside_a_source(users: dict[str, User], tree: dict[str, Unit]) -> None:
    before = ObjectChange.objects.count()
    with pytest.raises(DomainError, match="không thể sáp nhập vào chính cấp dưới"):
        unit_merge(acting_user=users["admin"], sources=[tree["A"]], into=tree["A1"], on=JULY)
    with pytest.raises(DomainError, match="Đơn vị mới không thể đặt trong"):
        unit_merge(
            acting_user=users["officer_a"],
            sources=[tree["A1"]],
            parent=tree["A1"],
            on=JULY,
            new_unit=new_fields("N", "Mới"),
        )
    with pytest.raises(DomainError, match="đồng thời"):
        unit_merge(acting_user=users["officer_a"], sources=[tree["A1"]], into=tree["A1"], on=JULY)
    _nothing_written(before)


def test_merge_argument_refusals(
    users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit]
) -> None:
    with pytest.raises(DomainError, match="ít nhất một"):
        unit_merge(acting_user=users["officer_a"], sources=[], into=leaves["Y"], on=JULY)
    with pytest.raises(DomainError, match="không cả hai"):
        unit_merge(acting_user=users["officer_a"], sources=[leaves["X"]], on=JULY)
    with pytest.raises(DomainError, match="hai lần"):
        unit_merge(
            acting_user=users["officer_a"], sources=[leaves["X"], leaves["X"]], into=leaves["Y"], on=JULY
        )


def test_merge_permission(users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit]) -> None:
    before = ObjectChange.objects.count()
    with pytest.raises(NotPermitted):
        unit_merge(
            acting_user=users["officer_b"],
            sources=[leaves["X"], leaves["Y"]],
            on=JULY,
            parent=tree["B"],
            new_unit=new_fields("XY", "Xã XY"),
        )
    with pytest.raises(NotPermitted):
        unit_merge(acting_user=users["officer_b"], sources=[leaves["X"]], into=leaves["Z"], on=JULY)
    with pytest.raises(NotPermitted):
        unit_merge(acting_user=users["officer_a"], sources=[leaves["X"]], into=leaves["Z"], on=JULY)
    with pytest.raises(NotPermitted):
        unit_merge(acting_user=users["leader_a"], sources=[leaves["X"]], into=leaves["Y"], on=JULY)
    with pytest.raises(NotPermitted):
        unit_merge(
            acting_user=users["officer_a"],
            sources=[leaves["X"]],
            parent=tree["B"],
            on=JULY,
            new_unit=new_fields("XB", "Xã XB"),
        )
    _nothing_written(before)
    assert fresh(leaves["X"]).valid_to is None
    assert not Unit.objects.filter(code__in=["XY", "XB"]).exists()


# Split


def test_split_with_people_mapping(
    users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit], title: Title
) -> None:
    x = leaves["X"]
    p1 = new_person(x, "Một Văn Một", sex="nam")
    p2 = new_person(x, "Hai Thị Hai")
    p3 = new_person(x, "Ba Văn Ba", sex="nam")
    t1, t2, t3 = (serve(p, x, title) for p in (p1, p2, p3))
    parts = unit_split(
        acting_user=users["officer_a"],
        source=x,
        on=JULY,
        parts=[new_fields("X1", "Xã X Bắc"), new_fields("X2", "Xã X Nam")],
        people_to={p1.pk: 0, p2.pk: 1},
        basis="NQ chia tách",
    )
    north, south = parts
    assert [Unit.objects.get_parent(u) for u in parts] == [tree["A"], tree["A"]]
    assert all(u.valid_from == JULY for u in parts)
    assert fresh(x).valid_to == LAST
    for t in (t1, t2, t3):
        t.refresh_from_db()
        assert t.end_date == LAST
    assert Tenure.objects.get(person=p1, end_date__isnull=True).unit == north
    assert Tenure.objects.get(person=p2, end_date__isnull=True).unit == south
    assert not Tenure.objects.filter(person=p3, end_date__isnull=True).exists()
    assert [Person.objects.get(pk=p.pk).managing_unit for p in (p1, p2, p3)] == [north, south, x]
    assert set(UnitLineage.objects.values_list("predecessor__code", "successor__code", "event")) == {
        ("X", "X1", LineageEvent.SPLIT),
        ("X", "X2", LineageEvent.SPLIT),
    }
    assert set(Unit.objects.in_force(LAST).filter(code__startswith="X").values_list("code", flat=True)) == {
        "X"
    }
    assert set(Unit.objects.in_force(JULY).filter(code__startswith="X").values_list("code", flat=True)) == {
        "X1",
        "X2",
    }


def test_split_refusals(users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit]) -> None:
    officer = users["officer_a"]
    two = [new_fields("X1", "X Bắc"), new_fields("X2", "X Nam")]
    with pytest.raises(DomainError, match="ít nhất hai"):
        unit_split(acting_user=officer, source=leaves["X"], on=JULY, parts=two[:1])
    with pytest.raises(DomainError, match="Chỉ số"):
        unit_split(acting_user=officer, source=leaves["X"], on=JULY, parts=two, people_to={1: 2})
    with pytest.raises(DomainError, match="trực thuộc"):
        unit_split(acting_user=users["admin"], source=tree["A"], on=JULY, parts=two)
    with pytest.raises(DomainError, match="Đơn vị mới không thể đặt trong"):
        unit_split(acting_user=officer, source=leaves["X"], on=JULY, parts=two, parent=leaves["X"])
    with pytest.raises(NotPermitted):
        unit_split(acting_user=users["officer_b"], source=leaves["X"], on=JULY, parts=two)
    with pytest.raises(NotPermitted):
        unit_split(acting_user=officer, source=leaves["X"], on=JULY, parts=two, parent=tree["B"])
    assert not Unit.objects.filter(code__in=["X1", "X2"]).exists()
    assert fresh(leaves["X"]).valid_to is None


# Dissolve


def test_dissolve_closes_the_subtree_deepest_first(
    users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit], title: Title
) -> None:
    deep = make_unit(tree["A1"], "A1a", "Tổ Một", level=Level.DISTRICT)
    gone = make_unit(tree["A1"], "A1b", "Tổ đã giải thể", level=Level.DISTRICT, valid_to=D(2019, 12, 31))
    person = new_person(deep, "Sầm Văn Sâu", sex="nam")
    t = serve(person, deep, title)
    closed = unit_dissolve(acting_user=users["admin"], unit=tree["A"], on=JULY, basis="QĐ giải thể")
    assert [u.code for u in closed][:2] == ["A1a", "A1"]
    assert {u.code for u in closed} == {"A", "A1", "A1a", "X", "Y"}
    assert [u.depth for u in closed] == sorted((u.depth for u in closed), reverse=True)
    assert closed[-1].code == "A"
    for code in ("A", "A1", "A1a", "X", "Y"):
        assert Unit.objects.get(code=code).valid_to == LAST
    assert fresh(gone).valid_to == D(2019, 12, 31)
    t.refresh_from_db()
    assert t.end_date == LAST
    assert Person.objects.get(pk=person.pk).managing_unit == deep
    assert not UnitLineage.objects.exists()
    assert set(Unit.objects.in_force(LAST).values_list("code", flat=True)) == {
        "P",
        "A",
        "A1",
        "A1a",
        "B",
        "X",
        "Y",
        "Z",
    }
    assert set(Unit.objects.in_force(JULY).values_list("code", flat=True)) == {"P", "B", "Z"}


def test_dissolve_with_successor_and_carry(
    users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit], title: Title
) -> None:
    person = new_person(tree["A1"], "Sầm Văn Sâu", sex="nam")
    serve(person, tree["A1"], title)
    unit_dissolve(acting_user=users["admin"], unit=tree["A"], on=JULY, successor=tree["B"], carry_people=True)
    assert Person.objects.get(pk=person.pk).managing_unit == tree["B"]
    carried = Tenure.objects.get(person=person, end_date__isnull=True)
    assert (carried.unit, carried.kind, carried.start_date) == (tree["B"], TenureKind.CARRIED, JULY)
    lin = UnitLineage.objects.get()
    assert (lin.predecessor, lin.successor, lin.event) == (tree["A"], tree["B"], LineageEvent.DISSOLVE)


def test_dissolve_with_successor_without_carry(
    users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit], title: Title
) -> None:
    person = new_person(tree["A1"], "Sầm Văn Sâu", sex="nam")
    serve(person, tree["A1"], title)
    unit_dissolve(acting_user=users["admin"], unit=tree["A"], on=JULY, successor=tree["B"])
    assert Person.objects.get(pk=person.pk).managing_unit == tree["A1"]
    assert not Tenure.objects.filter(person=person, end_date__isnull=True).exists()
    assert UnitLineage.objects.get().successor == tree["B"]


def test_dissolve_refusals(users: dict[str, User], tree: dict[str, Unit], leaves: dict[str, Unit]) -> None:
    with pytest.raises(DomainError, match="kế thừa không thể nằm trong"):
        unit_dissolve(acting_user=users["admin"], unit=tree["A"], on=JULY, successor=leaves["X"])
    with pytest.raises(DomainError, match="phải chọn đơn vị kế thừa"):
        unit_dissolve(acting_user=users["admin"], unit=tree["A"], on=JULY, carry_people=True)
    with pytest.raises(NotPermitted):
        unit_dissolve(acting_user=users["officer_b"], unit=tree["A"], on=JULY)
    with pytest.raises(NotPermitted):
        unit_dissolve(
            acting_user=users["officer_a"], unit=tree["A1"], on=JULY, successor=tree["B"], carry_people=True
        )
    assert not Unit.objects.filter(valid_to__isnull=False).exists()


# Creating units


def test_unit_create_refuses_a_child_older_than_its_parent(
    users: dict[str, User], tree: dict[str, Unit]
) -> None:
    with pytest.raises(DomainError, match="chỉ có hiệu lực từ 01/01/2015"):
        unit_create(
            acting_user=users["officer_a"],
            parent=tree["A"],
            **{**new_fields("N", "Mới"), "valid_from": D(2010, 1, 1)},
        )
    with pytest.raises(DomainError, match="gốc"):
        unit_create(acting_user=users["officer_a"], parent=None, **new_fields("R", "Gốc"))
    unit = unit_create(
        acting_user=users["officer_a"],
        parent=tree["A"],
        **{**new_fields("N", "Mới"), "valid_from": D(2016, 1, 1)},
    )
    assert Unit.objects.get_parent(unit) == tree["A"]
    assert ObjectChange.objects.filter(
        content_type__model="unit", object_id=unit.pk, action="create"
    ).exists()
