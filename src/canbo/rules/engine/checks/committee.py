"""Party-committee candidacy for the 2025–2030 term (RULES.md §13 validator 11).

The check is judged on the K-4 reference date of the committee's level, not on the date asked:
``Case.day`` is that reference date and ``Case.asked`` the date given.
"""

from __future__ import annotations

import datetime as dt

from canbo.rules.engine.checks.base import RETIREMENT_RULES, Case, Check, Results, months_left_result, rule
from canbo.rules.engine.checks.shared import rule_t5
from canbo.rules.engine.dates import add_months, vn
from canbo.rules.engine.facts import TitleInfo
from canbo.rules.engine.verdict import CANNOT, PASS, FactUsed, missing_version, result

K4_LEVELS = {
    "co_so": "Đại hội cơ sở",
    "tren_co_so": "Cấp trên trực tiếp cơ sở",
    "xa": "Xã, phường, đặc khu trực thuộc tỉnh",
    "tinh": "Tỉnh, thành phố trực thuộc Trung ương",
    "hdnd_ubnd": "Lãnh đạo HĐND, UBND, Đoàn đại biểu Quốc hội",
}


def k4_level(title: TitleInfo) -> str:
    return {"xa": "xa", "huyen": "tren_co_so", "tinh": "tinh", "tw": "tinh"}.get(title.level, "tinh")


def level(ctx: Case) -> str:
    """The K-4 level: declared (``extra["k4_level"]``) or the title's."""
    return ctx.declared.extra.get("k4_level") or k4_level(ctx.title)


def reference_date(ctx: Case) -> dt.date:
    """K-4: the reference date of the level, from the version in force on the date asked; the date
    asked when K-4 has no version then or no date for the level."""
    k4 = ctx.book.find("K-4", ctx.asked)
    lv = level(ctx)
    return dt.date.fromisoformat(k4.params[lv]) if k4 is not None and lv in k4.params else ctx.asked


def note(ctx: Case) -> str:
    lv = level(ctx)
    return f"Mốc tính tuổi K-4: {K4_LEVELS.get(lv, lv)}"


@rule("K-4")
def rule_no_k4(ctx: Case) -> Results:
    """Gate of the committee check (K-4): without a K-4 version on the date asked there is no
    reference date and nothing else is judged (cannot decide)."""
    if ctx.book.find("K-4", ctx.asked) is not None:
        return []
    return [missing_version("K-4", "Mốc tính tuổi tham gia cấp ủy", ctx.asked, CANNOT)]


@rule("K-4")
def rule_k4(ctx: Case) -> Results:
    """K-4: states the level and its reference date, on which age is measured (a pass)."""
    k4 = ctx.book.find("K-4", ctx.asked)
    if k4 is None:
        return []
    lv = level(ctx)
    return [
        result(
            k4,
            PASS,
            f"Cấp {K4_LEVELS.get(lv, lv)}: tuổi tính tại ngày {vn(ctx.day)} (ngày 1 của "
            "tháng mốc, giá trị mặc định).",
            [FactUsed("Mốc tính tuổi", vn(ctx.day), ctx.day)],
        )
    ]


@rule("K-5", uses=RETIREMENT_RULES)
def rule_k5(ctx: Case) -> Results:
    """K-5: working time left (H-7) at the reference date: ``provincial_deputy_secretary_months``
    for a provincial deputy secretary, ``reelection_months`` for a sitting committee member (a
    membership running to at least a month before the reference date), else
    ``first_time_months`` (one full term)."""
    ref = ctx.day
    k5 = ctx.book.find("K-5", ref) or ctx.book.find("K-5", ctx.asked)
    if k5 is None:
        return [missing_version("K-5", "Tuổi tham gia cấp ủy", ref, CANNOT)]
    re_election = any(
        m.kind == "cap_uy" and m.start <= ref and (m.end is None or m.end >= add_months(ref, -1))
        for m in ctx.person.memberships
    )
    if ctx.title.group == "pho_bi_thu" and ctx.title.level == "tinh":
        need, why = int(k5.params["provincial_deputy_secretary_months"]), "(Phó Bí thư Tỉnh ủy)"
    elif re_election:
        need, why = int(k5.params["reelection_months"]), "(tái cử)"
    else:
        need, why = int(k5.params["first_time_months"]), "(tham gia lần đầu: đủ một nhiệm kỳ)"
    return [months_left_result(ctx.book, k5, ctx.person, ref, need, "Mốc tính tuổi K-4", why)]


COMMITTEE = Check[Case]((rule_k4, rule_k5, rule_t5), gate=rule_no_k4)
