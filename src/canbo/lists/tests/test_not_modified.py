"""Conditional GETs (issue 22): an unchanged list answers 304 Not Modified; a change, another
user, another query or another day answer the page again."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from canbo.core.services import audited_update
from canbo.people.models import Person


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_an_unchanged_list_answers_304_and_a_change_renders_it_again(
    users: dict, person_a: Person, person_b: Person, django_assert_max_num_queries: Any
) -> None:
    c = client_for(users["officer_a"])
    c.get("/can-bo/")  # the first page sets the CSRF cookie its forms' tokens come from
    first = c.get("/can-bo/")
    assert first.status_code == 200 and "Nguyễn Thị Hoa" in first.content.decode()
    tag = first["ETag"]
    # Unchanged: 304, without reading the list (the session, the user, the change log's newest id).
    with django_assert_max_num_queries(4):
        again = c.get("/can-bo/", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b""
    assert "no-store" in again["Cache-Control"]  # still nothing of a dossier kept by a browser
    # Another query, another date: the page itself.
    assert c.get("/can-bo/?q=hoa", HTTP_IF_NONE_MATCH=tag).status_code == 200
    assert c.get("/can-bo/?ngay=2020-01-01", HTTP_IF_NONE_MATCH=tag).status_code == 200
    # A change anywhere (here: a name) is a new version of the list.
    audited_update(person_a, acting_user=users["admin"], changes={"full_name": "Nguyễn Thị Hòa Bình"})
    changed = c.get("/can-bo/", HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and "Nguyễn Thị Hòa Bình" in changed.content.decode()
    assert changed["ETag"] != tag


def test_another_users_validator_does_not_reuse_a_list_of_another_subtree(
    users: dict, person_a: Person, person_b: Person
) -> None:
    a = client_for(users["officer_a"])
    a.get("/can-bo/")
    tag_a = a.get("/can-bo/")["ETag"]
    other = client_for(users["officer_b"]).get("/can-bo/", HTTP_IF_NONE_MATCH=tag_a)
    assert other.status_code == 200
    assert "Trần Văn Bình" in other.content.decode() and "Nguyễn Thị Hoa" not in other.content.decode()


def test_a_bad_date_is_still_a_vietnamese_400_without_a_validator(users: dict, person_a: Person) -> None:
    r = client_for(users["officer_a"]).get("/can-bo/?ngay=31/02/2020")
    assert r.status_code == 400 and "ETag" not in r


def test_static_files_answer_304_to_their_validator(client: Client) -> None:
    first = client.get("/static/css/canbo.css")
    assert first.status_code == 200 and first.get("ETag")
    assert client.get("/static/css/canbo.css", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    since = client.get("/static/css/canbo.css", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


@pytest.mark.parametrize("url", ["/can-bo/", "/can-bo/?q=nguyen", "/can-bo/?q=nguyen&trang=2"])
def test_a_user_without_grants_gets_an_empty_list_not_a_server_error(users: dict[str, Any], url: str) -> None:
    # The kept count read the list's SQL, which the ORM refuses to write for a queryset it
    # knows is empty (no grant, no unit): it answered 500 (found in session 11).
    c = Client()
    c.force_login(users["nogrant"])
    r = c.get(url)
    assert r.status_code == 200
    assert r.context["page"].paginator.count == 0
