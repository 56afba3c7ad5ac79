"""Every API message is Vietnamese: DRF's own messages come from the project's catalogue
(``locale/vi``), DRF's "vi" catalogue translating only 21 of them (issue 14)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from canbo.conftest import REASON_HEADERS, kept_person_a, kept_tree, kept_users
from canbo.people.models import Person

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

# Words of DRF's English messages; none may reach an API client.
ENGLISH = re.compile(r"\b(This field|Invalid|does not exist|Ensure|required|valid|Expected|Object with)\b")


def api(user: Any) -> Client:
    c = Client(headers=REASON_HEADERS)
    c.force_login(user)
    return c


@pytest.mark.parametrize(
    ("body", "field", "expected"),
    [
        ({"full_name": None}, "full_name", "không được để trống"),
        ({"managing_unit": 0}, "managing_unit", "Không tìm thấy bản ghi có mã “0”"),
        ({"ethnicity": "Kinh"}, "ethnicity", "Không tìm thấy bản ghi có code là “Kinh”"),
        ({"managing_unit": "abc"}, "managing_unit", "Sai kiểu"),
        ({"sex": "x"}, "sex", "không phải là lựa chọn hợp lệ"),
        ({"row_version": "mười"}, "row_version", "Phải là một số nguyên"),
        ({"full_name": "N" * 200}, "full_name", "Tối đa 150 ký tự"),
    ],
)
def test_field_errors_are_vietnamese(
    users: dict, person_a: Person, body: dict, field: str, expected: str
) -> None:
    r = api(users["officer_a"]).patch(
        f"/api/persons/{person_a.pk}/", json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 400
    text = json.dumps(r.json(), ensure_ascii=False)
    assert expected in " ".join(r.json()["errors"][field]), text
    assert not ENGLISH.search(text), text


def test_missing_fields_and_bad_bodies_are_vietnamese(users: dict) -> None:
    c = api(users["officer_a"])
    for response in (
        c.post("/api/persons/", json.dumps({}), content_type="application/json"),
        c.post("/api/persons/", json.dumps([1, 2]), content_type="application/json"),
        c.post("/api/persons/", "{not json", content_type="application/json"),
        c.put("/api/persons/1/", json.dumps({}), content_type="application/json"),
    ):
        assert response.status_code in (400, 405), response.content
        text = json.dumps(response.json(), ensure_ascii=False)
        assert not ENGLISH.search(text), text
    required = c.post("/api/persons/", json.dumps({}), content_type="application/json").json()
    assert required["errors"]["full_name"] == ["Trường này là bắt buộc."]
