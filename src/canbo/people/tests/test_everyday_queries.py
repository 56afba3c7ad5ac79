"""Query counts of the everyday pages, pinned (issue 22: they had crept up — the person page to
35, the list to 10, the name search to 16 on the demo).

Each page is asked twice; the second answer is counted (the per-process caches — content types,
unit labels, the rulebook — are warm, as on a running server). The counts include the session
and the user (2). Another helper's read log may add one INSERT per dossier read: the person
page's pin is the named constant ``PERSON_PAGE_QUERIES`` for that reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from canbo.careers.models import Tenure
from canbo.conftest import new_person
from canbo.org.models import Unit
from canbo.people.models import Person

# The list asked again between two changes (issue 22, session 12: 10 before): its count kept
# (``lists.kept.KeptCount``) and its page's rows' markup kept (``lists.kept.kept_markup``): the
# page's persons, their posts and their qualifications (3 queries) are not read again; nor are
# the filter's planning terms (kept by the same stamp: 1 query).
LIST_QUERIES = 6
# The name search (issue 22, session 11: 19 before) as the list: its count and the ids of its page
# kept between two changes (``NameSearchResults.keep``), the grants' units from the unit index
# (no query of units, no count of them); the page's rows' markup kept as the list's (session 12:
# 10 before, the 50 persons by id, their posts and qualifications and the planning terms no
# longer read).
SEARCH_QUERIES = 6
# Former names read once (heading, description); the count, the rows' markup and the planning
# terms kept as the list's (session 12: 12 before).
UNIT_LIST_QUERIES = 8
# The person page (issue 22, session 10: 42 before): session, user, grants, the person, whether
# he may be changed, one statement for which sections hold records, then one read per section
# that does (here posts held only), the unit labels' stamp, the rulebook's stamp, the retirement
# override, the retirement notices, the planning entries, the read log's INSERT (issue 21). The
# panels and the rules engine read no section again (``test_person_page_reads``).
PERSON_PAGE_QUERIES = 14
# The unit page: former names read once (name on the day, list); ancestors by path in one query;
# the links from and to the unit in one query, whether the user may change it (and which linked
# units he may open) from his grants without a query (issue 22, session 11: 14 before).
UNIT_PAGE_QUERIES = 12
UNIT_TREE_QUERIES = 9  # 8 + the roots' former names: the tree names them as on the day (issue 22)
PLANNING_LIST_QUERIES = 4
CALENDAR_QUERIES = 9  # 10 until session 10: the names now come with the rows, not from one more query


@pytest.fixture
def office(users: dict, tree: dict[str, Unit], title: Any, person_a: Person) -> Client:
    """officer_a's client, with a few people and posts in his subtree."""
    for i, name in enumerate(("Nguyễn Văn An", "Nguyễn Thị Bích", "Trần Thị Cúc")):
        p = new_person(tree["A1"], name, born=dt.date(1970 + i, 1, 1))
        Tenure.objects.create(
            person=p, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2015 + i, 1, 1)
        )
    for year in range(2010, 2020):
        Tenure.objects.create(
            person=person_a,
            unit=tree["A1"],
            title=title,
            kind="bo_nhiem",
            start_date=dt.date(year, 1, 1),
            end_date=dt.date(year, 12, 31),
        )
    c = Client()
    c.force_login(users["officer_a"])
    return c


def count(c: Client, url: str) -> int:
    assert c.get(url).status_code == 200
    with CaptureQueriesContext(connection) as q:
        assert c.get(url).status_code == 200
    return len(q.captured_queries)


def test_everyday_pages_query_counts(office: Client, tree: dict[str, Unit], person_a: Person) -> None:
    got = {
        "list": count(office, "/can-bo/"),
        "search": count(office, "/can-bo/?q=nguyen+thi"),
        "unit list": count(office, f"/can-bo/?don_vi={tree['A1'].pk}"),
        "person page": count(office, f"/can-bo/{person_a.pk}/"),
        "unit page": count(office, f"/don-vi/{tree['A1'].pk}/"),
        "unit tree": count(office, "/don-vi/?ngay=hom-nay"),
        "planning list": count(office, "/quy-hoach/"),
        "calendar": count(office, "/quy-dinh/lich/"),
    }
    assert got == {
        "list": LIST_QUERIES,
        "search": SEARCH_QUERIES,
        "unit list": UNIT_LIST_QUERIES,
        "person page": PERSON_PAGE_QUERIES,
        "unit page": UNIT_PAGE_QUERIES,
        "unit tree": UNIT_TREE_QUERIES,
        "planning list": PLANNING_LIST_QUERIES,
        "calendar": CALENDAR_QUERIES,
    }
