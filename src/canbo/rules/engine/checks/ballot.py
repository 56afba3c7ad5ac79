"""Appointment ballot (RULES.md §13 validator 3) and the options rule of an appointment case.

One step of the appointment procedure (A-9, A-11, A-12) is a meeting: the number convened, present
and the ballots issued, and the votes of each candidate. Its quorum is A-9's (at least 2/3 of
those convened); its selection A-10's: shares over the number **convened**, the candidates above
one half win by most votes, one per seat; if nobody is above one half, the top two per unfilled
seat go to the next step. A tie at the last place selects nobody of the tied: they all go on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from canbo.rules.engine.checks.base import Check, Results, rule
from canbo.rules.engine.rulebook import Rulebook, RuleVersion
from canbo.rules.engine.verdict import (
    CANNOT,
    FAIL,
    NOT_APPLICABLE,
    PASS,
    FactUsed,
    Verdict,
    missing_version,
    result,
)


class BallotInputError(ValueError):
    """Counts that cannot be true of one meeting; the message is Vietnamese."""


@dataclass(frozen=True)
class BallotInput:
    """One meeting: counts and the votes per candidate (name → votes), on ``day``."""

    day: dt.date
    convened: int
    present: int
    ballots: int
    votes: dict[str, int] = field(default_factory=dict)
    seats: int = 1

    def validate(self) -> None:
        """Refuse counts that cannot be true (raise BallotInputError with the reason)."""
        if min(self.convened, self.present, self.ballots, self.seats) < 0 or self.seats < 1:
            raise BallotInputError(
                "Số người, số phiếu và số chức danh không được âm; số chức danh ít nhất là 1."
            )
        if self.convened < 1:
            raise BallotInputError("Số người được triệu tập phải từ 1 trở lên.")
        if self.present > self.convened:
            raise BallotInputError(
                f"Số người có mặt ({self.present}) không được lớn hơn số được triệu tập ({self.convened})."
            )
        if self.ballots > self.present:
            raise BallotInputError(
                f"Số phiếu phát ra ({self.ballots}) không được lớn hơn số người có mặt ({self.present})."
            )
        for name, n in self.votes.items():
            if n < 0:
                raise BallotInputError(f"Số phiếu của {name} không được âm.")
            if n > self.ballots:
                raise BallotInputError(
                    f"Số phiếu của {name} ({n}) lớn hơn số phiếu phát ra ({self.ballots})."
                )
        if sum(self.votes.values()) > self.ballots * self.seats:
            raise BallotInputError(
                f"Tổng số phiếu giới thiệu ({sum(self.votes.values())}) vượt quá số phiếu phát ra nhân số "
                f"chức danh ({self.ballots} × {self.seats}): mỗi người chỉ giới thiệu "
                "một người cho một chức danh."
            )


def parse_fraction(text: object, default: str) -> Fraction:
    raw = str(text or default)
    a, _, b = raw.partition("/")
    return Fraction(int(a), int(b or 1))


@dataclass(frozen=True)
class BallotCase:
    book: Rulebook
    ballot: BallotInput

    @property
    def day(self) -> dt.date:
        return self.ballot.day

    @cached_property
    def a9(self) -> RuleVersion | None:
        return self.book.find("A-9", self.day)

    @cached_property
    def a10(self) -> RuleVersion | None:
        return self.book.find("A-10", self.day)

    @property
    def quorum_share(self) -> Fraction:
        """A-9's quorum; the latest version's when none is in force on the day (QĐ 105 had the
        same 2/3), so that a meeting is never counted without one."""
        version = self.a9 or _latest(self.book, "A-9")
        return parse_fraction(version.params.get("quorum") if version else None, "2/3")

    @property
    def quorum_needed(self) -> int:
        share = self.quorum_share * self.ballot.convened
        return int(share) if share.denominator == 1 else int(share) + 1

    @property
    def quorum_met(self) -> bool:
        return self.ballot.present >= self.quorum_needed

    @property
    def winner_share(self) -> Fraction:
        version = self.a10 or _latest(self.book, "A-10")
        return parse_fraction(version.params.get("winner_share_over") if version else None, "1/2")

    def share(self, name: str) -> Fraction:
        return Fraction(self.ballot.votes.get(name, 0), self.ballot.convened)

    @cached_property
    def selection(self) -> tuple[list[str], list[str]]:
        """(selected, next round) by A-10; both empty without quorum."""
        if not self.quorum_met:
            return [], []
        seats = self.ballot.seats
        ranked = sorted(self.ballot.votes.items(), key=lambda kv: (-kv[1], kv[0]))
        above = [(n, v) for n, v in ranked if self.share(n) > self.winner_share]
        selected: list[str] = []
        if above:
            if len(above) <= seats:
                selected = [n for n, _ in above]
            else:
                cutoff = above[seats - 1][1]
                selected = [n for n, v in above if v > cutoff]
                if len(selected) == seats - 1 and sum(1 for _, v in above if v == cutoff) == 1:
                    selected.append(next(n for n, v in above if v == cutoff))
        unfilled = seats - len(selected)
        rest = [(n, v) for n, v in ranked if n not in selected and v > 0]
        following: list[str] = []
        if unfilled and rest:
            keep = min(2 * unfilled, len(rest))
            cutoff = rest[keep - 1][1]
            following = [n for n, v in rest if v >= cutoff]
        return selected, following


def _latest(book: Rulebook, rule_id: str) -> RuleVersion | None:
    try:
        return book.latest(rule_id)
    except LookupError:
        return None


def _pct(f: Fraction) -> str:
    return f"{float(f) * 100:.1f}".replace(".", ",") + "%"


@rule("A-9")
def quorum(ctx: BallotCase) -> Results:
    """A-9: a meeting of the procedure counts only with at least 2/3 of those convened present."""
    version = ctx.a9
    if version is None:
        return [missing_version("A-9", "Quy trình nguồn tại chỗ (5 bước)", ctx.day)]
    b = ctx.ballot
    facts = [
        FactUsed("Số được triệu tập", str(b.convened), ctx.day),
        FactUsed("Số có mặt", str(b.present), ctx.day),
        FactUsed("Số cần có mặt", str(ctx.quorum_needed)),
    ]
    threshold = f"có mặt ≥ {ctx.quorum_share.numerator}/{ctx.quorum_share.denominator} số được triệu tập"
    if ctx.quorum_met:
        message = f"Đủ số lượng: có mặt {b.present}/{b.convened}, cần ít nhất {ctx.quorum_needed}."
        return [result(version, PASS, message, facts, threshold)]
    message = (
        f"Không đủ số lượng: có mặt {b.present}/{b.convened}, cần ít nhất {ctx.quorum_needed}. "
        "Bước này được ghi nhận nhưng không được dùng để chuyển hồ sơ sang bước sau."
    )
    return [result(version, FAIL, message, facts, threshold)]


@rule("A-10", uses=("A-9",))
def selection(ctx: BallotCase) -> Results:
    """A-10: shares over those convened; above one half wins (most votes), else the top two go on."""
    version = ctx.a10 or _latest(ctx.book, "A-10")
    if version is None:
        return [missing_version("A-10", "Lựa chọn qua mỗi bước bỏ phiếu", ctx.day)]
    b = ctx.ballot
    facts = [FactUsed(f"Tỷ lệ của {n}", f"{v} phiếu = {_pct(ctx.share(n))}") for n, v in b.votes.items()]
    threshold = f"> {_pct(ctx.winner_share)} số được triệu tập"
    if not ctx.quorum_met:
        return [
            result(
                version, NOT_APPLICABLE, "Không tính kết quả vì hội nghị không đủ số lượng.", facts, threshold
            )
        ]
    if not b.votes:
        return [result(version, CANNOT, "Chưa có số phiếu của người nào.", facts, threshold)]
    selected, following = ctx.selection
    parts = []
    if selected:
        parts.append("Trúng: " + ", ".join(selected) + ".")
    if following:
        parts.append("Chuyển sang bước sau: " + ", ".join(following) + ".")
    if not selected and not following:
        parts.append("Không ai được chọn.")
    outcome = PASS if selected else CANNOT
    return [result(version, outcome, " ".join(parts), facts, threshold)]


BALLOT: Check[BallotCase] = Check((quorum, selection))


@dataclass(frozen=True)
class OptionsCase:
    """The options of an appointment case at the end of nomination: ``options`` candidates for
    ``seats`` seats; ``exempt`` says why the rule does not apply (A-12, reappointment), if so."""

    book: Rulebook
    day: dt.date
    seats: int
    options: int
    exempt: str = ""


@rule("A-18")
def enough_options(ctx: OptionsCase) -> Results:
    """A-18: at least N personnel options for each post before the case moves past nomination."""
    version = ctx.book.find("A-18", ctx.day)
    if version is None:
        return [missing_version("A-18", "Ít nhất hai phương án nhân sự cho một chức danh", ctx.day)]
    per_post = int(version.params.get("min_options", 2))
    needed = per_post * ctx.seats
    facts = [
        FactUsed("Số chức danh cần bổ nhiệm", str(ctx.seats)),
        FactUsed("Số phương án", str(ctx.options)),
    ]
    threshold = f"ít nhất {per_post} phương án cho một chức danh"
    if ctx.exempt:
        return [result(version, NOT_APPLICABLE, ctx.exempt, facts, threshold)]
    if ctx.options >= needed:
        return [
            result(
                version, PASS, f"Có {ctx.options} phương án nhân sự, cần ít nhất {needed}.", facts, threshold
            )
        ]
    message = f"Mới có {ctx.options} phương án nhân sự, cần ít nhất {needed} ({per_post} cho mỗi chức danh)."
    return [result(version, FAIL, message, facts, threshold)]


OPTIONS: Check[OptionsCase] = Check((enough_options,))


def check_ballot(book: Rulebook, ballot: BallotInput) -> Verdict:
    """Validator 3 on one meeting (``ballot.validate()`` must have passed)."""
    verdict = Verdict(
        purpose="ballot",
        purpose_label="Kiểm phiếu một bước của quy trình bổ nhiệm",
        event_date=ballot.day,
        event_date_note="Ngày họp",
        person_id=None,
        person_name="",
        title_code="",
        title_name="",
    )
    verdict.results = BALLOT.results(BallotCase(book, ballot))
    return verdict


def check_options(book: Rulebook, day: dt.date, seats: int, options: int, exempt: str = "") -> Verdict:
    verdict = Verdict(
        purpose="options",
        purpose_label="Số phương án nhân sự",
        event_date=day,
        event_date_note="Ngày cơ quan tổ chức cán bộ nhận tờ trình và hồ sơ",
        person_id=None,
        person_name="",
        title_code="",
        title_name="",
    )
    verdict.results = OPTIONS.results(OptionsCase(book, day, seats, options, exempt))
    return verdict


def ballot_summary(book: Rulebook, ballot: BallotInput) -> dict[str, object]:
    """Validator 3 as data (the command line and the API): quorum, shares over those convened
    (rounded to 4 places), who is selected, who goes on, and every rule applied."""
    case = BallotCase(book, ballot)
    selected, following = case.selection
    return {
        "quorum_met": case.quorum_met,
        "quorum_needed": case.quorum_needed,
        "shares": {n: round(float(case.share(n)), 4) for n in ballot.votes},
        "selected": selected,
        "next_round": following,
        "rules": [r.to_dict() for r in check_ballot(book, ballot).results],
    }


def parse_votes(text: str) -> dict[str, int]:
    """``"A=12,B=9,C=3"`` → {"A": 12, "B": 9, "C": 3}; raise BallotInputError on a bad item."""
    votes: dict[str, int] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        name, sep, count = item.rpartition("=")
        name = name.strip()
        if not sep or not name or not count.strip().isdigit():
            raise BallotInputError(
                f"Không đọc được “{item.strip()}”: ghi dạng Tên=số phiếu, cách nhau bằng dấu phẩy."
            )
        if name in votes:
            raise BallotInputError(f"{name} được ghi hai lần.")
        votes[name] = int(count)
    return votes
