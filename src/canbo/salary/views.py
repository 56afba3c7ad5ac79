"""Pages of the salary app (/luong/): the catalogues and the due list."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from canbo.core.dates import format_date
from canbo.core.form_views import ServiceFormView
from canbo.core.forms import USUAL_REASONS
from canbo.core.grants import can_change_anything
from canbo.core.readlog import Kind, record_read
from canbo.salary import selectors, services
from canbo.salary.forms import CapExceptionForm, DecisionForm, DueForm, EarlyForm, FinaliseForm, ProposeForm


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """Grades, scales and base salaries (reference data, readable by every signed-in user)."""
    groups = [(g, g.coefficients()) for g in selectors.groups()]
    ctx = {
        "groups": groups,
        "grades": selectors.grades(),
        "bases": selectors.BaseSalary.objects.all(),
    }
    return render(request, "salary/catalogue.html", ctx)


@login_required
def due(request: HttpRequest) -> HttpResponse:
    """People of a unit subtree due a regular or beyond-frame step in the coming months."""
    # Only the header's date (no unit chosen yet): the empty form, not errors.
    asked = request.GET if set(request.GET) - {"ngay"} else None
    form = DueForm(asked, user=request.user)
    ctx: dict = {"form": form, "items": None}
    if asked is None:
        return render(request, "salary/due.html", ctx)
    if not form.is_valid():
        return render(request, "salary/due.html", ctx, status=400)
    if request.GET.get("xuat") == "xlsx":
        return _xlsx(request, form)
    if request.GET.get("xuat") == "docx":
        return _docx(request, form)
    return _render_list(request, form, DecisionForm(), status=200)


def _record(request: HttpRequest, items: list[Any], data: dict[str, Any], file_format: str) -> None:
    """The due list's document in the read log: one row per person it names (one INSERT)."""
    record_read(
        request,
        [i.person_id for i in items],
        f"Danh sách đến hạn nâng lương ({file_format}), {data['don_vi'].name}, "
        f"tính đến {data['ngay']:%d/%m/%Y}",
        kind=Kind.DOCUMENT,
        count=len(items),
        detail={
            "document": "den_han_nang_luong",
            "as_of": data["ngay"].isoformat(),
            "months": data["so_thang"],
        },
    )


def _xlsx(request: HttpRequest, form: DueForm) -> HttpResponse:
    from canbo.salary.exports import due_xlsx

    data = form.cleaned_data
    items = selectors.due_list(request.user, data["don_vi"], data["ngay"], data["so_thang"])
    body = due_xlsx(items, unit=data["don_vi"], as_of=data["ngay"], months=data["so_thang"])
    _record(request, items, data, "Excel")
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="den-han-nang-luong-{data["ngay"]:%Y%m%d}.xlsx"'
    return response


def _docx(request: HttpRequest, form: DueForm) -> HttpResponse:
    from canbo.salary.exports import due_docx

    data = form.cleaned_data
    items = selectors.due_list(request.user, data["don_vi"], data["ngay"], data["so_thang"])
    body = due_docx(items, unit=data["don_vi"], as_of=data["ngay"], months=data["so_thang"])
    _record(request, items, data, "Word")
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="den-han-nang-luong-{data["ngay"]:%Y%m%d}.docx"'
    return response


DUE_PER_PAGE = 100  # rows of the eligible list shown at once (a province's list runs to thousands)
BLOCKED_PER_PAGE = 50  # verdict cards of the blocked shown at once


def _render_list(request: HttpRequest, form: DueForm, decision: DecisionForm, *, status: int) -> HttpResponse:
    """The list in pages (the counts, the Excel and the Word list are of everyone): a province's
    list holds thousands of people, the blocked each with a verdict card."""
    data = form.cleaned_data
    items = selectors.due_list(request.user, data["don_vi"], data["ngay"], data["so_thang"])
    eligible: list[selectors.DueItem] = []
    held: list[selectors.DueItem] = []
    for i in items:  # one pass: each outcome read once
        (held if i.blocked else eligible).append(i)
    due = Paginator(eligible, DUE_PER_PAGE)
    blocked = Paginator(held, BLOCKED_PER_PAGE)
    ctx = {
        "form": form,
        "decision": decision,
        "items": due.get_page(request.GET.get("trang")),
        "blocked": blocked.get_page(request.GET.get("trang_chan")),
        "digest": selectors.eligible_digest(eligible),
        "as_of": data["ngay"],
        "months": data["so_thang"],
        "unit": data["don_vi"],
        "can_decide": can_change_anything(request.user),
    }
    return render(request, "salary/due.html", ctx, status=status)


