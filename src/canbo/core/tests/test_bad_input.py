"""Bad input answers 400 with a Vietnamese message, never 500 (issue 14, "500s from bad input").

Each cause the probe found is a parametrised case, through the pages and through the API: an
integer that ``isdigit()`` accepts but ``int()`` refuses ("²", 5,000 digits), a number beyond
what the database stores, a date outside 1900–2100, a JSON body nested 1,100 levels.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from canbo.conftest import REASON_HEADERS, kept_person_a, kept_tree, kept_users
from canbo.core import params
from canbo.core.views import SESSION_KEY
from canbo.imports.models import ImportJob
from canbo.people.models import FamilyRelation, Person
from canbo.people.services import section_create

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

SUPERSCRIPT = "²"  # str.isdigit() is True, int() raises
LONG = "9" * 5000  # int() raises beyond 4,300 digits
HUGE = "99999999999999999999"  # int() reads it; no database column holds it
FAR = "9999-12-31"
BAD_INTS = [SUPERSCRIPT, LONG, HUGE]
VIETNAMESE = ("phải", "Ngày", "Thiếu", "không")


def client_for(user: Any) -> Client:
    c = Client(headers=REASON_HEADERS)
    c.force_login(user)
    return c


def assert_400(response: Any) -> None:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    text = response.content.decode()
    assert any(word in text for word in VIETNAMESE), text[:500]


@pytest.fixture
def family(person_a: Person) -> FamilyRelation:
    rec = FamilyRelation(relation="bo", full_name="Nguyễn Văn Cha", birth_year=1950)
    return section_create(acting_user=None, person=person_a, instance=rec)  # type: ignore[return-value]


# --- the shared parser ----------------------------------------------------------------------


@pytest.mark.parametrize("raw", [*BAD_INTS, "-1", "1.5", "", "abc", "٣"])
def test_parse_id_refuses(raw: str) -> None:
    with pytest.raises(params.BadParameter):
        params.parse_id(raw, "Mã")


@pytest.mark.parametrize("raw", [FAR, "1899-12-31", "31/12/2101", "0001-01-01", "31/02/2020", "x"])
def test_parse_date_refuses(raw: str) -> None:
    with pytest.raises(params.BadParameter):
        params.parse_date(raw, "Ngày xem")


def test_parse_accepts_what_it_should() -> None:
    assert params.parse_id("42") == 42
    assert params.parse_int(" 7 ", "Số", maximum=10) == 7
    assert params.parse_optional_id("") is None
    assert str(params.parse_date("01/01/1900")) == "1900-01-01"
    assert str(params.parse_date("2100-12-31")) == "2100-12-31"


# --- dates outside 1900–2100 on pages --------------------------------------------------------


@pytest.mark.parametrize("day", [FAR, "31/12/9999", "0001-01-01", "31/12/1899"])
@pytest.mark.parametrize(
    "page",
    [
        "home",
        "person",
        "person_list",
        "calendar",
        "dashboard_index",
        "dashboard",
        "unit_tree",
        "plans",
        "planning",
    ],
)
def test_page_date_out_of_range(users: dict, person_a: Person, page: str, day: str) -> None:
    url = {
        "home": reverse("home"),
        "person": reverse("people:detail", args=[person_a.pk]),
        "person_list": reverse("people:list"),
        "calendar": reverse("rules:calendar"),
        "dashboard_index": reverse("indicators:index"),
        "dashboard": reverse("indicators:dashboard", args=["bat-ky"]),
        "unit_tree": reverse("org:tree"),
        "plans": reverse("plans:list"),
        "planning": reverse("planning:index"),
    }[page]
    assert_400(client_for(users["officer_a"]).get(url, {"ngay": day}))


def test_eligibility_check_date_out_of_range(users: dict, person_a: Person, title: Any) -> None:
    query = {"nguoi": person_a.pk, "muc_dich": "appointment", "chuc_danh": title.code, "ngay": "31/12/9999"}
    response = client_for(users["officer_a"]).get(reverse("rules:check"), query)
    assert response.status_code == 400
    assert "01/01/1900" in response.content.decode()


def test_an_unusable_date_is_never_remembered(users: dict, person_a: Person) -> None:
    c = client_for(users["officer_a"])
    assert_400(c.get(reverse("home"), {"ngay": FAR}))
    assert SESSION_KEY not in c.session
    assert c.get(reverse("people:detail", args=[person_a.pk])).status_code == 200
    assert c.get(reverse("rules:calendar")).status_code == 200


def test_a_date_remembered_before_the_fix_is_dropped(users: dict, person_a: Person) -> None:
    c = client_for(users["officer_a"])
    session = c.session
    session[SESSION_KEY] = FAR
    session.save()
    pages = ("home", "rules:calendar", "people:list", "org:tree", "plans:list")
    for url in [reverse("people:detail", args=[person_a.pk]), *map(reverse, pages)]:
        assert c.get(url).status_code == 200, url


# --- dates outside 1900–2100 through the API -------------------------------------------------


@pytest.mark.parametrize("day", [FAR, "1899-12-31"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/persons/?ngay={day}",
        "/api/persons/{pk}/?ngay={day}",
        "/api/units/?ngay={day}",
        "/api/planning/entries/?ngay={day}",
        "/api/indicators/bat-ky/?ngay={day}",
        "/api/rules/calendar/{pk}/?at={day}",
        "/api/rules/person/{pk}/ky-luat/?at={day}",
        "/api/rules/check/?purpose=appointment&title=TP&person={pk}&at={day}",
        "/api/rules/retirement/?sex=nam&born=1980&at={day}",
    ],
)
def test_api_date_out_of_range(users: dict, person_a: Person, title: Any, path: str, day: str) -> None:
    assert_400(client_for(users["officer_a"]).get(path.format(day=day, pk=person_a.pk)))


# --- integers that isdigit() accepts ---------------------------------------------------------


@pytest.mark.parametrize("raw", BAD_INTS)
@pytest.mark.parametrize(
    "path",
    [
        "/api/units/?trong={raw}",
        "/api/planning/entries/?danh_sach={raw}",
        "/api/plans/tasks/?ke_hoach={raw}",
        "/api/plans/tasks/?den-han={raw}",
        "/api/plans/tasks/?don-vi={raw}",
        "/api/rules/check/?purpose=appointment&title=TP&person={raw}&at=2025-01-01",
    ],
)
def test_api_integer_parameters(users: dict, title: Any, path: str, raw: str) -> None:
    assert_400(client_for(users["officer_a"]).get(path.format(raw=raw)))


@pytest.mark.parametrize("raw", [LONG, "1" + "0" * 19])
def test_api_person_id_in_the_path(users: dict, raw: str) -> None:
    assert_400(client_for(users["officer_a"]).get(f"/api/persons/{raw}/khen-thuong/"))


@pytest.fixture
def plan(tree: dict, users: dict) -> Any:
    from canbo.plans import services

    return services.plan_create(
        acting_user=users["officer_a"],
        unit=tree["A"],
        code="kh-thu",
        kind="ke_hoach",
        number="12/KH-UBND",
        issued_on=dt.date(2021, 1, 15),
        issuer_name="UBND huyện A",
        title="Kế hoạch thử nghiệm",
    )


@pytest.fixture
def plan_with_target(plan: Any) -> Any:
    from decimal import Decimal

    from canbo.indicators import services
    from canbo.indicators.models import IndicatorTarget

    spec = {
        "counted_for": ["huyen"],
        "population": {"source": "tenure", "title_level": ["huyen"], "is_leader": True},
        "numerator": {"age_below": 40},
    }
    young = services.definition_create(acting_user=None, code="tre", label="Trẻ", kind="share", spec=spec)
    IndicatorTarget.objects.create(
        plan=plan, definition=young, term="2020–2025", row="1", order=1, content="Trẻ", kind="min",
        low=Decimal("0.1"), text="10%",
    )  # fmt: skip
    return plan


@pytest.mark.parametrize("raw", BAD_INTS)
@pytest.mark.parametrize("page", ["dashboard", "holidays", "plan-unit", "plan-due"])
def test_page_integer_parameters(users: dict, plan_with_target: Any, page: str, raw: str) -> None:
    plan = plan_with_target
    url, name = {
        "dashboard": (reverse("indicators:dashboard", args=[plan.code]), "don_vi"),
        "holidays": (reverse("rules:holidays"), "nam"),
        "plan-unit": (reverse("plans:detail", args=[plan.pk]), "don-vi"),
        "plan-due": (reverse("plans:detail", args=[plan.pk]), "den-han"),
    }[page]
    assert_400(client_for(users["officer_a"]).get(url, {name: raw}))


def _uploaded_job(client: Client) -> ImportJob:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Cán bộ"
    ws.append(["Số định danh cá nhân", "Họ và tên"])
    out = io.BytesIO()
    wb.save(out)
    client.post(reverse("imports:index"), {"file": SimpleUploadedFile("ds.xlsx", out.getvalue())})
    return ImportJob.objects.latest("pk")


@pytest.mark.parametrize("raw", BAD_INTS)
@pytest.mark.parametrize("name", ["dung", "sheet"])
def test_import_mapping_parameters(users: dict, settings: Any, name: str, raw: str) -> None:
    c = client_for(users["officer_a"])
    job = _uploaded_job(c)
    assert_400(c.get(reverse("imports:mapping", args=[job.pk]), {name: raw}))


# --- row_version ------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [SUPERSCRIPT, LONG, "-1"])
def test_row_version_on_the_delete_page(
    users: dict, person_a: Person, family: FamilyRelation, raw: str
) -> None:
    url = reverse("people:section_delete", args=[person_a.pk, "gia-dinh", family.pk])
    assert_400(client_for(users["officer_a"]).post(url, {"reason": "Nhập trùng", "row_version": raw}))
    assert FamilyRelation.objects.filter(pk=family.pk).exists()


@pytest.mark.parametrize("raw", [SUPERSCRIPT, LONG, "-1"])
def test_row_version_through_the_api(users: dict, person_a: Person, family: FamilyRelation, raw: str) -> None:
    c = client_for(users["officer_a"])
    url = f"/api/persons/{person_a.pk}/gia-dinh/{family.pk}/"
    assert_400(
        c.patch(url, json.dumps({"details": "x", "row_version": raw}), content_type="application/json")
    )
    assert_400(c.delete(f"{url}?ly_do=Nhập%20trùng&row_version={raw}"))
    assert_400(c.delete(f"{url}?ly_do=Nhập%20trùng", HTTP_IF_MATCH=f'"{raw}"'))
    assert FamilyRelation.objects.filter(pk=family.pk).exists()


# --- pagination and JSON ----------------------------------------------------------------------

API_LISTS = [
    "/api/persons/",
    "/api/units/",
    "/api/titles/",
    "/api/areas/",
    "/api/plans/",
    "/api/plans/tasks/",
    "/api/plans/periods/",
    "/api/plans/reports/",
    "/api/planning/lists/",
    "/api/planning/entries/",
    "/api/grants/",
    "/api/posts/",
    "/api/quotas/",
    "/api/job-positions/",
    "/api/salary/groups/",
    "/api/salary/grades/",
    "/api/salary/base/",
    "/api/ratings/campaigns/",
    "/api/ratings/entries/",
    "/api/cases/",
    "/api/votes/sessions/",
    "/api/votes/entries/",
    "/api/persons/{pk}/khen-thuong/",
    "/api/persons/{pk}/gia-dinh/",
    "/api/units/{unit}/vacancies/",
]


@pytest.mark.parametrize("query", ["limit=99999999999999999999", "offset=²", f"limit={LONG}", "limit=0"])
@pytest.mark.parametrize("path", API_LISTS)
def test_every_api_list_refuses_bad_paging(users: dict, person_a: Person, path: str, query: str) -> None:
    """The probe's idea as a test: each list endpoint, each bad ``limit``/``offset``."""
    url = path.format(pk=person_a.pk, unit=person_a.managing_unit_id)
    assert_400(client_for(users["officer_a"]).get(url + "?" + query))


