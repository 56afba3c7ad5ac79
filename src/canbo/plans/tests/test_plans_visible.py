"""One "plans this user may see" (STYLE.md 21) for the plans pages and the indicators' dashboards.

The plan of the fixtures is kept by district A; district B coordinates its task 1 and the province
P is above A. Before the rule was one, the dashboards followed another rule than the plan pages:
B opened the plan's page but its dashboard answered 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from canbo.accounts.models import Grant, Role
from canbo.indicators import services as indicator_services
from canbo.indicators.models import IndicatorTarget
from canbo.org.models import Unit
from canbo.plans.models import Plan, Task
from canbo.plans.selectors import plans_for, plans_visible


@pytest.fixture
def target(plan: Plan) -> IndicatorTarget:
    definition = indicator_services.definition_create(
        acting_user=None,
        code="nu-cap-uy",
        label="Nữ cấp ủy",
        kind="share",
        spec={"population": {"source": "membership", "body_kind": ["cap_uy"]}, "numerator": {"sex": "nu"}},
    )
    return IndicatorTarget.objects.create(
        plan=plan, definition=definition, term="2020–2025", row="1", content="Nữ cấp ủy", kind="min",
        low=Decimal("0.2"), text="20%",
    )  # fmt: skip


@pytest.mark.django_db
def test_the_plans_pages_and_the_dashboards_follow_one_rule(
    tasks: dict[str, Task], plan: Plan, target: IndicatorTarget, tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    province = User.objects.create_user("province_officer")
    Grant.objects.create(user=province, role=Role.OFFICER, unit=tree["P"])
    commune_side = User.objects.create_user("a1_officer")
    Grant.objects.create(user=commune_side, role=Role.OFFICER, unit=tree["A1"])
    # The board (A), the unit above it (P), a unit that coordinates a task (B), one that leads
    # tasks (A1): all see the plan and, the plan having targets, its figures.
    for user in (users["officer_a"], province, users["officer_b"], commune_side, users["admin"]):
        assert list(plans_for(user)) == [plan]
        assert list(plans_visible(user)) == [plan]
    c = Client()
    c.force_login(users["officer_b"])
    assert c.get(f"/ke-hoach/{plan.pk}/").status_code == 200
    assert c.get("/chi-tieu/kh-thu/").status_code == 200  # 404 while the rules were two
    # Nobody else sees it, on either page.
    for user in (users["nogrant"], users["self_user"]):
        assert not plans_for(user).exists() and not plans_visible(user).exists()
    c.force_login(users["nogrant"])
    assert c.get(f"/ke-hoach/{plan.pk}/").status_code == 404
    assert c.get("/chi-tieu/kh-thu/").status_code == 404


@pytest.mark.django_db
def test_a_plan_kept_above_applies_to_the_units_below_for_its_figures_only(
    plan: Plan, target: IndicatorTarget, tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    """A unit below the board sees the plan's figures over its own subtree, not its tasks."""
    below = User.objects.create_user("a1_only")
    Grant.objects.create(user=below, role=Role.OFFICER, unit=tree["A1"])
    assert not plans_for(below).exists()  # no task of his units: not on the plans pages
    assert list(plans_for(below, kept_above=True)) == [plan]
    assert list(plans_visible(below)) == [plan]
    assert not plans_visible(users["officer_b"]).exists()  # B: beside A, not below, and no task