class DecideView(ServiceFormView):
    """Record one raise decision for the persons ticked on the due list (all or nothing): the
    project's generic write page (core.form_views) on the list's template; a refusal shows the
    list again with the reason, a person outside the user's grants answers 404."""

    http_method_names = ["post"]
    template_name = "salary/due.html"

    def get_form(self, data: Any = None) -> forms.Form:
        self.due_form = DueForm(data, user=self.request.user)
        return DecisionForm(data, due_form=self.due_form)

    def render_form(self, form: forms.Form, status: int = 200) -> HttpResponse:
        if not self.due_form.is_valid():
            ctx = {"form": self.due_form, "items": None}
            return render(self.request, self.template_name, ctx, status=status)
        if form.non_field_errors():
            form.errors[NON_FIELD_ERRORS] = form.error_class(
                [f"Không ghi quyết định nào: {e}" for e in form.non_field_errors()]
            )
        return _render_list(self.request, self.due_form, form, status=status)  # type: ignore[arg-type]

    def perform(self, form: Any) -> str:
        data, d = self.due_form.cleaned_data, form.cleaned_data
        self.data = data
        outcome = services.raise_decision(
            acting_user=self.request.user,
            unit=data["don_vi"],
            as_of=data["ngay"],
            months=data["so_thang"],
            tokens=[] if d["tat_ca"] else d["chon"],
            everyone=d["dau"] if d["tat_ca"] else "",
            number=d["so_quyet_dinh"],
            decided_on=d["ngay_quyet_dinh"],
            signer=d["nguoi_ky"],
        )
        for name, why in outcome.left_out:
            messages.warning(self.request, f"Không nâng lương cho {name}: {why}.")
        if not outcome.written:
            return ""
        names = ", ".join(f"{n} ({t})" for n, t in outcome.written)
        return f"Đã ghi quyết định {d['so_quyet_dinh']} cho {len(outcome.written)} người: {names}."

    def success_url(self) -> str:
        data = self.data
        query = urlencode(
            {"don_vi": data["don_vi"].pk, "ngay": format_date(data["ngay"]), "so_thang": data["so_thang"]}
        )
        return f"{reverse('salary:due')}?{query}"


# -- early raises (S-9, S-10) --------------------------------------------------------------------


def _early_page(request: HttpRequest, page: EarlyForm, *, status: int = 200, **forms_: Any) -> HttpResponse:
    from canbo.rules.services import can_record_exception
    from canbo.salary import early

    ctx: dict[str, Any] = {"form": page, "rows": None}
    if page.is_valid():
        agency, year = page.cleaned_data["don_vi"], page.cleaned_data["nam"]
        ctx |= {
            "agency": agency,
            "year": year,
            "cap": early.cap_of(agency, year),
            "rows": early.proposals(request.user, agency, year),
            "candidates": early.candidates(request.user, agency, year),
            "can_decide": can_change_anything(request.user),
            "can_except": can_record_exception(request.user, agency),
            "propose": forms_.get("propose") or ProposeForm(),
            "usual_reasons": USUAL_REASONS,
            "finalise": forms_.get("finalise") or FinaliseForm(),
            "exception": forms_.get("exception") or CapExceptionForm(),
        }
    return render(request, "salary/early.html", ctx, status=status)


@login_required
def early_index(request: HttpRequest) -> HttpResponse:
    """An agency's early-raise proposals of a year (S-9, S-10) against its cap."""
    if not set(request.GET) - {"ngay"}:
        return render(request, "salary/early.html", {"form": EarlyForm(user=request.user), "rows": None})
    page = EarlyForm(request.GET, user=request.user)
    return _early_page(request, page, status=200 if page.is_valid() else 400)


class _EarlyWrite(ServiceFormView):
    """A write on the early-raise page (core.form_views); a refusal shows the page again."""

    http_method_names = ["post"]
    template_name = "salary/early.html"
    slot = ""

    def get_form(self, data: Any = None) -> forms.Form:
        self.page = EarlyForm(data, user=self.request.user)
        assert self.form_class is not None  # noqa: S101 (invariant; narrows the type for mypy)
        return self.form_class(data, page=self.page)  # type: ignore[call-arg]

    def render_form(self, form: forms.Form, status: int = 200) -> HttpResponse:
        return _early_page(self.request, self.page, status=status, **{self.slot: form})

    def success_url(self) -> str:
        d = self.page.cleaned_data
        return f"{reverse('salary:early')}?{urlencode({'don_vi': d['don_vi'].pk, 'nam': d['nam']})}"

    def target(self) -> tuple[Any, int]:
        return self.page.cleaned_data["don_vi"], self.page.cleaned_data["nam"]


class EarlyProposeView(_EarlyWrite):
    form_class = ProposeForm
    slot = "propose"

    def perform(self, form: Any) -> str:
        from canbo.salary import early

        agency, year = self.target()
        d = form.cleaned_data
        saved = early.propose(acting_user=self.request.user, agency=agency, year=year, person_id=d["nguoi"],
                              award_id=d["khen_thuong"], months=d["so_thang"],
                              reason=d["reason"])  # fmt: skip
        return f"Đã ghi đề nghị cho {saved.person.full_name}: {saved}."


class EarlyFinaliseView(_EarlyWrite):
    form_class = FinaliseForm
    slot = "finalise"

    def perform(self, form: Any) -> str:
        from canbo.salary import early

        agency, year = self.target()
        d = form.cleaned_data
        done = early.finalise(acting_user=self.request.user, agency=agency, year=year,
                              number=d["so_quyet_dinh"], decided_on=d["ngay_quyet_dinh"])  # fmt: skip
        names = ", ".join(e.person.full_name for e in done)
        number = d["so_quyet_dinh"]
        return f"Đã ghi quyết định {number} nâng bậc lương trước thời hạn cho {len(done)} người: {names}."


class CapExceptionView(_EarlyWrite):
    form_class = CapExceptionForm
    slot = "exception"

    def perform(self, form: Any) -> str:
        from canbo.salary import early

        agency, year = self.target()
        d = form.cleaned_data
        saved = early.record_exception(acting_user=self.request.user, agency=agency, year=year,
                                       extra=d["so_nguoi"], reason=d["ly_do"], basis=d["can_cu"])  # fmt: skip
        return f"Đã ghi ngoại lệ: {saved}."
