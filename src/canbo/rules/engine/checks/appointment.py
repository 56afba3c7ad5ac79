"""Appointment (RULES.md §13 validator 2) and reappointment (validator 4)."""

from __future__ import annotations

import datetime as dt

from canbo.rules.engine.calculators import TermInfo, months_left, notice_due, retirement
from canbo.rules.engine.checks.base import (
    RETIREMENT_RULES,
    Case,
    Check,
    Results,
    months_left_result,
    planned_result,
    rank_facts,
    rule,
)
from canbo.rules.engine.checks.shared import rule_d3, rule_d6, rule_d7, rule_h9, rule_p9, rule_p12, rule_t5
from canbo.rules.engine.dates import vn, whole_months_between
from canbo.rules.engine.facts import RATING_LABELS
from canbo.rules.engine.rulebook import RuleVersion
from canbo.rules.engine.verdict import (
    CANNOT,
    FAIL,
    NOT_APPLICABLE,
    PASS,
    WARN,
    FactUsed,
    missing_version,
    result,
)

HEALTH_LABELS = {"tot": "Tốt", "kha": "Khá", "trung_binh": "Trung bình", "yeu": "Yếu"}


# -- first or higher appointment ------------------------------------------------------------


@rule("A-4")
def rule_a4(ctx: Case) -> Results:
    """A-4: a post of the same or lower rank than the one held is exempt from the A-3 age check;
    says so only for such a post (nothing for a higher one or a title without a rank)."""
    a4 = ctx.find("A-4")
    if ctx.title.rank is None or ctx.higher or a4 is None:
        return []
    return [
        result(
            a4,
            PASS,
            "Chức vụ ngang hoặc thấp hơn chức vụ đang giữ: không xét điều kiện tuổi A-3.",
            rank_facts(ctx),
        )
    ]


@rule("A-3", uses=RETIREMENT_RULES)
def rule_a3(ctx: Case) -> Results:
    """A-3: a first or higher appointment needs ``min_months`` of working time left (H-7) on the
    day the file is received; cannot decide for a title without a rank; not applicable to a post
    that is not higher (A-4)."""
    a3 = ctx.find("A-3")
    if ctx.title.rank is None:
        return [
            result(
                a3, CANNOT, "Chức danh chưa có thứ bậc nên không xác định được là chức vụ cao hơn hay ngang."
            )
            if a3
            else missing_version("A-3", "Tuổi bổ nhiệm", ctx.day, CANNOT)
        ]
    if not ctx.higher:
        if a3 is None:
            return []
        return [
            result(
                a3,
                NOT_APPLICABLE,
                "Không áp dụng vì bổ nhiệm chức vụ ngang hoặc thấp hơn (A-4)."
                if ctx.find("A-4")
                else "Không áp dụng: chức vụ không cao hơn.",
                rank_facts(ctx),
            )
        ]
    if a3 is None:
        return [missing_version("A-3", "Tuổi bổ nhiệm lần đầu, chức vụ cao hơn", ctx.day)]
    return [
        months_left_result(
            ctx.book,
            a3,
            ctx.person,
            ctx.day,
            int(a3.params["min_months"]),
            "Ngày nhận hồ sơ",
            "(đủ một nhiệm kỳ)",
        )
    ]


@rule("A-5")
def rule_a5(ctx: Case) -> Results:
    """A-5: for a higher post the person is in the planning list for the title (or an equivalent
    or higher one) on the day; silent for a post that is not higher."""
    a5 = ctx.find("A-5")
    if not ctx.higher or a5 is None:
        return []
    return [planned_result(ctx, a5, no_tail="; chỉ cấp có thẩm quyền quyết định ngoại lệ.")]


