"""Personal names checked and NFC-normalised (issue 14): ``PersonalNameField``.

The column is the same varchar(150); only Django's state changes. Kept out of the database so
that SQLite does not rebuild people_person, which would drop the name-word triggers of
0007–0010.
"""

from django.db import migrations

import canbo.people.fields


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0011_family_relation_2c_order"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="familyrelation",
                    name="full_name",
                    field=canbo.people.fields.PersonalNameField(max_length=150, verbose_name="họ và tên"),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="full_name",
                    field=canbo.people.fields.PersonalNameField(
                        max_length=150, verbose_name="họ và tên khai sinh"
                    ),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="other_names",
                    field=canbo.people.fields.PersonalNameField(
                        blank=True, max_length=150, verbose_name="tên gọi khác"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
