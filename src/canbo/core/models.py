"""Base models shared by every app, and the change log.

The stack is short (STYLE.md convention 2): ``ChangeLoggedModel`` gives timestamps, an optimistic
lock counter and a JSON snapshot for the change log; ``ScopedModel`` adds the restricted manager
and declares how a record is reached from a grant's unit subtree.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

from canbo.core.querysets import RestrictedQuerySet


def jsonable(value: Any) -> Any:
    """A field value as JSON-ready data: dates ISO, decimals and UUIDs as text, files by name."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or None
    return value


class ChangeLoggedModel(models.Model):
    """A record whose every create, change and delete is written to ``ObjectChange``.

    Writes go through ``canbo.core.services`` (``audited_create``/``audited_update``/
    ``audited_delete``), never ``.update()`` or raw SQL, so the log cannot be bypassed.
    ``row_version`` is the optimistic lock: a form carries the version it was loaded with and the
    service refuses the write if someone else changed the record in between.
    """

    created = models.DateTimeField("tạo lúc", auto_now_add=True)
    last_updated = models.DateTimeField("cập nhật lúc", auto_now=True)
    row_version = models.PositiveIntegerField("phiên bản", default=1, editable=False)

    audit_exclude: ClassVar[tuple[str, ...]] = ("created", "last_updated", "row_version")

    class Meta:
        abstract = True

    def snapshot(self) -> dict[str, Any]:
        """The record's own field values as JSON-ready data (foreign keys as ids)."""
        data: dict[str, Any] = {}
        for f in self._meta.concrete_fields:
            if f.name in self.audit_exclude:
                continue
            data[f.attname] = jsonable(f.value_from_object(self))
        return data

    def audit_person_id(self) -> int | None:
        """The person whose dossier this record belongs to, so his page shows the change."""
        person_id = getattr(self, "person_id", None)
        return int(person_id) if person_id is not None else None

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        """Django's ``get_<field>_display()``, with a field's fixed choices made into a dict once
        (Django builds that dict on every call; the change log's ``str()`` of each row of a demo
        build spent a tenth of the build there). Callable choices are read each time as Django does.
        The dict is kept on the field itself (a dict keyed by fields hashed each in Python), and a
        plain text value and a plain text label skip ``make_hashable`` and ``force_str``, which
        return them unchanged."""
        labels = field.__dict__.get("_canbo_choice_labels")
        if labels is None:
            if not isinstance(field.choices, list | tuple):
                return super()._get_FIELD_display(field)  # type: ignore[misc] # Django's private helper, untyped
            labels = field.__dict__["_canbo_choice_labels"] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        label = labels.get(value if value.__class__ in _PLAIN else make_hashable(value), value)
        return label if label.__class__ is str else force_str(label, strings_only=True)


# Values ``make_hashable`` returns as they are (the usual choice values).
_PLAIN = frozenset({str, int, bool, type(None)})


class ScopedModel(ChangeLoggedModel):
    """A change-logged record whose reads are limited by the user's grants.

    ``scope_unit_path`` is the lookup from this model to the path of the unit whose subtree
    grants cover it; ``scope_person`` the lookup to the person for the "self" role (None when
    the person role never sees it); ``sensitive`` marks sections shown only to grants that
    include sensitive data (personal history, family, political standard, assets).
    """

    scope_unit_path: ClassVar[str] = "person__managing_unit__path"
    scope_person: ClassVar[str | None] = "person_id"
    sensitive: ClassVar[bool] = False

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


# How a change was made (ObjectChange.source), as the history pages say it.
SOURCE_LABELS = {
    "web": "trên trang web",
    "api": "qua API",
    "import": "nhập từ tệp",
    "command": "lệnh quản trị",
    "generator": "dữ liệu mẫu",
    "other": "khác",
}


