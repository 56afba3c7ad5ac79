"""Reads of the rulebook, and the bridge from the dossier to the engine's facts.

Every read of personnel data goes through ``restrict(user)``: a verdict or a calendar never
shows what the user could not see on the person page (sensitive sections included).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from django.db import connection
from django.db.models import Q

from canbo.assessment.models import Discipline, PoliticalConclusion, Rating
from canbo.careers.models import BodyMembership, Tenure, on_date_q
from canbo.core.context import bound_context
from canbo.core.dates import PRECISION_DAY, PRECISION_MONTH, PRECISION_YEAR
from canbo.core.hooks import Hook
from canbo.core.querysets import grant_scope
from canbo.org.models import Title, Unit
from canbo.org.selectors import unit_index, unit_label
from canbo.people.models import HealthRecord, PartyMembership, Person
from canbo.people.sections import read_records
from canbo.people.service_history import in_service_q
from canbo.rules.engine import calculators as calc
from canbo.rules.engine import facts as F
from canbo.rules.engine.checks import check
from canbo.rules.engine.dates import add_months, add_years
from canbo.rules.engine.rulebook import (
    Holiday as EngineHoliday,
)
from canbo.rules.engine.rulebook import (
    Rulebook,
    load_rulebook,
    rule_sort_key,
)
from canbo.rules.engine.rulebook import (
    RuleVersion as EngineVersion,
)
from canbo.rules.engine.verdict import Verdict
from canbo.rules.engine.workdays import WorkCalendar
from canbo.rules.models import Holiday, RetirementOverride, RuleException, RuleVersion

# The rulebook is immutable once built and changes only when an administrator loads or edits
# rules or days off, so it is kept in the process, keyed by a stamp of both tables (count, last
# change, last id: one small query) read at most once per request, as the unit labels are
# (org/selectors.py): a change made in another process shows on the next request. The working-day
# counts its calendar remembers live as long as it does.
_book: tuple[tuple[Any, ...], Rulebook] | None = None
_book_checked_for: Any = None
_book_lock = threading.Lock()


def _rules_stamp() -> tuple[Any, ...]:
    parts = []
    for model in (RuleVersion, Holiday):
        table = connection.ops.quote_name(model._meta.db_table)
        parts += [
            f"(SELECT COUNT(*) FROM {table})",  # noqa: S608 (a model's table name, no input)
            f"(SELECT MAX(last_updated) FROM {table})",  # noqa: S608
            f"(SELECT MAX(id) FROM {table})",  # noqa: S608
        ]
    with connection.cursor() as cur:
        cur.execute("SELECT " + ", ".join(parts))  # table names from the models, no input
        row = cur.fetchone()
    return tuple(row)


def rulebook() -> Rulebook:
    """The engine's rulebook, current as of this request (see the note above)."""
    global _book, _book_checked_for
    bound = bound_context()
    key = bound.request_id if bound is not None else None
    with _book_lock:
        if _book is not None and key is not None and _book_checked_for == key:
            return _book[1]
        stamp = _rules_stamp()
        if _book is None or _book[0] != stamp:
            _book = (stamp, _read_rulebook())
        _book_checked_for = key
        return _book[1]


def rulebook_reset() -> None:
    """Forget the kept rulebook (tests: each test loads its own rules)."""
    global _book, _book_checked_for
    with _book_lock:
        _book = None
        _book_checked_for = None


def _read_rulebook() -> Rulebook:
    """The engine's rulebook from the database; the repository's data when nothing is loaded yet."""
    rows = list(RuleVersion.objects.all())
    if not rows:
        return load_rulebook()
    versions = [
        EngineVersion(
            rule_id=r.rule_id,
            version=r.version,
            name=r.name,
            statement=r.statement,
            basis=r.basis,
            confidence=r.confidence,
            valid_from=r.valid_from,
            valid_to=r.valid_to,
            params=dict(r.params),
            confidence_note=r.confidence_note,
            parameters_text=r.parameters_text,
            in_force_text=r.in_force_text,
            statement_vi=r.statement_vi,
        )
        for r in rows
    ]
    holidays = [EngineHoliday(h.day, h.name, h.working) for h in Holiday.objects.all()]
    return Rulebook(versions, holidays)


def work_calendar() -> WorkCalendar:
    """The working-day calendar alone (computed holidays plus the administrator's adjustments)."""
    return WorkCalendar(
        EngineHoliday(h.day, h.name, h.working).as_calendar_day() for h in Holiday.objects.all()
    )


