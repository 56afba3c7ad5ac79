"""The first run in a browser, as far as it exists today: ``./canbo setup`` on an empty
database → the administrator logs in → (units: made here, the unit pages are another item) →
Người dùng → Tạo tài khoản for a commune officer → he logs in, must change his password, and
sees only his commune's people and, under "Tài khoản của tôi", who granted him what."""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command

from canbo.conftest import expect, make_unit, new_person
from canbo.org.choices import Level

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


def login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_setup_admin_creates_an_officer_who_sees_only_his_commune(browser: Browser, live_server: Any) -> None:
    call_command(
        "setup",
        "--admin-user",
        "quantri",
        "--admin-password",
        "quan-tri-tinh-1",
        "--no-input",
        stdout=StringIO(),
    )
    root = make_unit(None, "T", "Tỉnh Thử nghiệm")
    commune = make_unit(root, "X1", "Xã Một", level=Level.COMMUNE)
    other = make_unit(root, "X2", "Xã Hai", level=Level.COMMUNE)
    mine = new_person(commune, "Lò Văn Một", sex="nam")
    theirs = new_person(other, "Giàng Thị Hai")

    page = browser.new_page(locale="vi-VN")
    base = live_server.url
    login(page, base, "quantri", "quan-tri-tinh-1")
    page.click("nav.mainnav >> text=Người dùng")
    page.click("text=Tạo tài khoản")
    page.fill("#id_username", "canbo_x1")
    page.fill("#id_full_name", "Hà Văn Xã")
    page.fill("#id_password1", "tam-thoi-x1")
    page.fill("#id_password2", "tam-thoi-x1")
    page.select_option("#id_role", "officer")
    page.fill("#id_unit_code", "X1")
    page.fill("#id_reason", "Công văn 3/UBND")
    page.click("button.primary")
    expect(page.locator(".messages")).to_contain_text("Đã tạo tài khoản “canbo_x1”")
    expect(page.locator("table.grid")).to_contain_text("Xã Một")
    page.click(".usermenu button")

    login(page, base, "canbo_x1", "tam-thoi-x1")
    expect(page.locator("h1")).to_have_text("Đổi mật khẩu")
    page.goto(f"{base}/can-bo/")  # any other page sends him back
    expect(page.locator("h1")).to_have_text("Đổi mật khẩu")
    page.fill("#id_old_password", "tam-thoi-x1")
    page.fill("#id_password1", "cua-rieng-toi-9")
    page.fill("#id_password2", "cua-rieng-toi-9")
    page.click("button.primary")
    expect(page.locator(".messages")).to_contain_text("Đã đổi mật khẩu")
    expect(page.locator("table.grid")).to_contain_text("Xã Một")
    expect(page.locator("table.grid")).to_contain_text("quantri")
    expect(page.locator("table.grid")).to_contain_text("Công văn 3/UBND")

    page.goto(f"{base}/can-bo/")
    expect(page.locator("main")).to_contain_text(mine.full_name)
    expect(page.locator("main")).not_to_contain_text(theirs.full_name)
    page.close()
