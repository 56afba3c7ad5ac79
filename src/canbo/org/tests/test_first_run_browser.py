"""A province's first run in a real browser (issue 16), as README "Cài đặt cho một tỉnh" says:
an empty database → ``./canbo setup`` with flags → the administrator imports the organisation
workbook and a people workbook → creates a commune officer with a grant on one commune → the
officer logs in (changing the password he was given) and sees only his commune's people."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from canbo.conftest import expect
from canbo.imports.org_import import build_org_template
from canbo.imports.org_schema import ORG_SHEETS
from canbo.imports.schema import SHEETS
from canbo.imports.workbooks import build_template
from canbo.org.models import Unit
from canbo.people.models import Person
from canbo.people.validators import make_personal_id

if TYPE_CHECKING:
    from playwright.sync_api import Browser, FilePayload, Page

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ADMIN_PASSWORD = "Quan-tri-2025!"
PID_1 = make_personal_id(province_prefix="010", sex="nam", birth_year=1985, serial=810001)
PID_2 = make_personal_id(province_prefix="010", sex="nu", birth_year=1990, serial=810002)
COMMUNES = [
    {"code": "LC.X1", "name": "Xã Võ Lao", "parent": "LC", "kind": "Địa phương (khối tổng hợp)",
     "block": "Nhà nước", "level": "Cấp xã", "valid_from": "01/07/2025", "basis": "NQ 1/NQ-UBTVQH15"},
    {"code": "LC.X2", "name": "Xã Bảo Hà", "parent": "LC", "kind": "Địa phương (khối tổng hợp)",
     "block": "Nhà nước", "level": "Cấp xã", "valid_from": "01/07/2025", "basis": "NQ 1/NQ-UBTVQH15"},
]  # fmt: skip


def fill(ws: Any, spec: Any, rows: list[dict[str, Any]], *, keep_examples: bool) -> None:
    """Write ``rows`` (field name → value) under the template's headers."""
    if not keep_examples:
        ws.delete_rows(2, ws.max_row)
    column = {f.name: i + 1 for i, f in enumerate(spec.fields)}
    for values in rows:
        r = ws.max_row + 1
        for name, value in values.items():
            ws.cell(row=r, column=column[name], value=value)


