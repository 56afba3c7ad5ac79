"""Builders of engine facts for the engine tests (no Django)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from canbo.rules.engine import load_rulebook
from canbo.rules.engine.facts import Birth, PersonFacts, TenureFact, TitleInfo

BOOK = load_rulebook()

STAFF = TitleInfo("CV", "Chuyên viên", 10, "tinh", is_leader=False)
DEPUTY = TitleInfo("PTP", "Phó Trưởng phòng", 20, "tinh", is_leader=True, head_kind="pho")
HEAD = TitleInfo("TP", "Trưởng phòng", 30, "tinh", is_leader=True, head_kind="truong")
DIRECTOR = TitleInfo("GD", "Giám đốc Sở", 50, "tinh", is_leader=True, head_kind="truong")
COMMUNE_SECRETARY = TitleInfo("BT-XA", "Bí thư Đảng ủy xã", 25, "xa", group="bi_thu", is_leader=True)


def tenure(title: TitleInfo, start: dt.date, end: dt.date | None = None, unit: int = 1) -> TenureFact:
    return TenureFact(title=title, unit_id=unit, unit_name=f"Đơn vị {unit}", start=start, end=end)


def person(born: tuple[int, int | None] | None = (1975, 6), sex: str = "nam", **kw: Any) -> PersonFacts:
    birth = Birth(sex, born[0], born[1]) if born else None
    return PersonFacts(person_id=1, name="Nguyễn Văn An", birth=birth, **kw)


def outcomes(verdict: Any, rule_id: str) -> list[str]:
    return [r.outcome for r in verdict.results if r.rule_id == rule_id]


def versions(verdict: Any, rule_id: str) -> list[int | None]:
    return [r.version for r in verdict.results if r.rule_id == rule_id]
