"""Confidence vote (RULES.md §13 validator 7)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from canbo.rules.engine.checks.base import Check, Results, rule
from canbo.rules.engine.rulebook import Rulebook, RuleVersion
from canbo.rules.engine.verdict import (
    CANNOT,
    FAIL,
    PASS,
    WARN,
    FactUsed,
    Verdict,
    missing_version,
    result,
)


@dataclass(frozen=True)
class VoteInput:
    vote_date: dt.date
    convened: int
    present: int
    ballots: int
    high: int
    medium: int
    low: int
    person_id: int | None = None
    person_name: str = ""
    position: str = ""


def frac(text: str) -> tuple[int, int]:
    a, b = text.split("/")
    return int(a), int(b)


DENOMINATOR_LABELS = {"convened": "số được triệu tập", "present": "số có mặt", "ballots": "số phiếu phát ra"}


@dataclass(frozen=True)
class VoteCase:
    book: Rulebook
    vote: VoteInput

    @property
    def day(self) -> dt.date:
        return self.vote.vote_date

    @property
    def counts(self) -> list[FactUsed]:
        vote, day = self.vote, self.day
        return [
            FactUsed("Số được triệu tập", str(vote.convened), day),
            FactUsed("Số có mặt", str(vote.present), day),
            FactUsed("Số phiếu phát ra", str(vote.ballots), day),
            FactUsed("Tín nhiệm thấp", str(vote.low), day),
        ]

    @cached_property
    def v6(self) -> RuleVersion:
        """V-6 in force on the vote date (the latest version when none is: the denominator is
        always needed)."""
        return self.book.find("V-6", self.day) or self.book.latest("V-6")

    @property
    def denominator_key(self) -> str:
        return str(self.v6.params.get("denominator", "convened"))

    @property
    def denominator(self) -> int:
        vote = self.vote
        return {"convened": vote.convened, "present": vote.present, "ballots": vote.ballots}[
            self.denominator_key
        ]

    @property
    def low_fact(self) -> list[FactUsed]:
        low, denom = self.vote.low, self.denominator
        return [FactUsed("Tỷ lệ tín nhiệm thấp", f"{low}/{denom} = {100 * low / denom:.1f}%", self.day)]


@rule("V-3")
def rule_v3(ctx: VoteCase) -> Results:
    """V-3: the meeting is quorate: present / convened at least ``quorum``."""
    v3 = ctx.book.find("V-3", ctx.day)
    if v3 is None:
        return [missing_version("V-3", "Số lượng tham dự", ctx.day)]
    vote = ctx.vote
    a, b = frac(v3.params["quorum"])
    ok = vote.present * b >= vote.convened * a
    return [
        result(
            v3,
            PASS if ok else FAIL,
            f"Có mặt {vote.present}/{vote.convened} người được triệu tập, "
            f"{'đủ' if ok else 'không đủ'} {a}/{b}.",
            ctx.counts[:2],
            f"≥ {a}/{b}",
        )
    ]


@rule("V-6")
def rule_v6(ctx: VoteCase) -> Results:
    """V-6: the ratios are taken over ``denominator`` (convened, present or ballots issued); a
    zero denominator cannot be decided, and the V-4/V-5/V-10 rules then say nothing."""
    if ctx.denominator == 0:
        return [result(ctx.v6, CANNOT, "Mẫu số bằng 0: không tính được tỷ lệ.", ctx.counts)]
    label = DENOMINATOR_LABELS[ctx.denominator_key]
    return [result(ctx.v6, PASS, f"Tỷ lệ tính trên {label} ({ctx.denominator}).", ctx.counts)]


@rule("V-4", "V-5")
def rule_v4_v5(ctx: VoteCase) -> Results:
    """V-5: "low" at ``low_at_least`` or more → dismissal without waiting for the term's end (a
    fail); V-4: "low" above ``low_over`` and below V-5's share → removed from planning for higher
    posts (a warning); else a V-4 pass. Both rules are needed to judge (else V-4 is missing)."""
    if ctx.denominator == 0:
        return []
    day, low, denom = ctx.day, ctx.vote.low, ctx.denominator
    v5, v4 = ctx.book.find("V-5", day), ctx.book.find("V-4", day)
    if v5 is None or v4 is None:
        return [missing_version("V-4", "Ngưỡng tín nhiệm thấp", day)]
    a5, b5 = frac(v5.params["low_at_least"])
    a4, b4 = frac(v4.params["low_over"])
    if low * b5 >= denom * a5:
        return [
            result(
                v5,
                FAIL,
                f"Tín nhiệm thấp từ {a5}/{b5} trở lên: cấp có thẩm quyền cho thôi giữ chức "
                "vụ, miễn nhiệm mà không chờ hết nhiệm kỳ.",
                ctx.low_fact,
                f"≥ {a5}/{b5}",
            )
        ]
    if low * b4 > denom * a4:
        return [
            result(
                v4,
                WARN,
                f"Tín nhiệm thấp trên {a4}/{b4} và dưới {a5}/{b5}: đưa ra khỏi quy hoạch "
                "chức vụ cao hơn; xem xét cho thôi giữ chức vụ, điều động hoặc từ chức.",
                ctx.low_fact,
                f"> {a4}/{b4} và < {a5}/{b5}",
            )
        ]
    return [result(v4, PASS, f"Tín nhiệm thấp không quá {a4}/{b4}.", ctx.low_fact, f"≤ {a4}/{b4}")]


@rule("V-10")
def rule_v10(ctx: VoteCase) -> Results:
    """V-10: "low" above ``low_over`` in the year → the year is rated "không hoàn thành nhiệm vụ"
    (E-4); silent when V-10 is not in force."""
    v10 = ctx.book.find("V-10", ctx.day)
    if v10 is None or ctx.denominator == 0:
        return []
    a, b = frac(v10.params["low_over"])
    if ctx.vote.low * b > ctx.denominator * a:
        return [
            result(
                v10,
                FAIL,
                f"Tín nhiệm thấp trên {a}/{b}: năm {ctx.day.year} xếp loại không hoàn thành nhiệm vụ (E-4).",
                ctx.low_fact,
                f"> {a}/{b}",
            )
        ]
    return [
        result(v10, PASS, f"Không thuộc trường hợp V-10 (tín nhiệm thấp không quá {a}/{b}).", ctx.low_fact)
    ]


VOTE = Check[VoteCase]((rule_v3, rule_v6, rule_v4_v5, rule_v10))


def check_vote(book: Rulebook, vote: VoteInput) -> Verdict:
    v = Verdict(
        "vote",
        "Kết quả lấy phiếu tín nhiệm",
        vote.vote_date,
        "Ngày lấy phiếu",
        vote.person_id,
        vote.person_name,
        "",
        vote.position,
    )
    v.results.extend(VOTE.results(VoteCase(book, vote)))
    return v