@rule("A-6")
def rule_a6(ctx: Case) -> Results:
    """A-6: time in the current (or an equivalent) post, summed over leadership posts of the rank
    held, is at least ``min_months``; not applicable to a first appointment."""
    a6 = ctx.find("A-6")
    day = ctx.day
    if a6 is None:
        return [missing_version("A-6", "Thời gian giữ chức vụ", day)]
    if ctx.first:
        return [result(a6, NOT_APPLICABLE, "Bổ nhiệm lần đầu: không xét thời gian giữ chức vụ.")]
    if ctx.rank is None:
        return [result(a6, CANNOT, "Không xác định được thứ bậc chức vụ đang giữ.")]
    same = [
        t for t in ctx.person.tenures if t.title.is_leader and t.title.rank == ctx.rank and t.start <= day
    ]
    months = sum(whole_months_between(t.start, min(t.end or day, day) + dt.timedelta(days=1)) for t in same)
    need = int(a6.params["min_months"])
    facts = [
        FactUsed(
            f"{t.title.name}, {t.unit_name}",
            f"{vn(t.start)} – {vn(t.end) if t.end and t.end < day else 'nay'}",
            t.start,
        )
        for t in same
    ]
    facts.append(FactUsed("Tổng thời gian giữ chức vụ hiện tại hoặc tương đương", f"{months} tháng", day))
    ok = months >= need
    return [
        result(
            a6,
            PASS if ok else FAIL,
            f"Đã giữ chức vụ hiện tại hoặc tương đương {months} tháng, "
            f"{'đủ' if ok else 'chưa đủ'} {need} tháng.",
            facts,
            f"≥ {need} tháng",
        )
    ]


@rule("A-7")
def rule_a7(ctx: Case) -> Results:
    """A-7: fit in health (the latest health check is not "yếu") and not under discipline,
    investigation, prosecution or trial (declared); silent when A-7 is not in force."""
    a7 = ctx.find("A-7")
    if a7 is None:
        return []
    pending = ctx.declared.pending_discipline
    checks = [c for c in ctx.person.health if c.check_date <= ctx.day]
    facts: list[FactUsed] = []
    problems: list[str] = []
    unknown: list[str] = []
    if not checks:
        unknown.append("chưa có kết quả khám sức khỏe")
    else:
        last = max(checks, key=lambda c: c.check_date)
        facts.append(FactUsed("Sức khỏe", HEALTH_LABELS.get(last.status, last.status), last.check_date))
        if last.status == "yeu":
            problems.append("sức khỏe yếu")
    if pending is None:
        unknown.append("chưa khai báo việc đang bị kỷ luật, điều tra, truy tố, xét xử")
    elif pending:
        problems.append("đang bị xem xét kỷ luật, điều tra, truy tố hoặc xét xử")
    facts.append(
        FactUsed("Đang bị kỷ luật, điều tra", {None: "chưa khai báo", True: "có", False: "không"}[pending])
    )
    if problems:
        return [result(a7, FAIL, "Không đạt: " + "; ".join(problems) + ".", facts)]
    if unknown:
        return [result(a7, CANNOT, "Chưa kết luận được: " + "; ".join(unknown) + ".", facts)]
    return [result(a7, PASS, "Đủ sức khỏe; không đang bị kỷ luật, điều tra, truy tố, xét xử.", facts)]


APPOINTMENT = Check[Case](
    (
        rule_a4,
        rule_a3,
        rule_a5,
        rule_a6,
        rule_a7,
        rule_d3,
        rule_d6,
        rule_d7,
        rule_p9,
        rule_t5,
        rule_p12,
        rule_h9,
    )
)


# -- reappointment --------------------------------------------------------------------------


def term(ctx: Case) -> TermInfo:
    """The term of the post being renewed (the gate ``rule_no_term`` guarantees there is one)."""
    found = ctx.term
    assert found is not None, "reappointment rules run only after rule_no_term"  # noqa: S101 (invariant; narrows the type for mypy)
    return found


