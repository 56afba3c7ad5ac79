"""Salary catalogues and the salary-history section (SALARY.md S-1 to S-3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from canbo.conftest import new_person
from canbo.core.models import ObjectChange
from canbo.people.models import Person
from canbo.people.services import section_create, section_delete, section_update
from canbo.salary import catalogue
from canbo.salary.models import BaseSalary, Grade, SalaryGroup, SalaryRow

pytestmark = pytest.mark.django_db

SCALE_MD = {  # SALARY.md §1, the table as written: steps, step 1, increment, last step
    "A3.1": (6, "6.20", "0.36", "8.00"),
    "A3.2": (6, "5.75", "0.36", "7.55"),
    "A2.1": (8, "4.40", "0.34", "6.78"),
    "A2.2": (8, "4.00", "0.34", "6.38"),
    "A1": (9, "2.34", "0.33", "4.98"),
    "A0": (10, "2.10", "0.31", "4.89"),
    "B": (12, "1.86", "0.20", "4.06"),
    "C1": (12, "1.65", "0.18", "3.63"),
}


def client_for(user: Any) -> Any:
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_shipped_scales_agree_with_salary_md() -> None:
    shipped = {g["code"]: g for g in catalogue.groups()}
    for code, (steps, first, inc, last) in SCALE_MD.items():
        g = shipped[code]
        assert (g["steps"], g["first"], g["increment"]) == (steps, Decimal(first), Decimal(inc))
        assert g["first"] + (steps - 1) * g["increment"] == Decimal(last)
        assert g["confidence"] == "CONFIRMED"
    # what SALARY.md does not give is marked as such
    assert {c for c, g in shipped.items() if g["confidence"] != "CONFIRMED"} == {"C2", "C3"}


def test_load_is_idempotent_and_catalogue_is_seeded_by_migration() -> None:
    assert SalaryGroup.objects.count() == 10
    assert Grade.objects.get(code="01.003").group.code == "A1"
    out = StringIO()
    call_command("salary", "load", stdout=out)
    assert "Đã nạp 0 loại bảng lương, 0 ngạch, 0 mức lương cơ sở" in out.getvalue()
    SalaryGroup.objects.filter(code="C3").delete()
    call_command("salary", "load", stdout=out)
    assert SalaryGroup.objects.filter(code="C3").exists()
    assert ObjectChange.objects.filter(reason="Nạp bảng lương", object_repr="C3").exists()


def test_base_salary_is_dated() -> None:
    amounts = {b.valid_from: b.amount for b in BaseSalary.objects.all()}
    assert amounts[dt.date(2023, 7, 1)] == 1_800_000
    assert amounts[dt.date(2024, 7, 1)] == 2_340_000


def _row(person: Person, **kw: Any) -> SalaryRow:
    fields = {
        "grade": Grade.objects.get(code="01.003"),
        "step": 2,
        "coefficient": Decimal("2.67"),
        "from_date": dt.date(2015, 1, 1),
        "step_since": dt.date(2015, 1, 1),
        **kw,
    }
    return SalaryRow(**fields)


@pytest.fixture
def recruited(tree: dict) -> Person:
    return new_person(tree["A1"], "Lê Văn Lương", sex="nam", recruitment_date=dt.date(2010, 3, 1))


def test_row_writes_keep_current_fields_in_step(users: dict, recruited: Person) -> None:
    officer = users["officer_a"]
    section_create(acting_user=officer, person=recruited, instance=_row(recruited), reason="QĐ 1")
    recruited.refresh_from_db()
    assert (recruited.grade_code, recruited.salary_step, recruited.salary_coefficient) == (
        "01.003",
        2,
        Decimal("2.67"),
    )
    assert recruited.grade_name == "Chuyên viên"
    later = section_create(
        acting_user=officer,
        person=recruited,
        instance=_row(recruited, step=3, coefficient=Decimal("3.00"), from_date=dt.date(2018, 1, 1),
                      step_since=dt.date(2018, 1, 1)),
        reason="QĐ 2",
    )  # fmt: skip
    recruited.refresh_from_db()
    assert recruited.salary_step == 3
    # a row that starts in the future does not change today's values
    section_create(
        acting_user=officer,
        person=recruited,
        instance=_row(recruited, step=4, coefficient=Decimal("3.33"), from_date=dt.date(2099, 1, 1),
                      step_since=dt.date(2099, 1, 1)),
        reason="QĐ 3",
    )  # fmt: skip
    recruited.refresh_from_db()
    assert recruited.salary_step == 3
    section_delete(acting_user=officer, instance=later, reason="Nhập nhầm")
    recruited.refresh_from_db()
    assert recruited.salary_step == 2
    first = SalaryRow.objects.get(person=recruited, step=2)
    section_update(
        acting_user=officer,
        instance=first,
        changes={"step": 5, "coefficient": Decimal("3.66")},
        reason="Sửa",
    )
    recruited.refresh_from_db()
    assert recruited.salary_coefficient == Decimal("3.66")
    assert ObjectChange.objects.filter(
        related_person_id=recruited.pk, reason="Cập nhật theo diễn biến lương"
    ).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"step": 10, "coefficient": Decimal("5.31")}, "step", "chỉ có 9 bậc; không có bậc 10"),
        ({"coefficient": Decimal("2.70")}, "coefficient", "bậc 2 của Loại A1 có hệ số 2,67"),
        ({"beyond_frame_percent": 5}, "beyond_frame_percent", "Chỉ hưởng phụ cấp thâm niên vượt khung"),
        ({"from_date": dt.date(2009, 1, 1), "step_since": dt.date(2009, 1, 1)}, "from_date",
         "trước ngày tuyển dụng 01/03/2010"),
    ],
)  # fmt: skip
def test_off_scale_or_early_rows_are_refused_via_page(
    users: dict, recruited: Person, fields: dict, field: str, message: str
) -> None:
    c = client_for(users["officer_a"])
    data = {
        "grade": Grade.objects.get(code="01.003").pk,
        "step": 2,
        "coefficient": "2.67",
        "beyond_frame_percent": 0,
        "from_date": "2015-01-01",
        "step_since": "2015-01-01",
        "reason": "QĐ",
    }
    data.update({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items()})
    before = ObjectChange.objects.count()
    r = c.post(reverse("people:section_add", args=[recruited.pk, "dien-bien-luong"]), data)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not SalaryRow.objects.exists()
    assert ObjectChange.objects.count() == before


def test_two_rows_on_one_day_are_refused(users: dict, recruited: Person) -> None:
    officer = users["officer_a"]
    section_create(acting_user=officer, person=recruited, instance=_row(recruited), reason="QĐ 1")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="hai dòng không được trùng thời gian"):
        section_create(acting_user=officer, person=recruited, instance=_row(recruited), reason="QĐ 1")
    assert SalaryRow.objects.count() == 1


def test_other_subtree_cannot_add_a_row(users: dict, recruited: Person) -> None:
    r = client_for(users["officer_b"]).post(
        reverse("people:section_add", args=[recruited.pk, "dien-bien-luong"]),
        {"grade": Grade.objects.get(code="01.003").pk, "step": 2, "coefficient": "2.67",
         "from_date": "2015-01-01", "step_since": "2015-01-01", "beyond_frame_percent": 0},
    )  # fmt: skip
    assert r.status_code == 404
    assert not SalaryRow.objects.exists()


def test_person_page_as_of_shows_the_row_in_force_then(users: dict, recruited: Person) -> None:
    officer = users["officer_a"]
    section_create(acting_user=officer, person=recruited, instance=_row(recruited), reason="QĐ 1")
    section_create(
        acting_user=officer,
        person=recruited,
        instance=_row(recruited, step=3, coefficient=Decimal("3.00"), from_date=dt.date(2018, 1, 1),
                      step_since=dt.date(2018, 1, 1)),
        reason="QĐ 2",
    )  # fmt: skip
    url = reverse("people:detail", args=[recruited.pk])
    then = client_for(officer).get(url, {"ngay": "01/06/2016"}).content.decode()
    assert "Diễn biến quá trình lương" in then
    # the career calendar names the next raise (to step 3, 3,00, due 01/01/2018); the dossier
    # section shows the row in force then only
    import re

    calendar = re.search(r'<dl class="facts two" id="lich-luong">.*?</dl>', then, flags=re.S)
    assert calendar is not None and "01/01/2018" in calendar.group() and "hệ số 3,00" in calendar.group()
    rest = then.replace(calendar.group(), "")
    assert "2,67" in rest and "3,00" not in rest
    now = client_for(officer).get(url).content.decode()
    assert "3,00" in now


def test_data_migration_turns_scale_values_into_a_first_row(tree: dict, capsys: Any) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("canbo.salary.migrations.0002_person_salary_first_row")
    on_scale = new_person(
        tree["A1"], "Phạm Văn Một", sex="nam", recruitment_date=dt.date(2012, 5, 1),
        grade_code="01.003", salary_step=3, salary_coefficient=Decimal("3.00"),
    )  # fmt: skip
    new_person(
        tree["A1"], "Phạm Văn Hai", sex="nam", recruitment_date=dt.date(2012, 5, 1),
        grade_code="01.003", salary_step=3, salary_coefficient=Decimal("3.10"),
    )  # fmt: skip
    new_person(
        tree["A1"], "Phạm Văn Ba", sex="nam",
        grade_code="01.003", salary_step=3, salary_coefficient=Decimal("3.00"),
    )  # fmt: skip
    migration.forward(apps, None)
    row = SalaryRow.objects.get()
    assert (row.person_id, row.step, row.from_date) == (on_scale.pk, 3, dt.date(2012, 5, 1))
    assert ObjectChange.objects.filter(object_id=row.pk, content_type__model="salaryrow").exists()
    assert "1 hồ sơ có dòng đầu tiên; 2 hồ sơ giữ nguyên" in capsys.readouterr().out


def test_person_form_shows_derived_salary_fields_without_editing_them(users: dict, recruited: Person) -> None:
    from canbo.people.tests.test_page_labels import _person_post

    officer = users["officer_a"]
    section_create(acting_user=officer, person=recruited, instance=_row(recruited), reason="QĐ 1")
    recruited.refresh_from_db()
    c = client_for(officer)
    url = reverse("people:edit", args=[recruited.pk])
    assert "Lấy theo dòng diễn biến lương đang hưởng" in c.get(url).content.decode()
    data = _person_post(recruited, officer, salary_step=7, salary_coefficient="4.32", other_names="Lương")
    assert c.post(url, data).status_code == 302
    recruited.refresh_from_db()
    assert (recruited.other_names, recruited.salary_step) == ("Lương", 2)
