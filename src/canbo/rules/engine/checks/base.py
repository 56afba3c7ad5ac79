"""The shape of a check: pure rule functions, evaluated in order, whose results form the verdict.

A rule function takes one context (the facts of the case plus the rulebook and the date judged)
and returns the results it contributes, in order: usually one, none when the rule does not speak
to the case (a rule not in force that RULES.md lets pass silently, a branch that belongs to
another rule), or several (D-6 gives one result per discipline on file). Each is wrapped by
``@rule("A-3", uses=("H-1", ...))``: ``ids`` are the rules whose results it returns, ``uses``
the rules it applies through a calculator without citing them in a result of its own (the
retirement date of H-1..H-5, the months left of H-7). The rulebook coverage test reads both.

A check is a tuple of rule functions. Its verdict lists their results in the tuple's order, and
the verdict's outcome is composed from them as ``Verdict.outcome`` says (fail, then cannot
decide, then warn, else pass). A check may have a ``gate``: a rule evaluated first whose
results, when it returns any, are the whole verdict (there is nothing else to judge: no term to
reappoint to, no K-4 reference date).

Rules that depend on another rule's outcome (P-8 on P-5, D-6, D-7 and T-5; P-9 on D-6 and D-7)
call those rule functions themselves: they are pure, so evaluating them twice is only a little
work and keeps every function readable on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Generic, TypeVar

from canbo.rules.engine.calculators import TermInfo, months_left, retirement, term_info
from canbo.rules.engine.dates import vn
from canbo.rules.engine.facts import Declared, PersonFacts, TenureFact, TitleInfo
from canbo.rules.engine.rulebook import Rulebook, RuleVersion
from canbo.rules.engine.verdict import (
    CANNOT,
    FAIL,
    PASS,
    FactUsed,
    RuleResult,
    Verdict,
    missing_version,
    result,
)

Results = list[RuleResult]
C = TypeVar("C")

# The rules behind ``months_left_result``: retirement age (H-1), month end (H-2), partial birth
# date (H-3), the authority's own retirement date (H-5) and the months left (H-7).
RETIREMENT_RULES = ("H-1", "H-2", "H-3", "H-5", "H-7")


@dataclass(frozen=True)
class Rule(Generic[C]):
    """One rule function with the rule IDs it evaluates (see the module's docstring)."""

    ids: tuple[str, ...]
    uses: tuple[str, ...]
    fn: Callable[[C], Results]

    def __call__(self, ctx: C) -> Results:
        return self.fn(ctx)

    @property
    def name(self) -> str:
        return self.fn.__name__

    @property
    def doc(self) -> str:
        return self.fn.__doc__ or ""


def rule(*ids: str, uses: Iterable[str] = ()) -> Callable[[Callable[[C], Results]], Rule[C]]:
    """Mark a function as the evaluation of the rules ``ids`` (see the module's docstring)."""

    def wrap(fn: Callable[[C], Results]) -> Rule[C]:
        return Rule(tuple(ids), tuple(uses), fn)

    return wrap


@dataclass(frozen=True)
class Check(Generic[C]):
    """A tuple of rule functions evaluated in order; an optional gate ends the check early."""

    rules: tuple[Rule[C], ...]
    gate: Rule[C] | None = None

    def results(self, ctx: C) -> Results:
        if self.gate is not None:
            stop = self.gate(ctx)
            if stop:
                return stop
        return [r for fn in self.rules for r in fn(ctx)]

    def all_rules(self) -> tuple[Rule[C], ...]:
        return ((self.gate,) if self.gate is not None else ()) + self.rules


# -- the case of a person checks (appointment, planning, reappointment, rotation, committee) ---


def held_on(person: PersonFacts, day: dt.date) -> list[TenureFact]:
    return [t for t in person.tenures if t.start <= day and (t.end is None or t.end >= day)]


def current_rank(person: PersonFacts, day: dt.date) -> int | None:
    """The most senior rank held on ``day`` among leadership posts; None when none is held."""
    ranks = [t.title.rank for t in held_on(person, day) if t.title.is_leader and t.title.rank is not None]
    return max(ranks) if ranks else None


@dataclass(frozen=True)
class Case:
    """A person judged for a title on a day, for one purpose.

    ``day`` is the date the rules are judged on (the verdict's event date); ``asked`` the date the
    caller gave. They differ only for the committee check, which judges on the K-4 reference date.
    ``action`` is the verb the reasons use ("bổ nhiệm", "quy hoạch", ...).
    """

    book: Rulebook
    person: PersonFacts
    title: TitleInfo
    day: dt.date
    declared: Declared
    purpose: str
    action: str
    asked: dt.date

    def find(self, rule_id: str) -> RuleVersion | None:
        """The version of ``rule_id`` in force on the day judged."""
        return self.book.find(rule_id, self.day)

    @cached_property
    def rank(self) -> int | None:
        """The most senior leadership rank held on the day (None: no leadership post)."""
        return current_rank(self.person, self.day)

    @cached_property
    def higher(self) -> bool:
        """The title is treated as a higher post: its rank is above the one held, or a rank is
        unknown (the stricter reading). Planning is always towards a higher title (P-1)."""
        if self.purpose == "planning" or self.title.rank is None or self.rank is None:
            return True
        return self.title.rank > self.rank

    @cached_property
    def first(self) -> bool:
        """No leadership post held before or on the day: a first appointment (A-6)."""
        return not [t for t in self.person.tenures if t.title.is_leader and t.start <= self.day]

    @cached_property
    def term(self) -> TermInfo | None:
        """The term (A-1) of the post ``title`` held on the day; None when it is not held."""
        same_title = tuple(t for t in self.person.tenures if t.title.code == self.title.code)
        return term_info(self.book, same_title, self.day)

    @property
    def window_action(self) -> str:
        """What a D-6/D-7 window forbids in this case's words."""
        if self.purpose == "appointment" and self.higher:
            return "bổ nhiệm chức vụ cao hơn"
        return self.action


@dataclass(frozen=True)
class PersonCheck:
    """A check of a person for a title: the verdict's purpose and note, and its rule functions.

    ``judged_on`` moves the judged date (the committee's K-4 reference date); ``note`` may depend
    on the case.
    """

    purpose: str
    label: str
    note: str | Callable[[Case], str]
    action: str
    check: Check[Case]
    judged_on: Callable[[Case], dt.date] | None = None

    def case(
        self, book: Rulebook, person: PersonFacts, title: TitleInfo, day: dt.date, declared: Declared
    ) -> Case:
        ctx = Case(book, person, title, day, declared, self.purpose, self.action, day)
        if self.judged_on is not None:
            ctx = replace(ctx, day=self.judged_on(ctx))
        return ctx

    def __call__(
        self, book: Rulebook, person: PersonFacts, title: TitleInfo, day: dt.date, declared: Declared
    ) -> Verdict:
        ctx = self.case(book, person, title, day, declared)
        v = Verdict(
            self.purpose,
            self.label,
            ctx.day,
            self.note(ctx) if callable(self.note) else self.note,
            person.person_id,
            person.name,
            title.code,
            title.name,
        )
        v.results.extend(self.check.results(ctx))
        return v


# -- pieces several rules share ------------------------------------------------------------


def title_fact(title: TitleInfo) -> FactUsed:
    return FactUsed(
        "Chức danh xem xét", f"{title.name} (thứ bậc {title.rank if title.rank is not None else '—'})"
    )


def rank_facts(ctx: Case) -> list[FactUsed]:
    """The title judged and the rank held on the day (A-3, A-4, P-1)."""
    return [
        title_fact(ctx.title),
        FactUsed(
            "Thứ bậc chức vụ đang giữ",
            str(ctx.rank) if ctx.rank is not None else "chưa giữ chức vụ lãnh đạo",
            ctx.day,
        ),
    ]


def months_left_result(
    book: Rulebook,
    version: RuleVersion,
    person: PersonFacts,
    measure: dt.date,
    threshold: int,
    measure_label: str,
    purpose_text: str,
) -> RuleResult:
    """An age rule read as months of working time left (H-7) at ``measure`` against ``threshold``
    (A-3, P-5, R-4, K-5)."""
    if person.birth is None:
        return result(
            version, CANNOT, "Hồ sơ chưa có ngày sinh nên không tính được thời gian công tác còn lại."
        )
    ret = retirement(book, person.birth, person.override)
    left = months_left(ret, measure)
    facts = [
        FactUsed(
            "Ngày sinh",
            person.birth.display()
            + (
                " (chỉ có năm: tính từ 01/01, H-3)"
                if ret.assumed_january and person.birth.month is None
                else ""
            ),
        ),
        FactUsed(
            "Ngày nghỉ hưu"
            + (
                " (quyết định riêng, H-5)"
                if ret.override
                else f" ({ret.version.label if ret.version else 'H-1'}, H-2)"
            ),
            vn(ret.date),
            ret.date,
        ),
        FactUsed(measure_label, vn(measure), measure),
        FactUsed("Thời gian công tác còn lại (H-7)", f"{left} tháng", measure),
    ]
    ok = left >= threshold
    msg = (
        f"Còn {left} tháng công tác tính đến ngày {vn(measure)}, "
        + ("đủ" if ok else "không đủ")
        + f" {threshold} tháng {purpose_text}."
    )
    return result(version, PASS if ok else FAIL, msg, facts, f"≥ {threshold} tháng")


def declared_result(
    version: RuleVersion | None,
    rule_id: str,
    name: str,
    day: dt.date,
    value: bool | None,
    *,
    true_is: str,
    yes: str,
    no: str,
    unknown: str,
    label: str,
) -> RuleResult:
    """A rule that reads one fact the officer declares (planning status, pending discipline...)."""
    if version is None:
        return missing_version(rule_id, name, day)
    if value is None:
        return result(version, CANNOT, unknown, [FactUsed(label, "chưa khai báo")])
    outcome = true_is if value else (PASS if true_is == FAIL else FAIL)
    return result(version, outcome, yes if value else no, [FactUsed(label, "có" if value else "không")])


def planned_result(ctx: Case, version: RuleVersion, *, no_tail: str) -> RuleResult:
    """A-5, R-2: in the planning list for the title (or an equivalent or higher title) on the day.

    Read from the dossier's planning entries; a declaration is used only when the dossier was not
    read (``person.planning is None``), and with neither the rule cannot decide.
    """
    person, title, day = ctx.person, ctx.title, ctx.day
    if person.planning is None:
        return declared_result(
            version,
            version.rule_id,
            version.name,
            day,
            ctx.declared.planned_for_title,
            true_is=PASS,
            yes="Có trong quy hoạch chức danh này hoặc chức danh tương đương, cao hơn (theo khai báo).",
            no="Không có trong quy hoạch chức danh này hoặc tương đương, cao hơn" + no_tail,
            unknown="Chưa có thông tin quy hoạch của người này cho chức danh.",
            label="Có trong quy hoạch chức danh",
        )
    covering = [e for e in person.planning if e.covers(title)]
    current = [e for e in covering if e.in_force(day)]
    facts = [
        FactUsed(
            f"Quy hoạch {e.title.name} ({e.list_name}, nhiệm kỳ {e.term})",
            f"từ {vn(e.added_on)}"
            + (f" ({e.decision})" if e.decision else "")
            + (f"; đưa ra khỏi quy hoạch từ {vn(e.removed_on)}" if e.removed_on else ""),
            e.added_on,
        )
        for e in sorted(covering, key=lambda e: e.added_on)
        if e.added_on <= day
    ]
    if current:
        names = ", ".join(sorted({e.title.name for e in current}))
        return result(
            version,
            PASS,
            f"Có trong quy hoạch {names} vào ngày {vn(day)} (chức danh này hoặc tương đương, cao hơn).",
            facts,
        )
    if not facts:
        facts = [
            FactUsed("Danh sách quy hoạch trong hồ sơ", "không có chức danh này hoặc tương đương, cao hơn")
        ]
    return result(
        version,
        FAIL,
        f"Hồ sơ không có quy hoạch chức danh {title.name} hoặc tương đương, cao hơn vào ngày {vn(day)} "
        "(xét các danh sách quy hoạch bạn được xem)" + no_tail,
        facts,
    )
