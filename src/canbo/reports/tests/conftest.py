"""A small staff whose facts change around the report date 31/12/2024."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from canbo.conftest import new_person
from canbo.people.models import Ethnicity, PartyMembership, Person, Qualification, Religion, ServiceEvent
from canbo.people.services import section_create
from canbo.salary.models import Grade, SalaryRow

DAY = dt.date(2024, 12, 31)


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def salary(person: Person, code: str, since: dt.date, step: int = 2) -> None:
    grade = Grade.objects.select_related("group").get(code=code)
    section_create(
        acting_user=None,
        person=person,
        instance=SalaryRow(
            grade=grade,
            step=step,
            coefficient=grade.group.coefficient(step),
            from_date=since,
            step_since=since,
        ),
        reason="QĐ lương",
    )


def event(person: Person, kind: str, day: dt.date) -> None:
    section_create(
        acting_user=None, person=person, instance=ServiceEvent(kind=kind, event_date=day), reason="QĐ"
    )


def degree(person: Person, kind: str, level: str, day: dt.date) -> None:
    section_create(
        acting_user=None,
        person=person,
        instance=Qualification(kind=kind, level=level, obtained_date=day),
        reason="Bằng",
    )


@pytest.fixture
def staff(tree: dict) -> dict[str, Person]:
    hoa = new_person(tree["A1"], "Nguyễn Thị Hồng", born=dt.date(1980, 5, 17))
    event(hoa, "tuyen_dung", dt.date(2005, 1, 1))
    salary(hoa, "01.002", dt.date(2020, 1, 1))
    degree(hoa, "chuyen_mon", "thac_si", dt.date(2015, 6, 1))
    degree(hoa, "chuyen_mon", "dai_hoc", dt.date(2002, 6, 1))
    degree(hoa, "ly_luan_chinh_tri", "cao_cap", dt.date(2018, 6, 1))
    section_create(
        acting_user=None,
        person=hoa,
        instance=PartyMembership(admission_date=dt.date(2010, 3, 3)),
        reason="QĐ",
    )
    # A young minority man with a religion, promoted to chuyên viên chính after the date.
    an = new_person(
        tree["A1"],
        "Lò Văn An",
        sex="nam",
        born=dt.date(1995, 2, 1),
    )
    Person.objects.filter(pk=an.pk).update(
        ethnicity=Ethnicity.objects.get(code="03"), religion=Religion.objects.get(code="01")
    )
    event(an, "tuyen_dung", dt.date(2018, 1, 1))
    salary(an, "01.003", dt.date(2019, 1, 1))
    salary(an, "01.002", dt.date(2025, 3, 1))
    degree(an, "chuyen_mon", "trung_cap", dt.date(2014, 6, 1))
    degree(an, "chuyen_mon", "dai_hoc", dt.date(2025, 1, 10))  # after the date
    # Retired after the date: counted on 31/12/2024, not on 30/6/2025.
    ba = new_person(tree["A"], "Trần Văn Ba", sex="nam", born=dt.date(1963, 1, 10))
    event(ba, "tuyen_dung", dt.date(1985, 1, 1))
    event(ba, "nghi_huu", dt.date(2025, 2, 1))
    salary(ba, "01.001", dt.date(2015, 1, 1))
    # Recruited after the date.
    moi = new_person(tree["A1"], "Phạm Thị Mới", born=dt.date(2000, 8, 8))
    event(moi, "tuyen_dung", dt.date(2025, 3, 1))
    # No salary row: counted by today's grade.
    cu = new_person(tree["A1"], "Vũ Văn Cũ", sex="nam", born=dt.date(1970, 1, 1), grade_code="01.004")
    event(cu, "tuyen_dung", dt.date(1995, 1, 1))
    # Another subtree.
    khac = new_person(tree["B"], "Lý Văn Khác", sex="nam", born=dt.date(1985, 1, 1))
    event(khac, "tuyen_dung", dt.date(2010, 1, 1))
    return {"hong": hoa, "an": an, "ba": ba, "moi": moi, "cu": cu, "khac": khac}
