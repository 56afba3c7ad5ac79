"""Pages of the documents app: a person's résumé (choice, missing items, download), batches of
résumés from a list or a planning list, and the administrators' template page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from canbo.accounts.selectors import is_admin
from canbo.core import params
from canbo.core.docforms import document_form, forms_by_group
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.views import bad_request, dated, dated_context, page_day
from canbo.documents import convert, services
from canbo.documents import render as docx_templates
from canbo.documents.models import DocumentTemplate, FileFormat, ResumeBatch, ResumeForm
from canbo.documents.resume import default_form, resume_data
from canbo.people.models import Person
from canbo.people.selectors import person_get

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _person(request: HttpRequest, pk: int) -> Person:
    try:
        return person_get(request.user, pk)
    except Person.DoesNotExist as exc:
        raise Http404("Không tìm thấy hồ sơ.") from exc


@dated
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    """The résumé page: form and format, what the dossier lacks (with links to fill it), what
    will be withheld; nothing is recorded until the file is made."""
    person = _person(request, pk)
    day = page_day(request)
    form = request.GET.get("mau") or default_form(person)
    if form not in ResumeForm.values:
        return bad_request(request, "Mẫu không hợp lệ.")
    data = resume_data(request.user, person, day)
    return render(
        request,
        "documents/resume.html",
        dated_context(
            request,
            person=person,
            data=data,
            form=form,
            forms=ResumeForm.choices,
            formats=FileFormat.choices,
            pdf_ok=convert.available(),
            can_change=Person.objects.restrict(request.user, "change").filter(pk=person.pk).exists(),
        ),
    )


@dated
def resume_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The résumé as Word or PDF (recorded in the read log)."""
    try:
        content, name, _data = services.resume_make(
            acting_user=request.user,
            person_id=pk,
            form=request.GET.get("mau"),
            file_format=request.GET.get("dinh_dang", "docx"),
            day=page_day(request),
        )
    except NotPermitted as exc:
        raise Http404(str(exc)) from exc
    except DomainError as exc:
        return bad_request(request, str(exc))
    content_type = "application/pdf" if name.endswith(".pdf") else DOCX_TYPE
    response = HttpResponse(content, content_type=content_type)
    inline = name.endswith(".pdf") and request.GET.get("xem") == "1"
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    return response


# --- batches -------------------------------------------------------------------------------


@require_POST
@dated
def batch_create(request: HttpRequest) -> HttpResponse:
    """A batch from the person list (its filters, as posted back) or from a planning list."""
    day = page_day(request)
    planning_id = request.POST.get("danh_sach_quy_hoach")
    try:
        if planning_id:
            ids, title = _planning_people(request, params.parse_id(planning_id), day)
        else:
            ids, title = _list_people(request, day)
        batch = services.batch_request(
            acting_user=request.user,
            person_ids=ids,
            title=title,
            form=request.POST.get("mau") or None,
            file_format=request.POST.get("dinh_dang", "pdf"),
            day=day,
        )
    except DomainError as exc:
        return bad_request(request, str(exc))
    return redirect("documents:batch", pk=batch.pk)


def _planning_people(request: HttpRequest, pk: int, day: Any) -> tuple[list[int], str]:
    from canbo.planning.models import planned_on_q
    from canbo.planning.selectors import list_get

    planning_list = list_get(request.user, pk)
    if planning_list is None:
        raise Http404("Không tìm thấy danh sách quy hoạch.")
    ids = list(planning_list.entries.filter(planned_on_q(day)).values_list("person_id", flat=True).distinct())
    return ids, f"Danh sách quy hoạch: {planning_list}"


def _list_people(request: HttpRequest, day: Any) -> tuple[list[int], str]:
    from django.http import QueryDict

    from canbo.lists.selectors import filtered_persons

    query = QueryDict(request.POST.get("truy_van", ""))
    _form, unit, qs = filtered_persons(request.user, query, day)
    if qs is None:
        raise DomainError("Điều kiện lọc danh sách không hợp lệ.")
    ids = list(qs.values_list("pk", flat=True)[: services.MAX_BATCH + 1])
    title = f"Danh sách cán bộ{', ' + unit.name if unit else ''} tại {day:%d/%m/%Y}"
    return ids, title


def _batch(request: HttpRequest, pk: int) -> ResumeBatch:
    batch = ResumeBatch.objects.filter(pk=pk, user_id=int(request.user.pk or 0)).first()
    if batch is None:
        raise Http404("Không tìm thấy gói.")
    return batch


@dated
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch's progress (the page reloads its panel every two seconds until done)."""
    b = _batch(request, pk)
    template = "documents/_batch_panel.html" if request.htmx else "documents/batch.html"  # type: ignore[attr-defined]
    return render(request, template, dated_context(request, batch=b))


@dated
def batch_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    b = _batch(request, pk)
    try:
        path = services.batch_download(acting_user=request.user, batch=b)
    except NotPermitted as exc:
        raise Http404(str(exc)) from exc
    except DomainError as exc:
        return bad_request(request, str(exc))
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"so-yeu-ly-lich-goi-{b.pk}.zip")


# --- templates (administrators) ------------------------------------------------------------


def _admin_only(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise Http404


@dated
def templates(request: HttpRequest) -> HttpResponse:
    """Every registered form (the résumés, the cases' minutes and proposal …) with its versions."""
    _admin_only(request)
    versions: dict[str, list[DocumentTemplate]] = {}
    for row in (
        DocumentTemplate.objects.defer("content").select_related("uploaded_by").order_by("form", "-version")
    ):
        versions.setdefault(row.form, []).append(row)
    groups = [(group, [(f, versions.get(f.key, [])) for f in forms]) for group, forms in forms_by_group()]
    return render(request, "documents/templates.html", dated_context(request, groups=groups))


@dated
def template_file(request: HttpRequest, form: str, version: int) -> HttpResponse:
    _admin_only(request)
    spec = document_form(form)
    if spec is None:
        raise Http404
    if version == 0:
        content = spec.shipped.read_bytes()
    else:
        row = DocumentTemplate.objects.filter(form=spec.key, version=version).first()
        if row is None:
            raise Http404
        content = bytes(row.content)
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mau-{spec.key}-phien-ban-{version}.docx"'
    return response


@require_POST
@dated
def template_upload(request: HttpRequest, form: str) -> HttpResponse:
    _admin_only(request)
    upload = request.FILES.get("tep")
    if upload is None:
        return bad_request(request, "Hãy chọn tệp .docx của mẫu.")
    if upload.size and upload.size > docx_templates.MAX_UPLOAD_BYTES:
        return bad_request(request, "Tệp mẫu quá lớn (tối đa 5 MB).")
    try:
        row = services.template_upload(
            acting_user=request.user,
            form=form,
            data=upload.read(docx_templates.MAX_UPLOAD_BYTES + 1),
            original_name=upload.name or "",
            note=request.POST.get("ghi_chu", ""),
        )
    except DomainError as exc:
        return bad_request(request, f"Không nhận mẫu: {exc}")
    messages.success(request, f"Đã lưu {row}; phiên bản trước vẫn được giữ.")
    return redirect(reverse("documents:templates"))


@require_POST
@dated
def template_restore(request: HttpRequest, form: str, version: int) -> HttpResponse:
    _admin_only(request)
    try:
        row = services.template_restore(acting_user=request.user, form=form, version=version)
    except DomainError as exc:
        return bad_request(request, str(exc))
    messages.success(request, f"Đã khôi phục: {row}.")
    return redirect(reverse("documents:templates"))
