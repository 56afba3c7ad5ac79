"""Pages of the indicators app: the plans with targets, a plan's dashboard (table, breakdown by
the units of the next level, trend chart), its Phụ lục 1 exports, the definitions and the
administrators' form for a new one."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views import View

from canbo.core.dates import parse_as_of, today
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.grants import is_admin
from canbo.core.params import parse_optional_id
from canbo.core.readlog import Kind, record_read
from canbo.core.views import BadAsOf, as_of, bad_request
from canbo.indicators import exports, selectors, services
from canbo.indicators.charts import trend_svg
from canbo.indicators.describe import describe
from canbo.indicators.engine import format_int
from canbo.indicators.models import IndicatorDefinition
from canbo.indicators.planning_units import REASONS, unit_verdicts
from canbo.indicators.spec import KINDS
from canbo.org.forms import unit_picker_html
from canbo.org.models import Unit
from canbo.org.selectors import unit_label_on
from canbo.planning.models import PlanningList
from canbo.plans.models import Plan
from canbo.plans.selectors import plans_for

MAX_TREND_DATES = 12


class PlanIndexView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            day = as_of(request)
        except BadAsOf as exc:
            return bad_request(request, exc.message)
        plans = selectors.plans_visible(request.user)
        return render(
            request,
            "indicators/index.html",
            {
                "plans": plans,
                "as_of": day,
                "as_of_is_today": day == today(),
                "can_add": is_admin(request.user),
            },
        )


class Context:
    """The parameters every plan page reads: plan, unit, date; errors as 400/404."""

    def __init__(self, request: HttpRequest, code: str, *, table: bool = True) -> None:
        self.day = as_of(request)
        try:
            self.plan: Plan = selectors.plan_get(request.user, code)
        except NotPermitted as exc:
            raise Http404(exc.message) from exc
        unit_id = parse_optional_id(request.GET.get("don_vi"), "Mã đơn vị (don_vi)")
        if unit_id is not None:
            try:
                self.unit: Unit | None = selectors.unit_get(request.user, pk=unit_id)
            except NotPermitted as exc:
                raise Http404(exc.message) from exc
        else:
            self.unit = selectors.default_unit(request.user)
        self.rows = (
            selectors.plan_table(self.plan, day=self.day, unit=self.unit, user=request.user) if table else []
        )


def counts_units(definition: IndicatorDefinition) -> bool:
    """Whether the indicator counts units that its own page lists (planning lists, I.2-c)."""
    pop = definition.spec.get("population") if isinstance(definition.spec, dict) else None
    return isinstance(pop, dict) and pop.get("source") == "unit" and not definition.pending


def people_url(
    definition: IndicatorDefinition,
    part: str,
    unit: Unit | None,
    day: dt.date,
    plan: Plan | None = None,
    target: Any = None,
    paths: dict[str, str] | None = None,
) -> str:
    """The list behind a number: its people, or its units for an indicator that counts units.
    ``paths``: the two lists' addresses (``list_paths``), for a page that links many numbers."""
    params: dict[str, Any] = {"chi_tieu": definition.pk, "phan": part, "ngay": day.isoformat()}
    if unit is not None:
        params["don_vi"] = unit.pk
    if plan is not None and target is not None and counts_units(definition):
        params = {"xem": target.pk, "phan": part, "ngay": day.isoformat()}
        if unit is not None:
            params["don_vi"] = unit.pk
        units = paths["units"] if paths else reverse("indicators:units", args=[plan.code])
        return units + "?" + urlencode(params)
    return (paths["people"] if paths else reverse("people:list")) + "?" + urlencode(params)


def assessment_badge(row: Any) -> SafeString:
    """The assessment cell of a row (``Row`` or ``BranchRow``): a badge, or a dash when it cannot
    be said. Built here, not by an included template per row (the dashboard has some thirty)."""
    if row.met is True:
        over = ' title="Vượt cận trên của mục tiêu (vẫn là đạt)"' if row.assessment == "vuot" else ""
        return format_html('<span class="badge ok"{}>{}</span>', mark_safe(over), row.assessment_label)  # noqa: S308
    if row.met is False:
        return format_html('<span class="badge warn">{}</span>', row.assessment_label)
    return mark_safe('<span class="muted">—</span>')


def list_paths(plan: Plan) -> dict[str, str]:
    """The addresses ``people_url`` links to, reversed once for a page's fifty links."""
    return {"people": reverse("people:list"), "units": reverse("indicators:units", args=[plan.code])}


def _linkable(definition: IndicatorDefinition, result: Any) -> bool:
    return result.status in ("ok", "empty") and (not result.unit_based or counts_units(definition))


