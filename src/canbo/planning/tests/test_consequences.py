"""Consequences for planning (validator 5's removal flags, P-4): a vote with "low" above half
(V-4, V-5), a year rated KHT (P-4), a discipline (P-8) or a political standard not met (T-6)
after the addition flag the entry on the list page with the rule version; the officer takes it
out in one action that records the ground; an addition the dossier forbids is refused unless an
exception is recorded by a user with the right; the votes worklist shows the lists still to act on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from canbo.assessment.models import ConfidenceVote, Discipline, PoliticalConclusion, Rating
from canbo.campaigns.models import CampaignStatus, VoteEntry, VoteSession
from canbo.conftest import new_person
from canbo.core.errors import DomainError
from canbo.core.models import ObjectChange
from canbo.planning import consequences, services
from canbo.planning.models import PlanningEntry, PlanningList
from canbo.planning.tests.conftest import DAY
from canbo.rules.engine.checks import (
    ConclusionEvent,
    DisciplineEvent,
    RatingEvent,
    RemovalInput,
    VoteInput,
    check_removal,
)
from canbo.rules.engine.rulebook import load_rulebook
from canbo.rules.engine.verdict import CANNOT, FAIL, PASS

D = dt.date
BOOK = load_rulebook()
PARTY = "Hội nghị Ban Chấp hành đảng bộ — Huyện A"


def vote(day: D, low: int, convened: int = 30) -> tuple[str, VoteInput]:
    return PARTY, VoteInput(day, convened, convened, convened, convened - low, 0, low)


def judge(**kw: Any) -> dict[str, tuple[str, str]]:
    """{rule: (outcome, label)} of the removal check of an entry added on 1/3/2024, on 1/3/2026."""
    v = check_removal(BOOK, RemovalInput(D(2026, 3, 1), D(2024, 3, 1), ratings=kw.pop("ratings", (
        RatingEvent(2025, "htt", D(2025, 12, 20)),)), **kw))  # fmt: skip
    return {r.rule_id: (r.outcome, r.label) for r in v.results}


# -- the engine, on both sides of each threshold and date -----------------------------------------


def test_vote_over_half_flags_v4_at_half_it_does_not_and_two_thirds_is_v5() -> None:
    assert judge(votes=(vote(D(2025, 6, 1), 16),))["V-4"] == (FAIL, "V-4 v1")  # 16/30 > 1/2
    assert judge(votes=(vote(D(2025, 6, 1), 15),))["V-4"][0] == PASS  # exactly 1/2: no ground
    assert judge(votes=(vote(D(2025, 6, 1), 20),))["V-5"][0] == FAIL  # 20/30 = 2/3
    assert judge(votes=(vote(D(2024, 2, 1), 20),))["V-4"][0] == PASS  # before the addition
    hdnd = ("Kỳ họp Hội đồng nhân dân — Huyện A", vote(D(2025, 6, 1), 20)[1])
    assert judge(votes=(hdnd,))["V-4"][0] == PASS  # V-8's consequence is not a removal


def test_year_rated_kht_flags_p4_and_a_missing_year_cannot_be_decided() -> None:
    kht = (RatingEvent(2025, "kht", D(2025, 12, 20)),)
    assert judge(ratings=kht)["P-4"] == (FAIL, "P-4 v1")
    assert judge()["P-4"][0] == PASS  # 2025 rated HTT
    assert judge(ratings=(RatingEvent(2024, "ht", D(2024, 12, 20)),))["P-4"][0] == CANNOT  # 2025 missing
    assert judge(ratings=(RatingEvent(2023, "kht", D(2023, 12, 20)),))["P-4"][0] == CANNOT


def test_discipline_is_judged_by_the_p8_version_of_its_date_and_t6_by_a_conclusion() -> None:
    before = judge(disciplines=(DisciplineEvent(D(2025, 10, 7), "Khiển trách", "1-QĐ"),))
    after = judge(disciplines=(DisciplineEvent(D(2025, 10, 8), "Khiển trách", "2-QĐ"),))
    assert before["P-8"] == (FAIL, "P-8 v1") and after["P-8"] == (FAIL, "P-8 v2")
    assert "P-8" not in judge(disciplines=(DisciplineEvent(D(2024, 2, 1), "Cảnh cáo"),))  # before addition
    assert judge(conclusions=(ConclusionEvent(D(2025, 5, 1), False),))["T-6"][0] == FAIL
    assert "T-6" not in judge(conclusions=(ConclusionEvent(D(2025, 5, 1), True),))


# -- the pages and the services -------------------------------------------------------------------


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def low_vote(person: Any, day: D, low: int) -> ConfidenceVote:
    return ConfidenceVote.objects.create(
        person=person, vote_date=day, body=PARTY, position="Trưởng phòng",
        convened=30, present=30, ballots=30, high=30 - low, medium=0, low=low,
    )  # fmt: skip


@pytest.fixture
def entry(plist: PlanningList, users: dict, person_a: Any, titles: dict) -> PlanningEntry:
    return services.planning_entry_add(
        acting_user=users["officer_a"], planning_list=plist, person=person_a, title=titles["ct"], added_on=DAY
    )


def test_list_page_flags_the_entry_and_one_action_removes_it_with_the_ground(
    plist: PlanningList, entry: PlanningEntry, users: dict, person_a: Any
) -> None:
    c = client_for(users["officer_a"])
    url = f"/quy-hoach/{plist.pk}/"
    assert 'id="can-dua-ra"' not in c.get(url, {"ngay": "01/03/2026"}).content.decode()
    low_vote(person_a, D(2026, 2, 10), 17)
    body = c.get(url, {"ngay": "01/03/2026"}).content.decode()
    assert 'id="can-dua-ra"' in body and f'id="can-cu-{entry.pk}"' in body
    assert "V-4 v1" in body and "QĐ 96" in body and "đưa ra khỏi quy hoạch chức vụ cao hơn" in body
    assert 'id="can-dua-ra"' not in c.get(url, {"ngay": "09/02/2026"}).content.decode()  # the past
    index = c.get("/quy-hoach/", {"ngay": "01/03/2026"}).content.decode()
    assert f'href="/quy-hoach/{plist.pk}/#can-dua-ra"><strong>1</strong>' in index

    # Another subtree neither sees nor removes it.
    other = client_for(users["officer_b"])
    assert other.get(url).status_code == 404
    form = {
        "removed_on": "01/03/2026",
        "reason": "x",
        "decision": "9-QĐ/HU",
        "row_version": entry.row_version,
    }
    assert other.post(f"/quy-hoach/muc/{entry.pk}/dua-ra/", form).status_code == 404
    entry.refresh_from_db()
    assert entry.removed_on is None

    reason = consequences.flags(users["officer_a"], [entry], D(2026, 3, 1))[0].reason
    r = c.post(f"/quy-hoach/muc/{entry.pk}/dua-ra/", {**form, "reason": reason})
    assert r.status_code == 302
    entry.refresh_from_db()
    assert entry.removed_on == D(2026, 3, 1) and "V-4 v1" in entry.removal_reason
    log = ObjectChange.objects.filter(content_type__model="planningentry", object_id=entry.pk).latest("pk")
    assert log.action == "update" and log.reason == "9-QĐ/HU" and log.user == users["officer_a"]
    assert 'id="can-dua-ra"' not in c.get(url, {"ngay": "01/03/2026"}).content.decode()


def test_entry_page_shows_each_ground_and_prefills_the_reason(
    entry: PlanningEntry, users: dict, person_a: Any
) -> None:
    Rating.objects.create(person=person_a, system="chinh_quyen", period="nam", year=2026, level="kht",
                          decision_date=D(2026, 12, 10))  # fmt: skip
    Discipline.objects.create(person=person_a, system="dang", form="khien_trach", decision_number="7-QĐ/UBKT",
                              decision_date=D(2026, 6, 1), issuing_body="UBKT", violation="x")  # fmt: skip
    PoliticalConclusion.objects.create(person=person_a, conclusion_date=D(2026, 7, 1), issuing_body="BTC",
                                       meets_standard=False)  # fmt: skip
    body = client_for(users["officer_a"]).get(f"/quy-hoach/muc/{entry.pk}/", {"ngay": "20/12/2026"})
    text = body.content.decode()
    assert 'id="can-cu-dua-ra"' in text
    for label in ("P-4 v1", "P-8 v2", "T-6 v1"):
        assert label in text
    assert "Năm 2026 xếp loại không hoàn thành nhiệm vụ" in text
    # The other subtree's officer sees no page (and so no grounds).
    assert client_for(users["officer_b"]).get(f"/quy-hoach/muc/{entry.pk}/").status_code == 404


def test_addition_refused_after_a_low_vote_unless_an_exception_is_recorded(
    plist: PlanningList, users: dict, tree: dict, titles: dict
) -> None:
    p = new_person(tree["A1"], "Lê Văn Tín", sex="nam")
    low_vote(p, D(2025, 6, 1), 16)
    add = dict(planning_list=plist, person=p, title=titles["ct"], added_on=DAY)
    with pytest.raises(DomainError, match=r"V-4 v1.*ghi nhận ngoại lệ"):
        services.planning_entry_add(acting_user=users["officer_a"], **add)
    with pytest.raises(DomainError, match="không có quyền ghi nhận ngoại lệ"):
        services.planning_entry_add(
            acting_user=users["officer_a"], exception_reason="Có thành tích", exception_basis="1-CV/TU", **add
        )
    # Through the page: 400, the Vietnamese reason on the form, nothing written.
    c = client_for(users["officer_a"])
    r = c.post(f"/quy-hoach/{plist.pk}/them/", {"nguoi": p.personal_id, "chuc_danh": titles["ct"].pk,
                                                "added_on": "03/11/2025"})  # fmt: skip
    assert r.status_code == 400 and "tín nhiệm thấp" in r.content.decode()
    assert not PlanningEntry.objects.filter(person=p).exists()

    users["officer_a"].user_permissions.add(Permission.objects.get(codename="record_rule_exception"))
    officer = type(users["officer_a"]).objects.get(pk=users["officer_a"].pk)  # fresh permission cache
    with pytest.raises(DomainError, match="cả lý do và căn cứ"):
        services.planning_entry_add(acting_user=officer, exception_reason="Có thành tích", **add)
    e = services.planning_entry_add(
        acting_user=officer, exception_reason="Có thành tích nổi trội", exception_basis="1-CV/TU", **add
    )
    x = e.exception
    assert (x.rule, x.basis, x.reason) == ("P-4", "1-CV/TU", "Có thành tích nổi trội")
    assert (x.recorded_by, x.person_id, x.unit_id) == (officer, p.pk, plist.unit_id)
    log = ObjectChange.objects.get(content_type__model="planningentry", object_id=e.pk)
    assert "ngoại lệ: 1-CV/TU" in log.reason


def test_a_later_vote_within_half_lifts_the_refusal(
    plist: PlanningList, users: dict, tree: dict, titles: dict
) -> None:
    p = new_person(tree["A1"], "Lê Văn Tín", sex="nam")
    low_vote(p, D(2024, 6, 1), 16)
    low_vote(p, D(2025, 6, 1), 15)  # exactly half: no ground
    e = services.planning_entry_add(
        acting_user=users["officer_a"], planning_list=plist, person=p, title=titles["ct"], added_on=DAY
    )
    assert e.exception is None


def test_votes_worklist_lists_the_planning_entries_a_v4_result_takes_out(
    entry: PlanningEntry, users: dict, tree: dict, person_a: Any
) -> None:
    s = VoteSession.objects.create(unit=tree["A"], body="cap_uy", vote_date=D(2026, 2, 10), convened=30,
                                   present=30, ballots=30, status=CampaignStatus.FINAL)  # fmt: skip
    VoteEntry.objects.create(session=s, person=person_a, position="Trưởng phòng", high=10, medium=3, low=17)
    body = client_for(users["officer_a"]).get("/danh-gia/lay-phieu/").content.decode()
    assert "Còn trong quy hoạch Chủ tịch UBND huyện" in body
    assert f"/quy-hoach/muc/{entry.pk}/" in body
    # The other subtree sees neither the vote nor the entry.
    assert (
        f"/quy-hoach/muc/{entry.pk}/"
        not in client_for(users["officer_b"]).get("/danh-gia/lay-phieu/").content.decode()
    )


def test_list_page_queries_do_not_grow_with_flagged_entries(
    plist: PlanningList, users: dict, tree: dict, titles: dict
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(users["officer_a"])

    def flagged(i: int, key: str) -> None:
        p = new_person(tree["A1"], f"Người Số {i}", sex="nam" if i % 2 else "nu")
        services.planning_entry_add(
            acting_user=users["officer_a"], planning_list=plist, person=p, title=titles[key], added_on=DAY
        )
        low_vote(p, D(2026, 2, 10), 17)

    def queries() -> tuple[int, int]:
        out = []
        for url in ("/quy-hoach/", f"/quy-hoach/{plist.pk}/"):
            with CaptureQueriesContext(connection) as ctx:
                body = c.get(url, {"ngay": "01/03/2026"}).content.decode()
            assert "V-4 v1" in body or url == "/quy-hoach/"
            out.append(len(ctx.captured_queries))
        return out[0], out[1]

    flagged(0, "ct")
    queries()  # the first page of the process also builds the unit labels
    one = queries()
    for i, key in enumerate(("ct", "bt", "bt", "pct"), start=1):
        flagged(i, key)
    assert queries() == one
