"""Dates as Vietnamese dossiers write them, and the "as of" date of every page.

A date of birth may be known in full, as month/year, or as a year only, and must stay so
(issue 2). It is stored as the earliest possible day plus a precision; RULES.md H-3 makes that
day the right one for computations (a year-only birth counts as 1 January).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from canbo.core.text import fold

PRECISION_DAY = "d"
PRECISION_MONTH = "m"
PRECISION_YEAR = "y"
PRECISION_CHOICES = [
    (PRECISION_DAY, "Ngày/tháng/năm"),
    (PRECISION_MONTH, "Tháng/năm"),
    (PRECISION_YEAR, "Chỉ năm"),
]

_FULL = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")

# The one partial-date grammar (issue 15): the person form, the API, the rules CLI and the
# spreadsheet import all read a written date with ``parse_partial_date``. Digits first
# ("15/03/1980", "15.03.1980", "15-03-1980", "1980-03-15", "1980-3-5 00:00:00", "03/1980",
# "1980"), then the words a dossier writes, read accent- and case-blind ("ngày 15 tháng 3 năm
# 1980", "tháng 3/1980", "tháng 3 năm 1980", "năm 1980").
_P_FULL = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_P_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_P_MONTH = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{4})$")
_P_YEAR = re.compile(r"^(\d{4})$")
_P_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")
_P_WORDS_MONTH = re.compile(r"^thang\s*(\d{1,2})\s*(?:nam\s*)?(\d{4})$")
_P_WORDS_YEAR = re.compile(r"^nam\s*(\d{4})$")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")

PARTIAL_DATE_HELP = "Ghi theo dạng ngày/tháng/năm (15/03/1980), tháng/năm (03/1980) hoặc năm (1980)."


def _quoted(text: str) -> str:
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


def parse_partial_date(text: str) -> tuple[dt.date, str]:
    """(earliest day, precision) of a date as written: full date, month/year or year only.

    Raises ValidationError (code ``invalid_partial_date``) with a Vietnamese message: "Ngày
    không có thật" for a day the calendar lacks (31/02/1980), "Ngày không hợp lệ" otherwise.
    """
    raw = text.strip()
    try:
        if m := _P_FULL.match(raw):
            return dt.date(int(m[3]), int(m[2]), int(m[1])), PRECISION_DAY
        if m := _P_ISO.match(raw):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), PRECISION_DAY
        if m := _P_MONTH.match(raw):
            return dt.date(int(m[2]), int(m[1]), 1), PRECISION_MONTH
        if m := _P_YEAR.match(raw):
            return dt.date(int(m[1]), 1, 1), PRECISION_YEAR
        words = " ".join(_NON_ALNUM.sub(" ", fold(raw)).split())
        if m := _P_WORDS.match(words):
            return dt.date(int(m[3]), int(m[2]), int(m[1])), PRECISION_DAY
        if m := _P_WORDS_MONTH.match(words):
            return dt.date(int(m[2]), int(m[1]), 1), PRECISION_MONTH
        if m := _P_WORDS_YEAR.match(words):
            return dt.date(int(m[1]), 1, 1), PRECISION_YEAR
    except ValueError:
        raise ValidationError(f"Ngày không có thật: {_quoted(raw)}.", code="invalid_partial_date") from None
    raise ValidationError(
        f"Ngày không hợp lệ: {_quoted(raw)}. {PARTIAL_DATE_HELP}", code="invalid_partial_date"
    )


def format_partial_date(value: dt.date | None, precision: str) -> str:
    """Show a partial date as it was entered."""
    if value is None:
        return ""
    if precision == PRECISION_YEAR:
        return f"{value.year}"
    if precision == PRECISION_MONTH:
        return f"{value.month:02d}/{value.year}"
    return value.strftime("%d/%m/%Y")


def format_date(value: dt.date | None) -> str:
    """dd/mm/yyyy, as ``strftime("%d/%m/%Y")`` writes it (the year unpadded, as the C library
    writes it), without its C call: the change log's text of a million rows of a large demo
    build passes through here (``core/tests/test_dates.py`` compares the two)."""
    return f"{value.day:02d}/{value.month:02d}/{value.year}" if value else ""


def age_at(birth: dt.date, on: dt.date) -> int:
    """Age in full years on ``on`` (INDICATORS.md: "age counted in full years at the as-of date")."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def today() -> dt.date:
    """Today in Vietnam's time zone."""
    return timezone.localdate()


# The dates a page, a query or a rule may be asked about. Rules add months and years to the
# date asked (a retirement, a term's end), so a date near 9999 would overflow deep in a
# calculation; anything outside this range is refused where it is read (issue 14).
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)


def in_supported_range(day: dt.date) -> bool:
    """Whether ``day`` lies in [FIRST_DAY, LAST_DAY], the dates CanBo computes for."""
    return FIRST_DAY <= day <= LAST_DAY


def out_of_range_message() -> str:
    return f"Ngày phải trong khoảng {format_date(FIRST_DAY)} – {format_date(LAST_DAY)}."


def parse_as_of(value: str | None) -> dt.date:
    """The "as of" date of a page: ISO (from a date input) or dd/mm/yyyy; today when empty.

    Raises ValidationError with a Vietnamese message for anything else, and for a date outside
    1900–2100, which views turn into 400.
    """
    if not value:
        return today()
    day = None
    if m := _ISO.match(value):
        with contextlib.suppress(ValueError):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    elif m := _FULL.match(value):
        with contextlib.suppress(ValueError):
            day = dt.date(int(m[3]), int(m[2]), int(m[1]))
    if day is None:
        raise ValidationError(
            "Ngày xem không hợp lệ: “%(v)s”. Dùng dạng dd/mm/yyyy.", params={"v": value[:40]}
        )
    if not in_supported_range(day):
        raise ValidationError(out_of_range_message())
    return day


def stored_day(value: object) -> dt.date | None:
    """A date kept in the session (ISO), or None when it is missing or no longer usable."""
    if not isinstance(value, str):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if in_supported_range(day) else None


def in_range(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    """Whether ``on`` lies in the inclusive range [start, end] (None = open)."""
    return (start is None or start <= on) and (end is None or on <= end)
