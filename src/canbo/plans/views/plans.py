"""Plans: the list, a plan's page with its tasks and dashboard, creating a plan and correcting
its header, and the per-unit dashboard across plans."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from canbo.core.views import dated
from canbo.core.views import dated_context as _ctx
from canbo.core.views import page_day as _day
from canbo.org.models import Unit
from canbo.plans import selectors, services
from canbo.plans.forms import PlanEditForm, PlanForm
from canbo.plans.models import Task, TaskStatus
from canbo.plans.views.base import PlansFormView, board_plan_or_404, dashboard_html, task_rows, task_rows_html


@dated
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_for(request.user).select_related("unit").order_by("-issued_on")
    visible = selectors.tasks_for(request.user)
    rows = []
    day = _day(request)
    for plan in plans:
        tasks = visible.filter(plan=plan)
        rows.append((plan, tasks.count(), selectors.overdue_tasks(tasks, day).count()))
    return render(
        request,
        "plans/plan_list.html",
        _ctx(
            request,
            rows=rows,
            can_create=selectors.can_create_plans(request.user),
            units=selectors.grant_units(request.user),
        ),
    )


class PlanCreateView(PlansFormView):
    """/ke-hoach/moi/: a plan's header typed in; then its tasks are read from the document."""

    template_name = "plans/plan_form.html"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        if not selectors.can_create_plans(request.user):
            raise Http404("Không tìm thấy trang.")

    def get_form(self, data: Any = None) -> PlanForm:
        return PlanForm(data, user=self.request.user)

    def context(self) -> dict[str, Any]:
        return self.page_context()

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        self.plan = services.plan_create(
            acting_user=self.request.user,
            unit=data["unit_code"],
            implements=data["implements"],
            # the plan's own document (number required) is the reason of its creation
            reason=f"Tạo kế hoạch theo văn bản số {data['number']}",
            **{f: data[f] for f in services.PLAN_FIELDS},
        )
        return "Đã tạo kế hoạch. Có thể trích nhiệm vụ từ văn bản."

    def success_url(self) -> str:
        return reverse("plans:extract", args=[self.plan.pk])


class PlanEditView(PlansFormView):
    """/ke-hoach/<pk>/sua/: the board corrects a plan's header (409 on a stale form)."""

    template_name = "plans/plan_form.html"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.plan = board_plan_or_404(request.user, kwargs["pk"])

    def get_form(self, data: Any = None) -> PlanEditForm:
        plan = self.plan
        initial = {f: getattr(plan, f) for f in services.PLAN_EDIT_FIELDS}
        initial["implements"] = ", ".join(plan.implements.values_list("code", flat=True))
        initial["row_version"] = plan.row_version
        return PlanEditForm(data, initial=initial, user=self.request.user)

    def context(self) -> dict[str, Any]:
        return self.page_context(plan=self.plan, editing=True)

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        services.plan_update(
            acting_user=self.request.user,
            plan=self.plan,
            changes={f: data[f] for f in services.PLAN_EDIT_FIELDS},
            implements=data["implements"],
            expected_version=data["row_version"],
            reason=f"Sửa thông tin kế hoạch: {data['reason']}",
        )
        return "Đã lưu thông tin kế hoạch."

    def success_url(self) -> str:
        return reverse("plans:detail", args=[self.plan.pk])


@dated
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_page(request.user, pk)
    if plan is None:
        raise Http404("Không tìm thấy kế hoạch.")
    day = _day(request)
    visible = selectors.tasks_for(request.user).filter(plan=plan)
    params = {k: request.GET.get(k, "") for k in ("tinh-trang", "qua-han", "den-han", "don-vi")}
    # The tasks with their occurrences' dates and coordinating units' ids, in two plain
    # statements (no prefetch; the rows show the lead unit by its id's label).
    tasks = selectors.read_task_details(
        list(selectors.filter_tasks(visible, params, day).order_by("order", "pk"))
    )
    # Unfiltered, the list holds every task the dashboard counts, with their occurrences: its
    # counts and missing reports are computed from them. The periods are read once, for the
    # list and the dashboard.
    periods = list(plan.reporting_periods.order_by("-end"))
    board = selectors.dashboard(
        visible, day, plans=[plan], read=None if any(params.values()) else tasks, periods_of=periods
    )
    base_url = reverse("plans:detail", args=[plan.pk])
    return render(
        request,
        "plans/plan_detail.html",
        _ctx(
            request,
            plan=plan,
            board=board,
            dashboard_html=dashboard_html(board, base_url, day),
            tasks=(rows := task_rows(tasks, day)),
            tasks_html=task_rows_html(rows),
            filtered=any(params.values()),
            can_change=plan.is_kept,  # type: ignore[attr-defined]
            periods=periods,
            base_url=base_url,
            implements=list(plan.implements.all()) if plan.has_implements else [],  # type: ignore[attr-defined]
            # The plan's targets, computed by the indicators app (issue 5), when it has any.
            has_targets=plan.has_targets,  # type: ignore[attr-defined]
            statuses=TaskStatus.choices,
            current_status=params["tinh-trang"],
            current_overdue=bool(params["qua-han"]),
        ),
    )


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
    base_url = reverse("plans:unit", args=[unit.pk])
    return render(
        request,
        "plans/unit_dashboard.html",
        _ctx(
            request,
            unit=unit,
            board=board,
            dashboard_html=dashboard_html(board, base_url, day),
            tasks=(rows := task_rows(listed, day)),
            tasks_html=task_rows_html(rows, show_plan=True),
            filtered=any(params.values()),
            base_url=base_url,
        ),
    )
