"""``plans seed_demo`` fills plan 18-ĐA/TU on a province whose root is LC, once."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from canbo.conftest import make_unit
from canbo.core.models import ObjectChange
from canbo.plans.models import Plan, TaskReport, TaskStatus


@pytest.mark.django_db
def test_seed_demo_is_idempotent() -> None:
    with pytest.raises(SystemExit):
        call_command("plans", "seed_demo", stderr=io.StringIO())
    root = make_unit(None, "LC", "Tỉnh Lào Cai")
    tu = make_unit(root, "LC.TU", "Tỉnh ủy Lào Cai")
    board = make_unit(tu, "LC.TU.BTC", "Ban Tổ chức Tỉnh ủy")
    out = io.StringIO()
    call_command("plans", "seed_demo", stdout=out)
    assert "17 nhiệm vụ" in out.getvalue()
    plan = Plan.objects.get(code="lc-18-da-tu")
    assert plan.unit == board
    assert plan.tasks.count() == 17
    assert plan.tasks.filter(lead_unit=board).count() == 16
    assert plan.tasks.filter(status=TaskStatus.DONE_LATE).count() == 1
    assert TaskReport.objects.count() == 3
    logged = ObjectChange.objects.count()
    again = io.StringIO()
    call_command("plans", "seed_demo", stdout=again)
    assert "không nạp lại" in again.getvalue()
    assert plan.tasks.count() == 17 and ObjectChange.objects.count() == logged


@pytest.mark.django_db
def test_extract_command(tmp_path: object) -> None:
    import json
    from pathlib import Path

    from canbo.plans.demo import SEEDS_DIR

    out = io.StringIO()
    seed = next(SEEDS_DIR.glob("004_*.txt"))
    call_command("plans", "extract", str(seed), "--json", stdout=out, stderr=io.StringIO())
    draft = json.loads(out.getvalue())
    assert len(draft["tasks"]) == 17
    last = draft["tasks"][-1]
    assert last["lead"]["name"] == "Ban Tổ chức Tỉnh ủy"
    assert last["deadline_text"] == "Hoàn thành trong năm 2016; vào quý IV/2020; vào quý IV/2025"
    assert [p["due"] for p in last["schedule"]["parts"]] == ["2016-12-31", "2020-12-31", "2025-12-31"]
    bad = Path(str(tmp_path)) / "x.pdf"
    bad.write_bytes(b"%PDF")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("plans", "extract", str(bad), stderr=err)
    assert exit_info.value.code == 2
    assert "Chỉ nhận tệp" in err.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Cần lệnh con"),
        (("extract",), "Thiếu tệp"),
        (("zzz",), "Cần lệnh con"),
        (("extract", "a.txt", "b.txt"), "Tham số không hợp lệ"),
    ],
)
def test_command_line_refusals_are_vietnamese(args: tuple[str, ...], message: str, capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_info:
        call_command("plans", *args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
