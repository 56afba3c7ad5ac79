"""The national-database exports. The documents made from dossiers are in the read log
(``core.AccessLog``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from canbo.core.models import ChangeLoggedModel, ObjectChange


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
    # Whether the export came after the event's N-3 deadline (working days, holidays counted),
    # decided when the export is written, so the overdue page finds late exports by an index
    # instead of reading every exported event. Null for rows written before the flag existed:
    # the overdue page decides those itself.
    late = models.BooleanField("xuất trễ hạn", null=True, db_index=True)

    class Meta:
        verbose_name = "sự kiện đã xuất"
        verbose_name_plural = "các sự kiện đã xuất"

    def __str__(self) -> str:
        return f"Sự kiện {self.change_id} xuất lúc {self.exported_at:%d/%m/%Y %H:%M}"
