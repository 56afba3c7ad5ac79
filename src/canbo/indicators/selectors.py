"""Reads of the indicators app: a plan's table (targets held against computed values), its
breakdown by the units of the next level, its trend, as JSON-ready rows. Always through the
acting user's grants (plans by ``restrict``, counted people by ``engine``'s person scope)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q

from canbo.core.errors import NotPermitted
from canbo.indicators import engine, snapshots
from canbo.indicators.engine import Result
from canbo.indicators.models import IndicatorDefinition, IndicatorTarget, TargetKind
from canbo.org.models import Unit
from canbo.org.selectors import unit_label_on
from canbo.plans.models import Plan
from canbo.plans.selectors import plans_visible  # the one rule for plans a user may see


def plan_get(user: Any, code: str) -> Plan:
    plan = plans_visible(user).filter(code=code).first()
    if plan is None:
        raise NotPermitted(f"Không có kế hoạch mã “{code}” có chỉ tiêu (hoặc bạn không có quyền xem).")
    return plan


def default_unit(user: Any) -> Unit | None:
    """The top unit the user may see: the tree's root for the system and superusers."""
    qs = Unit.objects.all() if user is None else Unit.objects.restrict(user)
    # with its former names: the pages name it as of their date (``name_on``) more than once
    return qs.prefetch_related("former_names").order_by("depth", "path").first()


def unit_get(user: Any, *, pk: int | None = None, code: str | None = None) -> Unit:
    qs = (Unit.objects.all() if user is None else Unit.objects.restrict(user)).prefetch_related(
        "former_names"
    )
    unit = qs.filter(pk=pk).first() if pk is not None else qs.filter(code=code).first()
    if unit is None:
        raise NotPermitted(
            f"Không có đơn vị {'mã “' + code + '”' if code else pk} (hoặc bạn không có quyền xem)."
        )
    return unit


# Assessments of a value against its target (``assess``): the words on screen are ASSESSMENTS.
MET, EXCEEDED, NOT_MET = "dat", "vuot", "chua_dat"
ASSESSMENTS = {MET: "Đạt", EXCEEDED: "Vượt", NOT_MET: "Chưa đạt"}


def assess(target: IndicatorTarget, result: Result) -> str | None:
    """``MET``, ``EXCEEDED`` or ``NOT_MET``; None when it cannot be said.

    A range ("từ 20 đến 25%") is an aim, not a ceiling: a share at or above its lower bound
    meets it, and above its upper bound it is exceeded (which counts as met). A document that
    really sets a ceiling says so, and its target is of kind ``max``."""
    if result.status != "ok":
        return None
    if target.kind == TargetKind.PROPORTIONAL:
        return None
    if target.kind == TargetKind.EXISTS or result.kind == "exists":
        return MET if result.numerator else NOT_MET
    f = result.fraction
    if f is None:
        return None
    low = Fraction(target.low) if target.low is not None else None
    high = Fraction(target.high) if target.high is not None else None
    if target.kind == TargetKind.ALL:
        ok = f == 1
    elif target.kind == TargetKind.MIN:
        ok = low is not None and f >= low
    elif target.kind == TargetKind.MAX:
        ok = high is not None and f <= high
    else:  # range
        if low is None or f < low:
            return NOT_MET
        return EXCEEDED if high is not None and f > high else MET
    return MET if ok else NOT_MET


def met(target: IndicatorTarget, result: Result) -> bool | None:
    """Whether the value meets the target (an exceeded range counts); None when it cannot be said."""
    assessment = assess(target, result)
    return None if assessment is None else assessment != NOT_MET


@dataclass
class Row:
    target: IndicatorTarget
    definition: IndicatorDefinition
    result: Result
    met: bool | None
    assessment: str | None = None

    @property
    def assessment_label(self) -> str:
        return ASSESSMENTS.get(self.assessment or "", "")

    def as_json(self) -> dict[str, Any]:
        t = self.target

        def ratio(v: Decimal | None) -> float | None:
            return None if v is None else float(v)

        return {
            "id": self.definition.code,
            "version": self.definition.version,
            "row": t.row,
            "label": self.definition.label,
            "content": t.content,
            "term": t.term,
            "numerator": self.result.numerator,
            "population": self.result.population,
            "value": self.result.value,
            "percent": self.result.percent() or None,
            "counts": "don_vi" if self.result.unit_based else "nguoi",
            "status": self.result.status,
            "note": self.result.note,
            "target": {
                "kind": t.kind,
                "low": ratio(t.low),
                "high": ratio(t.high),
                "text": t.text,
                "term": t.term,
            },
            "met": self.met,
            "assessment": self.assessment,
        }