def is_loaded() -> bool:
    return RuleVersion.objects.exists()


@dataclass
class RuleEntry:
    rule_id: str
    name: str
    versions: list[RuleVersion]

    @property
    def current(self) -> RuleVersion:
        return self.versions[-1]

    @property
    def topic(self) -> str:
        return self.rule_id.split("-")[0]


TOPICS = {
    "H": "Nghỉ hưu",
    "P": "Quy hoạch",
    "A": "Bổ nhiệm, bổ nhiệm lại",
    "R": "Luân chuyển",
    "V": "Lấy phiếu tín nhiệm",
    "E": "Đánh giá, xếp loại",
    "D": "Kỷ luật",
    "T": "Tiêu chuẩn chính trị, trình độ",
    "K": "Cấp ủy, nhiệm kỳ, người địa phương",
    "G": "Sắp xếp đơn vị hành chính 2025",
    "N": "Cơ sở dữ liệu quốc gia",
    "S": "Tiền lương, nâng bậc lương",
}


def rule_entries(topic: str | None = None) -> list[tuple[str, str, list[RuleEntry]]]:
    """Rules grouped by topic, each with all its versions (oldest first)."""
    by_rule: dict[str, list[RuleVersion]] = defaultdict(list)
    qs = RuleVersion.objects.all().order_by("rule_id", "version")
    for r in qs:
        by_rule[r.rule_id].append(r)
    groups: dict[str, list[RuleEntry]] = defaultdict(list)
    for rid in sorted(by_rule, key=rule_sort_key):
        entry = RuleEntry(rid, by_rule[rid][-1].name, by_rule[rid])
        if topic and entry.topic != topic:
            continue
        groups[entry.topic].append(entry)
    return [(t, TOPICS.get(t, t), groups[t]) for t in TOPICS if groups.get(t)]


# -- the dossier as engine facts -------------------------------------------------------------


@dataclass
class PersonCandidate:
    """A person offered by the check page's picker: who, born when, in which unit (with its
    parent, so that two units of the same name are told apart)."""

    person: Person
    unit_label: str


def person_candidates(user: Any, text: str, *, limit: int) -> list[PersonCandidate]:
    """Up to ``limit + 1`` people ``user`` may see whose name (or personal id) matches ``text``,
    in name order (one more than ``limit`` tells the caller there are more)."""
    from canbo.people.search import name_results

    text = text.strip()
    if not text:
        return []
    base = Person.objects.restrict(user).select_related("managing_unit").order_by("sort_key", "id")
    people = list(name_results(base, text, user=user)[: limit + 1])
    parent_paths = {
        p.managing_unit.path[: -Unit.steplen]
        for p in people
        if p.managing_unit is not None and len(p.managing_unit.path) > Unit.steplen
    }
    parents = dict(Unit.objects.filter(path__in=parent_paths).values_list("path", "name"))
    out = []
    for p in people:
        unit = p.managing_unit
        label = ""
        if unit is not None:
            parent = parents.get(unit.path[: -Unit.steplen])
            label = f"{unit.name}, {parent}" if parent else unit.name
        out.append(PersonCandidate(p, label))
    return out


def birth_of(person: Person) -> F.Birth:
    b = person.birth_date
    if person.birth_precision == PRECISION_YEAR:
        return F.Birth(person.sex, b.year)
    if person.birth_precision == PRECISION_MONTH:
        return F.Birth(person.sex, b.year, b.month)
    return F.Birth(person.sex, b.year, b.month, b.day if person.birth_precision == PRECISION_DAY else None)


def title_info(title: Title) -> F.TitleInfo:
    return F.TitleInfo(
        code=title.code,
        name=title.name,
        rank=title.rank if title.rank else None,
        level=title.level,
        group=title.group,
        is_leader=title.is_leader,
        head_kind=title.head_kind,
    )


def override_of(user: Any, person: Person) -> F.RetirementOverride | None:
    o = RetirementOverride.objects.restrict(user).filter(person=person).first()
    return F.RetirementOverride(o.year, o.month, o.kind, o.basis) if o else None


def _records(user: Any, person: Person, model: Any, *related: str) -> list[Any]:
    """The person's records of a dossier section, through the user's grants: the rows the person
    page already read in this request (``people.sections.read_records``: the same rows, the page
    having shown them to this user), else one query."""
    read = read_records(person, model)
    if read is not None:
        return list(read)
    qs = model.objects.restrict(user).filter(person=person)
    return list(qs.select_related(*related) if related else qs)


