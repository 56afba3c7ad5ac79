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
from canbo.conftest import kept_person_a, kept_tree, kept_users, new_person
from canbo.core.errors import DomainError
from canbo.core.models import ObjectChange
from canbo.planning import consequences, services
from canbo.planning.models import PlanningEntry, PlanningList
from canbo.planning.tests.conftest import DAY
from canbo.rules.engine.calculators import required_months, retirement
from canbo.rules.engine.checks import (
    AgeInput,
    ConclusionEvent,
    DisciplineEvent,
    RatingEvent,
    RemovalInput,
    VoteEvent,
    VoteInput,
    check_removal,
)
from canbo.rules.engine.dates import add_months
from canbo.rules.engine.facts import FEMALE, MALE, Birth, RetirementOverride
from canbo.rules.engine.rulebook import load_rulebook
from canbo.rules.engine.verdict import CANNOT, FAIL, PASS

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

D = dt.date
BOOK = load_rulebook()
PARTY = "Hội nghị Ban Chấp hành đảng bộ — Huyện A"


def vote(day: D, low: int, convened: int = 30, body: str = "cap_uy") -> VoteEvent:
    return VoteEvent(PARTY, VoteInput(day, convened, convened, convened, convened - low, 0, low), body)


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
    hdnd = vote(D(2025, 6, 1), 20, body="hdnd")
    assert judge(votes=(hdnd,))["V-4"][0] == PASS  # V-8's consequence is not a removal
    # The body is the field, not the wording: a People's Council vote typed by hand otherwise,
    # and another meeting under QĐ 96, which V-4 and V-5 govern.
    assert judge(votes=(hdnd._replace(label="HĐND huyện A, kỳ họp cuối năm"),))["V-4"][0] == PASS
    assert judge(votes=(vote(D(2025, 6, 1), 20, body="khac"),))["V-5"][0] == FAIL


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


def age_result(birth: Birth | None, on: D, override: RetirementOverride | None = None) -> tuple[str, ...]:
    """(outcome, label, message) of the age ground of an entry added on 1/3/2024, judged on ``on``."""
    v = check_removal(BOOK, RemovalInput(on, D(2024, 3, 1), age=AgeInput(birth, on, override)))
    r = next(r for r in v.results if r.rule_id == "P-5")
    return r.outcome, r.label, r.message


def limit_day(birth: Birth, months: int = 60) -> D:
    """The last day with ``months`` of working time left (H-7): from the next day there are fewer."""
    return add_months(retirement(BOOK, birth).pension_start, -months)


def test_over_the_planning_age_flags_from_the_day_after_the_limit() -> None:
    born = Birth(MALE, 1967, 4, 15)
    last = limit_day(born)  # 60 months before the pension month: 1/4/2024 under QĐ 50's P-5 v1
    assert age_result(born, last - dt.timedelta(days=1))[0] == PASS
    assert age_result(born, last)[0] == PASS  # exactly 60 months: still one full term
    outcome, label, message = age_result(born, last + dt.timedelta(days=1))
    assert (outcome, label) == (FAIL, "P-5 v1")
    assert message.startswith("Không còn đủ tuổi quy hoạch: Còn 59 tháng") and "(P-8 v1)" in message
    # A month younger: the limit moves a month later.
    assert age_result(Birth(MALE, 1967, 5, 15), last + dt.timedelta(days=1))[0] == PASS
    # An H-5 retirement date of his own (armed forces) decides instead of the birth date.
    early = RetirementOverride(2026, 12, "luc_luong_vu_trang")
    assert age_result(Birth(MALE, 1980, 5, 15), D(2024, 6, 1), early)[0] == FAIL


def test_the_age_ground_is_judged_by_the_p5_and_p8_versions_of_its_day() -> None:
    woman = Birth(FEMALE, 1975, 3, 2)
    before = limit_day(woman) + dt.timedelta(days=1)
    assert before > D(2025, 10, 8) and age_result(woman, before)[1] == "P-5 v2"
    assert "(P-8 v2)" in age_result(woman, before)[2]
    older = Birth(FEMALE, 1970, 9, 2)  # over the age long before QĐ 377
    assert age_result(older, D(2025, 10, 7))[:2] == (FAIL, "P-5 v1")
    assert "(P-8 v1)" in age_result(older, D(2025, 10, 7))[2]
    assert age_result(older, D(2025, 10, 8))[:2] == (FAIL, "P-5 v2")


