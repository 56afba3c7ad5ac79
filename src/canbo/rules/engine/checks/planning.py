"""Planning (RULES.md §13 validator 5) and rotation (validator 10)."""

from __future__ import annotations

from dataclasses import replace

from canbo.rules.engine.checks.base import (
    RETIREMENT_RULES,
    Case,
    Check,
    Results,
    declared_result,
    months_left_result,
    planned_result,
    rank_facts,
    rule,
    title_fact,
)
from canbo.rules.engine.checks.shared import rule_d3, rule_d6, rule_d7, rule_h9, rule_p9, rule_p12, rule_t5
from canbo.rules.engine.verdict import (
    CANNOT,
    FAIL,
    PASS,
    WARN,
    FactUsed,
    missing_version,
    result,
)

# -- planning -------------------------------------------------------------------------------


@rule("P-1")
def rule_p1(ctx: Case) -> Results:
    """P-1: a person is planned only for a title above the leadership post held on the day
    (cannot decide for a title without a rank)."""
    p1 = ctx.find("P-1")
    if p1 is None:
        return [missing_version("P-1", "Chức danh cao hơn", ctx.day)]
    if ctx.title.rank is None:
        return [result(p1, CANNOT, "Chức danh chưa có thứ bậc nên không so được với chức vụ đang giữ.")]
    ok = ctx.rank is None or ctx.title.rank > ctx.rank
    return [
        result(
            p1,
            PASS if ok else FAIL,
            "Chức danh quy hoạch cao hơn chức vụ đang giữ."
            if ok
            else "Chỉ quy hoạch chức danh cao hơn chức vụ đang giữ; chức danh này ngang hoặc thấp hơn.",
            rank_facts(ctx),
        )
    ]


@rule("P-2")
def rule_p2(ctx: Case) -> Results:
    """P-2: at most ``max_people_per_title`` people per title and ``max_titles_per_person``
    titles of the same level per person, both counts declared and including this proposal."""
    p2 = ctx.find("P-2")
    if p2 is None:
        return [missing_version("P-2", "Giới hạn số lượng quy hoạch", ctx.day)]
    max_people, max_titles = int(p2.params["max_people_per_title"]), int(p2.params["max_titles_per_person"])
    n_people, n_titles = ctx.declared.people_planned_for_title, ctx.declared.titles_planned_same_level
    if n_people is None or n_titles is None:
        return [
            result(
                p2,
                CANNOT,
                "Chưa có số người đã quy hoạch cho chức danh và số chức danh người này "
                "được quy hoạch cùng cấp.",
                threshold=f"≤ {max_people} người/chức danh; ≤ {max_titles} chức danh/người",
            )
        ]
    ok = n_people <= max_people and n_titles <= max_titles
    return [
        result(
            p2,
            PASS if ok else FAIL,
            f"{n_people} người cho chức danh, {n_titles} chức danh cùng cấp cho người "
            "này (kể cả đề nghị này).",
            [
                FactUsed("Số người quy hoạch chức danh", str(n_people)),
                FactUsed("Số chức danh cùng cấp của người này", str(n_titles)),
            ],
            f"≤ {max_people}; ≤ {max_titles}",
        )
    ]


@rule("P-3")
def rule_p3(ctx: Case) -> Results:
    """P-3: planning and proposing for appointment are separate steps: an open appointment
    proposal for the same title (declared) fails; silent when P-3 is not in force."""
    p3 = ctx.find("P-3")
    if p3 is None:
        return []
    return [
        declared_result(
            p3,
            "P-3",
            "Quy hoạch và bổ nhiệm tách riêng",
            ctx.day,
            ctx.declared.open_proposal_same_title,
            true_is=FAIL,
            yes="Đang có đề nghị bổ nhiệm người này vào chính chức danh này: không gộp quy "
            "hoạch và bổ nhiệm trong một bước.",
            no="Không có đề nghị bổ nhiệm đang mở cho cùng chức danh.",
            unknown="Chưa khai báo việc có đề nghị bổ nhiệm đang mở cho cùng chức danh.",
            label="Đề nghị bổ nhiệm đang mở cùng chức danh",
        )
    ]


@rule("P-5", uses=RETIREMENT_RULES)
def rule_p5(ctx: Case) -> Results:
    """P-5: at least ``min_months`` of working time left (H-7) at the start of the planned term
    (declared; the day when not), with the version in force on that date; a pass below
    ``preferred_months`` (two terms) says so."""
    measure = ctx.declared.planned_term_start or ctx.day
    p5 = ctx.book.find("P-5", measure)
    if p5 is None:
        return [missing_version("P-5", "Tuổi quy hoạch", measure)]
    r = months_left_result(
        ctx.book,
        p5,
        ctx.person,
        measure,
        int(p5.params["min_months"]),
        "Ngày bắt đầu nhiệm kỳ quy hoạch",
        "(đủ ít nhất một nhiệm kỳ)",
    )
    preferred = int(p5.params.get("preferred_months", 0))
    if r.outcome == PASS and preferred:
        left = int(r.facts[-1].value.split()[0])
        if left < preferred:
            r = replace(r, message=r.message + f" Chưa đủ {preferred} tháng (hai nhiệm kỳ) là mức ưu tiên.")
    return [r]


