"""E-4 and E-8 (validator 8's automatic "không hoàn thành nhiệm vụ") read from the dossier: a
duty-related discipline of the year, a vote with "low" above half (Party leaders), the units a
head leads rated KHT in the campaign; the grounds no record holds are declared, and while one is
unknown and nothing is established the answer is "cannot decide" naming the missing fact."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canbo.assessment.models import Discipline
from canbo.campaigns import selectors, services
from canbo.campaigns.models import CampaignEntry
from canbo.careers.models import Tenure
from canbo.conftest import new_person
from canbo.people.models import PartyMembership
from canbo.rules.engine.checks import RatingInput, check_rating
from canbo.rules.engine.rulebook import load_rulebook
from canbo.rules.engine.verdict import CANNOT, FAIL, PASS

BOOK = load_rulebook()
STATE_DAY = dt.date(2026, 11, 30)  # NĐ 335: E-8
PARTY_DAY = dt.date(2025, 12, 20)  # QĐ 366: E-4


def e(rule: str, **kw: Any) -> tuple[str, str]:
    system, day = ("dang", PARTY_DAY) if rule == "E-4" else ("chinh_quyen", STATE_DAY)
    v = check_rating(BOOK, RatingInput(system, day, kw.pop("level", "htt"), score=85, **kw))
    (r,) = [r for r in v.results if r.rule_id == rule and is_grounds(r)]
    return r.outcome, r.message


def is_grounds(r: Any) -> bool:
    """The E-4 / E-8 grounds result (E-8 also carries the state side's score bands)."""
    return any(f.label.startswith("Căn cứ khác") for f in r.facts)


def test_e8_pass_fail_and_cannot_decide() -> None:
    outcome, msg = e("E-8", duty_discipline_in_year=False)
    assert outcome == CANNOT and "Cần xác định" in msg and "suy thoái" in msg  # the declared facts
    assert e("E-8", duty_discipline_in_year=False, kht_trigger=False)[0] == PASS
    outcome, msg = e("E-8", duty_discipline_in_year=True)  # established: the declaration can wait
    assert outcome == FAIL and "bị kỷ luật" in msg
    assert e("E-8", duty_discipline_in_year=True, level="kht")[0] == PASS  # KHT proposed: consistent
    assert e("E-8", duty_discipline_in_year=False, kht_trigger=True)[0] == FAIL
    outcome, msg = e("E-8", kht_trigger=False)  # discipline not read: asked for, never a pass
    assert outcome == CANNOT and "kỷ luật" in msg


def test_e4_reads_the_vote_and_the_units_led_for_a_leader() -> None:
    base = {"is_leader": True, "duty_discipline_in_year": False, "kht_trigger": False}
    assert e("E-4", low_vote_over_half=False, **base)[0] == PASS
    assert e("E-4", low_vote_over_half=True, **base)[0] == FAIL
    assert e("E-4", low_vote_over_half=False, units_led_kht=(2, 3), **base)[0] == FAIL  # above half
    assert e("E-4", low_vote_over_half=False, units_led_kht=(1, 2), **base)[0] == PASS  # exactly half
    outcome, msg = e("E-4", low_vote_over_half=False, is_leader=True, duty_discipline_in_year=False)
    assert outcome == CANNOT and "dưới 70%" in msg and "đơn vị thuộc quyền phụ trách" in msg
    # A non-leader: only the discipline and the degradation grounds.
    outcome, msg = e("E-4", duty_discipline_in_year=False, low_vote_over_half=True)
    assert outcome == CANNOT and "dưới 70%" not in msg and "tín nhiệm" not in msg


@pytest.mark.django_db
def test_campaign_reads_discipline_and_collectives_from_the_dossier(
    tree: dict, users: dict, title: Any
) -> None:
    head = new_person(tree["A"], "Trưởng Đơn Vị", sex="nam")
    Tenure.objects.create(
        person=head, unit=tree["A"], title=title, kind="bo_nhiem", start_date=dt.date(2020, 1, 1)
    )
    staff = new_person(tree["A1"], "Nhân Viên")
    for p in (head, staff):  # the Party side rates Party members
        PartyMembership.objects.create(person=p, admission_date=dt.date(2010, 1, 1))
    c = services.campaign_create(unit=tree["A"], system="dang", year=2025, period="nam", part=None,
                                 decision_date=PARTY_DAY, acting_user=users["officer_a"])  # fmt: skip
    entries = {x.person_id: x for x in CampaignEntry.objects.filter(campaign=c)}
    assert entries[head.pk].is_head and entries[head.pk].is_leader
    for x in entries.values():
        services.entry_update(entry=x, acting_user=users["officer_a"], proposed_level="htt", score=85,
                              kht_trigger=False)  # fmt: skip

    def outcome(person: Any) -> str:
        rows = {r.entry.person_id: r for r in selectors.campaign_view(c).rows}
        verdict = rows[person.pk].verdict
        assert verdict is not None
        (r,) = [r for r in verdict.results if r.rule_id == "E-4" and is_grounds(r)]
        return r.outcome

    assert outcome(staff) == PASS and outcome(head) == PASS  # the head leads no rated collective
    services.unit_rating_set(campaign=c, unit=tree["A1"], level="kht", acting_user=users["officer_a"])
    assert outcome(head) == FAIL  # 1 of 1 collective he leads rated KHT
    Discipline.objects.create(person=staff, system="dang", form="khien_trach", decision_number="3-QĐ/UBKT",
                              decision_date=dt.date(2025, 6, 1), issuing_body="UBKT", violation="x",
                              duty_related=True)  # fmt: skip
    assert outcome(staff) == FAIL


@pytest.mark.django_db
def test_recorded_rating_rejudged_with_the_dossier_grounds(users: dict, person_a: Any) -> None:
    """The person's recorded ratings (``/api/rules/person/<id>/xep-loai/``) read E-8 / D-11 from
    the dossier too: a duty-related discipline of the year fails the HTT rating; without one the
    declared grounds stay unknown ("cannot decide"), never a pass."""
    from django.test import Client

    from canbo.assessment.models import Rating

    Rating.objects.create(person=person_a, system="chinh_quyen", year=2026, level="htt", score=85,
                          decision_date=STATE_DAY)  # fmt: skip
    c = Client()
    c.force_login(users["officer_a"])

    def e8() -> tuple[str, str]:
        (v,) = c.get(f"/api/rules/person/{person_a.pk}/xep-loai/").json()
        (r,) = [r for r in v["rules"] if r["rule"] == "E-8" and "Căn cứ khác" in str(r["facts"])]
        return r["outcome"], r["message"]

    assert e8()[0] == CANNOT and "suy thoái" in e8()[1]
    Discipline.objects.create(
        person=person_a, system="chinh_quyen", form="khien_trach", decision_number="4/QĐ",
        decision_date=dt.date(2026, 5, 4), issuing_body="UBND", violation="x",
    )  # fmt: skip
    assert e8()[0] == FAIL
    other = Client()
    other.force_login(users["officer_b"])
    assert other.get(f"/api/rules/person/{person_a.pk}/xep-loai/").status_code == 404
