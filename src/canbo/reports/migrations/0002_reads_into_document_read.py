"""The reports' read log (ReportRead) joins the one read log of documents (documents.DocumentRead):
every row moves there, its change-log entries are pointed at the moved row, and ReportRead goes."""

from django.db import migrations


def move_reads(apps, schema_editor):
    ReportRead = apps.get_model("reports", "ReportRead")
    DocumentRead = apps.get_model("documents", "DocumentRead")
    ObjectChange = apps.get_model("core", "ObjectChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = list(ReportRead.objects.select_related("user").order_by("pk"))
    if not rows:
        return
    old_type = ContentType.objects.filter(app_label="reports", model="reportread").first()
    new_type, _ = ContentType.objects.get_or_create(app_label="documents", model="documentread")
    for row in rows:
        user = row.user
        name = ""
        if user is not None:
            name = f"{user.first_name} {user.last_name}".strip() or user.username
        read = DocumentRead.objects.create(
            user=user,
            user_name=name or "hệ thống",
            kind=row.kind,
            person_id=row.person_id_read,
            person_name=row.subject[:150] if row.person_id_read else "",
            subject=row.subject,
            person_count=row.person_count,
            form=row.form,
            file_format=row.file_format,
            as_of=row.as_of,
            action="tai",
        )
        # Keep the row's first moment, not the migration's.
        DocumentRead.objects.filter(pk=read.pk).update(created=row.created, last_updated=row.last_updated)
        if old_type is not None:
            ObjectChange.objects.filter(content_type=old_type, object_id=row.pk).update(
                content_type=new_type, object_id=read.pk
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_document_reads_national_export"),
        ("documents", "0002_document_read_for_every_document"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_reads, migrations.RunPython.noop),
        migrations.DeleteModel(name="ReportRead"),
    ]
