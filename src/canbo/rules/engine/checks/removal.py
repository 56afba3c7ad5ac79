"""Automatic-removal grounds of a planning entry (RULES.md §13 validator 5, its "yearly and
event-driven flags"): the events recorded in the dossier after the person was added to the list
that require taking him out of it, each judged by the rule version in force on the event's date.

- V-4 / V-5: a confidence vote with "low" above half (V-4: removed from planning for higher posts)
  or at two thirds or more (V-5: relieved of the post), read with validator 7 itself.
- P-4: a year rated "không hoàn thành nhiệm vụ" (people who fail their tasks are removed at the
  yearly review); the last closed year without a rating cannot be decided.
- P-8 (with P-5's threshold): over the planning age: less working time left (H-7) than P-5's
  minimum, measured on the start of the planned term or, once the term has begun, on the day
  judged (as the entry page measures an addition); cannot decide without a birth date, or with
  only the birth year when the month would change the outcome.
- P-8: a discipline (reprimand or heavier: every catalogued form) decided after the addition.
- T-6: a conclusion that the political standard is not met.

The check is pure: the caller reads the events from the dossier (``planning.consequences``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import NamedTuple

from canbo.rules.engine.checks.base import RETIREMENT_RULES, Check, Results, months_left_result, rule
from canbo.rules.engine.checks.vote import VoteInput, check_vote
from canbo.rules.engine.dates import vn
from canbo.rules.engine.facts import RATING_LABELS, Birth, PersonFacts, RetirementOverride
from canbo.rules.engine.rulebook import Rulebook
from canbo.rules.engine.verdict import (
    CANNOT,
    FAIL,
    PASS,
    WARN,
    FactUsed,
    RuleResult,
    Verdict,
    missing_version,
    result,
)

# Votes of a People's Council (V-8) lead to resignation or a formal vote, not to removal from
# planning: they are left out here (the votes worklist carries their consequence). The value of
# ``assessment.VoteBody.PEOPLES_COUNCIL`` (the engine imports no app).
PEOPLES_COUNCIL = "hdnd"


class VoteEvent(NamedTuple):
    """A vote on the dossier: the meeting's wording, its counts and the body that held it."""

    label: str
    vote: VoteInput
    body: str = "cap_uy"  # assessment.VoteBody: "cap_uy", "hdnd" or "khac"


@dataclass(frozen=True)
class RatingEvent:
    year: int
    level: str
    decision_date: dt.date | None
    system_label: str = ""

    @property
    def day(self) -> dt.date:
        return self.decision_date or dt.date(self.year, 12, 31)


@dataclass(frozen=True)
class DisciplineEvent:
    decision_date: dt.date
    form_label: str
    decision_number: str = ""


@dataclass(frozen=True)
class ConclusionEvent:
    conclusion_date: dt.date
    meets_standard: bool
    issuing_body: str = ""


@dataclass(frozen=True)
class AgeInput:
    """The dossier's birth date (None: not recorded), the authority's own retirement date (H-5)
    and the day P-5 measures the working time left on."""

    birth: Birth | None
    measured_on: dt.date
    override: RetirementOverride | None = None


@dataclass(frozen=True)
class RemovalInput:
    """One planning entry in force on ``day`` and the dossier's events since ``added_on``."""

    day: dt.date
    added_on: dt.date
    person_id: int | None = None
    person_name: str = ""
    title_name: str = ""
    votes: tuple[VoteEvent, ...] = ()
    ratings: tuple[RatingEvent, ...] = ()  # yearly ratings
    disciplines: tuple[DisciplineEvent, ...] = ()
    conclusions: tuple[ConclusionEvent, ...] = ()
    age: AgeInput | None = None  # None: the age ground is not judged (an addition's refusals)

    def since_added(self, day: dt.date) -> bool:
        return self.added_on <= day <= self.day


@dataclass(frozen=True)
class RemovalCase:
    book: Rulebook
    entry: RemovalInput

    @property
    def day(self) -> dt.date:
        return self.entry.day


