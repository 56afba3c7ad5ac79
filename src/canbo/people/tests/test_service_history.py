"""Who is in service on a date: service events, the periods derived from them, and every list,
count, export and page that shows "the people in service" by default."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from canbo.conftest import REASON_HEADERS, new_person
from canbo.core.errors import DomainError
from canbo.core.models import ObjectChange
from canbo.org.models import Unit
from canbo.people.models import Person, ServiceEvent, ServiceGap
from canbo.people.service_history import Period, in_service_q, periods, status_on
from canbo.people.services import section_create, section_delete, section_update

D = dt.date


def client_for(user: Any) -> Client:
    c = Client(headers=REASON_HEADERS)
    c.force_login(user)
    return c


def event(person: Person, kind: str, day: dt.date, user: Any = None, reason: str = "QĐ số 1") -> ServiceEvent:
    return section_create(  # type: ignore[return-value]
        acting_user=user, person=person, instance=ServiceEvent(kind=kind, event_date=day), reason=reason
    )


# ---- the rule ------------------------------------------------------------------------------


def test_periods_from_events() -> None:
    assert periods([]) == []
    assert periods([("tuyen_dung", D(2003, 9, 1))]) == [Period(D(2003, 9, 1))]
    # An exit with no entry known: in service since an unknown start (the 18th birthday).
    assert periods([("nghi_huu", D(2020, 4, 1))]) == [Period(None, D(2020, 4, 1), "nghi_huu")]
    # Moved away and back: two periods, a gap between.
    moved = [("tuyen_dung", D(2000, 1, 1)), ("chuyen_di", D(2010, 1, 1)), ("chuyen_den", D(2015, 1, 1))]
    assert periods(moved) == [Period(D(2000, 1, 1), D(2010, 1, 1), "chuyen_di"), Period(D(2015, 1, 1))]
    # Nothing after a death counts; a second entry while serving changes nothing.
    assert periods([("tuyen_dung", D(2000, 1, 1)), ("tuyen_dung", D(2001, 1, 1))]) == [Period(D(2000, 1, 1))]


@pytest.mark.django_db
def test_in_service_on_a_date(tree: dict[str, Unit]) -> None:
    young = new_person(tree["A1"], "Hoàng Văn Trẻ", sex="nam", born=D(1987, 4, 2))  # no event
    hoa = new_person(tree["A1"], "Nguyễn Thị Hoa", born=D(1980, 5, 17))
    event(hoa, "tuyen_dung", D(2003, 9, 1))
    moved = new_person(tree["A1"], "Lò Văn Đi", sex="nam", born=D(1970, 1, 1))
    event(moved, "tuyen_dung", D(1995, 1, 1))
    event(moved, "chuyen_di", D(2010, 1, 1))
    event(moved, "chuyen_den", D(2015, 1, 1))
    assert ServiceGap.objects.filter(person=moved).count() == 1

    def serving(day: dt.date) -> set[str]:
        return set(Person.objects.filter(in_service_q(day)).values_list("full_name", flat=True))

    assert serving(D(2000, 1, 1)) == {"Lò Văn Đi"}  # the 1987-born is 12, Hoa not yet recruited
    assert serving(D(2005, 4, 2)) == {"Lò Văn Đi", "Nguyễn Thị Hoa", "Hoàng Văn Trẻ"}
    assert serving(D(2012, 1, 1)) == {"Nguyễn Thị Hoa", "Hoàng Văn Trẻ"}  # moved away
    assert serving(D(2016, 1, 1)) == {"Lò Văn Đi", "Nguyễn Thị Hoa", "Hoàng Văn Trẻ"}  # back
    assert status_on(moved, D(2012, 1, 1)).label == "Đã chuyển khỏi tỉnh từ 01/01/2010"
    assert status_on(young, D(2000, 1, 1)).label == "Chưa vào công tác"
    assert status_on(hoa, D(2020, 12, 11)).label == "Đang công tác"


# ---- writes: audited, derived fields kept, scoped ---------------------------------------------


@pytest.mark.django_db
def test_event_writes_are_audited_and_keep_the_derived_fields(users: dict, person_a: Person) -> None:
    officer = users["officer_a"]
    hired = event(person_a, "tuyen_dung", D(2003, 9, 1), officer, "QĐ 125/QĐ-UBND")
    retired = event(person_a, "nghi_huu", D(2023, 2, 1), officer, "QĐ 88/QĐ-UBND")
    person_a.refresh_from_db()
    assert (person_a.recruitment_date, person_a.left_service_date) == (D(2003, 9, 1), D(2023, 2, 1))
    assert (person_a.service_from, person_a.service_until, person_a.service_end_kind) == (
        D(2003, 9, 1),
        D(2023, 2, 1),
        "nghi_huu",
    )
    log = ObjectChange.objects.filter(related_person_id=person_a.pk, user=officer)
    assert log.filter(content_type__model="serviceevent", action="create").count() == 2
    # The person's derived fields changed with the event's reason, in his history.
    person_log = log.filter(content_type__model="person", action="update", reason="QĐ 88/QĐ-UBND").get()
    assert (person_log.postchange_data or {})["left_service_date"] == "2023-02-01"
    # Moving the retirement and then deleting it follow through.
    section_update(
        acting_user=officer,
        instance=retired,
        changes={"event_date": D(2024, 3, 1)},
        reason="Đính chính",
        expected_version=retired.row_version,
    )
    person_a.refresh_from_db()
    assert person_a.service_until == D(2024, 3, 1)
    section_delete(acting_user=officer, instance=ServiceEvent.objects.get(pk=retired.pk), reason="Hủy QĐ")
    person_a.refresh_from_db()
    assert person_a.service_until is None and person_a.left_service_date is None
    assert person_a.recruitment_date == hired.event_date


@pytest.mark.django_db
def test_event_writes_outside_the_grant_are_refused(users: dict, person_a: Person) -> None:
    """Other subtree: officer B can neither add nor change person A's service events."""
    with pytest.raises((PermissionDenied, DomainError)):
        event(person_a, "nghi_huu", D(2023, 2, 1), users["officer_b"])
    own = event(person_a, "tuyen_dung", D(2003, 9, 1), users["officer_a"])
    with pytest.raises((PermissionDenied, DomainError)):
        section_update(acting_user=users["officer_b"], instance=own, changes={"event_date": D(2004, 1, 1)})
    assert ServiceEvent.objects.filter(person=person_a).count() == 1
    add = reverse("people:section_add", args=[person_a.pk, "tuyen-dung-nghi-huu"])
    post = {"kind": "nghi_huu", "event_date": "01/02/2023", "reason": "QĐ"}
    assert client_for(users["officer_b"]).post(add, post).status_code == 404
    assert client_for(users["leader_a"]).post(add, post).status_code == 404
    assert client_for(users["officer_a"]).post(add, post).status_code == 302
    person_a.refresh_from_db()
    assert person_a.service_until == D(2023, 2, 1)


