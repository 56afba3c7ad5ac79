"""A post in Phòng Nội vụ huyện A with one seat, and eligible candidates for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canbo.assessment.models import PoliticalConclusion
from canbo.conftest import new_person
from canbo.org.models import Post, Title, Unit
from canbo.people.models import HealthRecord, Person
from canbo.planning.models import PlanningEntry, PlanningList

RECEIVED = dt.date(2026, 3, 2)


def make_eligible(person: Person, title: Title, unit: Unit) -> Person:
    """Health, political-standard conclusion and a planning entry for ``title`` before RECEIVED."""
    HealthRecord.objects.create(person=person, check_date=dt.date(2026, 1, 10), status="tot")
    PoliticalConclusion.objects.create(
        person=person, conclusion_date=dt.date(2026, 1, 5), issuing_body="Ban Tổ chức Huyện ủy"
    )
    plist = PlanningList.objects.filter(unit=unit).first() or PlanningList.objects.create(
        unit=unit, name="Quy hoạch 2025–2030", kind="lanh_dao_quan_ly", term_start=2025, term_end=2030
    )
    PlanningEntry.objects.create(
        planning_list=plist, person=person, title=title, added_on=dt.date(2025, 6, 1)
    )
    return person


@pytest.fixture
def post(tree: dict[str, Unit], title: Title) -> Post:
    return Post.objects.create(unit=tree["A1"], title=title, seats=1, valid_from=dt.date(2020, 1, 1))


@pytest.fixture
def eligible(tree: dict[str, Unit], title: Title) -> list[Person]:
    a = make_eligible(
        new_person(tree["A1"], "Lê Văn An", sex="nam", born=dt.date(1982, 4, 2)), title, tree["A"]
    )
    b = make_eligible(new_person(tree["A"], "Phạm Thị Bích", born=dt.date(1984, 7, 9)), title, tree["A"])
    return [a, b]


@pytest.fixture
def authority(tree: dict[str, Unit]) -> Any:
    """An administrator of district A holding the exception right: may record exceptions there."""
    from django.contrib.auth.models import Permission, User

    from canbo.accounts.models import Grant, Role

    user = User.objects.create_user(username="authority_a", password="x")
    Grant.objects.create(user=user, role=Role.ADMIN, unit=tree["A"], include_sensitive=True)
    user.user_permissions.add(Permission.objects.get(codename="record_rule_exception"))
    return user
