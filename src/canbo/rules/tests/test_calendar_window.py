"""The career calendar reads only the tenures whose start can put a term end in its window
(issue 22: it read every open leadership tenure of the province and sorted them in Python), and
shows its rows a page at a time. The window is a filter in SQL that must never drop a term end:
these tests compare it with the term-by-term computation on starts of every day of the month,
29 February included, with a term length that changes between two A-1 versions.

The 4,000 posts those comparisons read are written once for the class ``TestPosts`` and kept for
its 19 tests (``rows_kept_for_the_scope``: one transaction around the class, each test a
savepoint inside it), since each of them only reads them; before, each test loaded the rulebook
and wrote them again (docs/performance.md, "Session 12: the suite")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from django.template import engines
from django.test import Client

from canbo.careers.models import Tenure
from canbo.conftest import make_title, make_tree, new_person, rows_kept_for_the_scope
from canbo.core.dates import today
from canbo.org.models import Title, Unit
from canbo.rules import selectors, views
from canbo.rules.engine.dates import add_years
from canbo.rules.engine.rulebook import Rulebook
from canbo.rules.services import rules_load


def first_term_end(book: Any, start: dt.date, day: dt.date) -> dt.date:
    """The reference: the first term end on or after ``day``, counted term by term."""
    years = selectors._term_years(book, start)
    k = 1
    while add_years(start, years * k) - dt.timedelta(days=1) < day:
        k += 1
    return add_years(start, years * k) - dt.timedelta(days=1)


def starts() -> list[dt.date]:
    """Every 5th day from 1972 to 2027, and every 29 February and 1 March of those years."""
    out = [dt.date(1972, 1, 1) + dt.timedelta(days=5 * i) for i in range(4020)]
    out += [dt.date(y, 2, 29) for y in range(1972, 2028, 4)] + [dt.date(y, 3, 1) for y in range(1972, 2028)]
    return out


def write_posts(tree: dict[str, Unit], title: Title) -> int:
    """A person holding a post begun on each of ``starts()``; returns the person's id."""
    person = new_person(tree["A1"], "Trần Văn Nhiệm", sex="nam", born=dt.date(1990, 1, 1))
    Tenure.objects.bulk_create(
        Tenure(person=person, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=s) for s in starts()
    )
    return person.pk


def build_posts() -> int:
    """The rows of ``TestPosts``, in the order its per-test fixtures wrote them before: the
    rulebook (``rules_loaded``), the tree, the title, then the person and the posts."""
    rules_load(acting_user=None)
    tree = make_tree()
    return write_posts(tree, make_title())


@pytest.fixture(scope="class")
def shared_posts(django_db_setup: Any, django_db_blocker: Any) -> Iterator[int]:
    """The person of the posts, written when the class's first test starts and rolled back after
    its last."""
    with rows_kept_for_the_scope(django_db_blocker, build_posts) as person_id:
        yield person_id


def three_year_terms_from(book: Rulebook, cut: dt.date) -> Rulebook:
    """``book`` with A-1 ending at ``cut`` and a version of 3-year terms from then on."""
    others = [v for v in book.all_versions() if v.rule_id != "A-1"]
    old = book.versions("A-1")[0]
    return Rulebook(
        [
            *others,
            replace(old, version=1, valid_from=None, valid_to=cut),
            replace(old, version=2, valid_from=cut, valid_to=None, params={"term_years": 3}),
        ]
    )


class TestPosts:
    """The tests that only read the posts."""

    @pytest.fixture
    def posts(self, shared_posts: int, db: Any) -> Any:
        return Tenure.objects.filter(person_id=shared_posts)

    @pytest.mark.parametrize("months", [1, 6, 36])
    @pytest.mark.parametrize("day", [dt.date(2026, 1, 1), dt.date(2028, 2, 28), dt.date(2027, 3, 1)])
    @pytest.mark.parametrize("book_kind", ["loaded", "changed"])
    def test_the_start_window_keeps_every_term_end_in_reach(
        self, posts: Any, months: int, day: dt.date, book_kind: str
    ) -> None:
        book = selectors.rulebook()
        if book_kind == "changed":
            book = three_year_terms_from(book, dt.date(2001, 7, 1))
        limit = add_years(day, 0) + dt.timedelta(days=31 * months) + selectors.NOTICE_REACH
        wanted = {t.pk for t in posts if day <= first_term_end(book, t.start_date, day) < limit}
        kept = set(posts.filter(selectors.term_end_window_q(book, day, limit)).values_list("pk", flat=True))
        assert wanted  # the fixture does reach the window
        assert wanted <= kept, sorted(posts.filter(pk__in=wanted - kept).values_list("start_date", flat=True))
        # and it is a filter: a few days of slack around each term, not every post
        assert len(kept) < 2 * len(wanted) + 40

    def test_a_term_begun_on_29_february_ends_the_day_before_its_anniversary(self, posts: Any) -> None:
        # Begun 29/02/2020: five years later is 28/02/2025 (no 29th), the term ends 27/02/2025; a
        # window ending on the 28th keeps it, although 28/02/2025 moved back five years is the 28th.
        book = selectors.rulebook()
        start = dt.date(2020, 2, 29)
        assert first_term_end(book, start, dt.date(2024, 12, 1)) == dt.date(2025, 2, 27)
        q = selectors.term_end_window_q(book, dt.date(2024, 12, 1), dt.date(2025, 2, 28))
        assert posts.filter(q, start_date=start).exists()


