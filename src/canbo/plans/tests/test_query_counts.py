"""The plan page's query count does not grow with its tasks (STYLE.md convention 14)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.org.models import Unit
from canbo.plans import services
from canbo.plans.models import Plan, Task
from canbo.plans.tests.conftest import kept_plan, kept_tasks

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")
# So are the plan and its tasks, every test here taking both (plans/tests/conftest.py,
# plan_and_tasks_of_the_module).
plan = pytest.fixture(kept_plan, name="plan")
tasks = pytest.fixture(kept_tasks, name="tasks")

pytestmark = pytest.mark.django_db

# The plan page's count, pinned (issue 22: every everyday page's count is pinned), warm caches.
# 16 since session 10 (19 before; 40 on the 40,000 demo, whose plan has reporting periods past
# due): the dashboard's counts are two statements (ids and statuses; the overdue and due counts in
# one aggregate) instead of five, and the missing reports of all the periods are read at once,
# with the listed tasks, instead of three statements per period. 12 since session 11: the
# unfiltered page counts its tasks from the listed ones and their occurrences (no ids-and-statuses
# statement, no aggregate), reads its periods once for the list and the dashboard, and no longer
# asks whether the user keeps the plan (the template never used the answer). 9 since session 12
# (10 on the 40,000 demo, whose plan has periods past due: their reports are one more): the plan
# is read with three answers in its statement (whether the user's grants keep it, whether it has
# targets, whether it implements other plans: three statements before, the last one read only
# when it does), and the tasks' occurrences and coordinating units are two plain statements
# instead of two prefetches (the same count). What is left: session, user, grants, the plan,
# its tasks, their occurrence dates, their coordinating unit ids, its periods, the unit labels'
# stamp.
PLAN_PAGE_QUERIES = 9


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


def test_plan_page_queries_do_not_grow_with_periods(
    plan: Plan, tasks: dict[str, Task], tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    """Reporting periods past their due date (the dashboard's missing reports) cost no statement
    each; the figures are those of each period's own ``missing_reports``."""
    from canbo.plans.selectors import missing_reports

    c = Client()
    c.force_login(users["officer_a"])
    url = f"/ke-hoach/{plan.pk}/?ngay=01/06/2022"
    services.period_create(acting_user=users["officer_a"], plan=plan, kind="quy", year=2021, quarter=1)
    _queries(c, url)
    one = _queries(c, url)
    for q in (2, 3, 4):
        services.period_create(acting_user=users["officer_a"], plan=plan, kind="quy", year=2021, quarter=q)
    services.period_create(acting_user=users["officer_a"], plan=plan, kind="nam", year=2021)
    assert _queries(c, url) == one
    board = c.get(url).context["board"]
    want = [(p.pk, len(missing_reports(p))) for p in plan.reporting_periods.order_by("-end")]
    assert [(p.pk, n) for p, n in board.periods_overdue] == [(pk, n) for pk, n in want if n]
    assert board.reports_overdue == sum(n for _, n in want) > 0


def test_the_plan_page_counts_equal_the_statements(
    plan: Plan, tasks: dict[str, Task], tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    """The unfiltered plan page counts its tasks from the listed ones and their occurrences
    (session 11); the figures equal the dashboard's statements on every day around the due
    dates, with a task done, one closed though late, and an occurrence done."""
    import datetime as dt

    from canbo.plans import selectors
    from canbo.plans.models import TaskOccurrence

    officer = users["officer_a"]
    _more_tasks(plan, tree, officer, 6)
    listed = list(Task.objects.filter(plan=plan).order_by("order", "pk"))
    services.task_set_status(
        acting_user=officer, task=listed[-1], status="hoan_thanh", completed_on=dt.date(2022, 5, 1)
    )
    services.task_set_status(acting_user=officer, task=listed[-2], status="khong_thuc_hien_duoc")
    first = TaskOccurrence.objects.filter(task=listed[-3]).order_by("due").first()
    assert first is not None
    services.occurrence_mark_done(acting_user=officer, occurrence=first, done_on=first.due)
    for q in (1, 2, 3, 4):
        services.period_create(acting_user=officer, plan=plan, kind="quy", year=2021, quarter=q)
    services.period_create(acting_user=officer, plan=plan, kind="nam", year=2021)
    dues = sorted(set(TaskOccurrence.objects.filter(task__plan=plan).values_list("due", flat=True)))
    assert len(dues) > 3
    days = {d + dt.timedelta(days=k) for d in dues for k in (-91, -90, -31, -30, -1, 0, 1)}
    visible = selectors.tasks_for(officer).filter(plan=plan)
    read = list(visible.prefetch_related("coordinating_units", "occurrences").select_related("lead_unit"))
    periods = list(plan.reporting_periods.order_by("-end"))
    # a report filed: that unit no longer owes one for that period
    quarter = tasks["quarter"]
    services.report_submit(
        acting_user=officer,
        period=periods[-1],
        task=quarter,
        unit=tree["A1"],
        status="dang_thuc_hien",
        result="Đang triển khai",
        reason="Báo cáo kỳ",
    )
    # the plan page's own read: occurrence dates and coordinating unit ids, no prefetch
    plain = selectors.read_task_details(list(visible.order_by("order", "pk")))
    seen: set[int] = set()
    for day in sorted(days):
        fresh = selectors.dashboard(visible, day, plans=[plan])
        counted = selectors.dashboard(visible, day, plans=[plan], read=read, periods_of=periods)
        assert counted == fresh, day
        assert selectors.dashboard(visible, day, plans=[plan], read=plain, periods_of=periods) == fresh, day
        seen.update(v for v in (fresh.overdue, fresh.due_30, fresh.due_90, fresh.reports_overdue) if v)
    assert seen  # the days do reach overdue and due tasks and missing reports


def test_the_plan_s_three_answers_equal_their_statements(
    plan: Plan, tasks: dict[str, Task], tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    """``plan_for_page`` answers in the plan's statement what three statements answered
    (session 12): whether the user keeps the plan (``is_board``), whether it has targets
    (``plans_visible``) and which plans it implements; the page shows each answer. As the board
    (officer_a), a coordinating unit's officer who sees the plan but does not keep it
    (officer_b), the superuser; without and with a target and an implemented plan."""
    from decimal import Decimal

    from canbo.core.querysets import CHANGE
    from canbo.indicators import services as indicator_services
    from canbo.indicators.models import IndicatorTarget
    from canbo.plans import selectors

    def check(expect_targets: bool, expect_implements: bool) -> None:
        for name in ("officer_a", "officer_b", "admin"):
            user = users[name]
            read = selectors.plan_for_page(user, plan.pk)
            assert read is not None and read.pk == plan.pk
            answers: Any = read
            assert answers.is_kept is selectors.is_board(user, plan, CHANGE) is (name != "officer_b")
            visible = selectors.plans_visible(user).filter(pk=plan.pk).exists()
            assert answers.has_targets is visible is expect_targets
            assert answers.has_implements is plan.implements.exists() is expect_implements
            c = Client()
            c.force_login(user)
            page = c.get(f"/ke-hoach/{plan.pk}/").content.decode()
            assert (f'href="/ke-hoach/{plan.pk}/sua/"' in page) is (name != "officer_b")
            assert ("Chỉ tiêu và mục tiêu" in page) is expect_targets
            assert ("<dt>Thực hiện / bổ sung</dt><dd>Nghị quyết 01-NQ/TU</dd>" in page) is expect_implements
        assert selectors.plan_for_page(users["nogrant"], plan.pk) is None

    check(False, False)
    parent = services.plan_create(
        acting_user=users["officer_a"],
        unit=tree["A"],
        code="nq-01",
        kind="nghi_quyet",
        number="01-NQ/TU",
        issued_on=dt.date(2020, 10, 1),
        issuer_name="Tỉnh ủy",
        title="Nghị quyết thử",
    )
    plan.implements.add(parent)
    check(False, True)
    definition = indicator_services.definition_create(
        acting_user=None,
        code="thu",
        label="Thử",
        kind="share",
        spec={"population": {"source": "membership", "body_kind": ["cap_uy"]}, "numerator": {"sex": "nu"}},
    )
    IndicatorTarget.objects.create(
        plan=plan, definition=definition, term="2020–2025", row="1", content="Thử", kind="min",
        low=Decimal("0.5"), text="50%",
    )  # fmt: skip
    check(True, True)
