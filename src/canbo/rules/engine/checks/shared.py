"""Rules several person checks apply: political standard, pending and past discipline, P-12."""

from __future__ import annotations

import datetime as dt

from canbo.rules.engine.calculators import Window, discipline_window, retirement
from canbo.rules.engine.checks.base import RETIREMENT_RULES, Case, Results, declared_result, rule
from canbo.rules.engine.dates import vn
from canbo.rules.engine.facts import PARTY, STATE
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


@rule("T-5", "T-6")
def rule_t5(ctx: Case) -> Results:
    """T-5: the latest political-standard conclusion on file before the day; T-6 when it says the
    person does not meet the standard (a fail), a warning when it sets a ceiling."""
    day, what = ctx.day, ctx.action
    version = ctx.find("T-5")
    if version is None:
        return [missing_version("T-5", "Bảo vệ chính trị nội bộ", day)]
    on_file = [c for c in ctx.person.political if c.conclusion_date <= day]
    if not on_file:
        return [
            result(
                version,
                CANNOT,
                f"Hồ sơ chưa có kết luận tiêu chuẩn chính trị trước ngày {vn(day)}; cần thẩm "
                f"định trước khi {what}.",
            )
        ]
    last = max(on_file, key=lambda c: c.conclusion_date)
    facts = [
        FactUsed(
            "Kết luận tiêu chuẩn chính trị",
            "đủ tiêu chuẩn" if last.meets_standard else "không đủ tiêu chuẩn",
            last.conclusion_date,
        )
    ]
    if not last.meets_standard:
        t6 = ctx.find("T-6") or version
        return [
            result(
                t6,
                FAIL,
                f"Kết luận ngày {vn(last.conclusion_date)}: không đủ tiêu chuẩn chính trị; "
                f"không thể {what} (T-6).",
                facts,
            )
        ]
    if last.ceiling:
        facts.append(FactUsed("Mức trần", last.ceiling, last.conclusion_date))
        return [
            result(
                version,
                WARN,
                f"Đủ tiêu chuẩn chính trị nhưng có mức trần “{last.ceiling}”; đối chiếu với "
                f"chức danh trước khi {what}.",
                facts,
            )
        ]
    return [
        result(version, PASS, f"Kết luận ngày {vn(last.conclusion_date)}: đủ tiêu chuẩn chính trị.", facts)
    ]


@rule("D-3")
def rule_d3(ctx: Case) -> Results:
    """D-3: a Party member under consideration for discipline (declared) may not be appointed or
    rotated; not applicable to a non-member; silent when D-3 is not in force."""
    d3 = ctx.find("D-3")
    if ctx.person.is_party_member is False:
        return [result(d3, NOT_APPLICABLE, "Không phải đảng viên.")] if d3 else []
    return [
        declared_result(
            d3,
            "D-3",
            "Đang xem xét kỷ luật",
            ctx.day,
            ctx.declared.pending_discipline,
            true_is=FAIL,
            yes=f"Đang bị xem xét kỷ luật: không được {ctx.action}.",
            no="Không đang bị xem xét kỷ luật, điều tra, truy tố (theo khai báo).",
            unknown="Chưa khai báo việc có đang bị xem xét kỷ luật, điều tra, truy tố hay không.",
            label="Đang xem xét kỷ luật, điều tra",
        )
    ]


def window_facts(w: Window) -> list[FactUsed]:
    d = w.discipline
    return [
        FactUsed("Kỷ luật", d.label + (f", QĐ {d.decision}" if d.decision else ""), d.decision_date),
        FactUsed(
            "Tính từ"
            + (" (chưa có ngày hiệu lực, lấy ngày quyết định)" if w.start_assumed else " (ngày hiệu lực)"),
            vn(w.start),
            w.start,
        ),
        FactUsed(
            "Thời hạn",
            f"{w.months} tháng, đến hết ngày {vn(w.end - dt.timedelta(days=1))}",
            w.end - dt.timedelta(days=1),
        ),
    ]