@rule("P-8", uses=("P-5", "D-6", "D-7", "T-5", "T-6"))
def rule_p8(ctx: Case) -> Results:
    """P-8: grounds for removal from planning: P-5 fails (age), a D-6/D-7 window bars planning,
    or T-5/T-6 finds the political standard not met; cannot decide without a birth date or a
    political conclusion; a pass when no ground applies."""
    p8 = ctx.find("P-8")
    if p8 is None:
        return [missing_version("P-8", "Đưa ra khỏi quy hoạch", ctx.day)]
    political = rule_t5(ctx)
    grounds = []
    if any(r.outcome == FAIL for r in rule_p5(ctx)):
        grounds.append("không còn đủ tuổi quy hoạch")
    if any(r.outcome == FAIL for r in rule_d6(ctx) + rule_d7(ctx)):
        grounds.append("đang trong thời hạn kỷ luật từ khiển trách trở lên")
    if any(r.outcome == FAIL for r in political):
        grounds.append("không đủ tiêu chuẩn chính trị (T-6)")
    if grounds:
        return [result(p8, FAIL, "Thuộc trường hợp đưa ra khỏi quy hoạch: " + "; ".join(grounds) + ".")]
    missing = []
    if ctx.person.birth is None:
        missing.append("ngày sinh")
    if any(r.outcome == CANNOT for r in political):
        missing.append("kết luận tiêu chuẩn chính trị")
    if missing:
        return [
            result(
                p8,
                CANNOT,
                "Chưa đủ dữ liệu để loại trừ các căn cứ đưa ra khỏi quy hoạch (thiếu "
                + ", ".join(missing)
                + ").",
            )
        ]
    return [result(p8, PASS, "Không thuộc căn cứ nào phải đưa ra khỏi quy hoạch.")]


PLANNING = Check[Case](
    (rule_p1, rule_p2, rule_p3, rule_p5, rule_p8, rule_d6, rule_d7, rule_p9, rule_t5, rule_p12, rule_h9)
)


# -- rotation -------------------------------------------------------------------------------

SPECIAL_ROTATION = {
    "khong_dia_phuong": "bố trí chức danh không là người địa phương",
    "han_nhiem_ky": "bảo đảm không quá hai nhiệm kỳ",
}


@rule("R-4", uses=RETIREMENT_RULES)
def rule_r4(ctx: Case) -> Results:
    """R-4: working time left (H-7) on the rotation day: ``min_months`` (two terms), or
    ``min_months_special_purpose`` (one term) for the purposes of ``SPECIAL_ROTATION``."""
    r4 = ctx.find("R-4")
    if r4 is None:
        return [missing_version("R-4", "Tuổi luân chuyển", ctx.day)]
    purpose = ctx.declared.rotation_purpose
    special = purpose in SPECIAL_ROTATION
    need = int(r4.params["min_months_special_purpose" if special else "min_months"])
    why = f"(luân chuyển để {SPECIAL_ROTATION[purpose]}: một nhiệm kỳ)" if special else "(hai nhiệm kỳ)"
    return [months_left_result(ctx.book, r4, ctx.person, ctx.day, need, "Ngày luân chuyển", why)]


@rule("R-5")
def rule_r5(ctx: Case) -> Results:
    """R-5: the planned duration of the rotation (declared) is at least ``min_duration_months``."""
    r5 = ctx.find("R-5")
    if r5 is None:
        return [missing_version("R-5", "Thời gian luân chuyển", ctx.day)]
    need = int(r5.params["min_duration_months"])
    months = ctx.declared.rotation_months
    if months is None:
        return [
            result(r5, CANNOT, "Chưa khai báo thời gian luân chuyển dự kiến.", threshold=f"≥ {need} tháng")
        ]
    ok = months >= need
    return [
        result(
            r5,
            PASS if ok else FAIL,
            f"Thời gian luân chuyển dự kiến {months} tháng, {'đủ' if ok else 'dưới'} {need} tháng.",
            [FactUsed("Thời gian dự kiến", f"{months} tháng")],
            f"≥ {need} tháng",
        )
    ]


@rule("R-2")
def rule_r2(ctx: Case) -> Results:
    """R-2: the rotated cadre is in the planning list for the destination title (or an
    equivalent or higher one); silent when R-2 is not in force."""
    r2 = ctx.find("R-2")
    if r2 is None:
        return []
    return [planned_result(ctx, r2, no_tail="; cán bộ luân chuyển phải có trong quy hoạch.")]


@rule("R-3")
def rule_r3(ctx: Case) -> Results:
    """R-3: the destination post is normally equivalent or lower than the one held; a higher one
    is a warning (outstanding cadres only); cannot decide without both ranks."""
    r3 = ctx.find("R-3")
    if r3 is None:
        return []
    if ctx.title.rank is None or ctx.rank is None:
        return [
            result(
                r3,
                CANNOT,
                "Không so được chức vụ nơi đến với chức vụ đang giữ (thiếu thứ bậc hoặc "
                "chưa giữ chức vụ lãnh đạo).",
            )
        ]
    if ctx.title.rank > ctx.rank:
        return [
            result(
                r3,
                WARN,
                "Chức vụ nơi đến cao hơn: chỉ áp dụng với cán bộ thật sự nổi trội.",
                [title_fact(ctx.title)],
            )
        ]
    return [
        result(
            r3,
            PASS,
            "Chức vụ nơi đến tương đương hoặc thấp hơn chức vụ hiện tại.",
            [title_fact(ctx.title)],
        )
    ]


ROTATION = Check[Case]((rule_r4, rule_r5, rule_r2, rule_r3, rule_d3))