@pytest.mark.django_db
def test_event_checks_are_vietnamese(users: dict, person_a: Person) -> None:
    add = reverse("people:section_add", args=[person_a.pk, "tuyen-dung-nghi-huu"])
    c = client_for(users["officer_a"])
    before_birth = c.post(add, {"kind": "tuyen_dung", "event_date": "01/01/1970", "reason": "x"})
    assert before_birth.status_code == 400 and "trước ngày sinh" in before_birth.content.decode()
    future = c.post(add, {"kind": "thoi_viec", "event_date": "01/01/2099", "reason": "x"})
    assert future.status_code == 400 and "tương lai" in future.content.decode()
    event(person_a, "tu_tran", D(2020, 1, 1), users["officer_a"])
    after_death = c.post(add, {"kind": "chuyen_di", "event_date": "01/01/2021", "reason": "x"})
    assert after_death.status_code == 400 and "từ trần" in after_death.content.decode()


# ---- lists, export, API, home, person page -----------------------------------------------------


@pytest.fixture
def staff(tree: dict[str, Unit], users: dict, person_a: Person) -> dict[str, Person]:
    """Person A (no event: in service from 18), a 2003 recruit, a retiree of 2023, one born 2002."""
    recruit = new_person(tree["A1"], "Trần Văn Tuyển", sex="nam", born=D(1981, 1, 1))
    event(recruit, "tuyen_dung", D(2003, 9, 1))
    retiree = new_person(tree["A1"], "Phạm Văn Hưu", sex="nam", born=D(1962, 1, 1))
    event(retiree, "tuyen_dung", D(1985, 1, 1))
    event(retiree, "nghi_huu", D(2023, 2, 1))
    late = new_person(tree["A1"], "Vũ Thị Muộn", born=D(2002, 6, 1))
    event(late, "tuyen_dung", D(2025, 7, 1))
    return {"a": person_a, "recruit": recruit, "retiree": retiree, "late": late}


def _names(response: Any) -> set[str]:
    body = response.content.decode()
    return {n for n in ("Nguyễn Thị Hoa", "Trần Văn Tuyển", "Phạm Văn Hưu", "Vũ Thị Muộn") if n in body}