def person_facts(
    user: Any, person: Person, *, with_planning: bool = True, with_notices: bool = True
) -> F.PersonFacts:
    """The engine's view of one dossier, read through the user's grants.

    Sections the user may not see (the political-standard conclusion is sensitive) are simply
    absent, so the rules that need them answer "cannot decide" rather than pass.
    """
    tenures = _records(user, person, Tenure, "title", "unit")
    tenures.sort(key=lambda t: t.start_date)
    ratings = [r for r in _records(user, person, Rating) if r.period == "nam"]
    party = _records(user, person, PartyMembership)
    return F.PersonFacts(
        person_id=person.pk,
        name=person.full_name,
        birth=birth_of(person),
        override=override_of(user, person),
        tenures=tuple(
            F.TenureFact(
                title=title_info(t.title),
                unit_id=t.unit_id,
                unit_name=unit_label(t.unit_id),
                start=t.start_date,
                end=t.end_date,
                kind=t.kind,
                is_primary=t.is_primary,
                decision=t.decision_number,
            )
            for t in tenures
        ),
        disciplines=tuple(
            F.DisciplineFact(
                system=d.system,
                form=d.form,
                decision_date=d.decision_date,
                effective_date=d.effective_date,
                announced_date=d.announced_date,
                decision=d.decision_number,
                duty_related=d.duty_related,
            )
            for d in _records(user, person, Discipline)
        ),
        political=tuple(
            F.PoliticalFact(c.conclusion_date, c.meets_standard, c.ceiling, c.issuing_body)
            for c in _records(user, person, PoliticalConclusion)
        ),
        ratings=tuple(F.RatingFact(r.system, r.year, r.level, r.decision_date) for r in ratings),
        health=tuple(F.HealthFact(h.check_date, h.status) for h in _records(user, person, HealthRecord)),
        memberships=tuple(
            F.MembershipFact(m.kind, m.start_date, m.end_date) for m in _records(user, person, BodyMembership)
        ),
        is_party_member=any(m.left_date is None for m in party),
        planning=planning_facts(user, person) if with_planning else None,
        retirement_notices=retirement_notice_facts(user, person) if with_notices else (),
    )


# Facts other apps keep about a person, registered in their ``AppConfig.ready()`` (rules imports
# neither): salary its retirement notices (H-9), planning its entries and its P-2 counts.
#: (user, person) → the notices and decisions recorded as issued for the person.
retirement_notice_facts = Hook("retirement notices of a person")
#: (user, person, day, retirement, facts, book) → what the career calendar shows of the salary:
#: the next raise and the retirement notice's status (``salary`` registers ``salary_calendar``).
salary_calendar = Hook("salary lines of the career calendar")
#: (user, person) → the person's planning entries in the lists the user may see.
planning_facts = Hook("planning entries of a person")
#: (user, person, title, day) → P-2 counts from the dossier, or None when he is in no list.
planning_counts = Hook("P-2 counts of a person")


def verdict(
    user: Any, person: Person, purpose: str, title: Title, day: dt.date, declared: F.Declared | None = None
) -> Verdict:
    """Judge ``person`` (already fetched through the user's grants) for ``title`` on ``day``.

    Planning status, discipline, political-standard conclusions, health and tenures come from the
    dossier; so do the P-2 counts when he is already in a list for the title. ``declared`` holds
    only what the dossier does not.
    """
    declared = declared or F.Declared()
    if purpose == "planning" and (
        declared.people_planned_for_title is None or declared.titles_planned_same_level is None
    ):
        counts = planning_counts(user, person, title, day)
        if counts is not None:
            people, titles = declared.people_planned_for_title, declared.titles_planned_same_level
            declared = replace(
                declared,
                people_planned_for_title=counts[0] if people is None else people,
                titles_planned_same_level=counts[1] if titles is None else titles,
            )
    return check(rulebook(), purpose, person_facts(user, person), title_info(title), day, declared)


# -- the career calendar ---------------------------------------------------------------------


@dataclass
class TermLine:
    title: str
    unit: str
    term_start: dt.date
    term_end: dt.date
    consecutive_terms: int
    notice_due: dt.date


@dataclass
class WindowLine:
    label: str
    decision_date: dt.date
    blocks: str
    start: dt.date
    last_blocked_day: dt.date
    rule: str
    active: bool
    lapse: dt.date | None
    lapse_never: bool


