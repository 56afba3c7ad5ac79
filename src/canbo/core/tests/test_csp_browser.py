"""The content-security policy in a real browser: the main pages, their htmx parts and the API's
Swagger page run under it with no violation reported (issue 21)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from canbo.conftest import browser_login, browser_login_through_the_form, expect, make_unit
from canbo.org.models import Unit
from canbo.people.models import Person

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

# Reported by the page itself (the browser's securitypolicyviolation event); the init script is
# the browser's, not the page's, so the policy does not apply to it.
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(
    e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber
  );
});
"""


def _watched(browser: Browser) -> tuple[Page, list[str]]:
    page = browser.new_page(locale="vi-VN")
    page.add_init_script(WATCH)
    console: list[str] = []
    page.on(
        "console",
        lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return page, console


def _violations(page: Page) -> list[str]:
    return list(page.evaluate("window.__cspViolations"))


def test_main_pages_run_under_the_policy_without_violations(
    browser: Browser, live_server: Any, users: dict, tree: dict, person_a: Person
) -> None:
    make_unit(Unit.objects.get(pk=tree["A1"].pk), "A1X", "Tổ Tổng hợp")
    page, console = _watched(browser)
    # Through the form: the login page and the redirect after it run under the policy too.
    browser_login_through_the_form(page, live_server.url, "officer_a")
    seen: list[str] = []
    for path in (
        "/",
        "/can-bo/",
        f"/can-bo/{person_a.pk}/",
        f"/can-bo/{person_a.pk}/sua/",
        f"/can-bo/{person_a.pk}/lich-su/",
        "/don-vi/",
        f"/don-vi/{tree['A'].pk}/",
        "/quy-dinh/",
        "/quy-dinh/kiem-tra/",
        "/chi-tieu/",
        "/danh-sach/",
        "/bao-cao/",
        "/luong/den-han/",
        "/can-bo/?ngay=khong-phai-ngay",  # the 400 page
        "/api/units/",  # what a browser gets from the API
    ):
        response = page.goto(live_server.url + path)
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"]
        seen += [f"{path}: {v}" for v in _violations(page)]
    assert seen == [] and console == []

    # htmx under the policy: a unit's ▸ loads its sub-units, the script turns the arrow.
    page.goto(f"{live_server.url}/don-vi/{tree['A'].pk}/")
    toggle = page.locator("button.tree-toggle").first
    toggle.click()
    expect(toggle).to_have_class("tree-toggle open")
    expect(page.locator("ul.tree ul.tree", has_text="Tổ Tổng hợp")).to_be_visible()
    # The unit picker of the person form (htmx results, picked by the page's script).
    page.goto(f"{live_server.url}/can-bo/{person_a.pk}/sua/")
    page.locator("#id_managing_unit").fill("tong hop")
    results = page.locator("#id_managing_unit_ketqua")
    results.get_by_role("button", name="Tổ Tổng hợp").first.click()
    expect(page.locator("#id_managing_unit")).to_have_value("Tổ Tổng hợp")
    # "Quay lại" on the 400 page goes back without an inline handler.
    page.goto(f"{live_server.url}/can-bo/?ngay=khong-phai-ngay")
    page.get_by_role("link", name="Quay lại").click()
    expect(page).to_have_url(f"{live_server.url}/can-bo/{person_a.pk}/sua/")
    assert _violations(page) == [] and console == []
    page.close()


def test_swagger_page_runs_under_the_policy(
    browser: Browser, live_server: Any, users: dict, tree: dict
) -> None:
    page, console = _watched(browser)
    browser_login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("CanBo API")
    expect(page.locator(".opblock-tag").first).to_be_visible()
    assert _violations(page) == [] and console == []
    page.close()
