"""In a real browser: a confidence-vote session from start to its consequences — the unit picked
by name, a count above the ballots refused with the Vietnamese message, the bands shown (V-4,
V-5), finalised, the worklist listing the planning entry a V-4 result takes out, and the
planning list's one action removing it with the ground."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import pytest

from canbo.assessment.models import ConfidenceVote
from canbo.careers.models import Tenure
from canbo.conftest import browser_login, expect, new_person
from canbo.planning import services as planning
from canbo.planning.models import PlanningEntry
from canbo.planning.tests.conftest import make_title

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def test_vote_session_counts_bands_and_consequences(
    browser: Browser, live_server: Any, users: dict, tree: dict, title: Any
) -> None:
    chair = make_title("CT", "Chủ tịch UBND huyện", 50)
    an = new_person(tree["A1"], "Lê Văn An", sex="nam", born=dt.date(1978, 3, 1))
    binh = new_person(tree["A1"], "Phạm Thị Bình", born=dt.date(1979, 4, 1))
    for p in (an, binh):
        Tenure.objects.create(
            person=p, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2021, 1, 4)
        )
    plist = planning.planning_list_create(
        acting_user=users["officer_a"], unit=tree["A"], name="Quy hoạch huyện A", kind="lanh_dao_quan_ly",
        term_start=2025, term_end=2030,
    )  # fmt: skip
    entry = planning.planning_entry_add(
        acting_user=users["officer_a"],
        planning_list=plist,
        person=an,
        title=chair,
        added_on=dt.date(2025, 11, 3),
    )

    page = browser.new_page(locale="vi-VN")
    browser_login(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/danh-gia/lay-phieu/")
    page.click("text=Mở đợt lấy phiếu")
    page.fill("#id_unit", "huyen a")  # the picker: typed without diacritics
    page.locator("#id_unit_ketqua").get_by_role("button", name="Huyện A", exact=True).click()
    expect(page.locator("#id_unit")).to_have_value("Huyện A")
    page.select_option("#id_body", "cap_uy")
    page.fill("#id_vote_date", "10/02/2026")
    page.fill("#id_convened", "30")
    page.fill("#id_present", "30")
    page.fill("#id_ballots", "30")
    page.fill("#id_reason", "Theo kế hoạch số 5-KH/HU")
    page.get_by_role("button", name="Mở đợt lấy phiếu").click()
    expect(page.locator(".messages")).to_contain_text("Đã mở đợt lấy phiếu với 2 người được lấy phiếu")

    # A count above the ballots issued: refused in Vietnamese, nothing saved.
    page.click("text=Lê Văn An")
    page.fill("#id_high", "10")
    page.fill("#id_medium", "8")
    page.fill("#id_low", "17")
    page.fill("#id_reason", "Theo biên bản kiểm phiếu")
    page.get_by_role("button", name="Lưu kết quả").click()
    expect(page.locator(".form-errors")).to_contain_text(
        "Tổng số phiếu ba mức (35) vượt quá số phiếu phát ra (30)"
    )
    page.fill("#id_medium", "3")
    page.get_by_role("button", name="Lưu kết quả").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu kết quả của Lê Văn An")
    page.click("text=Phạm Thị Bình")
    page.fill("#id_high", "5")
    page.fill("#id_medium", "5")
    page.fill("#id_low", "20")
    page.fill("#id_reason", "Theo biên bản kiểm phiếu")
    page.get_by_role("button", name="Lưu kết quả").click()

    # The bands: above half (V-4) and two thirds (V-5).
    rows = page.locator("#danh-sach")
    expect(rows.locator("tr", has_text="Lê Văn An")).to_contain_text("Đưa ra khỏi quy hoạch chức vụ cao hơn")
    expect(rows.locator("tr", has_text="Lê Văn An")).to_contain_text("(V-4)")
    expect(rows.locator("tr", has_text="Phạm Thị Bình")).to_contain_text("(V-5)")

    page.click("text=Hoàn tất và ghi vào hồ sơ")
    page.check("#id_confirm")
    page.fill("#id_reason", "Theo biên bản kiểm phiếu ngày 10/02/2026")
    page.get_by_role("button", name="Hoàn tất").click()
    expect(page.locator(".messages")).to_contain_text("ghi kết quả vào hồ sơ của 2 người")
    assert ConfidenceVote.objects.count() == 2

    # The worklist: both pending, An's planning entry still to act on.
    page.goto(f"{live_server.url}/danh-gia/lay-phieu/")
    work = page.locator("#can-xu-ly")
    expect(work).to_contain_text("Kết quả cần xử lý (2)")
    expect(work.locator("tr", has_text="Lê Văn An")).to_contain_text(
        "Còn trong quy hoạch Chủ tịch UBND huyện"
    )
    work.locator("tr", has_text="Lê Văn An").get_by_role("link", name="Đưa ra khỏi quy hoạch").click()
    expect(page.locator("#can-cu-dua-ra")).to_contain_text("V-4 v1")
    expect(page.locator("#id_reason")).to_have_value(
        re.compile("Lấy phiếu tín nhiệm ngày 10/02/2026.*V-4 v1")
    )

    # The planning list flags him; one action takes him out with the ground as the reason.
    page.goto(f"{live_server.url}/quy-hoach/{plist.pk}/")
    flagged = page.locator(f"#can-cu-{entry.pk}")
    expect(flagged).to_contain_text("V-4 v1")
    flagged.locator("input[name=decision]").fill("15-QĐ/HU")
    flagged.get_by_role("button", name="Đưa ra khỏi quy hoạch").click()
    expect(page.locator(".messages")).to_contain_text("Đã đưa Lê Văn An ra khỏi quy hoạch")
    entry.refresh_from_db()
    assert entry.removed_on is not None and "V-4 v1" in entry.removal_reason
    assert entry.removal_decision == "15-QĐ/HU"
    assert PlanningEntry.objects.filter(removed_on__isnull=True).count() == 0
    page.close()
