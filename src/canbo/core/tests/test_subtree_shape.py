"""How a grant's subtree is filtered (issue 22): by the subtree's unit ids when it is narrow, by a
join on the unit's path when it is broad; the same rows either way.

As a join on the path, SQLite read a narrow grant's list in name order and checked every
dossier's unit: the first page of a district's 379 dossiers out of 40,000 cost 24 ms of SQLite,
a commune's 90–130 ms. ``core.querysets.subtree_q`` gives a narrow subtree (``is_broad_subtree``)
its units' ids instead, read through the unit index of the rows.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from canbo.accounts.models import Grant, Role
from canbo.conftest import new_person
from canbo.core import querysets
from canbo.core.querysets import is_broad_subtree, scope_breadth_reset
from canbo.core.tests.test_scope_coverage import FACTORIES, scoped_models
from canbo.org.models import Title, Unit
from canbo.people.models import Person

# The person list as a user whose grant is one division (tree A1), the second request: session,
# user, the change log's newest entry (ETag), the grants, the unit labels' stamp, the saved lists.
# The count is kept (lists.kept.KeptCount) and so is the subtree's breadth (per process: counted
# on the first request only); the page's rows' markup and the planning terms are kept too
# (session 12: 9 before: the page's persons, their posts and qualifications and the terms are no
# longer read when the list is asked again; the unit labels' stamp is, as part of the kept
# markup's key, where these fixtures' rows held no post and read no label).
NARROW_GRANT_LIST_QUERIES = 6


@pytest.fixture
def division_user(tree: dict[str, Unit]) -> User:
    user = User.objects.create_user("division", password="x")
    Grant.objects.create(user=user, role=Role.OFFICER, unit=tree["A1"])
    return User.objects.get(pk=user.pk)


def test_a_narrow_grant_reads_its_subtree_by_unit_ids(tree: dict[str, Unit], division_user: User) -> None:
    new_person(tree["A1"], "Nguyễn Văn An")
    sql = str(Person.objects.restrict(division_user).query)
    # No join on the unit table for the dossiers: their unit is one of the subtree's ids.
    assert 'JOIN "org_unit"' not in sql, sql
    assert '"managing_unit_id" IN (SELECT' in sql, sql


def test_a_broad_grant_keeps_the_join(
    tree: dict[str, Unit], division_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_person(tree["A1"], "Nguyễn Văn An")
    monkeypatch.setattr(querysets, "NARROW_SUBTREE", 0)
    scope_breadth_reset()
    assert is_broad_subtree(Person, tree["A1"].path)
    sql = str(Person.objects.restrict(division_user).query)
    assert 'JOIN "org_unit"' in sql and "LIKE" in sql, sql


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_a_narrow_grant_s_list_walks_no_dossier(tree: dict[str, Unit], division_user: User) -> None:
    for i in range(3):
        new_person(tree["A1"] if i % 2 else tree["B"], f"Người Số {i}")
    qs = Person.objects.restrict(division_user).order_by("sort_key", "id")[:50]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [row[-1] for row in cur.fetchall()]
    # Before: "SCAN people_person USING INDEX people_person_sort_key…", every dossier in name
    # order until 50 of the subtree were found.
    assert not any(step.startswith("SCAN people_person") for step in plan), plan


@pytest.mark.parametrize("broad", [False, True], ids=["narrow", "broad"])
@pytest.mark.parametrize("model", scoped_models(), ids=lambda m: m.__name__)
def test_both_shapes_give_the_same_rows(
    model: Any,
    broad: bool,
    tree: dict[str, Unit],
    person_a: Person,
    title: Title,
    users: dict[str, User],
    division_user: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The restrict matrix's own checks (``test_scope_coverage``), with every subtree read as a
    broad one and as a narrow one."""
    obj = FACTORIES[model](tree, person_a, title)
    monkeypatch.setattr(querysets, "NARROW_SUBTREE", -1 if broad else 10**9)
    scope_breadth_reset()

    def sees(user: Any, action: str = "view") -> bool:
        return model._default_manager.restrict(user, action).filter(pk=obj.pk).exists()

    assert sees(users["officer_a"]) and sees(users["officer_a"], "change")
    assert not sees(users["officer_b"]) and not sees(users["officer_b"], "change")
    assert sees(users["leader_a"]) == (not model.sensitive)
    # The division A1's user (no sensitive sections): exactly the records whose unit's path is
    # within A1's, the join's condition as it always was.
    lookup = f"{model.scope_unit_path}__startswith"
    within = model._default_manager.filter(pk=obj.pk, **{lookup: tree["A1"].path}).exists()
    assert sees(division_user) == (within and not model.sensitive)
    if querysets._unit_link(model) is not None:  # the unit itself is always read by its path
        assert is_broad_subtree(model, tree["A1"].path) == broad


def test_a_narrow_grant_s_list_query_count(tree: dict[str, Unit], division_user: User) -> None:
    for i in range(3):
        new_person(tree["A1"], f"Nguyễn Văn An {i}")
    new_person(tree["B"], "Trần Văn Bình")
    c = Client()
    c.force_login(division_user)
    first = c.get("/can-bo/")
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as q:
        body = c.get("/can-bo/").content.decode()
    assert body.count("Nguyễn Văn An") == 3 and "Trần Văn Bình" not in body
    assert len(q.captured_queries) == NARROW_GRANT_LIST_QUERIES, [x["sql"][:90] for x in q.captured_queries]
