"""The import pages as each kind of user meets them, and the upload → mapping → result path."""

from __future__ import annotations

import datetime as dt
import io
import socket
import subprocess
import zipfile
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.core.models import ObjectChange
from canbo.imports import jobs
from canbo.imports.models import ImportJob, SavedMapping
from canbo.people.models import Person
from canbo.people.validators import make_personal_id

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

HEADERS = [
    "Số định danh cá nhân",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Đối tượng",
    "Đơn vị quản lý hồ sơ",
]
PID_1 = make_personal_id(province_prefix="010", sex="nam", birth_year=1985, serial=900001)
PID_2 = make_personal_id(province_prefix="010", sex="nu", birth_year=1990, serial=900002)
GOOD = [
    [PID_1, "Lê Văn Nam", "Nam", "12/03/1985", "Kinh", "Công chức", "A1"],
    [PID_2, "Phạm Thị Lan", "Nữ", "1990", "Kinh", "Công chức", "A"],
]
BAD = [
    [PID_1, "Lê Văn Nam", "Nam", "12/03/1985", "Kinh", "Công chức", "A1"],
    [PID_2, "Phạm Thị Lan", "Không rõ", "31/02/1990", "Kinh", "Công chức", "A"],
]


def client_for(user: Any | None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def workbook(rows: list[list[Any]], headers: list[str] = HEADERS, sheet: str = "Cán bộ") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client: Client, content: bytes, name: str = "danh-sach.xlsx") -> Any:
    return client.post(reverse("imports:index"), {"file": SimpleUploadedFile(name, content)})


