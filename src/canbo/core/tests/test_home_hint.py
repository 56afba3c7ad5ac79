"""The home page tells a user whose granted units are not in force on the day why he sees
"0 đơn vị", and links to the day on which he can see them (issue 14: the demo leader of a
district that ended on 30/06/2025)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from canbo.org.models import Unit

pytestmark = pytest.mark.django_db


def home(user: Any, day: str) -> str:
    c = Client()
    c.force_login(user)
    response = c.get("/", {"ngay": day})
    assert response.status_code == 200
    return response.content.decode()


def test_ended_district_is_named_with_a_link_to_its_last_day(users: dict, tree: dict) -> None:
    Unit.objects.filter(pk__in=[tree["A"].pk, tree["A1"].pk]).update(valid_to=dt.date(2025, 6, 30))
    html = home(users["leader_a"], "01/11/2025")
    assert ">0</span> đơn vị có hiệu lực tại ngày 01/11/2025" in html
    assert (
        "Đơn vị bạn được giao (Huyện A) đã kết thúc ngày 30/06/2025; xem tại một ngày trước đó "
        "hoặc liên hệ quản trị để được giao quyền trên đơn vị mới." in html
    )
    assert 'href="/?ngay=30/06/2025"' in html
    before = home(users["leader_a"], "30/06/2025")
    assert "đã kết thúc" not in before
    assert ">2</span> đơn vị có hiệu lực tại ngày 30/06/2025" in before


def test_unit_not_started_yet_points_to_its_first_day(users: dict, tree: dict) -> None:
    Unit.objects.filter(pk__in=[tree["A"].pk, tree["A1"].pk]).update(valid_from=dt.date(2025, 7, 1))
    html = home(users["leader_a"], "01/01/2025")
    assert "Đơn vị bạn được giao (Huyện A) có hiệu lực từ ngày 01/07/2025" in html
    assert 'href="/?ngay=01/07/2025"' in html


def test_no_hint_for_units_in_force_or_without_grants(users: dict) -> None:
    assert "Đơn vị bạn được giao" not in home(users["leader_a"], "01/11/2025")
    assert "Đơn vị bạn được giao" not in home(users["nogrant"], "01/11/2025")