@rule("V-4", "V-5")
def rule_vote(ctx: RemovalCase) -> Results:
    """V-4 / V-5: a vote since the addition with "low" above half takes the person out of
    planning for higher posts (V-4), at two thirds or more out of the post itself (V-5)."""
    out: Results = []
    for label, vote, body in ctx.entry.votes:
        if body == PEOPLES_COUNCIL or not ctx.entry.since_added(vote.vote_date):
            continue
        for r in check_vote(ctx.book, vote).results:
            if (r.rule_id, r.outcome) in (("V-4", WARN), ("V-5", FAIL)):
                what = (
                    "đưa ra khỏi quy hoạch chức vụ cao hơn"
                    if r.rule_id == "V-4"
                    else "cho thôi giữ chức vụ, không còn quy hoạch chức vụ cao hơn"
                )
                out.append(
                    replace(
                        r,
                        outcome=FAIL,
                        message=f"Lấy phiếu tín nhiệm ngày {vote.vote_date:%d/%m/%Y} ({label}): "
                        f"{r.message.rstrip('.')} → {what}.",
                        facts=(*r.facts, FactUsed("Ngày lấy phiếu", f"{vote.vote_date:%d/%m/%Y}")),
                    )
                )
    if out:
        return out
    v4 = ctx.book.find("V-4", ctx.day)
    if v4 is None:
        return []
    return [result(v4, PASS, "Không có lần lấy phiếu nào từ khi bổ sung có tín nhiệm thấp trên 1/2.")]


@rule("P-4")
def rule_p4_rating(ctx: RemovalCase) -> Results:
    """P-4: a year rated "không hoàn thành nhiệm vụ" since the addition → removed at the yearly
    review; the last closed year after the addition without a yearly rating cannot be decided."""
    e = ctx.entry
    out: Results = []
    for r in e.ratings:
        if r.level != "kht" or not e.since_added(r.day):
            continue
        p4 = ctx.book.find("P-4", r.day)
        if p4 is None:
            out.append(missing_version("P-4", "Rà soát quy hoạch hằng năm", r.day))
            continue
        out.append(
            result(
                p4,
                FAIL,
                f"Năm {r.year} xếp loại {RATING_LABELS['kht'].lower()}"
                f"{f' ({r.system_label.lower()})' if r.system_label else ''}: người không hoàn thành "
                "nhiệm vụ được đưa ra khỏi quy hoạch khi rà soát hằng năm.",
                [FactUsed("Xếp loại", RATING_LABELS["kht"], r.day)],
            )
        )
    if out:
        return out
    p4 = ctx.book.find("P-4", ctx.day)
    if p4 is None:
        return []
    last_closed = ctx.day.year - 1
    if last_closed >= e.added_on.year and not any(r.year == last_closed for r in e.ratings):
        return [
            result(
                p4,
                CANNOT,
                f"Chưa có kết quả xếp loại năm {last_closed} để rà soát quy hoạch hằng năm: "
                "cần nhập xếp loại năm đó.",
            )
        ]
    return [result(p4, PASS, "Không có năm nào xếp loại không hoàn thành nhiệm vụ từ khi bổ sung.")]


@rule("P-8")
def rule_p8_discipline(ctx: RemovalCase) -> Results:
    """P-8: a discipline decided since the addition (reprimand or heavier) is a ground for
    removal, judged by the P-8 version of the decision date."""
    out: Results = []
    for d in ctx.entry.disciplines:
        if not ctx.entry.since_added(d.decision_date):
            continue
        p8 = ctx.book.find("P-8", d.decision_date)
        if p8 is None:
            out.append(missing_version("P-8", "Đưa ra khỏi quy hoạch", d.decision_date))
            continue
        number = f" ({d.decision_number})" if d.decision_number else ""
        out.append(
            result(
                p8,
                FAIL,
                f"Bị kỷ luật {d.form_label.lower()}{number} ngày {d.decision_date:%d/%m/%Y}: thuộc căn cứ "
                "đưa ra khỏi quy hoạch (kỷ luật từ khiển trách trở lên).",
                [FactUsed("Hình thức kỷ luật", d.form_label, d.decision_date)],
            )
        )
    return out


