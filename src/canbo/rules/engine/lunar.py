"""The Vietnamese lunar calendar (âm lịch), computed for Vietnam's time zone (UTC+7).

Hồ Ngọc Đức's algorithm, the standard reference for the Vietnamese calendar: a lunar month
starts on the civil day (in UTC+7) of the astronomical new moon; month 11 is the one containing
the winter solstice; in a 13-month year the leap month is the first one without a principal
solar term (trung khí). New moons and the Sun's longitude use the series of Jean Meeus
("Astronomical Algorithms"), accurate to minutes over 1900–2199.

The time zone matters: the Chinese calendar computes the same moons in UTC+8, so a new moon
between 23:00 and 24:00 in Vietnam falls on the next day in China. The new moon of
2 February 2030 at 23:07 (UTC+7) makes Tết 2/2/2030 in Vietnam and 3/2/2030 in China.

Pure arithmetic, no Django; see docs/architecture.md ("Working days") for why it is not a
package.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache

VIETNAM_TZ = 7.0
# Julian day number of a date = its proleptic Gregorian ordinal + this.
_JD_OFFSET = 1721425
_SYNODIC = 29.530588853
_K0_JD = 2415021.076998695  # the first new moon of 1900 (k = 0), as the algorithm counts
_DR = math.pi / 180


def jd(day: dt.date) -> int:
    """Julian day number of a (Gregorian) date."""
    return day.toordinal() + _JD_OFFSET


def from_jd(number: int) -> dt.date:
    return dt.date.fromordinal(number - _JD_OFFSET)


def new_moon(k: int) -> float:
    """Julian date (UT) of the k-th new moon after the one of 1/1/1900 (Meeus, chapter 49)."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _DR)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3  # Sun's mean anomaly
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3  # Moon's mean anomaly
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3  # Moon's argument of latitude
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * _DR) + 0.0021 * math.sin(2 * _DR * m)
    c1 = c1 - 0.4068 * math.sin(mpr * _DR) + 0.0161 * math.sin(_DR * 2 * mpr)
    c1 = c1 - 0.0004 * math.sin(_DR * 3 * mpr)
    c1 = c1 + 0.0104 * math.sin(_DR * 2 * f) - 0.0051 * math.sin(_DR * (m + mpr))
    c1 = c1 - 0.0074 * math.sin(_DR * (m - mpr)) + 0.0004 * math.sin(_DR * (2 * f + m))
    c1 = c1 - 0.0004 * math.sin(_DR * (2 * f - m)) - 0.0006 * math.sin(_DR * (2 * f + mpr))
    c1 = c1 + 0.0010 * math.sin(_DR * (2 * f - mpr)) + 0.0005 * math.sin(_DR * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


def sun_longitude(jdn: float) -> float:
    """The Sun's apparent longitude (radians, 0–2π) at Julian date ``jdn`` (UT)."""
    t = (jdn - 2451545.0) / 36525
    t2 = t * t
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(_DR * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(_DR * 2 * m) + 0.000290 * math.sin(_DR * 3 * m)
    lon = (l0 + dl) * _DR
    return lon - 2 * math.pi * math.floor(lon / (2 * math.pi))


def new_moon_day(k: int, tz: float = VIETNAM_TZ) -> int:
    """Julian day number of the civil day (in time zone ``tz``) of the k-th new moon."""
    return math.floor(new_moon(k) + 0.5 + tz / 24)


def _sun_sector(day_number: int, tz: float) -> int:
    """Which of the 12 principal solar terms (0–11) the Sun is in at the start of the day."""
    return math.floor(sun_longitude(day_number - 0.5 - tz / 24) / math.pi * 6)


@lru_cache(maxsize=1024)
def _month11(year: int, tz: float) -> int:
    """Julian day number of the first day of lunar month 11 (the month of the winter solstice)
    that begins in solar ``year``."""
    off = jd(dt.date(year, 12, 31)) - 2415021
    k = math.floor(off / _SYNODIC)
    start = new_moon_day(k, tz)
    if _sun_sector(start, tz) >= 9:
        start = new_moon_day(k - 1, tz)
    return start


def _leap_month_offset(a11: int, tz: float) -> int:
    """Offset after month 11 of the first month without a principal term (the leap month)."""
    k = math.floor((a11 - _K0_JD) / _SYNODIC + 0.5)
    i = 1
    arc = _sun_sector(new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = _sun_sector(new_moon_day(k + i, tz), tz)
        if arc == last or i >= 14:
            break
    return i - 1


@lru_cache(maxsize=4096)
def to_solar(
    lunar_day: int, lunar_month: int, lunar_year: int, leap: bool = False, tz: float = VIETNAM_TZ
) -> dt.date:
    """The solar date of a lunar date (day, month, year; ``leap`` for the leap month).

    ValueError when the date does not exist (a leap month the year does not have, a day past
    the month's length).
    """
    if not (1 <= lunar_month <= 12 and 1 <= lunar_day <= 30):
        raise ValueError("ngày âm lịch không hợp lệ")
    if lunar_month < 11:
        a11, b11 = _month11(lunar_year - 1, tz), _month11(lunar_year, tz)
    else:
        a11, b11 = _month11(lunar_year, tz), _month11(lunar_year + 1, tz)
    k = math.floor(0.5 + (a11 - _K0_JD) / _SYNODIC)
    off = (lunar_month - 11) % 12
    if b11 - a11 > 365:
        leap_off = _leap_month_offset(a11, tz)
        leap_month = (leap_off - 2) % 12
        if leap and lunar_month != leap_month:
            raise ValueError("năm âm lịch này không có tháng nhuận đó")
        if leap or off >= leap_off:
            off += 1
    elif leap:
        raise ValueError("năm âm lịch này không có tháng nhuận")
    start = new_moon_day(k + off, tz)
    if lunar_day > new_moon_day(k + off + 1, tz) - start:
        raise ValueError("tháng âm lịch này không có ngày đó")
    return from_jd(start + lunar_day - 1)


def tet(year: int, tz: float = VIETNAM_TZ) -> dt.date:
    """Mùng 1 Tết (1/1 of the lunar year that begins in solar ``year``)."""
    return to_solar(1, 1, year, tz=tz)


def hung_kings(year: int, tz: float = VIETNAM_TZ) -> dt.date:
    """Giỗ Tổ Hùng Vương: 10/3 of the lunar year (never a leap third month)."""
    return to_solar(10, 3, year, tz=tz)
