"""A plan kept by unit A (the board), with tasks led by A1 and coordinated by B."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canbo.org.models import Unit
from canbo.plans import services
from canbo.plans.models import Plan, Task


@pytest.fixture
def plan(tree: dict[str, Unit], users: dict[str, Any]) -> Plan:
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