@rule("P-5", uses=("P-8", *RETIREMENT_RULES))
def rule_p8_age(ctx: RemovalCase) -> Results:
    """P-8's "over the planning age", with the age of P-5 (the version in force on the measuring
    day): fewer months of working time left than its minimum is a ground for removal. With only
    the birth year, the outcome is decided when every birth month gives the same one (H-3's
    1 January is not assumed for a removal); otherwise, and without a birth date, cannot decide."""
    age = ctx.entry.age
    if age is None:
        return []
    measure = age.measured_on
    p5 = ctx.book.find("P-5", measure)
    if p5 is None:
        return [missing_version("P-5", "Tuổi quy hoạch", measure)]
    need = int(p5.params["min_months"])
    p8 = ctx.book.find("P-8", ctx.day)
    why = "(đủ ít nhất một nhiệm kỳ)"

    def judged(birth: Birth | None) -> RuleResult:
        facts = PersonFacts(None, "", birth, age.override)
        return months_left_result(ctx.book, p5, facts, measure, need, "Ngày tính tuổi quy hoạch", why)

    r = judged(age.birth)
    b = age.birth
    if b is not None and b.month is None and age.override is None:
        first, last = judged(Birth(b.sex, b.year, 1)), judged(Birth(b.sex, b.year, 12))
        if first.outcome != last.outcome:
            return [
                result(
                    p5,
                    CANNOT,
                    f"Hồ sơ chỉ có năm sinh {b.year}: tùy tháng sinh, thời gian công tác còn lại tính đến "
                    f"ngày {vn(measure)} có thể đủ hoặc không đủ {need} tháng {why}; cần tháng sinh để "
                    "xét căn cứ đưa ra khỏi quy hoạch vì quá tuổi.",
                    [FactUsed("Ngày sinh", f"{b.year} (chưa có tháng sinh)")],
                    f"≥ {need} tháng",
                )
            ]
        r = first
    if r.outcome != FAIL:
        return [r]
    ground = f" ({p8.label})" if p8 is not None else ""
    return [
        replace(
            r,
            message=f"Không còn đủ tuổi quy hoạch: {r.message.rstrip('.')} → thuộc căn cứ đưa ra khỏi "
            f"quy hoạch{ground}.",
        )
    ]


@rule("T-6")
def rule_t6(ctx: RemovalCase) -> Results:
    """T-6: a conclusion since the addition that the political standard is not met."""
    out: Results = []
    for c in ctx.entry.conclusions:
        if c.meets_standard or not ctx.entry.since_added(c.conclusion_date):
            continue
        t6 = ctx.book.find("T-6", c.conclusion_date) or ctx.book.latest("T-6")
        body = f" của {c.issuing_body}" if c.issuing_body else ""
        out.append(
            result(
                t6,
                FAIL,
                f"Kết luận{body} ngày {c.conclusion_date:%d/%m/%Y}: không đạt tiêu chuẩn chính trị → "
                "đưa ra khỏi quy hoạch chức danh này.",
                [FactUsed("Kết luận tiêu chuẩn chính trị", "không đạt", c.conclusion_date)],
            )
        )
    return out


REMOVAL = Check[RemovalCase]((rule_vote, rule_p4_rating, rule_p8_age, rule_p8_discipline, rule_t6))


def check_removal(book: Rulebook, entry: RemovalInput) -> Verdict:
    """The grounds for taking one planning entry out of its list on ``entry.day``."""
    v = Verdict(
        "planning_removal",
        "Căn cứ đưa ra khỏi quy hoạch",
        entry.day,
        "Ngày rà soát",
        entry.person_id,
        entry.person_name,
        "",
        entry.title_name,
    )
    v.results.extend(REMOVAL.results(RemovalCase(book, entry)))
    return v
