"""The person page's planning panel (``entries_of``, issue 22, session 11) reads the person's
entries with a statement compiled once per process and keeps those of the lists the user may
see: exactly the entries of ``lists_for(user)``, for every kind of grant."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from canbo.accounts.models import Grant, Role
from canbo.org.choices import ManagementScope
from canbo.org.models import Title, Unit
from canbo.people.models import Person
from canbo.planning import services
from canbo.planning.models import PlanningEntry
from canbo.planning.selectors import entries_of, lists_for

pytestmark = pytest.mark.django_db


def test_entries_of_keeps_the_lists_the_user_sees(
    tree: dict[str, Unit], users: dict[str, Any], person_a: Person, title: Title
) -> None:
    lists = [
        services.planning_list_create(
            acting_user=users["admin"],
            unit=tree[code],
            name=f"Quy hoạch {code}",
            kind="lanh_dao_quan_ly",
            term_start=2025,
            term_end=2030,
        )
        for code in ("P", "A", "A1", "B")
    ]
    for i, plist in enumerate(lists):
        PlanningEntry.objects.create(
            planning_list=plist, person=person_a, title=title, added_on=dt.date(2024, 1, 1 + i)
        )
    scoped = User.objects.create_user("scoped_leader", password="x")
    scope = ManagementScope.values[0]
    Grant.objects.create(user=scoped, role=Role.LEADER, unit=tree["A"], management_scope=scope)
    day = dt.date(2025, 6, 1)
    for user in [*users.values(), scoped]:
        expected = list(
            PlanningEntry.objects.filter(person=person_a, planning_list__in=lists_for(user))
            .select_related("planning_list__unit", "title")
            .order_by("-added_on", "-id")
        )
        got = entries_of(user, person_a, day)
        assert [e.entry.pk for e in got] == [e.pk for e in expected], user
        assert [e.entry.planning_list.unit.name for e in got] == [e.planning_list.unit.name for e in expected]
    assert len(entries_of(users["admin"], person_a, day)) == 4
    assert len(entries_of(users["officer_b"], person_a, day)) == 1
