"""Decimal fields of the person form and the section forms are shown and read the Vietnamese
way: the page shows "4,98", so the form does too, and accepts "4,98" as well as "4.98" (issue 14)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from canbo.people.forms import PersonForm, section_form_class
from canbo.people.models import Person
from canbo.people.sections import BY_SLUG

pytestmark = pytest.mark.django_db


def test_person_edit_form_shows_the_decimal_comma(users: dict, person_a: Person) -> None:
    Person.objects.filter(pk=person_a.pk).update(salary_coefficient=Decimal("4.98"))
    c = Client()
    c.force_login(users["officer_a"])
    html = c.get(f"/can-bo/{person_a.pk}/sua/").content.decode()
    assert 'value="4,98"' in html
    assert 'value="4.98"' not in html


@pytest.mark.parametrize("typed", ["4,98", "4.98", " 4,98 "])
def test_decimal_fields_accept_comma_and_point(users: dict, person_a: Person, typed: Any) -> None:
    with translation.override("vi"):
        person_form = PersonForm(instance=person_a, user=users["officer_a"])
        assert person_form.fields["salary_coefficient"].clean(typed) == Decimal("4.98")
        salary_form = section_form_class(BY_SLUG["dien-bien-luong"])(user=users["officer_a"])
        assert salary_form.fields["coefficient"].clean(typed) == Decimal("4.98")
        assert salary_form.fields["position_allowance"].clean("0,2") == Decimal("0.2")