class ObjectChange(models.Model):
    """One create, change or delete of an audited record: who, when, before, after and why.

    Entries are never edited. ``related_person_id`` is deliberately not a foreign key: the log
    must outlive the records it describes.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Tạo mới"
        UPDATE = "update", "Sửa"
        DELETE = "delete", "Xóa"

    time = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", on_delete=models.SET_NULL, null=True
    )
    user_name = models.CharField("tên người thực hiện", max_length=150)
    request_id = models.UUIDField("mã yêu cầu", db_index=True)
    source = models.CharField("nguồn", max_length=20)
    action = models.CharField("thao tác", max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.BigIntegerField("mã bản ghi")
    object_repr = models.CharField("bản ghi", max_length=300)
    related_person_id = models.BigIntegerField("hồ sơ liên quan", null=True, blank=True, db_index=True)
    reason = models.CharField("lý do / căn cứ", max_length=500, blank=True)
    prechange_data = models.JSONField("trước", null=True, blank=True)
    postchange_data = models.JSONField("sau", null=True, blank=True)

    class Meta:
        verbose_name = "lịch sử thay đổi"
        verbose_name_plural = "lịch sử thay đổi"
        ordering = ["-time", "-id"]
        indexes = [
            # A record's entries newest first (a unit's page): with the time in the index, SQLite
            # no longer prefers walking every entry of the type by time (3,473 units' entries for
            # one unit's, 3 ms at 40,000 people; issue 22). Lookups by type and id use its prefix.
            models.Index(fields=["content_type", "object_id", "time"], name="core_change_object_time"),
            # The business events of a kind since a day (the national export's overdue page):
            # a range per kind instead of every event of the kind.
            models.Index(fields=["content_type", "time"], name="core_change_type_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr} ({self.user_name})"

    def source_label(self) -> str:
        """How the change was made, in Vietnamese (the stored code is not for display)."""
        return SOURCE_LABELS.get(self.source, "khác")

    def source_note(self) -> str:
        """The source as shown next to who made the change: nothing for the web, nor when the
        actor's name already says it ("Trình tạo dữ liệu mẫu")."""
        label = self.source_label()
        if self.source == "web" or label in self.user_name.lower():
            return ""
        return label

    def record_kind(self) -> str:
        """The audited model's Vietnamese name, for display."""
        cls = self.content_type.model_class()
        return str(cls._meta.verbose_name) if cls else self.content_type.model

    def diff(self) -> list[tuple[str, Any, Any]]:
        """Changed fields as (field, before, after), for display."""
        before = self.prechange_data or {}
        after = self.postchange_data or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class AccessLog(models.Model):
    """One read of dossiers: a person page, a section or a person through the API, an export, a
    document made or downloaded, an attachment downloaded (RULES.md N-3: personnel data are
    protected; reads of them are recorded). Append-only: rows are written by
    ``canbo.core.readlog.record_read`` and removed only by the retention purge
    (``readlog_purge``); a database trigger refuses any other UPDATE or DELETE.

    ``person_id`` is deliberately not a foreign key (core imports no app, and the log outlives
    the dossier). ``user`` is a foreign key without a database constraint and without cascade:
    deleting an account neither deletes nor rewrites its reads (``user_name`` keeps the name).
    A read of many persons (an export) writes one row per person in one INSERT; a read of no
    person (a unit's statistics) writes one row with ``person_id`` empty and ``count``.
    """

    class Kind(models.TextChoices):
        PAGE = "trang", "Xem hồ sơ"
        API = "api", "Đọc qua API"
        EXPORT = "xuat", "Xuất danh sách"
        DOCUMENT = "van-ban", "Văn bản"
        ATTACHMENT = "tep", "Tải tệp đính kèm"

    time = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người xem",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    user_name = models.CharField("tên người xem", max_length=150)
    source = models.CharField("nguồn", max_length=20, default="web")
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    person_id = models.BigIntegerField("hồ sơ", null=True, blank=True)
    person_name = models.CharField("họ và tên", max_length=150, blank=True)
    what = models.CharField("nội dung xem", max_length=300)
    sensitive = models.BooleanField("có mục nhạy cảm", default=False)
    count = models.PositiveIntegerField("số người", default=1)
    request_id = models.CharField("mã yêu cầu", max_length=64, blank=True)
    # What the former read records held (documents.DocumentRead, lists.ListExport): a
    # document's kind, form, format, as-of date, withheld sections, batch; an export's filters
    # and columns.
    detail = models.JSONField("chi tiết", default=dict, blank=True)

    class Meta:
        verbose_name = "nhật ký truy cập hồ sơ"
        verbose_name_plural = "nhật ký truy cập hồ sơ"
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["person_id", "-time"], name="accesslog_person_time")]

    def __str__(self) -> str:
        return f"{self.user_name}: {self.what}"
