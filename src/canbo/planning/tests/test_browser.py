"""In a real browser: create a list, a wrong entry refused, a right one added, the person list's
planning filter finds him."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from canbo.conftest import browser_login, expect
from canbo.planning.models import PlanningEntry

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def test_create_list_add_entry_and_filter(
    browser: Browser, live_server: Any, users: dict, person_a: Any, titles: dict
) -> None:
    page = browser.new_page(locale="vi-VN")
    browser_login(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/quy-hoach/")
    page.click("text=Lập danh sách quy hoạch")
    page.fill("#id_unit_code", "A")
    page.fill("#id_name", "Quy hoạch lãnh đạo huyện A")
    page.fill("#id_term", "2025–2030")
    page.get_by_role("button", name="Lập danh sách").click()
    expect(page.locator(".messages")).to_contain_text("Đã lập danh sách quy hoạch")
    expect(page.locator("h1")).to_have_text("Quy hoạch lãnh đạo huyện A")

    # Wrong input: a name nobody has and an impossible date; nothing is written.
    page.fill("#id_nguoi", "khong co ai")
    page.select_option("#id_chuc_danh", label="Chủ tịch UBND huyện — khối Nhà nước (Cấp huyện, thứ bậc 50)")
    page.fill("#id_added_on", "31/02/2025")
    page.locator("#bo-sung [name=reason]").fill("Theo quyết định số 15-QĐ/HU")
    page.get_by_role("button", name="Bổ sung").click()
    expect(page.locator("#bo-sung")).to_contain_text("Không tìm thấy cán bộ “khong co ai”")
    expect(page.locator("#bo-sung")).to_contain_text("Ngày không hợp lệ")
    assert not PlanningEntry.objects.exists()

    page.fill("#id_nguoi", person_a.personal_id)
    page.fill("#id_added_on", "03/11/2025")
    page.fill("#id_decision", "15-QĐ/HU")
    page.get_by_role("button", name="Bổ sung").click()
    expect(page.locator(".messages")).to_contain_text("Đã bổ sung Nguyễn Thị Hoa")
    expect(page.locator("#kiem-tra")).to_contain_text("Kết luận")

    page.goto(f"{live_server.url}/can-bo/?ngay=04/11/2025")
    page.click("text=Điều kiện lọc và cột hiển thị")
    page.select_option("#id_quy_hoach", "co")
    page.get_by_role("button", name="Áp dụng").click()
    expect(page.locator(".filters-desc")).to_contain_text("Quy hoạch: Đang trong quy hoạch")
    expect(page.locator("table.grid")).to_contain_text("Nguyễn Thị Hoa")
    expect(page.locator(".actions strong")).to_have_text("1 người")
    page.close()
