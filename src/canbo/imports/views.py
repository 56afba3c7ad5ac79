"""Import pages: upload, column mapping, progress, and the result with every error (C5).

Only users with a grant that allows changes import; for anyone else the pages do not exist (404),
as everywhere in CanBo. A job is seen only by the user who uploaded it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from canbo.core import markdown
from canbo.core.grants import can_change_anything
from canbo.core.params import parse_id, parse_int
from canbo.imports import engine, jobs, retention
from canbo.imports.forms import MappingForm, UploadForm, apply_saved, as_kind
from canbo.imports.mapping import is_template, proposed_mapping
from canbo.imports.models import ImportJob, SavedMapping

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_PER_PAGE = 100
RECENT_JOBS = 20
GUIDE = Path(settings.REPO_DIR) / "docs" / "huong-dan" / "nhap-du-lieu.md"
Status = ImportJob.Status


def _importer(request: HttpRequest) -> User:
    """The user, if his grants allow changes; otherwise the page does not exist for him."""
    user = request.user
    if not isinstance(user, User) or not can_change_anything(user):
        raise Http404
    return user


def _job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk, user=_importer(request)).first()
    if job is None:
        raise Http404("Không tìm thấy lần nhập này.")
    jobs.mark_interrupted([job])
    return job


def _job_url(job: ImportJob) -> str:
    return reverse("imports:job", args=[job.pk])


def _index_context(request: HttpRequest, form: UploadForm) -> dict[str, Any]:
    recent = list(ImportJob.objects.filter(user=_importer(request)).order_by("-created")[:RECENT_JOBS])
    jobs.mark_interrupted(recent)
    return {"form": form, "jobs": recent, "guide_available": GUIDE.exists()}


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """The upload form, the template and guide links, and the user's recent jobs."""
    _importer(request)
    if request.method == "GET":
        return render(request, "imports/index.html", _index_context(request, UploadForm()))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "imports/index.html", _index_context(request, form), status=400)
    job = jobs.store_upload(user=request.user, upload=form.cleaned_data["file"])
    try:
        sheets = jobs.inspect(job)
    except engine.RefusedFile as exc:
        message = (
            exc.message if exc.message.startswith("Tệp bị từ chối") else f"Tệp bị từ chối: {exc.message}"
        )
        form.add_error("file", message)
        return render(request, "imports/index.html", _index_context(request, form), status=400)
    if is_template(sheets):  # CanBo's own template: nothing to map, straight to the check
        jobs.start(job, mapping=proposed_mapping(sheets), dry_run=True)
        return HttpResponseRedirect(_job_url(job))
    return HttpResponseRedirect(reverse("imports:mapping", args=[job.pk]))


def _mapping_sheets(
    request: HttpRequest, job: ImportJob
) -> tuple[list[engine.SheetInfo], SavedMapping | None]:
    """The job's sheets, their proposals replaced by a saved mapping chosen with ``?dung=``, or by
    the mapping of the job's previous run."""
    sheets = jobs.sheets_of(job)
    saved = None
    raw = request.GET.get("dung", "")
    if raw:
        saved = SavedMapping.objects.filter(pk=parse_id(raw, "Cách ghép cột đã lưu (dung)")).first()
        if saved is None:
            raise Http404("Không tìm thấy cách ghép cột đã lưu.")
        sheets = apply_saved(sheets, saved.mapping or {})
    elif job.mapping:  # back from a result: the officer's own choices, not the proposal
        sheets = apply_saved(sheets, job.mapping)
    return sheets, saved


