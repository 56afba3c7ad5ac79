"""Validators and calculators of the engine, without a database (fast)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, TypeVar

import pytest

from canbo.rules.engine.calculators import discipline_window, notice_due, party_lapse, term_info
from canbo.rules.engine.dates import is_working_day, working_days_before
from canbo.rules.engine.facts import (
    Declared,
    DisciplineFact,
    HealthFact,
    MembershipFact,
    PersonFacts,
    PoliticalFact,
    RatingFact,
    RetirementOverride,
)
from canbo.rules.engine.rulebook import Rulebook
from canbo.rules.engine.validators import (
    RatingInput,
    VoteInput,
    check,
    check_discipline,
    check_rating,
    check_vote,
)
from canbo.rules.engine.verdict import CANNOT, FAIL, NOT_APPLICABLE, PASS, WARN
from canbo.rules.tests.engine_helpers import (
    BOOK,
    COMMUNE_SECRETARY,
    DEPUTY,
    DIRECTOR,
    HEAD,
    outcomes,
    person,
    tenure,
    versions,
)

D = dt.date
T = TypeVar("T")


def nn(value: T | None) -> T:
    """The value, asserting it exists (narrows the type for the checks below)."""
    assert value is not None
    return value


OK_POLITICS = (PoliticalFact(D(2024, 3, 1), True),)
OK_HEALTH = (HealthFact(D(2025, 1, 10), "tot"),)
ALL_DECLARED = Declared(planned_for_title=True, pending_discipline=False)


def deputy_since(start: dt.date, **kw: Any) -> PersonFacts:
    return person(tenures=(tenure(DEPUTY, start),), political=OK_POLITICS, health=OK_HEALTH, **kw)


# -- the rulebook ----------------------------------------------------------------------------


def test_every_rule_of_rules_md_is_in_the_data() -> None:
    spec = Path(__file__).resolve().parents[5] / "shared" / "spec" / "RULES.md"
    ids = set(BOOK.rule_ids())
    assert len(ids) >= 110
    if spec.exists():  # the spec sits beside the repository on the development machine
        import re

        wanted = set(re.findall(r"^\| ([A-Z]-\d+)(?: v\d+)? \|", spec.read_text(), re.M))
        assert wanted <= ids, sorted(wanted - ids)


def test_versions_are_contiguous_and_never_overlap() -> None:
    for rid in BOOK.rule_ids():
        vs = BOOK.versions(rid)
        for a, b in itertools.pairwise(vs):
            assert a.valid_to == b.valid_from, (rid, a.version, b.version)


# Each regulation's effective date, judged the day before and on the day (half-open ranges).
SWITCHES = [
    ("A-3", D(2025, 10, 8), 1, 2),  # QĐ 80/KL 08 -> QĐ 377
    ("P-5", D(2025, 10, 8), 1, 2),
    ("P-8", D(2025, 10, 8), 1, 2),
    ("A-14", D(2025, 10, 8), 1, 2),
    ("A-15", D(2025, 10, 8), 1, 2),
    ("D-6", D(2022, 8, 18), 1, 2),  # QĐ 105 -> QĐ 80
    ("D-6", D(2025, 10, 8), 2, 3),  # QĐ 80 -> QĐ 377
    ("D-7", D(2025, 7, 1), 1, 2),  # Luật CBCC 2019 -> Luật 80/2025
    ("A-1", D(2025, 7, 1), 1, 2),
    ("E-5", D(2025, 8, 30), 1, 2),  # QĐ 124 -> QĐ 366
    ("E-11", D(2025, 7, 1), 1, 2),
    ("K-6", D(2025, 4, 14), 1, 2),  # Chỉ thị 35 -> Chỉ thị 45
    ("P-6", D(2025, 10, 8), 1, 2),
]


@pytest.mark.parametrize(("rule", "day", "before", "after"), SWITCHES, ids=lambda x: str(x))
def test_version_switch_on_both_sides(rule: str, day: dt.date, before: int, after: int) -> None:
    assert BOOK.version(rule, day - dt.timedelta(days=1)).version == before
    assert BOOK.version(rule, day).version == after


def test_state_rating_regime_switches_on_1_january_2026() -> None:
    assert BOOK.find("E-8", D(2025, 12, 31)) is None and BOOK.find("E-12", D(2025, 12, 31))
    assert BOOK.find("E-8", D(2026, 1, 1)) and BOOK.find("E-12", D(2026, 1, 1)) is None


def test_rule_without_a_version_on_a_date() -> None:
    assert BOOK.find("P-2", D(2025, 10, 7)) is None
    assert nn(BOOK.find("P-2", D(2025, 10, 8))).params["max_people_per_title"] == 3


# -- calendar calculators --------------------------------------------------------------------


def test_term_end_and_consecutive_terms() -> None:
    first = tenure(HEAD, D(2016, 3, 1), D(2021, 2, 28))
    second = tenure(HEAD, D(2021, 3, 1))
    info = term_info(BOOK, (first, second), D(2024, 6, 1))
    assert info is not None
    assert info.term_start == D(2021, 3, 1)
    assert info.term_end == D(2026, 2, 28)
    assert info.consecutive_terms == 2
    # A gap breaks the chain.
    gap = tenure(HEAD, D(2010, 1, 1), D(2014, 12, 31))
    assert nn(term_info(BOOK, (gap, second), D(2024, 6, 1))).consecutive_terms == 1
    # One long tenure counts a term every five years.
    long = nn(term_info(BOOK, (tenure(HEAD, D(2014, 1, 1)),), D(2024, 6, 1)))
    assert long.consecutive_terms == 3 and long.term_start == D(2024, 1, 1)


def test_notice_due_counts_90_working_days_without_weekends_and_holidays() -> None:
    term_end = D(2026, 2, 27)  # spans 1/1/2026 and Tết 2026 (16–20/2, all weekdays)
    due, version = notice_due(BOOK, term_end)
    assert nn(version).rule_id == "A-13"
    assert is_working_day(due, BOOK.holidays)
    days = [due + dt.timedelta(days=i) for i in range((term_end - due).days + 1)]
    assert sum(is_working_day(d, BOOK.holidays) for d in days) == 90
    without = working_days_before(term_end + dt.timedelta(days=1), 90, frozenset())
    in_range = [h for h in BOOK.holidays.days_off(without, term_end) if h.weekday() < 5]
    assert len(in_range) >= 6
    assert due < without


def test_holiday_calendar_covers_every_year() -> None:
    for year in range(2020, 2200):
        assert D(year, 1, 1) in BOOK.holidays and D(year, 9, 2) in BOOK.holidays
        assert sum(1 for h in BOOK.holidays.year_days(year) if h.is_day_off) >= 10
    assert D(2025, 1, 29) in BOOK.holidays  # mùng 1 Tết Ất Tỵ
    assert D(2025, 4, 7) in BOOK.holidays  # Giỗ Tổ 2025


def test_party_discipline_lapses_after_12_months_expulsion_never() -> None:
    reprimand = DisciplineFact("dang", "khien_trach", D(2024, 5, 10), announced_date=D(2024, 5, 20))
    lapse, version, assumed = party_lapse(BOOK, reprimand)
    assert lapse == D(2025, 5, 20) and nn(version).rule_id == "D-2" and not assumed
    expelled = DisciplineFact("dang", "khai_tru", D(2024, 5, 10))
    assert party_lapse(BOOK, expelled)[0] is None


def test_window_regime_follows_the_event_date() -> None:
    warning = DisciplineFact("dang", "canh_cao", D(2023, 1, 1), effective_date=D(2023, 1, 1))
    qd80 = nn(discipline_window(BOOK, warning, D(2025, 9, 1)))
    qd377 = nn(discipline_window(BOOK, warning, D(2025, 11, 1)))
    assert (qd80.version.version, qd80.end) == (2, D(2025, 7, 1))
    assert (qd377.version.version, qd377.end) == (3, D(2026, 1, 1))


def test_window_regime_can_follow_the_decision_date() -> None:
    versions = []
    for v in BOOK.all_versions():
        if v.rule_id == "D-6":
            v = type(v)(**{**v.__dict__, "params": {**v.params, "regime_by": "decision_date"}})
        versions.append(v)
    book = Rulebook(versions)
    warning = DisciplineFact("dang", "canh_cao", D(2023, 1, 1), effective_date=D(2023, 1, 1))
    assert nn(discipline_window(book, warning, D(2025, 11, 1))).version.version == 2


# -- validator 2: appointment ----------------------------------------------------------------


def test_appointment_passes_with_every_fact_on_file() -> None:
    p = deputy_since(D(2020, 1, 1), born=(1980, 6))
    v = check(BOOK, "appointment", p, HEAD, D(2025, 11, 1), ALL_DECLARED)
    assert v.outcome in (PASS, WARN), [(r.label, r.outcome, r.message) for r in v.results]
    assert outcomes(v, "A-3") == [PASS] and versions(v, "A-3") == [2]
    assert outcomes(v, "A-6") == [PASS]
    assert "A-3 v2" in v.flags  # unconfirmed rule flagged, never silent
    json.dumps(v.to_dict())


def test_appointment_fails_on_age_and_cites_the_version() -> None:
    p = deputy_since(D(2020, 1, 1), born=(1967, 6))
    v = check(BOOK, "appointment", p, HEAD, D(2025, 9, 1), ALL_DECLARED)
    assert v.outcome == FAIL
    assert outcomes(v, "A-3") == [FAIL] and versions(v, "A-3") == [1]
    a3 = next(r for r in v.results if r.rule_id == "A-3")
    assert "KL 08" in a3.basis and "tháng" in a3.message
    assert any(f.date == D(2025, 9, 1) for f in a3.facts)


def test_appointment_cannot_decide_without_political_conclusion_or_declarations() -> None:
    p = person(born=(1980, 6), tenures=(tenure(DEPUTY, D(2020, 1, 1)),), health=OK_HEALTH)
    v = check(BOOK, "appointment", p, HEAD, D(2025, 11, 1), Declared())
    assert v.outcome == CANNOT
    assert outcomes(v, "T-5") == [CANNOT]
    assert outcomes(v, "A-5") == [CANNOT] and outcomes(v, "A-7") == [CANNOT]


def test_same_rank_move_is_exempt_from_the_age_check() -> None:
    p = person(
        born=(1966, 1),
        tenures=(tenure(HEAD, D(2015, 1, 1), unit=1),),
        political=OK_POLITICS,
        health=OK_HEALTH,
    )
    v = check(BOOK, "appointment", p, HEAD, D(2025, 11, 1), ALL_DECLARED)
    assert outcomes(v, "A-4") == [PASS] and outcomes(v, "A-3") == [NOT_APPLICABLE]


def test_a6_time_in_post() -> None:
    short = deputy_since(D(2025, 1, 1), born=(1985, 1))
    v = check(BOOK, "appointment", short, HEAD, D(2025, 11, 1), ALL_DECLARED)
    assert outcomes(v, "A-6") == [FAIL]
    first = person(born=(1985, 1), political=OK_POLITICS, health=OK_HEALTH)
    assert outcomes(check(BOOK, "appointment", first, DEPUTY, D(2025, 11, 1), ALL_DECLARED), "A-6") == [
        NOT_APPLICABLE
    ]


def test_the_issue_example_qd80_vs_qd377() -> None:
    """A Party warning effective 1/1/2023: 30 months under QĐ 80, 36 under QĐ 377."""
    warning = DisciplineFact(
        "dang", "canh_cao", D(2023, 1, 1), effective_date=D(2023, 1, 1), decision="5-QĐ/UBKT"
    )
    p = deputy_since(D(2019, 1, 1), born=(1980, 6), disciplines=(warning,))
    before = check(BOOK, "appointment", p, HEAD, D(2025, 9, 1), ALL_DECLARED)
    after = check(BOOK, "appointment", p, HEAD, D(2025, 11, 1), ALL_DECLARED)
    assert versions(before, "D-6") == [2] and outcomes(before, "D-6") == [PASS]
    assert versions(after, "D-6") == [3] and outcomes(after, "D-6") == [FAIL]
    assert after.outcome == FAIL
    d6 = next(r for r in after.results if r.rule_id == "D-6")
    assert "31/12/2025" in d6.message and "QĐ 377" in d6.basis
    assert any(f.date == D(2023, 1, 1) for f in d6.facts)
    assert outcomes(after, "P-9") == [] and outcomes(before, "P-9") == []  # P-9 from 8/10/2025 only


def test_state_removal_blocks_any_appointment_but_reprimand_only_higher_posts() -> None:
    removal = DisciplineFact("chinh_quyen", "cach_chuc", D(2025, 3, 1))
    p = person(
        born=(1980, 6),
        tenures=(tenure(HEAD, D(2018, 1, 1)),),
        disciplines=(removal,),
        political=OK_POLITICS,
        health=OK_HEALTH,
    )
    same_rank = check(BOOK, "appointment", p, HEAD, D(2025, 11, 1), ALL_DECLARED)
    assert outcomes(same_rank, "D-7") == [FAIL]
    reprimand = DisciplineFact("chinh_quyen", "khien_trach", D(2025, 3, 1))
    p2 = person(
        born=(1980, 6),
        tenures=(tenure(HEAD, D(2018, 1, 1)),),
        disciplines=(reprimand,),
        political=OK_POLITICS,
        health=OK_HEALTH,
    )
    assert outcomes(check(BOOK, "appointment", p2, HEAD, D(2025, 11, 1), ALL_DECLARED), "D-7") == [PASS]
    assert outcomes(check(BOOK, "appointment", p2, DIRECTOR, D(2025, 11, 1), ALL_DECLARED), "D-7") == [FAIL]


def test_p9_when_the_window_has_elapsed() -> None:
    old = DisciplineFact("dang", "khien_trach", D(2020, 1, 1), effective_date=D(2020, 1, 1))
    p = deputy_since(D(2019, 1, 1), born=(1980, 6), disciplines=(old,))
    v = check(BOOK, "appointment", p, HEAD, D(2025, 11, 1), ALL_DECLARED)
    assert outcomes(v, "D-6") == [PASS] and outcomes(v, "P-9") == [PASS]


# -- validator 5: planning -------------------------------------------------------------------

PLANNING_OK = Declared(
    open_proposal_same_title=False, people_planned_for_title=2, titles_planned_same_level=1
)


def test_planning_pass_fail_cannot() -> None:
    p = deputy_since(D(2020, 1, 1), born=(1982, 6))
    ok = check(BOOK, "planning", p, HEAD, D(2025, 12, 1), PLANNING_OK)
    assert ok.outcome in (PASS, WARN), [(r.label, r.outcome, r.message) for r in ok.results]
    assert outcomes(ok, "P-1") == [PASS] and outcomes(ok, "P-2") == [PASS] and outcomes(ok, "P-8") == [PASS]
    same = check(BOOK, "planning", p, DEPUTY, D(2025, 12, 1), PLANNING_OK)
    assert outcomes(same, "P-1") == [FAIL] and same.outcome == FAIL
    crowded = check(
        BOOK,
        "planning",
        p,
        HEAD,
        D(2025, 12, 1),
        Declared(open_proposal_same_title=False, people_planned_for_title=4, titles_planned_same_level=1),
    )
    assert outcomes(crowded, "P-2") == [FAIL]
    unknown = check(BOOK, "planning", p, HEAD, D(2025, 12, 1), Declared())
    assert outcomes(unknown, "P-2") == [CANNOT] and outcomes(unknown, "P-3") == [CANNOT]
    assert unknown.outcome == CANNOT


def test_planning_age_measured_at_the_planned_term_start() -> None:
    p = deputy_since(D(2020, 1, 1), born=(1970, 6))  # retires 2032
    at = D(2025, 12, 1)
    assert outcomes(check(BOOK, "planning", p, HEAD, at, PLANNING_OK), "P-5") == [PASS]
    later = Declared(**{**PLANNING_OK.__dict__, "planned_term_start": D(2028, 1, 1)})
    v = check(BOOK, "planning", p, HEAD, at, later)
    assert outcomes(v, "P-5") == [FAIL] and outcomes(v, "P-8") == [FAIL]


def test_planning_political_standard_not_met_removes() -> None:
    p = person(
        born=(1982, 6),
        tenures=(tenure(DEPUTY, D(2020, 1, 1)),),
        political=(PoliticalFact(D(2025, 1, 1), False),),
    )
    v = check(BOOK, "planning", p, HEAD, D(2025, 12, 1), PLANNING_OK)
    assert outcomes(v, "T-6") == [FAIL] and outcomes(v, "P-8") == [FAIL]


def test_planning_before_qd377_has_no_p2_version() -> None:
    p = deputy_since(D(2020, 1, 1), born=(1982, 6))
    v = check(BOOK, "planning", p, HEAD, D(2024, 12, 1), PLANNING_OK)
    assert outcomes(v, "P-2") == [NOT_APPLICABLE] and versions(v, "P-5") == [1]


# -- validator 4: reappointment --------------------------------------------------------------


def test_reappointment_pass_with_notice_date_and_path() -> None:
    p = person(
        born=(1975, 6),
        tenures=(tenure(HEAD, D(2021, 3, 1)),),
        ratings=tuple(RatingFact("chinh_quyen", y, "htt") for y in range(2021, 2026)),
    )
    v = check(BOOK, "reappointment", p, HEAD, D(2025, 10, 15))
    assert v.outcome == PASS, [(r.label, r.outcome, r.message) for r in v.results]
    a13 = [r for r in v.results if r.rule_id == "A-13"]
    assert a13[0].outcome == PASS and any(f.label == "Hạn thông báo" for f in a13[0].facts)
    assert outcomes(v, "A-14") == [PASS] and "bình thường" in next(
        r.message for r in v.results if r.rule_id == "A-14"
    )


def test_reappointment_fails_on_third_term_and_warns_late_notice() -> None:
    p = person(
        born=(1975, 6),
        tenures=(tenure(HEAD, D(2016, 3, 1), D(2021, 2, 28)), tenure(HEAD, D(2021, 3, 1))),
        ratings=tuple(RatingFact("chinh_quyen", y, "htt") for y in range(2021, 2027)),
    )
    v = check(BOOK, "reappointment", p, HEAD, D(2026, 2, 1))
    assert outcomes(v, "A-2") == [FAIL] and outcomes(v, "K-2") == [FAIL]
    assert outcomes(v, "A-13")[0] == WARN
    assert v.outcome == FAIL


def test_reappointment_near_retirement_extends_the_term() -> None:
    ratings = tuple(RatingFact("chinh_quyen", y, "htt") for y in range(2021, 2026))
    # Born 6/1965: retires 3/2027, 13 months after the term (ends 28/2/2026): extend, no procedure.
    p = person(born=(1965, 6), tenures=(tenure(HEAD, D(2021, 3, 1)),), ratings=ratings)
    v = check(BOOK, "reappointment", p, HEAD, D(2025, 10, 15))
    assert outcomes(v, "A-14") == [WARN]
    # Born 6/1966: retires 6/2028, 28 months after: reappointed with a term ending at retirement.
    p = person(born=(1966, 6), tenures=(tenure(HEAD, D(2021, 3, 1)),), ratings=ratings)
    v = check(BOOK, "reappointment", p, HEAD, D(2025, 10, 15))
    a14 = next(r for r in v.results if r.rule_id == "A-14")
    assert a14.outcome == PASS and "30/06/2028" in a14.message


def test_reappointment_cannot_decide() -> None:
    no_post = person(born=(1975, 6))
    assert check(BOOK, "reappointment", no_post, HEAD, D(2025, 10, 15)).outcome == CANNOT
    no_ratings = person(born=(1975, 6), tenures=(tenure(HEAD, D(2021, 3, 1)),))
    v = check(BOOK, "reappointment", no_ratings, HEAD, D(2025, 10, 15))
    assert CANNOT in outcomes(v, "A-13") and v.outcome == CANNOT


# -- validator 10: rotation ------------------------------------------------------------------


def test_rotation_pass_fail_cannot() -> None:
    p = person(born=(1985, 6), tenures=(tenure(HEAD, D(2020, 1, 1)),))
    declared = Declared(planned_for_title=True, pending_discipline=False, rotation_months=36)
    ok = check(BOOK, "rotation", p, HEAD, D(2025, 11, 1), declared)
    assert ok.outcome == PASS, [(r.label, r.outcome, r.message) for r in ok.results]
    old = person(born=(1972, 6), tenures=(tenure(HEAD, D(2020, 1, 1)),))
    assert outcomes(check(BOOK, "rotation", old, HEAD, D(2025, 11, 1), declared), "R-4") == [FAIL]
    special = Declared(**{**declared.__dict__, "rotation_purpose": "khong_dia_phuong"})
    assert outcomes(check(BOOK, "rotation", old, HEAD, D(2025, 11, 1), special), "R-4") == [PASS]
    short = Declared(**{**declared.__dict__, "rotation_months": 24})
    assert outcomes(check(BOOK, "rotation", p, HEAD, D(2025, 11, 1), short), "R-5") == [FAIL]
    assert check(BOOK, "rotation", p, HEAD, D(2025, 11, 1), Declared()).outcome == CANNOT


# -- validator 11: Party committee -----------------------------------------------------------


def test_committee_reference_date_and_thresholds() -> None:
    # Commune congress: reference 1/7/2025. Man born 1/1966 retires 4/2027 (< 60 months).
    first_time = person(born=(1966, 1), political=OK_POLITICS)
    v = check(BOOK, "committee", first_time, COMMUNE_SECRETARY, D(2025, 5, 1))
    assert v.event_date == D(2025, 7, 1)
    assert outcomes(v, "K-5") == [FAIL]
    young = person(born=(1980, 1), political=OK_POLITICS)
    assert check(BOOK, "committee", young, COMMUNE_SECRETARY, D(2025, 5, 1)).outcome == PASS
    # Re-election needs 48 months: a man born 1/1965 (retires 10/2026 → 15 months) still fails, one
    # born 8/1968 (retires 2/2031 → 67 months) passes; with 50 months left only re-election passes.
    member = (MembershipFact("cap_uy", D(2020, 7, 1)),)
    fifty = person(born=(1967, 7), sex="nam", political=OK_POLITICS, memberships=member)
    assert outcomes(check(BOOK, "committee", fifty, COMMUNE_SECRETARY, D(2025, 5, 1)), "K-5") == [PASS]
    fifty_new = person(born=(1967, 7), sex="nam", political=OK_POLITICS)
    assert outcomes(check(BOOK, "committee", fifty_new, COMMUNE_SECRETARY, D(2025, 5, 1)), "K-5") == [FAIL]
    leadership = check(
        BOOK, "committee", young, COMMUNE_SECRETARY, D(2025, 5, 1), Declared(extra={"k4_level": "hdnd_ubnd"})
    )
    assert leadership.event_date == D(2026, 3, 1)
    no_birth = person(born=None, political=OK_POLITICS)
    assert check(BOOK, "committee", no_birth, COMMUNE_SECRETARY, D(2025, 5, 1)).outcome == CANNOT


def test_override_is_used_by_validators() -> None:
    p = person(born=(1985, 1), political=OK_POLITICS, override=RetirementOverride(2027, 1, "som"))
    v = check(BOOK, "committee", p, COMMUNE_SECRETARY, D(2025, 5, 1))
    assert outcomes(v, "K-5") == [FAIL]
    assert any("H-5" in f.label for r in v.results for f in r.facts)


# -- validator 7: confidence vote ------------------------------------------------------------


def vote(low: int, present: int = 30) -> VoteInput:
    return VoteInput(
        D(2025, 12, 1), convened=30, present=present, ballots=present, high=0, medium=present - low, low=low
    )


def test_vote_bands() -> None:
    assert check_vote(BOOK, vote(5)).outcome == PASS
    warn = check_vote(BOOK, vote(16))
    assert outcomes(warn, "V-4") == [WARN] and outcomes(warn, "V-10") == [FAIL]
    dismiss = check_vote(BOOK, vote(20))  # exactly 2/3 of convened: V-5 prevails (Open question 14)
    assert outcomes(dismiss, "V-5") == [FAIL]
    assert outcomes(check_vote(BOOK, vote(5, present=19)), "V-3") == [FAIL]
    assert check_vote(BOOK, VoteInput(D(2025, 12, 1), 0, 0, 0, 0, 0, 0)).outcome == CANNOT


# -- validator 8: rating ---------------------------------------------------------------------


def test_rating_bands_triggers_and_quota() -> None:
    ok = RatingInput(
        "chinh_quyen", D(2026, 12, 10), "htt", score=85, kht_trigger=False, duty_discipline_in_year=False
    )
    assert check_rating(BOOK, ok).outcome == PASS
    too_high = RatingInput(
        "chinh_quyen",
        D(2026, 12, 10),
        "htxs",
        score=85,
        kht_trigger=False,
        duty_discipline_in_year=False,
        unit_htxs=1,
        unit_htt=10,
    )
    assert check_rating(BOOK, too_high).outcome == FAIL
    over_quota = RatingInput(
        "chinh_quyen",
        D(2026, 12, 10),
        "htxs",
        score=95,
        kht_trigger=False,
        duty_discipline_in_year=False,
        unit_htxs=3,
        unit_htt=10,
    )
    v = check_rating(BOOK, over_quota)
    assert outcomes(v, "E-9") == [FAIL]
    disciplined = RatingInput(
        "chinh_quyen", D(2026, 12, 10), "htt", score=85, kht_trigger=False, duty_discipline_in_year=True
    )
    assert outcomes(check_rating(BOOK, disciplined), "D-11") == [FAIL]
    unknown = RatingInput("chinh_quyen", D(2026, 12, 10), "htt")
    assert check_rating(BOOK, unknown).outcome == CANNOT
    old = RatingInput("chinh_quyen", D(2025, 12, 10), "htt", score=85)
    assert next(r.rule_id for r in check_rating(BOOK, old).results) == "E-12"
    party = RatingInput(
        "dang",
        D(2025, 12, 20),
        "htxs",
        score=95,
        is_leader=True,
        kht_trigger=False,
        duty_discipline_in_year=False,
        low_vote_over_half=False,
        exceeded_share=0.4,
        unit_htxs=2,
        unit_htt=10,
    )
    pv = check_rating(BOOK, party)
    assert pv.outcome == PASS and versions(pv, "E-5") == [2]


# -- validator 9: discipline -----------------------------------------------------------------


def test_discipline_form_validity_by_date() -> None:
    before = DisciplineFact("chinh_quyen", "giang_chuc", D(2025, 6, 30))
    after = DisciplineFact("chinh_quyen", "giang_chuc", D(2025, 7, 1))
    v_before = check_discipline(BOOK, before, "cong_chuc", D(2025, 8, 1))
    assert outcomes(v_before, "D-7") == [WARN]
    # Before 1/7/2025 the State forms follow NĐ 112/2020, which RULES.md does not catalogue.
    assert outcomes(v_before, "D-5") == [CANNOT] and v_before.outcome == CANNOT
    v_after = check_discipline(BOOK, after, "cong_chuc", D(2025, 8, 1))
    assert outcomes(v_after, "D-5") == [FAIL] and "01/07/2025" in v_after.results[0].message
    probationary = DisciplineFact("dang", "cach_chuc", D(2025, 1, 1))
    assert check_discipline(BOOK, probationary, "dang_vien_du_bi", D(2025, 8, 1)).outcome == FAIL
    member = check_discipline(
        BOOK, DisciplineFact("dang", "khien_trach", D(2024, 1, 1)), "dang_vien", D(2026, 1, 1)
    )
    assert outcomes(member, "D-1") == [PASS] and outcomes(member, "D-2") == [PASS]


# -- purity ----------------------------------------------------------------------------------


def test_engine_imports_no_django() -> None:
    """The engine runs with Django made unimportable."""
    src = Path(__file__).resolve().parents[3]
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'django' or name.startswith('django.'):\n"
        "            raise ImportError('django is blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import canbo.rules.engine as e, canbo.rules.engine.validators, canbo.rules.engine.calculators\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
        "print(len(e.load_rulebook().rule_ids()))\n"
    )
    # canbo/__init__.py is empty of Django imports; run from src/ so only the package is found.
    out = subprocess.run([sys.executable, "-c", code], cwd=src, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) >= 110