@rule("A-13")
def rule_no_term(ctx: Case) -> Results:
    """Gate of reappointment (A-13): the person holds the title (a leadership post) on the day,
    else there is no term to renew and nothing else is judged (cannot decide)."""
    if ctx.term is not None:
        return []
    return [
        result(
            ctx.find("A-13") or ctx.book.latest("A-13"),
            CANNOT,
            f"Ngày {vn(ctx.day)} người này không giữ chức vụ {ctx.title.name} (chức vụ lãnh đạo) "
            "nên không có nhiệm kỳ để bổ nhiệm lại.",
        )
    ]


@rule("A-1")
def rule_a1(ctx: Case) -> Results:
    """A-1: the term of the post held: ``term_years`` from the decision's effective date (a pass
    stating when the current term ends)."""
    t = term(ctx)
    end = t.term_end
    return [
        result(
            t.version,
            PASS,
            f"Thời hạn giữ chức vụ {t.term_years} năm kể từ ngày quyết định có hiệu lực: "
            f"nhiệm kỳ hiện tại kết thúc hết ngày {vn(end)}.",
            [
                FactUsed("Chức vụ", f"{t.tenure.title.name}, {t.tenure.unit_name}", t.tenure.start),
                FactUsed("Nhiệm kỳ hiện tại", f"{vn(t.term_start)} – {vn(end)}", t.term_start),
            ],
            f"{t.term_years} năm",
        )
    ]


@rule("A-13")
def rule_a13(ctx: Case) -> Results:
    """A-13, two results: the notice is due ``notice_working_days`` working days before the term
    ends (a warning once past); every rating in the term is "hoàn thành nhiệm vụ" or better (a
    fail for any "không hoàn thành", cannot decide with none on file)."""
    day = ctx.day
    a13 = ctx.find("A-13")
    if a13 is None:
        return [missing_version("A-13", "Bổ nhiệm lại", day)]
    t = term(ctx)
    end = t.term_end
    due, _ = notice_due(ctx.book, end)
    days = int(a13.params["notice_working_days"])
    facts = [FactUsed("Ngày kết thúc nhiệm kỳ", vn(end), end), FactUsed("Hạn thông báo", vn(due), due)]
    out: Results = []
    if day > due:
        out.append(
            result(
                a13,
                WARN,
                f"Đã quá hạn thông báo bổ nhiệm lại ({days} ngày làm việc trước khi hết "
                f"nhiệm kỳ: chậm nhất {vn(due)}).",
                facts,
                f"≥ {days} ngày làm việc",
            )
        )
    else:
        out.append(
            result(
                a13,
                PASS,
                f"Hạn thông báo bổ nhiệm lại: chậm nhất ngày {vn(due)} ({days} ngày làm "
                "việc trước khi hết nhiệm kỳ, trừ thứ Bảy, Chủ nhật và ngày lễ).",
                facts,
                f"≥ {days} ngày làm việc",
            )
        )
    in_term = [r for r in ctx.person.ratings if t.term_start.year <= r.year <= day.year]
    rfacts = [
        FactUsed(f"Xếp loại năm {r.year}", RATING_LABELS.get(r.level, r.level), r.decision_date)
        for r in sorted(in_term, key=lambda r: r.year)
    ]
    if any(r.level == "kht" for r in in_term):
        out.append(
            result(
                a13,
                FAIL,
                "Có năm không hoàn thành nhiệm vụ trong nhiệm kỳ: chưa đáp ứng điều kiện "
                "hoàn thành nhiệm vụ trong suốt nhiệm kỳ.",
                rfacts,
            )
        )
    elif not in_term:
        out.append(result(a13, CANNOT, "Chưa có kết quả đánh giá, xếp loại nào trong nhiệm kỳ.", rfacts))
    else:
        out.append(result(a13, PASS, "Các năm trong nhiệm kỳ đều hoàn thành nhiệm vụ trở lên.", rfacts))
    return out


