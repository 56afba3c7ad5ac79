"""Creating a plan from a document's text: review of the header and the tasks, one save for all,
nothing written on any error; and moving a saved task to another section."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
from django.test import Client

from canbo.core.models import ObjectChange
from canbo.org.models import Unit
from canbo.plans import services
from canbo.plans.demo import seed_document
from canbo.plans.models import Plan, PlanSection, Task

URL = "/ke-hoach/moi/tu-van-ban/"
HEADER_FIELDS = (
    "kind",
    "number",
    "issued_on",
    "issuer_name",
    "title",
    "unit_code",
    "code",
    "period_start",
    "period_end",
    "implements",
    "note",
)


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def review_post_data(response: Any) -> dict[str, Any]:
    """The review page as the browser would submit it: the header form and every draft task."""
    ctx = response.context
    data: dict[str, Any] = {"sections": ctx["sections_json"], "header": ctx["header_json"], "buoc": "luu"}
    header_form = ctx["header_form"]
    for name in HEADER_FIELDS:
        value = header_form.initial.get(name)
        if isinstance(value, dt.date):
            value = value.strftime("%d/%m/%Y")
        data[header_form.add_prefix(name)] = "" if value is None else value
    formset = ctx["formset"]
    mf = formset.management_form
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[f"{formset.prefix}-{name}"] = mf[name].value()
    for form in formset.forms:
        for name in ("number", "section", "content", "lead", "coords", "deadline"):
            value = form.initial.get(name)
            data[form.add_prefix(name)] = "" if value is None else value
        data[form.add_prefix("include")] = "on"
    return data


def nothing_written() -> bool:
    return not Plan.objects.exists() and not Task.objects.exists() and not PlanSection.objects.exists()


def test_paste_seed_004_review_header_then_save_everything(
    tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    c = client_for(users["officer_a"])
    # The plan list links to the flow.
    assert URL in c.get("/ke-hoach/").content.decode()
    assert c.get(URL).status_code == 200
    r = c.post(URL, {"text": seed_document("004")})
    assert r.status_code == 200
    assert nothing_written()  # reading the text saves nothing
    page = r.content.decode()
    assert "Thông tin kế hoạch" in page and len(r.context["rows"]) == 17
    initial = r.context["header_form"].initial
    # Prefilled from the document's first lines; what it does not say stays empty.
    assert initial["kind"] == "nghi_quyet"
    assert initial["issuer_name"] == "BAN THƯỜNG VỤ TỈNH ỦY"
    assert "tỉnh Bắc Giang đến năm 2025" in initial["title"]
    assert initial["period_end"] == dt.date(2025, 12, 31)
    assert initial["number"] == "" and initial["issued_on"] is None
    assert initial["code"] == "nghi-quyet-moi"  # suggested; the officer may change it
    assert 'value="nghi-quyet-moi"' in page

    data = review_post_data(r)
    assert data["kh-unit_code"] == ""
    # The officer leaves the missing fields empty: 400, each error beside its field, nothing saved.
    r = c.post(URL, data)
    assert r.status_code == 400 and nothing_written()
    errors = r.context["header_form"].errors
    assert set(errors) == {"number", "issued_on", "unit_code"}
    assert "Trường này là bắt buộc." in r.content.decode()

    data.update({"kh-number": "NQ-BTV/TU", "kh-issued_on": "01/01/2016", "kh-unit_code": "A"})
    # A wrong date: 400, nothing written.
    r = c.post(URL, {**data, "kh-issued_on": "31/02/2016"})
    assert r.status_code == 400 and nothing_written()
    assert set(r.context["header_form"].errors) == {"issued_on"}
    # The plan code cleared: 400, nothing written.
    r = c.post(URL, {**data, "kh-code": ""})
    assert r.status_code == 400 and nothing_written()
    assert set(r.context["header_form"].errors) == {"code"}
    # A unit outside the officer's grants: 400 on the unit field, nothing written.
    r = c.post(URL, {**data, "kh-unit_code": "B"})
    assert r.status_code == 400 and nothing_written()
    assert "Bạn không có quyền quản lý kế hoạch ở đơn vị “B”" in r.content.decode()
    # A task without content among the chosen ones: 400, its error next to it, nothing written.
    r = c.post(URL, {**data, "form-3-content": " "})
    assert r.status_code == 400 and nothing_written()
    assert "Nhiệm vụ được chọn lưu phải có nội dung." in r.content.decode()

    r = c.post(URL, data)
    assert r.status_code == 302
    plan = Plan.objects.get()
    assert r["Location"] == f"/ke-hoach/{plan.pk}/"
    assert (plan.code, plan.unit, plan.number) == ("nghi-quyet-moi", tree["A"], "NQ-BTV/TU")
    assert plan.issued_on == dt.date(2016, 1, 1) and plan.period_end == dt.date(2025, 12, 31)
    tasks = list(plan.tasks.order_by("order"))
    assert len(tasks) == 17 and plan.sections.count() == 20
    assert all(t.section is not None for t in tasks[:1])
    # Every record is in the change log, by the officer.
    logged = ObjectChange.objects.filter(action="create", user=users["officer_a"])
    assert logged.filter(object_id=str(plan.pk), content_type__model="plan").count() == 1
    assert logged.filter(content_type__model="task").count() == 17
    assert logged.filter(content_type__model="plansection").count() == 20
    # The document read (its number required) is the reason of the plan and of its tasks (issue 21).
    assert (
        logged.get(content_type__model="plan").reason == "Tạo kế hoạch theo văn bản số NQ-BTV/TU, đã rà soát"
    )
    assert set(logged.filter(content_type__model="task").values_list("reason", flat=True)) == {
        "Trích từ văn bản số NQ-BTV/TU, đã rà soát"
    }
    # The same code again is refused on the field.
    r = c.post(URL, {"text": seed_document("004")})
    assert r.context["header_form"].initial["code"] == "nghi-quyet-moi-2"
    again = review_post_data(r)
    again.update({"kh-number": "X", "kh-issued_on": "01/01/2016", "kh-unit_code": "A", "kh-code": plan.code})
    r = c.post(URL, again)
    assert r.status_code == 400 and "Mã kế hoạch này đã được dùng" in r.content.decode()
    assert Plan.objects.count() == 1 and Task.objects.count() == 17


def test_upload_docx_of_seed_002_prefills_number_date_and_implements(
    tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    c = client_for(users["officer_a"])
    document = docx.Document()
    for line in seed_document("002").splitlines():
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    buf.seek(0)
    buf.name = "de-an-18.docx"
    r = c.post(URL, {"file": buf})
    assert r.status_code == 200 and nothing_written()
    initial = r.context["header_form"].initial
    assert (initial["kind"], initial["number"]) == ("de_an", "18-ĐA/TU")
    assert initial["issued_on"] == dt.date(2020, 12, 11)
    assert (initial["period_start"], initial["period_end"]) == (dt.date(2020, 12, 11), dt.date(2025, 12, 31))
    assert initial["code"] == "de-an-18-da-tu"
    data = review_post_data(r)
    data["kh-unit_code"] = "A"
    r = c.post(URL, data)
    assert r.status_code == 302
    plan = Plan.objects.get(code="de-an-18-da-tu")
    assert plan.tasks.count() == 17
    # A damaged file is refused in Vietnamese, nothing written.
    bad = io.BytesIO(b"not a zip")
    bad.name = "hong.docx"
    r = c.post(URL, {"file": bad})
    assert r.status_code == 400 and "Không đọc được tệp .docx" in r.content.decode()


def test_implements_prefilled_from_the_numbers_cited_in_the_title(
    tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    base = services.plan_create(
        acting_user=users["officer_a"],
        unit=tree["A"],
        code="bt-kh-4447",
        kind="ke_hoach",
        number="4447/KH-UBND",
        issued_on=dt.date(2018, 9, 24),
        issuer_name="UBND tỉnh",
        title="Kế hoạch 4447",
    )
    c = client_for(users["officer_a"])
    r = c.post(URL, {"text": seed_document("001")})
    assert r.context["header_form"].initial["implements"] == "bt-kh-4447"
    data = review_post_data(r)
    assert data["kh-issuer_name"] == ""  # seed 001 does not name its issuer in its head
    data.update({"kh-number": "KH-BS", "kh-unit_code": "A1", "kh-issuer_name": "UBND tỉnh Bến Tre"})
    r = c.post(URL, data)
    assert r.status_code == 302, (r.context["header_form"].errors, r.context["formset"].errors)
    plan = Plan.objects.exclude(pk=base.pk).get()
    assert list(plan.implements.all()) == [base] and plan.unit == tree["A1"]
    assert plan.tasks.count() == 18
    # Another subtree's officer does not see plan 4447: nothing is suggested to him.
    r = client_for(users["officer_b"]).post(URL, {"text": seed_document("001")})
    assert r.context["header_form"].initial["implements"] == ""


def test_who_may_create_from_text(tree: dict[str, Unit], users: dict[str, Any]) -> None:
    assert client_for(users["nogrant"]).get(URL).status_code == 404
    assert client_for(users["leader_a"]).post(URL, {"text": seed_document("004")}).status_code == 404
    assert Client().get(URL).status_code == 302
    r = client_for(users["officer_a"]).post(URL, {"buoc": "luu", "sections": "{hỏng"})
    assert r.status_code == 400 and nothing_written()
    r = client_for(users["officer_a"]).post(URL, {"buoc": "luu", "sections": "[]", "header": "[1]"})
    assert r.status_code == 400 and nothing_written()


def test_move_a_saved_task_to_another_section(
    plan: Plan, tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    s1, s2 = (
        services.SectionInput("I", "Công tác cán bộ"),
        services.SectionInput("II", "Tổ chức thực hiện"),
    )
    (task,) = services.plan_save_tasks(
        acting_user=users["officer_a"],
        plan=plan,
        sections=[s1, s2],
        tasks=[services.TaskInput(content="Rà soát quy hoạch", section_index=0, deadline_text="quý 4/2021")],
    )
    first, second = plan.sections.order_by("order")
    assert task.section == first
    c = client_for(users["officer_a"])
    url = f"/ke-hoach/nhiem-vu/{task.pk}/"
    form = c.get(url).context["edit_form"]
    assert [v for v, _ in form.fields["section"].choices] == ["", first.pk, second.pk]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data["reason"] = "Sửa lỗi nhập liệu"
    url = f"/ke-hoach/nhiem-vu/{task.pk}/sua/"
    # Another plan's section is not a choice: 400, unchanged.
    other = services.plan_create(
        acting_user=users["officer_a"],
        unit=tree["A"],
        code="kh-khac",
        kind="ke_hoach",
        number="1/KH",
        issued_on=dt.date(2021, 1, 1),
        issuer_name="UBND",
        title="Khác",
    )
    (foreign,) = services.plan_save_tasks(
        acting_user=users["officer_a"],
        plan=other,
        sections=[services.SectionInput("I", "Mục khác")],
        tasks=[services.TaskInput(content="x", section_index=0)],
    )
    assert foreign.section is not None
    r = c.post(url, {**data, "section": str(foreign.section.pk)})
    assert r.status_code == 400
    task.refresh_from_db()
    assert task.section == first
    r = c.post(url, {**data, "section": str(second.pk)})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.section == second
    change = ObjectChange.objects.get(
        object_id=str(task.pk), action="update", reason="Sửa nhiệm vụ: Sửa lỗi nhập liệu"
    )
    before, after = change.prechange_data or {}, change.postchange_data or {}
    assert before["section_id"] == first.pk and after["section_id"] == second.pk
    assert change.user == users["officer_a"]
    # Out of every section.
    data["row_version"] = task.row_version
    assert c.post(url, {**data, "section": ""}).status_code == 302
    task.refresh_from_db()
    assert task.section is None
    # The service itself refuses another plan's section.
    try:
        services.task_update(acting_user=users["officer_a"], task=task, changes={"section": foreign.section})
    except services.DomainError as exc:
        assert "Mục không thuộc kế hoạch" in str(exc)
    else:
        raise AssertionError("another plan's section was accepted")
    # Officer of B (not the board) cannot edit.
    assert client_for(users["officer_b"]).post(url, {**data, "section": str(first.pk)}).status_code == 404
