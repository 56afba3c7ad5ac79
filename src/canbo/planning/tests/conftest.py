"""A planning list kept by district A, titles above and below the fixture "Trưởng phòng"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canbo.careers.models import Tenure
from canbo.org.choices import Block, HeadKind, Level, ManagementScope, TitleGroup
from canbo.org.models import Title, Unit
from canbo.planning import services
from canbo.planning.models import PlanningList

# After 8/10/2025, when the P-2 caps are in force (RULES.md: earlier values unknown).
DAY = dt.date(2025, 11, 3)


def make_title(code: str, name: str, rank: int, group: str = TitleGroup.AGENCY_HEAD) -> Title:
    return Title.objects.create(
        code=code,
        name=name,
        level=Level.DISTRICT,
        group=group,
        block=Block.STATE,
        is_leader=True,
        head_kind=HeadKind.HEAD,
        management_scope=ManagementScope.DISTRICT_STANDING,
        rank=rank,
    )


@pytest.fixture
def titles(title: Title) -> dict[str, Title]:
    """``tp`` (rank 30, the conftest fixture), ``pct`` 45, ``ct`` 50, ``bt`` 60, ``norank`` 0."""
    return {
        "tp": title,
        "pct": make_title("PCT", "Phó Chủ tịch UBND huyện", 45, TitleGroup.COMMITTEE_VICE),
        "ct": make_title("CT", "Chủ tịch UBND huyện", 50, TitleGroup.COMMITTEE_CHAIR),
        "bt": make_title("BT", "Bí thư Huyện ủy", 60, TitleGroup.SECRETARY),
        "norank": make_title("X1", "Chức danh chưa xếp bậc", 0),
    }


@pytest.fixture
def plist(tree: dict[str, Unit], users: dict[str, Any]) -> PlanningList:
    return services.planning_list_create(
        acting_user=users["officer_a"],
        unit=tree["A"],
        name="Quy hoạch Ban Thường vụ Huyện ủy A",
        kind="lanh_dao_quan_ly",
        term_start=2025,
        term_end=2030,
        decision_number="12-QĐ/HU",
        decision_date=dt.date(2024, 5, 2),
    )


def hold(person: Any, unit: Unit, title: Title, start: dt.date = dt.date(2020, 1, 1)) -> Tenure:
    return Tenure.objects.create(person=person, unit=unit, title=title, kind="bo_nhiem", start_date=start)
