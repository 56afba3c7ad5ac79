"""Issue 21: every change through the API carries a reason (the body's ``reason`` or the
X-Change-Reason header); without one, 400 with a Vietnamese message and nothing written."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from canbo.core.api import REASON_MISSING
from canbo.core.models import ObjectChange
from canbo.people.models import Person

pytestmark = pytest.mark.django_db


def client_for(user: Any, **headers: str) -> Client:
    c = Client(headers=headers)
    c.force_login(user)
    return c


def patch(c: Client, person: Person, body: dict[str, Any]) -> Any:
    return c.patch(
        f"/api/persons/{person.pk}/",
        json.dumps({"row_version": person.row_version, **body}),
        content_type="application/json",
    )


def test_write_without_reason_is_refused(users: dict[str, Any], person_a: Person) -> None:
    before = ObjectChange.objects.count()
    for body in ({"other_names": "Hoa"}, {"other_names": "Hoa", "reason": "   "}):
        r = patch(client_for(users["officer_a"]), person_a, body)
        assert r.status_code == 400
        assert r.json() == {"detail": REASON_MISSING, "code": "reason_required"}
    person_a.refresh_from_db()
    assert person_a.other_names != "Hoa" and ObjectChange.objects.count() == before
    too_long = patch(client_for(users["officer_a"]), person_a, {"other_names": "Hoa", "reason": "x" * 501})
    assert too_long.status_code == 400 and "500 ký tự" in too_long.json()["detail"]
    # Still 401 for nobody, and 404 for a record out of reach, with a reason.
    assert patch(Client(), person_a, {"reason": "Sửa lỗi nhập liệu"}).status_code == 401


def test_reason_in_body_or_header_reaches_the_change_log(users: dict[str, Any], person_a: Person) -> None:
    r = patch(client_for(users["officer_a"]), person_a, {"other_names": "Hoa", "reason": "Sửa lỗi nhập liệu"})
    assert r.status_code == 200, r.content
    assert ObjectChange.objects.filter(object_id=person_a.pk).latest("pk").reason == "Sửa lỗi nhập liệu"
    person_a.refresh_from_db()
    header = quote("Theo quyết định số 12/QĐ-UBND")
    r = patch(client_for(users["officer_a"], **{"X-Change-Reason": header}), person_a, {"other_names": "Hoà"})
    assert r.status_code == 200, r.content
    assert (
        ObjectChange.objects.filter(object_id=person_a.pk).latest("pk").reason
        == "Theo quyết định số 12/QĐ-UBND"
    )


def test_schema_documents_the_reason(users: dict[str, Any]) -> None:
    schema = client_for(users["officer_a"]).get("/api/schema/?format=json").json()
    op = schema["paths"]["/api/persons/{id}/"]["patch"]
    header = [p for p in op["parameters"] if p["name"] == "X-Change-Reason"]
    assert header and header[0]["in"] == "header" and "bắt buộc" in header[0]["description"]
    assert not any(
        p["name"] == "X-Change-Reason"
        for p in schema["paths"]["/api/persons/{id}/"]["get"].get("parameters", [])
    )


def test_delete_with_the_header_only(users: dict[str, Any], person_a: Person) -> None:
    """A DELETE has no body: the header's reason reaches the service that requires one, and the log."""
    from canbo.people.models import HealthRecord
    from canbo.people.services import section_create

    rec = section_create(
        acting_user=users["officer_a"],
        person=person_a,
        instance=HealthRecord(check_date="2024-03-01", status="tot"),
        reason="Bổ sung",
    )
    url = f"/api/persons/{person_a.pk}/suc-khoe/{rec.pk}/?row_version={rec.row_version}"
    assert client_for(users["officer_a"]).delete(url).status_code == 400
    c = client_for(users["officer_a"], **{"X-Change-Reason": quote("Theo đề nghị của cá nhân")})
    assert c.delete(url).status_code == 204
    assert not HealthRecord.objects.filter(pk=rec.pk).exists()
    entry = ObjectChange.objects.filter(action="delete").latest("pk")
    assert entry.reason == "Theo đề nghị của cá nhân"