def reference_events(user: Any, day: dt.date, months: int) -> set[tuple[dt.date, str, int]]:
    """The term lines of the calendar as session 9 computed them: every open leadership tenure,
    term by term."""
    from canbo.people.models import Person
    from canbo.people.service_history import in_service_q
    from canbo.rules.engine import calculators as calc
    from canbo.rules.engine.dates import add_months

    book = selectors.rulebook()
    end = add_months(day, months)
    persons = Person.objects.restrict(user).filter(in_service_q(day))
    out = set()
    for t in Tenure.objects.filter(person__in=persons, title__is_leader=True):
        if t.end_date is not None and t.end_date < day:
            continue
        term_end = first_term_end(book, t.start_date, day)
        if t.end_date and t.end_date < term_end:
            continue
        if term_end < end:
            out.add((term_end, "het_nhiem_ky", t.person_id))
        due, _ = calc.notice_due(book, term_end)
        if day <= due < end:
            out.add((due, "thong_bao", t.person_id))
    return out


def test_the_calendar_lists_the_same_terms_as_term_by_term(
    rules_loaded: None, users: dict, tree: dict[str, Unit], title: Title
) -> None:
    day = dt.date(2026, 1, 1)
    for i, s in enumerate(starts()[::40]):
        p = new_person(tree["A1"], f"Lê Văn Kỳ {i}", sex="nam", born=dt.date(1980, 1, 1))
        ended = s + dt.timedelta(days=2000) if i % 3 == 0 else None  # some posts left
        Tenure.objects.create(
            person=p, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=s, end_date=ended
        )
    for user in (users["admin"], users["officer_a"]):
        got = {
            (e.day, e.kind, e.person_id)
            for e in selectors.calendar_events(user, day, 12, kinds={"het_nhiem_ky", "thong_bao"})
        }
        assert got == reference_events(user, day, 12)
        assert got
    assert not selectors.calendar_events(users["officer_b"], day, 12, kinds={"het_nhiem_ky", "thong_bao"})


def test_the_calendar_shows_its_rows_a_page_at_a_time(
    rules_loaded: None, users: dict, tree: dict[str, Unit], title: Title, monkeypatch: Any
) -> None:
    monkeypatch.setattr(views, "CALENDAR_PER_PAGE", 2)
    for i in range(3):
        p = new_person(tree["A1"], f"Phạm Văn Trang {i}", sex="nam", born=dt.date(1980, 1, 1))
        Tenure.objects.create(
            person=p, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2021, 3, 1 + i)
        )
    c = Client()
    c.force_login(users["officer_a"])
    q = {"thang": "12", "ngay": "01/01/2026", "loai": "het_nhiem_ky"}
    first = c.get("/quy-dinh/lich/", q).content.decode()
    assert "Trang 1/2, việc thứ 1 đến 2 trong 3 việc." in first
    assert "Hết nhiệm kỳ giữ chức vụ: <strong>3</strong>" in first  # the counts are of every page
    second = c.get("/quy-dinh/lich/", {**q, "trang": "2"}).content.decode()
    assert "Trang 2/2, việc thứ 3 đến 3 trong 3 việc." in second
    names = [re.findall(r"Phạm Văn Trang \d", html) for html in (first, second)]
    assert sorted(names[0] + names[1]) == [f"Phạm Văn Trang {i}" for i in range(3)]
    # a page that is not a number shows the first; one past the end, the last
    assert "Trang 1/2" in c.get("/quy-dinh/lich/", {**q, "trang": "abc"}).content.decode()
    assert "Trang 2/2" in c.get("/quy-dinh/lich/", {**q, "trang": "99"}).content.decode()