def _trend_days(raw: str, day: dt.date, plan: Plan) -> list[dt.date]:
    if not raw.strip():
        return selectors.yearly(day)
    days = []
    for part in raw.replace(";", ",").split(","):
        if part.strip():
            try:
                days.append(parse_as_of(part.strip()))
            except ValidationError as exc:
                raise BadAsOf(f"Mốc thời gian “{part.strip()}”: {exc.messages[0]}") from exc
    if len(days) > MAX_TREND_DATES:
        raise BadAsOf(f"Chọn tối đa {MAX_TREND_DATES} mốc thời gian.")
    return sorted(set(days))


class DashboardView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        try:
            ctx = Context(request, code)
            days = _trend_days(request.GET.get("moc", ""), ctx.day, ctx.plan)
        except BadAsOf as exc:
            return bad_request(request, exc.message)
        rows = ctx.rows
        chosen = request.GET.get("xem", "")
        selected = next((r for r in rows if str(r.target.pk) == chosen), None)
        if chosen and selected is None:
            return bad_request(request, "Chỉ tiêu được chọn (xem) không thuộc kế hoạch này.")
        if selected is None:
            selected = next((r for r in rows if r.result.status == "ok"), rows[0] if rows else None)
        paths = list_paths(ctx.plan)
        table = [
            {
                "row": r,
                "numerator": format_int(r.result.numerator),
                "population": format_int(r.result.population),
                "tu_url": people_url(r.definition, "tu", ctx.unit, ctx.day, ctx.plan, r.target, paths),
                "mau_url": people_url(r.definition, "mau", ctx.unit, ctx.day, ctx.plan, r.target, paths),
                "linkable": _linkable(r.definition, r.result),
                "badge": assessment_badge(r),
            }
            for r in rows
        ]
        branches, chart = [], ""
        if selected is not None and ctx.unit is not None and selected.result.status != "pending":
            # the breakdown and the trend: their snapshots in one read
            found, points = selectors.breakdown_and_trend(
                selected.target,
                day=ctx.day,
                unit=ctx.unit,
                user=request.user,
                days=days,
                known={ctx.day: selected.result},  # the table's row: same unit, user and date
            )
            for b in found:
                branches.append(  # noqa: PERF401 (one multi-line dict per branch, a handful of them)
                    {
                        "b": b,
                        "numerator": format_int(b.result.numerator),
                        "population": format_int(b.result.population),
                        "tu_url": people_url(
                            selected.definition, "tu", b.unit, ctx.day, ctx.plan, selected.target, paths
                        )
                        if b.unit
                        else "",
                        "mau_url": people_url(
                            selected.definition, "mau", b.unit, ctx.day, ctx.plan, selected.target, paths
                        )
                        if b.unit
                        else "",
                        "linkable": b.unit is not None and _linkable(selected.definition, b.result),
                        "badge": assessment_badge(b),
                        "drill": "?" + urlencode({"don_vi": b.unit.pk, "xem": selected.target.pk})
                        if b.unit
                        else "",
                    }
                )
            chart = mark_safe(trend_svg(points, selected.target))  # built from numbers and escaped text  # noqa: S308
        base = {"ngay": ctx.day.isoformat(), **({"don_vi": ctx.unit.pk} if ctx.unit else {})}
        return render(
            request,
            "indicators/dashboard.html",
            {
                "plan": ctx.plan,
                "unit": ctx.unit,
                "unit_name": unit_label_on(ctx.unit, ctx.day) if ctx.unit else "",
                "parent": Unit.objects.restrict(request.user)
                .filter(pk=Unit.objects.get_parent(ctx.unit).pk)
                .first()
                if ctx.unit and ctx.unit.depth > 1
                else None,
                "table": table,
                "selected": selected,
                "branches": branches,
                "chart": chart,
                "days": days,
                "moc": ", ".join(f"{d:%d/%m/%Y}" for d in days),
                "unit_picker": unit_picker_html("don_vi", ctx.unit, html_id="don_vi"),
                "as_of": ctx.day,
                "as_of_is_today": ctx.day == today(),
                "export_query": urlencode(base),
                # The plan's tasks (issue 6), when the user may open the plan there.
                "plan_tasks_visible": plans_for(request.user).filter(pk=ctx.plan.pk).exists(),
            },
        )


