"""Pages of the plans app: plans, the extraction review, tasks, reporting, dashboards, exports.

Every read goes through ``selectors`` (grants); every write through ``services``. A record the
user may not see answers 404 as a missing one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify

from canbo.core.errors import ConflictError, DomainError, NotPermitted, error_text
from canbo.core.params import load_json, parse_id, parse_version
from canbo.core.querysets import CHANGE
from canbo.core.text import fold
from canbo.core.views import bad_request, dated
from canbo.core.views import dated_context as _ctx
from canbo.core.views import page_day as _day
from canbo.org.models import Unit
from canbo.org.selectors import unit_label
from canbo.people.services import storage_path
from canbo.plans import exports, selectors, services
from canbo.plans.deadlines import Schedule, describe, parse_deadline
from canbo.plans.extract import Catalogue, ExtractError, extract_plan, is_generic, read_docx
from canbo.plans.forms import (
    ConditionForm,
    DraftTaskFormSet,
    ExtractForm,
    PeriodForm,
    PlanEditForm,
    PlanForm,
    PlanFromTextForm,
    ReportForm,
    TaskEditForm,
    TaskStatusForm,
)
from canbo.plans.models import Plan, PlanKind, ReportingPeriod, Task, TaskStatus
from canbo.plans.selectors import plans_visible


def _plan_or_404(user: Any, pk: int) -> Plan:
    plan = selectors.plans_for(user).filter(pk=pk).select_related("unit").first()
    if plan is None:
        raise Http404("Không tìm thấy kế hoạch.")
    return plan


def _task_or_404(user: Any, pk: int) -> Task:
    task = selectors.tasks_for(user).filter(pk=pk).select_related("plan", "lead_unit", "section").first()
    if task is None:
        raise Http404("Không tìm thấy nhiệm vụ.")
    return task


def _period_or_404(user: Any, pk: int) -> ReportingPeriod:
    period = (
        ReportingPeriod.objects.filter(pk=pk, plan__in=selectors.plans_for(user))
        .select_related("plan")
        .first()
    )
    if period is None:
        raise Http404("Không tìm thấy kỳ báo cáo.")
    return period


def _root_catalogue(plan: Plan, day: dt.date) -> Catalogue:
    """Unit names of the whole province the plan's unit belongs to (lead units are often outside
    the board's own subtree), in force now or when the plan was issued."""
    root = Unit.objects.filter(path=plan.unit.path[: Unit.steplen]).first()
    return selectors.unit_catalogue(root, day, also_on=plan.issued_on)


# ---------------------------------------------------------------- plans


@dated
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_for(request.user).select_related("unit").order_by("-issued_on")
    visible = selectors.tasks_for(request.user)
    rows = []
    day = _day(request)
    for plan in plans:
        tasks = visible.filter(plan=plan)
        rows.append((plan, tasks.count(), selectors.overdue_tasks(tasks, day).count()))
    units = _my_units(request.user)
    return render(
        request,
        "plans/plan_list.html",
        _ctx(request, rows=rows, can_create=_can_create(request.user), units=units),
    )


def _can_create(user: Any) -> bool:
    from canbo.core.grants import can_change_anything

    return can_change_anything(user)


def _my_units(user: Any) -> list[Unit]:
    """The units the user's grants are bound to (for the per-unit dashboard links)."""
    from canbo.core.grants import active_grants

    ids = [g.unit_id for g in active_grants(user) if g.unit_id and not g.is_self]
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


@dated
def plan_create(request: HttpRequest) -> HttpResponse:
    if not _can_create(request.user):
        raise Http404("Không tìm thấy trang.")
    form = PlanForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            implements = _implemented_plans(form, request.user)
            if implements is None:
                pass
            elif Plan.objects.filter(code=form.cleaned_data["code"]).exists():
                form.add_error("code", "Mã kế hoạch này đã được dùng.")
            else:
                try:
                    plan = _plan_create_from(form, request.user, implements, "Tạo kế hoạch")
                except (DomainError, ValidationError) as exc:
                    form.add_error(None, error_text(exc))
                else:
                    messages.success(request, "Đã tạo kế hoạch. Có thể trích nhiệm vụ từ văn bản.")
                    return HttpResponseRedirect(reverse("plans:extract", args=[plan.pk]))
        status = 400
    return render(request, "plans/plan_form.html", _ctx(request, form=form), status=status)


