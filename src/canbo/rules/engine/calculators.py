"""The career calendar: retirement (H-1–H-7), age, terms (A-1, A-2), reappointment notice (A-13),
discipline windows (D-6, D-7) and Party discipline lapse (D-2).

Every calculator takes the rulebook so that the parameters come from the version in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from canbo.rules.engine.dates import (
    add_months,
    add_years,
    last_day,
    whole_months_between,
    working_days_before,
)
from canbo.rules.engine.facts import MALE, PARTY, STATE, Birth, DisciplineFact, RetirementOverride, TenureFact
from canbo.rules.engine.rulebook import Rulebook, RuleVersion

# H-2 and H-3 are not dated by an event; their single version covers every date.
H_DAY = dt.date(2021, 1, 1)


def h1_version(book: Rulebook, day: dt.date) -> RuleVersion:
    """The H-1 version (retirement age) in force on ``day``: BLLĐ 1994, 2012 or 2019.

    A day before every version's start falls to the oldest one, a day after every range to the
    newest (a rulebook with a single undated version answers it for every day).
    """
    found = book.find("H-1", day)
    if found is not None:
        return found
    versions = book.versions("H-1")
    if versions and versions[0].valid_from is not None and day < versions[0].valid_from:
        return versions[0]
    return book.latest("H-1")


def required_months(book: Rulebook, sex: str, year: int) -> int:
    """Required retirement age in months for the calendar year in which it is reached (H-1), from
    the version in force in that year: a fixed age (``men_months``) or the BLLĐ 2019 schedule."""
    p = h1_version(book, dt.date(year, 1, 1)).params
    prefix = "men" if sex == MALE else "women"
    if f"{prefix}_months" in p:
        return int(p[f"{prefix}_months"])
    start, step, cap, first = (
        int(p[f"{prefix}_start_months"]),
        int(p[f"{prefix}_step_months"]),
        int(p[f"{prefix}_cap_months"]),
        int(p["first_year"]),
    )
    return start if year < first else min(start + step * (year - first + 1), cap)


@dataclass(frozen=True)
class Retirement:
    """Retirement per H-1–H-3 (or the H-5 override): month, last day, pension start, age then."""

    year: int
    month: int
    required_months: int | None
    age_months: int | None
    assumed_january: bool
    override: RetirementOverride | None
    version: RuleVersion | None = None  # the H-1 version in force on the retirement day

    @property
    def basis(self) -> str:
        """What the retirement date rests on, as the person page cites it."""
        if self.override is not None:
            return f"quyết định riêng: {self.override.basis}" if self.override.basis else "quyết định riêng"
        if self.version is None:
            return "H-1, H-2"
        return f"{self.version.basis} ({self.version.label}, H-2)"

    @property
    def date(self) -> dt.date:
        """Retirement takes effect at the end of this day (H-2)."""
        return last_day(self.year, self.month)

    @property
    def pension_start(self) -> dt.date:
        return self.date + dt.timedelta(days=1)

    @property
    def age(self) -> tuple[int, int] | None:
        return divmod(self.age_months, 12) if self.age_months is not None else None


def retirement_month(book: Rulebook, sex: str, birth_year: int, birth_month: int) -> tuple[int, int, int]:
    """(year, month, required months) of H-2: the first month whose age in whole months reaches
    the requirement of its own calendar year.

    Closed form of RULES.md's reference loop: within a year y the age runs over consecutive
    months, so the first month of y that qualifies is ``requirement - age at January``; since the
    requirement never falls from one year to the next, the first year with such a month wins.
    """
    # Requirements never fall from one year to the next, so none after the 50th birthday year is
    # lower than that year's: nobody retires before reaching it.
    lowest = required_months(book, sex, birth_year + 50)
    for year in range(birth_year + lowest // 12 - 1, birth_year + 80):
        need = required_months(book, sex, year)
        age_in_january = (year - birth_year) * 12 + (1 - birth_month)
        month = max(1, need - age_in_january + 1)
        if month <= 12:
            return year, month, need
    raise ValueError("retirement month out of range")  # unreachable for the H-1 schedule


def retirement(book: Rulebook, birth: Birth, override: RetirementOverride | None = None) -> Retirement:
    if override is not None:
        age = (override.year - birth.year) * 12 + (override.month - (birth.month or 1))
        return Retirement(override.year, override.month, None, age, birth.month is None, override)
    unknown_month = int(book.version("H-3", H_DAY).params.get("unknown_month", 1))
    bm = birth.month or unknown_month
    year, month, need = retirement_month(book, birth.sex, birth.year, bm)
    version = h1_version(book, last_day(year, month))
    return Retirement(
        year, month, need, (year - birth.year) * 12 + (month - bm), birth.month is None, None, version
    )


def months_left(ret: Retirement, on: dt.date) -> int:
    """H-7: whole months from ``on`` to the retirement moment (end of the retirement day)."""
    return max(0, whole_months_between(on, ret.pension_start))


def age_on(birth: Birth, on: dt.date) -> tuple[int, int]:
    """Age in (years, months) on a date, from the earliest possible day of birth (H-3)."""
    months = whole_months_between(birth.earliest, on)
    return divmod(max(0, months), 12)


# -- terms -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermInfo:
    """The current term in a post: where it started, when it ends, how many consecutive terms."""

    tenure: TenureFact
    chain_start: dt.date
    term_start: dt.date
    term_end: dt.date  # last day of the term
    consecutive_terms: int  # terms in the same post up to and including the current one
    term_years: int
    version: RuleVersion


def _same_post(a: TenureFact, b: TenureFact) -> bool:
    return a.title.code == b.title.code and a.unit_id == b.unit_id


def term_info(
    book: Rulebook, tenures: tuple[TenureFact, ...] | list[TenureFact], on: dt.date
) -> TermInfo | None:
    """The term of the leadership post held on ``on`` (A-1): 5 years from the decision's effective
    date; a post held without a break counts a new term at each reappointment (a new tenure) and
    every further 5 years within one tenure."""
    current = [t for t in tenures if t.title.is_leader and t.start <= on and (t.end is None or t.end >= on)]
    if not current:
        return None
    current.sort(key=lambda t: (not t.is_primary, -(t.title.rank or 0), t.start))
    now = current[0]
    a1 = book.version("A-1", now.start)
    years = int(a1.params.get("term_years", 5))
    # Walk back through earlier tenures of the same post that join without a gap.
    chain = [now]
    earlier = sorted(
        (t for t in tenures if _same_post(t, now) and t.start < now.start), key=lambda t: t.start
    )
    for t in reversed(earlier):
        if t.end is not None and t.end + dt.timedelta(days=1) >= chain[-1].start:
            chain.append(t)
        else:
            break
    terms = 0
    for t in reversed(chain[1:]):
        held = whole_months_between(t.start, (t.end or on) + dt.timedelta(days=1))
        terms += max(1, -(-held // (12 * years)))
    within = whole_months_between(now.start, on) // (12 * years)
    term_start = add_years(now.start, years * within)
    terms += within + 1
    return TermInfo(
        tenure=now,
        chain_start=chain[-1].start,
        term_start=term_start,
        term_end=add_years(term_start, years) - dt.timedelta(days=1),
        consecutive_terms=terms,
        term_years=years,
        version=a1,
    )


def notice_due(book: Rulebook, term_end: dt.date) -> tuple[dt.date, RuleVersion | None]:
    """A-13: the last day to notify the cadre, N working days before the term ends.

    The term's last day is ``term_end``; the term ends at its close, so the working days are
    counted back from the day after it.
    """
    version = book.find("A-13", term_end) or book.latest("A-13")
    days = int(version.params.get("notice_working_days", 90))
    return working_days_before(term_end + dt.timedelta(days=1), days, book.holidays), version


# -- discipline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A period during which a discipline blocks planning or appointment."""

    discipline: DisciplineFact
    version: RuleVersion
    start: dt.date
    end: dt.date  # first day no longer blocked
    months: int
    blocks: str  # Vietnamese: what it blocks
    any_appointment: bool  # D-7: blocks every appointment, not only higher posts
    start_assumed: bool  # no effective date on file; the decision date was used

    def covers(self, day: dt.date) -> bool:
        return self.start <= day < self.end


