"""Pages of the planning app (/quy-hoach/): lists, a list with its entries and structure, adding
and removing entries, creating a list.

Reads go through ``selectors`` (grants on the list's unit); writes through ``services``. A list
the user may not see answers 404 like a missing one; a change without change grants too.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from canbo.core.errors import ConflictError, DomainError, error_text
from canbo.core.grants import can_change_anything
from canbo.core.params import parse_version
from canbo.core.querysets import CHANGE
from canbo.core.views import dated
from canbo.core.views import dated_context as _ctx
from canbo.core.views import page_day as _day
from canbo.planning import checks, selectors, services
from canbo.planning.forms import EntryAddForm, EntryRemoveForm, PlanningListForm
from canbo.planning.models import PlanningEntry, PlanningList


def _list_or_404(request: HttpRequest, pk: int, action: str = "view") -> PlanningList:
    planning_list = selectors.list_get(request.user, pk, action)
    if planning_list is None:
        raise Http404("Không tìm thấy danh sách quy hoạch.")
    return planning_list


@dated
def list_index(request: HttpRequest) -> HttpResponse:
    rows = selectors.list_rows(request.user, _day(request))
    return render(
        request,
        "planning/list_index.html",
        _ctx(request, rows=rows, can_create=can_change_anything(request.user)),
    )


@dated
@require_http_methods(["GET", "POST"])
def list_create(request: HttpRequest) -> HttpResponse:
    if not can_change_anything(request.user):
        raise Http404("Không tìm thấy trang.")
    form = PlanningListForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                planning_list = services.planning_list_create(
                    acting_user=request.user,
                    unit=data["unit_code"],
                    name=data["name"],
                    kind=data["kind"],
                    term_start=data["term"][0],
                    term_end=data["term"][1],
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    note=data["note"],
                )
            except (DomainError, ValidationError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, "Đã lập danh sách quy hoạch.")
                return HttpResponseRedirect(reverse("planning:detail", args=[planning_list.pk]))
        status = 400
    return render(request, "planning/list_form.html", _ctx(request, form=form), status=status)


def _detail(
    request: HttpRequest, planning_list: PlanningList, form: EntryAddForm | None, status: int
) -> HttpResponse:
    can_change = selectors.can_change_list(request.user, planning_list)
    if can_change and form is None:
        form = EntryAddForm(
            user=request.user, planning_list=planning_list, initial={"added_on": _day(request)}
        )
    return render(
        request,
        "planning/list_detail.html",
        _ctx(
            request,
            pl=planning_list,
            view=selectors.list_view(planning_list, _day(request)),
            can_change=can_change,
            form=form if can_change else None,
        ),
        status=status,
    )


@dated
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _list_or_404(request, pk), None, 200)


@dated
@require_POST
def entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    planning_list = _list_or_404(request, pk, CHANGE)
    form = EntryAddForm(request.POST, user=request.user, planning_list=planning_list)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.planning_entry_add(
                acting_user=request.user,
                planning_list=planning_list,
                person=data["nguoi"],
                title=data["chuc_danh"],
                added_on=data["added_on"],
                decision=data["decision"],
                reason=data["reason"],
            )
        except (DomainError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            verdict = checks.entry_verdict(request.user, entry)
            messages.success(
                request,
                f"Đã bổ sung {entry.person.full_name} vào quy hoạch chức danh {entry.title.name}. "
                f"Kiểm tra điều kiện: {verdict.summary}",
            )
            return HttpResponseRedirect(reverse("planning:entry", args=[entry.pk]))
    return _detail(request, planning_list, form, 400)


def _entry_page(
    request: HttpRequest, entry: PlanningEntry, form: EntryRemoveForm | None, status: int
) -> HttpResponse:
    can_change = selectors.can_change_list(request.user, entry.planning_list)
    if can_change and form is None and entry.removed_on is None:
        form = EntryRemoveForm(initial={"removed_on": _day(request), "row_version": entry.row_version})
    return render(
        request,
        "planning/entry_detail.html",
        _ctx(
            request,
            entry=entry,
            pl=entry.planning_list,
            verdict=checks.entry_verdict(request.user, entry),
            can_change=can_change,
            form=form if can_change else None,
        ),
        status=status,
    )


@dated
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(request.user, pk)
    if entry is None:
        raise Http404("Không tìm thấy người trong quy hoạch.")
    return _entry_page(request, entry, None, 200)


@dated
@require_POST
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(request.user, pk, CHANGE)
    if entry is None:
        raise Http404("Không tìm thấy người trong quy hoạch.")
    form = EntryRemoveForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.planning_entry_remove(
                acting_user=request.user,
                entry=entry,
                removed_on=data["removed_on"],
                reason=data["reason"],
                decision=data["decision"],
                expected_version=parse_version(data.get("row_version")),
            )
        except ConflictError as exc:
            form.add_error(None, str(exc))
            status = 409
        except (DomainError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"Đã đưa {entry.person.full_name} ra khỏi quy hoạch.")
            return HttpResponseRedirect(reverse("planning:detail", args=[entry.planning_list_id]))
    return _entry_page(request, entry, form, status)
