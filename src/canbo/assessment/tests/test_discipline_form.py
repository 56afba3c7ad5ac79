"""Validator 9 on every discipline written (issue 20, C13): a form abolished on its decision date
is refused with a Vietnamese message citing the rule — on the page, through the API, in the
service — and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from canbo.assessment.models import Discipline
from canbo.conftest import REASON_HEADERS
from canbo.core.models import ObjectChange
from canbo.people.models import Person
from canbo.people.services import section_create


def _discipline(form: str, day: dt.date, system: str = "chinh_quyen") -> Discipline:
    return Discipline(
        system=system,
        form=form,
        decision_number="9/QĐ",
        decision_date=day,
        issuing_body="UBND",
        violation="x",
    )


@pytest.mark.django_db
def test_demotion_refused_from_1_7_2025_allowed_before(users: dict, person_a: Person) -> None:
    before = ObjectChange.objects.count()
    with pytest.raises(ValidationError) as refused:
        section_create(
            acting_user=users["officer_a"],
            person=person_a,
            instance=_discipline("giang_chuc", dt.date(2025, 7, 1)),
        )
    text = " ".join(refused.value.message_dict["form"])
    assert "giáng chức" in text and "01/07/2025" in text and "D-5" in text
    assert not Discipline.objects.exists() and ObjectChange.objects.count() == before
    # the day before the abolition: no D-5 version yet, nothing to refuse
    section_create(
        acting_user=users["officer_a"],
        person=person_a,
        instance=_discipline("giang_chuc", dt.date(2025, 6, 30)),
    )
    # a form still valid on the date
    section_create(
        acting_user=users["officer_a"], person=person_a, instance=_discipline("canh_cao", dt.date(2025, 8, 1))
    )
    assert Discipline.objects.count() == 2


@pytest.mark.django_db
def test_salary_reduction_refused_on_the_page_and_the_api(users: dict, person_a: Person) -> None:
    c = Client(headers=REASON_HEADERS)
    c.force_login(users["officer_a"])
    data: dict[str, Any] = {
        "system": "chinh_quyen",
        "form": "ha_bac_luong",
        "decision_number": "9/QĐ",
        "decision_date": "01/08/2025",
        "issuing_body": "UBND",
        "violation": "x",
        "duty_related": "on",
    }
    page = c.post(f"/can-bo/{person_a.pk}/ky-luat/them/", data)
    assert page.status_code == 400 and "hạ bậc lương" in page.content.decode()
    api = c.post(
        f"/api/persons/{person_a.pk}/ky-luat/",
        {**data, "decision_date": "2025-08-01", "duty_related": True},
        content_type="application/json",
    )
    assert api.status_code == 400 and "D-5" in api.content.decode()
    assert not Discipline.objects.exists()


@pytest.mark.django_db
def test_probationary_member_cannot_be_removed(users: dict, person_a: Person) -> None:
    """D-1: a probationary Party member receives only a reprimand or a warning."""
    from canbo.people.models import PartyMembership

    PartyMembership.objects.create(person=person_a, admission_date=dt.date(2025, 3, 1))
    with pytest.raises(ValidationError, match="D-1"):
        section_create(
            acting_user=users["officer_a"],
            person=person_a,
            instance=_discipline("cach_chuc", dt.date(2025, 9, 1), system="dang"),
        )


def test_refused_for_a_person_not_saved_yet(db: Any) -> None:
    """The import validates rows before the person exists: the State rule still refuses."""
    d = _discipline("ha_bac_luong", dt.date(2025, 9, 1))
    d.person = Person(category="cong_chuc")
    with pytest.raises(ValidationError, match="D-5"):
        d.clean()
    d.form = "canh_cao"
    d.clean()


@pytest.mark.parametrize("system", ["dang", "chinh_quyen"])
def test_a_recorded_discipline_blocks_appointment_until_its_window_lapses(
    users: dict, person_a: Person, title: Any, system: str
) -> None:
    """D-6 (Party) / D-7 (State): the window read from the dossier blocks an appointment on its
    last day and no longer on the first day after it."""
    from canbo.rules.engine import facts as F
    from canbo.rules.engine.calculators import discipline_window
    from canbo.rules.selectors import rulebook, verdict

    d = section_create(
        acting_user=users["officer_a"],
        person=person_a,
        instance=_discipline("canh_cao", dt.date(2025, 9, 1), system),
    )
    fact = F.DisciplineFact(system, "canh_cao", dt.date(2025, 9, 1), None, None, "9/QĐ", True)
    assert Discipline.objects.filter(pk=d.pk).exists()
    window = discipline_window(rulebook(), fact, dt.date(2026, 1, 1))
    assert window is not None
    rule_id = "D-6" if system == "dang" else "D-7"

    def outcome(day: dt.date) -> str:
        v = verdict(users["officer_a"], person_a, "appointment", title, day)
        return next(r.outcome for r in v.results if r.rule_id == rule_id)

    assert outcome(window.end - dt.timedelta(days=1)) == "fail"
    assert outcome(window.end) == "pass"
