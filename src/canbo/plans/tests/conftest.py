"""A plan kept by unit A (the board), with tasks led by A1 and coordinated by B."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from canbo.conftest import rows_kept_for_the_scope
from canbo.org.models import Unit
from canbo.plans import services
from canbo.plans.models import Plan, Task


@pytest.fixture
def plan(tree: dict[str, Unit], users: dict[str, Any]) -> Plan:
    return make_plan(tree, users)


def make_plan(tree: dict[str, Unit], users: dict[str, Any]) -> Plan:
    return services.plan_create(
        acting_user=users["officer_a"],
        unit=tree["A"],
        code="kh-thu",
        kind="ke_hoach",
        number="12/KH-UBND",
        issued_on=dt.date(2021, 1, 15),
        issuer_name="UBND huyện A",
        title="Kế hoạch thử nghiệm",
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2023, 12, 31),
    )


@pytest.fixture
def tasks(plan: Plan, tree: dict[str, Unit], users: dict[str, Any]) -> dict[str, Task]:
    return make_tasks(plan, tree, users)


def make_tasks(plan: Plan, tree: dict[str, Unit], users: dict[str, Any]) -> dict[str, Task]:
    mk = services.task_create
    officer = users["officer_a"]
    return {
        "quarter": mk(
            acting_user=officer,
            plan=plan,
            number="1",
            content="Xây dựng quy định đánh giá cán bộ",
            lead_unit=tree["A1"],
            coordinating_units=[tree["B"]],
            deadline_text="xong trong quý I/2021",
        ),
        "yearly": mk(
            acting_user=officer,
            plan=plan,
            number="2",
            content="Rà soát quy hoạch cán bộ",
            lead_unit=tree["A1"],
            deadline_text="thực hiện hằng năm",
        ),
        "conditional": mk(
            acting_user=officer,
            plan=plan,
            number="3",
            content="Triển khai chương trình song ngữ",
            lead_name="Sở Giáo dục và Đào tạo",
            deadline_text="thực hiện sau khi có hướng dẫn của Trung ương",
        ),
        "other": mk(
            acting_user=officer,
            plan=plan,
            number="4",
            content="Việc của huyện A",
            lead_unit=tree["A"],
            deadline_text="thường xuyên",
        ),
    }


@pytest.fixture(scope="module")
def plan_and_tasks_of_the_module(
    common_rows_of_the_module: dict[str, Any], django_db_blocker: Any
) -> Iterator[tuple[Plan, dict[str, Task]]]:
    """``plan`` and its four ``tasks`` written once, after the module's ``tree``, ``person_a`` and
    ``users`` (``common_rows_of_the_module``), and rolled back after the module's last test (each
    test's own writes are undone after it). For a module whose every test that takes the plan
    takes its tasks too: a test given the kept plan finds its tasks in it."""

    def build() -> tuple[Plan, dict[str, Task]]:
        tree, users = common_rows_of_the_module["tree"], common_rows_of_the_module["users"]
        plan = make_plan(tree, users)
        return plan, make_tasks(plan, tree, users)

    with rows_kept_for_the_scope(django_db_blocker, build) as rows:
        yield rows


# Function-scoped views of the module's plan and tasks, read afresh for each test (a test that
# changes one in memory leaves the next an unchanged copy).


def kept_plan(plan_and_tasks_of_the_module: tuple[Plan, dict[str, Task]], tree: dict[str, Unit]) -> Plan:
    plan = Plan.objects.get(pk=plan_and_tasks_of_the_module[0].pk)
    plan.unit = tree["A"]
    return plan


def kept_tasks(
    plan_and_tasks_of_the_module: tuple[Plan, dict[str, Task]], plan: Plan, tree: dict[str, Unit]
) -> dict[str, Task]:
    kept = plan_and_tasks_of_the_module[1]
    fresh = Task.objects.in_bulk([t.pk for t in kept.values()])
    units = {u.pk: u for u in tree.values()}
    for task in fresh.values():
        task.plan = plan
        if task.lead_unit_id is not None:
            task.lead_unit = units[task.lead_unit_id]
    return {name: fresh[t.pk] for name, t in kept.items()}
