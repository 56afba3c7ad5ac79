"""Pages of the salary app (/luong/): the catalogues and the due list."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from canbo.core.dates import format_date
from canbo.core.errors import DomainError
from canbo.core.grants import can_change_anything
from canbo.salary import selectors, services
from canbo.salary.forms import DecisionForm, DueForm


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
    return _render_list(request, form, DecisionForm(), status=200)


def _xlsx(request: HttpRequest, form: DueForm) -> HttpResponse:
    from canbo.salary.exports import due_xlsx

    data = form.cleaned_data
    items = selectors.due_list(request.user, data["don_vi"], data["ngay"], data["so_thang"])
    body = due_xlsx(items, unit=data["don_vi"], as_of=data["ngay"], months=data["so_thang"])
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="den-han-nang-luong-{data["ngay"]:%Y%m%d}.xlsx"'
    return response


def _render_list(request: HttpRequest, form: DueForm, decision: DecisionForm, *, status: int) -> HttpResponse:
    data = form.cleaned_data
    items = selectors.due_list(request.user, data["don_vi"], data["ngay"], data["so_thang"])
    ctx = {
        "form": form,
        "decision": decision,
        "items": [i for i in items if not i.blocked],
        "blocked": [i for i in items if i.blocked],
        "as_of": data["ngay"],
        "months": data["so_thang"],
        "unit": data["don_vi"],
        "can_decide": can_change_anything(request.user),
    }
    return render(request, "salary/due.html", ctx, status=status)


@login_required
@require_POST
def decide(request: HttpRequest) -> HttpResponse:
    """Record one raise decision for the persons ticked on the due list (all or nothing)."""
    form = DueForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "salary/due.html", {"form": form, "items": None}, status=400)
    decision = DecisionForm(request.POST)
    if not decision.is_valid():
        return _render_list(request, form, decision, status=400)
    data, d = form.cleaned_data, decision.cleaned_data
    try:
        outcome = services.raise_decision(
            acting_user=request.user,
            unit=data["don_vi"],
            as_of=data["ngay"],
            months=data["so_thang"],
            tokens=d["chon"],
            number=d["so_quyet_dinh"],
            decided_on=d["ngay_quyet_dinh"],
            signer=d["nguoi_ky"],
        )
    except (DomainError, ValidationError) as exc:
        text = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
        decision.add_error(None, f"Không ghi quyết định nào: {text}")
        status = exc.status_code if isinstance(exc, DomainError) else 400
        return _render_list(request, form, decision, status=status)
    if outcome.written:
        names = ", ".join(f"{n} ({t})" for n, t in outcome.written)
        messages.success(
            request, f"Đã ghi quyết định {d['so_quyet_dinh']} cho {len(outcome.written)} người: {names}."
        )
    for name, why in outcome.left_out:
        messages.warning(request, f"Không nâng lương cho {name}: {why}.")
    query = urlencode(
        {"don_vi": data["don_vi"].pk, "ngay": format_date(data["ngay"]), "so_thang": data["so_thang"]}
    )
    return HttpResponseRedirect(f"{reverse('salary:due')}?{query}")
