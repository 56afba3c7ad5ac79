"""The API answers with the pages' permissions and Vietnamese 4xx messages for bad input."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from canbo.conftest import REASON_HEADERS, kept_person_a, kept_tree, kept_users
from canbo.core.models import ObjectChange
from canbo.people.models import Person, Qualification

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")


def api(user: Any | None) -> Client:
    c = Client(headers=REASON_HEADERS)
    if user is not None:
        c.force_login(user)
    return c


def test_person_list_is_scoped(users: dict, person_a: Person, person_b: Person) -> None:
    ids = {p["id"] for p in api(users["officer_a"]).get("/api/persons/").json()["results"]}
    assert ids == {person_a.pk}
    assert api(users["officer_b"]).get(f"/api/persons/{person_a.pk}/").status_code == 404
    assert api(None).get("/api/persons/").status_code in (401, 403)


def test_person_create_and_bad_input(users: dict, tree: dict) -> None:
    c = api(users["officer_a"])
    good = {
        "personal_id": "010080000777",
        "full_name": "Giàng A Páo",
        "sex": "nam",
        "birth": "03/1980",
        "ethnicity": "08",
        "religion": "00",
        "category": "cong_chuc",
        "managing_unit": tree["A1"].pk,
        "reason": "Tiếp nhận",
    }
    r = c.post("/api/persons/", json.dumps(good), content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["birth"] == "03/1980"
    bad = c.post(
        "/api/persons/", json.dumps({**good, "personal_id": "12345"}), content_type="application/json"
    )
    assert bad.status_code == 400
    assert "12 chữ số" in json.dumps(bad.json(), ensure_ascii=False)
    bad_date = c.post(
        "/api/persons/",
        json.dumps({**good, "personal_id": "010080000778", "birth": "31/02/1980"}),
        content_type="application/json",
    )
    assert bad_date.status_code == 400
    assert "Ngày không có thật" in json.dumps(bad_date.json(), ensure_ascii=False)
    other = c.post(
        "/api/persons/",
        json.dumps({**good, "personal_id": "010080000779", "managing_unit": tree["B"].pk}),
        content_type="application/json",
    )
    assert other.status_code == 400
    assert not Person.objects.filter(personal_id__in=["010080000778", "010080000779"]).exists()
    garbage = c.post("/api/persons/", "{not json", content_type="application/json")
    assert garbage.status_code == 400


def test_section_create_update_delete_via_api(users: dict, person_a: Person) -> None:
    c = api(users["officer_a"])
    url = f"/api/persons/{person_a.pk}/trinh-do/"
    r = c.post(
        url,
        json.dumps(
            {
                "kind": "ngoai_ngu",
                "level": "b2",
                "language": "Tiếng Anh",
                "obtained_date": "2019-05-01",
                "reason": "Bổ sung hồ sơ",
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    q = Qualification.objects.get(person=person_a)
    bad = c.patch(
        f"{url}{q.pk}/", json.dumps({"level": "cao_cap", "row_version": 1}), content_type="application/json"
    )
    assert bad.status_code == 400
    assert "không thuộc loại" in json.dumps(bad.json(), ensure_ascii=False)
    stale = c.patch(
        f"{url}{q.pk}/", json.dumps({"level": "c1", "row_version": 99}), content_type="application/json"
    )
    assert stale.status_code == 409
    ok = c.patch(
        f"{url}{q.pk}/", json.dumps({"level": "c1", "row_version": 1}), content_type="application/json"
    )
    assert ok.status_code == 200
    no_reason = {"X-Change-Reason": ""}  # this client sends one on every call otherwise
    assert (
        c.delete(f"{url}{q.pk}/?row_version=2", headers=no_reason).status_code == 400
    )  # a reason is required
    assert c.delete(f"{url}{q.pk}/?ly_do=Nhập%20nhầm&row_version=2").status_code == 204
    actions = list(
        ObjectChange.objects.filter(object_id=q.pk, content_type__model="qualification")
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions == ["create", "update", "delete"]


def test_leader_cannot_write_via_api(users: dict, person_a: Person) -> None:
    r = api(users["leader_a"]).post(
        f"/api/persons/{person_a.pk}/khen-thuong/",
        json.dumps({"form": "Bằng khen", "year": 2020}),
        content_type="application/json",
    )
    assert r.status_code == 404


def test_openapi_schema_and_units(users: dict, tree: dict) -> None:
    assert api(users["officer_a"]).get("/api/schema/").status_code == 200
    units = api(users["officer_a"]).get("/api/units/", {"ngay": "2020-01-01"}).json()["results"]
    assert {u["code"] for u in units} == {"A", "A1"}
    assert api(users["officer_a"]).get("/api/units/", {"ngay": "hôm qua"}).status_code == 400


def test_list_query_counts_do_not_grow_with_rows(
    users: dict, tree: dict, title: Any, django_assert_max_num_queries: Any
) -> None:
    import datetime as dt

    from canbo.careers.models import Tenure
    from canbo.conftest import new_person

    for i in range(25):
        p = new_person(tree["A1"], f"Nguyễn Văn Số{i}", sex="nam")
        Tenure.objects.create(
            person=p, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2020, 1, 1)
        )
    c = api(users["officer_a"])
    with django_assert_max_num_queries(12):
        assert len(c.get("/api/persons/").json()["results"]) == 26  # with person_a
    c.get("/can-bo/")  # the first page of the process also builds the unit labels (org.selectors)
    with django_assert_max_num_queries(12):  # issue 14 added one: the unit labels' stamp
        assert c.get("/can-bo/").status_code == 200


def test_api_list_uses_the_list_filters(users: dict, person_a: Person, tree: dict) -> None:
    from canbo.conftest import new_person

    new_person(tree["A1"], "Vàng A Dế", sex="nam", born=dt.date(1990, 1, 1))
    c = api(users["officer_a"])
    men = c.get("/api/persons/", {"gioi_tinh": "nam"}).json()["results"]
    assert [p["full_name"] for p in men] == ["Vàng A Dế"]
    bad = c.get("/api/persons/", {"tuoi_tu": "abc"})
    assert bad.status_code == 400


def test_identity_card_date_and_insurance_number_are_written_and_read(users: dict, tree: dict) -> None:
    c = api(users["officer_a"])
    good = {
        "personal_id": "010080000777",
        "identity_issue_date": "2021-03-15",
        "social_insurance_number": "0123456789",
        "full_name": "Giàng A Páo",
        "sex": "nam",
        "birth": "03/1980",
        "ethnicity": "08",
        "religion": "00",
        "category": "cong_chuc",
        "managing_unit": tree["A1"].pk,
        "reason": "Tiếp nhận",
    }
    r = c.post("/api/persons/", json.dumps(good), content_type="application/json")
    assert r.status_code == 201, r.content
    person = Person.objects.get(personal_id="010080000777")
    assert person.identity_issue_date == dt.date(2021, 3, 15)
    assert person.social_insurance_number == "0123456789"
    read = c.get(f"/api/persons/{person.pk}/").json()
    assert read["identity_issue_date"] == "2021-03-15" and read["social_insurance_number"] == "0123456789"
    page = c.get(f"/can-bo/{person.pk}/").content.decode()
    assert "Ngày cấp căn cước" in page and "15/03/2021" in page and "0123456789" in page
    for field, value, message in (
        ("social_insurance_number", "12345", "10 chữ số"),
        ("identity_issue_date", "1970-01-01", "sau ngày sinh"),
        ("identity_issue_date", "2999-01-01", "tương lai"),
    ):
        bad = c.post(
            "/api/persons/",
            json.dumps({**good, "personal_id": "010080000778", field: value}),
            content_type="application/json",
        )
        assert bad.status_code == 400, (field, value)
        assert message in json.dumps(bad.json(), ensure_ascii=False)
    assert not Person.objects.filter(personal_id="010080000778").exists()
