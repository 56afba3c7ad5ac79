"""The extraction review in a real browser: paste, correct, save; then record a report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from canbo.conftest import browser_login, expect
from canbo.plans.models import Plan, TaskStatus

if TYPE_CHECKING:
    from playwright.sync_api import Browser

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
    page.fill("#id_tinh_trang_reason", "Theo báo cáo của phòng")
    page.click("text=Lưu tình trạng")
    expect(page.locator(".messages")).to_contain_text("Đang thực hiện")
    # A refused status (done, no date): htmx swaps the form with its error in place.
    task_url = page.url
    page.select_option("#id_status", TaskStatus.DONE)
    page.fill("#id_tinh_trang_reason", "Theo báo cáo của phòng")
    page.click("text=Lưu tình trạng")
    expect(page.locator("form[data-swap-refusal] .form-errors")).to_contain_text("phải có ngày hoàn thành")
    assert page.url == task_url
    assert plan.tasks.order_by("order").first().status == TaskStatus.IN_PROGRESS  # type: ignore[union-attr]
    page.close()


NEW_PLAN_TEXT = """UBND HUYỆN A
Số: 7/KH-UBND
Huyện A, ngày 15 tháng 02 năm 2021
KẾ HOẠCH
Công tác cán bộ huyện A giai đoạn 2021 - 2023
II. NHIỆM VỤ, GIẢI PHÁP
1. Công tác cán bộ
a) Phòng Nội vụ huyện A chủ trì, phối hợp với Huyện B xây dựng quy định (xong trong quý I/2021).
b) Phòng Nội vụ huyện A rà soát quy hoạch cán bộ (thực hiện hằng năm).
"""


def test_create_plan_from_pasted_text(browser: Browser, live_server: Any, users: dict) -> None:
    page = browser.new_page(locale="vi-VN")
    browser_login(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/ke-hoach/")
    page.click("text=Tạo kế hoạch từ văn bản")
    page.fill("#id_text", NEW_PLAN_TEXT)
    page.click("text=Đọc văn bản")
    expect(page.locator("h1")).to_have_text("Rà soát bản nháp: kế hoạch mới, 2 nhiệm vụ")
    # The header read from the document's first lines, shown dd/mm/yyyy.
    expect(page.locator("#id_kh-number")).to_have_value("7/KH-UBND")
    expect(page.locator("#id_kh-issued_on")).to_have_value("15/02/2021")
    expect(page.locator("#id_kh-period_end")).to_have_value("31/12/2023")
    expect(page.locator("#id_kh-code")).to_have_value("ke-hoach-7-kh-ubnd")
    assert not Plan.objects.exists()
    # A managing unit outside the officer's grants: the error is beside the field, nothing written.
    page.fill("#id_kh-unit_code", "B")
    page.get_by_role("button", name="Lưu kế hoạch và các nhiệm vụ đã chọn").click()
    expect(page.locator("#plan-header .field.has-error")).to_contain_text(
        "Bạn không có quyền quản lý kế hoạch ở đơn vị “B”"
    )
    assert not Plan.objects.exists()
    page.fill("#id_kh-unit_code", "A")
    page.fill("#id_kh-title", "Kế hoạch công tác cán bộ huyện A giai đoạn 2021 - 2023")
    page.get_by_role("button", name="Lưu kế hoạch và các nhiệm vụ đã chọn").click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo kế hoạch 7/KH-UBND với 2 nhiệm vụ")
    plan = Plan.objects.get()
    assert plan.unit.code == "A" and plan.title.endswith("2021 - 2023")
    deadlines = [t.deadline_text for t in plan.tasks.order_by("order")]
    assert deadlines == ["xong trong quý I/2021", "thực hiện hằng năm"]
    page.close()
