"""A discipline decision (RULES.md §13 validator 9): form, Party lapse, career-block window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from canbo.rules.engine.calculators import discipline_window, party_lapse
from canbo.rules.engine.checks.base import Check, Results, rule
from canbo.rules.engine.checks.shared import window_facts
from canbo.rules.engine.dates import vn
from canbo.rules.engine.facts import FORM_LABELS, PARTY, STATE, DisciplineFact
from canbo.rules.engine.rulebook import Rulebook
from canbo.rules.engine.verdict import (
    CANNOT,
    FAIL,
    NOT_APPLICABLE,
    PASS,
    WARN,
    FactUsed,
    Verdict,
    missing_version,
    result,
)

# §7a: which subjects may receive which form (Party subjects by D-1, State by D-5 / NĐ 112).
FORMS_BY_SUBJECT = {
    "to_chuc_dang": {"khien_trach", "canh_cao", "giai_tan"},
    "dang_vien": {"khien_trach", "canh_cao", "cach_chuc", "khai_tru"},
    "dang_vien_du_bi": {"khien_trach", "canh_cao"},
    "can_bo": {"khien_trach", "canh_cao", "cach_chuc", "bai_nhiem", "ha_bac_luong", "giang_chuc"},
    "cong_chuc": {"khien_trach", "canh_cao", "cach_chuc", "buoc_thoi_viec", "ha_bac_luong", "giang_chuc"},
}
ABOLISHED_FROM = dt.date(2025, 7, 1)  # D-5: giáng chức and hạ bậc lương abolished


@dataclass(frozen=True)
class DisciplineCase:
    """One discipline of a subject (``FORMS_BY_SUBJECT``), judged as of ``on``."""

    book: Rulebook
    discipline: DisciplineFact
    subject: str
    on: dt.date

    @property
    def form_fact(self) -> list[FactUsed]:
        d = self.discipline
        return [FactUsed("Hình thức", FORM_LABELS.get(d.form, d.form), d.decision_date)]


@rule("D-1", "D-5")
def rule_d1_d5(ctx: DisciplineCase) -> Results:
    """D-1 (Party) or D-5 (state): the form may be given to the subject on the decision date
    (giáng chức and hạ bậc lương abolished from 1/7/2025); a missing version is not applicable for
    the Party side, cannot decide for the state side."""
    d = ctx.discipline
    rule_id = "D-1" if d.system == PARTY else "D-5"
    ver = ctx.book.find(rule_id, d.decision_date)
    allowed = FORMS_BY_SUBJECT.get(ctx.subject, set())
    if d.system == STATE and d.decision_date >= ABOLISHED_FROM:
        allowed = allowed - {"ha_bac_luong", "giang_chuc"}
    if ver is None:
        return [
            missing_version(
                rule_id, "Hình thức kỷ luật", d.decision_date, CANNOT if d.system == STATE else NOT_APPLICABLE
            )
        ]
    if d.form in allowed:
        return [
            result(ver, PASS, "Hình thức kỷ luật hợp lệ với đối tượng vào ngày quyết định.", ctx.form_fact)
        ]
    extra = (
        " (bãi bỏ từ 01/07/2025)"
        if d.form in ("ha_bac_luong", "giang_chuc") and d.decision_date >= ABOLISHED_FROM
        else ""
    )
    return [
        result(
            ver,
            FAIL,
            f"Hình thức {FORM_LABELS.get(d.form, d.form).lower()} không áp dụng cho đối "
            f"tượng này vào ngày {vn(d.decision_date)}{extra}.",
            ctx.form_fact,
        )
    ]


@rule("D-2")
def rule_d2(ctx: DisciplineCase) -> Results:
    """D-2: a Party discipline lapses ``lapse_months`` after its announcement unless the form is
    one that ``never`` lapses; silent for state discipline."""
    lapse, d2, assumed = party_lapse(ctx.book, ctx.discipline)
    if d2 is None:
        return []
    if lapse is None:
        return [result(d2, PASS, "Hình thức này không tự động chấm dứt hiệu lực.", ctx.form_fact)]
    note = " (chưa có ngày công bố, tính từ ngày hiệu lực/quyết định)" if assumed else ""
    return [
        result(
            d2,
            PASS,
            f"Tự động chấm dứt hiệu lực ngày {vn(lapse)}{note} nếu không khiếu "
            "nại, tái phạm hay vi phạm mới.",
            [FactUsed("Ngày chấm dứt hiệu lực", vn(lapse), lapse)],
            f"{d2.params['lapse_months']} tháng",
        )
    ]


@rule("D-6", "D-7")
def rule_window(ctx: DisciplineCase) -> Results:
    """D-6 (Party) or D-7 (state): the window during which the discipline bars planning and
    appointment, and whether it bars them on ``on`` (a warning while it does)."""
    w = discipline_window(ctx.book, ctx.discipline, ctx.on)
    if w is None:
        return []
    on = ctx.on
    state = "đang chặn" if w.covers(on) else ("đã hết" if on >= w.end else "chưa bắt đầu")
    return [
        result(
            w.version,
            WARN if w.covers(on) else PASS,
            f"Không {w.blocks} từ {vn(w.start)} đến hết ngày "
            f"{vn(w.end - dt.timedelta(days=1))} ({state} tại ngày {vn(on)}).",
            window_facts(w),
            f"{w.months} tháng",
        )
    ]


DISCIPLINE = Check[DisciplineCase]((rule_d1_d5, rule_d2, rule_window))


def check_discipline(book: Rulebook, d: DisciplineFact, subject: str, on: dt.date) -> Verdict:
    """Form valid for the subject on the decision date; Party lapse date; career-block window."""
    v = Verdict("discipline", "Kỷ luật", d.decision_date, "Ngày quyết định kỷ luật", None, "", "", d.label)
    v.results.extend(DISCIPLINE.results(DisciplineCase(book, d, subject, on)))
    return v