def _windows(ctx: Case, rule_id: str, system: str, name: str) -> Results:
    """The career-block window of each discipline of ``system`` on file by the day (D-6, D-7).

    A window blocks higher posts only, unless it is a D-7 window long enough to block every
    appointment; in force on the day and blocking this case → fail.
    """
    book, day = ctx.book, ctx.day
    on_file = [d for d in ctx.person.disciplines if d.system == system and d.decision_date <= day]
    chooser = book.find(rule_id, day)
    if not on_file:
        if chooser is None:
            return [missing_version(rule_id, name, day)]
        return [result(chooser, PASS, f"Hồ sơ không có {name} nào đến ngày {vn(day)}.")]
    out: Results = []
    for d in sorted(on_file, key=lambda x: x.decision_date):
        w = discipline_window(book, d, day)
        if w is None:
            version = chooser or book.latest(rule_id)
            out.append(
                result(
                    version,
                    WARN,
                    f"{d.label} ngày {vn(d.decision_date)}: hình thức này không có thời "
                    f"hạn trong {version.label}; cấp có thẩm quyền xem xét.",
                    [FactUsed("Kỷ luật", d.label, d.decision_date)],
                )
            )
            continue
        facts = window_facts(w)
        last = vn(w.end - dt.timedelta(days=1))
        if w.covers(day) and (ctx.higher or w.any_appointment):
            outcome = FAIL
            msg = (
                f"{d.label} ngày {vn(d.decision_date)}: chưa được {ctx.window_action} đến hết ngày "
                f"{last} (không {w.blocks})."
            )
        elif w.covers(day):
            outcome = PASS
            msg = f"{d.label} đang trong thời hạn nhưng chỉ chặn {w.blocks}; việc này không thuộc đó."
        else:
            outcome = PASS
            msg = f"{d.label} ngày {vn(d.decision_date)}: thời hạn {w.months} tháng đã hết ngày {last}."
        out.append(result(w.version, outcome, msg, facts, f"{w.months} tháng"))
    return out


@rule("D-6")
def rule_d6(ctx: Case) -> Results:
    """D-6: each Party discipline on file has a window during which planning and appointment to a
    higher post are barred; one result per discipline (a pass when none is on file)."""
    return _windows(ctx, "D-6", PARTY, "kỷ luật Đảng")


@rule("D-7")
def rule_d7(ctx: Case) -> Results:
    """D-7: the same for state discipline, counted under the law that imposed it; a long window
    bars every appointment, not only higher posts."""
    return _windows(ctx, "D-7", STATE, "kỷ luật chính quyền")


@rule("P-9")
def rule_p9(ctx: Case) -> Results:
    """P-9 (c): a discipline whose D-6/D-7 window has elapsed does not bar planning or appointment;
    said only when such a discipline is on file."""
    p9 = ctx.find("P-9")
    elapsed = [
        r
        for r in rule_d6(ctx) + rule_d7(ctx)
        if r.rule_id in ("D-6", "D-7") and r.outcome == PASS and r.facts
    ]
    if p9 is None or not elapsed:
        return []
    return [
        result(
            p9,
            PASS,
            "Có kỷ luật nhưng thời hạn theo D-6/D-7 đã qua: thuộc trường hợp (c), vẫn được xem xét.",
            [f for r in elapsed for f in r.facts[:1]],
        )
    ]


@rule("P-12", uses=RETIREMENT_RULES)
def rule_p12(ctx: Case) -> Results:
    """P-12: ages are measured from the actual retirement date, never from a fixed 60/55; states
    the retirement date used (cannot decide without a birth date)."""
    v = ctx.find("P-12")
    if v is None:
        return []
    person = ctx.person
    if person.birth is None:
        return [result(v, CANNOT, "Hồ sơ chưa có ngày sinh.")]
    ret = retirement(ctx.book, person.birth, person.override)
    return [
        result(
            v,
            PASS,
            f"Tuổi được tính theo ngày nghỉ hưu thực tế {vn(ret.date)}, không theo mốc 60/55 cố định.",
            [FactUsed("Ngày nghỉ hưu", vn(ret.date), ret.date)],
        )
    ]


NOTICE_KINDS = {"thong_bao": "Thông báo nghỉ hưu", "quyet_dinh": "Quyết định nghỉ hưu"}


@rule("H-9")
def rule_h9(ctx: Case) -> Results:
    """H-9: after a retirement notice (or decision) issued on or before the day, the person is
    not appointed or planned for a higher post (a fail); no notice recorded on the day: a pass."""
    version = ctx.find("H-9")
    if version is None:
        return [missing_version("H-9", "Thông báo nghỉ hưu", ctx.day)]
    issued = sorted(
        (n for n in ctx.person.retirement_notices if n.issued_on <= ctx.day), key=lambda n: n.issued_on
    )
    if not issued:
        return [
            result(
                version,
                PASS,
                f"Hồ sơ không có thông báo hoặc quyết định nghỉ hưu đã ban hành đến ngày {vn(ctx.day)}.",
            )
        ]
    first = issued[0]
    label = NOTICE_KINDS.get(first.kind, "Thông báo nghỉ hưu")
    return [
        result(
            version,
            FAIL,
            f"Đã có {label.lower()} số {first.number} ngày {vn(first.issued_on)}; không {ctx.action} "
            "người đã có thông báo nghỉ hưu (H-9).",
            [FactUsed(label, f"số {first.number}", first.issued_on)],
        )
    ]
