"""The generator's shortcuts give what the plain computation gives (no database)."""

from __future__ import annotations

import datetime as dt
import random

from canbo.demo import names
from canbo.demo.people import month_end, retirement_end


def _month_by_month(sex: str, birth: dt.date) -> dt.date:
    """The retirement month walked one month at a time from the birth (RULES.md H-1, H-2)."""
    start, step, cap = (720, 3, 744) if sex == "nam" else (660, 4, 720)
    y, m = birth.year, birth.month
    while True:
        need = start if y < 2021 else min(start + step * (y - 2020), cap)
        if (y - birth.year) * 12 + (m - birth.month) >= need:
            return month_end(y, m)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def test_the_retirement_month_is_the_month_by_month_one() -> None:
    """Every month of birth from 1940 to 2005, for both sexes (across the 2021 reform's steps
    and caps, and the turn of each year), gives the month the month-by-month walk gives."""
    rng = random.Random(5)
    for year in range(1940, 2006):
        for month in range(1, 13):
            birth = dt.date(year, month, rng.randint(1, 28))
            for sex in ("nam", "nu"):
                assert retirement_end(sex, birth) == _month_by_month(sex, birth), (sex, birth)


def test_a_weighted_pick_is_the_same_with_the_sum_kept() -> None:
    """``names.pick`` keeps each list's sum: the values drawn equal those of a pick that sums the
    weights every time, for every weighted list of the module, and a new list of the same id is
    summed afresh."""

    def plain(rng: random.Random, items: names.Weighted) -> str:
        x = rng.random() * sum(w for _, w in items)
        for value, weight in items:
            x -= weight
            if x < 0:
                return value
        return items[-1][0]

    lists = [names.OFFICIAL_ETHNICITIES, names.COMMUNE_ETHNICITIES, names.CITIZEN_ETHNICITIES]
    lists += [names.RELIGIONS, names.MINORITY_RELIGIONS, names.KINH_FAMILY, names.KINH_MIDDLE_M]
    lists += [names.KINH_MIDDLE_F] + [w for m in names.MINORITY_NAMES.values() for w in m[:3]]
    a, b = random.Random(9), random.Random(9)
    for _ in range(20):
        for items in lists:
            assert names.pick(a, items) == plain(b, items)
    for n in range(200):  # short-lived lists: ids are reused, their sums are not
        items = [("a", 1.0), ("b", float(n))]
        assert names.pick(a, items) == plain(b, items)
