"""Reporting: opening a plan's reporting periods, a period's page where each responsible unit
reports on its tasks, and the board's summary exports."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from canbo.core.context import with_reason
from canbo.core.params import parse_id
from canbo.core.views import bad_request, dated
from canbo.org.models import Unit
from canbo.plans import exports, selectors, services
from canbo.plans.forms import PeriodForm, ReportForm
from canbo.plans.models import ReportingPeriod, Task
from canbo.plans.views.base import PlansFormView, board_plan_or_404, period_or_404


class PeriodCreateView(PlansFormView):
    """/ke-hoach/<pk>/ky-bao-cao/moi/: the board opens a period, or the whole year's."""

    template_name = "plans/period_form.html"
    form_class = PeriodForm

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.plan = board_plan_or_404(request.user, kwargs["pk"])

    def context(self) -> dict[str, Any]:
        return self.page_context(plan=self.plan)

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        if d["all_year"]:
            services.periods_ensure_year(acting_user=self.request.user, plan=self.plan, year=d["year"])
        else:
            services.period_create(
                acting_user=self.request.user,
                plan=self.plan,
                kind=d["kind"],
                year=d["year"],
                quarter=d["quarter"] or 0,
                reason="Mở kỳ báo cáo",
            )
        return "Đã mở kỳ báo cáo."

    def success_url(self) -> str:
        return reverse("plans:detail", args=[self.plan.pk])


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


class PeriodView(PlansFormView):
    """/ke-hoach/ky-bao-cao/<pk>/: the period's reports task by task (GET); a responsible unit's
    report on one task (POST, the task in the form). A task the user does not see answers 400."""

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.period = period_or_404(request.user, kwargs["pk"])
        self.task: Task | None = None
        self.units: list[Unit] = []

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        user = request.user
        self.task = (
            selectors.tasks_for(user)
            .filter(pk=parse_id(request.POST.get("task"), "Nhiệm vụ"), plan=self.period.plan)
            .first()
        )
        if self.task is None:
            return bad_request(request, "Không tìm thấy nhiệm vụ.")
        self.units = selectors.reporting_units_for(user, self.task)
        return super().post(request, **kwargs)

    def get_form(self, data: Any = None) -> Any:
        return ReportForm(data, units=self.units) if data is not None else None

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        assert self.task is not None  # noqa: S101 (invariant; narrows the type for mypy)
        services.report_submit(
            acting_user=self.request.user,
            period=self.period,
            task=self.task,
            unit=next(u for u in self.units if u.pk == d["unit"]),
            status=d["status"],
            result=d["result"],
            difficulties=d["difficulties"],
            evidence_number=d["evidence_number"],
            reason=with_reason(f"Báo cáo kỳ {self.period}", d["reason"]),
        )
        return "Đã gửi báo cáo."

    def success_url(self) -> str:
        assert self.task is not None  # noqa: S101 (invariant; narrows the type for mypy)
        return reverse("plans:period", args=[self.period.pk]) + f"#nv-{self.task.pk}"

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        user = self.request.user
        period = self.period
        rows = _period_rows(user, period)
        for row in rows:
            if form is not None and self.task is not None and row["task"].pk == self.task.pk:
                row["form"] = form
            elif row["report_units"]:
                row["form"] = ReportForm(units=row["report_units"], initial={"status": row["task"].status})
            else:
                row["form"] = None
        is_board = selectors.is_board(user, period.plan)
        missing = selectors.missing_reports(period) if is_board else []
        ctx = self.page_context(
            period=period, plan=period.plan, rows=rows, missing=missing, is_board=is_board
        )
        return render(self.request, "plans/period_detail.html", ctx, status=status)


@dated
def period_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    period = period_or_404(request.user, pk)
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
