"""The seed plans' catalogue loads idempotently, with the plans it implements."""

from __future__ import annotations

from typing import Any

import pytest

from canbo.core.errors import DomainError
from canbo.core.models import ObjectChange
from canbo.plans.models import Plan
from canbo.plans.services import plan_ensure_seed


def test_ensure_seed_creates_once_with_implemented_plan(tree: dict, users: dict[str, Any]) -> None:
    plan = plan_ensure_seed("bt-kh-bo-sung-4447", unit=tree["P"], acting_user=users["admin"])
    assert [p.number for p in plan.implements.all()] == ["4447/KH-UBND"]
    again = plan_ensure_seed("bt-kh-bo-sung-4447", unit=tree["P"], acting_user=users["admin"])
    assert again.pk == plan.pk
    assert Plan.objects.count() == 2
    assert ObjectChange.objects.filter(object_id=plan.pk, action="create").count() == 1


def test_ensure_seed_refuses_unknown_code_and_other_subtree(tree: dict, users: dict[str, Any]) -> None:
    with pytest.raises(DomainError):
        plan_ensure_seed("khong-co", unit=tree["P"], acting_user=users["admin"])
    with pytest.raises(DomainError):
        plan_ensure_seed("lc-18-da-tu", unit=tree["A1"], acting_user=users["officer_b"])
    assert not Plan.objects.exists()
