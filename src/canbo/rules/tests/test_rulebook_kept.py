"""The rulebook kept in the process (issue 22): one small query per request instead of reading
every rule version and day off; a change shows on the next request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from canbo.core.context import bind_context
from canbo.rules import services
from canbo.rules.engine.dates import working_days_before
from canbo.rules.selectors import rulebook


def test_the_rulebook_is_read_once_and_a_change_shows_on_the_next_request(
    rules_loaded: None, users: dict, django_assert_num_queries: Any
) -> None:
    with bind_context(source="web"):
        first = rulebook()
    with bind_context(source="web"), django_assert_num_queries(1):  # the stamp only
        assert rulebook() is first
        assert rulebook() is first  # and nothing more within the request
    day = dt.date(2031, 3, 12)  # a Wednesday, a working day
    assert first.holidays.is_working_day(day)
    services.holiday_add(day=day, name="Ngày nghỉ thử", acting_user=users["admin"])
    with bind_context(source="web"):
        again = rulebook()
    assert again is not first and not again.holidays.is_working_day(day)


def test_counted_working_days_are_those_of_a_fresh_count(rules_loaded: None) -> None:
    cal = rulebook().holidays
    end = dt.date(2027, 1, 15)
    plain = {d for d in (end - dt.timedelta(days=n) for n in range(1, 200)) if not cal.is_working_day(d)}
    expected = end
    found = 0
    while found < 90:
        expected -= dt.timedelta(days=1)
        if expected not in plain:
            found += 1
    assert working_days_before(end, 90, cal) == expected
    assert working_days_before(end, 90, cal) == expected  # remembered, the same
