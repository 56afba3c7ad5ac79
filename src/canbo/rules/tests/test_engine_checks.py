"""Branches of the rule functions that test_engine_validators.py does not reach (no database).

Each test names the rule and the branch; together with test_engine_validators.py they pin the
verdicts of every rule function of ``rules/engine/checks``.
"""

from __future__ import annotations

import datetime as dt

from canbo.rules.engine.checks import (
    RatingInput,
    VoteInput,
    check,
    check_discipline,
    check_rating,
    check_vote,
)
from canbo.rules.engine.facts import (
    Declared,
    DisciplineFact,
    HealthFact,
    PoliticalFact,
    RatingFact,
    TitleInfo,
)
from canbo.rules.engine.rulebook import Rulebook
from canbo.rules.engine.verdict import CANNOT, FAIL, NOT_APPLICABLE, PASS, WARN, Verdict
from canbo.rules.tests.engine_helpers import BOOK, DEPUTY, DIRECTOR, HEAD, outcomes, person, tenure

D = dt.date
DAY = D(2026, 3, 2)
NO_RANK = TitleInfo("X", "Chức danh chưa xếp bậc", None, "tinh", is_leader=True)
PROVINCIAL_DEPUTY_SECRETARY = TitleInfo(
    "PBT", "Phó Bí thư Tỉnh ủy", 60, "tinh", group="pho_bi_thu", is_leader=True
)
OK_DECLARED = Declared(planned_for_title=True, pending_discipline=False)


def message(verdict: Verdict, rule_id: str) -> str:
    return " | ".join(r.message for r in verdict.results if r.rule_id == rule_id)


def test_title_without_rank_cannot_be_compared_a3_p1_r3() -> None:
    p = person(tenures=(tenure(HEAD, D(2018, 1, 1)),))
    assert outcomes(check(BOOK, "appointment", p, NO_RANK, DAY), "A-3") == [CANNOT]
    assert outcomes(check(BOOK, "planning", p, NO_RANK, DAY), "P-1") == [CANNOT]
    assert outcomes(check(BOOK, "rotation", p, NO_RANK, DAY), "R-3") == [CANNOT]


def test_a3_not_higher_without_a4_says_so() -> None:
    book = Rulebook(v for v in BOOK.all_versions() if v.rule_id != "A-4")
    v = check(book, "appointment", person(tenures=(tenure(HEAD, D(2018, 1, 1)),)), DEPUTY, DAY)
    assert outcomes(v, "A-3") == [NOT_APPLICABLE]
    assert message(v, "A-3") == "Không áp dụng: chức vụ không cao hơn."
    assert outcomes(v, "A-4") == []


def test_a6_cannot_decide_when_only_unranked_posts_were_held() -> None:
    p = person(tenures=(tenure(NO_RANK, D(2018, 1, 1)),))
    assert outcomes(check(BOOK, "appointment", p, DIRECTOR, DAY), "A-6") == [CANNOT]


def test_a7_fails_on_weak_health_or_pending_discipline_and_cannot_without_a_health_check() -> None:
    weak = person(health=(HealthFact(D(2025, 6, 1), "yeu"),))
    v = check(BOOK, "appointment", weak, HEAD, DAY, Declared(pending_discipline=True))
    assert outcomes(v, "A-7") == [FAIL]
    assert "sức khỏe yếu" in message(v, "A-7") and "đang bị xem xét kỷ luật" in message(v, "A-7")
    v = check(BOOK, "appointment", person(), HEAD, DAY, Declared(pending_discipline=False))
    assert outcomes(v, "A-7") == [CANNOT]
    assert "chưa có kết quả khám sức khỏe" in message(v, "A-7")


def test_a13_fails_on_a_year_not_completed_in_the_term_and_a14_needs_a_birth_date() -> None:
    p = person(
        born=None,
        tenures=(tenure(HEAD, D(2024, 1, 1)),),
        ratings=(RatingFact("dang", 2024, "htt"), RatingFact("dang", 2025, "kht")),
    )
    v = check(BOOK, "reappointment", p, HEAD, DAY)
    assert outcomes(v, "A-13") == [PASS, FAIL]
    assert outcomes(v, "A-14") == [CANNOT]


def test_k5_provincial_deputy_secretary_threshold() -> None:
    v = check(BOOK, "committee", person((1968, 1)), PROVINCIAL_DEPUTY_SECRETARY, DAY)
    k5 = [r for r in v.results if r.rule_id == "K-5"]
    assert len(k5) == 1 and "(Phó Bí thư Tỉnh ủy)" in k5[0].message


