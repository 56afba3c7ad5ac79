"""The plans pages and API: extraction review, status, reporting, exports, and who sees what."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import docx
import openpyxl
import pytest
from django.test import Client

from canbo.conftest import REASON_HEADERS, kept_person_a, kept_tree, kept_users, official_header
from canbo.core.models import ObjectChange
from canbo.org.models import Unit
from canbo.plans import services
from canbo.plans.demo import seed_document
from canbo.plans.models import Plan, Task, TaskReport, TaskStatus

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")


def client_for(user: Any) -> Client:
    c = Client(headers=REASON_HEADERS)
    c.force_login(user)
    return c


def review_post_data(response: Any) -> dict[str, Any]:
    """The review form as the browser would submit it, from the rendered formset."""
    formset = response.context["formset"]
    data: dict[str, Any] = {"sections": response.context["sections_json"]}
    mf = formset.management_form
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[f"{formset.prefix}-{name}"] = mf[name].value()
    for form in formset.forms:
        for name in ("number", "section", "content", "lead", "coords", "deadline"):
            value = form.initial.get(name)
            data[form.add_prefix(name)] = "" if value is None else value
        data[form.add_prefix("include")] = "on"
    return data


def test_extract_review_then_save(plan: Plan, users: dict[str, Any]) -> None:
    c = client_for(users["officer_a"])
    url = f"/ke-hoach/{plan.pk}/trich/"
    assert c.get(url).status_code == 200
    r = c.post(url, {"text": seed_document("001")})
    assert r.status_code == 200
    assert len(r.context["rows"]) == 18
    assert "Rà soát bản nháp" in r.content.decode()
    assert not Task.objects.exists()  # nothing saved before the officer confirms
    data = review_post_data(r)
    # The officer drops the first task and corrects a deadline, then re-reads it.
    del data["form-0-include"]
    data["form-1-deadline"] = "Q2/2019"
    data["buoc"] = "xem"
    r = c.post(url, data)
    assert r.status_code == 200 and not Task.objects.exists()
    assert "hạn 30/06/2019" in r.content.decode()
    data["buoc"] = "luu"
    r = c.post(url, data)
    assert r.status_code == 302
    tasks = list(plan.tasks.order_by("order"))
    assert len(tasks) == 17
    # the plan's own document is the reason of the tasks read from it (issue 21)
    assert ObjectChange.objects.get(content_type__model="task", object_id=tasks[0].pk).reason == (
        f"Trích từ văn bản số {plan.number}, đã rà soát"
    )
    assert tasks[0].lead_name == "Sở Thông tin và Truyền thông"
    assert tasks[0].deadline_text == "Q2/2019"
    assert tasks[0].schedule["kind"] == "quarter"
    assert tasks[1].coordinating_name_list == ["Ban Tổ chức Tỉnh ủy", "các cơ quan, đơn vị liên quan"]
    assert plan.sections.count() == 9
    assert (
        tasks[0].section is not None and tasks[0].section.title == "Đẩy mạnh công tác thông tin, tuyên truyền"
    )


def test_extract_matches_lead_names_to_the_catalogue_on_save(
    plan: Plan, tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    c = client_for(users["officer_a"])
    url = f"/ke-hoach/{plan.pk}/trich/"
    text = (
        "II. NHIỆM VỤ\n1. Việc chung\n"
        "a) Phòng Nội vụ huyện A chủ trì, phối hợp với Huyện B rà soát (quý 4/2021)."
    )
    r = c.post(url, {"text": text})
    assert r.status_code == 200
    data = review_post_data(r)
    data["buoc"] = "luu"
    assert c.post(url, data).status_code == 302
    task = plan.tasks.get()
    assert task.lead_unit == tree["A1"]
    assert list(task.coordinating_units.all()) == [tree["B"]]
    assert [o.due for o in task.occurrences.all()] == [dt.date(2021, 12, 31)]


def test_extract_from_docx_and_bad_uploads(plan: Plan, users: dict[str, Any]) -> None:
    c = client_for(users["officer_a"])
    url = f"/ke-hoach/{plan.pk}/trich/"
    document = docx.Document()
    for line in seed_document("004").splitlines():
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    buf.seek(0)
    buf.name = "nghi-quyet.docx"
    r = c.post(url, {"file": buf})
    assert r.status_code == 200 and len(r.context["rows"]) == 17
    bad = io.BytesIO(b"not a zip")
    bad.name = "hong.docx"
    r = c.post(url, {"file": bad})
    assert r.status_code == 400 and "Không đọc được tệp .docx" in r.content.decode()
    pdf = io.BytesIO(b"%PDF-1.4")
    pdf.name = "a.pdf"
    r = c.post(url, {"file": pdf})
    assert r.status_code == 400 and "Chỉ nhận tệp .docx hoặc .txt" in r.content.decode()
    r = c.post(url, {"text": "  "})
    assert r.status_code == 400 and "Hãy dán nội dung" in r.content.decode()
    r = c.post(url, {"text": "Văn bản không có nhiệm vụ."})
    assert r.status_code == 400 and "Không tìm thấy nhiệm vụ" in r.content.decode()
    r = c.post(url, {"buoc": "luu", "sections": "{hỏng"})
    assert r.status_code == 400
    for sections in ('{"a": 1}', "[1]", '[{"number": "I"}]'):  # valid JSON, not a draft
        assert c.post(url, {"buoc": "luu", "sections": sections}).status_code == 400
    assert not Task.objects.exists()


def test_other_subtree_and_leaders_cannot_extract(
    plan: Plan, users: dict[str, Any], tasks: dict[str, Task]
) -> None:
    url = f"/ke-hoach/{plan.pk}/trich/"
    assert client_for(users["officer_b"]).get(url).status_code == 404
    assert client_for(users["leader_a"]).get(url).status_code == 404
    assert client_for(users["nogrant"]).get(f"/ke-hoach/{plan.pk}/").status_code == 404
    assert Client(headers=REASON_HEADERS).get(f"/ke-hoach/{plan.pk}/").status_code == 302


def test_pages_show_only_what_the_unit_may_see(
    plan: Plan, users: dict[str, Any], tasks: dict[str, Task]
) -> None:
    b = client_for(users["officer_b"])
    page = b.get(f"/ke-hoach/{plan.pk}/").content.decode()
    assert tasks["quarter"].content in page and tasks["yearly"].content not in page
    assert b.get(f"/ke-hoach/nhiem-vu/{tasks['quarter'].pk}/").status_code == 200
    assert b.get(f"/ke-hoach/nhiem-vu/{tasks['yearly'].pk}/").status_code == 404
    # B coordinates but does not lead: no status form, and a forged post is refused.
    r = b.post(f"/ke-hoach/nhiem-vu/{tasks['quarter'].pk}/tinh-trang/", {"status": "hoan_thanh"})
    assert r.status_code == 404
    assert "Nhiệm vụ" in client_for(users["nogrant"]).get("/ke-hoach/").content.decode()
    assert plan.number not in client_for(users["nogrant"]).get("/ke-hoach/").content.decode()


def test_dashboard_counts_link_to_their_tasks(
    plan: Plan, users: dict[str, Any], tasks: dict[str, Task]
) -> None:
    c = client_for(users["officer_a"])
    r = c.get(f"/ke-hoach/{plan.pk}/?ngay=01/04/2021")
    assert r.context["board"].overdue == 1
    assert f"/ke-hoach/{plan.pk}/?qua-han=1" in r.content.decode()
    r = c.get(f"/ke-hoach/{plan.pk}/?qua-han=1&ngay=01/04/2021")
    assert [row["task"] for row in r.context["tasks"]] == [tasks["quarter"]]
    r = c.get(f"/ke-hoach/{plan.pk}/?den-han=90&ngay=15/10/2021")
    assert [row["task"] for row in r.context["tasks"]] == [tasks["yearly"]]
    r = c.get(f"/ke-hoach/{plan.pk}/?tinh-trang=hoan_thanh")
    assert r.context["tasks"] == []
    unit_page = c.get(f"/ke-hoach/don-vi/{tasks['quarter'].lead_unit_id}/?ngay=01/04/2021")
    assert unit_page.context["board"].total == 2 and unit_page.context["board"].overdue == 1


def test_status_with_evidence_file_and_download(
    plan: Plan, users: dict[str, Any], tasks: dict[str, Task]
) -> None:
    c = client_for(users["officer_a"])
    task = tasks["quarter"]
    url = f"/ke-hoach/nhiem-vu/{task.pk}/tinh-trang/"
    pdf = io.BytesIO(b"%PDF-1.4 ket qua")
    pdf.name = "ket-qua.pdf"
    r = c.post(
        url,
        {
            "status": "hoan_thanh",
            "completed_on": "20/03/2021",
            "result": "Đã ban hành",
            "evidence_number": "12-QĐ/HU",
            "evidence_file": pdf,
            "row_version": task.row_version,
            "reason": "Theo quyết định số 12-QĐ/HU",
        },
    )
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_on == dt.date(2021, 3, 20)
    download = c.get(f"/ke-hoach/nhiem-vu/{task.pk}/tep/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 ket qua"  # type: ignore[attr-defined]
    assert client_for(users["nogrant"]).get(f"/ke-hoach/nhiem-vu/{task.pk}/tep/").status_code == 404
    # A stale form is refused, not silently applied.
    r = c.post(url, {"status": "dung", "row_version": 1, "reason": "x"})
    assert r.status_code == 409
    r = c.post(url, {"status": "hoan_thanh", "row_version": task.row_version, "reason": "x"})
    assert r.status_code == 400 and "ngày hoàn thành" in r.content.decode()


def test_condition_form_sets_the_due_date(plan: Plan, users: dict[str, Any], tasks: dict[str, Task]) -> None:
    c = client_for(users["officer_a"])
    task = tasks["conditional"]
    r = c.post(
        f"/ke-hoach/nhiem-vu/{task.pk}/dieu-kien/",
        {"met_on": "10/05/2021", "note": "HD 05", "reason": "HD 05"},
    )
    assert r.status_code == 302
    assert [o.due for o in task.occurrences.all()] == [dt.date(2021, 8, 10)]
    r = c.post(f"/ke-hoach/nhiem-vu/{task.pk}/dieu-kien/", {"met_on": "31/02/2021"})
    assert r.status_code == 400


def test_reporting_missing_and_exports(
    plan: Plan, tree: dict[str, Unit], users: dict[str, Any], tasks: dict[str, Task]
) -> None:
    a = client_for(users["officer_a"])
    r = a.post(f"/ke-hoach/{plan.pk}/ky-bao-cao/moi/", {"kind": "quy", "year": "2021", "quarter": "1"})
    assert r.status_code == 302
    period = plan.reporting_periods.get()
    r = a.post(f"/ke-hoach/{plan.pk}/ky-bao-cao/moi/", {"kind": "quy", "year": "2021", "quarter": "1"})
    assert r.status_code == 400 and "đã có" in r.content.decode()
    b = client_for(users["officer_b"])
    url = f"/ke-hoach/ky-bao-cao/{period.pk}/"
    report = {"task": tasks["quarter"].pk, "unit": tree["B"].pk, "status": "dang_thuc_hien",
              "result": "Đã góp ý dự thảo"}  # fmt: skip
    # no reason (issue 21): refused in Vietnamese, nothing written
    logged = ObjectChange.objects.count()
    for empty in ({}, {"reason": " "}):
        r = b.post(url, {**report, **empty})
        assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
    assert ObjectChange.objects.count() == logged and not TaskReport.objects.exists()
    r = b.post(url, {**report, "reason": "Báo cáo định kỳ quý I"})
    assert r.status_code == 302
    assert ObjectChange.objects.get(content_type__model="taskreport").reason == (
        f"Báo cáo kỳ {period}: Báo cáo định kỳ quý I"
    )
    # B cannot report as A1, nor on a task it does not see.
    as_a1 = {"task": tasks["quarter"].pk, "unit": tree["A1"].pk, "status": "hoan_thanh", "result": "x"}
    r = b.post(url, {**as_a1, "reason": "x"})
    assert r.status_code == 400
    r = b.post(url, {"task": tasks["yearly"].pk, "unit": tree["B"].pk, "status": "hoan_thanh", "result": "x",
                     "reason": "x"})  # fmt: skip
    assert r.status_code == 400
    assert TaskReport.objects.count() == 1
    page = a.get(url)
    missing = {(m.task.number, m.unit.code) for m in page.context["missing"]}
    assert missing == {("1", "A1"), ("2", "A1"), ("4", "A")}
    assert b.get(f"{url}docx/").status_code == 404  # only the board compiles the summary
    word = a.get(f"{url}docx/")
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.content))
    # The official page (NĐ 30/2020 through core.wordpage): A4 landscape, margins, Times New Roman.
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.left_margin, section.right_margin)
    assert [round(s.mm) if s is not None else None for s in sizes] == [297, 210, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    # The header of an administrative document (NĐ 30/2020): the plan's unit under its parent,
    # the national title and motto, the place and the date the report was made.
    issuer, national = official_header(document)
    assert issuer[:2] == ["TỈNH THỬ NGHIỆM", "HUYỆN A"]
    assert national[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert re.fullmatch(r"Thử nghiệm, ngày \d\d tháng \d\d? năm \d{4}", national[-1])
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells] == [
        "STT",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Tình trạng",
        "Kết quả thực hiện",
    ]
    first = [c.text for c in table.rows[1].cells]
    assert first[1] == "Xây dựng quy định đánh giá cán bộ" and first[2] == "Phòng Nội vụ huyện A"
    assert "Huyện B: Đã góp ý dự thảo" in first[4] or first[4] == "Đã góp ý dự thảo"
    assert any("BÁO CÁO KẾT QUẢ" in p.text for p in document.paragraphs)
    excel = a.get(f"{url}xlsx/")
    ws = openpyxl.load_workbook(io.BytesIO(excel.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert rows[0][:5] == ("STT", "Nhiệm vụ", "Đơn vị chủ trì", "Tình trạng", "Kết quả thực hiện")
    assert len(rows) == 5 and rows[1][5:] == (1, 2)
    assert a.get(f"{url}pdf/").status_code == 404


def test_period_report_workbook_writes_results_as_text(
    plan: Plan, tree: dict[str, Unit], users: dict[str, Any], tasks: dict[str, Task]
) -> None:
    """A reported result "=1+2" (the probe's) is text in the period workbook, not a formula."""
    a = client_for(users["officer_a"])
    r = a.post(f"/ke-hoach/{plan.pk}/ky-bao-cao/moi/", {"kind": "quy", "year": "2021", "quarter": "1"})
    assert r.status_code == 302
    period = plan.reporting_periods.get()
    url = f"/ke-hoach/ky-bao-cao/{period.pk}/"
    b = client_for(users["officer_b"])
    report = {"task": tasks["quarter"].pk, "unit": tree["B"].pk, "status": "dang_thuc_hien", "result": "=1+2",
              "reason": "x"}  # fmt: skip
    assert b.post(url, report).status_code == 302
    ws = openpyxl.load_workbook(io.BytesIO(a.get(f"{url}xlsx/").content)).active
    assert ws is not None
    cells = [c for row in ws.iter_rows(min_row=5) for c in row if isinstance(c.value, str)]
    result = next(c for c in cells if c.value == "=1+2")
    assert result.data_type == "s" and result.quotePrefix
    numbers = [c.value for row in ws.iter_rows(min_row=5) for c in row[5:]]
    assert all(isinstance(n, int) for n in numbers)  # counts stay numbers


def test_plan_create_form(tree: dict[str, Unit], users: dict[str, Any]) -> None:
    c = client_for(users["officer_a"])
    data = {
        "kind": "ke_hoach",
        "number": "5/KH-UBND",
        "issued_on": "15/02/2022",
        "issuer_name": "UBND huyện A",
        "title": "Kế hoạch mới",
        "unit_code": "A",
        "code": "kh-moi",
        "period_start": "",
        "period_end": "",
        "implements": "",
        "note": "",
    }
    assert c.post("/ke-hoach/moi/", {**data, "unit_code": "KHONG"}).status_code == 400
    assert c.post("/ke-hoach/moi/", {**data, "issued_on": "30/02/2022"}).status_code == 400
    # Officer of A cannot keep a plan in B's subtree.
    r = c.post("/ke-hoach/moi/", {**data, "unit_code": "B"})
    assert r.status_code == 400 and not Plan.objects.exists()
    r = c.post("/ke-hoach/moi/", data)
    assert r.status_code == 302
    assert Plan.objects.get().issued_on == dt.date(2022, 2, 15)
    logged = ObjectChange.objects.get(content_type__model="plan", object_id=Plan.objects.get().pk)
    assert logged.reason == "Tạo kế hoạch theo văn bản số 5/KH-UBND"
    assert client_for(users["nogrant"]).get("/ke-hoach/moi/").status_code == 404


def test_api(plan: Plan, tree: dict[str, Unit], users: dict[str, Any], tasks: dict[str, Task]) -> None:
    a = client_for(users["officer_a"])
    b = client_for(users["officer_b"])
    assert {t["id"] for t in a.get(f"/api/plans/tasks/?ke_hoach={plan.pk}").json()["results"]} == {
        t.pk for t in tasks.values()
    }
    got = b.get("/api/plans/tasks/").json()["results"]
    assert [t["id"] for t in got] == [tasks["quarter"].pk]
    assert got[0]["deadline_reading"] == "hạn 31/03/2021"
    assert b.get(f"/api/plans/tasks/{tasks['yearly'].pk}/").status_code == 404
    assert client_for(users["nogrant"]).get(f"/api/plans/{plan.pk}/").status_code == 404
    r = b.post(
        f"/api/plans/tasks/{tasks['quarter'].pk}/status/",
        {"status": "dung", "row_version": tasks["quarter"].row_version},
        content_type="application/json",
    )
    assert r.status_code == 404
    r = a.post(
        f"/api/plans/tasks/{tasks['quarter'].pk}/status/",
        {"status": "hoan_thanh", "row_version": tasks["quarter"].row_version},
        content_type="application/json",
    )
    assert r.status_code == 400 and "ngày hoàn thành" in r.json()["detail"]
    r = a.post(
        f"/api/plans/tasks/{tasks['quarter'].pk}/status/",
        {"status": "dang_thuc_hien", "row_version": tasks["quarter"].row_version},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status_label"] == "Đang thực hiện"
    period = services.period_create(acting_user=users["officer_a"], plan=plan, kind="nam", year=2021)
    body = {
        "period": period.pk,
        "task": tasks["quarter"].pk,
        "unit": tree["B"].pk,
        "status": "dang_thuc_hien",
        "result": "Đang làm",
    }
    assert b.post("/api/plans/reports/", body, content_type="application/json").status_code == 201
    r = b.post("/api/plans/reports/", {**body, "unit": tree["A1"].pk}, content_type="application/json")
    assert r.status_code in (403, 404)
    assert len(a.get("/api/plans/reports/").json()["results"]) == 1
    assert a.get("/api/plans/periods/").json()["results"][0]["title"] == "Năm 2021"


def test_unit_dashboard_covers_the_subtree_and_owed_reports(
    plan: Plan, tree: dict[str, Unit], users: dict[str, Any], tasks: dict[str, Task]
) -> None:
    services.period_create(acting_user=users["officer_a"], plan=plan, kind="quy", year=2021, quarter=1)
    c = client_for(users["officer_a"])
    page = c.get(f"/ke-hoach/don-vi/{tree['A'].pk}/?ngay=01/05/2021")
    board = page.context["board"]
    assert board.total == 3  # two led by A1, one by A; B's coordination is not A's
    assert board.reports_overdue == 3
    b_page = client_for(users["officer_b"]).get(f"/ke-hoach/don-vi/{tree['B'].pk}/?ngay=01/05/2021")
    assert b_page.context["board"].total == 1 and b_page.context["board"].reports_overdue == 1
    assert client_for(users["officer_b"]).get(f"/ke-hoach/don-vi/{tree['A'].pk}/").status_code == 404


def test_review_shows_the_header_read_and_warns_of_another_document(
    plan: Plan, users: dict[str, Any]
) -> None:
    r = client_for(users["officer_a"]).post(f"/ke-hoach/{plan.pk}/trich/", {"text": seed_document("002")})
    page = r.content.decode()
    assert "18-ĐA/TU" in page and "11/12/2020" in page and "TỈNH UỶ LÀO CAI" in page
    assert "khác số của kế hoạch (12/KH-UBND)" in page


def test_delete_a_task_needs_a_reason_and_the_board(
    plan: Plan, tree: dict[str, Unit], users: dict[str, Any], tasks: dict[str, Task]
) -> None:
    from canbo.core.models import ObjectChange

    task = tasks["quarter"]
    period = services.period_create(acting_user=users["officer_a"], plan=plan, kind="nam", year=2021)
    services.report_submit(
        acting_user=users["officer_b"],
        period=period,
        task=task,
        unit=tree["B"],
        status="dang_thuc_hien",
        result="x",
    )
    url = f"/ke-hoach/nhiem-vu/{task.pk}/xoa/"
    assert client_for(users["officer_b"]).post(url, {"reason": "nhầm"}).status_code == 404
    a = client_for(users["officer_a"])
    r = a.post(url, {"reason": " ", "row_version": str(task.row_version)})
    assert r.status_code == 400 and "lý do" in r.content.decode()
    r = a.post(url, {"reason": "Trích nhầm", "row_version": str(task.row_version)})
    assert r.status_code == 302
    assert not Task.objects.filter(pk=task.pk).exists() and not TaskReport.objects.exists()
    deleted = ObjectChange.objects.filter(action="delete", reason="Trích nhầm")
    assert deleted.count() == 3  # the report, the occurrence, the task


def test_delete_a_task_offers_the_usual_reasons_as_the_other_deletions_do(
    users: dict[str, Any], tasks: dict[str, Task]
) -> None:
    """The deletion's reason is the shared ReasonField: the usual reasons offered under it (its own
    suggestion list on a page of several reason fields), and an empty one refused with the shared
    Vietnamese message, nothing deleted."""
    import html

    from canbo.core.forms import REASON_REQUIRED, USUAL_REASONS

    task = tasks["quarter"]
    a = client_for(users["officer_a"])
    page = html.unescape(a.get(f"/ke-hoach/nhiem-vu/{task.pk}/").content.decode())
    form = page[page.index("<h3>Xóa nhiệm vụ</h3>") :]
    field = re.search(r'<input [^>]*name="reason"[^>]*>', form)
    assert field is not None and 'id="id_xoa_reason"' in field[0] and 'list="id_xoa_reason-goi-y"' in field[0]
    assert '<datalist id="id_xoa_reason-goi-y">' in form
    assert all(f'<option value="{r}">' in form for r in USUAL_REASONS)
    # Each reason field of the page (status, edit, deletion) has its own list.
    lists = re.findall(r'<datalist id="([^"]+)"', page)
    assert len(lists) >= 3 and len(lists) == len(set(lists))
    url = f"/ke-hoach/nhiem-vu/{task.pk}/xoa/"
    r = a.post(url, {"reason": "", "row_version": str(task.row_version)})
    assert r.status_code == 400 and REASON_REQUIRED in html.unescape(r.content.decode())
    assert Task.objects.filter(pk=task.pk).exists()
    r = a.post(url, {"reason": USUAL_REASONS[1], "row_version": str(task.row_version)})
    assert r.status_code == 302 and not Task.objects.filter(pk=task.pk).exists()
    assert ObjectChange.objects.filter(action="delete", object_id=task.pk, reason=USUAL_REASONS[1]).exists()


def test_edit_plan_header_relays_recurring_dues(
    plan: Plan, users: dict[str, Any], tasks: dict[str, Task]
) -> None:
    c = client_for(users["officer_a"])
    url = f"/ke-hoach/{plan.pk}/sua/"
    form = c.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"issued_on": "15/01/2021", "period_start": "01/01/2021", "period_end": "31/12/2024"})
    # no reason (issue 21): refused in Vietnamese, nothing written
    before = ObjectChange.objects.count()
    r = c.post(url, data)
    assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
    assert ObjectChange.objects.count() == before
    data["reason"] = "Sửa lỗi nhập liệu"
    assert c.post(url, {**data, "period_end": "01/01/2020"}).status_code == 400
    assert c.post(url, {**data, "implements": "khong-co"}).status_code == 400
    r = c.post(url, data)
    assert r.status_code == 302
    yearly = tasks["yearly"]
    assert [o.due.year for o in yearly.occurrences.all()] == [2021, 2022, 2023, 2024]
    assert c.post(url, data).status_code == 409  # the version sent is now stale
    assert client_for(users["officer_b"]).get(url).status_code == 404
    assert client_for(users["leader_a"]).get(url).status_code == 404


def test_unreadable_as_of_date_answers_400(plan: Plan, users: dict[str, Any]) -> None:
    c = client_for(users["officer_a"])
    r = c.get(f"/ke-hoach/{plan.pk}/?ngay=32/13/2021")
    assert r.status_code == 400
    assert Client(headers=REASON_HEADERS).get("/ke-hoach/?ngay=hom-qua").status_code == 302  # login first
