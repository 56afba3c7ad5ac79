"""The organisation workbook page, /nhap-du-lieu/co-cau-to-chuc/: upload, check (or import), and
every error with the workbook given back with an error column; the template.

An organisation workbook is small (a province has a few thousand units), so it is checked and
written during the request, without a background job. The upload is kept under
``MEDIA_ROOT/imports/org/`` for the error workbook, which only the user who uploaded it may
fetch (its digest is in his session), and removed after the import retention period.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from canbo.imports import engine, jobs, retention
from canbo.imports.forms import UploadForm
from canbo.imports.org_import import build_org_template, run_org_import
from canbo.imports.views import XLSX_TYPE, _importer

SESSION_KEY = "org_import_files"
KEEP_IN_SESSION = 10
SHA = re.compile(r"^[0-9a-f]{64}$")


class OrgUploadForm(UploadForm):
    dry_run = forms.BooleanField(
        label="Chỉ kiểm tra, chưa ghi", required=False, help_text="Kiểm tra mọi dòng mà không ghi gì."
    )


def _root() -> Path:
    return jobs.imports_root() / "org"


def _purge_old(root: Path) -> None:
    cutoff = time.time() - retention.retention_days() * 86400
    for path in root.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def _store(upload: object) -> tuple[Path, str]:
    root = _root()
    root.mkdir(parents=True, exist_ok=True)
    _purge_old(root)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():  # type: ignore[attr-defined]
                digest.update(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        os.replace(tmp_name, root / f"{sha}.xlsx")
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return root / f"{sha}.xlsx", sha


@login_required
@require_http_methods(["GET", "POST"])
def org_index(request: HttpRequest) -> HttpResponse:
    """Upload an organisation workbook; show what was (or would be) written, or every error."""
    user = _importer(request)
    if request.method == "GET":
        return render(request, "imports/org.html", {"form": OrgUploadForm()})
    form = OrgUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "imports/org.html", {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    path, sha = _store(upload)
    name = (upload.name or "tep.xlsx")[-255:]
    try:
        result = run_org_import(
            path=path,
            acting_user=user,
            dry_run=form.cleaned_data["dry_run"],
            reason=f"Nhập từ tệp {name} ({sha[:12]})",
        )
    except engine.RefusedFile as exc:
        path.unlink(missing_ok=True)
        form.add_error("file", f"Tệp bị từ chối: {exc.message}")
        return render(request, "imports/org.html", {"form": form}, status=400)
    files = [f for f in request.session.get(SESSION_KEY, []) if f.get("sha") != sha]
    if result.ok:
        path.unlink(missing_ok=True)
    else:
        files = [{"sha": sha, "name": name}, *files][:KEEP_IN_SESSION]
    request.session[SESSION_KEY] = files
    ctx = {"form": OrgUploadForm(), "result": result, "file_name": name, "sha": sha}
    return render(request, "imports/org.html", ctx, status=200 if result.ok else 400)


@login_required
@require_GET
def org_error_file(request: HttpRequest, sha: str) -> HttpResponse:
    """The uploaded workbook with a "Lỗi" column, for the user who uploaded it."""
    _importer(request)
    entry = next((f for f in request.session.get(SESSION_KEY, []) if f.get("sha") == sha), None)
    path = _root() / f"{sha}.xlsx"
    if entry is None or not SHA.match(sha) or not path.is_file():
        raise Http404("Không còn tệp này trên máy chủ; hãy tải lên lại.")
    result = run_org_import(path=path, acting_user=request.user, dry_run=True)
    content = engine.error_workbook(path, result.errors)
    stem = Path(entry.get("name") or "tep").stem or "tep"
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{stem} - loi.xlsx") or ""
    return response


@login_required
@require_GET
def org_template(request: HttpRequest) -> HttpResponse:
    """The documented organisation template: "Đơn vị", "Chức danh", "Vị trí"."""
    _importer(request)
    response = HttpResponse(build_org_template(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, "mau-nhap-co-cau-to-chuc.xlsx") or ""
    return response
