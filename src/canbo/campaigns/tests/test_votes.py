"""Confidence-vote sessions (issue 20, C12): who is voted on, bad counts refused, validator 7's
band per person from the rulebook at the vote date, the worklist, all-or-nothing finalisation
writing the vote rows through the audited services, import, pages, other subtree, query count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from canbo.assessment.models import ConfidenceVote
from canbo.campaigns import votes
from canbo.campaigns.models import VoteEntry, VoteSession
from canbo.careers.models import Tenure
from canbo.conftest import REASON_HEADERS, new_person
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.org.models import Title, Unit
from canbo.people.models import Person

D = dt.date(2026, 10, 15)


def _leader(tree: dict[str, Unit], title: Title, name: str, start: dt.date = dt.date(2021, 6, 1),
            kind: str = "bo_nhiem", unit: str = "A1") -> Person:  # fmt: skip
    p = new_person(tree[unit], name, born=dt.date(1975, 3, 3))
    Tenure.objects.create(person=p, unit=tree[unit], title=title, kind=kind, start_date=start)
    return p


def _session(
    tree: dict[str, Unit], user: Any, body: str = "cap_uy", day: dt.date = D, **kw: Any
) -> VoteSession:
    counts = {"convened": 30, "present": 27, "ballots": 27, **kw}
    return votes.session_create(unit=tree["A"], body=body, vote_date=day, acting_user=user, **counts)


def _entry(s: VoteSession, p: Person) -> VoteEntry:
    return VoteEntry.objects.select_related("session__unit", "person").get(session=s, person=p)


@pytest.mark.django_db
def test_voted_on_are_leaders_in_service_then_in_subtree(tree: dict, users: dict, title: Title) -> None:
    hoa = _leader(tree, title, "Lê Thị Hoa")
    _leader(tree, title, "Ngô Văn Sau", start=dt.date(2026, 11, 1))  # not yet in post
    _leader(tree, title, "Phạm Văn Bê", unit="B")  # other subtree
    new_person(tree["A1"], "Chuyên Viên Không Chức Vụ")
    s = _session(tree, users["officer_a"])
    assert [e.person_id for e in s.entries.all()] == [hoa.pk]
    assert s.entries.get().position == "Trưởng phòng Phòng Nội vụ huyện A"
    assert ObjectChange.objects.filter(content_type__model="voteentry").count() == 1
    # V-8: at a People's Council session, persons elected or appointed in the voting year are not voted on
    _leader(tree, title, "Đỗ Mới Bầu", start=dt.date(2026, 3, 1))
    assert [p.full_name for p, _ in votes.people_voted_on(tree["A"], "hdnd", D)] == ["Lê Thị Hoa"]
    assert len(votes.people_voted_on(tree["A"], "cap_uy", D)) == 2


@pytest.mark.django_db
def test_bad_counts_refused_nothing_written(tree: dict, users: dict, title: Title) -> None:
    hoa = _leader(tree, title, "Lê Thị Hoa")
    with pytest.raises(DomainError, match="Số có mặt không thể lớn hơn"):
        _session(tree, users["officer_a"], present=31)
    assert not VoteSession.objects.exists()
    s = _session(tree, users["officer_a"])
    with pytest.raises(DomainError, match="vượt quá số phiếu phát ra"):
        votes.counts_set(entry=_entry(s, hoa), high=10, medium=10, low=8, acting_user=users["officer_a"])
    assert _entry(s, hoa).low is None
    votes.counts_set(entry=_entry(s, hoa), high=10, medium=10, low=7, acting_user=users["officer_a"])
    assert _entry(s, hoa).low == 7


@pytest.mark.parametrize(
    ("low", "rule", "band", "kht"),
    [(15, None, None, False), (16, "V-4", "over_half", True), (19, "V-4", "over_half", True),
     (20, "V-5", "two_thirds", True)],
)  # fmt: skip
@pytest.mark.django_db
def test_bands_both_sides_of_thresholds(
    tree: dict, users: dict, title: Title, low: int, rule: str | None, band: str | None, kht: bool
) -> None:
    # denominator (V-6, default): 30 convened; 15/30 = 1/2 is not above it, 20/30 = 2/3 is V-5
    hoa = _leader(tree, title, "Lê Thị Hoa")
    s = _session(tree, users["officer_a"], present=30, ballots=30)
    votes.counts_set(entry=_entry(s, hoa), high=0, medium=30 - low, low=low, acting_user=users["officer_a"])
    [row] = votes.rows_of(s)
    assert (row.consequence.rule if row.consequence else None) == rule
    assert (row.consequence.band if row.consequence else None) == band
    assert (row.kht_year == 2026) is kht


@pytest.mark.django_db
def test_v10_by_vote_date_and_quorum(tree: dict, users: dict, title: Title) -> None:
    hoa = _leader(tree, title, "Lê Thị Hoa")
    # Before QĐ 366 (30/8/2025) no automatic KHT; the V-4 band still applies.
    s = _session(tree, users["officer_a"], day=dt.date(2025, 6, 1), present=19, ballots=19)
    votes.counts_set(entry=_entry(s, hoa), high=0, medium=2, low=17, acting_user=users["officer_a"])
    [row] = votes.rows_of(s)
    assert row.kht_year is None and row.consequence is not None and row.consequence.rule == "V-4"
    book = votes.rulebook()
    assert votes.quorum_result(book, s)[0] is False  # 19 of 30 is below 2/3
    assert votes.quorum_result(book, _session(tree, users["officer_a"], present=20, ballots=20))[0] is True


@pytest.mark.django_db
def test_peoples_council_uses_v8(tree: dict, users: dict, title: Title) -> None:
    hoa = _leader(tree, title, "Lê Thị Hoa", kind="bau")
    s = _session(tree, users["officer_a"], body="hdnd", present=30, ballots=30)
    votes.counts_set(entry=_entry(s, hoa), high=0, medium=10, low=20, acting_user=users["officer_a"])
    [row] = votes.rows_of(s)
    assert row.consequence is not None and row.consequence.rule == "V-8"
    assert "bỏ phiếu tín nhiệm" in row.consequence.action
    votes.session_finalise(session=s, acting_user=users["officer_a"])
    v = ConfidenceVote.objects.get(person=hoa)
    assert (v.body_kind, v.get_body_kind_display()) == ("hdnd", "Kỳ họp Hội đồng nhân dân")


@pytest.mark.django_db
def test_finalise_all_or_nothing_then_worklist(tree: dict, users: dict, title: Title) -> None:
    hoa = _leader(tree, title, "Lê Thị Hoa")
    binh = _leader(tree, title, "Trần Văn Bình")
    officer = users["officer_a"]
    s = _session(tree, officer)
    votes.counts_set(entry=_entry(s, hoa), high=1, medium=3, low=23, acting_user=officer)
    with pytest.raises(DomainError, match="chưa nhập kết quả"):
        votes.session_finalise(session=s, acting_user=officer)
    with pytest.raises(DomainError, match="sau khi đã hoàn tất"):
        votes.action_record(entry=_entry(s, hoa), decision="1", decision_date=D, note="", acting_user=officer)
    assert not ConfidenceVote.objects.exists()
    votes.counts_set(entry=_entry(s, binh), high=20, medium=7, low=0, acting_user=officer)
    assert votes.session_finalise(session=s, acting_user=officer) == 2
    rows = {v.person_id: v for v in ConfidenceVote.objects.all()}
    assert rows[hoa.pk].low == 23 and rows[hoa.pk].convened == 30 and rows[binh.pk].high == 20
    assert {v.body_kind for v in rows.values()} == {"cap_uy"}  # the session's body, as a field
    assert ObjectChange.objects.filter(content_type__model="confidencevote").count() == 2
    s.refresh_from_db()
    with pytest.raises(DomainError, match="đã hoàn tất"):
        votes.counts_set(entry=_entry(s, binh), high=1, medium=1, low=1, acting_user=officer)
    work = votes.worklist(officer)
    assert [(r.entry.person_id, r.consequence and r.consequence.rule, r.pending) for _, r in work] == [
        (hoa.pk, "V-5", True)
    ]
    assert votes.worklist(users["officer_b"]) == []
    votes.action_record(entry=_entry(s, hoa), decision="12-QĐ/HU", decision_date=dt.date(2026, 11, 1),
                        note="Cho thôi giữ chức vụ", acting_user=officer)  # fmt: skip
    assert [r.pending for _, r in votes.worklist(officer)] == [False]


@pytest.mark.django_db
def test_import_tally_sheet_all_or_nothing(tree: dict, users: dict, title: Title) -> None:
    hoa = _leader(tree, title, "Lê Thị Hoa")
    binh = _leader(tree, title, "Trần Văn Bình")
    s = _session(tree, users["officer_a"])
    bad = "Họ và tên;Cao;Tín nhiệm;Thấp\nLê Thị Hoa;10;10;7\nNgười Lạ;1;1;1\n"
    with pytest.raises(DomainError, match="Người Lạ"):
        votes.counts_import(session=s, text=bad, acting_user=users["officer_a"])
    assert _entry(s, hoa).low is None
    good = "Họ và tên\tCao\tTín nhiệm\tThấp\nlê thị  hoa\t10\t10\t7\nTrần Văn Bình\t20\t7\t0\n"
    assert votes.counts_import(session=s, text=good, acting_user=users["officer_a"]) == 2
    assert (_entry(s, hoa).low, _entry(s, binh).high) == (7, 20)


@pytest.mark.django_db
def test_other_subtree_refused(tree: dict, users: dict, title: Title) -> None:
    hoa = _leader(tree, title, "Lê Thị Hoa")
    with pytest.raises(NotPermitted):
        _session(tree, users["officer_b"])
    assert not VoteSession.objects.exists()
    s = _session(tree, users["officer_a"])
    with pytest.raises(NotPermitted):
        votes.counts_set(entry=_entry(s, hoa), high=1, medium=1, low=1, acting_user=users["officer_b"])
    with pytest.raises(NotPermitted):
        votes.session_finalise(session=s, acting_user=users["officer_b"])
    client = Client(headers=REASON_HEADERS)
    client.force_login(users["officer_b"])
    e = _entry(s, hoa)
    assert client.get(f"/danh-gia/lay-phieu/{s.pk}/").status_code == 404
    assert (
        client.post(f"/danh-gia/lay-phieu/nguoi/{e.pk}/", {"high": 1, "medium": 1, "low": 1}).status_code
        == 404
    )
    assert client.post(f"/danh-gia/lay-phieu/{s.pk}/hoan-tat/", {"confirm": "on"}).status_code == 404
    assert client.post(f"/danh-gia/lay-phieu/nguoi/{e.pk}/xu-ly/", {"decision": "1"}).status_code == 404
    assert "Lê Thị Hoa" not in client.get("/danh-gia/lay-phieu/").content.decode()
    assert _entry(s, hoa).low is None


@pytest.mark.django_db
def test_pages_create_enter_import_finalise(tree: dict, users: dict, title: Title) -> None:
    hoa = _leader(tree, title, "Lê Thị Hoa")
    client = Client(headers=REASON_HEADERS)
    client.force_login(users["officer_a"])
    assert client.get("/danh-gia/lay-phieu/moi/").status_code == 200
    form = {"unit": tree["A"].pk, "body": "cap_uy", "vote_date": "15/10/2026",
            "convened": 30, "present": 31, "ballots": 27, "reason": "Theo kế hoạch số 5-KH/HU"}  # fmt: skip
    r = client.post("/danh-gia/lay-phieu/moi/", form)
    assert r.status_code == 400 and "Số có mặt không thể lớn hơn" in r.content.decode()
    r = client.post("/danh-gia/lay-phieu/moi/", {**form, "present": 27})
    assert r.status_code == 302
    s = VoteSession.objects.get()
    assert _why(s) == "Mở đợt lấy phiếu tín nhiệm: Theo kế hoạch số 5-KH/HU"
    e = _entry(s, hoa)
    r = client.post(f"/danh-gia/lay-phieu/nguoi/{e.pk}/", {"high": 20, "medium": 5, "low": 5, "reason": "x"})
    assert r.status_code == 400 and "vượt quá số phiếu phát ra" in r.content.decode()
    r = client.post(
        f"/danh-gia/lay-phieu/{s.pk}/nhap/", {"text": "Lê Thị Hoa;1;6;20", "reason": "Biên bản kiểm phiếu"}
    )
    assert r.status_code == 302
    assert _why(e) == "Nhập kết quả kiểm phiếu từ biên bản: Biên bản kiểm phiếu"
    page = client.get(f"/danh-gia/lay-phieu/{s.pk}/").content.decode()
    assert "Cần xử lý" in page and "V-5" in page and "đủ 2/3" in page
    r = client.post(
        f"/danh-gia/lay-phieu/{s.pk}/hoan-tat/", {"confirm": "on", "reason": "Biên bản ngày 15/10"}
    )
    assert r.status_code == 302
    vote = ConfidenceVote.objects.get(person=hoa)
    assert vote.low == 20
    assert _why(vote) == "Kết quả lấy phiếu tín nhiệm ngày 15/10/2026: Biên bản ngày 15/10"
    assert _why(s) == "Hoàn tất đợt lấy phiếu tín nhiệm: Biên bản ngày 15/10"
    index = client.get("/danh-gia/lay-phieu/").content.decode()
    assert "Chưa xử lý" in index and "Lê Thị Hoa" in index
    r = client.post(
        f"/danh-gia/lay-phieu/nguoi/{e.pk}/xu-ly/", {"decision": "1-QĐ/HU", "decision_date": "01/10/2026"}
    )
    assert r.status_code == 400 and "trước ngày lấy phiếu" in r.content.decode()
    # the decision (required) is the reason of the action recorded
    r = client.post(
        f"/danh-gia/lay-phieu/nguoi/{e.pk}/xu-ly/", {"decision": "1-QĐ/HU", "decision_date": "20/10/2026"}
    )
    assert r.status_code == 302
    assert _why(e) == "Ghi nhận xử lý kết quả lấy phiếu theo quyết định số 1-QĐ/HU"


def _why(obj: Any) -> str:
    """The reason of the latest change-log entry of ``obj``."""
    return (
        ObjectChange.objects.filter(content_type__model=obj._meta.model_name, object_id=obj.pk)
        .latest("pk")
        .reason
    )


@pytest.mark.django_db
def test_every_vote_form_requires_a_reason(tree: dict, users: dict, title: Title) -> None:
    """Issue 21: opening a session, a person's counts, the tally import and the finalisation each
    refuse an empty reason with the Vietnamese message (400) and write nothing."""
    hoa = _leader(tree, title, "Lê Thị Hoa")
    client = Client()
    client.force_login(users["officer_a"])
    form = {"unit": tree["A"].pk, "body": "cap_uy", "vote_date": "15/10/2026",
            "convened": 30, "present": 27, "ballots": 27}  # fmt: skip

    def refused(url: str, data: dict[str, Any]) -> None:
        logged = ObjectChange.objects.count()
        for reason in ({}, {"reason": ""}, {"reason": "   "}):
            r = client.post(url, {**data, **reason})
            assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
        assert ObjectChange.objects.count() == logged

    refused("/danh-gia/lay-phieu/moi/", form)
    assert not VoteSession.objects.exists()
    s = _session(tree, users["officer_a"])
    e = _entry(s, hoa)
    refused(f"/danh-gia/lay-phieu/nguoi/{e.pk}/", {"high": 20, "medium": 5, "low": 2})
    refused(f"/danh-gia/lay-phieu/{s.pk}/nhap/", {"text": "Lê Thị Hoa;1;6;20"})
    assert _entry(s, hoa).high is None
    votes.counts_set(entry=e, high=20, medium=5, low=2, acting_user=users["officer_a"])
    refused(f"/danh-gia/lay-phieu/{s.pk}/hoan-tat/", {"confirm": "on"})
    assert not ConfidenceVote.objects.exists()
    s.refresh_from_db()
    assert s.is_open
    r = client.post(f"/danh-gia/lay-phieu/nguoi/{e.pk}/", {"high": 20, "medium": 5, "low": 1,
                                                         "reason": "Sửa lỗi nhập liệu"})  # fmt: skip
    assert r.status_code == 302 and _why(e) == "Nhập kết quả kiểm phiếu: Sửa lỗi nhập liệu"


@pytest.mark.django_db
def test_session_page_query_count(tree: dict, users: dict, title: Title) -> None:
    """Pinned: session, grants, entries with people, rulebook reads — not per person."""
    people = [_leader(tree, title, f"Người Thứ {i}") for i in range(2)]
    s = _session(tree, users["officer_a"])
    for p in people:
        votes.counts_set(entry=_entry(s, p), high=10, medium=10, low=7, acting_user=users["officer_a"])
    client = Client(headers=REASON_HEADERS)
    client.force_login(users["officer_a"])
    client.get(f"/danh-gia/lay-phieu/{s.pk}/")  # warm the rulebook cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/danh-gia/lay-phieu/{s.pk}/").status_code == 200
    for i in range(2, 6):
        p = _leader(tree, title, f"Người Thứ {i}")
        VoteEntry.objects.create(session=s, person=p, position="Trưởng phòng", high=1, medium=1, low=1)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/danh-gia/lay-phieu/{s.pk}/").status_code == 200
    assert len(many) == len(few)
    # 8 measured: login session and user, grants, the session (view), its change right,
    # the entries with their people, and the rulebook's cached reads; none per person.
    assert len(few) == 8, [q["sql"] for q in few.captured_queries]


@pytest.mark.django_db
def test_year3_reminders_per_term(tree: dict, users: dict, title: Title) -> None:
    from canbo.careers.models import BodyMembership

    hoa = _leader(tree, title, "Lê Thị Hoa")
    BodyMembership.objects.create(person=hoa, body=tree["A"], kind="cap_uy", term="2025–2030",
                                  start_date=dt.date(2025, 9, 1))  # fmt: skip
    BodyMembership.objects.create(person=hoa, body=tree["A"], kind="hdnd", term="2021-2026",
                                  start_date=dt.date(2021, 6, 1))  # fmt: skip
    BodyMembership.objects.create(
        person=hoa, body=tree["A"], kind="cap_uy", term="2015–2020", start_date=dt.date(2015, 9, 1)
    )  # fmt: skip (ended)
    officer = users["officer_a"]
    got = [(r.kind, r.term, r.year, r.rule, r.held) for r in votes.term_reminders(officer, D)]
    assert got == [("hdnd", "2021-2026", 2023, "V-8", False), ("cap_uy", "2025–2030", 2027, "V-7", False)]
    VoteSession.objects.create(unit=tree["A"], body="hdnd", vote_date=dt.date(2023, 12, 5),
                               convened=30, present=30, ballots=30)  # fmt: skip
    assert [r.held for r in votes.term_reminders(officer, D)] == [True, False]
    assert votes.term_reminders(users["officer_b"], D) == []
    client = Client(headers=REASON_HEADERS)
    client.force_login(officer)
    assert "nhiệm kỳ 2025–2030: lấy phiếu năm 2027" in client.get("/danh-gia/lay-phieu/").content.decode()


@pytest.mark.django_db
def test_demo_session_one_person_per_band_then_wiped(title: Title) -> None:
    from canbo.campaigns.demo import seed_votes
    from canbo.conftest import make_unit
    from canbo.demo.generator import wipe

    assert seed_votes() == ""  # no demo province
    root = make_unit(None, "LC", "Tỉnh Lào Cai")
    district = make_unit(root, "LC.H1", "Huyện Một")
    t = {"H": district}
    people = [_leader(t, title, f"Lãnh Đạo {i}", unit="H") for i in range(4)]
    Person.objects.filter(pk__in=[p.pk for p in people]).update(is_synthetic=True)
    assert "hoàn tất, 4 người" in seed_votes()
    assert "không nạp lại" in seed_votes()
    s = VoteSession.objects.get()
    bands = sorted((r.consequence.rule if r.consequence else "") for r in votes.rows_of(s))
    assert bands == ["", "", "V-4", "V-5"]
    assert ConfidenceVote.objects.count() == 4
    wipe()
    assert not VoteSession.objects.exists() and not VoteEntry.objects.exists()


@pytest.mark.django_db
def test_finalised_vote_makes_the_years_rating_kht(tree: dict, users: dict, title: Title) -> None:
    """V-10 reaches the rating campaign of the vote's year through the written vote row."""
    from canbo.campaigns import selectors, services
    from canbo.campaigns.models import CampaignEntry

    hoa = _leader(tree, title, "Lê Thị Hoa")
    officer = users["officer_a"]
    s = _session(tree, officer, present=30, ballots=30)
    votes.counts_set(entry=_entry(s, hoa), high=0, medium=14, low=16, acting_user=officer)
    c = services.campaign_create(unit=tree["A"], system="chinh_quyen", year=2026, period="nam", part=None,
                                 decision_date=dt.date(2026, 11, 30), acting_user=officer)  # fmt: skip
    e = CampaignEntry.objects.select_related("campaign__unit", "person", "agency").get(campaign=c, person=hoa)
    services.entry_update(entry=e, acting_user=officer, proposed_level="htt", decided_level="htt", score=80,
                          kht_trigger=False)  # fmt: skip
    row = next(r for r in selectors.campaign_view(c).rows if r.entry.person_id == hoa.pk)
    assert not row.facts.low_votes  # not finalised: nothing in the dossier yet
    votes.session_finalise(session=s, acting_user=officer)
    row = next(r for r in selectors.campaign_view(c).rows if r.entry.person_id == hoa.pk)
    assert row.facts.low_votes and row.outcome == "fail"