def test_api_lists_are_all_covered() -> None:
    from canbo.api_urls import router

    listed = {p.split("{pk}")[0].rstrip("/").removeprefix("/api/") for p in API_LISTS}
    registered = {prefix for prefix, _viewset, _basename in router.registry}
    # /api/indicators/ lists the few plans with targets, unpaginated.
    plain = {p for p in registered if "(?P<person_pk>" not in p} - {"indicators"}
    assert plain <= listed, plain - listed


def test_json_nested_too_deep(users: dict) -> None:
    body = "[" * 1100 + "]" * 1100
    response = client_for(users["officer_a"]).post("/api/persons/", body, content_type="application/json")
    assert_400(response)


@pytest.mark.parametrize(
    "sections",
    ["[" * 1100 + "]" * 1100, '[{"number": "1", "title": "Mục", "level": "²"}]', '[{"number": "1"}, 5]'],
)
def test_plan_review_form_with_a_bad_draft(users: dict, plan: Any, sections: str) -> None:
    """The plan review steps carry the draft as JSON in a form field."""
    response = client_for(users["officer_a"]).post(
        reverse("plans:extract", args=[plan.pk]), {"buoc": "xem", "sections": sections}
    )
    assert_400(response)


def test_a_year_out_of_range_is_written_as_a_year(users: dict) -> None:
    # "Năm phải từ 1.900 đến 2.199." grouped the years as amounts.
    c = Client(headers=REASON_HEADERS)
    c.force_login(users["officer_a"])
    for raw in ("99999", "1000"):
        r = c.get("/quy-dinh/ngay-nghi/", {"nam": raw})
        assert r.status_code == 400
        body = r.content.decode()
        assert "1900 đến 2199" in body and "1.900" not in body
    assert params.parse_year("2030", minimum=1900, maximum=2199) == 2030
    assert params.parse_year(None, minimum=1900, maximum=2199, default=2026) == 2026