def test_a_missing_birth_date_or_only_a_year_that_matters_cannot_be_decided() -> None:
    assert age_result(None, D(2026, 3, 1))[0] == CANNOT
    jan, dec = limit_day(Birth(MALE, 1967, 1)), limit_day(Birth(MALE, 1967, 12))
    between = jan + (dec - jan) / 2
    outcome, _, message = age_result(Birth(MALE, 1967), between)
    assert outcome == CANNOT and "cần tháng sinh" in message
    assert age_result(Birth(MALE, 1967), jan)[0] == PASS  # every birth month leaves 60 or more
    assert age_result(Birth(MALE, 1967), dec + dt.timedelta(days=1))[0] == FAIL  # none does
    assert age_result(Birth(MALE, 1967, 12), between)[0] == PASS  # the month known: decided
    # An addition's refusals do not judge the age (P-5 is a softer check there).
    assert "P-5" not in judge()


def test_the_age_screen_holds_for_every_rule_version() -> None:
    """``consequences.AGE_SCREEN_YEARS`` reads the rulebook only from that age: no H-1 age below
    55 years in any year, no P-5 minimum above 120 months."""
    lowest = min(required_months(BOOK, sex, y) for sex in (MALE, FEMALE) for y in range(1990, 2060))
    highest = max(int(v.params["min_months"]) for v in BOOK.versions("P-5"))
    assert consequences.AGE_SCREEN_YEARS * 12 + highest <= lowest


# -- the pages and the services -------------------------------------------------------------------


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def low_vote(person: Any, day: D, low: int) -> ConfidenceVote:
    return ConfidenceVote.objects.create(
        person=person, vote_date=day, body=PARTY, body_kind="cap_uy", position="Trưởng phòng",
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
    assert "Còn " in text and "đủ 60 tháng" in text  # the age ground, passed (born 1980)
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
                                                "added_on": "03/11/2025", "reason": "Rà soát"})  # fmt: skip
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


def test_list_page_flags_an_entry_over_the_planning_age_from_the_day_after_the_limit(
    plist: PlanningList, users: dict, tree: dict, titles: dict
) -> None:
    born = D(1966, 1, 10)
    p = new_person(tree["A1"], "Trần Văn Lão", sex="nam", born=born)
    e = services.planning_entry_add(
        acting_user=users["officer_a"], planning_list=plist, person=p, title=titles["ct"], added_on=DAY
    )
    last = limit_day(Birth(MALE, 1966, 1, 10))
    assert last.year == 2022  # already over the age on the addition: flagged from then on
    c = client_for(users["officer_a"])
    body = c.get(f"/quy-hoach/{plist.pk}/", {"ngay": "01/03/2026"}).content.decode()
    assert f'id="can-cu-{e.pk}"' in body and "Không còn đủ tuổi quy hoạch" in body and "P-5 v2" in body
    flag = consequences.flags(users["officer_a"], [e], D(2026, 3, 1))[0]
    assert "P-8 v2" in flag.reason and "Ngày sinh" not in flag.reason
    index = c.get("/quy-hoach/", {"ngay": "01/03/2026"}).content.decode()
    assert f'href="/quy-hoach/{plist.pk}/#can-dua-ra"><strong>1</strong>' in index
    # The yearly review is refused while he is still in the list.
    with pytest.raises(DomainError, match="P-5 v2"):
        services.planning_review_record(
            acting_user=users["officer_a"], planning_list=plist, year=2026, reviewed_on=D(2026, 3, 1)
        )


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


def test_a_peoples_council_vote_typed_by_hand_is_not_a_removal_ground_whatever_its_wording(
    plist: PlanningList, entry: PlanningEntry, users: dict, person_a: Any
) -> None:
    """V-8 reads the body field: a People's Council vote typed into the dossier with wording
    other than the finalising step's leads to no planning flag; the same counts at a Party
    committee do (V-4)."""
    c = client_for(users["officer_a"])
    url = f"/quy-hoach/{plist.pk}/"
    form = {"vote_date": "10/02/2026", "body_kind": "hdnd", "body": "HĐND huyện A, kỳ họp thứ 8",
            "position": "Trưởng phòng", "convened": 30, "present": 30, "ballots": 30, "high": 10,
            "medium": 3, "low": 17, "reason": "Bổ sung"}  # fmt: skip
    assert c.post(f"/can-bo/{person_a.pk}/tin-nhiem/them/", form).status_code == 302
    assert 'id="can-dua-ra"' not in c.get(url, {"ngay": "01/03/2026"}).content.decode()
    ConfidenceVote.objects.filter(person=person_a).update(body_kind="cap_uy")
    assert f'id="can-cu-{entry.pk}"' in c.get(url, {"ngay": "01/03/2026"}).content.decode()


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
        # Every other one over the planning age (P-8 with P-5) rather than voted low (V-4).
        old = i % 2 == 1
        p = new_person(tree["A1"], f"Người Số {i}", sex="nam", born=D(1966, 1, 10) if old else None)
        services.planning_entry_add(
            acting_user=users["officer_a"], planning_list=plist, person=p, title=titles[key], added_on=DAY
        )
        if not old:
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
    assert len(consequences.flags(users["officer_a"], PlanningEntry.objects.all(), D(2026, 3, 1))) == 5
