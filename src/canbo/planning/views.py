"""Pages of the planning app (/quy-hoach/): lists, a list with its entries and structure, adding
and removing entries, creating a list.

Reads go through ``selectors`` (grants on the list's unit); each write is one ``ServiceFormView``
(core.form_views) calling one service. A list
the user may not see answers 404 like a missing one; a change without change grants too.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from canbo.core.form_views import DatedFormView
from canbo.core.grants import can_change_anything
from canbo.core.params import parse_version
from canbo.core.querysets import CHANGE
from canbo.core.views import dated
from canbo.core.views import dated_context as _ctx
from canbo.core.views import page_day as _day
from canbo.planning import checks, consequences, selectors, services
from canbo.planning.forms import EntryAddForm, EntryRemoveForm, PlanningListForm, ReviewForm
from canbo.planning.models import PlanningEntry, PlanningList, planned_on_q
from canbo.rules.selectors import rulebook


def _list_or_404(request: HttpRequest, pk: int, action: str = "view") -> PlanningList:
    planning_list = selectors.list_get(request.user, pk, action)
    if planning_list is None:
        raise Http404("Không tìm thấy danh sách quy hoạch.")
    return planning_list


# The fields of an entry, its person, title and list that ``consequences.flags`` reads.
FLAG_FIELDS = (
    "added_on",
    "removed_on",
    "person_id",
    "title_id",
    "planning_list_id",
    "person__full_name",
    "person__sex",
    "person__birth_date",
    "person__birth_precision",
    "title__name",
    "planning_list__term_start",
)


@dated
def list_index(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    rows = list(selectors.list_rows(request.user, day))
    # The removal grounds of every entry in force (validator 5's flags), counted per list.
    entries = (
        PlanningEntry.objects.filter(planned_on_q(day), planning_list_id__in=[pl.pk for pl in rows])
        .select_related("person", "title", "planning_list")
        # what the removal grounds read (``consequences.removal_verdict``), not whole dossiers
        .only(*FLAG_FIELDS)
    )
    flagged = Counter(f.entry.planning_list_id for f in consequences.flags(request.user, entries, day))
    return render(
        request,
        "planning/list_index.html",
        _ctx(
            request,
            rows=[(pl, flagged.get(pl.pk, 0)) for pl in rows],
            can_create=can_change_anything(request.user),
        ),
    )


class ListCreateView(DatedFormView):
    """/quy-hoach/moi/: a new planning list (users with change grants somewhere)."""

    template_name = "planning/list_form.html"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        if not can_change_anything(request.user):
            raise Http404("Không tìm thấy trang.")

    def get_form(self, data: Any = None) -> PlanningListForm:
        return PlanningListForm(data, user=self.request.user)

    def context(self) -> dict[str, Any]:
        return self.page_context()

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        self.planning_list = services.planning_list_create(
            acting_user=self.request.user,
            unit=data["unit_code"],
            name=data["name"],
            kind=data["kind"],
            term_start=data["term"][0],
            term_end=data["term"][1],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            note=data["note"],
        )
        return "Đã lập danh sách quy hoạch."

    def success_url(self) -> str:
        return reverse("planning:detail", args=[self.planning_list.pk])


def _detail(
    request: HttpRequest,
    planning_list: PlanningList,
    form: EntryAddForm | None,
    status: int,
    review_form: ReviewForm | None = None,
) -> HttpResponse:
    can_change = selectors.can_change_list(request.user, planning_list)
    if can_change and form is None:
        form = EntryAddForm(
            user=request.user, planning_list=planning_list, initial={"added_on": _day(request)}
        )
    if can_change and review_form is None:
        review_form = ReviewForm(initial={"year": _day(request).year, "reviewed_on": _day(request)})
    view = selectors.list_view(planning_list, _day(request))
    current = [e for g in view.groups for e in g.entries]
    return render(
        request,
        "planning/list_detail.html",
        _ctx(
            request,
            pl=planning_list,
            view=view,
            flags=consequences.flags(request.user, current, _day(request)),
            can_change=can_change,
            form=form if can_change else None,
            reviews=selectors.review_rows(planning_list),
            review_form=review_form if can_change else None,
        ),
        status=status,
    )


@dated
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _list_or_404(request, pk), None, 200)


class EntryAddView(DatedFormView):
    """/quy-hoach/<pk>/them/ (POST): a person added to the list; a refusal shows the list's page
    with the form and its errors."""

    http_method_names = ["post"]

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.planning_list = _list_or_404(request, kwargs["pk"], CHANGE)

    def get_form(self, data: Any = None) -> EntryAddForm:
        return EntryAddForm(data, user=self.request.user, planning_list=self.planning_list)

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        return _detail(self.request, self.planning_list, form, status)

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        self.entry = services.planning_entry_add(
            acting_user=self.request.user,
            planning_list=self.planning_list,
            person=data["nguoi"],
            title=data["chuc_danh"],
            added_on=data["added_on"],
            decision=data["decision"],
            reason=data["reason"],
            exception_reason=data["exception_reason"],
            exception_basis=data["exception_basis"],
        )
        verdict = checks.entry_verdict(self.request.user, self.entry)
        return (
            f"Đã bổ sung {self.entry.person.full_name} vào quy hoạch chức danh {self.entry.title.name}. "
            f"Kiểm tra điều kiện: {verdict.summary}"
        )

    def success_url(self) -> str:
        return reverse("planning:entry", args=[self.entry.pk])


def _entry_page(
    request: HttpRequest, entry: PlanningEntry, form: EntryRemoveForm | None, status: int
) -> HttpResponse:
    can_change = selectors.can_change_list(request.user, entry.planning_list)
    day = _day(request)
    removal, reason = None, ""
    if entry.in_force_on(day):  # the grounds for taking him out on the page's day
        dossier = consequences.dossiers(request.user, [entry.person_id], day)[entry.person_id]
        removal = consequences.removal_verdict(rulebook(), entry, dossier, day)
        reason = consequences.Flag(entry, removal).reason
    if can_change and form is None and entry.removed_on is None:
        form = EntryRemoveForm(
            initial={
                "removed_on": day,
                "row_version": entry.row_version,
                "reason": reason,
            }
        )
    return render(
        request,
        "planning/entry_detail.html",
        _ctx(
            request,
            entry=entry,
            pl=entry.planning_list,
            verdict=checks.entry_verdict(request.user, entry),
            removal=removal,
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


class EntryRemoveView(DatedFormView):
    """/quy-hoach/muc/<pk>/dua-ra/ (POST): a person taken off the list (409 on a stale form)."""

    http_method_names = ["post"]

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        entry = selectors.entry_get(request.user, kwargs["pk"], CHANGE)
        if entry is None:
            raise Http404("Không tìm thấy người trong quy hoạch.")
        self.entry = entry

    def get_form(self, data: Any = None) -> EntryRemoveForm:
        return EntryRemoveForm(data)

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        return _entry_page(self.request, self.entry, form, status)

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        services.planning_entry_remove(
            acting_user=self.request.user,
            entry=self.entry,
            removed_on=data["removed_on"],
            reason=data["reason"],
            decision=data["decision"],
            expected_version=parse_version(data.get("row_version")),
        )
        return f"Đã đưa {self.entry.person.full_name} ra khỏi quy hoạch."

    def success_url(self) -> str:
        return reverse("planning:detail", args=[self.entry.planning_list_id])


class ReviewView(DatedFormView):
    """/quy-hoach/<pk>/ra-soat/ (POST): the yearly review recorded (P-4); a refusal shows the
    list's page with the review form and its errors."""

    http_method_names = ["post"]

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.planning_list = _list_or_404(request, kwargs["pk"], CHANGE)

    def get_form(self, data: Any = None) -> ReviewForm:
        return ReviewForm(data)

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        return _detail(self.request, self.planning_list, None, status, review_form=form)

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        review = services.planning_review_record(
            acting_user=self.request.user,
            planning_list=self.planning_list,
            year=data["year"],
            reviewed_on=data["reviewed_on"],
            decision=data["decision"],
            note=data["note"],
            reason=data["reason"],
        )
        return f"Đã ghi nhận rà soát quy hoạch năm {review.year}."

    def success_url(self) -> str:
        return reverse("planning:detail", args=[self.planning_list.pk]) + "#ra-soat"
