"""Administration of grants and a read-only view of the change log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from canbo.accounts.models import Grant
from canbo.core.admin import AuditedAdmin
from canbo.core.history import describe_changes
from canbo.core.models import ObjectChange

admin.site.site_header = "CanBo — quản trị"
admin.site.site_title = "CanBo"


@admin.register(Grant)
class GrantAdmin(AuditedAdmin):
    list_display = ("user", "role", "unit", "person", "management_scope", "include_sensitive")
    list_filter = ("role", "management_scope", "include_sensitive")
    raw_id_fields = ("unit", "person")
    search_fields = ("user__username", "unit__name", "unit__code")
    audit_reason = "Quản trị: cấp, sửa, thu hồi quyền"


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    """Read-only view of the change log for administrators."""

    list_display = ("time", "user_name", "action", "content_type", "object_repr", "reason", "source")
    list_filter = ("action", "source", "content_type")
    search_fields = ("object_repr", "user_name", "reason")
    date_hierarchy = "time"
    # The entry as every history shows it (core.history), not its JSON snapshots.
    fields = ("time", "user_name", "source", "action", "content_type", "object_repr", "reason", "changes")
    readonly_fields = fields

    @admin.display(description="Thay đổi")
    def changes(self, obj: ObjectChange) -> str:
        rows = describe_changes([obj])[0].changes  # type: ignore[attr-defined]
        if not rows:
            return "—"
        return format_html(
            '<table class="diff"><tr><th>Thông tin</th><th>Trước</th><th>Sau</th></tr>{}</table>',
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                ((r.label, r.before or "—", r.after or "—") for r in rows),
            ),
        )

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