def _posted_sections(request: HttpRequest) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """The draft's sections as they travel in the review form (JSON), with their choices for the
    tasks' "Mục" field; ValueError, KeyError or TypeError when the posted draft is not one."""
    sections = load_json(request.POST.get("sections", "[]"))
    if not isinstance(sections, list) or not all(
        isinstance(s, dict) and type(s.get("level", 1)) is int for s in sections
    ):
        raise TypeError("sections is not a list of sections")
    return sections, [(i, f"{s['number']} {s['title']}"[:120]) for i, s in enumerate(sections)]


def _implemented_plans(form: forms.Form, user: Any) -> list[Plan] | None:
    """The plans named by code in the form's "implements" field, among those the user sees; None
    (with the error on the field) when a code is unknown or out of his reach."""
    codes = [c.strip() for c in (form.cleaned_data.get("implements") or "").split(",") if c.strip()]
    found = list(Plan.objects.restrict(user).filter(code__in=codes))
    missing = set(codes) - {p.code for p in found}
    if missing:
        form.add_error("implements", f"Không tìm thấy kế hoạch mã: {', '.join(sorted(missing))}.")
        return None
    return found


def _plan_create_from(form: PlanForm, user: Any, implements: list[Plan], reason: str) -> Plan:
    """``services.plan_create`` with the header a plan form validated."""
    data = form.cleaned_data
    return services.plan_create(
        acting_user=user,
        unit=data["unit_code"],
        implements=implements,
        reason=reason,
        **{f: data[f] for f in services.PLAN_FIELDS},
    )


@dated
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request.user, pk)
    if not selectors.is_board(request.user, plan, CHANGE):
        raise Http404("Không tìm thấy kế hoạch.")
    initial = {f: getattr(plan, f) for f in services.PLAN_EDIT_FIELDS}
    initial["implements"] = ", ".join(plan.implements.values_list("code", flat=True))
    initial["row_version"] = plan.row_version
    form = PlanEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            implements = _implemented_plans(form, request.user)
            if implements is not None:
                try:
                    services.plan_update(
                        acting_user=request.user,
                        plan=plan,
                        changes={f: data[f] for f in services.PLAN_EDIT_FIELDS},
                        implements=implements,
                        expected_version=data["row_version"],
                        reason="Sửa thông tin kế hoạch",
                    )
                except ConflictError as exc:
                    form.add_error(None, str(exc))
                    status = 409
                except (DomainError, ValidationError) as exc:
                    form.add_error(None, error_text(exc))
                else:
                    messages.success(request, "Đã lưu thông tin kế hoạch.")
                    return HttpResponseRedirect(reverse("plans:detail", args=[plan.pk]))
        status = 409 if status == 409 else 400
    return render(
        request, "plans/plan_form.html", _ctx(request, form=form, plan=plan, editing=True), status=status
    )


def _filter_query(params: dict[str, str]) -> str:
    return urlencode({k: v for k, v in params.items() if v})


@dated
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request.user, pk)
    day = _day(request)
    visible = selectors.tasks_for(request.user).filter(plan=plan)
    board = selectors.dashboard(visible, day, plans=[plan])
    params = {k: request.GET.get(k, "") for k in ("tinh-trang", "qua-han", "den-han", "don-vi")}
    tasks = (
        selectors.filter_tasks(visible, params, day)
        .select_related("lead_unit", "section")
        .prefetch_related("coordinating_units", "occurrences")
        .order_by("order", "pk")
    )
    return render(
        request,
        "plans/plan_detail.html",
        _ctx(
            request,
            plan=plan,
            board=board,
            tasks=[_task_row(t, day) for t in tasks],
            filtered=any(params.values()),
            is_board=selectors.is_board(request.user, plan),
            can_change=selectors.is_board(request.user, plan, CHANGE),
            periods=plan.reporting_periods.order_by("-end"),
            base_url=reverse("plans:detail", args=[plan.pk]),
            implements=plan.implements.all(),
            # The plan's targets, computed by the indicators app (issue 5), when it has any.
            has_targets=plans_visible(request.user).filter(pk=plan.pk).exists(),
            statuses=TaskStatus.choices,
            current_status=params["tinh-trang"],
            current_overdue=bool(params["qua-han"]),
        ),
    )


