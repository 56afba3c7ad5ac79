"""The yearly review of a planning list (P-4): one record per year of the term, audited, refused
while someone in the list has a removal ground on the review date; another subtree can neither
see nor record it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from canbo.assessment.models import Rating
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.planning import services
from canbo.planning.models import PlanningEntry, PlanningList, PlanningReview
from canbo.planning.tests.conftest import DAY


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def entry(plist: PlanningList, users: dict, person_a: Any, titles: dict) -> PlanningEntry:
    return services.planning_entry_add(
        acting_user=users["officer_a"], planning_list=plist, person=person_a, title=titles["ct"], added_on=DAY
    )


def test_review_recorded_once_a_year_and_shown_with_the_year_s_moves(
    plist: PlanningList, entry: PlanningEntry, users: dict
) -> None:
    c = client_for(users["officer_a"])
    form = {"year": "2026", "reviewed_on": "16/03/2026", "decision": "20-QĐ/HU", "note": "Rà soát quý I"}
    # no reason (issue 21): refused in Vietnamese, nothing written
    for empty in ({}, {"reason": ""}, {"reason": "  "}):
        r = c.post(f"/quy-hoach/{plist.pk}/ra-soat/", {**form, **empty})
        assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
        assert r.content.decode().count('id="id_ra_soat_reason"') == 1
    assert not PlanningReview.objects.exists()
    assert not ObjectChange.objects.filter(content_type__model="planningreview").exists()
    form["reason"] = "Rà soát hằng năm theo Quy định 50"
    r = c.post(f"/quy-hoach/{plist.pk}/ra-soat/", form)
    assert r.status_code == 302
    review = PlanningReview.objects.get()
    assert (review.year, review.reviewed_on, review.decision_number) == (
        2026,
        dt.date(2026, 3, 16),
        "20-QĐ/HU",
    )
    log = ObjectChange.objects.get(content_type__model="planningreview", object_id=review.pk)
    assert (
        log.action == "create"
        and log.user == users["officer_a"]
        and log.reason == ("20-QĐ/HU; Rà soát hằng năm theo Quy định 50")
    )
    body = c.get(f"/quy-hoach/{plist.pk}/").content.decode()
    assert 'id="ra-soat"' in body and "16/03/2026" in body and "20-QĐ/HU" in body

    again = c.post(f"/quy-hoach/{plist.pk}/ra-soat/", {**form, "reviewed_on": "20/03/2026"})
    assert again.status_code == 400 and "đã có bản ghi rà soát năm 2026" in again.content.decode()
    bad = c.post(f"/quy-hoach/{plist.pk}/ra-soat/", {**form, "year": "2031", "reviewed_on": "16/03/2031"})
    assert bad.status_code == 400 and "không thuộc nhiệm kỳ 2025–2030" in bad.content.decode()
    wrong_year = c.post(f"/quy-hoach/{plist.pk}/ra-soat/", {**form, "year": "2025"})
    assert wrong_year.status_code == 400 and "không thuộc năm 2025" in wrong_year.content.decode()
    assert PlanningReview.objects.count() == 1


def test_review_refused_while_someone_has_a_removal_ground(
    plist: PlanningList, entry: PlanningEntry, users: dict, person_a: Any
) -> None:
    Rating.objects.create(person=person_a, system="chinh_quyen", period="nam", year=2025, level="kht",
                          decision_date=dt.date(2025, 12, 20))  # fmt: skip
    with pytest.raises(DomainError, match=r"Còn 1 người .*Nguyễn Thị Hoa \(P-4 v1\)"):
        services.planning_review_record(
            acting_user=users["officer_a"], planning_list=plist, year=2026, reviewed_on=dt.date(2026, 3, 16)
        )
    services.planning_entry_remove(
        acting_user=users["officer_a"],
        entry=entry,
        removed_on=dt.date(2026, 3, 10),
        reason="Năm 2025 KHT (P-4)",
    )
    review = services.planning_review_record(
        acting_user=users["officer_a"], planning_list=plist, year=2026, reviewed_on=dt.date(2026, 3, 16)
    )
    assert review.year == 2026


def test_other_subtree_neither_sees_nor_records_a_review(plist: PlanningList, users: dict) -> None:
    with pytest.raises(NotPermitted):
        services.planning_review_record(
            acting_user=users["officer_b"], planning_list=plist, year=2026, reviewed_on=dt.date(2026, 3, 16)
        )
    r = client_for(users["officer_b"]).post(
        f"/quy-hoach/{plist.pk}/ra-soat/", {"year": "2026", "reviewed_on": "16/03/2026"}
    )
    assert r.status_code == 404
    assert (
        client_for(users["leader_a"])
        .post(f"/quy-hoach/{plist.pk}/ra-soat/", {"year": "2026", "reviewed_on": "16/03/2026"})
        .status_code
        == 404
    )  # a leader reads, does not write
    assert not PlanningReview.objects.exists()
