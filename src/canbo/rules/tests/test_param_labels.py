"""Rule parameters are shown with Vietnamese labels and units, never as ``name = value``."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from canbo.rules.engine.params import format_value, label_for, param_rows
from canbo.rules.tests.engine_helpers import BOOK


def test_every_parameter_of_every_rule_has_a_label() -> None:
    missing = [
        f"{v.label}: {name}"
        for v in BOOK.all_versions()
        for name in v.params
        if label_for(v.rule_id, name) is None
    ]
    assert not missing, missing


def test_values_are_written_for_a_personnel_officer() -> None:
    h1 = {r.name: r for r in param_rows("H-1", BOOK.latest("H-1").params)}
    assert h1["men_start_months"].label == "Tuổi nghỉ hưu của nam trước năm bắt đầu lộ trình"
    assert h1["men_start_months"].text == "60 tuổi" and h1["men_step_months"].text == "3 tháng"
    assert h1["first_year"].text == "2021"
    p6 = {r.name: r.text for r in param_rows("P-6", BOOK.latest("P-6").params)}
    assert p6["women_share"] == "25%" and p6["young_age_local"] == "40 tuổi"
    a12 = param_rows("A-12", BOOK.latest("A-12").params)
    assert [r.text for r in a12] == ["Không"]
    k4 = {r.name: r.text for r in param_rows("K-4", BOOK.latest("K-4").params)}
    assert k4["tinh"] == "01/09/2025"
    d2 = {r.name: r.text for r in param_rows("D-2", BOOK.latest("D-2").params)}
    assert d2["never"] == "Khai trừ"
    assert format_value(label_for("H-1", "men_cap_months"), 741) == "61 tuổi 9 tháng"
    assert format_value(label_for("E-7", "error_penalty_share"), 0.125) == "12,5%"
    # The same name means different things in different rules.
    assert label_for("A-6", "min_months") != label_for("P-5", "min_months")


@pytest.mark.django_db
def test_rulebook_page_shows_labels_not_names(rules_loaded: None, users: dict[str, Any]) -> None:
    c = Client()
    c.force_login(users["officer_a"])
    html = c.get("/quy-dinh/").content.decode()
    assert "Tuổi nghỉ hưu của nam trước năm bắt đầu lộ trình: <strong>60 tuổi</strong>" in html
    assert "Tỷ lệ nữ tối thiểu: <strong>25%</strong>" in html
    for raw in ("men_start_months", "= 720", "True", "False", "2025-09-01", "women_share"):
        assert raw not in html, raw


@pytest.mark.django_db
def test_new_version_form_labels_its_parameters(rules_loaded: None, users: dict[str, Any]) -> None:
    c = Client()
    c.force_login(users["admin"])
    html = c.get("/quy-dinh/P-6/phien-ban-moi/").content.decode()
    assert "Tỷ lệ nữ tối thiểu" in html and "Hiện nay: 25%" in html
    assert "Tham số women_share" not in html and "women_share = " not in html