@pytest.mark.django_db
def test_api_session_flow_and_other_subtree(tree: dict, users: dict, title: Title) -> None:
    hoa = _leader(tree, title, "Lê Thị Hoa")
    mine, other = Client(headers=REASON_HEADERS), Client(headers=REASON_HEADERS)
    mine.force_login(users["officer_a"])
    other.force_login(users["officer_b"])
    body = {
        "unit": "A",
        "body": "cap_uy",
        "vote_date": "2026-10-15",
        "convened": 30,
        "present": 27,
        "ballots": 27,
    }
    assert other.post("/api/votes/sessions/", body, content_type="application/json").status_code == 404
    bad = mine.post("/api/votes/sessions/", {**body, "present": 31}, content_type="application/json")
    assert bad.status_code == 400 and "Số có mặt" in bad.json()["detail"]
    r = mine.post("/api/votes/sessions/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    [e] = mine.get("/api/votes/entries/", {"dot": str(sid)}).json()["results"]
    assert e["person"] == hoa.pk and e["low"] is None
    url = f"/api/votes/entries/{e['id']}/"
    counts = {"high": 20, "medium": 5, "low": 5}
    assert other.patch(url, counts, content_type="application/json").status_code == 404
    over = mine.patch(url, counts, content_type="application/json")
    assert over.status_code == 400 and "vượt quá số phiếu phát ra" in over.json()["detail"]
    imported = mine.post(f"/api/votes/sessions/{sid}/import/", {"text": "Lê Thị Hoa;2;5;20"},
                         content_type="application/json")  # fmt: skip
    assert imported.status_code == 200 and imported.json()["imported"] == 1
    assert other.post(f"/api/votes/sessions/{sid}/finalise/").status_code == 404
    done = mine.post(f"/api/votes/sessions/{sid}/finalise/")
    assert done.status_code == 200 and done.json()["written"] == 1
    assert ConfidenceVote.objects.get(person=hoa).low == 20
