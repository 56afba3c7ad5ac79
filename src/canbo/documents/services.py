"""Writes of the documents app: résumés made (and their read-log entries), template versions,
batches. Every entry point — page, command, background task — comes through here."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from canbo.core.docforms import DocumentForm, Rendered, document_form
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import AccessLog
from canbo.core.readlog import Kind
from canbo.core.readlog import record_read as record_access
from canbo.core.services import audited_create, audited_update, logged_user
from canbo.core.text import fold
from canbo.core.types import ActingUser
from canbo.documents import convert
from canbo.documents.models import (
    SHIPPED_FILES,
    DocumentKind,
    DocumentTemplate,
    FileFormat,
    ReadAction,
    ResumeBatch,
    ResumeForm,
)
from canbo.documents.resume import FIELDS, TABLES, ResumeData, default_form, resume_data, sample_context
from canbo.people.models import Person
from canbo.people.selectors import person_get

DATA = Path(__file__).resolve().parent / "data"
MAX_BATCH = 2000
PDF_CHUNK = 50


@dataclass(frozen=True)
class Template:
    form: str
    version: int  # 0: the file shipped with CanBo
    content: bytes


def resume_forms() -> list[DocumentForm]:
    """The three résumé forms, registered in ``core.docforms`` beside the other apps' forms."""
    return [
        DocumentForm(
            key=form.value,
            label=str(form.label),
            group="Sơ yếu lý lịch",
            shipped=DATA / SHIPPED_FILES[form],
            fields=FIELDS,
            tables=TABLES,
            sample=sample_context,
            read_kind=DocumentKind.RESUME,
            order=i,
        )
        for i, form in enumerate(ResumeForm)
    ]


def template_form(value: str | None) -> DocumentForm:
    """A registered form (a résumé form, the cases' minutes or proposal …), else refused."""
    found = document_form((value or "").strip().lower())
    if found is None:
        raise DomainError("Mẫu không hợp lệ: không có mẫu văn bản này.")
    return found


def active_template(form: str) -> Template:
    """The template in use for ``form``: its newest uploaded version, else the shipped file."""
    spec = template_form(form)
    row = DocumentTemplate.objects.filter(form=spec.key).order_by("-version").first()
    if row is not None:
        return Template(form=spec.key, version=row.version, content=bytes(row.content))
    return Template(form=spec.key, version=0, content=spec.shipped.read_bytes())


CONTENT_TYPES = {
    FileFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileFormat.PDF: "application/pdf",
}


def _render() -> Any:
    """``documents.render``, imported on first use: it loads Jinja2, and this module is imported
    at start-up by ``DocumentsConfig.ready()`` (docs/architecture.md, "Start-up: heavy libraries
    imported when used")."""
    from canbo.documents import render

    return render


def render_form(
    form: str,
    context: dict[str, Any],
    *,
    file_format: str = FileFormat.DOCX,
    acting_user: ActingUser,
    subject: str,
    as_of: dt.date | None = None,
    count: int = 1,
    person_ids: list[int] | None = None,
) -> Rendered:
    """Fill the template in use for a registered form (``core.docforms.render``), as Word or PDF
    (the same LibreOffice conversion as the résumés), and record it in the read log: the
    documents another app makes from dossiers (a case's minutes, its proposal with the
    candidates' verdicts) are reads as a résumé is."""
    spec = template_form(form)
    file_format = parse_format(file_format)
    template = active_template(spec.key)
    docx_bytes = _render().render_docx(template.content, context)
    content = convert.to_pdf(docx_bytes) if file_format == FileFormat.PDF else docx_bytes
    record_read(
        acting_user,
        kind=spec.read_kind or DocumentKind.CASE,
        form=spec.key,
        file_format=file_format,
        subject=subject,
        as_of=as_of,
        count=count,
        person_ids=person_ids,
        template_version=template.version,
    )
    return Rendered(
        content=content,
        file_format=file_format,
        content_type=CONTENT_TYPES[FileFormat(file_format)],
        template_version=template.version,
    )


def parse_form(value: str | None, person: Person | None = None) -> str:
    text = (value or "").strip().lower()
    if not text and person is not None:
        return default_form(person)
    if text not in ResumeForm.values:
        raise DomainError(
            "Mẫu không hợp lệ: chọn bnv (2C-BNV/2008), tctw (2C/TCTW-98) hoặc vc (HS02-VC/BNV)."
        )
    return text


def parse_format(value: str | None) -> str:
    text = (value or "docx").strip().lower()
    if text not in FileFormat.values:
        raise DomainError("Định dạng không hợp lệ: chọn docx hoặc pdf.")
    return text


