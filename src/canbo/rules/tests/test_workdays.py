"""The working-day calendar: the Vietnamese lunar calendar (UTC+7), statutory holidays,
compensatory days, the administrator's adjustments, and the notice dates they move."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from canbo.core.models import ObjectChange
from canbo.rules import selectors, services
from canbo.rules.engine import lunar
from canbo.rules.engine.calculators import notice_due
from canbo.rules.engine.dates import is_working_day, working_days_before
from canbo.rules.engine.rulebook import DATA_DIR, holidays_from_data, read_toml
from canbo.rules.engine.workdays import COMPENSATORY, WorkCalendar, computed_days, statutory_days
from canbo.rules.models import Holiday, Source
from canbo.rules.tests.engine_helpers import BOOK

D = dt.date

# Mùng 1 Tết as published in Vietnam, and (where it differs) in China (UTC+8).
KNOWN_TET = {
    1985: (D(1985, 1, 21), D(1985, 2, 20)),
    2007: (D(2007, 2, 17), D(2007, 2, 18)),
    2020: (D(2020, 1, 25), D(2020, 1, 25)),
    2023: (D(2023, 1, 22), D(2023, 1, 22)),
    2024: (D(2024, 2, 10), D(2024, 2, 10)),
    2025: (D(2025, 1, 29), D(2025, 1, 29)),
    2026: (D(2026, 2, 17), D(2026, 2, 17)),
    2027: (D(2027, 2, 6), D(2027, 2, 6)),
    2028: (D(2028, 1, 26), D(2028, 1, 26)),
    2029: (D(2029, 2, 13), D(2029, 2, 13)),
    2030: (D(2030, 2, 2), D(2030, 2, 3)),  # new moon 2/2/2030 at 23:07 in Hà Nội
    2031: (D(2031, 1, 23), D(2031, 1, 23)),
    2053: (D(2053, 2, 18), D(2053, 2, 19)),
}
KNOWN_HUNG_KINGS = {
    2020: D(2020, 4, 2),
    2021: D(2021, 4, 21),
    2022: D(2022, 4, 10),
    2023: D(2023, 4, 29),
    2024: D(2024, 4, 18),
    2025: D(2025, 4, 7),
    2026: D(2026, 4, 26),
}


@pytest.mark.parametrize("year", sorted(KNOWN_TET))
def test_tet_is_the_vietnamese_new_moon_not_the_chinese_one(year: int) -> None:
    vietnam, china = KNOWN_TET[year]
    assert lunar.tet(year) == vietnam
    assert lunar.tet(year, tz=8) == china


@pytest.mark.parametrize("year", sorted(KNOWN_HUNG_KINGS))
def test_hung_kings_day(year: int) -> None:
    assert lunar.hung_kings(year) == KNOWN_HUNG_KINGS[year]


def test_lunar_calendar_covers_1900_to_2199() -> None:
    previous = None
    for year in range(1900, 2200):
        tet = lunar.tet(year)
        assert D(year, 1, 20) <= tet <= D(year, 2, 21), year
        if previous is not None:
            assert 353 <= (tet - previous).days <= 385, year  # 12 or 13 lunar months
        previous = tet
        assert D(year, 3, 28) <= lunar.hung_kings(year) <= D(year, 4, 30)
    with pytest.raises(ValueError):
        lunar.to_solar(1, 4, 2024, leap=True)  # 2024 (Giáp Thìn) has no leap month


def test_tet_2030_days_and_their_compensatory_days() -> None:
    days = {d.day: d for d in computed_days(2030)}
    # The last day of Kỷ Dậu and mùng 1–4 of Canh Tuất: 1–5/2/2030; 2/2 and 3/2 are a weekend.
    assert [d for d in (D(2030, 2, 1) + dt.timedelta(days=i) for i in range(5))] == [
        d for d in days if D(2030, 2, 1) <= d <= D(2030, 2, 5)
    ]
    assert days[D(2030, 2, 6)].kind == COMPENSATORY and days[D(2030, 2, 7)].kind == COMPENSATORY
    assert is_working_day(D(2030, 2, 8), BOOK.holidays)


def test_compensatory_days_follow_weekend_holidays() -> None:
    cal = WorkCalendar()
    # 2023: Giỗ Tổ Saturday 29/4, 30/4 Sunday, 1/5 Monday: off 29/4–3/5, as the 2023 notice said.
    assert [d for d in cal.days_off(D(2023, 4, 28), D(2023, 5, 5))] == [
        D(2023, 4, 29), D(2023, 4, 30), D(2023, 5, 1), D(2023, 5, 2), D(2023, 5, 3)
    ]  # fmt: skip
    assert is_working_day(D(2023, 5, 4), cal)
    # 2026: Giỗ Tổ on Sunday 26/4 gives Monday 27/4.
    assert not is_working_day(D(2026, 4, 27), cal)
    # 2029: 1/9 Saturday and 2/9 Sunday give Monday 3/9 and Tuesday 4/9.
    assert not is_working_day(D(2029, 9, 3), cal) and not is_working_day(D(2029, 9, 4), cal)
    assert is_working_day(D(2029, 9, 5), cal)
    # Before 2021 Quốc khánh was one day; before 2014 Tết was four.
    assert D(2020, 9, 1) not in cal and D(2021, 9, 1) in cal
    assert len([d for d in statutory_days(2012) if "Tết Nguyên đán" in d.name]) == 4


def test_shipped_adjustments_swap_a_bridge_day_for_a_saturday() -> None:
    shipped = {h.day: h for h in holidays_from_data(read_toml(DATA_DIR / "holidays.toml"))}
    assert shipped[D(2025, 5, 2)].working is False and shipped[D(2025, 4, 26)].working is True
    assert not is_working_day(D(2025, 5, 2), BOOK.holidays)  # Friday off
    assert is_working_day(D(2025, 4, 26), BOOK.holidays)  # Saturday worked
    assert not is_working_day(D(2025, 4, 26), WorkCalendar())  # without the adjustment


# The last day to notify before a term ending on 31/3 of each year (90 working days, A-13),
# checked by hand for 2026 and 2030 (6 weekday holidays each: 1/1 and Tết; in 2030 the
# compensatory 6–7/2 for Tết on the weekend).
NOTICE_DUE_31_MARCH = {
    2026: D(2025, 11, 18),
    2027: D(2026, 11, 18),
    2028: D(2027, 11, 19),
    2029: D(2028, 11, 17),
    2030: D(2029, 11, 16),
    2031: D(2030, 11, 18),
    2032: D(2031, 11, 19),
    2033: D(2032, 11, 18),
    2034: D(2033, 11, 18),
    2035: D(2034, 11, 17),
}


@pytest.mark.parametrize("year", sorted(NOTICE_DUE_31_MARCH))
def test_reappointment_notice_dates_2026_to_2035(year: int) -> None:
    term_end = D(year, 3, 31)
    due, _ = notice_due(BOOK, term_end)
    assert due == NOTICE_DUE_31_MARCH[year]
    # Exactly 90 working days from the due date to the term's last day.
    days = [due + dt.timedelta(days=i) for i in range((term_end - due).days + 1)]
    assert sum(is_working_day(d, BOOK.holidays) for d in days) == 90
    assert due < working_days_before(term_end + dt.timedelta(days=1), 90, frozenset())


@pytest.mark.django_db
def test_loader_removes_the_statutory_rows_it_wrote_before(rules_loaded: None, users: dict) -> None:
    """An old database held every holiday 2020–2030 as rows (Tết 2030 on the Chinese date): the
    loader removes the rows it wrote, through the log, and keeps the administrator's."""
    old = Holiday.objects.create(day=D(2030, 2, 6), name="Tết Nguyên đán (mùng 4)", source=Source.DATA)
    wrong = Holiday.objects.create(day=D(2030, 2, 8), name="Sai", source=Source.DATA)
    own = services.holiday_add(day=D(2030, 2, 11), name="Nghỉ thêm", acting_user=users["admin"])
    report = services.rules_load()
    assert report.removed_holidays == 2
    assert not Holiday.objects.filter(pk__in=[old.pk, wrong.pk]).exists()
    assert Holiday.objects.filter(pk=own.pk).exists()
    ct = ContentType.objects.get_for_model(Holiday)
    assert ObjectChange.objects.filter(content_type=ct, action="delete", object_id=wrong.pk).exists()
    book = selectors.rulebook()
    assert is_working_day(D(2030, 2, 8), book.holidays)
    assert not is_working_day(D(2030, 2, 1), book.holidays)  # the last day of Kỷ Dậu
    assert not is_working_day(D(2030, 2, 11), book.holidays)