class UnitsView(LoginRequiredMixin, View):
    """The units behind a number of an indicator that counts units (18-ĐA/TU I.2-c): each unit
    of the population with whether it meets the condition, or why not, and its planning lists."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        try:
            ctx = Context(request, code, table=False)
        except BadAsOf as exc:
            return bad_request(request, exc.message)
        raw = request.GET.get("xem", "")
        targets = (
            selectors.plan_targets(ctx.plan, ctx.unit)
            if raw.isascii() and raw.isdigit() and len(raw) < 12
            else []
        )
        chosen = next((t for t in targets if str(t.pk) == raw), None)
        if chosen is None or not counts_units(chosen.definition):
            return bad_request(
                request, "Chỉ tiêu được chọn (xem) không thuộc kế hoạch này hoặc không đếm đơn vị."
            )
        part = request.GET.get("phan", "mau")
        if part not in ("tu", "mau"):
            return bad_request(request, "Phần (phan) chỉ nhận “tu” (đơn vị đạt) hoặc “mau” (tất cả đơn vị).")
        verdicts = unit_verdicts(chosen.definition, day=ctx.day, unit=ctx.unit, user=request.user)
        shown = {pk: reason for pk, (_p, reason) in verdicts.items() if part == "mau" or reason is None}
        units = list(Unit.objects.filter(pk__in=list(shown)).order_by("path"))
        lists: dict[int, list[Any]] = {}
        for pl in (
            PlanningList.objects.restrict(request.user)
            .filter(unit_id__in=list(shown))
            .order_by("-term_start", "kind")
        ):
            lists.setdefault(pl.unit_id, []).append(pl)
        back = {
            "ngay": ctx.day.isoformat(),
            "xem": chosen.pk,
            **({"don_vi": ctx.unit.pk} if ctx.unit else {}),
        }
        return render(
            request,
            "indicators/units.html",
            {
                "plan": ctx.plan,
                "target": chosen,
                "part": part,
                "unit_name": ctx.unit.name_on(ctx.day) if ctx.unit else "",
                "as_of": ctx.day,
                "rows": [
                    {
                        "unit": u,
                        "name": u.name_on(ctx.day),
                        "reason": REASONS.get(shown[u.pk] or "", ""),
                        "lists": lists.get(u.pk, []),
                    }
                    for u in units
                ],
                "met_count": sum(1 for r in shown.values() if r is None),
                "back": urlencode(back),
            },
        )


class ExportView(LoginRequiredMixin, View):
    fmt = "xlsx"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        try:
            ctx = Context(request, code)
        except BadAsOf as exc:
            return bad_request(request, exc.message)
        name = f"chi-tieu-{ctx.plan.code}-{ctx.day:%Y%m%d}.{self.fmt}"
        if self.fmt == "xlsx":
            data = exports.table_xlsx(ctx.plan, ctx.rows, unit=ctx.unit, day=ctx.day)
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            data = exports.table_docx(ctx.plan, ctx.rows, unit=ctx.unit, day=ctx.day)
            mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        record_read(
            request,
            None,
            f"Bảng chỉ tiêu kế hoạch {ctx.plan.code} ({'Excel' if self.fmt == 'xlsx' else 'Word'}), "
            f"tính đến {ctx.day:%d/%m/%Y}",
            kind=Kind.DOCUMENT,
            count=0,
            detail={"document": "chi_tieu", "plan": ctx.plan.code, "as_of": ctx.day.isoformat()},
        )
        response = HttpResponse(data, content_type=mime)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class DefinitionListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "indicators/definitions.html",
            {
                "definitions": [(d, describe(d.kind, d.spec)) for d in IndicatorDefinition.objects.all()],
                "can_add": is_admin(request.user),
                "kinds": KINDS,
            },
        )


class DefinitionForm(forms.Form):
    code = forms.SlugField(
        label="Mã chỉ tiêu", max_length=80, help_text="Chữ thường không dấu, nối bằng “-”."
    )
    label = forms.CharField(label="Tên chỉ tiêu", max_length=300)
    kind = forms.ChoiceField(label="Loại", choices=list(KINDS.items()))
    spec = forms.CharField(
        label="Định nghĩa (TOML)",
        widget=forms.Textarea(attrs={"rows": 10, "cols": 90, "spellcheck": "false"}),
        help_text="Các khóa population, numerator, counted_for… như trong tệp indicators.toml "
        "(xem hướng dẫn Chỉ tiêu).",
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_spec(self) -> dict[str, Any]:
        try:
            return tomllib.loads(self.cleaned_data["spec"])
        except tomllib.TOMLDecodeError as exc:
            raise forms.ValidationError(f"Định nghĩa không đọc được (TOML): {exc}") from exc


class DefinitionCreateView(LoginRequiredMixin, View):
    """Administrators only; a code that exists gets a new version."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not is_admin(request.user):
            return render(
                request, "errors/403.html", {"message": "Chỉ quản trị viên được thêm chỉ tiêu."}, status=403
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "indicators/definition_form.html", {"form": DefinitionForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DefinitionForm(request.POST)
        if form.is_valid():
            try:
                services.definition_create(acting_user=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error("spec", exc.message)
            else:
                return HttpResponseRedirect(reverse("indicators:definitions"))
        return render(request, "indicators/definition_form.html", {"form": form}, status=400)