def test_p8_removes_for_a_running_window_and_cannot_decide_without_a_conclusion() -> None:
    disciplined = person(
        (1985, 1),
        disciplines=(DisciplineFact("dang", "khien_trach", D(2025, 12, 1)),),
        political=(PoliticalFact(D(2024, 1, 1), True),),
    )
    v = check(BOOK, "planning", disciplined, DIRECTOR, DAY)
    assert outcomes(v, "P-8") == [FAIL]
    assert "đang trong thời hạn kỷ luật" in message(v, "P-8")
    v = check(BOOK, "planning", person((1985, 1)), DIRECTOR, DAY)
    assert outcomes(v, "P-8") == [CANNOT]


def test_p8_names_only_the_missing_facts() -> None:
    """Issue 14: with the birth date known, P-8 asked for "(ngày sinh, kết luận…)" all the same."""
    v = check(BOOK, "planning", person((1985, 1)), DIRECTOR, DAY)
    assert "ngày sinh" not in message(v, "P-8")
    assert "(thiếu kết luận tiêu chuẩn chính trị)" in message(v, "P-8")
    v = check(BOOK, "planning", person(born=None), DIRECTOR, DAY)
    assert "(thiếu ngày sinh, kết luận tiêu chuẩn chính trị)" in message(v, "P-8")
    no_birth = person(born=None, political=(PoliticalFact(D(2024, 1, 1), True),))
    v = check(BOOK, "planning", no_birth, DIRECTOR, DAY)
    assert outcomes(v, "P-8") == [CANNOT]
    assert "(thiếu ngày sinh)" in message(v, "P-8")


def test_r3_warns_for_a_higher_destination() -> None:
    p = person(tenures=(tenure(DEPUTY, D(2018, 1, 1)),))
    assert outcomes(check(BOOK, "rotation", p, DIRECTOR, DAY), "R-3") == [WARN]
    assert outcomes(check(BOOK, "rotation", p, DEPUTY, DAY), "R-3") == [PASS]


def test_t5_ceiling_warns_and_d3_is_not_applicable_to_a_non_member() -> None:
    p = person(political=(PoliticalFact(D(2024, 1, 1), True, "Phó Giám đốc Sở"),), is_party_member=False)
    v = check(BOOK, "appointment", p, HEAD, DAY, OK_DECLARED)
    assert outcomes(v, "T-5") == [WARN]
    assert outcomes(v, "D-3") == [NOT_APPLICABLE]


def test_d6_warns_on_a_form_without_a_window_and_p12_needs_a_birth_date() -> None:
    p = person(born=None, disciplines=(DisciplineFact("dang", "khai_tru", D(2020, 1, 1)),))
    v = check(BOOK, "appointment", p, HEAD, DAY)
    assert outcomes(v, "D-6") == [WARN]
    assert outcomes(v, "P-12") == [CANNOT]


def test_d2_expulsion_never_lapses() -> None:
    v = check_discipline(BOOK, DisciplineFact("dang", "khai_tru", D(2024, 1, 1)), "dang_vien", DAY)
    assert outcomes(v, "D-2") == [PASS]
    assert message(v, "D-2") == "Hình thức này không tự động chấm dứt hiệu lực."


def test_vote_without_v5_lists_v4_as_missing() -> None:
    book = Rulebook(v for v in BOOK.all_versions() if v.rule_id != "V-5")
    v = check_vote(book, VoteInput(DAY, 30, 30, 30, 20, 5, 5))
    assert outcomes(v, "V-4") == [NOT_APPLICABLE]


def test_rating_lower_bands_and_htxs_conditions_unknown() -> None:
    v = check_rating(BOOK, RatingInput("chinh_quyen", DAY, "ht", 40.0))
    assert "Không hoàn thành nhiệm vụ" in message(v, "E-8")
    # E-8 three times: the band; its KHT grounds, not declared; the proposed level above the band.
    assert outcomes(v, "E-8") == [PASS, CANNOT, FAIL]
    v = check_rating(BOOK, RatingInput("dang", DAY, "htxs", 95.0))
    assert outcomes(v, "E-3") == [PASS, PASS, CANNOT]  # band, level, share of tasks exceeded unknown
    assert outcomes(v, "E-5") == [CANNOT]  # the unit's counts unknown