def file_name(person: Person, form: str, day: dt.date, file_format: str) -> str:
    stem = "-".join(fold(person.full_name).split()) or "ho-so"
    return f"so-yeu-ly-lich-{form}-{stem}-{person.personal_id}-{day:%Y%m%d}.{file_format}"


def _format_label(file_format: str) -> str:
    return {"docx": "Word", "pdf": "PDF", "xlsx": "Excel", "json": "JSON"}.get(file_format, file_format)


def _log_read(
    *,
    acting_user: ActingUser,
    person: Person,
    form: str,
    version: int,
    file_format: str,
    day: dt.date,
    action: str,
    data: ResumeData,
    batch: ResumeBatch | None = None,
) -> None:
    """A résumé made or downloaded, in the read log (``core.readlog``): sensitive unless the
    sensitive items were withheld."""
    form_label = ResumeForm(form).label if form in ResumeForm.values else form
    record_access(
        acting_user,
        person.pk,
        f"{ReadAction(action).label} sơ yếu lý lịch — {form_label}, {_format_label(file_format)}, "
        f"dữ liệu tại ngày {day:%d/%m/%Y}",
        not data.withheld,
        kind=Kind.DOCUMENT,
        person_name=person.full_name,
        detail={
            "document": DocumentKind.RESUME.value,
            "action": action,
            "form": form,
            "template_version": version,
            "file_format": file_format,
            "as_of": day.isoformat(),
            "withheld": ", ".join(data.withheld)[:300],
            "batch": batch.pk if batch is not None else None,
        },
    )


def record_read(
    acting_user: ActingUser,
    *,
    kind: str,
    form: str,
    file_format: str,
    action: str = ReadAction.DOWNLOAD,
    person: Person | None = None,
    person_ids: list[int] | None = None,
    subject: str = "",
    as_of: dt.date | None = None,
    count: int = 1,
    template_version: int = 0,
    sensitive: bool = False,
) -> None:
    """A generation or download of a document made from dossiers (a report, a list, a
    national-database document), in the read log (``core.readlog``): one row for its person, one
    per person of a list (``person_ids``, one INSERT), or one for a unit's figures."""
    on = f", dữ liệu tại ngày {as_of:%d/%m/%Y}" if as_of is not None else ""
    about = person.full_name if person is not None else subject
    record_access(
        acting_user,
        person.pk if person is not None else person_ids,
        f"{ReadAction(action).label} {DocumentKind(kind).label.lower()}"
        + (f": {about}" if about else "")
        + f" ({_format_label(file_format)}){on}",
        sensitive,
        kind=Kind.DOCUMENT,
        person_name=person.full_name if person is not None else "",
        count=count if person is None and not person_ids else None,
        detail={
            "document": kind,
            "action": action,
            "form": form,
            "template_version": template_version,
            "file_format": file_format,
            "as_of": as_of.isoformat() if as_of is not None else None,
            "subject": subject[:300],
            "person_count": count,
        },
    )


def resume_docx(
    *, acting_user: ActingUser, person: Person, form: str, day: dt.date
) -> tuple[bytes, ResumeData, int]:
    """The filled Word résumé (bytes), its data, and the template version used. No log entry."""
    data = resume_data(acting_user, person, day)
    template = active_template(form)
    return _render().render_docx(template.content, data.context), data, template.version


def resume_make(
    *, acting_user: ActingUser, person_id: int, form: str | None, file_format: str, day: dt.date
) -> tuple[bytes, str, ResumeData]:
    """A person's résumé as Word or PDF, recorded in the read log (generation and download are the
    same act on a page or the command line). A person outside the user's grants is NotPermitted
    (the page answers 404, the command exits 1)."""
    try:
        person = person_get(acting_user, person_id)
    except Person.DoesNotExist as exc:
        raise NotPermitted("Không tìm thấy hồ sơ hoặc hồ sơ nằm ngoài phạm vi được giao.") from exc
    form = parse_form(form, person)
    file_format = parse_format(file_format)
    docx_bytes, data, version = resume_docx(acting_user=acting_user, person=person, form=form, day=day)
    content = convert.to_pdf(docx_bytes) if file_format == FileFormat.PDF else docx_bytes
    with transaction.atomic():
        _log_read(
            acting_user=acting_user,
            person=person,
            form=form,
            version=version,
            file_format=file_format,
            day=day,
            action=ReadAction.DOWNLOAD,
            data=data,
        )
    return content, file_name(person, form, day, file_format), data


