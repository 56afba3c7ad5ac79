"""Indicator populations count only the people in service on the date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canbo.careers.services import tenure_start
from canbo.conftest import new_person
from canbo.indicators import engine, services
from canbo.org.models import Title, Unit
from canbo.people.models import ServiceEvent
from canbo.people.services import section_create

YOUNG = {
    "counted_for": ["huyen"],
    "population": {"source": "tenure", "title_level": ["huyen"], "is_leader": True},
    "numerator": {"age_below": 40},
}


@pytest.mark.django_db
def test_population_leaves_out_who_is_no_longer_in_service(tree: dict[str, Unit], title: Title) -> None:
    people = {
        "young": new_person(tree["A1"], "Lê Thị Trẻ", born=dt.date(1990, 3, 1)),
        "old": new_person(tree["A"], "Phạm Văn Già", sex="nam", born=dt.date(1962, 3, 1)),
    }
    for person in people.values():
        # Posts left open on the record (nobody closed them when the person left).
        tenure_start(
            acting_user=None, person=person, unit=tree["A1"], title=title, kind="bo_nhiem",
            start_date=dt.date(2018, 1, 1),
        )  # fmt: skip
    young = services.definition_create(acting_user=None, code="tre", label="Trẻ", kind="share", spec=YOUNG)

    def counted(day: dt.date) -> tuple[Any, Any]:
        res = engine.compute([young], day=day, unit=tree["P"])["tre"][""]
        return res.numerator, res.population

    assert counted(dt.date(2022, 1, 1)) == (1, 2)
    section_create(
        acting_user=None,
        person=people["old"],
        instance=ServiceEvent(kind="nghi_huu", event_date=dt.date(2022, 4, 1)),
        reason="QĐ nghỉ hưu",
    )
    assert counted(dt.date(2022, 1, 1)) == (1, 2)  # before the retirement
    assert counted(dt.date(2022, 6, 1)) == (1, 1)
    people_counted = engine.people(young, part="mau", day=dt.date(2022, 6, 1), unit=tree["P"], user=None)
    assert set(people_counted) == {people["young"]}
