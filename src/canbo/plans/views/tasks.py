"""A task: its page (GET) and one URL and view per action on it — its status and result, its
correction, its deletion, the condition of its deadline, one due date done or open again.

Each action is a ``PlansFormView`` (core.form_views.ServiceFormView): a refusal shows the task's
page again with the action's form and its errors (400, or 409 on a stale form); an htmx post gets
the form alone back (``plans/_task_form.html``), which the page swaps in place.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from canbo.core.context import with_reason
from canbo.core.form_views import is_htmx
from canbo.core.querysets import CHANGE
from canbo.core.views import dated
from canbo.core.views import dated_context as _ctx
from canbo.core.views import page_day as _day
from canbo.org.selectors import unit_label
from canbo.people.services import storage_path
from canbo.plans import selectors, services
from canbo.plans.deadlines import Schedule, describe
from canbo.plans.extract import is_generic
from canbo.plans.forms import (
    ConditionForm,
    OccurrenceForm,
    TaskDeleteForm,
    TaskEditForm,
    TaskStatusForm,
)
from canbo.plans.models import Task, TaskOccurrence
from canbo.plans.views.base import PlansFormView, task_or_404


def _section_choices(task: Task) -> list[tuple[int, str]]:
    return [(sec.pk, str(sec)[:120]) for sec in task.plan.sections.order_by("order", "pk")]


def status_form(task: Task, data: Any = None, files: Any = None) -> TaskStatusForm:
    initial = {
        "status": task.status,
        "completed_on": task.completed_on,
        "result": task.result,
        "evidence_number": task.evidence_number,
        "row_version": task.row_version,
    }
    return TaskStatusForm(data, files, initial=initial)


def edit_form(task: Task, data: Any = None) -> TaskEditForm:
    initial = {
        "number": task.number,
        "section": task.section_id,
        "content": task.content,
        "lead": task.lead_name or (unit_label(task.lead_unit_id) if task.lead_unit_id else ""),
        "coords": task.coordinating_names,
        "deadline": task.deadline_text,
        "row_version": task.row_version,
    }
    return TaskEditForm(data, sections=_section_choices(task), initial=initial)


def condition_form(task: Task, data: Any = None) -> ConditionForm:
    return ConditionForm(data, initial={"met_on": task.condition_met_on, "note": task.condition_note})


def delete_form(task: Task, data: Any = None) -> TaskDeleteForm:
    return TaskDeleteForm(data, initial={"row_version": task.row_version})


def task_page(request: HttpRequest, task: Task, status: int = 200, **bound: Any) -> HttpResponse:
    """The task's page; ``bound`` replaces one action's form (``status_form``, ``edit_form``,
    ``condition_form``, ``delete_form``) with the refused one, ``page_errors`` lists a refusal
    that belongs to no form on the page."""
    user = request.user
    day = _day(request)
    is_board_change = selectors.is_board(user, task.plan, CHANGE)
    can_status = selectors.tasks_for(user, CHANGE).filter(pk=task.pk).exists()
    schedule = Schedule.from_dict(task.schedule)
    occurrences = list(task.occurrences.all())
    reports = selectors.reports_for(user).filter(task=task).order_by("-period__end", "unit__path")
    ctx = _ctx(
        request,
        task=task,
        plan=task.plan,
        schedule=schedule,
        reading=describe(schedule) if task.deadline_text else "Không có thời hạn",
        occurrences=[(o, o.done_on is None and o.due < day and not task.is_closed) for o in occurrences],
        reports=reports,
        can_status=can_status,
        is_board_change=is_board_change,
        status_form=status_form(task),
        edit_form=edit_form(task) if is_board_change else None,
        condition_form=condition_form(task),
        delete_form=delete_form(task),
        page_errors=[],
        coordinating=list(task.coordinating_units.all()),
        lead_generic=task.lead_unit_id is None and is_generic(task.lead_name),
    )
    ctx.update(bound)
    return render(request, "plans/task_detail.html", ctx, status=status)


@dated
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return task_page(request, task_or_404(request.user, pk))


@dated
def task_evidence(request: HttpRequest, pk: int) -> FileResponse:
    task = task_or_404(request.user, pk)
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


class _TaskActionView(PlansFormView):
    """One action on the task of the URL. ``board_only``: the board (change grants on the plan's
    unit); otherwise whoever may record the task's status (the board and the lead unit's
    officers). Others answer 404, as for a task they do not see."""

    board_only = True
    slot = ""  # the task page's context name of this action's form
    partial_template_name = "plans/_task_form.html"
    url_name = ""
    multipart = False
    note = ""

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.task = task_or_404(request.user, kwargs["pk"])
        if self.board_only:
            allowed = selectors.is_board(request.user, self.task.plan, CHANGE)
        else:
            allowed = selectors.tasks_for(request.user, CHANGE).filter(pk=self.task.pk).exists()
        if not allowed:
            raise Http404("Không tìm thấy trang.")

    def make_form(self, data: Any = None) -> forms.Form:
        raise NotImplementedError

    def get_form(self, data: Any = None) -> forms.Form:
        return self.make_form(data)

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        if is_htmx(self.request) and self.request.method == "POST":
            ctx = {
                "form": form,
                "action": reverse(f"plans:{self.url_name}", args=[self.task.pk]),
                "submit": self.submit,
                "danger": self.danger,
                "multipart": self.multipart,
                "note": self.note,
            }
            return render(self.request, self.partial_template_name, ctx, status=status)
        if self.slot:
            bound = {self.slot: form}
        else:  # a form of buttons (a due date done): its errors above the page
            bound = {"page_errors": [e for errors in form.errors.values() for e in errors]}
        return task_page(self.request, self.task, status=status, **bound)

    def success_url(self) -> str:
        return reverse("plans:task", args=[self.task.pk])


class TaskStatusView(_TaskActionView):
    """/ke-hoach/nhiem-vu/<pk>/tinh-trang/: status, result and evidence (409 on a stale form)."""

    board_only = False
    slot = "status_form"
    url_name = "task_status"
    submit = "Lưu tình trạng"
    multipart = True

    def make_form(self, data: Any = None) -> forms.Form:
        return status_form(self.task, data, self.request.FILES if data is not None else None)

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        services.task_set_status(
            acting_user=self.request.user,
            task=self.task,
            status=d["status"],
            completed_on=d["completed_on"],
            result=d["result"],
            evidence_number=d["evidence_number"],
            evidence_file=d["evidence_file"],
            expected_version=d["row_version"],
            reason=with_reason("Cập nhật tình trạng nhiệm vụ", d["reason"]),
        )
        self.task.refresh_from_db()
        return f"Đã ghi tình trạng: {self.task.get_status_display()}."


class TaskEditView(_TaskActionView):
    """/ke-hoach/nhiem-vu/<pk>/sua/: the board corrects the task (409 on a stale form)."""

    slot = "edit_form"
    url_name = "task_edit"
    submit = "Lưu nhiệm vụ"

    def make_form(self, data: Any = None) -> forms.Form:
        return edit_form(self.task, data)

    def perform(self, form: Any) -> str:
        d = dict(form.cleaned_data)
        # The choices are this plan's sections, so the pk is one of them.
        d["section"] = self.task.plan.sections.filter(pk=d["section"]).first() if d["section"] else None
        services.task_correct(
            acting_user=self.request.user,
            task=self.task,
            data=d,
            catalogue=selectors.plan_catalogue(self.task.plan.unit, self.day, self.task.plan.issued_on),
            expected_version=d["row_version"],
            reason=with_reason("Sửa nhiệm vụ", d["reason"]),
        )
        return "Đã lưu nhiệm vụ."


class TaskDeleteView(_TaskActionView):
    """/ke-hoach/nhiem-vu/<pk>/xoa/: the board deletes a task saved by mistake, with a reason."""

    slot = "delete_form"
    url_name = "task_delete"
    submit = "Xóa nhiệm vụ"
    danger = True

    def make_form(self, data: Any = None) -> forms.Form:
        return delete_form(self.task, data)

    def perform(self, form: Any) -> str:
        services.task_delete(
            acting_user=self.request.user,
            task=self.task,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["row_version"],
        )
        return "Đã xóa nhiệm vụ."

    def success_url(self) -> str:
        return reverse("plans:detail", args=[self.task.plan_id])


class TaskConditionView(_TaskActionView):
    """/ke-hoach/nhiem-vu/<pk>/dieu-kien/: the day a conditional deadline's condition was met."""

    slot = "condition_form"
    url_name = "task_condition"
    submit = "Ghi nhận"

    def make_form(self, data: Any = None) -> forms.Form:
        return condition_form(self.task, data)

    def perform(self, form: Any) -> str:
        services.task_record_condition(
            acting_user=self.request.user,
            task=self.task,
            met_on=form.cleaned_data["met_on"],
            note=form.cleaned_data["note"],
            reason=with_reason("Ghi nhận điều kiện của thời hạn", form.cleaned_data["reason"]),
        )
        return "Đã ghi nhận điều kiện; hạn của nhiệm vụ đã được tính lại."


class OccurrenceView(_TaskActionView):
    """/ke-hoach/nhiem-vu/<pk>/lan-den-han/<occ>/: one due date done on the page's day, or open
    again."""

    board_only = False
    http_method_names = ["post"]

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        super().setup_view(request, **kwargs)
        occurrence = TaskOccurrence.objects.filter(pk=kwargs["occ"], task=self.task).first()
        if occurrence is None:
            raise Http404("Không tìm thấy lần đến hạn.")
        self.occurrence = occurrence

    def make_form(self, data: Any = None) -> forms.Form:
        return OccurrenceForm(data)

    def perform(self, form: Any) -> str:
        done = form.cleaned_data["done"] == "1"
        services.occurrence_mark_done(
            acting_user=self.request.user, occurrence=self.occurrence, done_on=self.day if done else None
        )
        return ""
