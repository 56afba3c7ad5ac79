"""Personal names: every name field is checked and NFC-normalised as the full name is (issue 14)."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from canbo.conftest import REASON, REASON_HEADERS, kept_person_a, kept_tree, kept_users
from canbo.people.models import FamilyRelation, Person
from canbo.people.validators import validate_personal_name

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

ZWSP = "\u200b"
RTL = "\u202e"
DECOMPOSED = unicodedata.normalize("NFD", "Nguyễn  Thị   Hoà")
COMPOSED = "Nguyễn Thị Hoà"
BAD_NAMES = [ZWSP, f"{RTL}aoH", "😀", "Nguyễn 😀", f"Hoa{ZWSP}", "123", "---", "Nguyễn\u200dHoa"]
GOOD_NAMES = ["Nguyễn Thị Hoa", "H'Hen Niê", "Y-Moan Ênuôl", "K’Bông", "Ba Hùng, Hai Lúa", COMPOSED]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_validator_refuses(name: str) -> None:
    with pytest.raises(ValidationError):
        validate_personal_name(name)


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_validator_accepts(name: str) -> None:
    validate_personal_name(name)


def api(user: Any) -> Client:
    c = Client(headers=REASON_HEADERS)
    c.force_login(user)
    return c


@pytest.mark.parametrize("name", BAD_NAMES)
@pytest.mark.parametrize("field", ["full_name", "other_names"])
def test_person_names_through_the_api(users: dict, person_a: Person, field: str, name: str) -> None:
    url = f"/api/persons/{person_a.pk}/"
    r = api(users["officer_a"]).patch(
        url, json.dumps({field: name, "row_version": person_a.row_version}), content_type="application/json"
    )
    assert r.status_code == 400, r.content
    assert "Tên" in json.dumps(r.json(), ensure_ascii=False)
    person_a.refresh_from_db()
    assert name not in (person_a.full_name, person_a.other_names)


def test_other_names_are_normalised(users: dict, person_a: Person) -> None:
    r = api(users["officer_a"]).patch(
        f"/api/persons/{person_a.pk}/",
        json.dumps({"other_names": DECOMPOSED, "row_version": person_a.row_version}),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    person_a.refresh_from_db()
    assert person_a.other_names == COMPOSED


@pytest.mark.parametrize("name", [ZWSP, f"{RTL}aoH", "😀"])
def test_family_member_name_refused_on_the_page_and_the_api(users: dict, person_a: Person, name: str) -> None:
    c = api(users["officer_a"])
    r = c.post(
        f"/api/persons/{person_a.pk}/gia-dinh/",
        json.dumps({"relation": "bo", "full_name": name}),
        content_type="application/json",
    )
    assert r.status_code == 400, r.content
    page = c.post(
        reverse("people:section_add", args=[person_a.pk, "gia-dinh"]),
        {"reason": REASON, "relation": "me", "full_name": name},
    )
    assert page.status_code == 400
    assert "Tên" in page.content.decode()
    assert not FamilyRelation.objects.exists()


def test_family_member_name_normalised_on_the_page_and_the_api(users: dict, person_a: Person) -> None:
    c = api(users["officer_a"])
    r = c.post(
        f"/api/persons/{person_a.pk}/gia-dinh/",
        json.dumps({"relation": "bo", "full_name": DECOMPOSED}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    page = c.post(
        reverse("people:section_add", args=[person_a.pk, "gia-dinh"]),
        {"reason": REASON, "relation": "me", "full_name": DECOMPOSED},
    )
    assert page.status_code == 302
    assert set(FamilyRelation.objects.values_list("full_name", flat=True)) == {COMPOSED}


def test_person_form_refuses_an_invisible_name(users: dict, person_a: Person) -> None:
    from canbo.people.tests.test_lost_updates import person_form_data

    c = api(users["officer_a"])
    data = {**person_form_data(c, person_a), "other_names": f"{RTL}aoH"}
    response = c.post(reverse("people:edit", args=[person_a.pk]), data)
    assert response.status_code == 400
    assert "ký tự ẩn U+202E" in response.content.decode()


def test_a_refused_name_does_not_become_the_page_heading(users: dict, person_a: Person) -> None:
    # The walk-through typed "😀😀😀": the form refused it, yet the crumb and title above the form
    # named the dossier "😀😀😀".
    from canbo.people.tests.test_lost_updates import person_form_data

    c = api(users["officer_a"])
    data = {**person_form_data(c, person_a), "full_name": "😀😀😀"}
    response = c.post(reverse("people:edit", args=[person_a.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    crumbs = body.split('<nav class="crumbs">', 1)[1].split("</nav>", 1)[0]
    assert person_a.full_name in crumbs and "😀" not in crumbs
    assert "<title>Sửa hồ sơ 😀" not in body
