"""Take the README's screenshots from a running demo (``./canbo demo`` in another shell).

Usage: .venv/bin/python tools/screenshots.py BASE_URL USERNAME PASSWORD [PERSON_ID]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--lang=vi",
]
OUT = Path(__file__).resolve().parent.parent / "docs" / "img"


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    username = sys.argv[2] if len(sys.argv) > 2 else "tochuc"
    password = sys.argv[3] if len(sys.argv) > 3 else ""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        page.goto(f"{base}/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.goto(f"{base}/can-bo/?ngay=hom-nay")
        # A unit's list: the first provincial department in the tree.
        page.goto(f"{base}/don-vi/")
        page.locator("ul.tree a").nth(2).click()
        page.click("text=Danh sách cán bộ")
        page.screenshot(path=str(OUT / "unit-list.png"))
        # The person given on the command line, else the first person of that list.
        if len(sys.argv) > 4:
            page.goto(f"{base}/can-bo/{sys.argv[4]}/")
        else:
            page.locator("table.grid tbody a").first.click()
        page.screenshot(path=str(OUT / "person.png"), full_page=False)
        browser.close()
    print(f"Đã lưu ảnh vào {OUT}")


if __name__ == "__main__":
    main()