@dataclass
class PersonCalendar:
    """What the person page shows under "Lịch công tác"."""

    day: dt.date
    retirement: calc.Retirement | None
    months_left: int | None
    age: tuple[int, int] | None
    terms: list[TermLine] = field(default_factory=list)
    windows: list[WindowLine] = field(default_factory=list)
    birth_note: str = ""
    salary: Any = None  # salary.agenda.SalaryCalendar: the next raise, the retirement notice


def person_calendar(user: Any, person: Person, day: dt.date) -> PersonCalendar:
    book = rulebook()
    # the calendar judges nothing: it reads neither planning nor the notices (H-9)
    facts = person_facts(user, person, with_planning=False, with_notices=False)
    ret = calc.retirement(book, facts.birth, facts.override) if facts.birth else None
    cal = PersonCalendar(
        day=day,
        retirement=ret,
        months_left=calc.months_left(ret, day) if ret else None,
        age=calc.age_on(facts.birth, day) if facts.birth else None,
        birth_note="Chỉ biết năm sinh: tính như sinh ngày 01/01 (H-3)."
        if person.birth_precision == PRECISION_YEAR
        else "",
    )
    cal.salary = salary_calendar(user, person, day, ret, facts, book)
    leader_titles = {t.title.code for t in facts.tenures if t.title.is_leader}
    for code in sorted(leader_titles):
        info = calc.term_info(book, tuple(t for t in facts.tenures if t.title.code == code), day)
        if info is None:
            continue
        due, _ = calc.notice_due(book, info.term_end)
        cal.terms.append(
            TermLine(
                info.tenure.title.name,
                info.tenure.unit_name,
                info.term_start,
                info.term_end,
                info.consecutive_terms,
                due,
            )
        )
    for d in sorted(facts.disciplines, key=lambda d: d.decision_date):
        if d.decision_date > day:
            continue
        w = calc.discipline_window(book, d, day)
        lapse, lapse_rule, _ = calc.party_lapse(book, d)
        if w is None and lapse_rule is None:
            continue
        cal.windows.append(
            WindowLine(
                label=d.label,
                decision_date=d.decision_date,
                blocks=w.blocks if w else "",
                start=w.start if w else d.decision_date,
                last_blocked_day=(w.end - dt.timedelta(days=1)) if w else d.decision_date,
                rule=w.version.label if w else "",
                active=bool(w and w.covers(day)),
                lapse=lapse,
                lapse_never=lapse_rule is not None and lapse is None,
            )
        )
    return cal


@dataclass
class CalendarEvent:
    day: dt.date
    kind: str  # nghi_huu / het_nhiem_ky / thong_bao / het_ky_luat / het_han_che
    kind_label: str
    person_id: int
    detail: str
    rule: str
    person_name: str = ""
    sort_key: str = ""


EVENT_KINDS = {
    "nghi_huu": "Nghỉ hưu",
    "het_nhiem_ky": "Hết nhiệm kỳ giữ chức vụ",
    "thong_bao": "Hạn thông báo bổ nhiệm lại",
    "het_ky_luat": "Kỷ luật Đảng hết hiệu lực",
    "het_han_che": "Hết thời hạn không quy hoạch, bổ nhiệm",
}

# 90 working days are at most about 140 calendar days; a term ending later than this after the
# window cannot have its notice fall due inside it.
NOTICE_REACH = dt.timedelta(days=200)
# Tenures that began more than this many years before the calendar's date are not sorted out
# term by term in SQL: they are all read (none in practice: nobody serves fifty years).
TERM_FLOOR_YEARS = 50
# Slack of the start-date ranges: ``add_years`` moves 29 February to the 28th.
TERM_SLACK = dt.timedelta(days=3)


def _term_years(book: Any, start: dt.date) -> int:
    """The term length (A-1) of a tenure that began on ``start``."""
    return int((book.find("A-1", start) or book.latest("A-1")).params.get("term_years", 5))


