"""Writes of the salary app: the catalogue loader and the salary history.

Salary rows are dossier sections and are written by ``people.services.section_*`` (the generic
pages and the API use those); after each write, ``SalaryRow.after_section_write`` calls
``sync_person`` so that the person's current grade, step and coefficient are always the row in
force today.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from canbo.core.dates import today
from canbo.core.services import audited_create
from canbo.people.models import Person
from canbo.salary import catalogue
from canbo.salary.models import BaseSalary, Grade, SalaryGroup, SalaryRow

SYNC_REASON = "Cập nhật theo diễn biến lương"


def catalogues_load() -> dict[str, int]:
    """Create the groups, grades and base salaries of ``salary/data`` that are missing.

    Idempotent; an existing record is never overwritten (a correction is an administrator's
    edit, logged). Returns how many of each were created.
    """
    created = {"groups": 0, "grades": 0, "base": 0}
    with transaction.atomic():
        for g in catalogue.groups():
            if not SalaryGroup.objects.filter(code=g["code"]).exists():
                audited_create(SalaryGroup(**g), acting_user=None, reason="Nạp bảng lương")
                created["groups"] += 1
        by_code = {g.code: g for g in SalaryGroup.objects.all()}
        for row in catalogue.grades():
            if not Grade.objects.filter(code=row["code"]).exists():
                fields = {**row, "group": by_code[row["group"]]}
                audited_create(Grade(**fields), acting_user=None, reason="Nạp danh mục ngạch")
                created["grades"] += 1
        for row in catalogue.base_salaries():
            if not BaseSalary.objects.filter(valid_from=row["valid_from"]).exists():
                audited_create(BaseSalary(**row), acting_user=None, reason="Nạp lương cơ sở")
                created["base"] += 1
    return created


def row_in_force(person_id: int, day: Any) -> SalaryRow | None:
    """The salary row in force on ``day``: the latest that starts on or before it."""
    return (
        SalaryRow.objects.filter(person_id=person_id, from_date__lte=day)
        .select_related("grade__group")
        .order_by("-from_date")
        .first()
    )


def sync_person(person_id: int, *, acting_user: Any) -> None:
    """Make the person's current-salary fields show the row in force today (when there is one;
    a person without a row in force keeps his fields, which are then today's value without
    history)."""
    from canbo.people.services import person_update

    row = row_in_force(person_id, today())
    if row is None:
        return
    person = Person.objects.get(pk=person_id)
    changes = {
        "grade_code": row.grade.code,
        "grade_name": row.grade.name[:100],
        "salary_step": row.step,
        "salary_coefficient": row.coefficient,
    }
    if row.position_allowance is not None:
        changes["position_allowance"] = row.position_allowance
    person_update(acting_user=acting_user, person=person, changes=changes, reason=SYNC_REASON)
