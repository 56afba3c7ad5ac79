"""Retirement (H-1–H-7): the schedule for every year 2020–2040, both sexes, partial dates."""

from __future__ import annotations

import datetime as dt

import pytest

from canbo.rules.engine.calculators import (
    age_on,
    months_left,
    required_months,
    retirement,
    retirement_month,
)
from canbo.rules.engine.facts import Birth, RetirementOverride
from canbo.rules.tests.engine_helpers import BOOK

# RULES.md §1 table, written out (years, months) for each year the age is reached.
TABLE_MEN = {2020: (60, 0), 2021: (60, 3), 2022: (60, 6), 2023: (60, 9), 2024: (61, 0), 2025: (61, 3),
             2026: (61, 6), 2027: (61, 9)}  # fmt: skip
TABLE_WOMEN = {2020: (55, 0), 2021: (55, 4), 2022: (55, 8), 2023: (56, 0), 2024: (56, 4), 2025: (56, 8),
               2026: (57, 0), 2027: (57, 4), 2028: (57, 8), 2029: (58, 0), 2030: (58, 4), 2031: (58, 8),
               2032: (59, 0), 2033: (59, 4), 2034: (59, 8)}  # fmt: skip


def table(sex: str, year: int) -> int:
    if sex == "nam":
        y, m = (60, 0) if year < 2020 else TABLE_MEN.get(year, (62, 0))
    else:
        y, m = (55, 0) if year < 2020 else TABLE_WOMEN.get(year, (60, 0))
    return y * 12 + m


def reference_month(sex: str, birth_year: int, birth_month: int) -> tuple[int, int]:
    """RULES.md's reference algorithm, kept literally as the oracle."""
    y, m = birth_year, birth_month
    while (y - birth_year) * 12 + (m - birth_month) < table(sex, y):
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return y, m


@pytest.mark.parametrize("sex", ["nam", "nu"])
@pytest.mark.parametrize("year", range(2020, 2041))
def test_required_age_per_year(sex: str, year: int) -> None:
    assert required_months(BOOK, sex, year) == table(sex, year)


@pytest.mark.parametrize("sex", ["nam", "nu"])
@pytest.mark.parametrize("year", range(2020, 2041))
def test_every_birth_month_retiring_in_the_year_matches_the_reference(sex: str, year: int) -> None:
    """Every birth month whose retirement month falls in ``year`` agrees with the reference loop."""
    seen = 0
    for birth_year in range(year - 63, year - 54):
        for birth_month in range(1, 13):
            expected = reference_month(sex, birth_year, birth_month)
            got = retirement_month(BOOK, sex, birth_year, birth_month)[:2]
            assert got == expected, (sex, birth_year, birth_month)
            seen += expected[0] == year
    assert seen > 0


@pytest.mark.parametrize(
    ("sex", "born", "retire", "pension"),
    [
        ("nam", (1961, 1), (2021, 4), (2021, 5)),
        ("nam", (1963, 1), (2023, 10), (2023, 11)),
        ("nam", (1963, 4), (2024, 4), (2024, 5)),
        ("nam", (1964, 10), (2026, 4), (2026, 5)),
        ("nu", (1968, 9), (2025, 5), (2025, 6)),
        ("nu", (1969, 5), (2026, 5), (2026, 6)),
    ],
)
def test_acceptance_vectors(sex: str, born: tuple[int, int], retire: tuple, pension: tuple) -> None:
    r = retirement(BOOK, Birth(sex, *born))
    assert (r.year, r.month) == retire
    assert (r.pension_start.year, r.pension_start.month) == pension
    assert r.pension_start.day == 1


def test_retirement_date_is_the_last_day_of_the_month() -> None:
    # Women born 6/1971: 2027 needs 57y4m -> 10/2028 needs 57y8m... the reference decides; the
    # date is always the month's last day, including February of a leap year.
    for sex, by, bm in [("nam", 1966, 11), ("nu", 1972, 6), ("nu", 1970, 10)]:
        r = retirement(BOOK, Birth(sex, by, bm))
        assert (r.date + dt.timedelta(days=1)).day == 1
    feb = next(
        retirement(BOOK, Birth("nam", by, bm))
        for by in range(1960, 1980)
        for bm in range(1, 13)
        if retirement(BOOK, Birth("nam", by, bm)).month == 2
        and retirement(BOOK, Birth("nam", by, bm)).year % 4 == 0
    )
    assert feb.date.day == 29


def test_partial_dates_day_never_matters_year_only_is_january() -> None:
    full = retirement(BOOK, Birth("nu", 1970, 7, 31))
    month_only = retirement(BOOK, Birth("nu", 1970, 7))
    assert (full.year, full.month) == (month_only.year, month_only.month)
    year_only = retirement(BOOK, Birth("nu", 1970))
    january = retirement(BOOK, Birth("nu", 1970, 1))
    assert (year_only.year, year_only.month) == (january.year, january.month)
    assert year_only.assumed_january and not january.assumed_january


def test_retirement_age_reported() -> None:
    r = retirement(BOOK, Birth("nam", 1964, 10))
    assert r.age == (61, 6)


def test_override_replaces_the_schedule() -> None:
    birth = Birth("nam", 1970, 3)
    normal = retirement(BOOK, birth)
    early = retirement(BOOK, birth, RetirementOverride(2027, 3, "som", "QĐ 12/QĐ-UBND"))
    assert (early.year, early.month) == (2027, 3) and early.date == dt.date(2027, 3, 31)
    assert early.age == (57, 0)
    assert (normal.year, normal.month) != (2027, 3)


def test_months_left_counts_whole_months_to_the_retirement_moment() -> None:
    r = retirement(BOOK, Birth("nam", 1964, 10))  # retires end of 30/4/2026
    assert months_left(r, dt.date(2026, 1, 1)) == 4
    assert months_left(r, dt.date(2026, 1, 15)) == 3
    assert months_left(r, dt.date(2026, 5, 1)) == 0
    assert months_left(r, dt.date(2021, 5, 1)) == 60


def test_age_on_a_date() -> None:
    assert age_on(Birth("nu", 1980, 5, 17), dt.date(2026, 5, 16)) == (45, 11)
    assert age_on(Birth("nu", 1980, 5, 17), dt.date(2026, 5, 17)) == (46, 0)
    assert age_on(Birth("nu", 1980), dt.date(2026, 1, 1)) == (46, 0)


@pytest.mark.parametrize(
    ("born", "retire", "version", "basis"),
    [
        ((1953, 6), (2013, 6), 2, "BLLĐ 2012 Điều 187"),  # a 2013 retirement: BLLĐ 2012
        ((1952, 12), (2012, 12), 1, "BLLĐ 1994"),
        ((1953, 3), (2013, 3), 1, "BLLĐ 1994"),  # before BLLĐ 2012 took effect on 1/5/2013
        ((1960, 6), (2020, 6), 2, "BLLĐ 2012 Điều 187"),
        ((1961, 1), (2021, 4), 3, "BLLĐ 2019 Điều 169"),
    ],
)
def test_retirement_cites_the_labour_code_in_force_then(
    born: tuple[int, int], retire: tuple[int, int], version: int, basis: str
) -> None:
    r = retirement(BOOK, Birth("nam", *born))
    assert (r.year, r.month) == retire
    assert r.version is not None and r.version.version == version
    assert r.basis.startswith(basis) and f"H-1 v{version}" in r.basis