@pytest.mark.django_db
def test_list_as_of_a_date_holds_only_those_in_service(users: dict, staff: dict) -> None:
    c = client_for(users["officer_a"])
    url = reverse("people:list")
    assert _names(c.get(url, {"ngay": "01/01/2000"})) == {"Nguyễn Thị Hoa", "Phạm Văn Hưu"}
    assert _names(c.get(url, {"ngay": "11/12/2020"})) == {"Nguyễn Thị Hoa", "Trần Văn Tuyển", "Phạm Văn Hưu"}
    # Today: the retiree is out by default, and shown by the filter.
    today = {"ngay": "06/12/2026"}
    assert _names(c.get(url, today)) == {"Nguyễn Thị Hoa", "Trần Văn Tuyển", "Vũ Thị Muộn"}
    assert _names(c.get(url, {**today, "tinh_trang": "nghi_huu"})) == {"Phạm Văn Hưu"}
    assert _names(c.get(url, {**today, "tinh_trang": "thoi_viec"})) == set()
    assert _names(c.get(url, {**today, "tinh_trang": "dang_cong_tac"})) == _names(c.get(url, today))
    everyone = {"Nguyễn Thị Hoa", "Trần Văn Tuyển", "Phạm Văn Hưu", "Vũ Thị Muộn"}
    assert _names(c.get(url, {**today, "tinh_trang": "tat_ca"})) == everyone
    # Never anyone before his service began, whatever the filter.
    assert "Vũ Thị Muộn" not in _names(c.get(url, {"ngay": "11/12/2020", "tinh_trang": "tat_ca"}))
    # A name search goes through the same condition.
    assert _names(c.get(url, {**today, "q": "pham van"})) == set()
    assert _names(c.get(url, {**today, "q": "pham van", "tinh_trang": "tat_ca"})) == {"Phạm Văn Hưu"}
    assert c.get(url, {"tinh_trang": "khong-co"}).status_code == 400


@pytest.mark.django_db
def test_export_holds_those_in_service_unless_filtered(users: dict, staff: dict) -> None:
    c = client_for(users["officer_a"])

    def exported(**params: str) -> tuple[set[str], str]:
        response = c.get(
            reverse("people:export"), {"ngay": "06/12/2026", "cot": "ho_ten", "tuoi_tu": "15", **params}
        )
        assert response.status_code == 200
        ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
        assert ws is not None
        cells = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v]
        header = " ".join(cells[:5])
        return {
            n for n in cells if n in ("Nguyễn Thị Hoa", "Trần Văn Tuyển", "Phạm Văn Hưu", "Vũ Thị Muộn")
        }, header

    names, header = exported()
    assert names == {"Nguyễn Thị Hoa", "Trần Văn Tuyển", "Vũ Thị Muộn"}
    assert "Tình trạng công tác: Đang công tác" in header
    assert exported(tinh_trang="nghi_huu")[0] == {"Phạm Văn Hưu"}


@pytest.mark.django_db
def test_api_list_holds_those_in_service_unless_filtered(users: dict, staff: dict) -> None:
    c = client_for(users["officer_a"])

    def ids(**params: str) -> set[int]:
        return {p["id"] for p in c.get("/api/persons/", params).json()["results"]}

    assert ids(ngay="2000-01-01") == {staff["a"].pk, staff["retiree"].pk}
    assert ids(ngay="2026-12-06") == {staff["a"].pk, staff["recruit"].pk, staff["late"].pk}
    assert ids(ngay="2026-12-06", tinh_trang="nghi_huu") == {staff["retiree"].pk}
    assert c.get("/api/persons/", {"tinh_trang": "x"}).status_code == 400


@pytest.mark.django_db
def test_home_counts_those_in_service_on_the_date(users: dict, staff: dict) -> None:
    c = client_for(users["officer_a"])
    assert c.get("/", {"ngay": "01/01/2000"}).context["person_count"] == 2
    assert c.get("/", {"ngay": "06/12/2026"}).context["person_count"] == 3


@pytest.mark.django_db
def test_person_page_shows_the_status_on_its_date(users: dict, staff: dict) -> None:
    c = client_for(users["officer_a"])
    page = reverse("people:detail", args=[staff["retiree"].pk])
    assert (
        "Tình trạng tại 11/12/2020: <strong>Đang công tác</strong>"
        in c.get(page, {"ngay": "11/12/2020"}).content.decode()
    )
    today = c.get(page, {"ngay": "06/12/2026"}).content.decode()
    assert "Tình trạng tại 06/12/2026:" in today and "Đã nghỉ hưu từ 01/02/2023" in today
    late = reverse("people:detail", args=[staff["late"].pk])
    assert "Chưa vào công tác" in c.get(late, {"ngay": "11/12/2020"}).content.decode()


@pytest.mark.django_db
def test_api_writes_events_through_the_service(users: dict, person_a: Person) -> None:
    url = f"/api/persons/{person_a.pk}/tuyen-dung-nghi-huu/"
    body = {
        "kind": "nghi_huu",
        "event_date": "2023-02-01",
        "decision_number": "88/QĐ-UBND",
        "reason": "QĐ 88",
    }
    assert client_for(users["officer_b"]).post(url, body, content_type="application/json").status_code == 404
    created = client_for(users["officer_a"]).post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    person_a.refresh_from_db()
    assert (person_a.service_until, person_a.service_end_kind) == (D(2023, 2, 1), "nghi_huu")
    assert ObjectChange.objects.filter(
        content_type__model="person", object_id=person_a.pk, reason="QĐ 88"
    ).exists()
