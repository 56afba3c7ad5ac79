"""Rating campaigns (issue 20, C11): the people to rate, validator 8 on each entry with the
dossier's KHT grounds, the quota live and at finalisation, all-or-nothing finalisation, scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from canbo.assessment.models import ConfidenceVote, Discipline, Rating
from canbo.campaigns import selectors, services
from canbo.campaigns.models import CampaignEntry, RatingCampaign
from canbo.conftest import REASON_HEADERS, kept_person_a, kept_tree, kept_users, new_person, official_header
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import AccessLog, ObjectChange
from canbo.org.models import Unit
from canbo.people.models import Person

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

D26 = dt.date(2026, 11, 30)  # before the machine's today: a rating row refuses a future date
D25 = dt.date(2025, 12, 10)


def _campaign(tree: dict[str, Unit], user: Any, day: dt.date = D26, **kw: Any) -> RatingCampaign:
    return services.campaign_create(
        unit=tree["A"], system="chinh_quyen", year=day.year, period="nam", part=None,
        decision_date=day, acting_user=user, **kw,
    )  # fmt: skip


def _people(tree: dict[str, Unit], n: int) -> list[Person]:
    return [new_person(tree["A1"], f"Người Thứ {i}", born=dt.date(1980, 1, 1 + i)) for i in range(n)]


def _set(entry: CampaignEntry, user: Any, level: str, score: float | None = None) -> None:
    if score is None:
        score = {"htxs": 95, "htt": 80, "ht": 60, "kht": 30}[level]
    entry.refresh_from_db()
    services.entry_update(
        entry=entry,
        acting_user=user,
        proposed_level=level,
        decided_level=level,
        score=score,
        kht_trigger=False,
    )


def _entry(c: RatingCampaign, p: Person) -> CampaignEntry:
    return CampaignEntry.objects.select_related("campaign__unit", "person", "agency").get(
        campaign=c, person=p
    )


@pytest.mark.django_db
def test_people_to_rate_in_service_and_in_subtree(
    tree: dict, users: dict, person_a: Person, person_b: Person
) -> None:
    c = _campaign(tree, users["officer_a"])
    assert [e.person_id for e in c.entries.all()] == [person_a.pk]  # person_b is in B
    assert ObjectChange.objects.filter(content_type__model="campaignentry").count() == 1


@pytest.mark.django_db
def test_other_subtree_refused(tree: dict, users: dict, person_a: Person) -> None:
    with pytest.raises(NotPermitted):
        _campaign(tree, users["officer_b"])
    assert not RatingCampaign.objects.exists()
    c = _campaign(tree, users["officer_a"])
    with pytest.raises(NotPermitted):
        services.entry_update(entry=_entry(c, person_a), acting_user=users["officer_b"], proposed_level="ht")
    client = Client(headers=REASON_HEADERS)
    client.force_login(users["officer_b"])
    assert client.get(f"/danh-gia/{c.pk}/").status_code == 404
    entry = _entry(c, person_a)
    assert client.post(f"/danh-gia/nguoi/{entry.pk}/", {"proposed_level": "ht"}).status_code == 404


@pytest.mark.django_db
def test_quarter_refused_before_nd335(tree: dict, users: dict) -> None:
    with pytest.raises(DomainError, match="theo năm"):
        services.campaign_create(
            unit=tree["A"], system="chinh_quyen", year=2025, period="quy", part=2,
            decision_date=dt.date(2025, 7, 10), acting_user=users["officer_a"],
        )  # fmt: skip
    c = services.campaign_create(
        unit=tree["A"], system="chinh_quyen", year=2026, period="quy", part=2,
        decision_date=dt.date(2026, 7, 10), acting_user=users["officer_a"],
    )  # fmt: skip
    assert c.bounds == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


@pytest.mark.django_db
def test_validator8_pass_fail_cannot_decide(tree: dict, users: dict, person_a: Person) -> None:
    u = users["officer_a"]
    c = _campaign(tree, u)
    e = _entry(c, person_a)
    services.entry_update(entry=e, acting_user=u, proposed_level="htt")
    row = selectors.campaign_view(c).rows[0]
    assert row.verdict is not None and row.outcome == "cannot_decide"  # no score, E-8 ground unknown
    assert any("Chưa có điểm" in r.message for r in row.verdict.results)
    _set(e, u, "htt", 80)
    assert selectors.campaign_view(c).rows[0].outcome == "pass"
    # the band: 80 points do not reach HTXS
    e.refresh_from_db()
    services.entry_update(entry=e, acting_user=u, proposed_level="htxs", decided_level="htxs")
    row = selectors.campaign_view(c).rows[0]
    assert row.outcome == "fail"
    # a duty-related discipline in the year, read from the dossier (D-11)
    _set(e, u, "htt", 80)
    Discipline.objects.create(
        person=person_a, system="chinh_quyen", form="khien_trach", decision_number="5/QĐ",
        decision_date=dt.date(2026, 3, 1), issuing_body="UBND", violation="x",
    )  # fmt: skip
    view = selectors.campaign_view(c)
    assert view.rows[0].outcome == "fail" and view.rows[0].facts.duty_discipline
    with pytest.raises(DomainError, match="không hoàn thành"):
        services.campaign_finalise(campaign=c, acting_user=u)
    assert not Rating.objects.exists()


@pytest.mark.django_db
def test_v10_low_vote_read_from_dossier(tree: dict, users: dict, person_a: Person) -> None:
    u = users["officer_a"]
    c = _campaign(tree, u)
    e = _entry(c, person_a)
    services.entry_update(entry=e, acting_user=u, is_head=False)
    CampaignEntry.objects.filter(pk=e.pk).update(is_leader=True)
    _set(e, u, "htt", 80)
    ConfidenceVote.objects.create(
        person=person_a, vote_date=dt.date(2026, 5, 1), body="HĐND", position="Chủ tịch",
        convened=30, present=30, ballots=30, high=5, medium=5, low=20,
    )  # fmt: skip
    row = selectors.campaign_view(c).rows[0]
    assert row.facts.low_votes and row.outcome == "fail"
    assert any(r.rule_id == "V-10" and r.outcome == "fail" for r in row.verdict.results)  # type: ignore[union-attr]


@pytest.mark.django_db
def test_version_by_decision_date(tree: dict, users: dict, person_a: Person) -> None:
    """The quota rule is E-12 (NĐ 90/48) for a 2025 decision, E-9 (NĐ 335) from 1/1/2026."""
    book = selectors.rulebook()
    c25 = _campaign(tree, users["officer_a"], D25)
    c26 = _campaign(tree, users["officer_a"], D26)
    assert selectors.quota_rule(book, c25)[0].startswith("E-12")
    assert selectors.quota_rule(book, c26)[0].startswith("E-9")


def _quota_campaign(tree: dict, u: Any) -> tuple[RatingCampaign, list[Person]]:
    """Six people in A1 (person_a of the ``users`` fixture and five more): 5 HTT and 1 HTXS, the
    cap ⌊0.2 × 5⌋ = 1 reached exactly."""
    _people(tree, 5)
    c = _campaign(tree, u)
    people = [e.person for e in c.entries.select_related("person").order_by("pk")]
    assert len(people) == 6
    for p in people[:5]:
        _set(_entry(c, p), u, "htt")
    _set(_entry(c, people[5]), u, "htxs")
    return c, people


@pytest.mark.django_db
def test_quota_within_then_over(tree: dict, users: dict) -> None:
    u = users["officer_a"]
    c, people = _quota_campaign(tree, u)
    [line] = selectors.campaign_view(c).quota
    assert (line.counts["htxs"], line.counts["htt"], line.cap, line.within) == (1, 5, 1, True)
    _set(_entry(c, people[0]), u, "htxs")  # 2 HTXS for 4 HTT: cap 0
    [line] = selectors.campaign_view(c).quota
    assert (line.counts["htxs"], line.cap, line.within) == (2, 0, False)
    assert line.to_dict() == {
        "agency": "A1", "group": "Chung", "counts": {"HTXS": 2, "HTT": 4, "HT": 0, "KHT": 0},
        "cap": 0, "within_quota": False, "rules": ["E-9 v1"],
    }  # fmt: skip


@pytest.mark.django_db
def test_quota_live_partial(tree: dict, users: dict) -> None:
    u = users["officer_a"]
    c, people = _quota_campaign(tree, u)
    client = Client(headers=REASON_HEADERS)
    client.force_login(u)
    e = _entry(c, people[0])
    ok = client.get(f"/danh-gia/{c.pk}/ty-le/", {"entry": str(e.pk), "decided_level": "htt"})
    assert ok.status_code == 200 and "Trong giới hạn" in ok.content.decode()
    over = client.get(f"/danh-gia/{c.pk}/ty-le/", {"entry": str(e.pk), "decided_level": "htxs"})
    assert over.status_code == 200 and "Vượt giới hạn" in over.content.decode()
    assert client.get(f"/danh-gia/{c.pk}/ty-le/", {"entry": "x"}).status_code == 400


@pytest.mark.django_db
def test_finalise_over_quota_refused_then_allowed_with_exception(tree: dict, users: dict) -> None:
    u = users["officer_a"]
    c, people = _quota_campaign(tree, u)
    _set(_entry(c, people[0]), u, "htxs")
    with pytest.raises(DomainError, match="vượt giới hạn"):
        services.campaign_finalise(campaign=c, acting_user=u)
    assert not Rating.objects.exists()
    with pytest.raises(NotPermitted):
        services.exception_record(
            campaign=c, reason="Thành tích nổi trội", basis="QĐ 9/QĐ-UBND", acting_user=u
        )
    u.user_permissions.add(Permission.objects.get(codename="record_rule_exception"))
    u = User.objects.get(pk=u.pk)  # permissions are cached on the user object
    services.exception_record(campaign=c, reason="Thành tích nổi trội", basis="QĐ 9/QĐ-UBND", acting_user=u)
    c.refresh_from_db()
    assert services.campaign_finalise(campaign=c, acting_user=u) == 6
    assert Rating.objects.filter(year=2026, level="htxs").count() == 2
    c.refresh_from_db()
    assert c.status == "da_hoan_tat"
    with pytest.raises(DomainError, match="đã hoàn tất"):
        services.entry_update(entry=_entry(c, people[1]), acting_user=u, proposed_level="ht")


@pytest.mark.django_db
def test_finalise_all_or_nothing(tree: dict, users: dict, person_b: Person) -> None:
    """The last person's rating row cannot be written (his dossier is outside the officer's
    grants, an entry slipped in behind the service): nothing is written, the campaign stays open."""
    u = users["officer_a"]
    c, _ = _quota_campaign(tree, u)
    CampaignEntry.objects.create(
        campaign=c, person=person_b, category="cong_chuc", agency=tree["B"],
        proposed_level="htt", decided_level="htt", score=80, kht_trigger=False,
    )  # fmt: skip
    before = ObjectChange.objects.count()
    with pytest.raises(NotPermitted):
        services.campaign_finalise(campaign=c, acting_user=u)
    assert not Rating.objects.exists()
    assert ObjectChange.objects.count() == before
    c.refresh_from_db()
    assert c.is_open


@pytest.mark.django_db
def test_head_not_above_collective(tree: dict, users: dict, person_a: Person) -> None:
    u = users["officer_a"]
    c = _campaign(tree, u)
    e = _entry(c, person_a)
    services.entry_update(entry=e, acting_user=u, is_head=True)
    _set(e, u, "htt")
    services.unit_rating_set(campaign=c, unit=tree["A1"], level="ht", acting_user=u)
    view = selectors.campaign_view(c)
    assert view.heads and "E-13" in view.heads[0].message
    with pytest.raises(DomainError, match="E-13"):
        services.campaign_finalise(campaign=c, acting_user=u)
    with pytest.raises(DomainError, match="phạm vi"):
        services.unit_rating_set(campaign=c, unit=tree["B"], level="ht", acting_user=u)


@pytest.mark.django_db
def test_campaign_page_query_count(tree: dict, users: dict) -> None:
    u = users["officer_a"]
    c, _ = _quota_campaign(tree, u)
    client = Client(headers=REASON_HEADERS)
    client.force_login(u)
    client.get(f"/danh-gia/{c.pk}/")  # warm the caches (unit index, rulebook)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(f"/danh-gia/{c.pk}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Người Thứ 0" in body and "Phòng Nội vụ huyện A" in body
    n6 = len(ctx.captured_queries)
    for p in _people(tree, 4):
        CampaignEntry.objects.create(campaign=c, person=p, category="cong_chuc", agency=tree["A1"])
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/danh-gia/{c.pk}/")
    assert len(ctx.captured_queries) == n6  # no query per person
    # session, user, grants (2), campaign, can-change check, entries, unit ratings, rulebook
    # (versions, holidays), disciplines, votes of the year, messages/menu, and E-9's exception on
    # file (a ``rules.RuleException`` row: one query whatever the campaign's size)
    assert n6 == 14, "\n".join(q["sql"][:120] for q in ctx.captured_queries)


@pytest.mark.django_db
def test_exports(tree: dict, users: dict) -> None:
    u = users["officer_a"]
    c, _ = _quota_campaign(tree, u)
    client = Client(headers=REASON_HEADERS)
    client.force_login(u)
    x = client.get(f"/danh-gia/{c.pk}/xuat-excel/")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")
    w = client.get(f"/danh-gia/{c.pk}/xuat-word/")
    assert w.status_code == 200 and w.content[:2] == b"PK"
    # Each export is in the read log, one row per person rated (issue 21).
    rated = sorted(CampaignEntry.objects.filter(campaign=c).values_list("person_id", flat=True))
    for response in (x, w):
        rows = AccessLog.objects.filter(request_id=response["X-Request-Id"], kind=AccessLog.Kind.DOCUMENT)
        assert rated and sorted(r.person_id or 0 for r in rows) == rated
    import io

    import docx

    document = docx.Document(io.BytesIO(w.content))
    text = "\n".join(cell.text for t in document.tables[1:] for r in t.rows for cell in r.cells)
    assert "Phòng Nội vụ huyện A" in text and "Công chức" in text
    issuer, national = official_header(document)  # NĐ 30/2020, the campaign's unit issuing
    assert issuer[-2] == c.unit.name.upper() and national[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


@pytest.mark.django_db
def test_pages_from_start_to_finalised(tree: dict, users: dict) -> None:
    """The whole flow through the pages: open, enter levels, refused over the quota, exception,
    finalised; bad input answers 400 with a Vietnamese message."""
    u = users["admin"]
    _people(tree, 5)
    client = Client(headers=REASON_HEADERS)
    client.force_login(u)
    assert client.get("/danh-gia/").status_code == 200
    assert client.get("/danh-gia/moi/").status_code == 200
    bad = client.post("/danh-gia/moi/", {"unit": tree["A"].pk, "system": "chinh_quyen", "year": "2026",
                                         "period": "nam", "decision_date": "31/02/2026",
                                         "reason": "Sửa lỗi nhập liệu"})  # fmt: skip
    assert bad.status_code == 400
    r = client.post("/danh-gia/moi/", {"unit": tree["A"].pk, "system": "chinh_quyen", "year": "2026",
                                       "period": "nam", "decision_date": "30/11/2026",
                                       "reason": "Sửa lỗi nhập liệu"})  # fmt: skip
    assert r.status_code == 302
    c = RatingCampaign.objects.get()
    entries = list(c.entries.order_by("pk"))
    assert client.get(f"/danh-gia/nguoi/{entries[0].pk}/").status_code == 200
    for i, e in enumerate(entries):
        level, score = ("htxs", "95") if i < 2 else ("htt", "80,5")
        r = client.post(f"/danh-gia/nguoi/{e.pk}/", {"proposed_level": level, "decided_level": level,
                                                   "score": score, "kht_trigger": "false",
                                                   "reason": "Sửa lỗi nhập liệu"})  # fmt: skip
        assert r.status_code == 302, r.content.decode()
    assert (
        client.post(
            f"/danh-gia/nguoi/{entries[0].pk}/", {"score": "120", "reason": "Sửa lỗi nhập liệu"}
        ).status_code
        == 400
    )
    refused = client.post(f"/danh-gia/{c.pk}/hoan-tat/", {"confirm": "on", "reason": "QĐ 12/QĐ-UBND"})
    assert refused.status_code == 400 and "cần ghi nhận ngoại lệ" in refused.content.decode()
    assert (
        client.post(
            f"/danh-gia/{c.pk}/tap-the/",
            {"unit": tree["A1"].pk, "level": "htxs", "reason": "Sửa lỗi nhập liệu"},
        ).status_code
        == 302
    )
    r = client.post(f"/danh-gia/{c.pk}/ngoai-le/", {"reason": "Thành tích nổi trội", "basis": "QĐ 9/QĐ-UBND"})
    assert r.status_code == 302
    # no reason (issue 21): refused in Vietnamese, nothing written
    logged = ObjectChange.objects.count()
    r = client.post(f"/danh-gia/{c.pk}/hoan-tat/", {"confirm": "on", "reason": " "})
    assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
    assert ObjectChange.objects.count() == logged and not Rating.objects.filter(year=2026).exists()
    r = client.post(
        f"/danh-gia/{c.pk}/hoan-tat/", {"confirm": "on", "reason": "Theo quyết định số 12/QĐ-UBND"}
    )
    assert r.status_code == 302
    assert Rating.objects.filter(year=2026).count() == 6
    c.refresh_from_db()
    assert ObjectChange.objects.filter(content_type__model="ratingcampaign", object_id=c.pk).latest(
        "pk"
    ).reason == ("Hoàn tất đợt đánh giá: Theo quyết định số 12/QĐ-UBND")
    rating = Rating.objects.filter(year=2026).earliest("pk")
    assert ObjectChange.objects.get(content_type__model="rating", object_id=rating.pk).reason.endswith(
        ": Theo quyết định số 12/QĐ-UBND"
    )
    page = client.get(f"/danh-gia/{c.pk}/").content.decode()
    assert "Đã hoàn tất" in page and "QĐ 9/QĐ-UBND" in page


@pytest.mark.django_db
def test_cli_quota_json(tree: dict, users: dict, capsys: Any) -> None:
    import json

    from django.core.management import call_command

    _quota_campaign(tree, users["officer_a"])
    call_command("ratings", "quota", "--unit", "A", "--year", "2026", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out == [
        {"agency": "A1", "group": "Chung", "counts": {"HTXS": 1, "HTT": 5, "HT": 0, "KHT": 0},
         "cap": 1, "within_quota": True, "rules": ["E-9 v1"]},
    ]  # fmt: skip
    with pytest.raises(SystemExit) as stop:
        call_command("ratings", "quota", "--unit", "A", "--year", "hai")
    assert stop.value.code == 2 and "Năm phải là số" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        call_command("ratings", "quota", "--unit", "B", "--year", "2026")
    assert "chưa có đợt đánh giá" in capsys.readouterr().err


@pytest.mark.django_db
def test_entry_form_shows_the_saved_ground(tree: dict, users: dict, person_a: Person) -> None:
    u = users["officer_a"]
    c = _campaign(tree, u)
    e = _entry(c, person_a)
    client = Client(headers=REASON_HEADERS)
    client.force_login(u)
    assert (
        client.post(
            f"/danh-gia/nguoi/{e.pk}/",
            {"kht_trigger": "true", "proposed_level": "kht", "reason": "Sửa lỗi nhập liệu"},
        ).status_code
        == 302
    )
    e.refresh_from_db()
    assert e.kht_trigger is True
    assert (
        '<option value="true" selected>Có căn cứ</option>'
        in client.get(f"/danh-gia/nguoi/{e.pk}/").content.decode()
    )


@pytest.mark.django_db
def test_api_campaign_flow_and_other_subtree(tree: dict, users: dict) -> None:
    admin = Client(headers=REASON_HEADERS)
    admin.force_login(users["admin"])
    other = Client(headers=REASON_HEADERS)
    other.force_login(users["officer_b"])
    _people(tree, 5)
    body = {"unit": "A", "system": "chinh_quyen", "year": 2026, "decision_date": "2026-11-30"}
    refused = other.post("/api/ratings/campaigns/", body, content_type="application/json")
    assert refused.status_code == 404, refused.content.decode()
    r = admin.post("/api/ratings/campaigns/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    again = admin.post("/api/ratings/campaigns/", body, content_type="application/json")
    assert again.status_code == 400 and "đã có đợt đánh giá" in again.json()["detail"]
    entries = admin.get("/api/ratings/entries/", {"dot": str(cid)}).json()["results"]
    assert len(entries) == 6
    assert other.get(f"/api/ratings/campaigns/{cid}/").status_code == 404
    patch = {"decided_level": "htt", "proposed_level": "htt", "score": "80", "kht_trigger": False}
    assert (
        other.patch(
            f"/api/ratings/entries/{entries[0]['id']}/", patch, content_type="application/json"
        ).status_code
        == 404
    )
    for i, e in enumerate(entries):
        level = {"decided_level": "htxs", "proposed_level": "htxs", "score": "95"} if i < 2 else {}
        r = admin.patch(
            f"/api/ratings/entries/{e['id']}/", {**patch, **level}, content_type="application/json"
        )
        assert r.status_code == 200, r.content
    quota = admin.get(f"/api/ratings/campaigns/{cid}/quota/").json()
    assert quota[0]["within_quota"] is False
    refused = admin.post(f"/api/ratings/campaigns/{cid}/finalise/")
    assert refused.status_code == 400 and "ngoại lệ" in refused.json()["detail"]
    assert not Rating.objects.exists()
    ok = admin.post(f"/api/ratings/campaigns/{cid}/exception/", {"reason": "Nổi trội", "basis": "QĐ 9"},
                    content_type="application/json")  # fmt: skip
    assert ok.status_code == 200
    done = admin.post(f"/api/ratings/campaigns/{cid}/finalise/")
    assert done.status_code == 200 and done.json()["written"] == 6
