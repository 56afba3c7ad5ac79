"""The list exports' own record (ListExport) moves into the read log (core.AccessLog): one row
per export, as it held no person ids, with its filters, columns, as-of date and row count."""

from django.db import migrations


def _name(user) -> str:  # type: ignore[no-untyped-def]
    if user is None:
        return "hệ thống"
    full = f"{user.first_name} {user.last_name}".strip()
    return full or user.username


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    ListExport = apps.get_model("lists", "ListExport")
    AccessLog = apps.get_model("core", "AccessLog")
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                time=e.created,
                user_id=e.user_id,
                user_name=_name(e.user),
                source="web",
                kind="xuat",
                person_id=None,
                what=f"Xuất danh sách ra Excel ({f'{e.row_count:,}'.replace(',', '.')} người, tính đến {e.as_of:%d/%m/%Y})",
                sensitive=False,
                count=e.row_count,
                request_id="",
                detail={
                    "as_of": e.as_of.isoformat(),
                    "filters": e.filters,
                    "columns": e.columns,
                    "row_count": e.row_count,
                    "list_export_id": e.pk,
                },
            )
            for e in ListExport.objects.select_related("user").order_by("pk")
        ],
        batch_size=500,
    )


def _purge_allowed(schema_editor) -> None:  # type: ignore[no-untyped-def]
    """Lets this transaction delete from the append-only log on PostgreSQL (core 0002)."""
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute("SELECT set_config('canbo.accesslog_purge', 'on', true)")


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Back to the former table; the moved rows leave the read log."""
    ListExport = apps.get_model("lists", "ListExport")
    AccessLog = apps.get_model("core", "AccessLog")
    seen = set()
    for r in AccessLog.objects.filter(kind="xuat").order_by("pk"):
        key = r.request_id or f"row-{r.pk}"
        if "filters" not in r.detail or key in seen:
            continue
        seen.add(key)
        e = ListExport.objects.create(
            user_id=r.user_id,
            as_of=r.detail["as_of"],
            filters=r.detail["filters"],
            columns=r.detail["columns"],
            row_count=r.detail["row_count"],
        )
        ListExport.objects.filter(pk=e.pk).update(created=r.time)
    _purge_allowed(schema_editor)
    AccessLog.objects.filter(kind="xuat").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_access_log"),
        ("lists", "0002_list_filters_may_be_empty"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ListExport"),
    ]