def _task_row(task: Task, day: dt.date) -> dict[str, Any]:
    schedule = Schedule.from_dict(task.schedule)
    occ = list(task.occurrences.all())
    open_occ = [o for o in occ if o.done_on is None]
    overdue = not task.is_closed and any(o.due < day for o in open_occ)
    upcoming = next((o.due for o in open_occ if o.due >= day), None)
    return {
        "task": task,
        "schedule": schedule,
        "reading": describe(schedule) if task.deadline_text else "",
        "overdue": overdue,
        "next_due": upcoming,
        "flagged": schedule.flagged or schedule.incomplete,
    }


# ---------------------------------------------------------------- extraction and review


@dated
def plan_extract(request: HttpRequest, pk: int) -> HttpResponse:
    """Paste or upload → draft → review and correct → save. Nothing is saved before "Lưu"."""
    plan = _plan_or_404(request.user, pk)
    if not selectors.is_board(request.user, plan, CHANGE):
        raise Http404("Không tìm thấy kế hoạch.")
    step = request.POST.get("buoc", "")
    day = _day(request)
    if request.method != "POST" or step == "":
        form = ExtractForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                text = _uploaded_text(form.cleaned_data)
            except ExtractError as exc:
                form.add_error("file", str(exc))
            else:
                draft = extract_plan(text, _root_catalogue(plan, day))
                if not draft.tasks:
                    form.add_error(None, "Không tìm thấy nhiệm vụ nào trong văn bản. Hãy kiểm tra nội dung.")
                else:
                    return _review(
                        request, plan, _draft_sections(draft), _draft_initial(draft), header=draft.header
                    )
        status = 400 if request.method == "POST" else 200
        return render(request, "plans/extract.html", _ctx(request, plan=plan, form=form), status=status)
    # Review steps: the sections travel as JSON, the tasks as a formset.
    try:
        sections, section_choices = _posted_sections(request)
    except (ValueError, KeyError, TypeError):
        return bad_request(request, "Bản nháp không hợp lệ; hãy trích lại từ văn bản.")
    formset = DraftTaskFormSet(request.POST, form_kwargs={"sections": section_choices})
    if not formset.is_valid():
        return _review(request, plan, sections, None, formset=formset, status=400)
    chosen = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("include")]
    if step != "luu" or not chosen:
        if step == "luu":
            messages.error(request, "Chưa chọn nhiệm vụ nào để lưu.")
        return _review(request, plan, sections, None, formset=formset, status=200 if step != "luu" else 400)
    catalogue = _root_catalogue(plan, day)
    inputs = [_task_input(d, catalogue) for d in chosen]
    try:
        saved = services.plan_save_tasks(
            acting_user=request.user,
            plan=plan,
            sections=[
                services.SectionInput(s["number"], s["title"], int(s.get("level", 1))) for s in sections
            ],
            tasks=inputs,
            reason="Trích từ văn bản, đã rà soát",
        )
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return _review(request, plan, sections, None, formset=formset, status=400)
    messages.success(request, f"Đã lưu {len(saved)} nhiệm vụ.")
    return HttpResponseRedirect(reverse("plans:detail", args=[plan.pk]))


