"""The person page reads each section of the dossier once (issue 22): the panels other apps draw on
it (posts held, the career calendar, planning) and the rules engine's facts use the rows the page
read, and give exactly what they give when they read the dossier themselves, on any date."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from canbo.assessment.models import Discipline, PoliticalConclusion, Rating
from canbo.careers.models import BodyMembership, Tenure
from canbo.careers.panels import posts_on
from canbo.conftest import new_person
from canbo.org.models import Title, Unit
from canbo.people import selectors
from canbo.people.models import HealthRecord, PartyMembership, Person, ServiceEvent
from canbo.rules.selectors import person_calendar, person_facts
from canbo.rules.services import rules_load
from canbo.salary.tests.conftest import salary

pytestmark = pytest.mark.django_db

DAYS = (dt.date(2019, 6, 1), dt.date(2021, 6, 1), dt.date(2023, 7, 1), dt.date(2025, 6, 1), None)


@pytest.fixture
def full(tree: dict[str, Unit], title: Title, users: dict) -> Person:
    """A division head with a record in every section the engine reads, dated across the years."""
    rules_load(acting_user=None)
    p = new_person(tree["A1"], "Lê Văn Đủ", sex="nam", born=dt.date(1968, 4, 2))
    ServiceEvent.objects.create(person=p, kind="tuyen_dung", event_date=dt.date(1992, 9, 1))
    for start, end in ((dt.date(2016, 3, 1), dt.date(2021, 2, 28)), (dt.date(2021, 3, 1), None)):
        Tenure.objects.create(
            person=p, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=start, end_date=end
        )
    BodyMembership.objects.create(
        person=p, body=tree["A"], kind="cap_uy",
        start_date=dt.date(2020, 10, 1), end_date=dt.date(2025, 9, 30),
    )  # fmt: skip
    Discipline.objects.create(
        person=p, system="dang", form="canh_cao", decision_number="5-QĐ/UBKT",
        decision_date=dt.date(2024, 3, 1), effective_date=dt.date(2024, 3, 1),
        issuing_body="UBKT", violation="x",
    )  # fmt: skip
    for year, level in ((2022, "ht"), (2023, "htt"), (2024, "ht")):
        Rating.objects.create(person=p, system="chinh_quyen", year=year, level=level)
    HealthRecord.objects.create(person=p, check_date=dt.date(2022, 5, 1), status="tot")
    PartyMembership.objects.create(person=p, admission_date=dt.date(1995, 5, 19))
    PoliticalConclusion.objects.create(
        person=p, conclusion_date=dt.date(2021, 1, 5), issuing_body="Ban Tổ chức", meets_standard=True
    )
    salary(p, 3, dt.date(2019, 2, 1))
    salary(p, 4, dt.date(2022, 2, 1))
    return p


def _tables(queries: list[dict[str, Any]]) -> Counter[str]:
    """How many SELECTs read each table (a table named twice in one statement counts once)."""
    # (The one statement that asks which sections hold records reads no row of them.)
    selects = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and "UNION ALL" not in q["sql"]]
    # (Nor does a grant's subtree, the ids of its units in a subquery: ``core.querysets.subtree_q``.)
    selects = [re.sub(SUBTREE_IDS, "", sql) for sql in selects]
    return Counter(t for sql in selects for t in set(re.findall(r'FROM "(\w+)"', sql)))


SUBTREE_IDS = r'\(SELECT \w+\."id" AS "pk" FROM "org_unit" \w+ WHERE (?:\([^()]*\)|[^()]*)\)'


def test_every_section_is_read_once(full: Person, users: dict) -> None:
    c = Client()
    c.force_login(users["officer_a"])
    url = f"/can-bo/{full.pk}/"
    c.get(url)
    for day in ("", "?ngay=01/06/2021"):
        with CaptureQueriesContext(connection) as q:
            r = c.get(url + day)
        assert r.status_code == 200
        # The person table is read for the person and for whether the user may change him; on a
        # past day the former names of units, for the managing unit and for the posts' units.
        others = {"people_person", "org_unitformername"}
        twice = {t: n for t, n in _tables(q.captured_queries).items() if n > 1 and t not in others}
        assert twice == {}, twice


@pytest.mark.parametrize("who", ["officer_a", "leader_a"])  # with and without the sensitive sections
def test_the_panels_and_the_facts_are_those_read_apart(full: Person, users: dict, who: str) -> None:
    from canbo.core.dates import today

    user = users[who]
    for day in DAYS:
        day = day or today()
        page_person = selectors.person_get(user, full.pk)
        d = selectors.dossier(user, page_person, day)
        alone = selectors.person_get(user, full.pk)  # a fresh object: reads every section itself
        assert person_facts(user, page_person) == person_facts(user, alone)
        rules = next(b.data for b in d.panels["main"] if b.key == "rules")
        assert rules == person_calendar(user, alone, day)
        posts = next(b.data for b in d.panels["head"] if b.key == "careers")
        apart = posts_on(user, alone, day)
        for got, want in (
            (posts.current_tenures, apart.current_tenures),
            (posts.timeline, apart.timeline),
            (posts.current_memberships, apart.current_memberships),
        ):
            assert [(x.pk, getattr(x, "unit_label", None)) for x in got] == [
                (x.pk, getattr(x, "unit_label", None)) for x in want
            ], day
        planning = next(b.data for b in d.panels["main"] if b.key == "planning")
        from canbo.planning.selectors import person_entries

        assert [e.entry.pk for e in planning] == [e.entry.pk for e in person_entries(user, alone, day)]
    # The sensitive conclusion is among the facts only for the officer whose grant includes it.
    assert bool(person_facts(user, selectors.person_get(user, full.pk)).political) is (who == "officer_a")