@pytest.mark.parametrize("term", ["²", "0", "2020", "😀", "2025–2020"])
def test_a_membership_term_that_is_not_a_term_answers_400(
    users: dict, person_a: Person, tree: dict, term: str
) -> None:
    # The form probe posted "²" and "0" as the term (nhiệm kỳ) of a membership: 500.
    c = Client(headers=REASON_HEADERS)
    c.force_login(users["officer_a"])
    data = {
        "body": tree["A"].pk, "kind": "cap_uy", "term": term, "start_date": "01/01/2021",
        "reason": "Kiểm thử",
    }  # fmt: skip
    r = c.post(f"/can-bo/{person_a.pk}/cap-uy-hdnd/them/", data)
    assert r.status_code == 400
    body = r.content.decode()
    assert "Ghi nhiệm kỳ dạng 2020–2025." in body or "Năm cuối nhiệm kỳ phải sau năm đầu." in body


# Found by the schema fuzzing on PostgreSQL (bench/api_fuzz.py, issue 21): a NUL character in a
# unit's code (a SlugRelatedField) or in a query parameter reached the database, and PostgreSQL
# refuses NUL in text (psycopg DataError, a 500). SQLite found nothing and answered "not found";
# both now answer the same 400 before any lookup. Run on both databases (CANBO_DB).
VOTE_SESSION = {"body": "cap_uy", "vote_date": "2026-10-15", "convened": 30, "present": 27, "ballots": 27}