def plan_targets(plan: Plan, unit: Unit | None) -> list[IndicatorTarget]:
    """The plan's targets in order; a unit's own target replaces the plan-wide one of its row."""
    which = Q(unit__isnull=True) if unit is None else Q(unit__isnull=True) | Q(unit=unit)
    found = list(IndicatorTarget.objects.filter(which, plan=plan).select_related("definition"))
    targets = [t for t in found if t.unit_id is None]  # in the model's order, as before
    own = {(t.row, t.term): t for t in found if t.unit_id is not None}
    return [own.get((t.row, t.term), t) for t in targets] if own else targets


def plan_table(plan: Plan, *, day: dt.date, unit: Unit | None, user: Any) -> list[Row]:
    """Every target of the plan with its indicator computed for ``unit``'s subtree on ``day``."""
    targets = plan_targets(plan, unit)
    definitions = list({t.definition_id: t.definition for t in targets}.values())
    results = snapshots.compute(definitions, day=day, unit=unit, user=user)
    rows = []
    for t in targets:
        res = results[t.definition.code][""]
        a = assess(t, res)
        rows.append(
            Row(
                target=t,
                definition=t.definition,
                result=res,
                met=None if a is None else a != NOT_MET,
                assessment=a,
            )
        )
    return rows


@dataclass
class BranchRow:
    unit: Unit | None
    name: str
    result: Result
    met: bool | None
    assessment: str | None = None

    @property
    def assessment_label(self) -> str:
        return ASSESSMENTS.get(self.assessment or "", "")


def breakdown(target: IndicatorTarget, *, day: dt.date, unit: Unit, user: Any) -> list[BranchRow]:
    """The target's indicator for each unit of the next level under ``unit`` (one query)."""
    results = snapshots.compute([target.definition], day=day, unit=unit, user=user, depth=unit.depth + 1)
    return _branches(target, results[target.definition.code], day=day, unit=unit)


def _branch_request(target: IndicatorTarget, day: dt.date, unit: Unit, user: Any) -> snapshots.Request:
    return snapshots.Request([target.definition], day, unit, user, unit.depth + 1)


def _branches(
    target: IndicatorTarget, by_branch: dict[str, Result], *, day: dt.date, unit: Unit
) -> list[BranchRow]:
    # The units with their former names in one more query (``name_on``), not one per unit.
    children = {
        u.path: u for u in Unit.objects.filter(path__in=list(by_branch)).prefetch_related("former_names")
    }
    out = []
    for branch, res in sorted(by_branch.items()):
        if branch == "":
            continue
        child = children.get(branch)
        if child is None or child.pk == unit.pk:
            name = f"Trực thuộc trực tiếp {unit.name_on(day)}"
            child = None
        else:
            name = unit_label_on(child, day)
        a = assess(target, res)
        out.append(
            BranchRow(
                unit=child, name=name, result=res, met=None if a is None else a != NOT_MET, assessment=a
            )
        )
    return out


def trend(
    target: IndicatorTarget,
    *,
    days: list[dt.date],
    unit: Unit | None,
    user: Any,
    known: dict[dt.date, Result] | None = None,
) -> list[tuple[dt.date, Result]]:
    """The indicator on each of ``days``: one snapshot per date, all read by one query (a
    date's snapshot survives writes dated after it). ``known``: results already computed for
    the same unit and user (the table's, on its date), not asked again."""
    asked = _trend_asked(days, known)
    results = snapshots.compute_many([snapshots.Request([target.definition], d, unit, user) for d in asked])
    return _points(target, days, asked, results, known)


def _trend_asked(days: list[dt.date], known: dict[dt.date, Result] | None) -> list[dt.date]:
    return [d for d in days if d not in (known or {})]


def _points(
    target: IndicatorTarget,
    days: list[dt.date],
    asked: list[dt.date],
    results: list[dict[str, dict[str, Result]]],
    known: dict[dt.date, Result] | None,
) -> list[tuple[dt.date, Result]]:
    code = target.definition.code
    known = known or {}
    found = {d: res[code][""] for d, res in zip(asked, results, strict=True)}
    return [(d, known[d] if d in known else found[d]) for d in days]


def breakdown_and_trend(
    target: IndicatorTarget,
    *,
    day: dt.date,
    unit: Unit,
    user: Any,
    days: list[dt.date],
    known: dict[dt.date, Result] | None = None,
) -> tuple[list[BranchRow], list[tuple[dt.date, Result]]]:
    """``breakdown`` and ``trend`` of the dashboard's chosen row, their snapshots read by one
    query (and the missing ones computed and stored together, under one race guard)."""
    asked = _trend_asked(days, known)
    results = snapshots.compute_many(
        [
            _branch_request(target, day, unit, user),
            *(snapshots.Request([target.definition], d, unit, user) for d in asked),
        ]
    )
    branches = _branches(target, results[0][target.definition.code], day=day, unit=unit)
    return branches, _points(target, days, asked, results[1:], known)


def yearly(day: dt.date, count: int = 6) -> list[dt.date]:
    """The as-of date and the same day of the ``count - 1`` previous years."""
    return [engine.years_before(day, k) if k else day for k in range(count - 1, -1, -1)]
