"""Django-admin base class whose saves and deletes are written to the change log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from canbo.core.models import ObjectChange
from canbo.core.services import log_change


class AuditedAdmin(admin.ModelAdmin):
    """Admin pages for catalogue records (titles, posts, grants): every save and delete is logged.

    The bulk "delete selected" action is removed because it would bypass the log.
    """

    actions = None
    audit_reason = "Quản trị danh mục"

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        before = type(obj)._default_manager.get(pk=obj.pk).snapshot() if change and obj.pk else None
        if change:
            obj.row_version = (obj.row_version or 0) + 1
        super().save_model(request, obj, form, change)
        log_change(
            instance=obj,
            action=ObjectChange.Action.UPDATE if change else ObjectChange.Action.CREATE,
            before=before,
            after=obj.snapshot(),
            acting_user=request.user,
            reason=self.audit_reason,
        )

    def delete_model(self, request: Any, obj: Any) -> None:
        log_change(
            instance=obj,
            action=ObjectChange.Action.DELETE,
            before=obj.snapshot(),
            after=None,
            acting_user=request.user,
            reason=self.audit_reason,
        )
        super().delete_model(request, obj)
