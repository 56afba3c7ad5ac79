"""In a real browser: a campaign from start to finalised — opened on its page, the quota updated
live while a level is chosen, finalising refused over the quota, then accepted with an exception."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from canbo.assessment.models import Rating
from canbo.campaigns import services
from canbo.campaigns.models import CampaignEntry, RatingCampaign
from canbo.conftest import browser_login, expect, new_person

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def test_campaign_start_to_finalised(browser: Browser, live_server: Any, users: dict, tree: dict) -> None:
    for i in range(5):
        new_person(tree["A1"], f"Người Thứ {i}", born=dt.date(1980, 1, 1 + i))
    page = browser.new_page(locale="vi-VN")
    browser_login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/danh-gia/")
    page.click("text=Mở đợt đánh giá")
    page.fill("#id_unit", "huyen a")  # the unit picker: typed without diacritics
    page.locator("#id_unit_ketqua").get_by_role("button", name="Huyện A", exact=True).click()
    expect(page.locator("#id_unit")).to_have_value("Huyện A")
    page.select_option("#id_system", "chinh_quyen")
    page.fill("#id_year", "2026")
    page.fill("#id_decision_date", "30/11/2026")
    page.fill("#id_reason", "Theo kế hoạch đánh giá năm 2026")
    page.get_by_role("button", name="Mở đợt đánh giá").click()
    expect(page.locator(".messages")).to_contain_text("Đã mở đợt đánh giá với 6 người")

    campaign = RatingCampaign.objects.get()
    entries = list(CampaignEntry.objects.filter(campaign=campaign).order_by("pk"))
    for e in entries:  # five HTT and one HTXS: the cap ⌊20% × 5⌋ = 1 is reached
        level = "htxs" if e == entries[-1] else "htt"
        services.entry_update(
            entry=e, acting_user=users["admin"], proposed_level=level, decided_level=level,
            score=95 if level == "htxs" else 80, kht_trigger=False,
        )  # fmt: skip

    page.goto(f"{live_server.url}/danh-gia/nguoi/{entries[0].pk}/")
    expect(page.locator("#ty-le")).to_contain_text("Trong giới hạn")
    page.select_option("#id_decided_level", "htxs")  # live: counted before saving
    expect(page.locator("#ty-le")).to_contain_text("Vượt giới hạn")
    page.select_option("#id_proposed_level", "htxs")
    page.fill("#id_score", "96")
    page.fill("#id_reason", "Sửa lỗi nhập liệu")
    page.get_by_role("button", name="Lưu kết quả").click()
    expect(page.locator("#ty-le-xuat-sac")).to_contain_text("Vượt giới hạn")

    page.click("text=Hoàn tất và ghi kết quả vào hồ sơ")
    page.check("#id_confirm")
    page.fill("#id_reason", "Theo quyết định số 12/QĐ-UBND")
    page.get_by_role("button", name="Hoàn tất").click()
    expect(page.locator(".form-errors")).to_contain_text("cần ghi nhận ngoại lệ")
    assert not Rating.objects.exists()

    page.goto(f"{live_server.url}/danh-gia/{campaign.pk}/ngoai-le/")
    page.fill("#id_reason", "Đơn vị có thành tích nổi trội")
    page.fill("#id_basis", "Văn bản 9/UBND-NV ngày 25/11/2026")
    page.get_by_role("button", name="Ghi nhận ngoại lệ").click()
    page.click("text=Hoàn tất và ghi kết quả vào hồ sơ")
    page.check("#id_confirm")
    page.fill("#id_reason", "Theo quyết định số 12/QĐ-UBND")
    page.get_by_role("button", name="Hoàn tất").click()
    expect(page.locator(".messages")).to_contain_text("ghi kết quả vào hồ sơ của 6 người")
    assert Rating.objects.filter(year=2026).count() == 6
    page.close()
