"""Early step raises (SALARY.md S-9, S-10): an agency's proposal for outstanding achievement,
and the raise of a person with a retirement notice who is close to his next regular raise.

Both judge the person's next regular raise (``SalaryCase.schedule``, S-4 with its delays):
S-9 needs him below the last step, an award decided in the step time, every year of the step
time up to the early date rated at least "hoàn thành tốt nhiệm vụ" (a year without rating:
cannot decide), no delay in it (discipline, KHT) and no more months early than S-9 allows;
the agency's yearly cap is a count over its proposals (``salary.early``), not a fact of one
person. S-10 needs a retirement notice, him below the last step, and at most S-10's months
between the notice and the regular due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from canbo.rules.engine.checks.base import Check, Results, rule
from canbo.rules.engine.checks.salary import REGULAR, SalaryCase, coef_text
from canbo.rules.engine.dates import add_months, vn, whole_months_between
from canbo.rules.engine.facts import STATE
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

ACHIEVEMENT, RETIREMENT = "S-9", "S-10"
LABELS = {
    ACHIEVEMENT: "Nâng bậc lương trước thời hạn do lập thành tích xuất sắc",
    RETIREMENT: "Nâng bậc lương trước thời hạn khi có thông báo nghỉ hưu",
}
GOOD_LEVELS = ("htt", "htxs")
LAST_STEP = "Đã xếp bậc cuối của ngạch: không nâng bậc trước thời hạn."


@dataclass(frozen=True)
class EarlyCase:
    """The person's salary case, the rule asked, and its facts: for S-9 the award (label and
    decision date) and the months early; for S-10 the notice date."""

    salary: SalaryCase
    rule_id: str
    months: int = 0
    award: str = ""
    award_date: dt.date | None = None
    notice_date: dt.date | None = None

    @property
    def regular_due(self) -> dt.date:
        return self.salary.schedule.due

    @property
    def raise_date(self) -> dt.date:
        """The date the new step counts from: S-9's months before the regular due date; for
        S-10 the notice's date."""
        if self.rule_id == RETIREMENT:
            assert self.notice_date is not None  # noqa: S101 (an S-10 case is built with its notice)
            return self.notice_date
        return add_months(self.regular_due, -self.months)


def _facts(ctx: EarlyCase) -> list[FactUsed]:
    r, s = ctx.salary.row, ctx.salary.schedule
    return [
        FactUsed(
            "Ngạch, bậc đang hưởng",
            f"{r.grade_code} loại {r.group}, bậc {r.step}/{r.steps}, hệ số {coef_text(r.coefficient)}",
            None,
        ),
        FactUsed("Mốc tính nâng bậc", vn(r.step_since), r.step_since),
        FactUsed("Ngày đến hạn nâng bậc thường xuyên", vn(s.due), s.due),
    ]


@rule(ACHIEVEMENT)
def rule_s9(ctx: EarlyCase) -> Results:
    """S-9: an award in the step time, every year rated at least HTT, no delay, not at the last
    step, at most S-9's months early."""
    if ctx.rule_id != ACHIEVEMENT:
        return []
    case, s = ctx.salary, ctx.salary.schedule
    day = ctx.raise_date
    ver = case.book.find(ACHIEVEMENT, day)
    if ver is None:
        return [missing_version(ACHIEVEMENT, LABELS[ACHIEVEMENT], day, CANNOT)]
    facts = _facts(ctx)
    limit = int(ver.params.get("max_months", 12))
    threshold = f"tối đa {limit} tháng"
    if case.kind != REGULAR:
        return [
            result(ver, FAIL, "Đã xếp bậc cuối của ngạch: không nâng bậc trước thời hạn.", facts, threshold)
        ]
    if not 1 <= ctx.months <= limit:
        return [result(ver, FAIL, f"Nâng trước {ctx.months} tháng vượt mức tối đa {limit} tháng.", facts,
                       threshold)]  # fmt: skip
    facts.append(FactUsed("Khen thưởng", ctx.award or "—", ctx.award_date))
    since = case.row.step_since
    if ctx.award_date is None or not since <= ctx.award_date < s.due:
        return [result(ver, FAIL, "Không có khen thưởng được quyết định trong thời gian giữ bậc.", facts,
                       threshold)]  # fmt: skip
    if s.delays:
        reasons = "; ".join(d.reason for d in s.delays)
        return [result(ver, FAIL, f"Thời gian giữ bậc bị kéo dài ({reasons}).", facts, threshold)]
    years = range(since.year, day.year)
    levels = {r.year: r.level for r in case.ratings if r.system == STATE and r.period_is_year}
    below = [y for y in years if y in levels and levels[y] not in GOOD_LEVELS]
    if below:
        text = ", ".join(str(y) for y in below)
        return [result(ver, FAIL, f"Năm {text} xếp loại dưới mức hoàn thành tốt nhiệm vụ.", facts, threshold)]
    missing = [y for y in years if y not in levels]
    if missing:
        text = ", ".join(str(y) for y in missing)
        return [
            result(ver, CANNOT, f"Chưa kết luận được: thiếu kết quả xếp loại năm {text}.", facts, threshold)
        ]
    return [
        result(
            ver,
            PASS,
            f"Đủ điều kiện nâng lên bậc {case.row.step + 1} trước thời hạn {ctx.months} tháng, hưởng từ "
            f"ngày {vn(day)}.",
            facts,
            threshold,
        )
    ]


@rule(RETIREMENT)
def rule_s10(ctx: EarlyCase) -> Results:
    """S-10: a retirement notice at most S-10's months before the regular due date."""
    if ctx.rule_id != RETIREMENT:
        return []
    case, s = ctx.salary, ctx.salary.schedule
    notice = ctx.notice_date
    if notice is None:
        return []
    ver = case.book.find(RETIREMENT, notice)
    if ver is None:
        return [missing_version(RETIREMENT, LABELS[RETIREMENT], notice, CANNOT)]
    facts = [*_facts(ctx), FactUsed("Ngày thông báo nghỉ hưu", vn(notice), notice)]
    limit = int(ver.params.get("max_months", 12))
    threshold = f"còn thiếu tối đa {limit} tháng"
    if case.kind != REGULAR:
        return [
            result(ver, FAIL, "Đã xếp bậc cuối của ngạch: không nâng bậc trước thời hạn.", facts, threshold)
        ]
    if s.due <= notice:
        return [result(ver, NOT_APPLICABLE, "Đã đến hạn nâng bậc thường xuyên tại ngày thông báo.", facts,
                       threshold)]  # fmt: skip
    full = whole_months_between(notice, s.due)
    lacking = full if add_months(notice, full) == s.due else full + 1  # a month begun counts
    if add_months(notice, limit) < s.due:
        return [result(ver, FAIL, f"Tại ngày thông báo còn thiếu {lacking} tháng (quá {limit} tháng).", facts,
                       threshold)]  # fmt: skip
    return [
        result(
            ver,
            PASS,
            f"Tại ngày thông báo còn thiếu {lacking} tháng: nâng lên bậc {case.row.step + 1} trước thời hạn, "
            f"hưởng từ ngày {vn(notice)}.",
            facts,
            threshold,
        )
    ]


EARLY = Check[EarlyCase]((rule_s9, rule_s10))


def check_early(ctx: EarlyCase, *, person_id: int | None = None, person_name: str = "") -> Verdict:
    v = Verdict(
        "early_raise",
        LABELS[ctx.rule_id],
        ctx.raise_date,
        "Ngày hưởng bậc mới",
        person_id,
        person_name,
        ctx.salary.row.grade_code,
        "",
    )
    v.results.extend(EARLY.results(ctx))
    return v