@dated
def plan_create_from_text(request: HttpRequest) -> HttpResponse:
    """Paste or upload a document with no plan yet → review the header and the tasks → one "Lưu"
    creates the plan, its sections and tasks in one transaction. Nothing is saved before it."""
    if not _can_create(request.user):
        raise Http404("Không tìm thấy trang.")
    user = request.user
    day = _day(request)
    step = request.POST.get("buoc", "")
    if request.method != "POST" or step == "":
        form = ExtractForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                text = _uploaded_text(form.cleaned_data)
            except ExtractError as exc:
                form.add_error("file", str(exc))
            else:
                header = extract_plan(text).header
                draft = extract_plan(text, _user_catalogue(user, day, header.get("issued_on")))
                if not draft.tasks:
                    form.add_error(None, "Không tìm thấy nhiệm vụ nào trong văn bản. Hãy kiểm tra nội dung.")
                else:
                    header_form = PlanFromTextForm(
                        user=user, prefix=HEADER_PREFIX, initial=_header_initial(user, draft.header)
                    )
                    sections = _draft_sections(draft)
                    return _review_new(
                        request, header_form, sections, _draft_initial(draft), header=draft.header
                    )
        status = 400 if request.method == "POST" else 200
        return render(
            request, "plans/extract.html", _ctx(request, plan=None, form=form, new_plan=True), status=status
        )
    try:
        sections, section_choices = _posted_sections(request)
        header = load_json(request.POST.get("header", "{}"))
        if not isinstance(header, dict):
            raise TypeError("header is not an object")
    except (ValueError, KeyError, TypeError):
        return bad_request(request, "Bản nháp không hợp lệ; hãy đọc lại từ văn bản.")
    header_form = PlanFromTextForm(request.POST, user=user, prefix=HEADER_PREFIX)
    formset = DraftTaskFormSet(request.POST, form_kwargs={"sections": section_choices})
    if step != "luu":
        return _review_new(request, header_form, sections, None, formset=formset, header=header)
    # Validate everything before writing anything, so every error shows at once.
    header_ok = header_form.is_valid()
    tasks_ok = formset.is_valid()
    implements = _implemented_plans(header_form, user) if header_ok else None
    header_ok = implements is not None
    chosen = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("include")] if tasks_ok else []
    if tasks_ok and not chosen:
        messages.error(request, "Chưa chọn nhiệm vụ nào để lưu.")
        tasks_ok = False
    if not (header_ok and tasks_ok):
        return _review_new(request, header_form, sections, None, formset=formset, header=header, status=400)
    assert implements is not None  # for mypy: header_ok implies it  # noqa: S101
    try:
        # One transaction: the plan, its sections and tasks are saved together or not at all.
        with transaction.atomic():
            plan = _plan_create_from(header_form, user, implements, "Tạo kế hoạch từ văn bản, đã rà soát")
            catalogue = _root_catalogue(plan, day)
            saved = services.plan_save_tasks(
                acting_user=user,
                plan=plan,
                sections=[
                    services.SectionInput(s["number"], s["title"], int(s.get("level", 1))) for s in sections
                ],
                tasks=[_task_input(d, catalogue) for d in chosen],
                reason="Trích từ văn bản, đã rà soát",
            )
    except NotPermitted:
        header_form.add_error("unit_code", "Bạn không có quyền quản lý kế hoạch ở đơn vị này.")
    except ValidationError as exc:
        _add_model_errors(header_form, exc)
    except DomainError as exc:
        header_form.add_error(None, str(exc))
    else:
        messages.success(request, f"Đã tạo kế hoạch {plan.number} với {len(saved)} nhiệm vụ.")
        return HttpResponseRedirect(reverse("plans:detail", args=[plan.pk]))
    return _review_new(request, header_form, sections, None, formset=formset, header=header, status=400)


HEADER_PREFIX = "kh"
# Model fields of Plan → the header form's fields, to show a model's error next to its field.
_MODEL_TO_FORM = {"unit": "unit_code"}


def _add_model_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, error_text(exc))
        return
    for name, errors in exc.message_dict.items():
        target = _MODEL_TO_FORM.get(name, name)
        form.add_error(target if target in form.fields else None, errors)


def _user_catalogue(user: Any, day: dt.date, issued_on: Any) -> Catalogue:
    """Unit names of the province(s) the user's grants lie in: the plan's unit is not known yet."""
    roots = {u.path[: Unit.steplen] for u in _my_units(user)}
    root = Unit.objects.filter(path=roots.pop()).first() if len(roots) == 1 else None
    return selectors.unit_catalogue(root, day, also_on=_iso_date(issued_on))


def _header_initial(user: Any, header: dict[str, Any]) -> dict[str, Any]:
    """The header form prefilled from what the document's first lines say, a suggested plan code,
    and the plans it implements when their numbers are cited in the title and known here."""
    kind = str(header.get("kind") or "")
    cited = re.findall(r"\b\d+[-/][\w-]+(?:/[\w-]+)?", str(header.get("title") or ""))
    implements = (
        list(Plan.objects.restrict(user).filter(number__in=cited).values_list("code", flat=True))
        if cited
        else []
    )
    return {
        "kind": kind if kind in PlanKind.values else "",
        "number": header.get("number") or "",
        "issued_on": _iso_date(header.get("issued_on")),
        "issuer_name": header.get("issuer_name") or "",
        "title": header.get("title") or "",
        "code": suggest_plan_code(kind, str(header.get("number") or ""), _iso_date(header.get("issued_on"))),
        "period_start": _iso_date(header.get("period_start")),
        "period_end": _iso_date(header.get("period_end")),
        "implements": ", ".join(sorted(implements)),
    }


