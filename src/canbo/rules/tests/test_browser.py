""" "Kiểm tra điều kiện" in a real browser (Debian's headless Chromium driven by Playwright)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from canbo.careers.models import Tenure
from canbo.conftest import browser_login, expect, new_person
from canbo.org.models import Title
from canbo.rules.services import rules_load

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def test_officer_checks_eligibility_from_the_person_page(
    browser: Browser, live_server: Any, users: dict, tree: dict, title: Title
) -> None:
    rules_load()
    Title.objects.create(
        code="GD",
        name="Giám đốc Sở",
        level="tinh",
        group="truong_co_quan",
        block="nha_nuoc",
        is_leader=True,
        head_kind="truong",
        management_scope="btv_tinh_uy",
        rank=50,
    )
    p = new_person(tree["A1"], "Phạm Thị Lan", sex="nu", born=dt.date(1969, 5, 2))
    Tenure.objects.create(
        person=p, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2020, 6, 1)
    )
    page = browser.new_page(locale="vi-VN")
    browser_login(page, live_server.url, "officer_a")

    page.goto(f"{live_server.url}/can-bo/{p.pk}/")
    expect(page.locator("#lich-cong-tac")).to_contain_text("hết ngày 31/05/2026")
    page.click("#lich-cong-tac >> text=Kiểm tra điều kiện")
    expect(page.locator("#id_nguoi")).to_have_value(str(p.pk))
    expect(page.locator("#id_ten")).to_have_value("Phạm Thị Lan")
    # The officer picks the person by name: suggestions as he types, no database id.
    page.fill("#id_ten", "pham thi la")
    expect(page.locator("#id_nguoi")).to_have_value("")
    page.click("#goi-y-nguoi >> text=Phạm Thị Lan")
    expect(page.locator("#id_nguoi")).to_have_value(str(p.pk))

    page.select_option("#id_muc_dich", "appointment")
    page.select_option("#id_chuc_danh", "GD")
    page.fill("#id_ngay", "01/11/2025")
    page.click("#form-kiem-tra button[type=submit]")
    expect(page.locator("#ket-luan")).to_have_text("Không đạt")
    a3 = page.locator("table.verdict tr.rule-A-3")
    expect(a3).to_contain_text("A-3 v2")
    expect(a3).to_contain_text("không đủ 60 tháng")
    expect(page.locator("table.verdict tr.rule-T-5")).to_contain_text("Chưa đủ dữ liệu")

    # A wrong date is refused in Vietnamese, nothing computed.
    page.fill("#id_ngay", "31/02/2025")
    page.click("#form-kiem-tra button[type=submit]")
    expect(page.locator(".field.has-error")).to_contain_text("Ngày không hợp lệ")
    expect(page.locator("#ket-qua")).to_have_count(0)
