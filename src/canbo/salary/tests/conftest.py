"""Fixtures of the salary tests: a small staff with salary histories, ratings and a discipline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from canbo.assessment.models import Discipline, Rating
from canbo.conftest import REASON_HEADERS, new_person, rows_kept_for_the_scope
from canbo.org.models import Unit
from canbo.people.models import Person
from canbo.people.services import section_create
from canbo.salary.models import Grade, SalaryRow

AS_OF = dt.date(2025, 1, 1)


def client_for(user: Any) -> Client:
    c = Client(headers=REASON_HEADERS)
    c.force_login(user)
    return c


def salary(person: Person, step: int, since: dt.date, code: str = "01.003", percent: int = 0) -> None:
    grade = Grade.objects.select_related("group").get(code=code)
    section_create(
        acting_user=None,
        person=person,
        instance=SalaryRow(
            grade=grade,
            step=step,
            coefficient=grade.group.coefficient(step),
            beyond_frame_percent=percent,
            from_date=since,
            step_since=since,
        ),
        reason="QĐ",
    )


def rate(person: Person, *years: int, level: str = "ht") -> None:
    for y in years:
        Rating.objects.create(person=person, system="chinh_quyen", year=y, level=level)


@pytest.fixture
def staff(tree: dict) -> dict[str, Person]:
    return make_staff(tree)


def make_staff(tree: dict) -> dict[str, Person]:
    """Six people with salary histories, ratings and one discipline (``later`` is written, not
    returned)."""
    on_time = new_person(tree["A1"], "Đỗ Văn Đúng", sex="nam", recruitment_date=dt.date(2010, 1, 1))
    salary(on_time, 3, dt.date(2022, 2, 1))
    rate(on_time, 2022, 2023, 2024)
    delayed = new_person(tree["A1"], "Đỗ Văn Chậm", sex="nam", recruitment_date=dt.date(2010, 1, 1))
    salary(delayed, 4, dt.date(2021, 8, 15))
    rate(delayed, 2021, 2022, 2023, 2024)
    Discipline.objects.create(
        person=delayed, system="chinh_quyen", form="khien_trach", decision_number="7/QĐ-UBND",
        decision_date=dt.date(2023, 3, 1), issuing_body="UBND", violation="x",
    )  # fmt: skip
    unrated = new_person(tree["A1"], "Đỗ Thị Thiếu", recruitment_date=dt.date(2010, 1, 1))
    salary(unrated, 2, dt.date(2022, 3, 1))
    rate(unrated, 2022, 2024)
    top = new_person(tree["A1"], "Đỗ Văn Khung", sex="nam", recruitment_date=dt.date(2000, 1, 1))
    salary(top, 9, dt.date(2022, 1, 10))
    rate(top, 2022, 2023, 2024)
    other = new_person(tree["B"], "Lý Văn Khác", sex="nam", recruitment_date=dt.date(2010, 1, 1))
    salary(other, 3, dt.date(2022, 2, 1))
    rate(other, 2022, 2023, 2024)
    later = new_person(tree["A1"], "Đỗ Văn Sau", sex="nam", recruitment_date=dt.date(2010, 1, 1))
    salary(later, 3, dt.date(2023, 2, 1))
    return {"on_time": on_time, "delayed": delayed, "unrated": unrated, "top": top, "other": other}


@pytest.fixture(scope="module")
def staff_of_the_module(
    common_rows_of_the_module: dict[str, Any], django_db_blocker: Any
) -> Iterator[dict[str, Person]]:
    """``staff`` written once, after the module's ``tree``, ``person_a`` and ``users``
    (``common_rows_of_the_module``), and rolled back after the module's last test: each test wrote
    the six people, their salary rows, ratings and discipline again (0.13–0.19 s of CPU a test,
    docs/performance.md, "Session 16"). For a module that takes the kept rows and whose tests do
    not mind the staff being there when they did not ask for it."""
    tree = common_rows_of_the_module["tree"]
    with rows_kept_for_the_scope(django_db_blocker, lambda: make_staff(tree)) as rows:
        yield rows


def kept_staff(staff_of_the_module: dict[str, Person], tree: dict[str, Unit]) -> dict[str, Person]:
    """The module's staff read afresh for each test (a test that changes one in memory leaves the
    next an unchanged copy), as ``new_person`` returns a person: its ethnicity and religion loaded,
    its unit the test's ``tree`` unit."""
    fresh = Person.objects.select_related("ethnicity", "religion").in_bulk(
        [p.pk for p in staff_of_the_module.values()]
    )
    units = {u.pk: u for u in tree.values()}
    for person in fresh.values():
        person.managing_unit = units[person.managing_unit_id]
    return {name: fresh[p.pk] for name, p in staff_of_the_module.items()}
