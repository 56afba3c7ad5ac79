"""The person form's inputs are written in Python (issue 22: the input and attrs templates were
half the form's time); the markup is exactly Django's, for a saved dossier and for a refused post
(whose inputs carry the posted values and ``aria-invalid``)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django import forms

from canbo.people.forms import FastInputMixin, PersonForm
from canbo.people.models import Person

pytestmark = pytest.mark.django_db


def _compare(form: PersonForm) -> int:
    swapped = 0
    for bound in form:
        widget = bound.field.widget
        if not isinstance(widget, FastInputMixin):
            continue
        swapped += 1
        fast = str(bound)
        # Django's own rendering of the same widget: its template, through the form's renderer.
        slow = bound.as_widget(widget=_unswapped(widget))
        assert fast == slow, bound.name
    return swapped


def _unswapped(widget: Any) -> forms.Widget:
    plain: Any = type(widget).__mro__[2]  # FastX → FastInputMixin → X
    clone = copy.copy(widget)
    clone.__class__ = plain
    return clone


def test_the_inputs_are_django_s_markup(users: dict, person_a: Person) -> None:
    person = Person.objects.get(pk=person_a.pk)
    person.other_names = 'Hoa "Út" <Bé> & co'
    person.salary_step = 3
    form = PersonForm(instance=person, user=users["officer_a"])
    assert _compare(form) >= 25  # text, date, number and hidden inputs
    posted = {"full_name": "", "identity_issue_date": "31/02/2020", "salary_step": "x", "other_names": "<b>"}
    refused = PersonForm(posted, instance=person, user=users["officer_a"])
    assert not refused.is_valid()
    assert _compare(refused) >= 25