def test_the_rows_are_the_markup_the_template_made() -> None:
    event = selectors.CalendarEvent(
        today(),
        "het_nhiem_ky",
        "Hết nhiệm kỳ giữ chức vụ",
        42,
        'Trưởng phòng, Phòng "Nội vụ" <A> & B: hết nhiệm kỳ',
        "A-1",
        "Nguyễn Văn <An> & 'Bình'",
    )
    template = engines["django"].from_string(
        '{% for e in events %}<tr class="{{ e.kind }}"><td>{{ e.day|date:"d/m/Y" }}</td>'
        '<td>{{ e.kind_label }}</td><td><a href="{{ person_base }}{{ e.person_id }}/">'
        "{{ e.person_name }}</a></td><td>{{ e.detail }}</td><td>{{ e.rule }}</td></tr>{% endfor %}"
    )
    made = template.render({"events": [event, event], "person_base": "/can-bo/"})
    assert views.calendar_rows([event, event], "/can-bo/") == made


def test_the_birth_window_keeps_every_retirement_in_reach(
    rules_loaded: None, users: dict, tree: dict[str, Unit]
) -> None:
    """Births of every month from 1963 to 1974, of either sex (and some known by their year
    only): the calendar's retirements are those of the engine, person by person."""
    from canbo.core.dates import PRECISION_YEAR
    from canbo.people.models import Person
    from canbo.rules.engine import calculators as calc

    people = []
    for i in range(12 * 12):
        year, month = 1963 + i // 12, 1 + i % 12
        p = new_person(
            tree["A1"], f"Đỗ Văn Hưu {i}", sex="nam" if i % 2 else "nu", born=dt.date(year, month, 28)
        )
        people.append(p)
    for year in range(1963, 1975):
        for sex in ("nam", "nu"):
            p = new_person(tree["A1"], f"Đỗ Thị Năm {year}{sex}", sex=sex, born=dt.date(year, 1, 1))
            Person.objects.filter(pk=p.pk).update(birth_precision=PRECISION_YEAR)
            people.append(p)
    book = selectors.rulebook()
    for day, months in ((dt.date(2026, 1, 1), 12), (dt.date(2027, 7, 15), 6), (dt.date(2030, 2, 28), 36)):
        end = selectors.add_months(day, months)
        expected = set()
        for p in Person.objects.filter(pk__in=[x.pk for x in people]):
            ret = calc.retirement(book, selectors.birth_of(p))
            if day <= ret.date < end:
                expected.add((ret.date, p.pk))
        got = {
            (e.day, e.person_id)
            for e in selectors.calendar_events(users["officer_a"], day, months, kinds={"nghi_huu"})
        }
        assert got == expected, (day, sorted(got ^ expected))
        assert expected


def test_the_kept_statements_read_the_data_afresh(
    rules_loaded: None, users: dict, tree: dict[str, Unit]
) -> None:
    """The calendar's statements are compiled once per process (issue 22) and hold no data: an
    override recorded after a first calendar is in the next one (a list of the overrides' ids
    in the kept SQL would miss it), and the statements are those of the first request."""
    from canbo.rules.models import RetirementOverride

    user = users["officer_a"]
    day = dt.date(2026, 1, 1)
    p = new_person(tree["A1"], "Lý Văn Sớm", sex="nam", born=dt.date(1975, 5, 10))  # retires in 2037
    selectors.calendar_sql_reset()
    assert not [e for e in selectors.calendar_events(user, day, 12) if e.person_id == p.pk]
    kept = dict(selectors._SQL)
    assert len(kept) == 4  # overrides, retirements, tenures, disciplines
    RetirementOverride.objects.create(person=p, kind="som", year=2026, month=6, basis="QĐ 1/QĐ-UBND")
    due = [e for e in selectors.calendar_events(user, day, 12) if e.person_id == p.pk]
    assert [(e.kind, e.rule) for e in due] == [("nghi_huu", "H-5")]
    assert kept == selectors._SQL  # the same statements, not compiled again
    # another scope has its own statements, and sees nothing of A's
    assert not selectors.calendar_events(users["officer_b"], day, 12)
    assert len(selectors._SQL) == 8


def test_the_kept_statements_build_no_queryset(
    rules_loaded: None, users: dict, tree: dict[str, Unit], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second calendar of the same scope and window compiles nothing through the ORM."""
    from django.db.models.sql import Query

    compiled: list[int] = []
    real = Query.sql_with_params

    def counting(self: Query) -> Any:
        compiled.append(1)
        return real(self)

    monkeypatch.setattr(Query, "sql_with_params", counting)
    selectors.calendar_sql_reset()
    day = dt.date(2026, 1, 1)
    first = selectors.calendar_events(users["officer_a"], day, 6)
    assert len(compiled) == 4
    assert selectors.calendar_events(users["officer_a"], day, 6) == first
    assert len(compiled) == 4
