"""From the vacancy to the tenure in a real browser (Debian's headless Chromium, Playwright)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from canbo.careers.models import Tenure
from canbo.conftest import browser_login, expect
from canbo.org.models import Post
from canbo.people.models import Person

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def test_from_vacancy_to_tenure(
    browser: Browser, live_server: Any, users: dict, post: Post, eligible: list[Person]
) -> None:
    page = browser.new_page(locale="vi-VN")
    base = live_server.url
    browser_login(page, base, "officer_a")
    page.goto(f"{base}/don-vi/vi-tri/?ngay=2026-03-02&chi=trong")
    page.click("text=Mở hồ sơ bổ nhiệm")
    page.select_option("#id_source", "noi_khac")
    page.fill("#id_received_on", "02/03/2026")
    page.fill("form.panel [name=reason]", "Sửa lỗi nhập liệu")
    page.click("form.panel button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Bổ nhiệm: Trưởng phòng")
    case_url = page.url
    for person in eligible:
        page.click("text=Thêm nhân sự")
        page.fill("#q", person.full_name)
        page.press("#q", "Enter")
        page.locator("table.grid [name=reason]").first.fill("Theo đề nghị của cá nhân")
        page.click("table.grid button:has-text('Thêm')")
        expect(page.locator("body")).to_contain_text(f"Đã thêm {person.full_name}")
    for _ in eligible:
        page.click("text=Khai báo thông tin còn thiếu (A-7)")
        page.select_option("#id_pending_discipline", "0")
        page.fill("form.panel [name=reason]", "Sửa lỗi nhập liệu")
        page.click("form.panel button[type=submit]")
    page.click("text=Chuyển sang các bước")
    page.fill("form.panel [name=reason]", "Sửa lỗi nhập liệu")
    page.click("form.panel button[type=submit]")
    for n in (1, 2, 3):
        page.click("text=Ghi kết quả một bước")
        page.select_option("#id_number", str(n))
        page.fill("#id_held_on", f"1{n}/03/2026")
        page.fill("#id_body", "Hội nghị")
        page.fill("#id_convened", "15")
        page.fill("#id_present", "14")
        page.fill("#id_ballots", "14")
        inputs = page.locator("input[name^=phieu_]")
        inputs.nth(0).fill("11")
        inputs.nth(1).fill("3")
        page.fill("form.panel [name=reason]", "Sửa lỗi nhập liệu")
        page.click("form.panel button[type=submit]")
        expect(page.locator("body")).to_contain_text(f"Đã ghi bước {n}.")
    expect(page.locator("body")).to_contain_text("Trúng: Lê Văn An")
    page.click("a:has-text('Trình')")
    page.fill("form.panel [name=reason]", "Sửa lỗi nhập liệu")
    page.click("form.panel button[type=submit]")
    page.click("text=Ghi quyết định")
    page.fill("#id_decision_number", "15/QĐ-UBND")
    page.fill("#id_decision_date", "01/04/2026")
    page.fill("#id_effective_date", "05/04/2026")
    page.fill("#id_signer", "Chủ tịch UBND huyện A")
    page.click("form.panel button[type=submit]")
    expect(page.locator("body")).to_contain_text("Đã có quyết định")
    assert page.url == case_url
    assert Tenure.objects.filter(person=eligible[0], post=post).exists()
