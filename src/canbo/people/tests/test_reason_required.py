"""Issue 21: every change on the dossier's forms carries a reason, typed or picked from the usual
ones; without one, the form answers 400 with a Vietnamese message and nothing is written."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from canbo.core.forms import REASON_REQUIRED, USUAL_REASONS
from canbo.core.models import ObjectChange
from canbo.people.forms import PersonForm
from canbo.people.models import HealthRecord, Person

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def person_post(person: Person, user: Any, **changes: Any) -> dict[str, Any]:
    form = PersonForm(instance=person, user=user)
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    return {**data, **changes}


def test_person_form_needs_a_reason_and_offers_the_usual_ones(users: dict, person_a: Person) -> None:
    c = client_for(users["officer_a"])
    url = reverse("people:edit", args=[person_a.pk])
    page = html.unescape(c.get(url).content.decode())
    assert 'list="id_reason-goi-y"' in page and '<datalist id="id_reason-goi-y">' in page
    assert all(f'<option value="{r}">' in page for r in USUAL_REASONS)
    before = ObjectChange.objects.count()
    r = c.post(url, person_post(person_a, users["officer_a"], other_names="Hoa Nhỏ"))
    assert r.status_code == 400
    assert REASON_REQUIRED in html.unescape(r.content.decode())
    person_a.refresh_from_db()
    assert person_a.other_names != "Hoa Nhỏ" and ObjectChange.objects.count() == before
    r = c.post(url, person_post(person_a, users["officer_a"], other_names="Hoa Nhỏ", reason=USUAL_REASONS[2]))
    assert r.status_code == 302
    assert (
        ObjectChange.objects.filter(object_id=person_a.pk).latest("pk").reason == "Theo đề nghị của cá nhân"
    )


def test_section_form_needs_a_reason(users: dict, person_a: Person) -> None:
    c = client_for(users["officer_a"])
    add = reverse("people:section_add", args=[person_a.pk, "suc-khoe"])
    r = c.post(add, {"check_date": "01/03/2024", "status": "tot"})
    assert r.status_code == 400 and REASON_REQUIRED in html.unescape(r.content.decode())
    assert not HealthRecord.objects.exists()
    r = c.post(add, {"check_date": "01/03/2024", "status": "tot", "reason": "Sửa lỗi nhập liệu"})
    assert r.status_code == 302 and HealthRecord.objects.count() == 1