def suggest_plan_code(kind: str, number: str, issued_on: dt.date | None) -> str:
    """A free plan code from the kind and number ("de-an-18-da-tu"), else the kind and year."""
    kind_part = slugify(fold(kind.replace("_", " "))) or "ke-hoach"
    tail = slugify(fold(number).replace("/", " ")) or (str(issued_on.year) if issued_on else "moi")
    base = f"{kind_part}-{tail}"[:55].strip("-")
    code, n = base, 2
    while Plan.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


def _review_new(
    request: HttpRequest,
    header_form: Any,
    sections: list[dict[str, Any]],
    initial: list[dict[str, Any]] | None,
    *,
    header: dict[str, Any],
    formset: Any = None,
    status: int = 200,
) -> HttpResponse:
    choices = [(i, f"{s['number']} {s['title']}"[:120]) for i, s in enumerate(sections)]
    if formset is None:
        formset = DraftTaskFormSet(initial=initial, form_kwargs={"sections": choices})
    catalogue = _user_catalogue(request.user, _day(request), header.get("issued_on"))
    return render(
        request,
        "plans/review.html",
        _ctx(
            request,
            plan=None,
            new_plan=True,
            header_form=header_form,
            my_units=_my_units(request.user),
            formset=formset,
            rows=_review_rows(formset, catalogue),
            sections_json=json.dumps(sections, ensure_ascii=False),
            header=header,
            header_json=json.dumps(header, ensure_ascii=False),
        ),
        status=status,
    )


def _uploaded_text(data: dict[str, Any]) -> str:
    upload = data.get("file")
    if upload is None:
        return data["text"]
    if upload.name.lower().endswith(".docx"):
        return read_docx(upload)
    try:
        return upload.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExtractError("Tệp văn bản phải ở bảng mã UTF-8.") from exc


def _draft_sections(draft: Any) -> list[dict[str, Any]]:
    return [{"number": s.number, "title": s.title, "level": s.level} for s in draft.sections]


def _draft_initial(draft: Any) -> list[dict[str, Any]]:
    labels = {f"{s.number} {s.title}".strip(): i for i, s in enumerate(draft.sections)}
    return [
        {
            "include": True,
            "number": t.number,
            "section": labels.get(t.section),
            "content": t.content,
            "lead": t.lead.name if t.lead else "",
            "coords": "\n".join(c.name for c in t.coordinating),
            "deadline": t.deadline_text,
        }
        for t in draft.tasks
    ]


def _review(
    request: HttpRequest,
    plan: Plan,
    sections: list[dict[str, Any]],
    initial: list[dict[str, Any]] | None,
    *,
    formset: Any = None,
    status: int = 200,
    header: dict[str, Any] | None = None,
) -> HttpResponse:
    if header is None:
        try:
            header = load_json(request.POST.get("header", "{}"))
        except ValueError:
            header = {}
    header = header if isinstance(header, dict) else {}
    choices = [(i, f"{s['number']} {s['title']}"[:120]) for i, s in enumerate(sections)]
    if formset is None:
        formset = DraftTaskFormSet(initial=initial, form_kwargs={"sections": choices})
    catalogue = _root_catalogue(plan, _day(request))
    return render(
        request,
        "plans/review.html",
        _ctx(
            request,
            plan=plan,
            formset=formset,
            rows=_review_rows(formset, catalogue),
            sections_json=json.dumps(sections, ensure_ascii=False),
            header=header,
            header_json=json.dumps(header, ensure_ascii=False),
            header_kind=dict(PlanKind.choices).get(str(header.get("kind", "")), ""),
            header_date=_iso_date(header.get("issued_on")),
            number_differs=bool(header.get("number"))
            and fold(str(header.get("number"))) != fold(plan.number),
        ),
        status=status,
    )


NO_DEADLINE_READING = (
    "Chưa đọc được thời hạn — văn bản không ghi hoặc hệ thống chưa nhận ra; cần cán bộ xác định"
)


def _review_rows(formset: Any, catalogue: Catalogue) -> list[dict[str, Any]]:
    """Each draft task's form with how its deadline and units were understood."""
    rows = []
    for form in formset.forms:
        value = (
            form.data.get(form.add_prefix("deadline")) if form.is_bound else form.initial.get("deadline")
        ) or ""
        lead = (form.data.get(form.add_prefix("lead")) if form.is_bound else form.initial.get("lead")) or ""
        coords = (
            form.data.get(form.add_prefix("coords")) if form.is_bound else form.initial.get("coords")
        ) or ""
        schedule = parse_deadline(value)
        rows.append(
            {
                "form": form,
                # No deadline read is flagged like an unreadable one: the officer sets it or
                # confirms the document gives none.
                "reading": describe(schedule) if value.strip() else NO_DEADLINE_READING,
                "flagged": schedule.flagged or schedule.incomplete or not value.strip(),
                "lead_match": _match_label(lead, catalogue),
                "coord_matches": [(n, _match_label(n, catalogue)) for n in coords.splitlines() if n.strip()],
            }
        )
    return rows


