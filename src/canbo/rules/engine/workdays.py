"""Public holidays and working days for any year (RULES.md A-13, D-4, N-3: "working days").

Three layers, applied in this order:

1. **Statutory holidays**, computed: Tết Dương lịch 1/1; Tết Nguyên đán (the last day of the
   lunar year and mùng 1–4: five days, the default the Prime Minister's notice usually keeps;
   four days — the last day and mùng 1–3 — before 2014, under BLLĐ 1994); Giỗ Tổ Hùng Vương
   10/3 lunar (from 2007); 30/4; 1/5; 2/9 plus, from 2021, the adjacent day 1/9 (BLLĐ 2019
   Art. 112; BLLĐ 2012 Art. 115 before). Lunar dates come from ``lunar`` (UTC+7).
2. **Compensatory days** (nghỉ bù), computed: a holiday that falls on Saturday or Sunday (the
   weekly rest of cadres and civil servants) gives a day off on the next working day (BLLĐ 2019
   Art. 111(3); BLLĐ 2012 Art. 110(3)).
3. **The administrator's adjustments**, as data (``data/holidays.toml`` and the holiday page):
   extra days off and working days swapped by the Prime Minister's yearly notice (a Saturday
   worked in exchange for a bridge day), or a different adjacent day of Quốc khánh. An adjustment
   wins over the computed layers for its day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from canbo.rules.engine import lunar

STATUTORY = "le"  # a holiday of the labour code
COMPENSATORY = "nghi_bu"  # the day off for a holiday on a weekend
EXTRA_OFF = "nghi"  # an administrator's extra day off (a swapped bridge day)
SWAPPED_WORK = "lam_viec"  # an administrator's working day (a Saturday worked in exchange)

KIND_LABELS = {
    STATUTORY: "Ngày lễ, Tết theo Bộ luật Lao động",
    COMPENSATORY: "Nghỉ bù (ngày lễ trùng ngày nghỉ hằng tuần)",
    EXTRA_OFF: "Ngày nghỉ theo thông báo hằng năm",
    SWAPPED_WORK: "Ngày làm việc theo thông báo hằng năm (làm bù, đổi ngày nghỉ)",
}

FIRST_YEAR, LAST_YEAR = 1900, 2199


@dataclass(frozen=True)
class CalendarDay:
    """One day of the holiday calendar: a day off, or (``SWAPPED_WORK``) a weekend day worked."""

    day: dt.date
    name: str
    kind: str

    @property
    def is_day_off(self) -> bool:
        return self.kind != SWAPPED_WORK

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


@lru_cache(maxsize=512)
def statutory_days(year: int) -> tuple[CalendarDay, ...]:
    """The labour code's holidays of a solar year (layer 1), in date order."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"năm {year} ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}")
    days: dict[dt.date, str] = {dt.date(year, 1, 1): "Tết Dương lịch"}

    def add(day: dt.date, name: str) -> None:
        if day.year == year:
            days[day] = f"{days[day]}; {name}" if day in days else name

    # Tết of this solar year (January–February) and, for completeness, none other: the next one
    # always begins after 20 January of the following year.
    first = lunar.tet(year)
    add(first - dt.timedelta(days=1), "Tết Nguyên đán (ngày cuối năm Âm lịch)")
    for n in range(1, 5 if year >= 2014 else 4):
        add(first + dt.timedelta(days=n - 1), f"Tết Nguyên đán (mùng {n})")
    if year >= 2007:
        add(lunar.hung_kings(year), "Giỗ Tổ Hùng Vương (10/3 Âm lịch)")
    add(dt.date(year, 4, 30), "Ngày Chiến thắng")
    add(dt.date(year, 5, 1), "Ngày Quốc tế Lao động")
    if year >= 2021:
        add(dt.date(year, 9, 1), "Quốc khánh (ngày liền kề)")
    add(dt.date(year, 9, 2), "Quốc khánh")
    return tuple(CalendarDay(d, n, STATUTORY) for d, n in sorted(days.items()))


@lru_cache(maxsize=512)
def computed_days(year: int) -> tuple[CalendarDay, ...]:
    """Statutory holidays and their compensatory days (layers 1 and 2) of a solar year.

    Each holiday on a Saturday or Sunday gives the next day that is neither a weekend day, nor a
    holiday, nor already a compensatory day (two weekend holidays, two days: 30/4 and 1/5 on a
    weekend give the following Monday and Tuesday).
    """
    holidays = statutory_days(year)
    off = {h.day for h in holidays}
    out = list(holidays)
    for h in holidays:
        if not _weekend(h.day):
            continue
        day = h.day + dt.timedelta(days=1)
        while _weekend(day) or day in off:
            day += dt.timedelta(days=1)
        off.add(day)
        out.append(CalendarDay(day, f"Nghỉ bù {h.name} ({h.day:%d/%m/%Y})", COMPENSATORY))
    return tuple(sorted(out, key=lambda d: d.day))


class WorkCalendar:
    """Days off and working days for any year 1900–2199: the computed layers plus adjustments.

    ``day in calendar`` is True for a day off other than an ordinary weekend day (a holiday, a
    compensatory or an extra day off); ``is_working_day`` is what counts of working days read.
    """

    def __init__(self, adjustments: Iterable[CalendarDay] = ()) -> None:
        self._adjust: dict[dt.date, CalendarDay] = {a.day: a for a in adjustments}
        self._years: dict[int, dict[dt.date, CalendarDay]] = {}
        # Counts of working days already made (the calendar page asks the same 90-day notice
        # of hundreds of terms ending on a few dozen days); the calendar never changes.
        self._counted: dict[tuple[dt.date, int], dt.date] = {}

    def working_days_before(self, end: dt.date, count: int) -> dt.date:
        """The day ``count`` working days before ``end`` (``end`` not counted), remembered."""
        key = (end, -count)
        found = self._counted.get(key)
        if found is None:
            day, n = end, 0
            while n < count:
                day -= dt.timedelta(days=1)
                if self.is_working_day(day):
                    n += 1
            found = self._counted[key] = day
        return found

    def working_days_after(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start`` (``start`` not counted), remembered."""
        key = (start, count)
        found = self._counted.get(key)
        if found is None:
            day, n = start, 0
            while n < count:
                day += dt.timedelta(days=1)
                if self.is_working_day(day):
                    n += 1
            found = self._counted[key] = day
        return found

    def _year(self, year: int) -> dict[dt.date, CalendarDay]:
        found = self._years.get(year)
        if found is None:
            found = {d.day: d for d in computed_days(year)}
            for a in self._adjust.values():
                if a.day.year == year:
                    found[a.day] = a
            self._years[year] = found
        return found

    def year_days(self, year: int) -> list[CalendarDay]:
        """Every entry of a year's calendar (days off and swapped working days), in date order."""
        return sorted(self._year(year).values(), key=lambda d: d.day)

    def entry(self, day: dt.date) -> CalendarDay | None:
        return self._year(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        """Not a weekend day unless swapped to a working day; not a day off of the calendar."""
        found = self._year(day.year).get(day)
        if found is not None:
            return not found.is_day_off
        return not _weekend(day)

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        found = self._year(day.year).get(day)
        return found is not None and found.is_day_off

    def days_off(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """The calendar's days off from ``start`` to ``end`` inclusive (weekends not listed)."""
        for year in range(start.year, end.year + 1):
            for d in self.year_days(year):
                if d.is_day_off and start <= d.day <= end:
                    yield d.day
