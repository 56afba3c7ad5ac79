"""Documents CanBo produces from the dossier: the résumé templates kept as data, each generation
and download of a résumé (the read log of RULES.md N-3), and the batches of résumés."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from canbo.core.models import ChangeLoggedModel


class ResumeForm(models.TextChoices):
    """The three résumé forms of DOCUMENTS.md §2–4; the file each ships with is in ``data/``."""

    BNV = "bnv", "Mẫu 2C-BNV/2008 (cán bộ, công chức)"
    TCTW = "tctw", "Mẫu 2C/TCTW-98 (ngành Tổ chức Đảng)"
    VC = "vc", "Mẫu HS02-VC/BNV (viên chức)"


SHIPPED_FILES = {
    ResumeForm.BNV: "2c-bnv.docx",
    ResumeForm.TCTW: "2c-tctw.docx",
    ResumeForm.VC: "hs02-vc.docx",
}


class FileFormat(models.TextChoices):
    DOCX = "docx", "Word (.docx)"
    PDF = "pdf", "PDF"


class DocumentTemplate(ChangeLoggedModel):
    """One version of a form's Word template (a form of ``core.docforms``). The newest version of
    a form is the one in use; older ones are kept, and restoring one adds it again as the newest
    (so the history stays a straight line). No row for a form: the file it ships with is used."""

    # A key of ``core.docforms.FORMS``: the résumé forms (``ResumeForm``) and the forms other apps
    # register (the cases' minutes and proposal).
    form = models.CharField("mẫu", max_length=10)
    version = models.PositiveIntegerField("phiên bản mẫu")
    content = models.BinaryField("nội dung tệp .docx")
    sha256 = models.CharField("mã kiểm tra SHA-256", max_length=64)
    original_name = models.CharField("tên tệp tải lên", max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    note = models.CharField("ghi chú", max_length=300, blank=True)

    audit_exclude = (*ChangeLoggedModel.audit_exclude, "content")

    class Meta:
        verbose_name = "mẫu tài liệu"
        verbose_name_plural = "mẫu tài liệu"
        ordering = ["form", "-version"]
        constraints = [models.UniqueConstraint(fields=["form", "version"], name="document_template_version")]

    def __str__(self) -> str:
        return f"{self.form_label} – phiên bản {self.version}"

    @property
    def form_label(self) -> str:
        from canbo.core.docforms import document_form

        found = document_form(self.form)
        return found.label if found is not None else self.form


class ResumeBatch(ChangeLoggedModel):
    """A ZIP of the résumés of many persons, made by a background task (``documents.tasks``).

    ``person_ids`` were checked against the requesting user's grants when the batch was asked
    for, and are checked again by the task. ``done`` of ``total`` is the progress the page shows.
    """

    class Status(models.TextChoices):
        WAITING = "cho", "Đang chờ"
        RUNNING = "dang_chay", "Đang tạo"
        DONE = "xong", "Đã xong"
        FAILED = "loi", "Lỗi"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người yêu cầu", on_delete=models.CASCADE)
    title = models.CharField("nguồn danh sách", max_length=300)
    form = models.CharField(
        "mẫu", max_length=10, choices=ResumeForm.choices, blank=True
    )  # blank: by category
    file_format = models.CharField("định dạng", max_length=5, choices=FileFormat.choices)
    as_of = models.DateField("tại ngày")
    person_ids = models.JSONField("danh sách cán bộ", default=list)
    total = models.PositiveIntegerField("số hồ sơ", default=0)
    done = models.PositiveIntegerField("đã tạo", default=0)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.WAITING)
    message = models.CharField("thông báo", max_length=500, blank=True)
    result_name = models.CharField("tệp kết quả", max_length=200, blank=True, editable=False)
    task_id = models.CharField("mã tác vụ", max_length=64, blank=True)

    audit_exclude = (*ChangeLoggedModel.audit_exclude, "person_ids")

    class Meta:
        verbose_name = "gói sơ yếu lý lịch"
        verbose_name_plural = "gói sơ yếu lý lịch"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Gói sơ yếu lý lịch: {self.title} ({self.total} người)"

    def audit_person_id(self) -> int | None:
        return None

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100


class DocumentKind(models.TextChoices):
    """What a read-log entry made: a résumé here, or one of the reports' documents."""

    RESUME = "so_yeu_ly_lich", "Sơ yếu lý lịch"
    STATISTICS = "so_luong_chat_luong", "Báo cáo số lượng, chất lượng"
    PLANNING = "danh_sach_quy_hoach", "Danh sách quy hoạch"
    NATIONAL = "csdl_quoc_gia", "Hồ sơ gửi CSDL quốc gia"
    CASE = "ho_so_bo_nhiem", "Văn bản hồ sơ bổ nhiệm"


class ReadAction(models.TextChoices):
    """What a read-log entry of a document records (``core.AccessLog.detail["action"]``)."""

    GENERATE = "tao", "Tạo"
    DOWNLOAD = "tai", "Tải về"
