"""Tenures: starting one moves the dossier; the model refuses impossible dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from canbo.careers.models import BodyKind, BodyMembership, Tenure, TenureKind
from canbo.careers.services import tenure_end, tenure_start
from canbo.conftest import kept_person_a, kept_tree, kept_users, make_unit
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.org.models import Post, Title, Unit
from canbo.people.models import Person

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

D = dt.date


def test_primary_tenure_moves_the_dossier(
    users: dict[str, User], tree: dict[str, Unit], title: Title, person_a: Person
) -> None:
    tenure = tenure_start(
        acting_user=users["officer_a"],
        person=person_a,
        unit=tree["A"],
        title=title,
        kind=TenureKind.APPOINTED,
        start_date=D(2020, 3, 1),
        decision_number="15/QĐ-UBND",
        reason="QĐ 15/QĐ-UBND",
    )
    assert Person.objects.get(pk=person_a.pk).managing_unit_id == tree["A"].pk
    assert person_a.managing_unit_id == tree["A"].pk
    assert Tenure.objects.on(D(2020, 3, 1)).filter(person=person_a).get() == tenure
    assert not Tenure.objects.on(D(2020, 2, 29)).filter(person=person_a).exists()
    logged = ObjectChange.objects.filter(related_person_id=person_a.pk, reason="QĐ 15/QĐ-UBND")
    assert {e.content_type.model for e in logged} == {"tenure", "person"}


def test_concurrent_tenure_keeps_the_dossier(
    users: dict[str, User], tree: dict[str, Unit], title: Title, person_a: Person
) -> None:
    tenure_start(
        acting_user=users["officer_a"],
        person=person_a,
        unit=tree["A"],
        title=title,
        kind=TenureKind.CONCURRENT,
        start_date=D(2021, 1, 1),
        is_primary=False,
    )
    assert Person.objects.get(pk=person_a.pk).managing_unit_id == tree["A1"].pk


def test_move_dossier_false_keeps_it(
    users: dict[str, User], tree: dict[str, Unit], title: Title, person_a: Person
) -> None:
    tenure_start(
        acting_user=users["officer_a"],
        person=person_a,
        unit=tree["A"],
        title=title,
        kind=TenureKind.SECONDED,
        start_date=D(2021, 1, 1),
        move_dossier=False,
    )
    assert Person.objects.get(pk=person_a.pk).managing_unit_id == tree["A1"].pk


def test_cannot_move_a_dossier_out_of_ones_subtree(
    users: dict[str, User], tree: dict[str, Unit], title: Title, person_a: Person
) -> None:
    count = ObjectChange.objects.count()
    with pytest.raises(NotPermitted):
        tenure_start(
            acting_user=users["officer_a"],
            person=person_a,
            unit=tree["B"],
            title=title,
            kind=TenureKind.TRANSFERRED,
            start_date=D(2022, 1, 1),
        )
    assert Person.objects.get(pk=person_a.pk).managing_unit_id == tree["A1"].pk
    assert not Tenure.objects.exists()
    assert ObjectChange.objects.count() == count
    # The provincial administrator may transfer him.
    tenure_start(
        acting_user=users["admin"],
        person=person_a,
        unit=tree["B"],
        title=title,
        kind=TenureKind.TRANSFERRED,
        start_date=D(2022, 1, 1),
    )
    assert Person.objects.get(pk=person_a.pk).managing_unit_id == tree["B"].pk


def test_tenure_end(users: dict[str, User], tree: dict[str, Unit], title: Title, person_a: Person) -> None:
    t = tenure_start(
        acting_user=users["officer_a"],
        person=person_a,
        unit=tree["A1"],
        title=title,
        kind=TenureKind.APPOINTED,
        start_date=D(2020, 1, 1),
    )
    tenure_end(acting_user=users["officer_a"], tenure=t, end_date=D(2024, 12, 31), end_reason="Nghỉ hưu")
    t.refresh_from_db()
    assert t.end_date == D(2024, 12, 31) and t.end_reason == "Nghỉ hưu"
    with pytest.raises(DomainError):
        tenure_end(acting_user=users["officer_a"], tenure=t, end_date=D(2025, 1, 31))
    with pytest.raises(ValidationError) as exc:
        tenure_end(acting_user=users["officer_a"], tenure=t, end_date=D(2019, 12, 31))
    assert "sau ngày bắt đầu" in exc.value.message_dict["end_date"][0]


def _tenure(
    person: Person, unit: Unit, title: Title, start: dt.date, end: dt.date | None = None, **kw: object
) -> Tenure:
    return Tenure(
        person=person, unit=unit, title=title, kind=TenureKind.APPOINTED, start_date=start, end_date=end, **kw
    )


def test_clean_refuses_end_before_start(tree: dict[str, Unit], title: Title, person_a: Person) -> None:
    with pytest.raises(ValidationError) as exc:
        _tenure(person_a, tree["A"], title, D(2020, 5, 1), D(2020, 4, 30)).full_clean()
    assert exc.value.message_dict["end_date"] == ["Ngày kết thúc phải sau ngày bắt đầu."]
    _tenure(person_a, tree["A"], title, D(2020, 5, 1), D(2020, 5, 1)).full_clean()


def test_clean_refuses_a_start_before_the_unit_existed(
    tree: dict[str, Unit], title: Title, person_a: Person
) -> None:
    with pytest.raises(ValidationError) as exc:
        _tenure(person_a, tree["A"], title, D(2014, 12, 31)).full_clean()
    [message] = exc.value.message_dict["start_date"]
    assert "chỉ có từ 01/01/2015" in message


def test_clean_refuses_an_open_tenure_at_a_closed_unit(
    tree: dict[str, Unit], title: Title, person_a: Person
) -> None:
    closed = make_unit(tree["P"], "C", "Ban đã giải thể", valid_to=D(2019, 12, 31))
    with pytest.raises(ValidationError) as exc:
        _tenure(person_a, closed, title, D(2018, 1, 1)).full_clean()
    assert "kết thúc ngày 31/12/2019" in exc.value.message_dict["end_date"][0]
    with pytest.raises(ValidationError) as exc:
        _tenure(person_a, closed, title, D(2018, 1, 1), D(2020, 1, 1)).full_clean()
    assert "end_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _tenure(person_a, closed, title, D(2020, 1, 1), D(2020, 2, 1)).full_clean()
    assert "đã kết thúc" in exc.value.message_dict["start_date"][0]
    _tenure(person_a, closed, title, D(2018, 1, 1), D(2019, 12, 31)).full_clean()


def test_clean_refuses_a_post_of_another_unit(tree: dict[str, Unit], title: Title, person_a: Person) -> None:
    post_b = Post.objects.create(unit=tree["B"], title=title)
    with pytest.raises(ValidationError) as exc:
        _tenure(person_a, tree["A"], title, D(2020, 1, 1), post=post_b).full_clean()
    assert exc.value.message_dict["post"] == ["Vị trí không thuộc đơn vị đã chọn."]


def test_tenure_section_at_unit_outside_grants_is_refused(
    users: dict, tree: dict, person_a: Person, title: Title
) -> None:

    from canbo.people.services import section_create

    with pytest.raises(NotPermitted):
        section_create(
            acting_user=users["officer_a"],
            person=person_a,
            instance=Tenure(unit=tree["B"], title=title, kind="bo_nhiem", start_date=dt.date(2024, 1, 1)),
        )
    assert not Tenure.objects.filter(person=person_a).exists()


def test_a_membership_does_not_repeat_its_kind(tree: dict, person_a: Person) -> None:
    # The history read "Hội đồng nhân dân Hội đồng nhân dân tỉnh Lào Cai 2016–2021".
    council = make_unit(tree["P"], "P-HDND", "Hội đồng nhân dân tỉnh Thử nghiệm")
    m = BodyMembership(person=person_a, body=council, kind=BodyKind.PEOPLES_COUNCIL, term="2016–2021")
    assert str(m) == "Hội đồng nhân dân tỉnh Thử nghiệm 2016–2021"
    m = BodyMembership(person=person_a, body=tree["A"], kind=BodyKind.PARTY_COMMITTEE, term="2020–2025")
    assert str(m) == "Cấp ủy Huyện A 2020–2025"


@pytest.mark.django_db
def test_close_tenures_skips_the_units_known_empty(
    users: dict[str, User], tree: dict[str, Unit], title: Title, person_a: Person
) -> None:
    """Inside ``units_known_empty`` the careers hook reads no tenure or membership of a unit
    that had none, still closes those of a unit that has some, and reads again a unit that
    received a carried tenure."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from canbo.careers.units import close_tenures, units_known_empty

    held = Tenure.objects.create(
        person=person_a,
        unit=tree["A1"],
        title=title,
        kind=TenureKind.APPOINTED,
        start_date=dt.date(2020, 1, 1),
    )
    on = dt.date(2025, 7, 1)
    kw: dict[str, Any] = {"on": on, "acting_user": users["admin"], "reason": "Sắp xếp"}
    with units_known_empty(u.pk for u in tree.values()):
        with CaptureQueriesContext(connection) as queries:
            assert close_tenures(tree["B"], carry=lambda _pid: None, **kw) == 0
        assert len(queries) == 0
        # A1 holds a tenure: closed and carried to B, which is then read again.
        assert close_tenures(tree["A1"], carry=lambda _pid: tree["B"], **kw) == 1
        with CaptureQueriesContext(connection) as queries:
            assert (
                close_tenures(
                    tree["B"],
                    carry=lambda _pid: None,
                    on=dt.date(2025, 8, 1),
                    acting_user=users["admin"],
                    reason="Sắp xếp",
                )
                == 0
            )
        assert len(queries) > 0
    held.refresh_from_db()
    assert held.end_date == on - dt.timedelta(days=1)
    carried = Tenure.objects.get(person=person_a, unit=tree["B"])
    assert carried.end_date == dt.date(2025, 7, 31)
    # Outside the context every unit is read.
    with CaptureQueriesContext(connection) as queries:
        assert close_tenures(tree["A"], carry=lambda _pid: None, **kw) == 0  # empty, but not known so
    assert len(queries) > 0