def discipline_window(book: Rulebook, d: DisciplineFact, event_date: dt.date) -> Window | None:
    """The career-block window of one discipline (RULES.md §7c), or None if the form has none.

    Party: the D-6 version in force on the event date (default) or on the decision date when the
    version's ``regime_by`` is ``decision_date`` (Open question 15). State: the D-7 version in
    force on the decision date (the law that imposed it).
    """
    if d.system == PARTY:
        rule = "D-6"
        chooser = book.find(rule, event_date)
        if chooser is not None and chooser.params.get("regime_by") == "decision_date":
            version = book.find(rule, d.decision_date)
        else:
            version = chooser
        blocks = "quy hoạch, bổ nhiệm chức vụ cao hơn"
    elif d.system == STATE:
        rule = "D-7"
        version = book.find(rule, d.decision_date)
        blocks = "nâng ngạch, quy hoạch, đào tạo, bổ nhiệm chức vụ cao hơn"
    else:
        return None
    if version is None or d.form not in version.params:
        return None
    months = int(version.params[d.form])
    start = d.effective_date or d.decision_date
    any_appointment = False
    if d.system == STATE and months >= int(version.params.get("any_appointment_from_months", 10**6)):
        any_appointment = True
        blocks = "nâng ngạch, quy hoạch, đào tạo, mọi việc bổ nhiệm"
    return Window(d, version, start, add_months(start, months), months, blocks, any_appointment,
                  d.effective_date is None)  # fmt: skip


def party_lapse(book: Rulebook, d: DisciplineFact) -> tuple[dt.date | None, RuleVersion | None, bool]:
    """D-2: the day a Party discipline lapses (12 months after announcement), None for
    expulsion and dissolution. Returns (date, version, announcement date assumed)."""
    if d.system != PARTY:
        return None, None, False
    version = book.find("D-2", d.decision_date) or book.find("D-2", dt.date(2022, 7, 6))
    if version is None:
        return None, None, False
    if d.form in version.params.get("never", []):
        return None, version, False
    start = d.announced_date or d.effective_date or d.decision_date
    return add_months(start, int(version.params["lapse_months"])), version, d.announced_date is None