# --- templates -----------------------------------------------------------------------------


def template_upload(
    *, acting_user: ActingUser, form: str, data: bytes, original_name: str, note: str = ""
) -> DocumentTemplate:
    """Check an uploaded template and keep it as the form's newest version (the previous stay).

    Refused with a Vietnamese message: not a plain .docx, macros, a zip bomb, a placeholder CanBo
    does not know (named), a template that renders to an absurd size.
    """
    spec = template_form(form)
    _render().validate_template(data, spec.fields, spec.tables, spec.sample())
    return _template_add(
        acting_user=acting_user, form=spec.key, data=data, original_name=original_name, note=note
    )


def template_restore(*, acting_user: ActingUser, form: str, version: int) -> DocumentTemplate:
    """Put an earlier version back in use, as a new version with the same content (0: the shipped
    file)."""
    spec = template_form(form)
    form = spec.key
    if version == 0:
        data = spec.shipped.read_bytes()
        name = spec.shipped.name
    else:
        old = DocumentTemplate.objects.filter(form=form, version=version).first()
        if old is None:
            raise DomainError(f"Không có phiên bản {version} của mẫu này.")
        data, name = bytes(old.content), old.original_name
    return _template_add(
        acting_user=acting_user,
        form=form,
        data=data,
        original_name=name,
        note=f"Khôi phục phiên bản {version}",
    )


def _template_add(
    *, acting_user: ActingUser, form: str, data: bytes, original_name: str, note: str
) -> DocumentTemplate:
    with transaction.atomic():
        # The form's versions locked (PostgreSQL allows no FOR UPDATE with an aggregate).
        locked = DocumentTemplate.objects.select_for_update().filter(form=form).values_list("version")
        last = max((v for (v,) in locked), default=0)
        return audited_create(
            DocumentTemplate(
                form=form,
                version=last + 1,
                content=data,
                sha256=hashlib.sha256(data).hexdigest(),
                original_name=original_name[:255],
                uploaded_by=logged_user(acting_user) if getattr(acting_user, "pk", None) else None,
                note=note[:300],
            ),
            acting_user=acting_user,
            reason=note or f"Tải lên mẫu {original_name}",
            check_scope=False,
        )


# --- batches -------------------------------------------------------------------------------


def batch_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "documents" / "batches"
    path.mkdir(parents=True, exist_ok=True)
    return path


def batch_request(
    *,
    acting_user: ActingUser,
    person_ids: list[int],
    title: str,
    form: str | None,
    file_format: str,
    day: dt.date,
) -> ResumeBatch:
    """Record a batch of résumés and enqueue its task. Only the persons the user may see are
    kept (the list was read through his grants; a planning list's people are checked here)."""
    from canbo.documents.tasks import make_batch

    file_format = parse_format(file_format)
    form_value = parse_form(form) if form else ""
    allowed = list(
        Person.objects.restrict(acting_user)
        .filter(pk__in=person_ids)
        .order_by("sort_key", "id")
        .values_list("pk", flat=True)
    )
    if not person_ids:
        # Said apart from the scope case: a list read as of a date before anyone entered it is
        # empty, and "outside your scope" would send the officer looking in the wrong place.
        raise DomainError(f"Không có ai trong danh sách tại ngày {day:%d/%m/%Y}; hãy đổi ngày xem.")
    if not allowed:
        raise DomainError("Danh sách không có ai trong phạm vi bạn được giao.")
    if len(allowed) > MAX_BATCH:
        raise DomainError(
            f"Một gói tối đa {MAX_BATCH:,} người".replace(",", ".") + "; hãy lọc danh sách hẹp hơn."
        )
    batch = audited_create(
        ResumeBatch(
            user=logged_user(acting_user),
            title=title[:300],
            form=form_value,
            file_format=file_format,
            as_of=day,
            person_ids=allowed,
            total=len(allowed),
        ),
        acting_user=acting_user,
        reason=f"Yêu cầu gói sơ yếu lý lịch: {title}"[:500],
        check_scope=False,
    )
    pk = batch.pk
    transaction.on_commit(lambda: _enqueue(make_batch, pk))
    return batch


def _enqueue(task: Any, pk: int) -> None:
    result = task.enqueue(pk)
    batch = ResumeBatch.objects.get(pk=pk)
    audited_update(batch, acting_user=None, changes={"task_id": str(result.id)[:64]}, check_scope=False)