@pytest.mark.django_db
def test_swapped_working_saturday_moves_the_notice_date(rules_loaded: None, users: dict) -> None:
    term_end = D(2027, 3, 31)
    before, _ = notice_due(selectors.rulebook(), term_end)
    services.holiday_add(
        day=before + dt.timedelta(days=(5 - before.weekday()) % 7),
        name="Làm bù (thử)",
        working=True,
        acting_user=users["admin"],
    )
    after, _ = notice_due(selectors.rulebook(), term_end)
    assert after > before


@pytest.mark.django_db
def test_holiday_page_shows_computed_days_and_refuses_bad_years(rules_loaded: None, users: dict) -> None:
    from django.test import Client

    c = Client()
    c.force_login(users["officer_a"])
    html = c.get("/quy-dinh/ngay-nghi/", {"nam": "2030"}).content.decode()
    assert "02/02/2030" in html and "Tết Nguyên đán (mùng 1)" in html
    assert "07/02/2030" in html and "Nghỉ bù" in html
    assert c.get("/quy-dinh/ngay-nghi/", {"nam": "2031"}).status_code == 200
    for bad in ("1899", "99999999999999999999", "²", "abc"):
        assert c.get("/quy-dinh/ngay-nghi/", {"nam": bad}).status_code == 400
