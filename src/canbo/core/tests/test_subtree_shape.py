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
from django.utils import timezone

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
    if connection.vendor == "postgresql":  # the ids as one array, computed before the statement
        assert '"managing_unit_id" = ANY(ARRAY(SELECT' in sql, sql
    else:
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


def plan_of(qs: Any) -> str:
    """PostgreSQL's plan of ``qs`` (its node types and relations, as ``EXPLAIN`` writes them)."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cur.fetchall())


def small_province(tree: dict[str, Unit]) -> None:
    """The demo's province in small, analysed: most units keep many dossiers (900 units of ten
    under B), the division A1's subtree a hundred units of one dossier each (101 with A1's own)."""
    template = new_person(tree["A1"], "Nguyễn Văn Mẫu")
    a1, b = tree["A1"], tree["B"]
    small = [
        Unit(code=f"a1-{i}", name=f"Tổ {i}", path=Unit._get_path(a1.path, a1.depth + 1, i + 1),
             depth=a1.depth + 1, numchild=0, kind=a1.kind, block=a1.block, level=a1.level,
             valid_from=a1.valid_from)
        for i in range(100)
    ]  # fmt: skip
    big = [
        Unit(code=f"b-{i}", name=f"Phòng {i}", path=Unit._get_path(b.path, b.depth + 1, i + 1),
             depth=b.depth + 1, numchild=0, kind=b.kind, block=b.block, level=b.level,
             valid_from=b.valid_from)
        for i in range(900)
    ]  # fmt: skip
    Unit.objects.bulk_create(small + big)
    homes = [u.pk for u in small] + [u.pk for u in big for _ in range(10)]
    # The 9,100 dossiers are copies of the template's row with their own identity number and
    # unit, written by one INSERT … SELECT (both callers run on PostgreSQL only): what
    # ``bulk_create`` of the same objects wrote, without 9,100 model instances and half a million
    # values prepared in Python (~6 s of CPU a call; docs/performance.md, session 15). The
    # timestamps Django sets on a create (``auto_now``) are one ``timezone.now()``.
    fields = [
        f
        for f in Person._meta.concrete_fields
        if not f.primary_key and f.attname not in ("personal_id", "managing_unit_id")
    ]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    copied = [f for f in fields if f not in stamped]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in [*copied, *stamped])
    values = ", ".join([*(f"t.{qn(f.column)}" for f in copied), *("%s" for _ in stamped)])
    now = timezone.now()
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {qn(Person._meta.db_table)} ({columns}, personal_id, managing_unit_id) "
            f"SELECT {values}, '099' || lpad((h.i - 1)::text, 9, '0'), h.unit "
            f"FROM {qn(Person._meta.db_table)} t, unnest(%s::bigint[]) WITH ORDINALITY AS h(unit, i) "
            "WHERE t.id = %s ORDER BY h.i",
            [*(now for _ in stamped), homes, template.pk],
        )
        cur.execute("ANALYZE people_person")
        cur.execute("ANALYZE org_unit")
    scope_breadth_reset()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_a_narrow_grant_s_list_is_read_from_the_unit_index_on_postgresql(
    tree: dict[str, Unit], division_user: User
) -> None:
    """As ``unit_id IN (subquery)`` PostgreSQL guessed the subtree's dossiers from the average
    unit (a tenth of the table here; 1,650–5,000 of 160,000 for the demo's district, against
    800): it counted them by scanning every dossier and found the first page by walking the name
    index. As ``unit_id = ANY(ARRAY(subquery))`` they are read from the unit index, for the count
    and for the page."""
    small_province(tree)
    mine = Person.objects.restrict(division_user)
    assert mine.count() == 101
    count_plan = plan_of(mine.order_by().values("pk"))
    page_plan = plan_of(mine.order_by("sort_key", "id")[:50])
    # Before: "Seq Scan on people_person" for the count (a hash join, 916 rows guessed for 101).
    # The page walked the name index in the demo (160,000 dossiers); at this size the old shape
    # sorted too, so its check here guards the new shape only.
    assert "Seq Scan on people_person" not in count_plan, count_plan
    assert "people_person_sort_key" not in page_plan, page_plan
