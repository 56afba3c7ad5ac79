"""The engine's fast paths give the plain answers: ``add_months`` without the month length for
days up to the 28th, and ``Rulebook.find``'s memo (docs/performance.md "Due raises")."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from canbo.rules.engine import rulebook as rulebook_module
from canbo.rules.engine.dates import add_months
from canbo.rules.engine.rulebook import Rulebook, RuleNotInForce, RuleVersion


def _plain_add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def test_add_months_is_the_calendar_month_shift_for_every_day() -> None:
    day = dt.date(2019, 1, 1)
    while day < dt.date(2029, 1, 1):
        for months in (-40, -36, -24, -12, -6, -1, 0, 1, 3, 12, 24, 36):
            assert add_months(day, months) == _plain_add_months(day, months), (day, months)
        day += dt.timedelta(days=1)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 3, 29), -1) == dt.date(2023, 2, 28)


def _version(n: int, start: dt.date | None, end: dt.date | None) -> RuleVersion:
    return RuleVersion("S-4", n, "Nâng bậc", "", "", "confirmed", start, end, {"n": n})


def test_find_memo_answers_as_the_versions_do_and_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    book = Rulebook(
        [
            _version(1, dt.date(2005, 1, 1), dt.date(2020, 7, 1)),
            _version(2, dt.date(2020, 7, 1), dt.date(2021, 1, 1)),
            _version(3, dt.date(2022, 1, 1), None),
        ]
    )
    for _ in range(2):  # the second pass answers from the memo
        day = dt.date(2004, 6, 1)
        while day < dt.date(2023, 6, 1):
            try:
                expected: RuleVersion | None = book.version("S-4", day)
            except RuleNotInForce:
                expected = None  # before the first version, and the gap of 2021
            assert book.find("S-4", day) is expected, day
            day += dt.timedelta(days=11)
    assert book.find("S-99", dt.date(2024, 1, 1)) is None
    monkeypatch.setattr(rulebook_module, "FIND_MEMO", 3)
    for n in range(10):
        book.find("S-4", dt.date(2024, 1, 1 + n))
    assert len(book._found) <= 3
