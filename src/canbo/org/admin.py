"""Administration of the title catalogue and of posts (units change only by restructuring)."""

from django.contrib import admin

from canbo.core.admin import AuditedAdmin
from canbo.org.models import Post, Title


@admin.register(Title)
class TitleAdmin(AuditedAdmin):
    list_display = (
        "code",
        "name",
        "level",
        "group",
        "is_key",
        "is_leader",
        "head_kind",
        "management_scope",
        "rank",
    )
    list_filter = ("level", "group", "is_key", "management_scope")
    search_fields = ("code", "name")


@admin.register(Post)
class PostAdmin(AuditedAdmin):
    list_display = ("unit", "title", "seats", "valid_from", "valid_to")
    raw_id_fields = ("unit",)
    search_fields = ("unit__name", "title__name")
