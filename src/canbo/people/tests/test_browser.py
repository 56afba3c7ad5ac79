"""The dossier in a real browser (Debian's headless Chromium driven by Playwright)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from canbo.careers.models import Tenure
from canbo.conftest import browser_login, expect
from canbo.people.models import Person, Qualification

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def test_officer_reads_and_edits_a_dossier(
    browser: Browser, live_server: Any, users: dict, person_a: Person, tree: dict, title: Any
) -> None:
    Tenure.objects.create(
        person=person_a,
        unit=tree["A1"],
        title=title,
        kind="bo_nhiem",
        start_date=dt.date(2019, 3, 1),
        end_date=dt.date(2023, 2, 28),
        decision_number="45/QĐ-UBND",
    )
    page = browser.new_page(locale="vi-VN")
    browser_login(page, live_server.url, "officer_a")

    page.goto(f"{live_server.url}/can-bo/?q=nguyen thi hoa")
    page.click("text=Nguyễn Thị Hoa")
    expect(page.locator("h1")).to_have_text("Nguyễn Thị Hoa")
    expect(page.locator(".current")).to_contain_text("Không giữ chức vụ nào")

    # Looking back to 2020 shows the post held then, and the age then.
    page.fill("#ngay", "2020-06-01")
    page.click(".asof button")
    expect(page.locator(".asof-banner")).to_contain_text("01/06/2020")
    expect(page.locator(".current")).to_contain_text("Trưởng phòng")
    expect(page.locator(".person-head .sub")).to_contain_text("40 tuổi")
    page.click("text=Hôm nay")

    # Adding a qualification with a wrong level is refused in Vietnamese; corrected, it lands.
    page.click("#trinh-do >> text=+ Thêm")
    page.select_option("#id_kind", "ly_luan_chinh_tri")
    page.select_option("#id_level", "thac_si")
    page.fill("#id_obtained_date", "2016-07-01")
    page.fill("#id_reason", "Bổ sung theo bản sao văn bằng")
    page.click("button.primary")
    expect(page.locator(".field.has-error")).to_contain_text("Trình độ này không thuộc loại đã chọn")
    page.select_option("#id_level", "trung_cap")
    page.click("button.primary")
    expect(page.locator("#trinh-do")).to_contain_text("Trung cấp")
    assert Qualification.objects.filter(person=person_a, level="trung_cap").exists()

    page.click("text=Lịch sử thay đổi")
    expect(page.locator("table.history")).to_contain_text("Bổ sung theo bản sao văn bằng")
    page.close()


def test_other_subtree_sees_not_found(
    browser: Browser, live_server: Any, users: dict, person_a: Person
) -> None:
    page = browser.new_page(locale="vi-VN")
    browser_login(page, live_server.url, "officer_b")
    response = page.goto(f"{live_server.url}/can-bo/{person_a.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy")
    page.close()
