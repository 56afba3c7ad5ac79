"""Partial dates as dossiers write them, ages and the "as of" date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from canbo.core.dates import (
    PRECISION_DAY,
    PRECISION_MONTH,
    PRECISION_YEAR,
    age_at,
    format_date,
    format_partial_date,
    in_range,
    parse_as_of,
    parse_partial_date,
    today,
)

# The one partial-date grammar (issue 15): every spelling the person form or the spreadsheet
# import accepted before, read the same way by both.
ACCEPTED = [
    ("15/03/1980", (dt.date(1980, 3, 15), PRECISION_DAY)),
    ("5/3/1980", (dt.date(1980, 3, 5), PRECISION_DAY)),
    (" 15.03.1980 ", (dt.date(1980, 3, 15), PRECISION_DAY)),
    ("15-03-1980", (dt.date(1980, 3, 15), PRECISION_DAY)),
    ("15 / 03 / 1980", (dt.date(1980, 3, 15), PRECISION_DAY)),
    ("1980-03-15", (dt.date(1980, 3, 15), PRECISION_DAY)),
    ("1980-3-5", (dt.date(1980, 3, 5), PRECISION_DAY)),
    ("1980-03-15 00:00:00", (dt.date(1980, 3, 15), PRECISION_DAY)),
    ("1980-03-15T08:30", (dt.date(1980, 3, 15), PRECISION_DAY)),
    ("03/1980", (dt.date(1980, 3, 1), PRECISION_MONTH)),
    ("3/1980", (dt.date(1980, 3, 1), PRECISION_MONTH)),
    ("3.1980", (dt.date(1980, 3, 1), PRECISION_MONTH)),
    ("1980", (dt.date(1980, 1, 1), PRECISION_YEAR)),
    ("29/02/2000", (dt.date(2000, 2, 29), PRECISION_DAY)),
    ("ngày 15 tháng 3 năm 1980", (dt.date(1980, 3, 15), PRECISION_DAY)),
    ("Ngày 15 Tháng 03 Năm 1980", (dt.date(1980, 3, 15), PRECISION_DAY)),
    ("15 tháng 3 năm 1980", (dt.date(1980, 3, 15), PRECISION_DAY)),
    ("ngay 15 thang 3 nam 1980", (dt.date(1980, 3, 15), PRECISION_DAY)),
    ("tháng 3/1980", (dt.date(1980, 3, 1), PRECISION_MONTH)),
    ("Tháng 3/1980", (dt.date(1980, 3, 1), PRECISION_MONTH)),
    ("tháng 3 năm 1980", (dt.date(1980, 3, 1), PRECISION_MONTH)),
    ("tháng 03-1980", (dt.date(1980, 3, 1), PRECISION_MONTH)),
    ("năm 1980", (dt.date(1980, 1, 1), PRECISION_YEAR)),
]

# (spelling, the Vietnamese message it gets)
HELP = "Ghi theo dạng ngày/tháng/năm (15/03/1980), tháng/năm (03/1980) hoặc năm (1980)."
REFUSED = [
    ("", f"Ngày không hợp lệ: “”. {HELP}"),
    ("   ", f"Ngày không hợp lệ: “”. {HELP}"),
    ("abc", f"Ngày không hợp lệ: “abc”. {HELP}"),
    ("15/03/80", f"Ngày không hợp lệ: “15/03/80”. {HELP}"),
    ("1980/03", f"Ngày không hợp lệ: “1980/03”. {HELP}"),
    ("1980/03/15x", f"Ngày không hợp lệ: “1980/03/15x”. {HELP}"),
    ("tháng ba 1980", f"Ngày không hợp lệ: “tháng ba 1980”. {HELP}"),
    ("quý 1/1980", f"Ngày không hợp lệ: “quý 1/1980”. {HELP}"),
    ("31/02/1980", "Ngày không có thật: “31/02/1980”."),
    ("29/02/1981", "Ngày không có thật: “29/02/1981”."),
    ("13/1980", "Ngày không có thật: “13/1980”."),
    ("00/1980", "Ngày không có thật: “00/1980”."),
    ("0000", "Ngày không có thật: “0000”."),
    ("1980-13-01", "Ngày không có thật: “1980-13-01”."),
    ("ngày 30 tháng 2 năm 1980", "Ngày không có thật: “ngày 30 tháng 2 năm 1980”."),
    ("tháng 13/1980", "Ngày không có thật: “tháng 13/1980”."),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_parse_partial_date(text: str, expected: tuple[dt.date, str]) -> None:
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_parse_partial_date_refuses_with_vietnamese_message(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_partial_date(text)
    assert exc.value.code == "invalid_partial_date"
    assert exc.value.messages == [message]


def test_a_long_refused_spelling_is_cut_short_in_the_message() -> None:
    with pytest.raises(ValidationError) as exc:
        parse_partial_date("x" * 100)
    assert exc.value.messages[0].startswith(f"Ngày không hợp lệ: “{'x' * 60}…”.")


@pytest.mark.parametrize("text", ["15/03/1980", "03/1980", "1980", "01/01/2001", "01/2001", "2001"])
def test_format_keeps_precision(text: str) -> None:
    assert format_partial_date(*parse_partial_date(text)) == text


def test_format_iso_input_shows_day_first() -> None:
    assert format_partial_date(*parse_partial_date("1980-03-15")) == "15/03/1980"
    assert format_partial_date(None, PRECISION_DAY) == ""


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (dt.date(1980, 5, 17), dt.date(2025, 5, 16), 44),
        (dt.date(1980, 5, 17), dt.date(2025, 5, 17), 45),
        (dt.date(1980, 5, 17), dt.date(2025, 12, 31), 45),
        (dt.date(1980, 1, 1), dt.date(1980, 1, 1), 0),
        (dt.date(2000, 2, 29), dt.date(2021, 2, 28), 20),
        (dt.date(2000, 2, 29), dt.date(2021, 3, 1), 21),
    ],
)
def test_age_at_across_birthdays(birth: dt.date, on: dt.date, age: int) -> None:
    assert age_at(birth, on) == age


def test_year_only_birth_counts_from_first_january() -> None:
    birth, precision = parse_partial_date("1965")
    assert precision == PRECISION_YEAR
    assert age_at(birth, dt.date(2025, 1, 1)) == 60
    assert age_at(birth, dt.date(2024, 12, 31)) == 59


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-06-30", dt.date(2024, 6, 30)),
        ("30/06/2024", dt.date(2024, 6, 30)),
        ("1/7/2025", dt.date(2025, 7, 1)),
    ],
)
def test_parse_as_of(value: str, expected: dt.date) -> None:
    assert parse_as_of(value) == expected


def test_parse_as_of_empty_is_today() -> None:
    assert parse_as_of(None) == today()
    assert parse_as_of("") == today()


@pytest.mark.parametrize("value", ["hôm qua", "2024-02-30", "31/04/2024", "2024", "06/2024", "2024-6-1x"])
def test_parse_as_of_refuses_with_vietnamese_message(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_as_of(value)
    assert "Ngày xem không hợp lệ" in exc.value.messages[0]


def test_in_range_is_inclusive_and_open_ended() -> None:
    day = dt.date(2025, 6, 30)
    assert in_range(dt.date(2025, 6, 30), dt.date(2025, 6, 30), day)
    assert in_range(None, None, day)
    assert not in_range(dt.date(2025, 7, 1), None, day)
    assert not in_range(None, dt.date(2025, 6, 29), day)


def test_format_date_is_strftime_s() -> None:
    """``format_date`` writes what ``strftime("%d/%m/%Y")`` writes, for every day of a leap and a
    common year, the first and last days of each month of 1900–2100, and short years."""
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(366 + 365)]
    days += [dt.date(y, m, 1) for y in range(1900, 2101) for m in range(1, 13)]
    days += [dt.date(y, 12, 31) for y in (1, 9, 10, 99, 100, 999, 1000, 9999)]
    for day in days:
        assert format_date(day) == day.strftime("%d/%m/%Y")
    assert format_date(None) == ""
