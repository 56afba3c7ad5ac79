"""The deadline parser on every deadline phrase of the seed plans and on the usual variants."""

from __future__ import annotations

import datetime as dt

import pytest

from canbo.plans.deadlines import (
    CONDITIONAL,
    CONTINUOUS,
    FROM,
    MONTH,
    NONE,
    QUARTER,
    RECURRING,
    UNPARSED,
    YEAR,
    Schedule,
    describe,
    due_dates,
    next_due,
    occurrences,
    parse_deadline,
)

D = dt.date

# (phrase as written, kind, one-off due dates). Seed phrases first, then variants.
CASES = [
    # seed 001
    ("thực hiện trong quý IV năm 2018", QUARTER, [D(2018, 12, 31)]),
    ("thực hiện sau khi Chiến lược quốc gia thu hút, trọng dụng nhân tài được ban hành", CONDITIONAL, []),
    ("thực hiện sau khi có hướng dẫn của Trung ương", CONDITIONAL, []),
    ("thực hiện sau khi Chương trình này được Trung ương ban hành", CONDITIONAL, []),
    ("thực hiện từ năm 2019", FROM, []),
    ("thực hiện trong năm 2019", YEAR, [D(2019, 12, 31)]),
    ("nhiệm vụ thường xuyên", CONTINUOUS, []),
    ("định kỳ 06 tháng, năm", RECURRING, []),
    # seed 002
    ("xong trong quý I/2021", QUARTER, [D(2021, 3, 31)]),
    ("xong trong năm 2021", YEAR, [D(2021, 12, 31)]),
    ("thực hiện thường xuyên hằng năm", RECURRING, []),
    ("thực hiện xong trong quý I/2021 và điều chỉnh, bổ sung hằng năm", QUARTER, [D(2021, 3, 31)]),
    ("thực hiện hằng năm", RECURRING, []),
    (
        "ban hành kế hoạch xong trong quý II/2021; "
        "triển khai cập nhật số hoá cơ sở dữ liệu các năm tiếp theo",
        QUARTER,
        [D(2021, 6, 30)],
    ),
    ("thực hiện thường xuyên", CONTINUOUS, []),
    ("Hằng năm", RECURRING, []),
    ("Định kỳ quý I hằng năm", RECURRING, []),
    # seed 004
    ("quý IV/2016", QUARTER, [D(2016, 12, 31)]),
    ("thời gian hoàn thành và báo cáo về Thường trực Tỉnh ủy trong quý IV/2016", QUARTER, [D(2016, 12, 31)]),
    ("Hoàn thành trong năm 2016.", YEAR, [D(2016, 12, 31)]),
    ("vào quý IV/2020; vào quý IV/2025", QUARTER, [D(2020, 12, 31), D(2025, 12, 31)]),
    ("định kỳ 6 tháng, hằng năm", RECURRING, []),
    # variants of the issue
    ("quý 4/2018", QUARTER, [D(2018, 12, 31)]),
    ("Q4/2018", QUARTER, [D(2018, 12, 31)]),
    ("q3-2019", QUARTER, [D(2019, 9, 30)]),
    ("quý IV 2018", QUARTER, [D(2018, 12, 31)]),
    ("  Quý   iii ,  năm 2020 .", QUARTER, [D(2020, 9, 30)]),
    ("(thực hiện trong quý II/2022)", QUARTER, [D(2022, 6, 30)]),
    ("tháng 02/2022", MONTH, [D(2022, 2, 28)]),
    ("trong tháng 2 năm 2024", MONTH, [D(2024, 2, 29)]),
    ("trong năm 2019", YEAR, [D(2019, 12, 31)]),
    ("hoàn thành trong năm 2016", YEAR, [D(2016, 12, 31)]),
    ("trong 2019", YEAR, [D(2019, 12, 31)]),
    ("hàng năm từ năm 2022", RECURRING, []),
    ("hằng năm", RECURRING, []),
    ("định kỳ 06 tháng", RECURRING, []),
    ("hằng quý", RECURRING, []),
    ("thực hiện năm thứ 3 nhiệm kỳ", RECURRING, []),
    ("thường xuyên", CONTINUOUS, []),
    ("sau khi có hướng dẫn của Trung ương", CONDITIONAL, []),
    ("trước ngày 15/3/2021", "date", [D(2021, 3, 15)]),
    ("ngày 30 tháng 6 năm 2021", "date", [D(2021, 6, 30)]),
]


@pytest.mark.parametrize(("phrase", "kind", "dues"), CASES)
def test_phrases(phrase: str, kind: str, dues: list[dt.date]) -> None:
    schedule = parse_deadline(phrase)
    assert schedule.kind == kind
    assert schedule.text == phrase.strip()
    assert not schedule.flagged
    assert due_dates(schedule) == dues


@pytest.mark.parametrize(
    "phrase",
    [
        "khi có điều kiện",
        "giai đoạn 2020 - 2025",
        "quý V/2018",
        "tháng 13/2020",
        "31/02/2021",
        "sớm nhất có thể",
    ],
)
def test_unreadable_phrases_are_kept_and_flagged_never_guessed(phrase: str) -> None:
    schedule = parse_deadline(phrase)
    assert schedule.flagged
    assert schedule.kind == UNPARSED
    assert schedule.text == phrase
    assert schedule.parts == []
    assert due_dates(schedule, period=(D(2015, 1, 1), D(2030, 12, 31))) == []
    assert "Chưa đọc được" in describe(schedule)


