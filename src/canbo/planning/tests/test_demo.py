"""``planning seed_demo`` on a small province rooted at LC: once, through the services; the demo
wipe takes the lists away."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command

from canbo.conftest import make_unit, new_person
from canbo.core.models import ObjectChange
from canbo.demo.generator import wipe
from canbo.org.models import Title, Unit
from canbo.people.models import Person
from canbo.planning.models import PlanningEntry, PlanningList, PlanningReview
from canbo.planning.tests.conftest import hold


def _title(code: str, name: str, rank: int) -> Title:
    return Title.objects.create(
        code=code,
        name=name,
        level="tinh",
        group="truong_co_quan",
        block="nha_nuoc",
        is_leader=True,
        head_kind="truong",
        management_scope="btv_tinh_uy",
        rank=rank,
    )


@pytest.mark.django_db
def test_seed_demo_once_then_wiped_with_the_province() -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("planning", "seed_demo", stderr=err)
    assert exit_info.value.code == 2 and "Chưa có tỉnh mẫu" in err.getvalue()

    root = make_unit(None, "LC", "Tỉnh Lào Cai")
    dept = make_unit(root, "LC.SO", "Sở Nội vụ")
    head = _title("T.SO.H", "Giám đốc Sở", 80)
    _title("T.BT", "Bí thư Tỉnh ủy", 100)
    _title("T.CTUB", "Chủ tịch UBND tỉnh", 95)
    people = [new_person(dept, f"Người Mẫu {i}", sex="nam", born=dt.date(1978, 1, 1 + i)) for i in range(3)]
    Person.objects.filter(pk__in=[p.pk for p in people]).update(is_synthetic=True)
    for p in people:
        hold(p, dept, head, dt.date(2022, 1, 1))

    out = io.StringIO()
    call_command("planning", "seed_demo", stdout=out)
    assert "Bỏ qua LC.H082" in out.getvalue()  # units the small province lacks are skipped
    pl = PlanningList.objects.get()
    assert pl.unit == root and (pl.term_start, pl.term_end) == (2025, 2030)
    entries = PlanningEntry.objects.filter(planning_list=pl)
    # Two people per title, at most two titles each; the yearly review removed one with a reason.
    assert entries.filter(title__code="T.BT").count() >= 2
    removed = entries.filter(removed_on__isnull=False)
    assert removed.count() == 1 and removed.get().removal_reason
    assert PlanningReview.objects.filter(planning_list=pl, year=removed.get().removed_on.year).exists()
    assert ObjectChange.objects.filter(content_type__model="planningentry", source="command").exists()
    logged = ObjectChange.objects.count()
    again = io.StringIO()
    call_command("planning", "seed_demo", stdout=again)
    assert "không nạp lại" in again.getvalue() and ObjectChange.objects.count() == logged

    counts: dict[str, Any] = wipe()
    assert counts["PlanningList"] == 1
    assert not PlanningList.objects.exists() and not PlanningEntry.objects.exists()
    assert not Unit.objects.exists()


def test_command_refusals_are_vietnamese(capsys: Any) -> None:
    for args in ((), ("zzz",)):
        with pytest.raises(SystemExit) as exit_info:
            call_command("planning", *args)
        assert exit_info.value.code == 2
        assert "Dùng: ./canbo planning seed_demo" in capsys.readouterr().err
