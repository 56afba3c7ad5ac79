"""Award.reason → Award.achievement (issue 14).

The award's "Thành tích" was the model field ``reason``, the name every write uses for the
change log's reason. Through the API the achievement went to the log and was never stored, so
an award created through the API whose achievement is empty gets its log entry's reason back.
Awards created on the web page or by an import are left as they are: the page stored the one
"reason" input in the field, and an import's log reason names the import, not the award.
The log itself is never edited.
"""

from typing import Any

from django.db import migrations


def recover_from_log(apps: Any, schema_editor: Any) -> None:
    Award = apps.get_model("assessment", "Award")
    ObjectChange = apps.get_model("core", "ObjectChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct = ContentType.objects.filter(app_label="assessment", model="award").first()
    if ct is None:
        return
    empty = set(Award.objects.filter(achievement="").values_list("pk", flat=True))
    if not empty:
        return
    entries = (
        ObjectChange.objects.filter(content_type=ct, action="create", source="api")
        .exclude(reason="")
        .order_by("pk")
        .values_list("object_id", "reason")
    )
    for object_id, reason in entries.iterator():
        if object_id in empty:
            Award.objects.filter(pk=object_id, achievement="").update(achievement=reason[:300])
            empty.discard(object_id)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0002_rating_system_labels"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameField(model_name="award", old_name="reason", new_name="achievement"),
        migrations.RunPython(recover_from_log, migrations.RunPython.noop),
    ]
