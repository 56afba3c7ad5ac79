"""Plausibility of dossier dates and salary figures (people/plausibility.py): the forms, the API
and the import (imports/tests/test_sheets_14.py) refuse the same input with the same message."""

from __future__ import annotations

import datetime as dt
import html
import json
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from canbo.assessment.models import Award
from canbo.conftest import REASON, REASON_HEADERS, kept_person_a, kept_tree, kept_users
from canbo.core.dates import today
from canbo.people import plausibility
from canbo.people.models import Person, Qualification

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

pytestmark = pytest.mark.django_db

BORN = dt.date(1980, 5, 17)  # person_a's birth (conftest.new_person)


def client_for(user: Any) -> Client:
    c = Client(headers=REASON_HEADERS)
    c.force_login(user)
    return c


def future_message(label: str, shown: str) -> str:
    return f"{label} {shown} là ngày trong tương lai (hôm nay là {today():%d/%m/%Y})."


RULES = [
    (label, rule)
    for label, rules in plausibility.DATE_RULES.items()
    for rule in rules
    if label != "people.Person"
]


@pytest.mark.parametrize(("label", "rule"), RULES, ids=[f"{lb}.{r.field}" for lb, r in RULES])
def test_every_section_date_is_checked_against_birth_and_today(
    person_a: Person, label: str, rule: Any
) -> None:
    model = apps.get_model(label)
    ahead = today().year + 2
    future = ahead if rule.year else dt.date(ahead, 1, 1)
    early = 1979 if rule.year else dt.date(1980, 5, 16)
    instance = model(person=person_a, **{rule.field: future})
    if rule.future:  # a planned date: allowed ahead
        assert rule.field not in plausibility.date_errors(instance, BORN)
    else:
        with pytest.raises(ValidationError) as exc:
            instance.clean()  # PersonSection.clean: the hook every entry point goes through
        assert "trong tương lai" in exc.value.message_dict[rule.field][0]
    instance = model(person=person_a, **{rule.field: early})
    if rule.birth:
        with pytest.raises(ValidationError) as exc:
            instance.clean()
        assert "trước" in exc.value.message_dict[rule.field][0]
    else:
        assert rule.field not in plausibility.date_errors(instance, BORN)


def test_person_dates_and_salary_figures(person_a: Person) -> None:
    person_a.recruitment_date = dt.date(1979, 1, 1)
    person_a.left_service_date = dt.date(today().year + 10, 6, 30)  # a planned retirement
    person_a.salary_coefficient = Decimal("99")
    person_a.position_allowance = Decimal("2.5")
    person_a.salary_step = 15
    with pytest.raises(ValidationError) as exc:
        person_a.full_clean()
    assert exc.value.message_dict == {
        "recruitment_date": ["Ngày tuyển dụng 01/01/1979 trước ngày sinh của cán bộ (17/05/1980)."],
        "salary_coefficient": ["Hệ số lương 99,00 nằm ngoài khoảng của các bảng lương (từ 1,00 đến 11,00)."],
        "position_allowance": [
            "Hệ số phụ cấp chức vụ 2,50 nằm ngoài khoảng của bảng phụ cấp chức vụ lãnh đạo "
            "(từ 0,10 đến 1,30)."
        ],
        "salary_step": ["Bậc lương 15 nằm ngoài khoảng của các bảng lương (từ 1 đến 12)."],
    }
    person_a.recruitment_date = today() + dt.timedelta(days=25)  # decided now, effective next month
    person_a.salary_coefficient, person_a.position_allowance, person_a.salary_step = Decimal("4.98"), 0, 9
    person_a.full_clean()  # dates decided ahead, a nil allowance and figures of the scales pass


def test_partial_birth_is_shown_as_entered(person_b: Person) -> None:
    person_b.birth_precision = "y"  # born "1975"
    award = Award(person=person_b, form="Giấy khen", year=1974)
    with pytest.raises(ValidationError) as exc:
        award.clean()
    assert exc.value.message_dict["year"] == ["Năm khen thưởng 1974 trước năm sinh của cán bộ (1975)."]
    qual = Qualification(
        person=person_b, kind="chuyen_mon", level="dai_hoc", obtained_date=dt.date(1974, 6, 1)
    )
    with pytest.raises(ValidationError) as exc:
        qual.clean()
    assert exc.value.message_dict["obtained_date"] == [
        "Ngày cấp bằng 01/06/1974 trước năm sinh của cán bộ (1975)."
    ]


