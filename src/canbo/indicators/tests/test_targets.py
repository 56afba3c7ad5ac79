"""Targets held against the computed values: a range is an aim (at or above its lower bound it is
met, above its upper bound it is exceeded and still met); a ceiling is a target of kind max."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from canbo.indicators import selectors
from canbo.indicators.engine import Result
from canbo.indicators.models import IndicatorTarget
from canbo.indicators.services import DATA_DIR, read_toml
from canbo.indicators.tests.test_indicators import D, world  # noqa: F401  (fixture)


def _target(kind: str, low: str | None, high: str | None) -> IndicatorTarget:
    return IndicatorTarget(
        kind=kind,
        low=None if low is None else Decimal(low),
        high=None if high is None else Decimal(high),
        text="",
    )


@pytest.mark.parametrize(
    ("kind", "low", "high", "numerator", "expected"),
    [
        # 18-ĐA/TU row 3: women in Party committees 20–25%; 27,47% exceeds it, it does not fail it.
        ("range", "0.20", "0.25", 2747, "vuot"),
        ("range", "0.20", "0.25", 2344, "dat"),
        ("range", "0.20", "0.25", 2000, "dat"),  # the lower bound itself
        ("range", "0.20", "0.25", 2500, "dat"),  # the upper bound itself
        ("range", "0.20", "0.25", 1999, "chua_dat"),
        ("max", None, "0.25", 2747, "chua_dat"),  # a real ceiling says so
        ("max", None, "0.25", 2500, "dat"),
        ("min", "0.15", None, 9000, "dat"),  # above a minimum is plainly met
        ("all", None, None, 10000, "dat"),
        ("all", None, None, 9999, "chua_dat"),
    ],
)
def test_a_range_is_an_aim_and_a_ceiling_is_a_maximum(
    kind: str, low: str | None, high: str | None, numerator: int, expected: str
) -> None:
    result = Result(numerator=numerator, population=10000)
    target = _target(kind, low, high)
    assert selectors.assess(target, result) == expected
    assert selectors.met(target, result) is (expected != "chua_dat")


def test_no_seed_range_is_a_ceiling() -> None:
    """The seed targets given as ranges are aims in their documents ("Có 05 - 10%", "Phấn đấu
    … đạt từ 20 - 25%"); a ceiling would be kind max with only ``high``."""
    targets = [t for p in read_toml(DATA_DIR / "targets.toml")["plan"] for t in p["target"]]
    ranges = {t["row"]: (t["low"], t["high"]) for t in targets if t["kind"] == "range"}
    assert ranges == {"1a": (0.05, 0.10), "2": (0.05, 0.10), "3": (0.20, 0.25)}
    for t in targets:
        if t["kind"] == "max":
            assert "low" not in t and "high" in t


@pytest.mark.django_db
def test_an_exceeded_range_shows_vuot_as_met(world: dict[str, Any]) -> None:  # noqa: F811
    """Women in the committee are 1/2 = 50% against a 20–40% range: "Vượt", not "Chưa đạt"."""
    target = world["plan"].targets.get(row="2")
    target.high = Decimal("0.4")
    target.save()
    rows = {r.definition.code: r for r in selectors.plan_table(world["plan"], day=D, unit=None, user=None)}
    women = rows["nu-cap-uy"]
    assert (women.result.numerator, women.result.population) == (1, 2)
    assert (women.met, women.assessment, women.as_json()["assessment"]) == (True, "vuot", "vuot")
    c = Client()
    c.force_login(world["admin"])
    html = c.get("/chi-tieu/kh-thu/", {"ngay": D.isoformat()}).content.decode()
    row = html[html.index("Nữ cấp ủy") :]
    row = row[: row.index("</tr>")]
    assert "Vượt" in row and "Chưa đạt" not in row


@pytest.mark.django_db
def test_definitions_page_reads_as_sentences(users: dict[str, Any], tree: Any) -> None:
    """No Python dict, key or code on /chi-tieu/dinh-nghia/: population, condition and how the
    figure is computed, in Vietnamese."""
    from canbo.indicators import services

    services.definitions_load()
    c = Client()
    c.force_login(users["officer_a"])
    html = c.get("/chi-tieu/dinh-nghia/").content.decode()
    # Inside the site's layout, with one table (a broken template once repeated it 800 times).
    assert html.lstrip().startswith("<!doctype html>") and html.count("<table") == 1
    for raw in ("{&#x27;", "{'", "source", "tenure", "title_level", "age_below", "True", "min_rank"):
        assert raw not in html, raw
    assert "Người dưới 40 tuổi (tròn năm, tại ngày tính)." in html
    assert "Thành viên cấp ủy cấp tỉnh, cấp huyện hoặc cấp xã tại ngày tính." in html
    assert "Người có trình độ lý luận chính trị từ Cao cấp trở lên" in html
    assert "Người đang trong danh sách quy hoạch tại ngày tính" in html
    assert "chỉ tính người dưới 35 tuổi" in html
    assert "Tỷ lệ = số đơn vị đạt / số đơn vị thuộc diện." in html
    assert "Lãnh đạo, quản lý ở cấp tỉnh".lower() in html.lower()
