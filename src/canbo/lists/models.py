"""Saved lists. Every export is in the read log (``core.AccessLog``)."""

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
