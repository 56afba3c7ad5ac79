"""The import in a real browser: upload → mapping → errors → error file → corrected file → success."""

from __future__ import annotations

import io
import threading
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest

from canbo.conftest import browser_login, expect
from canbo.imports.models import ImportJob, SavedMapping
from canbo.people.models import Person
from canbo.people.validators import make_personal_id

if TYPE_CHECKING:
    from playwright.sync_api import Browser, FilePayload, Page

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The province's own sheet: its own sheet name, and one header CanBo does not know.
HEADERS = [
    "STT",
    "Số CCCD",
    "Tên đầy đủ",
    "Giới tính",
    "Ngày, tháng, năm sinh",
    "Dân tộc",
    "Đối tượng",
    "Đơn vị",
]
PID_1 = make_personal_id(province_prefix="010", sex="nam", birth_year=1985, serial=700001)
PID_2 = make_personal_id(province_prefix="010", sex="nu", birth_year=1991, serial=700002)


def sheet(second_sex: str, second_birth: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "DS trích ngang 2025"
    ws.append(HEADERS)
    ws.append([1, PID_1, "Lê Văn Nam", "Nam", "12/03/1985", "Kinh", "Công chức", "A1"])
    ws.append([2, PID_2, "Phạm Thị Lan", second_sex, second_birth, "Kinh", "Công chức", "A"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def choose_file(page: Page, content: bytes) -> None:
    payload: FilePayload = {"name": "ds-huyen-a.xlsx", "mimeType": XLSX, "buffer": content}
    page.set_input_files("#id_file", files=[payload])
    page.click("button.primary")


def test_upload_mapping_errors_corrected_file_success(
    browser: Browser, live_server: Any, users: dict, tmp_path: Any
) -> None:
    page = browser.new_page(locale="vi-VN", accept_downloads=True)
    browser_login(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/nhap-du-lieu/")
    expect(page.locator("h1")).to_have_text("Nhập dữ liệu từ Excel")

    # 1. A file with two mistakes on its second person.
    choose_file(page, sheet("Không rõ", "31/02/1991"))
    expect(page.locator("h1")).to_contain_text("Ghép cột")
    expect(page.locator("#id_kind_0")).to_have_value("can_bo")  # recognised by its headers
    expect(page.locator("#id_col_0_1")).to_have_value("personal_id")  # "Số CCCD"
    expect(page.locator("#id_col_0_0")).to_have_value("")  # "STT": not imported
    expect(page.locator("#id_col_0_2")).to_have_value("")  # "Tên đầy đủ": not recognised
    page.select_option("#id_col_0_2", "full_name")
    page.fill("#id_save_as", "Trích ngang huyện A")
    page.click("button[value=run]")

    expect(page.locator("h1")).to_contain_text("Có lỗi, chưa ghi gì")
    errors = page.locator("ol.import-errors li")
    expect(errors.first).to_contain_text("Sheet DS trích ngang 2025, dòng 3, cột")
    texts = errors.all_inner_texts()
    assert any("Giới tính" in t for t in texts), texts
    assert any("Ngày, tháng, năm sinh" in t for t in texts), texts
    assert not Person.objects.filter(personal_id__in=[PID_1, PID_2]).exists()

    # 2. The sheet comes back with a "Lỗi" column.
    with page.expect_download() as info:
        page.click("text=Tải tệp kèm cột lỗi")
    target = tmp_path / "loi.xlsx"
    info.value.save_as(target)
    ws = openpyxl.load_workbook(target)["DS trích ngang 2025"]
    header = [c.value for c in ws[1]]
    assert "Lỗi" in header
    assert ws.cell(row=3, column=header.index("Lỗi") + 1).value

    # 3. The corrected file, mapped with the mapping saved above.
    page.click("text=Tải lên tệp đã sửa")
    choose_file(page, sheet("Nữ", "28/02/1991"))
    expect(page.locator("#id_col_0_2")).to_have_value("")
    saved = SavedMapping.objects.get(name="Trích ngang huyện A")
    page.select_option("#dung", str(saved.pk))
    page.click(".import-saved button")
    expect(page.locator("#id_col_0_2")).to_have_value("full_name")
    page.click("button[value=run]")

    expect(page.locator("h1")).to_contain_text("Đã nhập xong")
    expect(page.locator(".import-ok dl")).to_contain_text("2")
    assert ImportJob.objects.filter(status=ImportJob.Status.DONE).count() == 1

    # 4. The people are in the list.
    page.click("text=Xem danh sách cán bộ")
    expect(page.locator("table.grid")).to_contain_text("Phạm Thị Lan")
    expect(page.locator("table.grid")).to_contain_text("Lê Văn Nam")

    # The import page lists both runs.
    page.goto(f"{live_server.url}/nhap-du-lieu/")
    expect(page.locator("table.import-jobs tbody tr")).to_have_count(2)
    page.close()


def test_kind_chosen_for_an_unrecognised_sheet(browser: Browser, live_server: Any, users: dict) -> None:
    page = browser.new_page(locale="vi-VN")
    browser_login(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/nhap-du-lieu/")
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Trang tính 1"
    ws.append(["Mã số", "Ghi chú"])
    ws.append(["x", "y"])
    out = io.BytesIO()
    wb.save(out)
    choose_file(page, out.getvalue())
    expect(page.locator("#id_kind_0")).to_have_value("")
    expect(page.locator("#sheet-0")).to_contain_text("Sheet này sẽ được bỏ qua")
    page.select_option("#id_kind_0", "khen_thuong")  # htmx reloads the sheet's columns
    expect(page.locator("#id_col_0_0")).to_be_visible()
    expect(page.locator("#id_col_0_0")).to_contain_text("Hình thức khen thưởng")
    page.close()


def test_an_import_runs_in_the_background_with_progress(
    browser: Browser, live_server: Any, users: dict, monkeypatch: Any, settings: Any
) -> None:
    """The page enqueues the task and polls: waiting for the worker, then its progress, then the
    result. The worker's part (``db_worker`` calls the task) is played by a thread of this
    process, so that the test can hold the run at its first progress report."""
    from django.db import connection

    from canbo.conftest import DATABASE_TASKS
    from canbo.imports import jobs
    from canbo.imports.jobs import run_import_job
    from canbo.imports.models import ImportJob

    settings.TASKS = DATABASE_TASKS
    started = threading.Event()
    release = threading.Event()
    real_run = jobs.engine.run_import

    def slow_run(**kw: Any) -> Any:
        kw["progress"](1, 2, "Đang kiểm tra sheet DS trích ngang 2025")
        started.set()
        release.wait(30)
        return real_run(**kw)

    monkeypatch.setattr(jobs.engine, "run_import", slow_run)
    page = browser.new_page(locale="vi-VN")
    browser_login(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/nhap-du-lieu/")
    choose_file(page, sheet("Nữ", "28/02/1991"))
    page.select_option("#id_col_0_2", "full_name")
    page.click("button[value=run]")
    expect(page.locator("#progress")).to_contain_text("Đang chờ xử lý nền")
    job = ImportJob.objects.latest("pk")

    def work() -> None:
        try:
            run_import_job.call(job.pk)
        finally:
            connection.close()  # the thread's own connection

    worker = threading.Thread(target=work)
    worker.start()
    try:
        assert started.wait(30)
        expect(page.locator("#progress")).to_contain_text("Đang kiểm tra sheet DS trích ngang 2025")
        expect(page.locator("#progress")).to_contain_text("50%")
        page.goto(f"{live_server.url}/nhap-du-lieu/")  # leave, and come back
        expect(page.locator("table.import-jobs")).to_contain_text("Đang kiểm tra và ghi")
        page.click("table.import-jobs a")
    finally:
        release.set()
        worker.join(60)
    expect(page.locator("h1")).to_contain_text("Đã nhập xong", timeout=30_000)  # htmx refreshed the page
    assert Person.objects.filter(personal_id=PID_2).exists()
    page.close()
