"""Report pages (/bao-cao/): the number-and-quality report and its drill-down, the planning list
documents, the national-database sync deadlines."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from canbo.core.dates import today
from canbo.core.errors import DomainError
from canbo.core.views import bad_request, dated, page_day
from canbo.documents.models import DocumentKind, ReadAction
from canbo.documents.services import record_read
from canbo.people.models import Person
from canbo.planning import selectors as planning_selectors
from canbo.reports import exports, national, planning_doc
from canbo.reports.forms import StatisticsForm
from canbo.reports.layouts import layout_for
from canbo.reports.statistics import Report, column, compute

PAGE_SIZE = 100


def record(
    user: Any,
    *,
    kind: str,
    form: str,
    file_format: str,
    subject: str,
    as_of: Any,
    count: int,
    action: str = ReadAction.DOWNLOAD,
    person_ids: list[int] | None = None,
) -> None:
    """A generation or download of a document made from dossiers, in the read log."""
    record_read(
        user,
        kind=kind,
        form=form,
        file_format=file_format,
        subject=subject,
        as_of=as_of,
        count=count,
        action=action,
        person_ids=person_ids,
    )


def _file(body: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _report(
    request: HttpRequest, only: str | None = None
) -> tuple[StatisticsForm, Report | None, HttpResponse | None]:
    asked = request.GET if set(request.GET) - {"ngay"} else None
    form = StatisticsForm(asked, user=request.user)
    if asked is None:
        return form, None, None
    if not form.is_valid():
        return form, None, render(request, "reports/statistics.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        layout = layout_for(data["mau"], data["ngay"])
    except DomainError as exc:
        return form, None, bad_request(request, exc.message)
    if only is not None and column(layout, only) is None:
        return form, None, bad_request(request, "Ô báo cáo không hợp lệ (dòng hoặc cột không có trong mẫu).")
    return form, compute(request.user, data["don_vi"], data["ngay"], layout, only=only), None


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """The yearly number-and-quality report of a unit subtree, as of a date (31/12 by default)."""
    form, report, refused = _report(request)
    if refused is not None:
        return refused
    if report is None:
        return render(request, "reports/statistics.html", {"form": form})
    fmt = request.GET.get("xuat", "")
    if fmt:
        if fmt not in ("xlsx", "docx"):
            return bad_request(request, "Định dạng xuất phải là Excel (xlsx) hoặc Word (docx).")
        record(
            request.user,
            kind=DocumentKind.STATISTICS,
            form=report.layout.code,
            file_format=fmt,
            subject=report.unit.name_on(report.day),
            as_of=report.day,
            count=report.counts.get(("tong", report.layout.columns[0].key), 0),
        )
        name = f"bao-cao-so-luong-chat-luong-{report.unit.code}-{report.day:%Y%m%d}.{fmt}"
        if fmt == "docx":
            return _file(exports.statistics_docx(report), name, exports.DOCX_TYPE)
        out = io.BytesIO()
        exports.statistics_xlsx(report, out)
        return _file(out.getvalue(), name, exports.XLSX_TYPE)
    query = {k: request.GET.get(k, "") for k in ("don_vi", "ngay", "mau") if k in request.GET}
    query["ngay"] = f"{report.day:%d/%m/%Y}"
    query["mau"] = report.layout.code
    base = urlencode(query)
    people_url = reverse("reports:people") + "?" + base + "&hang="
    col_keys = [quote(c.key) for c in report.layout.columns]
    rows = []
    for row, counts in report.table():
        prefix = f"{people_url}{quote(row.key)}&cot="
        rows.append((row, [(n, prefix + k) for n, k in zip(counts, col_keys, strict=True)]))
    return render(
        request,
        "reports/statistics.html",
        {
            "form": form,
            "report": report,
            "rows": rows,
            "groups": report.layout.column_groups(),
            "notes": exports.statistics_notes(report),
            "query": base,
        },
    )


@login_required
def statistics_people(request: HttpRequest) -> HttpResponse:
    """The people a cell of the report counts: the same computation, one cell's persons."""
    row_key, col_key = request.GET.get("hang", ""), request.GET.get("cot", "")
    _form, report, refused = _report(request, only=col_key)
    if refused is not None:
        return refused
    if report is None:
        return bad_request(request, "Thiếu đơn vị báo cáo.")
    row = next((r for r in report.rows if r.key == row_key), None)
    col = column(report.layout, col_key)
    if row is None or col is None:
        return bad_request(request, "Ô báo cáo không hợp lệ (dòng hoặc cột không có trong mẫu).")
    ids = report.cell(row_key, col_key)
    persons = (
        Person.objects.restrict(request.user)
        .filter(pk__in=ids)
        .select_related("managing_unit", "ethnicity")
        .order_by("sort_key", "pk")
    )
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = urlencode({k: request.GET.get(k, "") for k in request.GET if k != "trang"})
    back = urlencode({k: request.GET.get(k, "") for k in ("don_vi", "ngay", "mau") if k in request.GET})
    return render(
        request,
        "reports/statistics_people.html",
        {
            "report": report,
            "row": row,
            "col": col,
            "page": page,
            "count": len(ids),
            "query": query,
            "back": back,
        },
    )


@dated
def planning_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The planning list as Word or Excel (DOCUMENTS.md §6), as of the page's date."""
    planning_list = planning_selectors.list_get(request.user, pk)
    if planning_list is None:
        raise Http404("Không tìm thấy danh sách quy hoạch.")
    day = page_day(request)
    doc = planning_doc.build(request.user, planning_list, day)
    record(
        request.user,
        kind=DocumentKind.PLANNING,
        form="danh-sach-quy-hoach",
        file_format=fmt,
        subject=planning_list.name,
        as_of=day,
        count=doc.person_count,
        person_ids=doc.person_ids,
    )
    name = f"danh-sach-quy-hoach-{planning_list.pk}-{day:%Y%m%d}.{fmt}"
    if fmt == "docx":
        return _file(exports.planning_docx(doc), name, exports.DOCX_TYPE)
    out = io.BytesIO()
    exports.planning_xlsx(doc, out)
    return _file(out.getvalue(), name, exports.XLSX_TYPE)


@login_required
def sync_overdue(request: HttpRequest) -> HttpResponse:
    """Business events not exported to the national database within N-3's working days."""
    items, total, days = national.overdue(request.user, today())
    missing_id = Person.objects.restrict(request.user).filter(personal_id="").count()
    exports_done = list(
        national.NationalExport.objects.filter(user_id=request.user.pk or 0).order_by("-exported_at")[:5]
    )
    names = dict(
        Person.objects.restrict(request.user)
        .filter(pk__in={i.person_id for i in items})
        .values_list("pk", "full_name")
    )
    for i in items:
        i.name = names.get(i.person_id, "")
    return render(
        request,
        "reports/sync_overdue.html",
        {
            "items": items,
            "total": total,
            "days": days,
            "missing_id": missing_id,
            "exports_done": exports_done,
        },
    )
