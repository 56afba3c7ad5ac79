"""Unit compliance on planning lists (18-ĐA/TU Phần thứ hai I.2: "100% cơ quan, đơn vị, địa
phương xây dựng được quy hoạch đảm bảo cả về cơ cấu, số lượng").

The population is units (``population.source = "unit"``: kinds and levels) in force on the date in
the subtree. A unit meets the condition (``compliance.planning_list``) when it keeps at least one
planning list with people in it on the date, and each such list has, on that date:

- at least ``min_per_title`` people for every title planned in it (number);
- at least ``young_share`` of young people and ``women_share`` of women among its people
  (structure, RULES.md P-6: young is under 45 for Central-level lists, under 40 otherwise, as the
  list page counts them, ``planning.selectors.young_age``). The ethnic-minority share of P-6 has
  no figure ("phù hợp với địa phương") and is not checked.

Units are counted by one query, the entries in force of their lists by another; the loop is over
planning entries (a list holds tens of people), never over the province's people.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from fractions import Fraction
from typing import Any

from canbo.core.dates import age_at
from canbo.core.querysets import scope_q
from canbo.indicators.engine import Result
from canbo.indicators.models import IndicatorDefinition
from canbo.org.choices import Level
from canbo.org.models import Unit, in_force_q
from canbo.planning.models import PlanningEntry, PlanningList, planned_on_q

NO_LIST, TOO_FEW, STRUCTURE = "no_list", "too_few", "structure"
REASONS = {
    NO_LIST: "chưa có danh sách quy hoạch",
    TOO_FEW: "có chức danh chưa đủ số người quy hoạch",
    STRUCTURE: "chưa đủ cơ cấu (trẻ, nữ)",
}


def _units(spec: dict[str, Any], day: dt.date, unit: Unit | None, user: Any) -> list[tuple[int, str]]:
    pop = spec["population"]
    qs = Unit.objects.filter(in_force_q(day))
    if "unit_kind" in pop:
        qs = qs.filter(kind__in=pop["unit_kind"])
    if "unit_level" in pop:
        qs = qs.filter(level__in=pop["unit_level"])
    if unit is not None:
        qs = qs.filter(path__startswith=unit.path)
    if user is not None:
        qs = qs.restrict(user)
    return list(qs.order_by("path").values_list("pk", "path"))


def unit_verdicts(
    defn: IndicatorDefinition, *, day: dt.date, unit: Unit | None, user: Any
) -> dict[int, tuple[str, str | None]]:
    """Each unit of the population: its path and None when it meets the condition, else the
    first reason it does not (``REASONS``)."""
    req = defn.spec["compliance"]["planning_list"]
    min_per_title = int(req.get("min_per_title", 1))
    young_share = Fraction(str(req.get("young_share", 0)))
    women_share = Fraction(str(req.get("women_share", 0)))
    units = _units(defn.spec, day, unit, user)
    lists = PlanningList.objects.filter(unit_id__in=[pk for pk, _p in units])
    if user is not None:
        q = scope_q(PlanningList, user)
        if q is not None:
            lists = lists.filter(q)
    entries = PlanningEntry.objects.filter(planned_on_q(day), planning_list__in=lists).values_list(
        "planning_list_id",
        "planning_list__unit_id",
        "planning_list__unit__level",
        "person_id",
        "person__birth_date",
        "person__sex",
        "title_id",
    )
    people: dict[int, dict[int, tuple[dt.date, str]]] = defaultdict(dict)
    titles: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    owner: dict[int, tuple[int, str]] = {}
    for list_id, unit_id, level, person_id, born, sex, title_id in entries:
        people[list_id][person_id] = (born, sex)
        titles[list_id][title_id].add(person_id)
        owner[list_id] = (unit_id, level)
    failing: dict[int, str] = {}
    has_list: set[int] = set()
    for list_id, members in people.items():
        unit_id, level = owner[list_id]
        has_list.add(unit_id)
        total = len(members)
        young = 45 if level == Level.CENTRAL else 40
        if any(len(p) < min_per_title for p in titles[list_id].values()):
            failing.setdefault(unit_id, TOO_FEW)
        elif (
            Fraction(sum(age_at(born, day) < young for born, _s in members.values()), total) < young_share
            or Fraction(sum(sex == "nu" for _b, sex in members.values()), total) < women_share
        ):
            failing.setdefault(unit_id, STRUCTURE)
    return {pk: (path, NO_LIST if pk not in has_list else failing.get(pk)) for pk, path in units}


def planning_compliance(
    defn: IndicatorDefinition, *, day: dt.date, unit: Unit | None, user: Any, length: int | None
) -> dict[str, Result]:
    """Results by branch ("" = the whole subtree): units that meet / units of the population, with
    the reasons of the others in the note."""
    verdicts = unit_verdicts(defn, day=day, unit=unit, user=user)
    out: dict[str, Result] = {}
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    for path, reason in verdicts.values():
        branch = "" if length is None else path[:length]
        res = out.setdefault(branch, Result(numerator=0, population=0, unit_based=True, kind=defn.kind))
        assert res.population is not None and res.numerator is not None  # noqa: S101 (invariant; narrows the type for mypy)
        res.population += 1
        if reason is None:
            res.numerator += 1
        else:
            reasons[branch][reason] += 1
    if length is None and "" not in out:
        absent = bool(defn.spec.get("counted_for"))
        out[""] = Result(
            status="absent" if absent else "empty",
            numerator=None if absent else 0,
            population=None if absent else 0,
            unit_based=True,
            kind=defn.kind,
            note="Không có đơn vị thuộc diện tính vào ngày này." if absent else "",
        )
    for branch, res in out.items():
        if reasons[branch]:
            res.note = (
                "Chưa đạt: "
                + "; ".join(
                    f"{n} đơn vị {REASONS[r]}" for r, n in sorted(reasons[branch].items(), key=lambda x: x[0])
                )
                + "."
            )
    return out
