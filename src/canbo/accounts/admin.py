"""Administration of grants. Saves go through the audited services so the change log sees them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from canbo.accounts.models import Grant
from canbo.core.models import ObjectChange
from canbo.core.services import log_change


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "person", "include_sensitive")
    list_filter = ("role", "include_sensitive")
    raw_id_fields = ("unit", "person")
    actions = None  # the bulk "delete selected" action would bypass the change log
    search_fields = ("user__username", "unit__name", "unit__code")

    def save_model(self, request: Any, obj: Grant, form: Any, change: bool) -> None:
        before = Grant.objects.get(pk=obj.pk).snapshot() if change and obj.pk else None
        obj.full_clean()
        super().save_model(request, obj, form, change)
        log_change(
            instance=obj,
            action=ObjectChange.Action.UPDATE if change else ObjectChange.Action.CREATE,
            before=before,
            after=obj.snapshot(),
            acting_user=request.user,
            reason="Quản trị: cấp/sửa quyền",
        )

    def delete_model(self, request: Any, obj: Grant) -> None:
        log_change(
            instance=obj,
            action=ObjectChange.Action.DELETE,
            before=obj.snapshot(),
            after=None,
            acting_user=request.user,
            reason="Quản trị: thu hồi quyền",
        )
        super().delete_model(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # Bulk delete would bypass the log; single deletes go through delete_model.
        return super().has_delete_permission(request, obj) and obj is not None


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    """Read-only view of the change log for administrators."""

    list_display = ("time", "user_name", "action", "content_type", "object_repr", "reason", "source")
    list_filter = ("action", "source", "content_type")
    search_fields = ("object_repr", "user_name", "reason")
    date_hierarchy = "time"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
