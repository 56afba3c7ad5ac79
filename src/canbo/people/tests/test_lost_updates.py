"""No lost updates: ``row_version`` is required on every change and delete, page and API alike
(missing → 400 with a Vietnamese message, stale → 409), issue 14."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from canbo.conftest import REASON, REASON_HEADERS, kept_person_a, kept_tree, kept_users
from canbo.people.models import FamilyRelation, Person
from canbo.people.services import section_create

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

MISSING = "Thiếu phiên bản bản ghi"
STALE = "người khác sửa"


def client_for(user: Any) -> Client:
    c = Client(headers=REASON_HEADERS)
    c.force_login(user)
    return c


@pytest.fixture
def family(person_a: Person) -> FamilyRelation:
    rec = FamilyRelation(relation="bo", full_name="Nguyễn Văn Cha", birth_year=1950, details="Nông dân")
    return section_create(acting_user=None, person=person_a, instance=rec)  # type: ignore[return-value]


def person_form_data(c: Client, person: Person) -> dict[str, Any]:
    """The person form as the page offers it, every field at its shown value."""
    page = c.get(reverse("people:edit", args=[person.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        shown = field.widget.format_value(form[name].value())
        if isinstance(shown, list):
            shown = shown[0] if shown else ""
        if shown not in (None, False):
            data[name] = "on" if shown is True else shown
    return data


def api_patch(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.patch(url, json.dumps(body), content_type="application/json")


# --- the person -------------------------------------------------------------------------------


def test_api_patch_of_a_person_needs_row_version(users: dict, person_a: Person) -> None:
    c = client_for(users["officer_a"])
    url = f"/api/persons/{person_a.pk}/"
    missing = api_patch(c, url, {"other_names": "Hoa Mai"})
    assert missing.status_code == 400
    assert MISSING in missing.json()["detail"]
    stale = api_patch(c, url, {"other_names": "Hoa Mai", "row_version": person_a.row_version + 5})
    assert stale.status_code == 409
    person_a.refresh_from_db()
    assert person_a.other_names == ""
    ok = api_patch(c, url, {"other_names": "Hoa Mai", "row_version": person_a.row_version})
    assert ok.status_code == 200


def test_person_form_without_row_version_does_not_revert_an_api_change(users: dict, person_a: Person) -> None:
    c = client_for(users["officer_a"])
    data = person_form_data(c, person_a)  # opened before the API change
    assert (
        api_patch(
            c, f"/api/persons/{person_a.pk}/", {"other_names": "Hoa Mai", "row_version": person_a.row_version}
        ).status_code
        == 200
    )
    data.pop("row_version")
    data["reason"] = "Sửa nơi ở"
    response = c.post(reverse("people:edit", args=[person_a.pk]), data)
    assert response.status_code == 400
    assert MISSING in response.content.decode()
    person_a.refresh_from_db()
    assert person_a.other_names == "Hoa Mai"
    # With the version the page was opened with, the edit is stale.
    stale = c.post(reverse("people:edit", args=[person_a.pk]), {"reason": REASON, **data, "row_version": 1})
    assert stale.status_code == 409
    person_a.refresh_from_db()
    assert person_a.other_names == "Hoa Mai"


# --- sections ---------------------------------------------------------------------------------


def test_section_changes_need_row_version(users: dict, person_a: Person, family: FamilyRelation) -> None:
    c = client_for(users["officer_a"])
    url = f"/api/persons/{person_a.pk}/gia-dinh/{family.pk}/"
    missing = api_patch(c, url, {"details": "Hưu trí"})
    assert missing.status_code == 400
    assert MISSING in missing.json()["detail"]
    edit = reverse("people:section_edit", args=[person_a.pk, "gia-dinh", family.pk])
    page = c.post(
        edit, {"reason": REASON, "relation": "bo", "full_name": "Nguyễn Văn Cha", "details": "Hưu trí"}
    )
    assert page.status_code == 400
    assert MISSING in page.content.decode()
    family.refresh_from_db()
    assert family.details == "Nông dân"


@pytest.mark.parametrize("how", ["query", "if-match"])
def test_api_delete_needs_a_current_row_version(
    users: dict, person_a: Person, family: FamilyRelation, how: str
) -> None:
    c = client_for(users["officer_a"])
    url = f"/api/persons/{person_a.pk}/gia-dinh/{family.pk}/?ly_do=Nhập%20trùng"

    def delete(version: int | None) -> Any:
        if version is None:
            return c.delete(url)
        if how == "query":
            return c.delete(f"{url}&row_version={version}")
        return c.delete(url, HTTP_IF_MATCH=f'W/"{version}"')

    missing = delete(None)
    assert missing.status_code == 400
    assert MISSING in missing.json()["detail"]
    # Someone else changes the record after it was read at version 1.
    assert (
        api_patch(c, url.split("?")[0], {"details": "Hưu trí", "row_version": family.row_version}).status_code
        == 200
    )
    stale = delete(1)
    assert stale.status_code == 409
    assert STALE in stale.json()["detail"]
    assert FamilyRelation.objects.filter(pk=family.pk).exists()
    assert delete(2).status_code == 204
    assert not FamilyRelation.objects.filter(pk=family.pk).exists()


def test_delete_page_needs_row_version(users: dict, person_a: Person, family: FamilyRelation) -> None:
    c = client_for(users["officer_a"])
    url = reverse("people:section_delete", args=[person_a.pk, "gia-dinh", family.pk])
    missing = c.post(url, {"reason": "Nhập trùng"})
    assert missing.status_code == 400
    assert MISSING in missing.content.decode()
    stale = c.post(url, {"reason": "Nhập trùng", "row_version": family.row_version + 1})
    assert stale.status_code == 409
    assert FamilyRelation.objects.filter(pk=family.pk).exists()


def test_delete_schema_documents_the_version(users: dict) -> None:
    schema = client_for(users["officer_a"]).get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/persons/{person_pk}/gia-dinh/{id}/"]["delete"]
    names = {(p["name"], p["in"]) for p in operation["parameters"]}
    assert {("row_version", "query"), ("If-Match", "header"), ("ly_do", "query")} <= names
