"""Seed the salary catalogues and turn each person's current grade/step/coefficient into a
first salary row dated by his recruitment date.

A person gets a row only when his grade code is in the catalogue, his step exists in the grade's
group, his coefficient is that step's, and his recruitment date is known; everyone else keeps
his fields as they are (today's value without history) and is counted in the output.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.db import migrations

REASON = "Chuyển hệ số lương hiện tại thành dòng diễn biến lương đầu tiên"


def _log(apps: Any, model_name: str, objs: list[Any], reason: str, request_id: uuid.UUID) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    ObjectChange = apps.get_model("core", "ObjectChange")
    ct, _ = ContentType.objects.get_or_create(app_label="salary", model=model_name.lower())
    entries = []
    for obj in objs:
        data: dict[str, Any] = {}
        for f in obj._meta.concrete_fields:
            if f.name in ("created", "last_updated", "row_version"):
                continue
            value = f.value_from_object(obj)
            data[f.attname] = str(value) if value is not None and not isinstance(value, (int, str, bool)) else value
        entries.append(
            ObjectChange(
                user=None,
                user_name="Hệ thống",
                request_id=request_id,
                source="command",
                action="create",
                content_type=ct,
                object_id=obj.pk,
                object_repr=str(obj.pk),
                related_person_id=getattr(obj, "person_id", None),
                reason=reason,
                postchange_data=data,
            )
        )
    ObjectChange.objects.bulk_create(entries, batch_size=2000)


def forward(apps: Any, schema_editor: Any) -> None:
    from canbo.salary import catalogue

    SalaryGroup = apps.get_model("salary", "SalaryGroup")
    Grade = apps.get_model("salary", "Grade")
    BaseSalary = apps.get_model("salary", "BaseSalary")
    SalaryRow = apps.get_model("salary", "SalaryRow")
    Person = apps.get_model("people", "Person")
    request_id = uuid.uuid4()

    groups = {}
    for g in catalogue.groups():
        groups[g["code"]], _ = SalaryGroup.objects.get_or_create(code=g["code"], defaults=g)
    grades = {}
    for row in catalogue.grades():
        fields = {**row, "group": groups[row["group"]]}
        grades[row["code"]], _ = Grade.objects.get_or_create(code=row["code"], defaults=fields)
    bases = [
        BaseSalary.objects.get_or_create(valid_from=b["valid_from"], defaults=b)[0]
        for b in catalogue.base_salaries()
    ]
    # The catalogue is reference data seeded like the ethnicities (not logged); the rows written
    # into dossiers below are logged.
    del bases

    rows = []
    skipped = 0
    people = (
        Person.objects.exclude(grade_code="")
        .filter(salary_step__isnull=False, salary_coefficient__isnull=False)
        .values_list("id", "grade_code", "salary_step", "salary_coefficient", "position_allowance",
                     "recruitment_date")
    )
    for pid, code, step, coef, allowance, recruited in people.iterator(chunk_size=5000):
        grade = grades.get(code.strip())
        if grade is None or recruited is None or not 1 <= step <= grade.group.steps:
            skipped += 1
            continue
        group = grade.group
        if Decimal(coef) != group.first + (step - 1) * group.increment:
            skipped += 1
            continue
        rows.append(
            SalaryRow(
                person_id=pid,
                grade=grade,
                step=step,
                coefficient=coef,
                position_allowance=allowance,
                from_date=recruited,
                step_since=recruited,
            )
        )
    SalaryRow.objects.bulk_create(rows, batch_size=2000)
    created = list(SalaryRow.objects.filter(person_id__in=[r.person_id for r in rows])) if rows else []
    _log(apps, "SalaryRow", created, REASON, request_id)
    others = Person.objects.exclude(grade_code="", salary_step__isnull=True, salary_coefficient__isnull=True).count()
    if rows or others:  # pragma: no cover - only on a database with dossiers
        print(
            f"\n  Diễn biến lương: {len(rows)} hồ sơ có dòng đầu tiên; {skipped} hồ sơ giữ nguyên "
            "(mã ngạch không có trong danh mục, bậc hoặc hệ số không đúng bảng lương, hoặc chưa có "
            f"ngày tuyển dụng); {max(others - len(rows) - skipped, 0)} hồ sơ ghi thiếu ngạch, bậc "
            "hoặc hệ số."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("salary", "0001_catalogues_and_history"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0014_service_events_from_person"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