@rule("A-14", uses=RETIREMENT_RULES)
def rule_a14(ctx: Case) -> Results:
    """A-14: months left (H-7) the day after the term ends: below ``extend_below_months`` no
    reappointment, the post is extended to retirement (a warning); below
    ``until_retirement_below_months`` reappointment until retirement; else a normal term."""
    a14 = ctx.find("A-14")
    if a14 is None:
        return [missing_version("A-14", "Bổ nhiệm lại khi gần nghỉ hưu", ctx.day)]
    person = ctx.person
    if person.birth is None:
        return [result(a14, CANNOT, "Hồ sơ chưa có ngày sinh.")]
    t = term(ctx)
    ret = retirement(ctx.book, person.birth, person.override)
    after_end = t.term_end + dt.timedelta(days=1)
    left = months_left(ret, after_end)
    lo, hi = int(a14.params["extend_below_months"]), int(a14.params["until_retirement_below_months"])
    facts = [
        FactUsed("Ngày nghỉ hưu", vn(ret.date), ret.date),
        FactUsed("Thời gian còn lại khi hết nhiệm kỳ", f"{left} tháng", after_end),
    ]
    bands = f"< {lo}; {lo}–{hi - 1}; ≥ {hi} tháng"
    if left < lo:
        return [
            result(
                a14,
                WARN,
                f"Còn {left} tháng (< {lo}) khi hết nhiệm kỳ: không làm quy trình bổ nhiệm "
                "lại, cấp có thẩm quyền quyết định kéo dài thời gian giữ chức vụ đến khi nghỉ hưu.",
                facts,
                bands,
            )
        ]
    if left < hi:
        return [
            result(
                a14,
                PASS,
                f"Còn {left} tháng khi hết nhiệm kỳ: bổ nhiệm lại với thời hạn đến khi "
                f"nghỉ hưu ({vn(ret.date)}).",
                facts,
                bands,
            )
        ]
    return [
        result(
            a14,
            PASS,
            f"Còn {left} tháng khi hết nhiệm kỳ: bổ nhiệm lại bình thường (thời hạn {t.term_years} năm).",
            facts,
            bands,
        )
    ]


def _consecutive_terms(ctx: Case, ver: RuleVersion) -> Results:
    """At most ``max_consecutive_terms`` consecutive terms in the same post (A-2, K-2)."""
    t = term(ctx)
    limit = int(ver.params.get("max_consecutive_terms", 2))
    facts = [
        FactUsed("Giữ chức vụ liên tục từ", vn(t.chain_start), t.chain_start),
        FactUsed("Số nhiệm kỳ liên tiếp (kể cả nhiệm kỳ hiện tại)", str(t.consecutive_terms)),
    ]
    if t.consecutive_terms >= limit:
        return [
            result(
                ver,
                FAIL,
                f"Đã giữ chức vụ {t.consecutive_terms} nhiệm kỳ liên tiếp; bổ nhiệm lại "
                f"sẽ vượt quá {limit} nhiệm kỳ.",
                facts,
                f"≤ {limit} nhiệm kỳ",
            )
        ]
    return [
        result(
            ver,
            PASS,
            f"Mới giữ {t.consecutive_terms} nhiệm kỳ liên tiếp; bổ nhiệm lại không vượt quá {limit}.",
            facts,
            f"≤ {limit} nhiệm kỳ",
        )
    ]


@rule("A-2")
def rule_a2(ctx: Case) -> Results:
    """A-2: reappointment may not make more than ``max_consecutive_terms`` consecutive terms in
    the same post; silent when A-2 is not in force."""
    ver = ctx.find("A-2")
    return _consecutive_terms(ctx, ver) if ver is not None else []


@rule("K-2")
def rule_k2(ctx: Case) -> Results:
    """K-2: the same limit for the head of a locality, agency or unit (titles whose head kind is
    "truong"); silent for other titles or when K-2 is not in force."""
    ver = ctx.find("K-2")
    if ctx.title.head_kind != "truong" or ver is None:
        return []
    return _consecutive_terms(ctx, ver)


REAPPOINTMENT = Check[Case]((rule_a1, rule_a13, rule_a14, rule_a2, rule_k2), gate=rule_no_term)