def batch_run(batch_id: int) -> ResumeBatch:
    """Make a batch's ZIP: each person's résumé as of the batch's date through the requesting
    user's grants (a person no longer reachable is left out and named in the ZIP's list), PDFs
    converted in chunks with one LibreOffice start per chunk. Progress is ``done``."""
    batch = ResumeBatch.objects.select_related("user").get(pk=batch_id)
    user = batch.user
    _progress(batch, status=ResumeBatch.Status.RUNNING, done=0)
    target = batch_dir() / f"goi-{batch.pk}.zip"
    skipped: list[str] = []
    pending: dict[str, bytes] = {}
    made = 0
    try:
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for start in range(0, len(batch.person_ids), PDF_CHUNK):
                chunk = batch.person_ids[start : start + PDF_CHUNK]
                persons = {
                    p.pk: p
                    for p in Person.objects.restrict(user)
                    .filter(pk__in=chunk)
                    .select_related(
                        "managing_unit", "ethnicity", "religion", "birth_place", "home_town", "residence"
                    )
                }
                for pid in chunk:
                    person = persons.get(pid)
                    if person is None:
                        skipped.append(str(pid))
                        continue
                    form = batch.form or default_form(person)
                    docx_bytes, data, version = resume_docx(
                        acting_user=user, person=person, form=form, day=batch.as_of
                    )
                    name = file_name(person, form, batch.as_of, "docx")[: -len(".docx")]
                    pending[name] = docx_bytes
                    _log_read(
                        acting_user=user,
                        person=person,
                        form=form,
                        version=version,
                        file_format=batch.file_format,
                        day=batch.as_of,
                        action=ReadAction.GENERATE,
                        data=data,
                        batch=batch,
                    )
                if batch.file_format == FileFormat.PDF:
                    for name, pdf in convert.to_pdf_many(pending).items():
                        archive.writestr(f"{name}.pdf", pdf)
                else:
                    for name, docx_bytes in pending.items():
                        archive.writestr(f"{name}.docx", docx_bytes)
                made += len(pending)
                pending = {}
                _progress(batch, done=min(batch.total, start + len(chunk)))
            listing = io.StringIO()
            listing.write(f"Gói sơ yếu lý lịch: {batch.title}\nDữ liệu tại ngày {batch.as_of:%d/%m/%Y}\n")
            listing.write(f"Số hồ sơ: {made}\n")
            if skipped:
                listing.write(f"Không còn trong phạm vi được giao, không in: {len(skipped)} hồ sơ\n")
            archive.writestr("DANH-SACH.txt", listing.getvalue())
    except DomainError as exc:
        target.unlink(missing_ok=True)
        _progress(batch, status=ResumeBatch.Status.FAILED, message=str(exc)[:500])
        return batch
    _progress(
        batch,
        status=ResumeBatch.Status.DONE,
        done=batch.total,
        result_name=target.name,
        message=f"Đã tạo {made} sơ yếu lý lịch"
        + (f"; {len(skipped)} hồ sơ không còn trong phạm vi" if skipped else "")
        + ".",
    )
    return batch


def _progress(batch: ResumeBatch, **changes: Any) -> None:
    """Progress is written through the audited update (each step is a log entry of the batch,
    not of a person), outside the user's scope check: the batch is bound to no unit."""
    audited_update(batch, acting_user=None, changes=changes, check_scope=False)


def batch_download(*, acting_user: ActingUser, batch: ResumeBatch) -> Path:
    """The ZIP of a finished batch; each person's download is recorded in the read log."""
    if batch.user_id != getattr(acting_user, "pk", None):
        raise NotPermitted("Không tìm thấy gói.")
    if batch.status != ResumeBatch.Status.DONE or not batch.result_name:
        raise DomainError("Gói chưa tạo xong.")
    path = batch_dir() / batch.result_name
    if not path.is_file():
        raise DomainError("Tệp của gói không còn trên máy chủ; hãy tạo lại.")
    made = (
        AccessLog.objects.filter(kind=Kind.DOCUMENT, detail__batch=batch.pk)
        .filter(detail__action=ReadAction.GENERATE.value)
        .order_by("pk")
        .values_list("person_id", flat=True)
    )
    record_access(
        acting_user,
        [pid for pid in made if pid is not None],
        f"Tải gói sơ yếu lý lịch: {batch.title}",
        kind=Kind.DOCUMENT,
        detail={
            "document": DocumentKind.RESUME.value,
            "action": ReadAction.DOWNLOAD.value,
            "file_format": batch.file_format,
            "as_of": batch.as_of.isoformat(),
            "batch": batch.pk,
        },
    )
    return path