def term_end_window_q(book: Any, day: dt.date, limit: dt.date, each: Q | None = None) -> Q:
    """Tenures (by ``start_date``) that may have a term end in [``day``, ``limit``): a term ends
    the day before the start's anniversary after a whole number k ≥ 1 of terms, so the start
    lies, for some k, within ``[day + 1, limit]`` moved back k terms. One date range per k, by
    stretches of the A-1 versions (the term length can differ by start date): an indexed
    filter on the start, a superset by a few days (``calendar_events`` decides exactly), so the
    province's thousands of open posts are not all read to keep a few hundred.

    The ranges are a flat OR, each with ``each`` (the calendar's leadership titles) inside it:
    SQLite then reads each range through the (title, start) index instead of every leadership
    post since the floor (4.3 against 2.0 ms at 40,000 people)."""
    floor = add_years(day, -TERM_FLOOR_YEARS)
    cuts = sorted({d for v in book.versions("A-1") for d in (v.valid_from, v.valid_to) if d is not None})
    # A start on or after ``limit`` has its first term end a year or more later.
    bounds = [floor, *(c for c in cuts if floor < c < limit), limit]
    within = each if each is not None else Q()
    q = within & Q(start_date__lt=floor)
    first, last = day + dt.timedelta(days=1), limit
    for lo, hi in pairwise(bounds):
        if lo >= hi:
            continue
        years = max(_term_years(book, lo), 1)
        k = 1
        while True:
            a = add_years(first, -years * k) - TERM_SLACK
            b = add_years(last, -years * k) + TERM_SLACK
            if b < lo:
                break
            if a < hi:
                # One lower and one upper bound: with two, SQLite may seek by the looser one.
                upper = Q(start_date__lte=b) if b < hi else Q(start_date__lt=hi)
                q |= within & Q(start_date__gte=max(a, lo)) & upper
            k += 1
    return q


def retirement_births_q(book: Any, day: dt.date, end: dt.date) -> Q:
    """Persons whose H-1/H-2 retirement day falls in [``day``, ``end``), as ranges of
    ``birth_date``: the retirement depends on sex and birth month only (on the year alone when
    only the year is known, H-3), so the birth months that retire in the window are found month
    by month and merged into ranges. The months looked at are those within [day - highest
    requirement, end - lowest requirement] of the window's years, two months of slack on each
    side. Overrides (H-5) are the caller's."""
    q = Q(pk__in=[])
    for sex in (F.MALE, F.FEMALE):
        needs = [calc.required_months(book, sex, y) for y in range(day.year, end.year + 1)]
        lo, hi = add_months(day, -max(needs) - 2), add_months(end, -min(needs) + 2)
        run: list[dt.date] = []  # [first month, last month] of the current range
        month = dt.date(lo.year, lo.month, 1)
        while month <= hi:
            due = day <= calc.retirement(book, F.Birth(sex, month.year, month.month)).date < end
            if due and run and add_months(run[1], 1) == month:
                run[1] = month
            elif due:
                if run:
                    q |= _born_q(sex, run[0], run[1])
                run = [month, month]
            month = add_months(month, 1)
        if run:
            q |= _born_q(sex, run[0], run[1])
        for year in range(lo.year - 1, hi.year + 2):  # born in a year, month unknown
            if day <= calc.retirement(book, F.Birth(sex, year)).date < end:
                q |= Q(sex=sex, birth_precision=PRECISION_YEAR, birth_date__year=year)
    return q


def _born_q(sex: str, first: dt.date, last: dt.date) -> Q:
    """Born (day or month known) from the month of ``first`` to the end of the month of ``last``."""
    through = add_months(last, 1) - dt.timedelta(days=1)
    return Q(sex=sex, birth_date__gte=first, birth_date__lte=through) & ~Q(birth_precision=PRECISION_YEAR)


# The calendar's statements, compiled once per process for each (database, rulebook, scope,
# dates, unit, kinds): building them through the ORM (some twenty date ranges, the in-service
# condition, the grants) was a third of the page's time, and their SQL is a function of those
# inputs alone (never of the data: the retirement overrides are a subquery, not a list of ids),
# so the rows are always read afresh. A scope limited to a management scope is not kept (its
# condition may name persons read from the data).
_SQL: OrderedDict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = OrderedDict()
_SQL_MAX = 256
_sql_lock = threading.Lock()


def calendar_sql_reset() -> None:
    """Forget the kept statements (tests)."""
    with _sql_lock:
        _SQL.clear()


def _scope_key(user: Any) -> tuple[Any, ...] | None:
    """What ``restrict(user)`` depends on for the calendar's four models; None when it depends
    on more (a grant limited to a management scope)."""
    scopes = tuple(grant_scope(m, user) for m in (Person, Tenure, Discipline, RetirementOverride))
    if any(s.scoped_paths for s in scopes):
        return None
    return scopes


