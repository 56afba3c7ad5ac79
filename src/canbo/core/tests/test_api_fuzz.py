"""A small, bounded schema-fuzzing run of the API in the suite (issue 21), so that a 500 coming
back shows in CI; the full run is ``./canbo bench api_fuzz`` (docs/performance.md).

schemathesis generates requests from ``/api/schema/`` (hypothesis, derandomized with no example
database: the same requests every run) and sends them in-process to the real WSGI application on
the test database: every read operation (a few examples each) with an officer's read token, and a
few writes as a browser sends them (the session cookie and the ``X-CSRFToken`` header of a page,
after posting the login form). Each answer is checked with ``not_a_server_error`` only: the
valid requests refused with a 400 (``positive_data_acceptance``) are read by hand from the bench's
``--positive`` list, since the schema cannot say all a request needs (a date within 1900–2100, a
unit that exists). Marker ``fuzz``: ``-m "not fuzz"`` leaves it out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client as DjangoClient

from canbo.accounts.services import token_create
from canbo.conftest import REASON_HEADERS, new_person
from canbo.core.fuzzing import fuzz_operation
from canbo.core.params import MAX_INT
from canbo.org.models import Unit

pytestmark = pytest.mark.fuzz

READ_EXAMPLES = 4
WRITE_EXAMPLES = 10
# Writes fuzzed as a browser: collections whose create needs no object of the path, one per app.
WRITES = (
    "POST /api/persons/",
    "POST /api/quotas/",
    "POST /api/cases/",
    "POST /api/units/",
    "POST /api/ratings/campaigns/",
)


def wsgi_client() -> Any:
    """A werkzeug client of the project's WSGI application. schemathesis, werkzeug and the
    application (its middleware built on import) are imported when a test of this module runs, not
    when the suite is collected: every pytest process collects this module, few run it."""
    from werkzeug.test import Client

    from canbo.wsgi import application

    return Client(application)


def load_schema(client: Any = None, headers: dict[str, str] | None = None) -> Any:
    import schemathesis

    from canbo.wsgi import application

    client = client or wsgi_client()
    answer = client.get("/api/schema/?format=json", headers=headers or {})
    assert answer.status_code == 200, answer.text[:200]
    schema = schemathesis.openapi.from_dict(json.loads(answer.get_data()))
    schema.app = application
    # Credentials are ours: a generated session cookie would be set, then deleted (a logout).
    schema.config.generation.update(with_security_parameters=False)
    return schema


@pytest.fixture
def data(users: dict[str, Any], tree: dict[str, Unit], person_a: Any) -> dict[str, Any]:
    new_person(tree["A"], "Lê Văn Cường", sex="nam")
    return users


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The WSGI handler closes the database connection at the end of each request
    (``close_old_connections``); inside a test's transaction that loses the test's data (on
    PostgreSQL: "the connection is closed", a 503). Django's test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_reads_answer_no_server_error(data: dict[str, Any]) -> None:
    from canbo.accounts.models import Grant

    grant = Grant.objects.get(user=data["officer_a"])
    _token, key = token_create(
        acting_user=data["admin"], grant=grant, name="fuzz", can_write=False, reason="thử"
    )
    headers = {"Authorization": f"Token {key}"}
    schema = load_schema(headers=headers)
    failures: list[str] = []
    reads = 0
    for result in schema.get_all_operations():
        op = result.ok()
        if op.method.upper() != "GET":
            continue
        reads += 1
        failures += fuzz_operation(op, headers, READ_EXAMPLES)[1]
    assert reads > 50
    assert not failures, "\n".join(failures)


def test_writes_as_a_browser_answer_no_server_error(data: dict[str, Any]) -> None:
    browser = wsgi_client()
    page = browser.get("/dang-nhap/")
    field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert field is not None
    answer = browser.post(
        "/dang-nhap/",
        data={"username": "officer_a", "password": "pw-officer_a", "csrfmiddlewaretoken": field[1]},
    )
    assert answer.status_code == 302
    token = re.search(r'"X-CSRFToken": "([^"]+)"', browser.get("/").text)
    assert token is not None
    headers = {"X-CSRFToken": token[1], **REASON_HEADERS}
    schema = load_schema(browser)
    operations = {result.ok().label: result.ok() for result in schema.get_all_operations()}
    failures: list[str] = []
    for label in WRITES:
        failures += fuzz_operation(operations[label], headers, WRITE_EXAMPLES, browser=browser)[1]
    # Still logged in, and the CSRF header still accepted: the writes above were really tried.
    still = browser.post("/api/quotas/", json={}, headers=headers)
    assert still.status_code == 400, still.text[:200]
    assert not failures, "\n".join(failures)


def test_schema_gives_the_bounds_of_limit_and_offset(users: dict[str, Any]) -> None:
    """Found by the bench's ``--positive`` list: ``limit=0`` or ``limit=5000``, valid by the
    schema ("integer"), answered 400; the schema now says what the server accepts."""
    client = DjangoClient()
    client.force_login(users["officer_a"])
    schema = client.get("/api/schema/?format=json").json()
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/persons/"]["get"]["parameters"]}
    assert params["limit"] == {"type": "integer", "minimum": 1, "maximum": 1000}
    assert params["offset"]["minimum"] == 0 and params["offset"]["maximum"] == MAX_INT
    assert client.get("/api/persons/", {"limit": 1000}).status_code == 200
    assert client.get("/api/persons/", {"limit": 1001}).status_code == 400


def test_schema_says_what_the_server_requires(users: dict[str, Any]) -> None:
    """Found by the bench's ``--positive`` list: requests valid by the schema, refused with a 400
    because the schema did not say an id in a path is positive, which purposes and sexes exist,
    which parameters the due list needs, or that a personal id has 12 digits."""
    client = DjangoClient()
    client.force_login(users["officer_a"])
    paths = client.get("/api/schema/?format=json").json()["paths"]

    def params(path: str) -> dict[str, Any]:
        return {p["name"]: p for p in paths[path]["get"].get("parameters", [])}

    assert params("/api/persons/{id}/")["id"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 2**63 - 1,
    }
    assert params("/api/persons/{person_pk}/khen-thuong/")["person_pk"]["schema"]["type"] == "integer"
    assert set(params("/api/rules/check/")["purpose"]["schema"]["enum"]) >= {"appointment", "planning"}
    assert params("/api/rules/retirement/")["sex"]["schema"]["enum"] == ["nam", "nu"]
    due = params("/api/salary/due/")
    assert due["don_vi"]["required"] and due["so_thang"]["required"]
    assert due["so_thang"]["schema"]["minimum"] == 1
    national = params("/api/national/persons/{personal_id}/")["personal_id"]
    assert national["schema"]["pattern"] == "^[0-9]{12}$"
    # The server refuses what the schema now excludes, and accepts the bounds.
    assert client.get("/api/persons/0/").status_code == 404
    assert client.get("/api/rules/retirement/", {"sex": "nu", "born": "1980"}).status_code == 200