def _iso_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _match_label(name: str, catalogue: Catalogue) -> dict[str, Any]:
    name = name.strip()
    if not name:
        return {"state": "none"}
    unit_id = catalogue.match(name)
    if unit_id:
        return {"state": "ok", "unit_id": unit_id}
    if is_generic(name):
        return {"state": "generic", "units": len(catalogue.expand(name))}
    return {"state": "unmatched"}


def _task_input(data: dict[str, Any], catalogue: Catalogue) -> services.TaskInput:
    lead_name = (data.get("lead") or "").strip()
    lead_id = catalogue.match(lead_name) if lead_name else None
    names = [n.strip() for n in (data.get("coords") or "").splitlines() if n.strip()]
    coord_ids = [i for i in (catalogue.match(n) for n in names) if i]
    if lead_name and lead_id is None and is_generic(lead_name):
        # "UBND các xã, phường": each commune and ward carries the task out and reports on it
        # (the units that report are the lead unit and the task's units, services.responsible_unit_ids).
        coord_ids += [i for i in catalogue.expand(lead_name) if i not in coord_ids]
    return services.TaskInput(
        content=data["content"],
        number=data.get("number") or "",
        section_index=data.get("section"),
        lead_unit=Unit.objects.filter(pk=lead_id).first() if lead_id else None,
        lead_name=lead_name,
        coordinating_units=list(Unit.objects.filter(pk__in=coord_ids)),
        coordinating_names=names,
        deadline_text=data.get("deadline") or "",
    )


# ---------------------------------------------------------------- tasks