def proposed_post(client: Client, job: ImportJob, **extra: str) -> dict[str, str]:
    """The mapping form as the page offers it (every select at its preselected value)."""
    page = client.get(reverse("imports:mapping", args=[job.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: (form[name].value() or "") for name in form.fields if name != "save_as"}
    data.update(extra)
    return data


def upload_and_run(client: Client, content: bytes, action: str = "run", **extra: str) -> ImportJob:
    response = upload(client, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == reverse("imports:mapping", args=[job.pk])
    response = client.post(
        reverse("imports:mapping", args=[job.pk]), proposed_post(client, job, action=action, **extra)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    job.refresh_from_db()
    return job


# --- access -------------------------------------------------------------------------------------


def test_import_page_access_matrix(users: dict) -> None:
    url = reverse("imports:index")
    assert client_for(None).get(url).status_code == 302  # to the login page
    for name in ("nogrant", "leader_a", "self_user"):
        assert client_for(users[name]).get(url).status_code == 404, name
        assert client_for(users[name]).get(reverse("imports:template")).status_code == 404, name
        assert upload(client_for(users[name]), workbook(GOOD)).status_code == 404, name
    for name in ("officer_a", "officer_b", "admin"):
        page = client_for(users[name]).get(url)
        assert page.status_code == 200, name
        assert "Tải tệp mẫu" in page.content.decode()
    assert not ImportJob.objects.exists()


def test_guide_is_a_page_for_an_officer_not_raw_markdown(users: dict) -> None:
    """The guide is rendered HTML (headings, tables, bold), speaks to the officer (no SHA-256, no
    command line), and shows none of Markdown's markers."""
    import html
    import re

    page = client_for(users["officer_a"]).get(reverse("imports:guide"))
    assert page.status_code == 200
    body = page.content.decode()
    article = body[body.index('<article class="panel import-guide">') : body.index("</article>")]
    assert "<h1>Nhập dữ liệu từ tệp Excel</h1>" in article
    assert "<table>" in article and "<strong>" in article
    text = html.unescape(re.sub(r"<[^>]+>", " ", article))
    for marker in ("**", "|---", "```", "`", "\n#", "](", "__"):
        assert marker not in text, marker
    assert not re.search(r"^\s*#{1,6} ", text, re.MULTILINE)
    for technical in ("SHA", "./canbo", "--", "MEDIA_ROOT", "CANBO_", "dòng lệnh"):
        assert technical not in text, technical
    assert client_for(users["leader_a"]).get(reverse("imports:guide")).status_code == 404


def test_someone_elses_job_is_not_found(users: dict) -> None:
    job = upload_and_run(client_for(users["officer_a"]), workbook(BAD))
    assert job.status == ImportJob.Status.FAILED
    urls = [
        reverse(name, args=[job.pk])
        for name in ("imports:job", "imports:mapping", "imports:progress", "imports:errors")
    ]
    for url in urls:
        assert client_for(None).get(url).status_code == 302
        for name in ("officer_b", "leader_a", "nogrant", "admin"):
            assert client_for(users[name]).get(url).status_code == 404, (name, url)
        assert client_for(users["officer_a"]).get(url).status_code in (200, 302), url
    missing = reverse("imports:job", args=[job.pk + 1000])
    assert client_for(users["officer_a"]).get(missing).status_code == 404
    # Someone else's job is not listed either.
    assert (
        "danh-sach.xlsx" not in client_for(users["officer_b"]).get(reverse("imports:index")).content.decode()
    )


def test_template_download_is_a_workbook(users: dict) -> None:
    response = client_for(users["officer_a"]).get(reverse("imports:template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Cán bộ" in book.sheetnames


# --- the whole path -----------------------------------------------------------------------------


def test_upload_mapping_and_import(users: dict) -> None:
    client = client_for(users["officer_a"])
    response = upload(client, workbook(GOOD))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.user == users["officer_a"] and job.status == ImportJob.Status.MAPPING
    assert job.stored_path == f"imports/{job.sha256}.xlsx"
    assert jobs.file_path(job).exists()

    page = client.get(reverse("imports:mapping", args=[job.pk])).content.decode()
    assert "Sheet <strong>Cán bộ</strong>" in page
    assert '<option value="can_bo" selected>Cán bộ</option>' in page
    assert '<option value="full_name" selected>Họ và tên</option>' in page

    job = upload_and_run(client, workbook(GOOD))
    assert job.status == ImportJob.Status.DONE, job.result
    assert job.result["created"] == 2
    lan = Person.objects.get(personal_id=PID_2)
    assert lan.managing_unit.code == "A"
    reasons = set(ObjectChange.objects.filter(related_person_id=lan.pk).values_list("reason", flat=True))
    assert any("danh-sach.xlsx" in r for r in reasons), reasons

    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Đã nhập xong" in page
    assert reverse("people:list") in page
    listing = client.get(reverse("imports:index")).content.decode()
    assert "Đã nhập xong" in listing and "2 mới" in listing

    # A corrected name for someone already present updates him instead of creating him.
    job = upload_and_run(client, workbook([[PID_1, "Lê Văn Nam Anh", *GOOD[0][2:]], GOOD[1]]))
    assert job.status == ImportJob.Status.DONE
    assert (job.result["created"], job.result["updated"]) == (0, 1)
    assert Person.objects.get(personal_id=PID_1).full_name == "Lê Văn Nam Anh"


def test_failure_lists_every_error_and_gives_the_sheet_back(users: dict) -> None:
    client = client_for(users["officer_a"])
    job = upload_and_run(client, workbook(BAD))
    assert job.status == ImportJob.Status.FAILED
    assert not Person.objects.filter(personal_id__in=[PID_1, PID_2]).exists()  # nothing written
    errors = job.result["errors"]
    assert {e["row"] for e in errors} == {3}
    assert len(errors) >= 2  # sex and birth date, both reported

    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Có lỗi, chưa ghi gì" in page
    assert "Tải tệp kèm cột lỗi" in page
    for e in errors:
        assert f"Sheet Cán bộ, dòng 3, cột {e['column']}: {e['message']}".replace('"', "&quot;") in page

    response = client.get(reverse("imports:errors", args=[job.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Cán bộ"]
    header = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    assert "Lỗi" in header
    col = header.index("Lỗi") + 1
    assert sheet.cell(row=3, column=col).value
    assert not sheet.cell(row=2, column=col).value

    # The wrong cells are shaded as well as the "Lỗi" cell; the right ones are not.
    red = "FFC7CE"
    for name in ("Giới tính", "Ngày sinh"):
        assert sheet.cell(row=3, column=HEADERS.index(name) + 1).fill.fgColor.rgb.endswith(red), name
    assert sheet.cell(row=3, column=col).fill.fgColor.rgb.endswith(red)
    assert sheet.cell(row=3, column=HEADERS.index("Họ và tên") + 1).fill.fill_type is None
    assert sheet.cell(row=2, column=HEADERS.index("Giới tính") + 1).fill.fill_type is None

    # The officer corrects the cells in the file he got back, error column left in, and uploads it.
    sheet.cell(row=3, column=HEADERS.index("Giới tính") + 1).value = "Nữ"
    sheet.cell(row=3, column=HEADERS.index("Ngày sinh") + 1).value = "28/02/1990"
    out = io.BytesIO()
    book.save(out)
    job = upload_and_run(client, out.getvalue())
    assert job.status == ImportJob.Status.DONE, job.result
    assert Person.objects.filter(personal_id__in=[PID_1, PID_2]).count() == 2


def test_errors_are_paginated(users: dict) -> None:
    client = client_for(users["officer_a"])
    rows = [
        [make_personal_id(province_prefix="010", sex="nam", birth_year=1980, serial=800000 + i),
         f"Người Thứ {i}", "?", "1980", "Kinh", "Công chức", "A1"]
        for i in range(150)
    ]  # fmt: skip
    job = upload_and_run(client, workbook(rows))
    assert job.status == ImportJob.Status.FAILED
    assert len(job.result["errors"]) >= 150
    first = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Trang 1/" in first and "dòng 2," in first
    second = client.get(reverse("imports:job", args=[job.pk]) + "?trang=2").content.decode()
    assert "Trang 2/" in second


def test_check_only_then_import(users: dict) -> None:
    client = client_for(users["officer_a"])
    job = upload_and_run(client, workbook(GOOD), action="check")
    assert job.status == ImportJob.Status.DONE and job.dry_run
    assert not Person.objects.filter(personal_id=PID_1).exists()
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Không có lỗi." in page and "Chưa ghi gì" in page
    response = client.post(reverse("imports:commit", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and not job.dry_run
    assert Person.objects.filter(personal_id=PID_1).exists()
    # Committing twice is refused.
    assert client.post(reverse("imports:commit", args=[job.pk])).status_code == 400
    assert Person.objects.filter(personal_id=PID_1).count() == 1


def test_mapping_corrects_an_unknown_header_and_is_saved_for_reuse(users: dict) -> None:
    client = client_for(users["officer_a"])
    headers = [*HEADERS[:1], "Tên đầy đủ của cán bộ", *HEADERS[2:]]
    response = upload(client, workbook(GOOD, headers=headers))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    data = proposed_post(client, job, action="run", save_as="Danh sách huyện A")
    assert data["col_0_1"] == ""  # not recognised
    data["col_0_1"] = "full_name"
    response = client.post(reverse("imports:mapping", args=[job.pk]), data)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.result
    assert Person.objects.get(personal_id=PID_1).full_name == "Lê Văn Nam"
    saved = SavedMapping.objects.get(name="Danh sách huyện A")
    assert saved.created_by == users["officer_a"]
    assert saved.mapping["can_bo"]["Tên đầy đủ của cán bộ"] == "full_name"

    # Next file, same headers: the saved mapping preselects the corrected column.
    upload(client, workbook(GOOD, headers=headers))
    job2 = ImportJob.objects.latest("pk")
    page = client.get(reverse("imports:mapping", args=[job2.pk]) + f"?dung={saved.pk}")
    assert page.status_code == 200
    assert page.context["form"]["col_0_1"].value() == "full_name"
    # The name is taken now.
    data = proposed_post(client, job2, action="check", save_as="danh sách huyện a")
    response = client.post(reverse("imports:mapping", args=[job2.pk]), data)
    assert response.status_code == 400
    assert "Đã có cách ghép cột tên" in response.content.decode()


def test_kind_select_reloads_the_sheet_columns(users: dict) -> None:
    client = client_for(users["officer_a"])
    upload(client, workbook(GOOD, sheet="Trang tính 1"))
    job = ImportJob.objects.get()
    url = reverse("imports:mapping", args=[job.pk])
    partial = client.get(url, {"sheet": "0", "kind_0": "can_bo"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert '<option value="full_name" selected>Họ và tên</option>' in partial.content.decode()
    skipped = client.get(url, {"sheet": "0", "kind_0": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert "Sheet này sẽ được bỏ qua" in skipped
    assert client.get(url, {"sheet": "0", "kind_0": "khong_co"}).status_code == 400
    assert client.get(url, {"sheet": "7"}).status_code == 400  # no such sheet: a bad parameter


def test_two_sheets_of_one_kind(users: dict) -> None:
    """One sheet per district is common; both are read, and a header they share maps alike."""
    wb = openpyxl.Workbook()
    for n, (title, row) in enumerate((("Huyện A", GOOD[0]), ("Huyện A (tiếp)", GOOD[1]))):
        ws = wb.active if n == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = title
        ws.append(HEADERS)
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    client = client_for(users["officer_a"])
    upload(client, out.getvalue())
    job = ImportJob.objects.get()
    url = reverse("imports:mapping", args=[job.pk])
    data = proposed_post(client, job, action="run", kind_0="can_bo", kind_1="can_bo")
    clash = {**data, "col_1_1": ""}
    response = client.post(url, clash)
    assert response.status_code == 400
    assert "cùng loại có cột “Họ và tên” ghép khác" in response.content.decode()
    assert client.post(url, data).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.result
    assert job.result["created"] == 2


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ds.xlsx", b"", "Tệp rỗng"),
        ("ds.csv", b"Ho ten;Ngay sinh\nA;1980\n", "không phải bảng tính Excel"),
        ("ds.pdf", b"%PDF-1.4", "không phải bảng tính Excel"),
        ("ds.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Chỉ nhận tệp Excel dạng .xlsx"),
        ("ds.xlsm", b"PK\x03\x04rest", "Chỉ nhận tệp Excel dạng .xlsx"),
    ],
)
def test_wrong_files_are_refused_in_vietnamese(users: dict, name: str, content: bytes, message: str) -> None:
    response = upload(client_for(users["officer_a"]), content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_no_file_and_too_large(users: dict, settings: Any) -> None:
    client = client_for(users["officer_a"])
    response = client.post(reverse("imports:index"), {})
    assert response.status_code == 400
    assert "Hãy chọn một tệp Excel" in response.content.decode()
    settings.CANBO_MAX_IMPORT_BYTES = 1000
    response = upload(client, workbook(GOOD))
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def test_hostile_files_are_refused_with_a_message(users: dict) -> None:
    client = client_for(users["officer_a"])
    # Text (a CSV renamed .xlsx), and an old .xls or password-protected workbook renamed .xlsx.
    for content in (b"Ho ten;Ngay sinh\nA;1980\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600):
        response = upload(client, content)
        assert response.status_code == 400
        body = response.content.decode()
        assert "Tệp bị từ chối: " in body and "Tệp bị từ chối: Tệp bị từ chối" not in body
    ImportJob.objects.all().delete()
    # A zip that is not a workbook.
    response = upload(client, _zip({"readme.txt": b"hello"}))
    assert response.status_code == 400
    assert "Tệp bị từ chối" in response.content.decode()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REFUSED and job.result["refused"]

    # A compressed bomb: a huge member of zeros.
    wb = openpyxl.load_workbook(io.BytesIO(workbook(GOOD)))
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src:
        members = {n: src.read(n) for n in src.namelist()}
    members["xl/media/padding.bin"] = b"\0" * (200 * 1024 * 1024)
    response = upload(client, _zip(members), name="bom.xlsx")
    assert response.status_code == 400
    assert "Tệp bị từ chối" in response.content.decode()

    # A formula.
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Cán bộ"
    ws.append(HEADERS)
    ws.append([PID_1, '=HYPERLINK("http://x","a")', "Nam", "1985", "Kinh", "Công chức", "A1"])
    buf = io.BytesIO()
    wb.save(buf)
    response = upload(client, buf.getvalue(), name="cong-thuc.xlsx")
    if response.status_code == 302:  # refused when the rows are read rather than at inspection
        job = ImportJob.objects.latest("pk")
        client.post(reverse("imports:mapping", args=[job.pk]), proposed_post(client, job, action="run"))
        job.refresh_from_db()
        assert job.status in (ImportJob.Status.REFUSED, ImportJob.Status.FAILED)
        assert "ông thức" in client.get(reverse("imports:job", args=[job.pk])).content.decode()
    else:
        assert response.status_code == 400
        assert "ông thức" in response.content.decode()
    assert not Person.objects.filter(personal_id=PID_1).exists()

    refused = ImportJob.objects.filter(status=ImportJob.Status.REFUSED).first()
    assert refused is not None
    page = client.get(reverse("imports:job", args=[refused.pk]))
    assert page.status_code == 200 and "Tệp bị từ chối" in page.content.decode()
    assert client.get(reverse("imports:errors", args=[refused.pk])).status_code == 404


def test_tampered_mapping_is_refused(users: dict) -> None:
    client = client_for(users["officer_a"])
    upload(client, workbook(GOOD))
    job = ImportJob.objects.get()
    url = reverse("imports:mapping", args=[job.pk])
    for key, value, message in [
        ("col_0_1", "password", "không có trong loại sheet này"),
        ("kind_0", "khong_co", "Loại sheet không hợp lệ"),
        ("col_0_2", "full_name", "mỗi trường chỉ một cột"),
    ]:
        data = proposed_post(client, job, action="run")
        data[key] = value
        response = client.post(url, data)
        assert response.status_code == 400, key
        assert message in response.content.decode(), key
    data = proposed_post(client, job, action="run", kind_0="")
    response = client.post(url, data)
    assert response.status_code == 400
    assert "ít nhất một sheet" in response.content.decode()
    assert client.get(url + "?dung=abc").status_code == 400  # not an id
    bad_saved = client.get(url + "?dung=987654")
    assert bad_saved.status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING
    assert client.post(reverse("imports:commit", args=[job.pk])).status_code == 400


# --- running in the background ------------------------------------------------------------------


def test_progress_partial_and_refresh(users: dict) -> None:
    client = client_for(users["officer_a"])
    upload(client, workbook(GOOD))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        progress_phase=ImportJob.Phase.CHECKING,
        progress_done=40,
        progress_total=160,
        progress_label="Đang kiểm tra sheet Cán bộ",
        worker=jobs.this_worker(),  # this process: alive
        heartbeat=timezone.now(),
    )
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "25%" in page
    partial = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "Đang kiểm tra sheet Cán bộ" in partial.content.decode()
    assert "Đang kiểm tra và ghi" in client.get(reverse("imports:index")).content.decode()

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, result={"ok": True})
    done = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and done["HX-Refresh"] == "true"


def test_a_queued_run_says_it_waits_for_the_worker(users: dict, settings: Any) -> None:
    """With the database backend and no worker, the job waits, and says so; it is not stale."""
    from canbo.conftest import DATABASE_TASKS

    settings.TASKS = DATABASE_TASKS
    client = client_for(users["officer_a"])
    upload(client, workbook(GOOD))
    job = ImportJob.objects.get()
    client.post(reverse("imports:mapping", args=[job.pk]), proposed_post(client, job, action="run"))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and job.progress_phase == ImportJob.Phase.QUEUED
    assert job.task_id
    partial = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "Đang chờ xử lý nền" in partial.content.decode()
    assert "tiến trình xử lý nền nhận việc" in partial.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    assert not Person.objects.filter(personal_id__in=[PID_1, PID_2]).exists()


def test_a_run_whose_worker_is_gone_is_shown_as_interrupted(users: dict) -> None:
    client = client_for(users["officer_a"])
    upload(client, workbook(GOOD))
    job = ImportJob.objects.get()
    gone = subprocess.Popen(["true"])  # a process of this machine that has ended
    gone.wait()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        progress_phase=ImportJob.Phase.WRITING,
        worker=f"{socket.gethostname()}:{gone.pid}",
        heartbeat=timezone.now(),
    )
    listing = client.get(reverse("imports:index")).content.decode()
    assert "Bị gián đoạn" in listing
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "bị gián đoạn" in page

    # A live worker with a recent heartbeat is left alone.
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, progress_phase=ImportJob.Phase.WRITING, worker=jobs.this_worker()
    )
    client.get(reverse("imports:index"))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING

    # A worker silent for longer than STALE_AFTER is taken for dead, whatever its pid says.
    old = timezone.now() - jobs.STALE_AFTER - dt.timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat=old)
    client.get(reverse("imports:job", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_the_task_runs_the_import(users: dict) -> None:
    """The view enqueues the task (run at once by the immediate backend in tests)."""
    client = client_for(users["officer_a"])
    job = upload_and_run(client, workbook(GOOD))
    assert job.status == ImportJob.Status.DONE, job.result
    assert job.finished is not None and job.task_id and job.progress_phase == ""
    assert job.worker == jobs.this_worker()
    assert Person.objects.filter(personal_id__in=[PID_1, PID_2]).count() == 2


def test_error_file_gives_formulas_back_as_text(users: dict) -> None:
    """A formula, or text that would become one, comes back as text in the error file."""
    client = client_for(users["officer_a"])
    rows = [
        [PID_1, '=HYPERLINK("http://example.invalid","Nam")', "Nam", "12/03/1985", "Kinh", "Công chức", "A1"],
        [PID_2, "@SUM(1+1)", "-1+2", "+31/02/1990", "Kinh", "Công chức", "A"],
    ]
    job = upload_and_run(client, workbook(rows))
    assert job.status == ImportJob.Status.FAILED
    response = client.get(reverse("imports:errors", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Cán bộ"]
    name = HEADERS.index("Họ và tên") + 1
    assert str(sheet.cell(row=2, column=name).value).startswith("=HYPERLINK(")
    for row, column in ((2, name), (3, name), (3, name + 1), (3, name + 2)):
        cell = sheet.cell(row=row, column=column)
        assert cell.data_type == "s", (row, column, cell.value)
        assert cell.quotePrefix, (row, column)
