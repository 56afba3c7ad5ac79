"""The plan page's query count does not grow with its tasks (STYLE.md convention 14)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from canbo.org.models import Unit
from canbo.plans import services
from canbo.plans.models import Plan, Task

pytestmark = pytest.mark.django_db

# The plan page's count, pinned (issue 22: every everyday page's count is pinned), warm caches.
PLAN_PAGE_QUERIES = 19


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_tasks(plan: Plan, tree: dict[str, Unit], user: Any, n: int) -> None:
    for i in range(n):
        services.task_create(
            acting_user=user,
            plan=plan,
            number=f"9.{i}",
            content=f"Nhiệm vụ thêm {i}",
            lead_unit=tree["A1"],
            coordinating_units=[tree["B"]],
            deadline_text="thực hiện hằng năm" if i % 2 else "xong trong quý II/2022",
        )


def test_plan_page_queries_do_not_grow_with_tasks(
    plan: Plan, tasks: dict[str, Task], tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    c = Client()
    c.force_login(users["officer_a"])
    url = f"/ke-hoach/{plan.pk}/"
    _queries(c, url)  # warm the per-process caches (content types, grants)
    before = _queries(c, url)
    assert before == PLAN_PAGE_QUERIES
    _more_tasks(plan, tree, users["officer_a"], 8)
    after = _queries(c, url)
    assert after == before, (before, after)
    unit_page = f"/ke-hoach/don-vi/{tree['A1'].pk}/"
    first = _queries(c, unit_page)
    _more_tasks(plan, tree, users["officer_a"], 8)
    assert _queries(c, unit_page) == first
