"""The retirement calendar lists the people in service on its start date: a retirement already
decided for a later date keeps the person in it, one already taken leaves him out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from canbo.conftest import new_person
from canbo.people.models import ServiceEvent
from canbo.people.services import section_create


def test_calendar_keeps_a_decided_retirement_and_drops_a_past_one(
    rules_loaded: None, users: dict, tree: dict
) -> None:
    person = new_person(tree["A1"], "Lê Văn Cường", sex="nam", born=dt.date(1965, 3, 10))  # retires 9/2026
    section_create(
        acting_user=None,
        person=person,
        instance=ServiceEvent(kind="nghi_huu", event_date=dt.date(2026, 10, 1)),
        reason="QĐ nghỉ hưu",
    )
    c = Client()
    c.force_login(users["officer_a"])

    def listed(day: str) -> bool:
        html: Any = c.get(
            "/quy-dinh/lich/", {"thang": "12", "ngay": day, "loai": "nghi_huu"}
        ).content.decode()
        return "Lê Văn Cường" in html

    assert listed("01/01/2026")  # the decision is for 01/10/2026: still in service on 01/01/2026
    assert not listed("01/11/2026")  # retired