def org_workbook() -> bytes:
    """The organisation template with its example rows (a province "LC", its Department of
    Home Affairs, titles, posts) and two communes under the province."""
    wb = openpyxl.load_workbook(io.BytesIO(build_org_template()))
    fill(wb[ORG_SHEETS["don_vi"].title], ORG_SHEETS["don_vi"], COMMUNES, keep_examples=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def people_workbook() -> bytes:
    """The people template reduced to its "Cán bộ" sheet, one person in each commune."""
    wb = openpyxl.load_workbook(io.BytesIO(build_template()))
    spec = SHEETS["can_bo"]
    for name in wb.sheetnames:
        if name not in ("Hướng dẫn", spec.title):
            del wb[name]
    rows = [
        {"personal_id": PID_1, "full_name": "Lò Văn Minh", "sex": "Nam", "birth_date": "12/03/1985",
         "ethnicity": "Thái", "category": "Cán bộ", "managing_unit": "LC.X1"},
        {"personal_id": PID_2, "full_name": "Hoàng Thị Mai", "sex": "Nữ", "birth_date": "20/10/1990",
         "ethnicity": "Tày", "category": "Công chức", "managing_unit": "LC.X2"},
    ]  # fmt: skip
    fill(wb[spec.title], spec, rows, keep_examples=False)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(page: Page, name: str, content: bytes, button: str) -> None:
    payload: FilePayload = {"name": name, "mimeType": XLSX, "buffer": content}
    page.set_input_files("#id_file", files=[payload])
    page.get_by_role("button", name=button).click()


def login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_first_run_from_an_empty_database(browser: Browser, live_server: Any, monkeypatch: Any) -> None:
    assert not Unit.objects.exists() and not Person.objects.exists() and not User.objects.exists()
    monkeypatch.setenv("CANBO_ADMIN_PASSWORD", ADMIN_PASSWORD)
    out = io.StringIO()
    call_command(
        "setup", "--admin-user", "quantri", "--admin-name", "Nguyễn Văn Quản", "--no-input", stdout=out
    )
    assert "Cài đặt xong" in out.getvalue()
    base = live_server.url
    page = browser.new_page(locale="vi-VN")

    # The administrator logs in; an empty database leads him to the organisation workbook.
    login(page, base, "quantri", ADMIN_PASSWORD)
    expect(page.locator(".usermenu")).to_contain_text("Nguyễn Văn Quản")
    page.goto(f"{base}/don-vi/")
    page.get_by_role("link", name="nhập cả cơ cấu tổ chức từ một tệp Excel").click()
    expect(page.locator("h1")).to_have_text("Nhập cơ cấu tổ chức từ Excel")
    upload(page, "co-cau.xlsx", org_workbook(), "Kiểm tra và nhập")
    expect(page.locator(".import-ok")).to_contain_text("Đã nhập tệp co-cau.xlsx", timeout=60_000)
    assert set(Unit.objects.values_list("code", flat=True)) >= {"LC", "LC.SNV", "LC.X1", "LC.X2"}

    # The people workbook, the template's own headers: both persons are imported.
    page.goto(f"{base}/nhap-du-lieu/")
    upload(page, "can-bo.xlsx", people_workbook(), "Tải lên và ghép cột")
    page.wait_for_load_state()
    if "Ghép cột" in page.locator("h1").inner_text():  # a template's headers may need no mapping
        page.click("button[value=run]")
    # The file is checked first (nothing written), then imported; polled if in the background.
    expect(page.locator("body")).to_contain_text("Không có lỗi. Tệp có 2 hồ sơ mới", timeout=120_000)
    page.get_by_role("button", name="Nhập vào hồ sơ").click()
    expect(page.locator(".import-ok")).to_contain_text("Hồ sơ mới", timeout=120_000)
    assert Person.objects.filter(personal_id__in=[PID_1, PID_2]).count() == 2

    # A commune officer with a grant on Xã Võ Lao.
    page.goto(f"{base}/tai-khoan/nguoi-dung/them/")
    page.fill("#id_username", "xa_volao")
    page.fill("#id_full_name", "Lù Thị Dung")
    page.fill("#id_password1", "Tam-thoi-2025")
    page.fill("#id_password2", "Tam-thoi-2025")
    page.select_option("#id_role", "officer")
    page.fill("#id_unit_code", "LC.X1")
    page.fill("#id_reason", "Cán bộ tổ chức xã Võ Lao")
    page.locator("form.panel button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("Xã Võ Lao")
    page.get_by_role("button", name="Đăng xuất").click()

    # The officer logs in, must change the password he was given, then sees his commune only.
    login(page, base, "xa_volao", "Tam-thoi-2025")
    expect(page.locator("h1")).to_contain_text("Đổi mật khẩu")
    page.fill("#id_old_password", "Tam-thoi-2025")
    page.fill("#id_password1", "Mat-khau-rieng-2025")
    page.fill("#id_password2", "Mat-khau-rieng-2025")
    page.locator("form.panel button[type=submit]").click()
    page.goto(f"{base}/can-bo/")
    table = page.locator("table.grid")
    expect(table).to_contain_text("Lò Văn Minh")
    expect(table).not_to_contain_text("Hoàng Thị Mai")
    page.goto(f"{base}/can-bo/?q=hoang thi mai")
    expect(page.locator("body")).not_to_contain_text("Hoàng Thị Mai")
    # On his commune's page: what he may change inside it, no restructuring of the commune.
    page.goto(f"{base}/don-vi/{Unit.objects.get(code='LC.X1').pk}/")
    actions = page.locator(".actions").first
    expect(actions).to_contain_text("Thêm đơn vị trực thuộc")
    expect(actions).not_to_contain_text("Giải thể")
    expect(actions).not_to_contain_text("Sáp nhập")
    page.close()