def _rows(key: tuple[Any, ...] | None, build: Any) -> list[tuple[Any, ...]]:
    """The rows of the statement ``build()`` (a queryset) compiles to, kept by ``key``."""
    found = None
    if key is not None:
        key = (connection.alias, connection.vendor, *key)
        with _sql_lock:
            found = _SQL.get(key)
            if found is not None:
                _SQL.move_to_end(key)
    if found is None:
        sql, params = build().query.sql_with_params()
        found = (sql, tuple(params))
        if key is not None:
            with _sql_lock:
                _SQL[key] = found
                while len(_SQL) > _SQL_MAX:
                    _SQL.popitem(last=False)
    with connection.cursor() as cur:
        cur.execute(found[0], found[1])
        return cur.fetchall()


def _d(value: Any) -> dt.date:
    """A date column as SQLite (text) or PostgreSQL (a date) hands it back."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _d_or_none(value: Any) -> dt.date | None:
    return None if value is None else _d(value)


def calendar_events(
    user: Any, day: dt.date, months: int, unit: Unit | None = None, kinds: set[str] | None = None
) -> list[CalendarEvent]:
    """Everything that falls due from ``day`` for ``months`` months among the people the user sees.

    Bounded reads of plain values, each with the person's name and sort key: persons in a
    birth-date window (nobody retires outside it), open leadership tenures whose start puts a
    term end in reach (``term_end_window_q``), disciplines of the last ten years. The persons
    are joined, not looked up in a list of everyone in service. Computation is the engine's.
    The statements are compiled once per process (``_rows``; see the note above it).
    """
    book = rulebook()
    end = add_months(day, months)
    kinds = kinds or set(EVENT_KINDS)
    scope = _scope_key(user)
    base = None if scope is None else (book, scope, day, end, unit.path if unit is not None else None)

    def persons() -> Any:
        # In service on ``day`` (a retirement already decided for later is what the calendar shows).
        qs = Person.objects.restrict(user).filter(in_service_q(day)).order_by()
        return qs if unit is None else qs.filter(managing_unit__path__startswith=unit.path)

    def section() -> Q:
        # The same persons, from a row pointing at one (a person section's grants are its person's).
        q = in_service_q(day, "person__")
        return q if unit is None else q & Q(person__managing_unit__path__startswith=unit.path)

    def overrides() -> Any:
        found = RetirementOverride.objects.restrict(user).order_by()
        return found if unit is None else found.filter(person__managing_unit__path__startswith=unit.path)

    events: list[CalendarEvent] = []

    def add(when: dt.date, kind: str, row: tuple[int, str, str], detail: str, rule: str) -> None:
        events.append(CalendarEvent(when, kind, EVENT_KINDS[kind], row[0], detail, rule, row[1], row[2]))

    if "nghi_huu" in kinds:
        # Few: read without the in-service condition, which the persons' query below applies.
        found = {
            pid: F.RetirementOverride(year, month, kind, basis)
            for pid, year, month, kind, basis in _rows(
                base and ("overrides", *base),
                lambda: overrides().values_list("person_id", "year", "month", "kind", "basis"),
            )
        }
        rows = _rows(
            base and ("retirements", *base),
            lambda: (
                persons()
                .filter(Q(pk__in=overrides().values("person_id")) | retirement_births_q(book, day, end))
                .values_list("id", "full_name", "sort_key", "sex", "birth_date", "birth_precision")
            ),
        )
        # The retirement depends on sex, year and month of birth only (and on an override): the
        # window's few hundred people share a few dozen of them, each judged and worded once.
        same: dict[tuple[str, int, int | None], tuple[dt.date, str, str] | None] = {}
        for pid, name, key, sex, raw_born, precision in rows:
            born = _d(raw_born)  # the window is a range of birth dates: never empty
            month = None if precision == PRECISION_YEAR else born.month
            override = found.get(pid)
            memo = (sex, born.year, month)
            if override is not None or memo not in same:
                birth = F.Birth(sex, born.year) if month is None else F.Birth(sex, born.year, month)
                ret = calc.retirement(book, birth, override)
                when = ret.date
                line = (
                    (
                        when,
                        f"Nghỉ hưu hết ngày {when:%d/%m/%Y}"
                        + (" (quyết định riêng)" if ret.override else "")
                        + f"; hưởng lương hưu từ {ret.pension_start:%d/%m/%Y}",
                        "H-5" if ret.override else "H-1, H-2",
                    )
                    if day <= when < end
                    else None
                )
                if override is not None:
                    if line is not None:
                        add(line[0], "nghi_huu", (pid, name, key), line[1], line[2])
                    continue
                same[memo] = line
            line = same[memo]
            if line is not None:
                add(line[0], "nghi_huu", (pid, name, key), line[1], line[2])
    if kinds & {"het_nhiem_ky", "thong_bao"}:
        limit = end + NOTICE_REACH if "thong_bao" in kinds else end
        tenures = _rows(
            base and ("tenures", limit, *base),
            lambda: (
                Tenure.objects.restrict(user)
                # The leadership titles inside each start range: the tenures are then read by the
                # (title, start) index range by range, not by a scan of every tenure.
                .filter(section())
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
                .filter(
                    term_end_window_q(
                        book, day, limit, Q(title__in=Title.objects.filter(is_leader=True).values("pk"))
                    )
                )
                .order_by()
                .values_list(
                    "person_id",
                    "person__full_name",
                    "person__sort_key",
                    "start_date",
                    "end_date",
                    "title__name",
                    "unit_id",
                )
            ),
        )
        labels = unit_index().label  # ``unit_label`` of each unit, the index read once
        notices: dict[dt.date, dt.date] = {}
        for pid, name, key, raw_start, raw_held_to, title_name, unit_id in tenures:
            start, held_to = _d(raw_start), _d_or_none(raw_held_to)
            years = _term_years(book, start)
            # The first term end on or after ``day`` (a term every ``years`` from the start).
            k = 1
            while add_years(start, years * k) - dt.timedelta(days=1) < day:
                k += 1
            term_end = add_years(start, years * k) - dt.timedelta(days=1)
            if (held_to and held_to < term_end) or term_end >= end + NOTICE_REACH:
                continue
            label = "" if unit_id is None else labels.get(unit_id)
            what = f"{title_name}, {label if label is not None else unit_id}"
            if "het_nhiem_ky" in kinds and term_end < end:
                add(
                    term_end,
                    "het_nhiem_ky",
                    (pid, name, key),
                    f"{what}: hết nhiệm kỳ ngày {term_end:%d/%m/%Y}",
                    "A-1",
                )
            if "thong_bao" in kinds:
                due = notices.get(term_end)
                if due is None:
                    due = notices[term_end] = calc.notice_due(book, term_end)[0]
                if day <= due < end:
                    add(
                        due,
                        "thong_bao",
                        (pid, name, key),
                        f"{what}: thông báo chậm nhất ngày {due:%d/%m/%Y} (hết nhiệm kỳ {term_end:%d/%m/%Y})",
                        "A-13",
                    )
    if kinds & {"het_ky_luat", "het_han_che"}:
        disciplines = _rows(
            base and ("disciplines", *base),
            lambda: (
                Discipline.objects.restrict(user)
                .filter(section(), decision_date__gte=add_years(day, -10), decision_date__lte=end)
                .order_by()
                .values_list(
                    "person_id",
                    "person__full_name",
                    "person__sort_key",
                    "system",
                    "form",
                    "decision_date",
                    "effective_date",
                    "announced_date",
                    "decision_number",
                )
            ),
        )
        for pid, name, key, system, form, decided, effective, announced, number in disciplines:
            fact = F.DisciplineFact(
                system, form, _d(decided), _d_or_none(effective), _d_or_none(announced), number
            )
            if "het_ky_luat" in kinds:
                lapse, _, _ = calc.party_lapse(book, fact)
                if lapse and day <= lapse < end:
                    add(
                        lapse,
                        "het_ky_luat",
                        (pid, name, key),
                        f"{fact.label} ngày {fact.decision_date:%d/%m/%Y}",
                        "D-2",
                    )
            if "het_han_che" in kinds:
                w = calc.discipline_window(book, fact, day)
                if w and day <= w.end < end:
                    add(
                        w.end,
                        "het_han_che",
                        (pid, name, key),
                        f"{fact.label}: được xem xét quy hoạch, bổ nhiệm từ {w.end:%d/%m/%Y}",
                        w.version.label,
                    )
    events.sort(key=lambda e: (e.day, e.kind, e.sort_key))
    return events


# -- verdicts on recorded events (validators 7, 8, 9) ----------------------------------------


def discipline_subject(user: Any, person: Person, system: str, on: dt.date) -> str:
    """The subject type of §7a for a discipline of ``person``: Party member (full or probationary)
    or State cadre / civil servant (public employees are judged with civil servants' forms)."""
    if system == F.PARTY:
        membership = (
            PartyMembership.objects.restrict(user)
            .filter(person=person, admission_date__lte=on)
            .order_by("-admission_date")
            .first()
        )
        if membership is not None and (membership.official_date is None or membership.official_date > on):
            return "dang_vien_du_bi"
        return "dang_vien"
    return "can_bo" if person.category == "can_bo" else "cong_chuc"


def discipline_verdicts(user: Any, person: Person, day: dt.date) -> list[Verdict]:
    from canbo.rules.engine.checks import check_discipline

    book = rulebook()
    out = []
    for d in Discipline.objects.restrict(user).filter(person=person).order_by("decision_date"):
        if d.system not in (F.PARTY, F.STATE):
            continue
        fact = F.DisciplineFact(
            d.system,
            d.form,
            d.decision_date,
            d.effective_date,
            d.announced_date,
            d.decision_number,
            d.duty_related,
        )
        out.append(
            check_discipline(book, fact, discipline_subject(user, person, d.system, d.decision_date), day)
        )
    return out


def vote_verdicts(user: Any, person: Person) -> list[Verdict]:
    from canbo.assessment.models import ConfidenceVote
    from canbo.rules.engine.checks import VoteInput, check_vote

    book = rulebook()
    return [
        check_vote(
            book,
            VoteInput(
                v.vote_date,
                v.convened,
                v.present,
                v.ballots,
                v.high,
                v.medium,
                v.low,
                person.pk,
                person.full_name,
                v.position,
            ),
        )
        for v in ConfidenceVote.objects.restrict(user).filter(person=person).order_by("vote_date")
    ]


def rating_verdicts(user: Any, person: Person) -> list[Verdict]:
    """Each recorded yearly rating re-judged: band of its score against its level, and the
    overriding grounds the dossier holds (E-4, E-8, D-11: a duty-related discipline decided in the
    year; V-10 and E-4: a vote of the year with "low" above half), read in two queries for all the
    years. The grounds no record holds are not declared here, so E-4 / E-8 answer "cannot decide"
    naming them unless a dossier ground already establishes KHT; the quota needs the campaign."""
    from canbo.assessment.models import ConfidenceVote
    from canbo.rules.engine.checks import RatingInput, VoteInput, check_rating, check_vote
    from canbo.rules.engine.verdict import FAIL

    book = rulebook()
    disciplined = {
        d.year
        for d in Discipline.objects.restrict(user)
        .filter(person=person, duty_related=True)
        .values_list("decision_date", flat=True)
    }
    low_years = {
        v.vote_date.year
        for v in ConfidenceVote.objects.restrict(user).filter(person=person)
        if any(
            x.rule_id == "V-10" and x.outcome == FAIL
            for x in check_vote(
                book, VoteInput(v.vote_date, v.convened, v.present, v.ballots, v.high, v.medium, v.low)
            ).results
        )
    }
    out = []
    for r in Rating.objects.restrict(user).filter(person=person, period="nam").order_by("year"):
        day = r.decision_date or dt.date(r.year, 12, 31)
        leader = any(
            t.title.is_leader
            for t in Tenure.objects.restrict(user)
            .filter(person=person)
            .filter(on_date_q(day))
            .select_related("title")
        )
        out.append(
            check_rating(
                book,
                RatingInput(
                    r.system,
                    day,
                    r.level,
                    float(r.score) if r.score is not None else None,
                    is_leader=leader,
                    duty_discipline_in_year=r.year in disciplined,
                    low_vote_over_half=r.year in low_years,
                    person_id=person.pk,
                    person_name=person.full_name,
                ),
            )
        )
    return out


# -- recorded exceptions ---------------------------------------------------------------------


def exception_for(subject: Any, rule: str | None = None, key: str = "") -> RuleException | None:
    """The exception on file that lets ``subject`` through ``rule`` (any rule when None) for
    ``key`` (the period, when the subject has one per period), or None. A gate reads it before
    refusing; it is the system's own check, not a user's read, so it is not restricted."""
    from django.contrib.contenttypes.models import ContentType

    if subject is None or subject.pk is None:
        return None
    ct = ContentType.objects.get_for_model(type(subject), for_concrete_model=True)
    qs = RuleException.objects.filter(content_type=ct, object_id=subject.pk, key=key)
    if rule is not None:
        qs = qs.filter(rule=rule)
    return qs.select_related("recorded_by").order_by("-recorded_at", "-id").first()


def exceptions_visible(user: Any, *, limit: int = 500) -> list[RuleException]:
    """Every exception recorded in the user's subtrees, newest first (the province-wide list for
    a province grant), with the subject each lets through."""
    return list(
        RuleException.objects.restrict(user)
        .select_related("unit", "person", "recorded_by", "content_type")
        .prefetch_related("subject")
        .order_by("-recorded_at", "-id")[:limit]
    )
