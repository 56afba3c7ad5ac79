"""Calendar arithmetic the rules need: calendar months, month ends, working days."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection

from canbo.rules.engine.workdays import WorkCalendar


def last_day(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by calendar months; a day past the target month's end becomes its last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if day.day <= 28:  # every month has the day: no month length needed (lists call this a lot)
        return dt.date(year, month + 1, day.day)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def whole_months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (RULES.md H-7 default: whole months only).

    The largest n with ``add_months(start, n) <= end``; negative when ``end`` is before ``start``.
    """
    n = (end.year - start.year) * 12 + (end.month - start.month)
    if n >= 0:
        while n > 0 and add_months(start, n) > end:
            n -= 1
        return n
    while add_months(start, n) > end:
        n -= 1
    return n


def age_years_months(birth: dt.date, on: dt.date) -> tuple[int, int]:
    """Age on ``on`` as (full years, remaining full months)."""
    months = whole_months_between(birth, on)
    return divmod(months, 12)


def is_working_day(day: dt.date, holidays: Collection[dt.date] | WorkCalendar) -> bool:
    """Working day (ngày làm việc): not Saturday, not Sunday, not a public holiday.

    With a ``WorkCalendar`` its own answer, which also knows compensatory days and the Saturdays
    worked in exchange for a bridge day; a plain collection is a list of days off.
    """
    if isinstance(holidays, WorkCalendar):
        return holidays.is_working_day(day)
    return day.weekday() < 5 and day not in holidays


def working_days_before(end: dt.date, count: int, holidays: Collection[dt.date] | WorkCalendar) -> dt.date:
    """The working day that lies ``count`` working days before ``end`` (``end`` itself not counted).

    "Notice at least 90 working days before the term ends" is met by a notice given on or before
    this day: from it up to the day before ``end`` there are exactly ``count`` working days.
    """
    if isinstance(holidays, WorkCalendar):
        return holidays.working_days_before(end, count)
    day = end
    found = 0
    while found < count:
        day -= dt.timedelta(days=1)
        if is_working_day(day, holidays):
            found += 1
    return day


def working_days_after(start: dt.date, count: int, holidays: Collection[dt.date] | WorkCalendar) -> dt.date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
    if isinstance(holidays, WorkCalendar):
        return holidays.working_days_after(start, count)
    day = start
    found = 0
    while found < count:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            found += 1
    return day


def vn(day: dt.date | None) -> str:
    """A date as Vietnamese documents write it (dd/mm/yyyy); "—" when unknown."""
    return day.strftime("%d/%m/%Y") if day else "—"
