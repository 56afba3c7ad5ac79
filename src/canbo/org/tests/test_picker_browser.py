"""The unit picker in a real browser: type part of a name, pick a unit, save (issue 14)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from canbo.conftest import browser_login, expect, make_unit
from canbo.org.choices import UnitKind
from canbo.org.models import Unit
from canbo.people.models import Person

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

VHXH = "Phòng Văn hóa – Xã hội"


def test_pick_a_unit_by_typing_and_by_browsing_then_save(
    browser: Browser, live_server: Any, users: dict, tree: dict, person_a: Person
) -> None:
    made = {}
    for parent, code, name in (
        ("A", "XA1", "UBND xã Bát Xát"),
        ("A", "XA2", "UBND xã Y Tý"),
        ("B", "XB1", "UBND xã Bản Vược"),
    ):
        commune = make_unit(Unit.objects.get(pk=tree[parent].pk), code, name)
        made[code] = make_unit(Unit.objects.get(pk=commune.pk), f"{code}-VH", VHXH, kind=UnitKind.DIVISION)
    page = browser.new_page(locale="vi-VN")
    browser_login(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/can-bo/{person_a.pk}/sua/")
    search = page.locator("#id_managing_unit")
    expect(search).to_have_value("Phòng Nội vụ huyện A")
    search.fill("van hoa y ty")
    results = page.locator("#id_managing_unit_ketqua")
    expect(results).to_contain_text(f"{VHXH}, UBND xã Y Tý")
    expect(results).not_to_contain_text("Bản Vược")  # outside officer_a's grants
    results.get_by_role("button", name=f"{VHXH}, UBND xã Y Tý").click()
    expect(search).to_have_value(f"{VHXH}, UBND xã Y Tý")
    page.fill("#id_reason", "Điều động")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_contain_text("Nguyễn Thị Hoa")
    assert Person.objects.get(pk=person_a.pk).managing_unit_id == made["XA2"].pk
    expect(page.locator("body")).to_contain_text(f"{VHXH}, UBND xã Y Tý")

    # Browsing the tree: the scope's top unit, its sub-units, pick one.
    page.goto(f"{live_server.url}/can-bo/{person_a.pk}/sua/")
    picker = page.locator("[data-unit-picker]", has=page.locator("#id_managing_unit"))
    picker.get_by_role("button", name="Duyệt cây").click()
    results = page.locator("#id_managing_unit_ketqua")
    expect(results).to_contain_text("Huyện A")
    results.get_by_role("button", name="Xem 3 đơn vị trực thuộc Huyện A").click()
    results.get_by_role("button", name="Phòng Nội vụ huyện A", exact=True).click()
    expect(page.locator("#id_managing_unit")).to_have_value("Phòng Nội vụ huyện A")
    page.fill("#id_reason", "Sửa lỗi nhập liệu")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_contain_text("Nguyễn Thị Hoa")
    assert Person.objects.get(pk=person_a.pk).managing_unit_id == tree["A1"].pk
    page.close()


def test_pick_several_units_to_merge(browser: Browser, live_server: Any, users: dict, tree: dict) -> None:
    x = make_unit(Unit.objects.get(pk=tree["A"].pk), "X1", "Tổ Một", kind=UnitKind.DIVISION)
    y = make_unit(Unit.objects.get(pk=tree["A"].pk), "Y1", "Tổ Hai", kind=UnitKind.DIVISION)
    z = make_unit(Unit.objects.get(pk=tree["A"].pk), "Z1", "Tổ Ba", kind=UnitKind.DIVISION)
    page = browser.new_page(locale="vi-VN")
    browser_login(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/don-vi/{x.pk}/sap-xep/sap-nhap/")
    page.fill("#id_sources", "to mot")
    page.locator("#id_sources_ketqua").get_by_role("button", name="Tổ Một").click()
    page.fill("#id_sources", "to hai")
    page.locator("#id_sources_ketqua").get_by_role("button", name="Tổ Hai").click()
    chosen = page.locator(".unit-picker-chosen")
    expect(chosen).to_contain_text("Tổ Một")
    expect(chosen).to_contain_text("Tổ Hai")
    page.get_by_role("button", name="Bỏ Tổ Hai").click()
    expect(chosen).not_to_contain_text("Tổ Hai")
    page.fill("#id_into", "to ba")
    page.locator("#id_into_ketqua").get_by_role("button", name="Tổ Ba").click()
    page.fill("#id_on", "01/07/2025")
    page.fill("#id_basis", "NQ 1/NQ-HĐND")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_contain_text("Tổ Ba")
    assert Unit.objects.get(pk=x.pk).valid_to is not None
    assert Unit.objects.get(pk=y.pk).valid_to is None and Unit.objects.get(pk=z.pk).valid_to is None
    page.close()