def test_form_refuses_a_future_or_pre_birth_qualification(users: dict, person_a: Person) -> None:
    c = client_for(users["officer_a"])
    url = reverse("people:section_add", args=[person_a.pk, "trinh-do"])
    r = c.post(
        url, {"reason": REASON, "kind": "chuyen_mon", "level": "thac_si", "obtained_date": "01/06/2030"}
    )
    assert r.status_code == 400
    assert future_message("Ngày cấp bằng", "01/06/2030") in html.unescape(r.content.decode())
    r = c.post(
        url, {"reason": REASON, "kind": "chuyen_mon", "level": "dai_hoc", "obtained_date": "01/01/1979"}
    )
    assert r.status_code == 400
    assert "Ngày cấp bằng 01/01/1979 trước ngày sinh của cán bộ (17/05/1980)." in html.unescape(
        r.content.decode()
    )
    award = reverse("people:section_add", args=[person_a.pk, "khen-thuong"])
    r = c.post(award, {"reason": REASON, "form": "Giấy khen", "year": 1975})
    assert r.status_code == 400
    assert "Năm khen thưởng 1975 trước năm sinh của cán bộ (1980)." in html.unescape(r.content.decode())
    assert not Qualification.objects.exists() and not Award.objects.exists()
    ok = c.post(
        url, {"reason": REASON, "kind": "chuyen_mon", "level": "dai_hoc", "obtained_date": "30/06/2002"}
    )
    assert ok.status_code == 302


def test_form_refuses_an_edit_that_makes_a_record_implausible(users: dict, person_a: Person) -> None:
    q = Qualification.objects.create(
        person=person_a, kind="chuyen_mon", level="dai_hoc", obtained_date=dt.date(2002, 6, 30)
    )
    r = client_for(users["officer_a"]).post(
        reverse("people:section_edit", args=[person_a.pk, "trinh-do", q.pk]),
        {
            "reason": REASON,
            "kind": "chuyen_mon",
            "level": "dai_hoc",
            "obtained_date": "01/06/2030",
            "row_version": q.row_version,
        },
    )
    assert r.status_code == 400
    assert future_message("Ngày cấp bằng", "01/06/2030") in html.unescape(r.content.decode())
    q.refresh_from_db()
    assert q.obtained_date == dt.date(2002, 6, 30)


def test_person_form_refuses_a_salary_coefficient_of_99(users: dict, tree: dict) -> None:
    from canbo.conftest import reference_data
    from canbo.people.models import Ethnicity, Religion

    reference_data()
    data = {
        "personal_id": "010080000123",
        "full_name": "Lò Văn Páo",
        "sex": "nam",
        "birth": "1980",
        "ethnicity": Ethnicity.objects.get(code="03").pk,
        "religion": Religion.objects.get(code="00").pk,
        "category": "cong_chuc",
        "managing_unit": tree["A1"].pk,
        "salary_coefficient": "99",
    }
    r = client_for(users["officer_a"]).post(reverse("people:create"), data)
    assert r.status_code == 400
    assert "Hệ số lương 99,00 nằm ngoài khoảng của các bảng lương (từ 1,00 đến 11,00)." in html.unescape(
        r.content.decode()
    )
    assert not Person.objects.filter(personal_id="010080000123").exists()


def test_api_refuses_the_same_input_with_the_same_message(users: dict, person_a: Person) -> None:
    c = client_for(users["officer_a"])
    url = f"/api/persons/{person_a.pk}/trinh-do/"
    r = c.post(
        url,
        json.dumps({"kind": "chuyen_mon", "level": "thac_si", "obtained_date": "2030-06-01"}),
        content_type="application/json",
    )
    assert r.status_code == 400
    assert future_message("Ngày cấp bằng", "01/06/2030") in json.dumps(r.json(), ensure_ascii=False)
    r = c.post(
        f"/api/persons/{person_a.pk}/khen-thuong/",
        json.dumps({"form": "Giấy khen", "year": 1975}),
        content_type="application/json",
    )
    assert r.status_code == 400
    assert "Năm khen thưởng 1975 trước năm sinh của cán bộ (1980)." in json.dumps(
        r.json(), ensure_ascii=False
    )
    r = c.patch(
        f"/api/persons/{person_a.pk}/",
        json.dumps({"salary_coefficient": "99.00", "row_version": person_a.row_version}),
        content_type="application/json",
    )
    assert r.status_code == 400
    assert "Hệ số lương 99,00 nằm ngoài khoảng" in json.dumps(r.json(), ensure_ascii=False)
    person_a.refresh_from_db()
    assert person_a.salary_coefficient is None
    assert not Qualification.objects.exists() and not Award.objects.exists()
