from django.db import migrations


def load(apps, schema_editor):
    from canbo.people.reference import ETHNICITIES, RELIGIONS

    Ethnicity = apps.get_model("people", "Ethnicity")
    Religion = apps.get_model("people", "Religion")
    for code, name in ETHNICITIES:
        Ethnicity.objects.update_or_create(code=code, defaults={"name": name})
    for code, name in RELIGIONS:
        Religion.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
