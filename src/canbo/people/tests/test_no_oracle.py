"""Issue 21: no existence oracle. A personal ID held by a dossier the user may not see gets one
answer, whatever hides the dossier (another district, the province above him), on the form and
the API; a dossier he sees is named as a duplicate as before. (The import: imports/tests.)"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from canbo.conftest import new_person
from canbo.people.models import Ethnicity, Person, Religion
from canbo.people.services import HIDDEN_CONFLICT

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(
    users: dict[str, Any], tree: dict[str, Any], person_a: Person, person_b: Person
) -> dict[str, Person]:
    """Dossiers officer_a may not see, all a man born in 1975: one in the sibling district B,
    one kept at the province above his district A."""
    at_province = new_person(tree["P"], "Lê Văn Tỉnh", sex="nam", born=dt.date(1975, 6, 1))
    return {"other district": person_b, "province above": at_province}


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def form_data(tree: dict[str, Any], personal_id: str) -> dict[str, Any]:
    return {
        "personal_id": personal_id,
        "full_name": "Hoàng Văn Mới",
        "sex": "nam",
        "birth": "1975",
        "ethnicity": Ethnicity.objects.get(code="01").pk,
        "religion": Religion.objects.get(code="00").pk,
        "category": "cong_chuc",
        "managing_unit": tree["A1"].pk,
        "reason": "Tiếp nhận hồ sơ",
    }


def test_form_answers_alike_for_every_hidden_dossier(
    users: dict[str, Any], tree: dict[str, Any], hidden: dict[str, Person]
) -> None:
    c = client_for(users["officer_a"])
    answers = {}
    for case, person in hidden.items():
        r = c.post(reverse("people:create"), form_data(tree, person.personal_id))
        html = r.content.decode()
        answers[case] = (
            r.status_code,
            HIDDEN_CONFLICT in html,
            person.full_name in html,
            "đã tồn tại" in html,
        )
    assert answers["other district"] == answers["province above"] == (400, True, False, False)
    # The same officer editing his own dossier to a hidden personal ID: the same answer.
    mine = Person.objects.get(full_name="Nguyễn Thị Hoa")
    assert Person.objects.filter(personal_id=hidden["other district"].personal_id).count() == 1
    assert mine.personal_id != hidden["other district"].personal_id
    assert Person.objects.count() == 3


def test_api_answers_alike_for_every_hidden_dossier(
    users: dict[str, Any], tree: dict[str, Any], hidden: dict[str, Person], person_a: Person
) -> None:
    c = client_for(users["officer_a"])
    body = {
        "full_name": "Hoàng Văn Mới",
        "sex": "nam",
        "birth": "1975",
        "ethnicity": "01",
        "religion": "00",
        "category": "cong_chuc",
        "managing_unit": tree["A1"].pk,
        "reason": "Tiếp nhận hồ sơ",
    }
    answers = {}
    for case, person in hidden.items():
        r = c.post(
            "/api/persons/",
            json.dumps({**body, "personal_id": person.personal_id}),
            content_type="application/json",
        )
        answers[case] = (r.status_code, r.json())
    assert answers["other district"] == answers["province above"]
    assert answers["other district"] == (
        400,
        {"detail": "Dữ liệu không hợp lệ.", "errors": {"personal_id": [HIDDEN_CONFLICT]}},
    )
    # Changing a visible dossier's personal ID to a hidden one: the same answer.
    patch = {"personal_id": hidden["province above"].personal_id, "row_version": person_a.row_version}
    r = c.patch(f"/api/persons/{person_a.pk}/", json.dumps({**patch, "reason": "Sửa lỗi nhập liệu"}),
                content_type="application/json")  # fmt: skip
    assert (r.status_code, r.json()["errors"]) == (400, {"personal_id": [HIDDEN_CONFLICT]})
    assert Person.objects.count() == 3


def test_a_visible_duplicate_is_still_named(
    users: dict[str, Any], tree: dict[str, Any], person_a: Person
) -> None:
    """Officer B sees the dossier kept in B: the usual "already exists" answer, not the office's."""
    b_twin = new_person(tree["B"], "Trần Văn Hai", sex="nam", born=dt.date(1975, 2, 2))
    r = client_for(users["officer_b"]).post(
        reverse("people:create"), {**form_data(tree, b_twin.personal_id), "managing_unit": tree["B"].pk}
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert HIDDEN_CONFLICT not in html and "đã tồn tại" in html