@pytest.mark.parametrize("encoding", ["json", "form", "multipart"])
def test_api_body_with_a_nul_character(users: dict, encoding: str) -> None:
    from canbo.campaigns.models import VoteSession
    from canbo.core.params import NUL_IN_BODY

    c = client_for(users["officer_a"])
    body = {**VOTE_SESSION, "unit": "A\x00"}
    if encoding == "json":
        r = c.post("/api/votes/sessions/", body, content_type="application/json")
    elif encoding == "form":
        from urllib.parse import urlencode

        r = c.post("/api/votes/sessions/", urlencode(body), content_type="application/x-www-form-urlencoded")
    else:
        r = c.post("/api/votes/sessions/", body)
    assert r.status_code == 400, r.content
    assert r.json()["errors"]["non_field_errors"] == [NUL_IN_BODY]
    assert not VoteSession.objects.exists()
    # The same body with the code as it is: created (the refusal was the NUL, nothing else).
    assert (
        c.post("/api/votes/sessions/", {**body, "unit": "A"}, content_type="application/json").status_code
        == 201
    )


def test_api_json_key_with_a_nul_character(users: dict) -> None:
    from canbo.core.params import NUL_IN_BODY

    r = client_for(users["officer_a"]).post(
        "/api/votes/sessions/", {**VOTE_SESSION, "unit": "A", "x\x00": 1}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["errors"]["non_field_errors"] == [NUL_IN_BODY]


@pytest.mark.parametrize("path", ["/api/rules/versions/", "/api/units/", "/can-bo/"])
def test_query_parameter_with_a_nul_character(users: dict, path: str) -> None:
    from canbo.core.params import NUL_IN_QUERY

    r = client_for(users["officer_a"]).get(path, {"rule": "a\x00b", "q": "a\x00"})
    assert r.status_code == 400
    if path.startswith("/api/"):
        assert r.json() == {"detail": NUL_IN_QUERY, "code": "bad_parameter"}
    else:
        assert NUL_IN_QUERY in r.content.decode()


# Issue 22 (leftover of issue 21's NUL guard, which covered the API's bodies and every query
# string): a NUL character in a page form's text field that a view reads itself (a saved list's
# name, a document's note, a deletion's reason) reached the database, and PostgreSQL refused it (a
# 500: "A string literal cannot contain NUL (0x00) characters"); SQLite stored it. Django's form
# CharFields refuse it with their own message, the hand-read fields did not. Every body posted to a
# page, urlencoded or multipart, now answers the same 400 before any view runs, on both databases.
# Run on PostgreSQL (CANBO_DB=postgresql).
@pytest.mark.parametrize("encoding", ["form", "multipart"])
def test_page_form_with_a_nul_character(users: dict, encoding: str) -> None:
    from urllib.parse import urlencode

    from canbo.core.models import ObjectChange
    from canbo.lists.models import SavedList

    c = Client(raise_request_exception=False)
    c.force_login(users["officer_a"])
    data = {"ten": "Cán bộ\x00nữ", "query": "gioi_tinh=nu"}
    before = ObjectChange.objects.count()
    if encoding == "form":
        r = c.post("/danh-sach/", urlencode(data), content_type="application/x-www-form-urlencoded")
    else:
        r = c.post("/danh-sach/", data)
    assert r.status_code == 400
    assert params.NUL_IN_BODY in r.content.decode()
    assert not SavedList.objects.exists() and ObjectChange.objects.count() == before
    # The same form without the NUL is saved (the refusal was the NUL, nothing else).
    assert c.post("/danh-sach/", {**data, "ten": "Cán bộ nữ"}).status_code == 302
    assert SavedList.objects.get().name == "Cán bộ nữ"


def test_nul_in_a_field_name(users: dict) -> None:
    c = Client(raise_request_exception=False)
    c.force_login(users["officer_a"])
    r = c.post("/danh-sach/", {"ten": "Cán bộ nữ", "x\x00": "1"})
    assert r.status_code == 400 and params.NUL_IN_BODY in r.content.decode()


def test_unreadable_multipart_form(users: dict) -> None:
    c = Client(raise_request_exception=False)
    c.force_login(users["officer_a"])
    r = c.post("/danh-sach/", b"--x\r\n", content_type="multipart/form-data")  # no boundary
    assert r.status_code == 400 and params.UNREADABLE_FORM in r.content.decode()


def test_login_form_with_a_nul_character(db: None) -> None:
    r = Client(raise_request_exception=False).post("/dang-nhap/", {"username": "a\x00b", "password": "x"})
    assert r.status_code == 400 and params.NUL_IN_BODY in r.content.decode()