def test_empty_phrase_has_no_deadline_and_is_not_flagged() -> None:
    schedule = parse_deadline("  ")
    assert schedule.kind == NONE
    assert not schedule.flagged


def test_yearly_recurrence_after_a_one_off_starts_the_next_year() -> None:
    schedule = parse_deadline("thực hiện xong trong quý I/2021 và điều chỉnh, bổ sung hằng năm")
    period = (D(2020, 12, 11), D(2023, 12, 31))
    assert due_dates(schedule, period=period) == [D(2021, 3, 31), D(2022, 12, 31), D(2023, 12, 31)]
    assert describe(schedule) == "hạn 31/03/2021; hằng năm từ năm 2022"


def test_recurring_occurrences_over_a_period() -> None:
    half = parse_deadline("định kỳ 06 tháng")
    got = occurrences(half, period=(D(2021, 3, 1), D(2022, 6, 30)))
    assert [(o.due, o.label) for o in got] == [
        (D(2021, 6, 30), "6 tháng đầu năm 2021"),
        (D(2021, 12, 31), "6 tháng cuối năm 2021"),
        (D(2022, 6, 30), "6 tháng đầu năm 2022"),
    ]
    yearly_from = parse_deadline("hàng năm từ năm 2022")
    assert due_dates(yearly_from, period=(D(2020, 1, 1), D(2023, 12, 31))) == [
        D(2022, 12, 31),
        D(2023, 12, 31),
    ]
    quarterly = parse_deadline("hằng quý")
    assert len(due_dates(quarterly, period=(D(2021, 1, 1), D(2021, 12, 31)))) == 4
    q1_yearly = parse_deadline("Định kỳ quý I hằng năm")
    assert due_dates(q1_yearly, period=(D(2021, 1, 1), D(2022, 12, 31))) == [D(2021, 3, 31), D(2022, 3, 31)]
    # Without a period a recurrence has no dates to give.
    assert due_dates(quarterly) == []


def test_term_year_needs_the_term_start() -> None:
    schedule = parse_deadline("thực hiện năm thứ 3 nhiệm kỳ")
    period = (D(2020, 1, 1), D(2025, 12, 31))
    assert due_dates(schedule, period=period) == []
    assert due_dates(schedule, period=period, term_start=D(2020, 10, 16)) == [D(2022, 12, 31)]


def test_conditional_falls_due_a_set_time_after_the_condition_is_met() -> None:
    schedule = parse_deadline("thực hiện sau khi có hướng dẫn của Trung ương")
    assert schedule.parts[0].condition == "có hướng dẫn của Trung ương"
    assert due_dates(schedule) == []
    assert due_dates(schedule, condition_met_on=D(2021, 11, 30)) == [D(2022, 2, 28)]
    in_days = parse_deadline("trong vòng 30 ngày sau khi có hướng dẫn của Trung ương")
    assert due_dates(in_days, condition_met_on=D(2021, 1, 10)) == [D(2021, 2, 9)]


def test_continuous_and_from_never_fall_due() -> None:
    for phrase in ("thường xuyên", "thực hiện từ năm 2019"):
        assert due_dates(parse_deadline(phrase), period=(D(2019, 1, 1), D(2030, 1, 1))) == []
    assert parse_deadline("thực hiện từ năm 2019").parts[0].start == D(2019, 1, 1)


def test_round_trip_through_json_and_next_due() -> None:
    schedule = parse_deadline("vào quý IV/2020; vào quý IV/2025")
    again = Schedule.from_dict(schedule.to_dict())
    assert again == schedule
    assert next_due(again, after=D(2021, 1, 1)) == D(2025, 12, 31)
    assert next_due(again, after=D(2026, 1, 1)) is None


def test_a_period_mostly_before_the_start_is_not_due() -> None:
    yearly = parse_deadline("hằng năm")
    assert due_dates(yearly, period=(D(2020, 12, 11), D(2022, 12, 31))) == [D(2021, 12, 31), D(2022, 12, 31)]
    assert due_dates(yearly, period=(D(2021, 2, 1), D(2021, 12, 31))) == [D(2021, 12, 31)]


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        ("6 tháng đầu năm 2022", D(2022, 6, 30)),
        ("6 tháng cuối năm 2022", D(2022, 12, 31)),
        ("9 tháng năm 2022", D(2022, 9, 30)),
    ],
)
def test_half_and_nine_months(phrase: str, due: dt.date) -> None:
    assert due_dates(parse_deadline(phrase)) == [due]


def test_words_left_unread_mark_the_schedule_incomplete() -> None:
    schedule = parse_deadline("quý III và quý IV/2021")
    assert schedule.incomplete and not schedule.flagged
    assert due_dates(schedule) == [D(2021, 12, 31)]
    assert "chưa đọc được" in describe(schedule)
    assert Schedule.from_dict(schedule.to_dict()).incomplete
    for phrase, *_ in CASES:
        assert not parse_deadline(phrase).incomplete, phrase
