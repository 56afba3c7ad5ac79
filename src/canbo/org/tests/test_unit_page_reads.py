"""The unit page's reads (issue 22, session 11): whether the user may change the unit and which
linked units he may open are decided from his grants without a query, exactly as ``restrict()``
decides them; the unit's change-log entries are found through the index on (type, id, time)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client

from canbo.accounts.models import Grant, Role
from canbo.core.models import ObjectChange
from canbo.core.querysets import CHANGE, VIEW
from canbo.org.choices import ManagementScope
from canbo.org.models import Unit, UnitLineage
from canbo.org.selectors import _history_of, unit_history, unit_in_scope

pytestmark = pytest.mark.django_db


def test_unit_in_scope_is_restrict(tree: dict[str, Unit], users: dict[str, User]) -> None:
    scoped = User.objects.create_user("scoped_leader", password="x")
    Grant.objects.create(
        user=scoped, role=Role.LEADER, unit=tree["A"], management_scope=ManagementScope.values[0]
    )
    changer = User.objects.create_user("scoped_officer", password="x")
    Grant.objects.create(
        user=changer, role=Role.OFFICER, unit=tree["A1"], management_scope=ManagementScope.values[0]
    )
    people = [*users.values(), scoped, changer]
    units = list(Unit.objects.all())
    for user in people:
        for action in (VIEW, CHANGE):
            allowed = set(Unit.objects.restrict(user, action).values_list("pk", flat=True))
            assert {u.pk for u in units if unit_in_scope(user, u, action)} == allowed, (user, action)


def test_linked_units_outside_the_grants_are_named_not_linked(tree: dict[str, Unit], users: dict) -> None:
    """B's page names A1 (outside officer_b's grant) and links P's new unit in his subtree."""
    UnitLineage.objects.create(
        predecessor=tree["A1"], successor=tree["B"], event="merge", event_date=dt.date(2024, 1, 1)
    )
    UnitLineage.objects.create(
        predecessor=tree["B"], successor=tree["A"], event="merge", event_date=dt.date(2024, 2, 1)
    )
    c = Client()
    c.force_login(users["officer_b"])
    html = c.get(f"/don-vi/{tree['B'].pk}/").content.decode()
    assert f'href="/don-vi/{tree["A1"].pk}/' not in html and tree["A1"].name in html
    assert f'href="/don-vi/{tree["A"].pk}/' not in html and tree["A"].name in html
    c.force_login(users["officer_a"])
    html = c.get(f"/don-vi/{tree['A1'].pk}/").content.decode()
    assert "Đơn vị kế thừa" in html and tree["B"].name in html
    assert f'href="/don-vi/{tree["B"].pk}/' not in html
    c.force_login(users["admin"])
    html = c.get(f"/don-vi/{tree['B'].pk}/").content.decode()
    assert "Hình thành từ" in html and f'href="/don-vi/{tree["A1"].pk}/?ngay=' in html
    assert f'href="/don-vi/{tree["A"].pk}/?ngay=2024-02-01"' in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
def test_a_units_history_reads_its_own_entries_by_index(tree: dict[str, Unit]) -> None:
    """Without the time in the (type, id) index SQLite walked every unit's entries in time order
    (``core_change_type_time``) to find one unit's: 3 ms at 40,000 people."""
    ct = ContentType.objects.get_for_model(Unit)
    by_id = ObjectChange.objects.filter(content_type=ct, object_id=tree["A"].pk).order_by("-time", "-id")[:50]
    for qs in (by_id, _history_of(tree["A"].pk, 50)):  # the latter: the unit page's own read
        plan = qs.explain()
        assert "core_change_object_time" in plan, plan
        assert "object_id=?" in plan, plan


def test_the_unit_pages_history_is_its_entries_newest_first(tree: dict[str, Unit]) -> None:
    ct = ContentType.objects.get_for_model(Unit)
    for i, pk in enumerate((tree["A"].pk, tree["B"].pk, tree["A"].pk, tree["A"].pk)):
        e = ObjectChange.objects.create(
            user_name="x", request_id=uuid.uuid4(), source="web", action="update",
            content_type=ct, object_id=pk, object_repr="x",
        )  # fmt: skip
        # two entries of the same second: the newer id first
        ObjectChange.objects.filter(pk=e.pk).update(time=dt.datetime(2024, 1, 1 + min(i, 2), tzinfo=dt.UTC))
    expected = list(
        ObjectChange.objects.filter(content_type=ct, object_id=tree["A"].pk).order_by("-time", "-id")
    )
    assert len(expected) == 3
    assert [e.pk for e in unit_history(tree["A"])] == [e.pk for e in expected]
    assert [e.pk for e in unit_history(tree["A"], limit=1)] == [expected[0].pk]
