"""The identity card's issue date and the social-insurance book number (2C items 25 and 26).

``social_insurance_number`` is a NOT NULL column with an empty default: Django would rebuild
``people_person`` on SQLite to add it, which drops the name-word triggers of 0007–0010 (and the
indexes made in SQL). The column is added with ``ALTER TABLE … ADD COLUMN`` instead, on both
databases; only Django's state gets the field as ``AddField`` describes it.
``identity_issue_date`` is nullable, which Django adds without a rebuild.
"""

import django.core.validators
from django.db import migrations, models

from canbo.core.migration_operations import RunSchemaPython


def add_column(apps, schema_editor):
    schema_editor.execute(
        "ALTER TABLE people_person ADD COLUMN social_insurance_number varchar(10) NOT NULL DEFAULT ''"
    )
    if schema_editor.connection.vendor == "postgresql":
        # As Django leaves a column it adds: no default in the database.
        schema_editor.execute("ALTER TABLE people_person ALTER COLUMN social_insurance_number DROP DEFAULT")


def drop_column(apps, schema_editor):
    schema_editor.execute("ALTER TABLE people_person DROP COLUMN social_insurance_number")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0015_person_job_position_entry"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="identity_issue_date",
            field=models.DateField(blank=True, null=True, verbose_name="ngày cấp căn cước"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="person",
                    name="social_insurance_number",
                    field=models.CharField(
                        blank=True,
                        max_length=10,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^\\d{10}$", "Số sổ bảo hiểm xã hội gồm đúng 10 chữ số."
                            )
                        ],
                        verbose_name="số sổ BHXH",
                    ),
                ),
            ],
            database_operations=[RunSchemaPython(add_column, drop_column, elidable=False)],
        ),
    ]
