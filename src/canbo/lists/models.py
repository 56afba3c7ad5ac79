"""Saved lists and the record of every export."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from canbo.core.models import ChangeLoggedModel


class SavedList(ChangeLoggedModel):
    """A user's list: its filters (the query string of the list page) and its columns."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người tạo", on_delete=models.CASCADE)
    name = models.CharField("tên danh sách", max_length=150)
    filters = models.JSONField("điều kiện lọc", default=dict, blank=True)  # no filter: the whole list
    columns = models.JSONField("các cột", default=list)

    class Meta:
        verbose_name = "danh sách đã lưu"
        verbose_name_plural = "danh sách đã lưu"
        ordering = ["owner", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="savedlist_unique_name_per_owner")
        ]

    def __str__(self) -> str:
        return self.name

    def audit_person_id(self) -> int | None:
        return None


class ListExport(ChangeLoggedModel):
    """One export of a list to Excel: who, when, which filters and columns, how many rows.

    Written through the audited service, so every export also stands in the change log.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người xuất", on_delete=models.SET_NULL, null=True
    )
    as_of = models.DateField("tính đến ngày")
    filters = models.JSONField("điều kiện lọc", default=dict, blank=True)  # no filter: the whole list
    columns = models.JSONField("các cột", default=list)
    row_count = models.PositiveIntegerField("số dòng")

    class Meta:
        verbose_name = "lần xuất danh sách"
        verbose_name_plural = "các lần xuất danh sách"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Xuất danh sách {self.row_count} người, tính đến {self.as_of:%d/%m/%Y}"

    def audit_person_id(self) -> int | None:
        return None
