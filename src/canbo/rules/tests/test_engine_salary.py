"""Rules S-4 to S-8 (SALARY.md §2): due dates, delays, and pass / fail / cannot decide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from canbo.rules.engine.checks.salary import (
    BEYOND_FRAME,
    REGULAR,
    PeriodFact,
    SalaryCase,
    SalaryFact,
    check_salary,
)
from canbo.rules.engine.facts import DisciplineFact, RatingFact
from canbo.rules.tests.engine_helpers import BOOK

D = dt.date

A1 = {
    "grade_code": "01.003",
    "group": "A1",
    "steps": 9,
    "first": Decimal("2.34"),
    "increment": Decimal("0.33"),
}
B = {
    "grade_code": "01.005",
    "group": "B",
    "steps": 12,
    "first": Decimal("1.86"),
    "increment": Decimal("0.20"),
}


def row(scale: dict, step: int, since: dt.date, percent: int = 0) -> SalaryFact:
    coefficient = scale["first"] + (step - 1) * scale["increment"]
    return SalaryFact(**scale, step=step, coefficient=coefficient, percent=percent, step_since=since)


def rated(*years: int, level: str = "ht") -> tuple[RatingFact, ...]:
    return tuple(RatingFact("chinh_quyen", y, level) for y in years)


def case(r: SalaryFact, **kw: Any) -> SalaryCase:
    return SalaryCase(BOOK, r, **kw)


def outcomes(v: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for res in v.results:
        out.setdefault(res.rule_id, []).append(res.outcome)
    return out


def test_s4_a_group_waits_36_months_and_passes_when_every_year_is_rated() -> None:
    c = case(row(A1, 3, D(2022, 4, 1)), ratings=rated(2022, 2023, 2024))
    v = check_salary(c)
    s = c.schedule
    assert (s.kind, s.due, s.to_step, s.to_coefficient) == (REGULAR, D(2025, 4, 1), 4, Decimal("3.33"))
    assert outcomes(v) == {"S-4": ["pass"]}
    assert v.outcome == "pass"
    assert "bậc 4, hệ số 3,33 từ ngày 01/04/2025" in v.results[0].message


def test_s4_b_and_c_groups_wait_24_months() -> None:
    c = case(row(B, 5, D(2023, 2, 1)), ratings=rated(2023, 2024))
    assert c.schedule.due == D(2025, 2, 1)
    assert check_salary(c).outcome == "pass"


def test_s4_missing_rating_year_is_cannot_decide_never_pass() -> None:
    v = check_salary(case(row(A1, 3, D(2022, 4, 1)), ratings=rated(2022, 2024)))
    assert outcomes(v) == {"S-4": ["cannot_decide"]}
    assert "thiếu kết quả xếp loại cán bộ, công chức, viên chức năm 2023" in v.results[0].message
    # a Party rating is not the state rating the raise needs
    party = (*rated(2022, 2024), RatingFact("dang", 2023, "htt"))
    assert check_salary(case(row(A1, 3, D(2022, 4, 1)), ratings=party)).outcome == "cannot_decide"


def test_s6_discipline_in_step_time_delays_and_the_record_is_cited() -> None:
    reprimand = DisciplineFact("chinh_quyen", "khien_trach", D(2023, 5, 10), decision="12/QĐ-UBND")
    c = case(row(A1, 3, D(2022, 4, 1)), ratings=rated(2022, 2023, 2024), disciplines=(reprimand,))
    v = check_salary(c)
    assert c.schedule.due == D(2025, 10, 1)
    assert outcomes(v) == {"S-4": ["pass"], "S-6": ["warn"]}
    assert "12/QĐ-UBND" in v.results[1].facts[0].value
    removal = DisciplineFact("dang", "cach_chuc", D(2024, 1, 10))
    c2 = case(row(A1, 3, D(2022, 4, 1)), ratings=rated(2022, 2023, 2024), disciplines=(removal,))
    assert c2.schedule.due == D(2026, 4, 1)
    # the delayed due date is in 2026: the 2025 rating is needed as well
    assert check_salary(c2).outcome == "cannot_decide"


def test_s6_discipline_outside_step_time_does_not_delay() -> None:
    old = DisciplineFact("chinh_quyen", "canh_cao", D(2021, 5, 10))
    c = case(row(A1, 3, D(2022, 4, 1)), ratings=rated(2022, 2023, 2024), disciplines=(old,))
    assert c.schedule.due == D(2025, 4, 1)
    assert outcomes(check_salary(c)) == {"S-4": ["pass"]}


def test_s6_a_discipline_in_the_extended_time_delays_again() -> None:
    first = DisciplineFact("chinh_quyen", "khien_trach", D(2024, 6, 1))
    second = DisciplineFact("chinh_quyen", "khien_trach", D(2025, 7, 1))  # after 1/4/2025, before 1/10
    c = case(row(A1, 3, D(2022, 4, 1)), ratings=rated(2022, 2023, 2024, 2025), disciplines=(first, second))
    assert c.schedule.due == D(2026, 4, 1)
    assert [d.months for d in c.schedule.delays] == [6, 6]


def test_s7_kht_year_delays_12_months_after_15_8_2021() -> None:
    ratings = (*rated(2022, 2024, 2025), RatingFact("chinh_quyen", 2023, "kht"))
    c = case(row(A1, 3, D(2022, 4, 1)), ratings=ratings)
    v = check_salary(c)
    assert c.schedule.due == D(2026, 4, 1)
    assert outcomes(v) == {"S-4": ["pass"], "S-7": ["warn"]}


def test_s7_kht_year_before_s7_exists_fails_s4() -> None:
    ratings = (*rated(2016, 2018), RatingFact("chinh_quyen", 2017, "kht"))
    v = check_salary(case(row(A1, 3, D(2016, 4, 1)), ratings=ratings))
    assert outcomes(v) == {"S-4": ["fail"], "S-7": ["not_applicable"]}
    assert "năm 2017 xếp loại không hoàn thành nhiệm vụ" in v.results[0].message


def test_s5_time_not_counted_extends_by_days() -> None:
    leave = PeriodFact(D(2023, 1, 1), D(2023, 1, 31), "Nghỉ việc riêng không hưởng lương")
    c = case(row(A1, 3, D(2022, 4, 1)), ratings=rated(2022, 2023, 2024), excluded=(leave,))
    assert c.schedule.due == D(2025, 5, 2)
    assert outcomes(check_salary(c)) == {"S-4": ["pass"], "S-5": ["warn"]}


def test_s8_first_beyond_frame_step_is_5_percent_after_s4_time() -> None:
    c = case(row(A1, 9, D(2021, 7, 1)), ratings=rated(2021, 2022, 2023))
    v = check_salary(c)
    s = c.schedule
    assert (s.kind, s.due, s.to_step, s.to_percent) == (BEYOND_FRAME, D(2024, 7, 1), 9, 5)
    assert outcomes(v) == {"S-8": ["pass"]}
    assert "phụ cấp thâm niên vượt khung 5%" in v.results[0].message


def test_s8_further_percent_every_12_months_with_delays_and_cannot_decide() -> None:
    c = case(row(A1, 9, D(2024, 7, 1), percent=5), ratings=rated(2024))
    assert (c.schedule.due, c.schedule.to_percent) == (D(2025, 7, 1), 6)
    assert check_salary(c).outcome == "pass"
    warned = DisciplineFact("chinh_quyen", "canh_cao", D(2025, 1, 5))
    c2 = case(row(A1, 9, D(2024, 7, 1), percent=5), ratings=rated(2024), disciplines=(warned,))
    assert c2.schedule.due == D(2026, 1, 1)
    assert check_salary(c2).outcome == "cannot_decide"  # 2025 not rated
    failed = case(row(A1, 9, D(2024, 7, 1), percent=5), ratings=())
    assert outcomes(check_salary(failed)) == {"S-8": ["cannot_decide"]}


def test_verdict_is_in_the_rulebooks_format() -> None:
    v = check_salary(case(row(A1, 3, D(2022, 4, 1)), ratings=rated(2022, 2023, 2024)))
    data = v.to_dict()
    assert data["purpose"] == "salary"
    rule = data["rules"][0]
    assert (rule["rule"], rule["version"]) == ("S-4", 1)
    assert rule["threshold"] == "36 tháng"
    assert any(f["label"] == "Mốc tính nâng bậc" for f in rule["facts"])