@dated
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request.user, pk)
    user = request.user
    day = _day(request)
    plan = task.plan
    is_board_change = selectors.is_board(user, plan, CHANGE)
    can_status = selectors.tasks_for(user, CHANGE).filter(pk=task.pk).exists()
    status_form = TaskStatusForm(
        initial={
            "status": task.status,
            "completed_on": task.completed_on,
            "result": task.result,
            "evidence_number": task.evidence_number,
            "row_version": task.row_version,
        }
    )
    plan_sections = list(plan.sections.order_by("order", "pk"))
    section_choices = [(sec.pk, str(sec)[:120]) for sec in plan_sections]
    edit_form = TaskEditForm(
        sections=section_choices,
        initial={
            "number": task.number,
            "section": task.section_id,
            "content": task.content,
            "lead": task.lead_name or (unit_label(task.lead_unit_id) if task.lead_unit_id else ""),
            "coords": task.coordinating_names,
            "deadline": task.deadline_text,
            "row_version": task.row_version,
        },
    )
    condition_form = ConditionForm(initial={"met_on": task.condition_met_on, "note": task.condition_note})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "status" and can_status:
                status_form = TaskStatusForm(request.POST, request.FILES)
                if status_form.is_valid():
                    d = status_form.cleaned_data
                    services.task_set_status(
                        acting_user=user,
                        task=task,
                        status=d["status"],
                        completed_on=d["completed_on"],
                        result=d["result"],
                        evidence_number=d["evidence_number"],
                        evidence_file=d["evidence_file"],
                        expected_version=d["row_version"],
                        reason="Cập nhật tình trạng nhiệm vụ",
                    )
                    task.refresh_from_db()
                    messages.success(request, f"Đã ghi tình trạng: {task.get_status_display()}.")
                    return HttpResponseRedirect(request.path)
                status = 400
            elif action == "edit" and is_board_change:
                edit_form = TaskEditForm(request.POST, sections=section_choices)
                if edit_form.is_valid():
                    d = edit_form.cleaned_data
                    catalogue = _root_catalogue(plan, day)
                    data = _task_input({**d, "section": None}, catalogue)
                    services.task_update(
                        acting_user=user,
                        task=task,
                        changes={
                            "number": data.number,
                            # The choices are this plan's sections, so the pk is one of them.
                            "section": next((sec for sec in plan_sections if sec.pk == d["section"]), None),
                            "content": data.content,
                            "lead_unit": data.lead_unit,
                            "lead_name": data.lead_name,
                            "coordinating_names": "\n".join(data.coordinating_names),
                            "deadline_text": data.deadline_text,
                        },
                        coordinating_units=data.coordinating_units,
                        expected_version=d["row_version"],
                        reason="Sửa nhiệm vụ",
                    )
                    messages.success(request, "Đã lưu nhiệm vụ.")
                    return HttpResponseRedirect(request.path)
                status = 400
            elif action == "delete" and is_board_change:
                services.task_delete(
                    acting_user=user,
                    task=task,
                    reason=request.POST.get("reason", ""),
                    expected_version=parse_version(request.POST.get("row_version")),
                )
                messages.success(request, "Đã xóa nhiệm vụ.")
                return HttpResponseRedirect(reverse("plans:detail", args=[plan.pk]))
            elif action == "condition" and is_board_change:
                condition_form = ConditionForm(request.POST)
                if condition_form.is_valid():
                    services.task_record_condition(
                        acting_user=user,
                        task=task,
                        met_on=condition_form.cleaned_data["met_on"],
                        note=condition_form.cleaned_data["note"],
                        reason="Ghi nhận điều kiện của thời hạn",
                    )
                    messages.success(request, "Đã ghi nhận điều kiện; hạn của nhiệm vụ đã được tính lại.")
                    return HttpResponseRedirect(request.path)
                status = 400
            elif action == "occurrence" and can_status:
                occ = task.occurrences.filter(
                    pk=parse_id(request.POST.get("occurrence"), "Lần đến hạn")
                ).first()
                if occ is None:
                    return bad_request(request, "Không tìm thấy lần đến hạn.")
                done = request.POST.get("done") == "1"
                services.occurrence_mark_done(
                    acting_user=user, occurrence=occ, done_on=day if done else None, note=""
                )
                return HttpResponseRedirect(request.path)
            else:
                raise Http404("Không tìm thấy trang.")
        except ConflictError as exc:
            messages.error(request, str(exc))
            status = 409
        except (DomainError, ValidationError) as exc:
            messages.error(request, error_text(exc))
            status = 400
    schedule = Schedule.from_dict(task.schedule)
    occurrences = list(task.occurrences.all())
    reports = selectors.reports_for(user).filter(task=task).order_by("-period__end", "unit__path")
    return render(
        request,
        "plans/task_detail.html",
        _ctx(
            request,
            task=task,
            plan=plan,
            schedule=schedule,
            reading=describe(schedule) if task.deadline_text else "Không có thời hạn",
            occurrences=[(o, o.done_on is None and o.due < day and not task.is_closed) for o in occurrences],
            reports=reports,
            can_status=can_status,
            is_board_change=is_board_change,
            status_form=status_form,
            edit_form=edit_form,
            condition_form=condition_form,
            coordinating=list(task.coordinating_units.all()),
            lead_generic=task.lead_unit_id is None and is_generic(task.lead_name),
        ),
        status=status,
    )


@dated
def task_evidence(request: HttpRequest, pk: int) -> FileResponse:
    task = _task_or_404(request.user, pk)
    if not task.evidence_storage_name:
        raise Http404("Nhiệm vụ chưa có tệp kết quả.")
    path = storage_path(task.evidence_storage_name)
    if not path.exists():
        raise Http404("Không tìm thấy tệp.")
    return FileResponse(
        path.open("rb"),
        content_type=task.evidence_content_type,
        as_attachment=True,
        filename=task.evidence_original_name or "ket-qua",
    )


# ---------------------------------------------------------------- reporting


@dated
def period_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request.user, pk)
    if not selectors.is_board(request.user, plan, CHANGE):
        raise Http404("Không tìm thấy kế hoạch.")
    form = PeriodForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                if d["all_year"]:
                    services.periods_ensure_year(acting_user=request.user, plan=plan, year=d["year"])
                else:
                    services.period_create(
                        acting_user=request.user,
                        plan=plan,
                        kind=d["kind"],
                        year=d["year"],
                        quarter=d["quarter"] or 0,
                        reason="Mở kỳ báo cáo",
                    )
            except (DomainError, ValidationError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, "Đã mở kỳ báo cáo.")
                return HttpResponseRedirect(reverse("plans:detail", args=[plan.pk]))
        status = 400
    return render(request, "plans/period_form.html", _ctx(request, plan=plan, form=form), status=status)


