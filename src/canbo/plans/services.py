"""Writes of the plans app: plans (and, later, their tasks and reports)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from canbo.core.errors import DomainError
from canbo.core.services import audited_create
from canbo.org.models import Unit
from canbo.plans.models import Plan

DATA_DIR = Path(__file__).resolve().parent / "data"

PLAN_FIELDS = (
    "code",
    "kind",
    "number",
    "issued_on",
    "issuer_name",
    "title",
    "period_start",
    "period_end",
    "note",
)


def plan_create(
    *,
    acting_user: Any,
    unit: Unit,
    implements: list[Plan] | tuple[Plan, ...] = (),
    reason: str = "",
    **fields: Any,
) -> Plan:
    """Record a plan kept by ``unit``; the acting user must be allowed to change that subtree."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    with transaction.atomic():
        plan = audited_create(Plan(unit=unit, **fields), acting_user=acting_user, reason=reason)
        if implements:
            plan.implements.set(implements)
    return plan


def seed_plan_catalogue() -> dict[str, dict[str, Any]]:
    """The header data of the seed documents' plans (``data/seed_plans.json``), by code."""
    rows = json.loads((DATA_DIR / "seed_plans.json").read_text(encoding="utf-8"))
    return {row["code"]: row for row in rows}


def plan_ensure_seed(code: str, *, unit: Unit, acting_user: Any) -> Plan:
    """The seed plan ``code``, created (with the plans it implements) when absent.

    Idempotent: the demo loaders of the indicators and plans apps both call it, whichever runs
    first creates the record.
    """
    existing = Plan.objects.filter(code=code).first()
    if existing is not None:
        return existing
    catalogue = seed_plan_catalogue()
    if code not in catalogue:
        raise DomainError(f"Không có kế hoạch mẫu mã “{code}”.")
    row = dict(catalogue[code])
    implements = [plan_ensure_seed(c, unit=unit, acting_user=acting_user) for c in row.pop("implements")]
    for key in ("issued_on", "period_start", "period_end"):
        row[key] = dt.date.fromisoformat(row[key]) if row[key] else None
    return plan_create(
        acting_user=acting_user,
        unit=unit,
        implements=implements,
        reason="Nạp kế hoạch từ văn bản mẫu",
        **row,
    )
