"""Pages of the salary app (/luong/): the catalogues and the due list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from canbo.salary import selectors
from canbo.salary.forms import DueForm


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
    form = DueForm(request.GET or None, user=request.user)
    ctx: dict = {"form": form, "items": None}
    if not request.GET:
        return render(request, "salary/due.html", ctx)
    if not form.is_valid():
        return render(request, "salary/due.html", ctx, status=400)
    data = form.cleaned_data
    items = selectors.due_list(request.user, data["don_vi"], data["ngay"], data["so_thang"])
    ctx.update(
        {
            "items": [i for i in items if not i.blocked],
            "blocked": [i for i in items if i.blocked],
            "as_of": data["ngay"],
            "months": data["so_thang"],
            "unit": data["don_vi"],
        }
    )
    return render(request, "salary/due.html", ctx)
