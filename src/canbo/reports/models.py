"""The record of every document made from the dossiers, and of the national-database exports."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from canbo.core.models import ChangeLoggedModel, ObjectChange


class DocumentKind(models.TextChoices):
    STATISTICS = "so_luong_chat_luong", "Báo cáo số lượng, chất lượng"
    PLANNING = "danh_sach_quy_hoach", "Danh sách quy hoạch"
    NATIONAL = "csdl_quoc_gia", "Hồ sơ gửi CSDL quốc gia"


class ReportRead(ChangeLoggedModel):
    """One generation or download of a document made from dossiers: who, when, which document,
    of which person or unit, as of which date, in which format, how many persons it holds.

    Like the list export (``lists.ListExport``), written through the audited service, so every
    read also stands in the change log (RULES.md N-3: reads of protected personnel data)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người đọc", on_delete=models.SET_NULL, null=True, blank=True
    )
    kind = models.CharField("văn bản", max_length=25, choices=DocumentKind.choices)
    form = models.CharField("mẫu", max_length=40, blank=True)
    file_format = models.CharField("định dạng", max_length=10)
    person_id_read = models.BigIntegerField("hồ sơ được đọc", null=True, blank=True, db_index=True)
    subject = models.CharField("đơn vị, danh sách", max_length=300, blank=True)
    as_of = models.DateField("tính đến ngày", null=True, blank=True)
    person_count = models.PositiveIntegerField("số người", default=0)

    class Meta:
        verbose_name = "lần đọc, xuất văn bản"
        verbose_name_plural = "các lần đọc, xuất văn bản"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.file_format})"

    def audit_person_id(self) -> int | None:
        return None


class NationalExport(ChangeLoggedModel):
    """One run of the national-database export: changes since ``since``, documents written."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người xuất", on_delete=models.SET_NULL, null=True, blank=True
    )
    since = models.DateTimeField("thay đổi từ")
    exported_at = models.DateTimeField("thời điểm xuất")
    document_count = models.PositiveIntegerField("số hồ sơ")
    skipped_count = models.PositiveIntegerField("số hồ sơ thiếu số định danh", default=0)
    event_count = models.PositiveIntegerField("số sự kiện nghiệp vụ", default=0)

    class Meta:
        verbose_name = "lần xuất CSDL quốc gia"
        verbose_name_plural = "các lần xuất CSDL quốc gia"
        ordering = ["-exported_at"]

    def __str__(self) -> str:
        return f"Xuất {self.document_count} hồ sơ lúc {self.exported_at:%d/%m/%Y %H:%M}"

    def audit_person_id(self) -> int | None:
        return None


class ExportedEvent(models.Model):
    """A business event (a change-log entry on a salary row, award, discipline, post or rating)
    carried to the national database by an export: its first export time is kept (N-3).
    Bookkeeping of the export run, written with it; not change-logged itself."""

    change = models.OneToOneField(
        ObjectChange, verbose_name="sự kiện", on_delete=models.CASCADE, related_name="national_export"
    )
    export = models.ForeignKey(NationalExport, verbose_name="lần xuất", on_delete=models.CASCADE)
    exported_at = models.DateTimeField("thời điểm xuất", db_index=True)

    class Meta:
        verbose_name = "sự kiện đã xuất"
        verbose_name_plural = "các sự kiện đã xuất"

    def __str__(self) -> str:
        return f"Sự kiện {self.change_id} xuất lúc {self.exported_at:%d/%m/%Y %H:%M}"
