"""The person list with filters, chosen columns, saved lists and Excel export."""

from __future__ import annotations

import tempfile
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.views import View
from django.views.generic import TemplateView

from canbo.core.conditional import conditional, data_etag, latest_change, writes_in_flight
from canbo.core.errors import DomainError
from canbo.core.views import AsOfMixin, BadAsOf, as_of, bad_request
from canbo.lists import services
from canbo.lists.columns import COLUMNS, DEFAULT_COLUMNS, parse_columns, rows
from canbo.lists.exports import XLSX_TYPE, write_list
from canbo.lists.filters import PersonFilterForm
from canbo.lists.kept import kept_markup
from canbo.lists.models import SavedList
from canbo.lists.selectors import filtered_persons
from canbo.lists.templatetags.list_rows import rows_markup
from canbo.org.selectors import unit_index, unit_label_on

# Query-string keys that are not filters.
NOT_FILTERS = {"ngay", "trang", "cot", "csrfmiddlewaretoken", "ten"}


def filters_of(params: QueryDict) -> dict[str, list[str]]:
    return {k: params.getlist(k) for k in params if k not in NOT_FILTERS and any(params.getlist(k))}


class PersonListView(LoginRequiredMixin, AsOfMixin, TemplateView):
    """People of the user's grants as of a date, filtered, with the columns the user chose."""

    template_name = "lists/person_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # An unchanged list (same data, user, date and query) answers 304 (issue 22).
        return conditional(request, data_etag(request, self.day), lambda: self._render(**kwargs))

    def _render(self, **kwargs: Any) -> HttpResponse:
        ctx = self.get_context_data(**kwargs)
        return self.render_to_response(ctx, status=400 if ctx["form"].errors else 200)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        columns = parse_columns(self.request.GET.getlist("cot"))
        form, unit, qs = filtered_persons(
            self.request.user,
            self.request.GET,
            self.day,
            paged=True,
            exact_count=False,
            columns=[c.key for c in columns],
            stamp=latest_change(self.request),
            in_flight=writes_in_flight(self.request),
        )
        page = Paginator(qs if qs is not None else [], 50).get_page(self.request.GET.get("trang"))
        objects = page.object_list
        kept_key = getattr(objects, "kept_key", None)

        def markup() -> str:
            return rows_markup(
                rows(list(objects), columns, self.day) if qs is not None else [], page.start_index(), columns
            )

        if kept_key is not None:
            # A page asked again between two changes: its rows' markup as it was written, by
            # everything it is made from besides the list (issue 22; ``lists.kept``): the
            # columns, the day, the links' prefix, the numbering, and the unit labels' own stamp
            # where a column shows unit labels (``org.selectors.unit_index``).
            keys = tuple(c.key for c in columns)
            labels = unit_index().stamp if {"don_vi", "don_vi_ho_so"} & set(keys) else None
            made_of = (keys, self.day, labels, get_script_prefix(), page.start_index())
            rows_html = kept_markup((*kept_key, "rows", *made_of), markup)
        else:
            rows_html = markup()
        params = self.request.GET.copy()
        params.pop("trang", None)
        ctx.update(
            {
                "form": form,
                "unit": unit,
                "unit_name": unit_label_on(unit, self.day) if unit else "",
                "page": page,
                "rows_html": rows_html,
                "columns": columns,
                "all_columns": COLUMNS,
                "chosen": {c.key for c in columns},
                "description": form.description(unit, self.day) if form.is_valid() else [],
                "query": params.urlencode(),
                "saved": SavedList.objects.filter(owner=self.request.user.pk),
                "advanced_open": any(
                    k not in ("q", "don_vi", "tinh_trang") for k in filters_of(self.request.GET)
                ),
            }
        )
        return ctx


class ExportView(LoginRequiredMixin, View):
    """The same list as an .xlsx file, every person in scope; always over the user's grants;
    recorded in the history.

    The workbook is written to an anonymous temporary file (memory stays bounded) that the
    response then streams; the file is gone when the response is closed."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        try:
            day = as_of(request)
        except BadAsOf as exc:
            return bad_request(request, exc.message)
        form, unit, qs = filtered_persons(request.user, request.GET, day)
        if qs is None:
            return bad_request(request, " ".join(str(m) for errs in form.errors.values() for m in errs))
        columns = parse_columns(request.GET.getlist("cot"))
        # Closed by the response once sent (or below on failure), not by a context manager.
        out = tempfile.TemporaryFile(prefix="canbo-danh-sach-")  # noqa: SIM115
        ids: list[int] = []
        try:
            count = write_list(out, qs, columns, day=day, description=form.description(unit, day), ids=ids)
        except BaseException:
            out.close()
            raise
        out.seek(0)
        services.export_record(
            request,
            person_ids=ids,
            as_of=day,
            filters=filters_of(request.GET),
            columns=[c.key for c in columns],
            row_count=count,
        )
        return FileResponse(
            out,
            as_attachment=True,
            filename=f"danh-sach-can-bo-{day:%Y%m%d}.xlsx",
            content_type=XLSX_TYPE,
        )


class SavedListsView(LoginRequiredMixin, View):
    """The user's saved lists: save (POST with the list's query), open, delete."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "lists/saved.html", {"saved": SavedList.objects.filter(owner=request.user.pk)})

    def post(self, request: HttpRequest) -> HttpResponse:
        params = QueryDict(request.POST.get("query", ""))
        if not PersonFilterForm(params).is_valid():
            return bad_request(request, "Điều kiện lọc không hợp lệ; không lưu được danh sách.")
        try:
            services.saved_list_save(
                acting_user=request.user,
                name=request.POST.get("ten", "")[:150],
                filters=filters_of(params),
                columns=[c.key for c in parse_columns(params.getlist("cot"))],
            )
        except DomainError as exc:
            return bad_request(request, exc.message)
        return HttpResponseRedirect(reverse("people:list") + "?" + params.urlencode())


def _own(request: HttpRequest, pk: int) -> SavedList:
    saved = SavedList.objects.filter(owner=request.user.pk, pk=pk).first()
    if saved is None:
        raise Http404("Không tìm thấy danh sách.")
    return saved


class SavedListOpenView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        saved = _own(request, pk)
        pairs = [(k, v) for k, values in saved.filters.items() for v in values]
        pairs += [("cot", c) for c in saved.columns or DEFAULT_COLUMNS]
        return HttpResponseRedirect(reverse("people:list") + "?" + urlencode(pairs))


class SavedListDeleteView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        services.saved_list_delete(acting_user=request.user, saved=_own(request, pk))
        return HttpResponseRedirect(reverse("lists:saved"))