def _render_mapping(
    request: HttpRequest, job: ImportJob, form: MappingForm, saved: SavedMapping | None, status: int = 200
) -> HttpResponse:
    ctx = {
        "job": job,
        "form": form,
        "sheets": form.sheet_rows(),
        "saved": saved,
        "saved_mappings": SavedMapping.objects.order_by("name"),
    }
    return render(request, "imports/mapping.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: which sheet is which kind, which column is which field; then check, or import."""
    job = _job_or_404(request, pk)
    if (
        job.file_purged
        or job.status not in (Status.MAPPING, Status.FAILED, Status.DONE)
        or (job.status == Status.DONE and not job.dry_run)
    ):
        return HttpResponseRedirect(_job_url(job))
    sheets, saved = _mapping_sheets(request, job)

    if request.method == "GET":
        sheet_param = request.GET.get("sheet", "")
        if sheet_param:  # htmx: one sheet's columns again, for the kind just chosen
            index = parse_int(sheet_param, "Trang tính (sheet)", maximum=len(sheets) - 1)
            kind = request.GET.get(f"kind_{index}", "")
            if kind and kind not in dict(engine.sheet_kinds()):
                return render(request, "errors/400.html", {"message": "Loại sheet không hợp lệ."}, status=400)
            sheets = list(sheets)
            if kind != (sheets[index].kind or ""):
                sheets[index] = as_kind(sheets[index], kind)
            form = MappingForm(sheets=sheets)
            ctx = {"job": job, "s": form.sheet_rows()[index], "saved": saved}
            return render(request, "imports/_mapping_sheet.html", ctx)
        return _render_mapping(request, job, MappingForm(sheets=sheets), saved)

    form = MappingForm(request.POST, sheets=sheets)
    if not form.is_valid():
        return _render_mapping(request, job, form, saved, status=400)
    result = form.mapping()
    name = form.cleaned_data["save_as"]
    if name:
        try:
            with transaction.atomic():
                SavedMapping.objects.create(name=name, mapping=result, created_by=_importer(request))
        except IntegrityError:
            form.add_error("save_as", f"Đã có cách ghép cột tên “{name}”; hãy chọn tên khác.")
            return _render_mapping(request, job, form, saved, status=400)
    jobs.start(job, mapping=result, dry_run=request.POST.get("action") == "check")
    return HttpResponseRedirect(_job_url(job))


def _retention_days() -> int | str:
    try:
        return retention.retention_days()
    except retention.RetentionError:  # a wrong setting must not break the page; the command says it
        return retention.DEFAULT_DAYS


def _purged_message(job: ImportJob) -> str:
    when = timezone.localtime(job.file_purged or timezone.now())
    return (
        f"Tệp “{job.original_name}” không còn được lưu trên máy chủ: đã xóa ngày "
        f"{when:%d/%m/%Y} theo quy định lưu giữ tệp của lần nhập không "
        f"ghi dữ liệu ({_retention_days()} ngày). Danh sách lỗi vẫn xem được ở trang của lần nhập; "
        "muốn sửa trên tệp thì hãy dùng tệp gốc trên máy của bạn rồi tải lên lại."
    )


def _job_context(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    result = job.result or {}
    done, total, label = jobs.progress_of(job)
    ctx: dict[str, Any] = {
        "job": job,
        "running": job.status == Status.RUNNING,
        "queued": job.status == Status.RUNNING and job.progress_phase == ImportJob.Phase.QUEUED,
        "done": done,
        "total": total,
        "label": label,
        "percent": min(100, int(done * 100 / total)) if total else 0,
        "refused": jobs.refusal_of(job),
        "interrupted": result.get("interrupted", ""),
        "crashed": result.get("crashed", ""),
        "retention_days": _retention_days(),
    }
    if job.status in (Status.DONE, Status.FAILED) and "ok" in result:
        outcome = engine.ImportResult.from_dict(result)
        ctx["outcome"] = outcome
        ctx["error_count"] = len(outcome.errors)
        if outcome.errors:
            ctx["errors"] = Paginator(outcome.errors, ERRORS_PER_PAGE).get_page(request.GET.get("trang"))
    return ctx


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job: progress while it runs (polled), then the result."""
    job = _job_or_404(request, pk)
    if job.status == Status.UPLOADED and not job.file_purged:
        return HttpResponseRedirect(reverse("imports:index"))
    if job.status == Status.MAPPING and not job.file_purged:
        return HttpResponseRedirect(reverse("imports:mapping", args=[job.pk]))
    return render(request, "imports/job.html", _job_context(request, job))


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx partial polled every second while the job runs; reloads the page once it ends."""
    job = _job_or_404(request, pk)
    if job.status != Status.RUNNING:
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRefresh()
        return HttpResponseRedirect(_job_url(job))
    return render(request, "imports/_progress.html", _job_context(request, job))


@login_required
@require_POST
def job_commit(request: HttpRequest, pk: int) -> HttpResponse:
    """After a check without errors, import for real with the same mapping."""
    job = _job_or_404(request, pk)
    if job.file_purged:
        return render(request, "errors/400.html", {"message": _purged_message(job)}, status=410)
    if job.status != Status.DONE or not job.dry_run:
        return render(
            request,
            "errors/400.html",
            {"message": "Chỉ nhập được sau một lần kiểm tra không có lỗi."},
            status=400,
        )
    jobs.start(job, mapping=job.mapping, dry_run=False)
    return HttpResponseRedirect(_job_url(job))


@login_required
@require_GET
def error_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The uploaded workbook given back with a "Lỗi" column."""
    job = _job_or_404(request, pk)
    result = job.result or {}
    if job.status != Status.FAILED or not result.get("errors"):
        raise Http404("Lần nhập này không có tệp lỗi.")
    if job.file_purged:
        return render(
            request, "imports/file_gone.html", {"job": job, "message": _purged_message(job)}, status=410
        )
    path = jobs.file_path(job)
    if not path.exists():  # removed by hand: say so, never a traceback
        message = "Tệp đã tải lên không còn trên máy chủ. Hãy dùng tệp gốc trên máy của bạn rồi tải lên lại."
        return render(request, "imports/file_gone.html", {"job": job, "message": message}, status=410)
    content = engine.error_workbook(path, engine.ImportResult.from_dict(result).errors)
    stem = Path(job.original_name).stem or "tep"
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{stem} - loi.xlsx") or ""
    return response


@login_required
@require_GET
def template_file(request: HttpRequest) -> HttpResponse:
    """The documented template: one sheet per kind, Vietnamese headers."""
    _importer(request)
    response = HttpResponse(engine.template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, "mau-nhap-du-lieu-canbo.xlsx") or ""
    return response


@login_required
@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    """The import guide (docs/huong-dan/nhap-du-lieu.md) as a page: Markdown rendered to HTML."""
    _importer(request)
    if not GUIDE.exists():
        raise Http404("Chưa có hướng dẫn nhập dữ liệu.")
    return render(request, "imports/guide.html", {"guide": markdown.render_file(GUIDE)})