def _period_rows(user: Any, period: ReportingPeriod) -> list[dict[str, Any]]:
    """For each task the user sees: its responsible units, each with its report or none."""
    tasks = (
        selectors.tasks_for(user)
        .filter(plan=period.plan)
        .select_related("lead_unit")
        .prefetch_related("coordinating_units")
        .order_by("order", "pk")
    )
    reports = {(r.task_id, r.unit_id): r for r in period.reports.select_related("unit")}
    visible_reports = set(selectors.reports_for(user).filter(period=period).values_list("pk", flat=True))
    rows = []
    for task in tasks:
        units = [task.lead_unit] if task.lead_unit else []
        units += [u for u in task.coordinating_units.all() if u not in units]
        cells = []
        for u in units:
            r = reports.get((task.pk, u.pk))
            cells.append(
                {"unit": u, "report": r if r and r.pk in visible_reports else None, "reported": r is not None}
            )
        rows.append({"task": task, "cells": cells, "report_units": selectors.reporting_units_for(user, task)})
    return rows


@dated
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period_or_404(request.user, pk)
    user = request.user
    status = 200
    form_errors: dict[int, Any] = {}
    if request.method == "POST":
        task = (
            selectors.tasks_for(user)
            .filter(pk=parse_id(request.POST.get("task"), "Nhiệm vụ"), plan=period.plan)
            .first()
        )
        if task is None:
            return bad_request(request, "Không tìm thấy nhiệm vụ.")
        units = selectors.reporting_units_for(user, task)
        form = ReportForm(request.POST, units=units)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.report_submit(
                    acting_user=user,
                    period=period,
                    task=task,
                    unit=next(u for u in units if u.pk == d["unit"]),
                    status=d["status"],
                    result=d["result"],
                    difficulties=d["difficulties"],
                    evidence_number=d["evidence_number"],
                    reason=f"Báo cáo kỳ {period}",
                )
            except (DomainError, ValidationError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, "Đã gửi báo cáo.")
                return HttpResponseRedirect(request.path + f"#nv-{task.pk}")
        form_errors[task.pk] = form
        status = 400
    rows = _period_rows(user, period)
    for row in rows:
        row["form"] = form_errors.get(row["task"].pk) or (
            ReportForm(units=row["report_units"], initial={"status": row["task"].status})
            if row["report_units"]
            else None
        )
    is_board = selectors.is_board(user, period.plan)
    missing = selectors.missing_reports(period) if is_board else []
    return render(
        request,
        "plans/period_detail.html",
        _ctx(request, period=period, plan=period.plan, rows=rows, missing=missing, is_board=is_board),
        status=status,
    )


@dated
def period_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    period = _period_or_404(request.user, pk)
    if not selectors.is_board(request.user, period.plan):
        raise Http404("Không tìm thấy kỳ báo cáo.")
    summary = exports.period_summary(period)
    suffix = f"-q{period.quarter}" if period.quarter else ""
    name = f"bao-cao-{period.plan.code}-{period.kind}-{period.year}{suffix}"
    if fmt == "docx":
        data, ctype = exports.summary_docx(period, summary), exports.DOCX_TYPE
    elif fmt == "xlsx":
        data, ctype = exports.summary_xlsx(period, summary), exports.XLSX_TYPE
    else:
        raise Http404("Không có định dạng này.")
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# ---------------------------------------------------------------- per-unit dashboard


@dated
def unit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """Tasks a unit leads or coordinates, across plans: counts linking to the lists."""
    unit = Unit.objects.restrict(request.user).filter(pk=pk).first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    day = _day(request)
    tasks: QuerySet[Task] = selectors.unit_tasks(selectors.tasks_for(request.user), unit)
    board = selectors.dashboard(tasks, day)
    board.periods_overdue = selectors.unit_missing_reports(unit, tasks, day)
    board.reports_overdue = sum(n for _, n in board.periods_overdue)
    params = {k: request.GET.get(k, "") for k in ("tinh-trang", "qua-han", "den-han")}
    listed = (
        selectors.filter_tasks(tasks, params, day)
        .select_related("plan", "lead_unit")
        .prefetch_related(Prefetch("occurrences"))
        .order_by("plan__issued_on", "order")
    )
    return render(
        request,
        "plans/unit_dashboard.html",
        _ctx(
            request,
            unit=unit,
            board=board,
            tasks=[_task_row(t, day) for t in listed],
            filtered=any(params.values()),
            base_url=reverse("plans:unit", args=[unit.pk]),
        ),
    )
