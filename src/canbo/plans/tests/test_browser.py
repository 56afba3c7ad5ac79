"""The extraction review in a real browser: paste, correct, save; then record a report."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from canbo.conftest import browser_login
from canbo.plans.models import Plan, TaskStatus

pytestmark = pytest.mark.browser

TEXT = """II. NHIỆM VỤ, GIẢI PHÁP
1. Công tác cán bộ
a) Phòng Nội vụ huyện A chủ trì, phối hợp với Huyện B xây dựng quy định (xong trong quý I/2021).
b) Phòng Nội vụ huyện A rà soát quy hoạch cán bộ (khi có điều kiện).
"""


def test_paste_review_correct_and_save(browser: Browser, live_server: Any, users: dict, plan: Plan) -> None:
    page = browser.new_page(locale="vi-VN")
    browser_login(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    page.click("text=Trích từ văn bản")
    page.fill("#id_text", TEXT)
    page.click("text=Đọc văn bản")
    expect(page.locator("h1")).to_have_text("Rà soát bản nháp: 2 nhiệm vụ")
    assert not plan.tasks.exists()
    # The second deadline was not understood: it is flagged, and the officer writes it plainly.
    expect(page.locator("#draft-2")).to_contain_text("Chưa đọc được thời hạn")
    page.fill("#id_form-1-deadline", "quý 4/2021")
    page.get_by_role("button", name="Đọc lại thời hạn").click()
    expect(page.locator("#draft-2")).to_contain_text("hạn 31/12/2021")
    expect(page.locator("#draft-1")).to_contain_text("✓ Có trong danh mục")
    page.get_by_role("button", name="Lưu các nhiệm vụ đã chọn").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu 2 nhiệm vụ")
    tasks = list(plan.tasks.order_by("order"))
    assert [t.deadline_text for t in tasks] == ["xong trong quý I/2021", "quý 4/2021"]
    assert tasks[0].lead_unit is not None and tasks[0].lead_unit.code == "A1"

    page.click("text=Phòng Nội vụ huyện A chủ trì, phối hợp với Huyện B")
    page.select_option("#id_status", TaskStatus.IN_PROGRESS)
    page.click("text=Lưu tình trạng")
    expect(page.locator(".messages")).to_contain_text("Đang thực hiện")
    page.close()
