"""Validators of RULES.md §13: each judges one event and returns a ``Verdict`` that explains itself.

Conventions: the version of every rule is the one in force on the event date (binding convention
3; the date used is on the verdict); a missing fact gives ``cannot_decide``, never a silent pass;
a rule without a version on that date is listed as ``not_applicable`` with that reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from canbo.rules.engine.calculators import (
    Window,
    discipline_window,
    months_left,
    notice_due,
    party_lapse,
    retirement,
    term_info,
)
from canbo.rules.engine.dates import add_months, vn, whole_months_between
from canbo.rules.engine.facts import (
    FORM_LABELS,
    PARTY,
    RATING_LABELS,
    RATING_ORDER,
    STATE,
    Declared,
    DisciplineFact,
    PersonFacts,
    TitleInfo,
)
from canbo.rules.engine.rulebook import Rulebook, RuleVersion
from canbo.rules.engine.verdict import (
    CANNOT,
    FAIL,
    NOT_APPLICABLE,
    PASS,
    WARN,
    FactUsed,
    RuleResult,
    Verdict,
    missing_version,
    result,
)

HEALTH_LABELS = {"tot": "Tốt", "kha": "Khá", "trung_binh": "Trung bình", "yeu": "Yếu"}

PURPOSES = {
    "appointment": "Bổ nhiệm lần đầu hoặc giữ chức vụ cao hơn",
    "planning": "Quy hoạch",
    "reappointment": "Bổ nhiệm lại",
    "rotation": "Luân chuyển",
    "committee": "Tham gia cấp ủy nhiệm kỳ 2025–2030",
}

Results = list[RuleResult]


# -- shared pieces ---------------------------------------------------------------------------


def _held_on(person: PersonFacts, day: dt.date) -> list:
    return [t for t in person.tenures if t.start <= day and (t.end is None or t.end >= day)]


def current_rank(person: PersonFacts, day: dt.date) -> int | None:
    """The most senior rank held on ``day`` among leadership posts; None when none is held."""
    ranks = [t.title.rank for t in _held_on(person, day) if t.title.is_leader and t.title.rank is not None]
    return max(ranks) if ranks else None


def _title_fact(title: TitleInfo) -> FactUsed:
    return FactUsed(
        "Chức danh xem xét", f"{title.name} (thứ bậc {title.rank if title.rank is not None else '—'})"
    )


def _months_left_rule(
    book: Rulebook,
    version: RuleVersion,
    person: PersonFacts,
    measure: dt.date,
    threshold: int,
    measure_label: str,
    purpose_text: str,
) -> RuleResult:
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


def _political(book: Rulebook, person: PersonFacts, day: dt.date, what: str) -> Results:
    version = book.find("T-5", day)
    if version is None:
        return [missing_version("T-5", "Bảo vệ chính trị nội bộ", day)]
    on_file = [c for c in person.political if c.conclusion_date <= day]
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
        t6 = book.find("T-6", day) or version
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


def _window_facts(w: Window) -> list[FactUsed]:
    d = w.discipline
    facts = [
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
    return facts


def _discipline_windows(
    book: Rulebook, person: PersonFacts, day: dt.date, *, higher: bool, what: str
) -> Results:
    """D-6 (Party) and D-7 (State) windows on ``day``; P-9 (c) when a window has elapsed."""
    out: Results = []
    for rule, system, name in (("D-6", PARTY, "kỷ luật Đảng"), ("D-7", STATE, "kỷ luật chính quyền")):
        on_file = [d for d in person.disciplines if d.system == system and d.decision_date <= day]
        chooser = book.find(rule, day)
        if not on_file:
            if chooser is None:
                out.append(missing_version(rule, name, day))
            else:
                out.append(result(chooser, PASS, f"Hồ sơ không có {name} nào đến ngày {vn(day)}."))
            continue
        for d in sorted(on_file, key=lambda x: x.decision_date):
            w = discipline_window(book, d, day)
            if w is None:
                version = chooser or book.latest(rule)
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
            facts = _window_facts(w)
            blocks_this = higher or w.any_appointment
            if w.covers(day) and blocks_this:
                out.append(
                    result(
                        w.version,
                        FAIL,
                        f"{d.label} ngày {vn(d.decision_date)}: chưa được {what} đến hết ngày "
                        f"{vn(w.end - dt.timedelta(days=1))} (không {w.blocks}).",
                        facts,
                        f"{w.months} tháng",
                    )
                )
            elif w.covers(day):
                out.append(
                    result(
                        w.version,
                        PASS,
                        f"{d.label} đang trong thời hạn nhưng chỉ chặn {w.blocks}; việc này không thuộc đó.",
                        facts,
                        f"{w.months} tháng",
                    )
                )
            else:
                out.append(
                    result(
                        w.version,
                        PASS,
                        f"{d.label} ngày {vn(d.decision_date)}: thời hạn {w.months} tháng đã "
                        f"hết ngày {vn(w.end - dt.timedelta(days=1))}.",
                        facts,
                        f"{w.months} tháng",
                    )
                )
    p9 = book.find("P-9", day)
    elapsed = [r for r in out if r.rule_id in ("D-6", "D-7") and r.outcome == PASS and r.facts]
    if p9 is not None and elapsed:
        out.append(
            result(
                p9,
                PASS,
                "Có kỷ luật nhưng thời hạn theo D-6/D-7 đã qua: thuộc trường hợp (c), vẫn được xem xét.",
                [f for r in elapsed for f in r.facts[:1]],
            )
        )
    return out


def _declared(
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


def _planned(
    version: RuleVersion,
    person: PersonFacts,
    title: TitleInfo,
    day: dt.date,
    declared: Declared,
    *,
    no_tail: str,
) -> RuleResult:
    """A-5, R-2: in the planning list for ``title`` (or an equivalent or higher title) on ``day``.

    Read from the dossier's planning entries; a declaration is used only when the dossier was not
    read (``person.planning is None``), and with neither the rule cannot decide.
    """
    if person.planning is None:
        return _declared(
            version,
            version.rule_id,
            version.name,
            day,
            declared.planned_for_title,
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


def _pending(book: Rulebook, person: PersonFacts, day: dt.date, declared: Declared, what: str) -> Results:
    d3 = book.find("D-3", day)
    if person.is_party_member is False:
        return [result(d3, NOT_APPLICABLE, "Không phải đảng viên.")] if d3 else []
    return [
        _declared(
            d3,
            "D-3",
            "Đang xem xét kỷ luật",
            day,
            declared.pending_discipline,
            true_is=FAIL,
            yes=f"Đang bị xem xét kỷ luật: không được {what}.",
            no="Không đang bị xem xét kỷ luật, điều tra, truy tố (theo khai báo).",
            unknown="Chưa khai báo việc có đang bị xem xét kỷ luật, điều tra, truy tố hay không.",
            label="Đang xem xét kỷ luật, điều tra",
        )
    ]


def _p12(book: Rulebook, person: PersonFacts, day: dt.date) -> Results:
    v = book.find("P-12", day)
    if v is None:
        return []
    if person.birth is None:
        return [result(v, CANNOT, "Hồ sơ chưa có ngày sinh.")]
    ret = retirement(book, person.birth, person.override)
    return [
        result(
            v,
            PASS,
            f"Tuổi được tính theo ngày nghỉ hưu thực tế {vn(ret.date)}, không theo mốc 60/55 cố định.",
            [FactUsed("Ngày nghỉ hưu", vn(ret.date), ret.date)],
        )
    ]


def _new_verdict(purpose: str, day: dt.date, note: str, person: PersonFacts, title: TitleInfo) -> Verdict:
    return Verdict(
        purpose,
        PURPOSES.get(purpose, purpose),
        day,
        note,
        person.person_id,
        person.name,
        title.code,
        title.name,
    )


# -- validator 2: first or higher appointment -----------------------------------------------


def check_appointment(
    book: Rulebook, person: PersonFacts, title: TitleInfo, day: dt.date, declared: Declared
) -> Verdict:
    v = _new_verdict(
        "appointment", day, "Ngày cơ quan tổ chức cán bộ nhận tờ trình và hồ sơ (A-3)", person, title
    )
    rank = current_rank(person, day)
    held_before = [t for t in person.tenures if t.title.is_leader and t.start <= day]
    first = not held_before
    a3 = book.find("A-3", day)
    a4 = book.find("A-4", day)
    higher = True
    if title.rank is None:
        v.results.append(
            result(
                a3, CANNOT, "Chức danh chưa có thứ bậc nên không xác định được là chức vụ cao hơn hay ngang."
            )
            if a3
            else missing_version("A-3", "Tuổi bổ nhiệm", day, CANNOT)
        )
    else:
        higher = rank is None or title.rank > rank
        facts = [
            _title_fact(title),
            FactUsed(
                "Thứ bậc chức vụ đang giữ",
                str(rank) if rank is not None else "chưa giữ chức vụ lãnh đạo",
                day,
            ),
        ]
        if not higher:
            if a4 is not None:
                v.results.append(
                    result(
                        a4,
                        PASS,
                        "Chức vụ ngang hoặc thấp hơn chức vụ đang giữ: không xét điều kiện tuổi A-3.",
                        facts,
                    )
                )
            if a3 is not None:
                v.results.append(
                    result(
                        a3,
                        NOT_APPLICABLE,
                        "Không áp dụng vì bổ nhiệm chức vụ ngang hoặc thấp hơn (A-4)."
                        if a4
                        else "Không áp dụng: chức vụ không cao hơn.",
                        facts,
                    )
                )
        elif a3 is None:
            v.results.append(missing_version("A-3", "Tuổi bổ nhiệm lần đầu, chức vụ cao hơn", day))
        else:
            v.results.append(
                _months_left_rule(
                    book,
                    a3,
                    person,
                    day,
                    int(a3.params["min_months"]),
                    "Ngày nhận hồ sơ",
                    "(đủ một nhiệm kỳ)",
                )
            )
    a5 = book.find("A-5", day)
    if higher and a5 is not None:
        v.results.append(
            _planned(
                a5,
                person,
                title,
                day,
                declared,
                no_tail="; chỉ cấp có thẩm quyền quyết định ngoại lệ.",
            )
        )
    a6 = book.find("A-6", day)
    if a6 is None:
        v.results.append(missing_version("A-6", "Thời gian giữ chức vụ", day))
    elif first:
        v.results.append(result(a6, NOT_APPLICABLE, "Bổ nhiệm lần đầu: không xét thời gian giữ chức vụ."))
    elif rank is None:
        v.results.append(result(a6, CANNOT, "Không xác định được thứ bậc chức vụ đang giữ."))
    else:
        same = [t for t in person.tenures if t.title.is_leader and t.title.rank == rank and t.start <= day]
        months = sum(
            whole_months_between(t.start, min(t.end or day, day) + dt.timedelta(days=1)) for t in same
        )
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
        v.results.append(
            result(
                a6,
                PASS if ok else FAIL,
                f"Đã giữ chức vụ hiện tại hoặc tương đương {months} tháng, "
                f"{'đủ' if ok else 'chưa đủ'} {need} tháng.",
                facts,
                f"≥ {need} tháng",
            )
        )
    v.results.extend(_a7(book, person, day, declared))
    v.results.extend(_pending(book, person, day, declared, "bổ nhiệm"))
    v.results.extend(
        _discipline_windows(
            book, person, day, higher=higher, what="bổ nhiệm chức vụ cao hơn" if higher else "bổ nhiệm"
        )
    )
    v.results.extend(_political(book, person, day, "bổ nhiệm"))
    v.results.extend(_p12(book, person, day))
    return v


def _a7(book: Rulebook, person: PersonFacts, day: dt.date, declared: Declared) -> Results:
    a7 = book.find("A-7", day)
    if a7 is None:
        return []
    checks = [c for c in person.health if c.check_date <= day]
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
    if declared.pending_discipline is None:
        unknown.append("chưa khai báo việc đang bị kỷ luật, điều tra, truy tố, xét xử")
    elif declared.pending_discipline:
        problems.append("đang bị xem xét kỷ luật, điều tra, truy tố hoặc xét xử")
    facts.append(
        FactUsed(
            "Đang bị kỷ luật, điều tra",
            {None: "chưa khai báo", True: "có", False: "không"}[declared.pending_discipline],
        )
    )
    if problems:
        return [result(a7, FAIL, "Không đạt: " + "; ".join(problems) + ".", facts)]
    if unknown:
        return [result(a7, CANNOT, "Chưa kết luận được: " + "; ".join(unknown) + ".", facts)]
    return [result(a7, PASS, "Đủ sức khỏe; không đang bị kỷ luật, điều tra, truy tố, xét xử.", facts)]


# -- validator 5: planning ------------------------------------------------------------------


def check_planning(
    book: Rulebook, person: PersonFacts, title: TitleInfo, day: dt.date, declared: Declared
) -> Verdict:
    v = _new_verdict(
        "planning", day, "Ngày cơ quan tổ chức cán bộ nhận hồ sơ đề nghị quy hoạch", person, title
    )
    rank = current_rank(person, day)
    p1 = book.find("P-1", day)
    if p1 is None:
        v.results.append(missing_version("P-1", "Chức danh cao hơn", day))
    elif title.rank is None:
        v.results.append(
            result(p1, CANNOT, "Chức danh chưa có thứ bậc nên không so được với chức vụ đang giữ.")
        )
    else:
        ok = rank is None or title.rank > rank
        v.results.append(
            result(
                p1,
                PASS if ok else FAIL,
                "Chức danh quy hoạch cao hơn chức vụ đang giữ."
                if ok
                else "Chỉ quy hoạch chức danh cao hơn chức vụ đang giữ; chức danh này ngang hoặc thấp hơn.",
                [
                    _title_fact(title),
                    FactUsed(
                        "Thứ bậc chức vụ đang giữ",
                        str(rank) if rank is not None else "chưa giữ chức vụ lãnh đạo",
                        day,
                    ),
                ],
            )
        )
    p2 = book.find("P-2", day)
    if p2 is None:
        v.results.append(missing_version("P-2", "Giới hạn số lượng quy hoạch", day))
    else:
        max_people, max_titles = (
            int(p2.params["max_people_per_title"]),
            int(p2.params["max_titles_per_person"]),
        )
        n_people, n_titles = declared.people_planned_for_title, declared.titles_planned_same_level
        if n_people is None or n_titles is None:
            v.results.append(
                result(
                    p2,
                    CANNOT,
                    "Chưa có số người đã quy hoạch cho chức danh và số chức danh người này "
                    "được quy hoạch cùng cấp.",
                    threshold=f"≤ {max_people} người/chức danh; ≤ {max_titles} chức danh/người",
                )
            )
        else:
            ok = n_people <= max_people and n_titles <= max_titles
            v.results.append(
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
            )
    p3 = book.find("P-3", day)
    if p3 is not None:
        v.results.append(
            _declared(
                p3,
                "P-3",
                "Quy hoạch và bổ nhiệm tách riêng",
                day,
                declared.open_proposal_same_title,
                true_is=FAIL,
                yes="Đang có đề nghị bổ nhiệm người này vào chính chức danh này: không gộp quy "
                "hoạch và bổ nhiệm trong một bước.",
                no="Không có đề nghị bổ nhiệm đang mở cho cùng chức danh.",
                unknown="Chưa khai báo việc có đề nghị bổ nhiệm đang mở cho cùng chức danh.",
                label="Đề nghị bổ nhiệm đang mở cùng chức danh",
            )
        )
    measure = declared.planned_term_start or day
    p5 = book.find("P-5", measure)
    age_fail = False
    if p5 is None:
        v.results.append(missing_version("P-5", "Tuổi quy hoạch", measure))
    else:
        r = _months_left_rule(
            book,
            p5,
            person,
            measure,
            int(p5.params["min_months"]),
            "Ngày bắt đầu nhiệm kỳ quy hoạch",
            "(đủ ít nhất một nhiệm kỳ)",
        )
        preferred = int(p5.params.get("preferred_months", 0))
        if r.outcome == PASS and preferred:
            left = int(r.facts[-1].value.split()[0])
            if left < preferred:
                r = RuleResult(
                    **{
                        **r.__dict__,
                        "message": r.message + f" Chưa đủ {preferred} tháng (hai nhiệm kỳ) là mức ưu tiên.",
                    }
                )
        age_fail = r.outcome == FAIL
        v.results.append(r)
    windows = _discipline_windows(book, person, day, higher=True, what="quy hoạch")
    political = _political(book, person, day, "quy hoạch")
    p8 = book.find("P-8", day)
    if p8 is None:
        v.results.append(missing_version("P-8", "Đưa ra khỏi quy hoạch", day))
    else:
        grounds = []
        if age_fail:
            grounds.append("không còn đủ tuổi quy hoạch")
        if any(r.outcome == FAIL for r in windows):
            grounds.append("đang trong thời hạn kỷ luật từ khiển trách trở lên")
        if any(r.outcome == FAIL for r in political):
            grounds.append("không đủ tiêu chuẩn chính trị (T-6)")
        unknown = person.birth is None or any(r.outcome == CANNOT for r in political)
        if grounds:
            v.results.append(
                result(p8, FAIL, "Thuộc trường hợp đưa ra khỏi quy hoạch: " + "; ".join(grounds) + ".")
            )
        elif unknown:
            v.results.append(
                result(
                    p8,
                    CANNOT,
                    "Chưa đủ dữ liệu để loại trừ các căn cứ đưa ra khỏi quy hoạch (ngày sinh, "
                    "kết luận tiêu chuẩn chính trị).",
                )
            )
        else:
            v.results.append(result(p8, PASS, "Không thuộc căn cứ nào phải đưa ra khỏi quy hoạch."))
    v.results.extend(windows)
    v.results.extend(political)
    v.results.extend(_p12(book, person, day))
    return v


# -- validator 4: reappointment --------------------------------------------------------------


def check_reappointment(
    book: Rulebook, person: PersonFacts, title: TitleInfo, day: dt.date, declared: Declared
) -> Verdict:
    v = _new_verdict("reappointment", day, "Ngày xem xét bổ nhiệm lại", person, title)
    same_title = tuple(t for t in person.tenures if t.title.code == title.code)
    term = term_info(book, same_title, day)
    if term is None:
        v.results.append(
            result(
                book.find("A-13", day) or book.latest("A-13"),
                CANNOT,
                f"Ngày {vn(day)} người này không giữ chức vụ {title.name} (chức vụ lãnh đạo) "
                "nên không có nhiệm kỳ để bổ nhiệm lại.",
            )
        )
        return v
    end = term.term_end
    term_facts = [
        FactUsed("Chức vụ", f"{term.tenure.title.name}, {term.tenure.unit_name}", term.tenure.start),
        FactUsed("Nhiệm kỳ hiện tại", f"{vn(term.term_start)} – {vn(end)}", term.term_start),
    ]
    v.results.append(
        result(
            term.version,
            PASS,
            f"Thời hạn giữ chức vụ {term.term_years} năm kể từ ngày quyết định có hiệu lực: "
            f"nhiệm kỳ hiện tại kết thúc hết ngày {vn(end)}.",
            term_facts,
            f"{term.term_years} năm",
        )
    )
    a13 = book.find("A-13", day)
    if a13 is None:
        v.results.append(missing_version("A-13", "Bổ nhiệm lại", day))
    else:
        due, _ = notice_due(book, end)
        days = int(a13.params["notice_working_days"])
        facts = [FactUsed("Ngày kết thúc nhiệm kỳ", vn(end), end), FactUsed("Hạn thông báo", vn(due), due)]
        if day > due:
            v.results.append(
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
            v.results.append(
                result(
                    a13,
                    PASS,
                    f"Hạn thông báo bổ nhiệm lại: chậm nhất ngày {vn(due)} ({days} ngày làm "
                    "việc trước khi hết nhiệm kỳ, trừ thứ Bảy, Chủ nhật và ngày lễ).",
                    facts,
                    f"≥ {days} ngày làm việc",
                )
            )
        in_term = [r for r in person.ratings if term.term_start.year <= r.year <= day.year]
        rfacts = [
            FactUsed(f"Xếp loại năm {r.year}", RATING_LABELS.get(r.level, r.level), r.decision_date)
            for r in sorted(in_term, key=lambda r: r.year)
        ]
        if any(r.level == "kht" for r in in_term):
            v.results.append(
                result(
                    a13,
                    FAIL,
                    "Có năm không hoàn thành nhiệm vụ trong nhiệm kỳ: chưa đáp ứng điều kiện "
                    "hoàn thành nhiệm vụ trong suốt nhiệm kỳ.",
                    rfacts,
                )
            )
        elif not in_term:
            v.results.append(
                result(a13, CANNOT, "Chưa có kết quả đánh giá, xếp loại nào trong nhiệm kỳ.", rfacts)
            )
        else:
            v.results.append(
                result(a13, PASS, "Các năm trong nhiệm kỳ đều hoàn thành nhiệm vụ trở lên.", rfacts)
            )
    a14 = book.find("A-14", day)
    if a14 is None:
        v.results.append(missing_version("A-14", "Bổ nhiệm lại khi gần nghỉ hưu", day))
    elif person.birth is None:
        v.results.append(result(a14, CANNOT, "Hồ sơ chưa có ngày sinh."))
    else:
        ret = retirement(book, person.birth, person.override)
        after_end = end + dt.timedelta(days=1)
        left = months_left(ret, after_end)
        lo, hi = int(a14.params["extend_below_months"]), int(a14.params["until_retirement_below_months"])
        facts = [
            FactUsed("Ngày nghỉ hưu", vn(ret.date), ret.date),
            FactUsed("Thời gian còn lại khi hết nhiệm kỳ", f"{left} tháng", after_end),
        ]
        if left < lo:
            v.results.append(
                result(
                    a14,
                    WARN,
                    f"Còn {left} tháng (< {lo}) khi hết nhiệm kỳ: không làm quy trình bổ nhiệm "
                    "lại, cấp có thẩm quyền quyết định kéo dài thời gian giữ chức vụ đến khi nghỉ hưu.",
                    facts,
                    f"< {lo}; {lo}–{hi - 1}; ≥ {hi} tháng",
                )
            )
        elif left < hi:
            v.results.append(
                result(
                    a14,
                    PASS,
                    f"Còn {left} tháng khi hết nhiệm kỳ: bổ nhiệm lại với thời hạn đến khi "
                    f"nghỉ hưu ({vn(ret.date)}).",
                    facts,
                    f"< {lo}; {lo}–{hi - 1}; ≥ {hi} tháng",
                )
            )
        else:
            v.results.append(
                result(
                    a14,
                    PASS,
                    f"Còn {left} tháng khi hết nhiệm kỳ: bổ nhiệm lại bình thường (thời hạn "
                    f"{term.term_years} năm).",
                    facts,
                    f"< {lo}; {lo}–{hi - 1}; ≥ {hi} tháng",
                )
            )
    for rule in ("A-2",) + (("K-2",) if title.head_kind == "truong" else ()):
        ver = book.find(rule, day)
        if ver is None:
            continue
        limit = int(ver.params.get("max_consecutive_terms", 2))
        facts = [
            FactUsed("Giữ chức vụ liên tục từ", vn(term.chain_start), term.chain_start),
            FactUsed("Số nhiệm kỳ liên tiếp (kể cả nhiệm kỳ hiện tại)", str(term.consecutive_terms)),
        ]
        if term.consecutive_terms >= limit:
            v.results.append(
                result(
                    ver,
                    FAIL,
                    f"Đã giữ chức vụ {term.consecutive_terms} nhiệm kỳ liên tiếp; bổ nhiệm lại "
                    f"sẽ vượt quá {limit} nhiệm kỳ.",
                    facts,
                    f"≤ {limit} nhiệm kỳ",
                )
            )
        else:
            v.results.append(
                result(
                    ver,
                    PASS,
                    f"Mới giữ {term.consecutive_terms} nhiệm kỳ liên tiếp; bổ nhiệm lại không "
                    f"vượt quá {limit}.",
                    facts,
                    f"≤ {limit} nhiệm kỳ",
                )
            )
    return v


# -- validator 10: rotation ------------------------------------------------------------------

SPECIAL_ROTATION = {
    "khong_dia_phuong": "bố trí chức danh không là người địa phương",
    "han_nhiem_ky": "bảo đảm không quá hai nhiệm kỳ",
}


def check_rotation(
    book: Rulebook, person: PersonFacts, title: TitleInfo, day: dt.date, declared: Declared
) -> Verdict:
    v = _new_verdict("rotation", day, "Ngày quyết định luân chuyển", person, title)
    r4 = book.find("R-4", day)
    if r4 is None:
        v.results.append(missing_version("R-4", "Tuổi luân chuyển", day))
    else:
        special = declared.rotation_purpose in SPECIAL_ROTATION
        need = int(r4.params["min_months_special_purpose" if special else "min_months"])
        why = (
            f"(luân chuyển để {SPECIAL_ROTATION[declared.rotation_purpose]}: một nhiệm kỳ)"
            if special
            else "(hai nhiệm kỳ)"
        )
        v.results.append(_months_left_rule(book, r4, person, day, need, "Ngày luân chuyển", why))
    r5 = book.find("R-5", day)
    if r5 is None:
        v.results.append(missing_version("R-5", "Thời gian luân chuyển", day))
    else:
        need = int(r5.params["min_duration_months"])
        if declared.rotation_months is None:
            v.results.append(
                result(
                    r5, CANNOT, "Chưa khai báo thời gian luân chuyển dự kiến.", threshold=f"≥ {need} tháng"
                )
            )
        else:
            ok = declared.rotation_months >= need
            v.results.append(
                result(
                    r5,
                    PASS if ok else FAIL,
                    f"Thời gian luân chuyển dự kiến {declared.rotation_months} tháng, "
                    f"{'đủ' if ok else 'dưới'} {need} tháng.",
                    [FactUsed("Thời gian dự kiến", f"{declared.rotation_months} tháng")],
                    f"≥ {need} tháng",
                )
            )
    r2 = book.find("R-2", day)
    if r2 is not None:
        v.results.append(
            _planned(
                r2,
                person,
                title,
                day,
                declared,
                no_tail="; cán bộ luân chuyển phải có trong quy hoạch.",
            )
        )
    r3 = book.find("R-3", day)
    rank = current_rank(person, day)
    if r3 is not None:
        if title.rank is None or rank is None:
            v.results.append(
                result(
                    r3,
                    CANNOT,
                    "Không so được chức vụ nơi đến với chức vụ đang giữ (thiếu thứ bậc hoặc "
                    "chưa giữ chức vụ lãnh đạo).",
                )
            )
        elif title.rank > rank:
            v.results.append(
                result(
                    r3,
                    WARN,
                    "Chức vụ nơi đến cao hơn: chỉ áp dụng với cán bộ thật sự nổi trội.",
                    [_title_fact(title)],
                )
            )
        else:
            v.results.append(
                result(
                    r3,
                    PASS,
                    "Chức vụ nơi đến tương đương hoặc thấp hơn chức vụ hiện tại.",
                    [_title_fact(title)],
                )
            )
    v.results.extend(_pending(book, person, day, declared, "luân chuyển"))
    return v


# -- validator 11: Party-committee candidacy -------------------------------------------------

K4_LEVELS = {
    "co_so": "Đại hội cơ sở",
    "tren_co_so": "Cấp trên trực tiếp cơ sở",
    "xa": "Xã, phường, đặc khu trực thuộc tỉnh",
    "tinh": "Tỉnh, thành phố trực thuộc Trung ương",
    "hdnd_ubnd": "Lãnh đạo HĐND, UBND, Đoàn đại biểu Quốc hội",
}


def k4_level(title: TitleInfo) -> str:
    return {"xa": "xa", "huyen": "tren_co_so", "tinh": "tinh", "tw": "tinh"}.get(title.level, "tinh")


def check_committee(
    book: Rulebook, person: PersonFacts, title: TitleInfo, day: dt.date, declared: Declared
) -> Verdict:
    k4 = book.find("K-4", day)
    level = declared.extra.get("k4_level") or k4_level(title)
    ref = dt.date.fromisoformat(k4.params[level]) if k4 is not None and level in k4.params else day
    v = _new_verdict("committee", ref, f"Mốc tính tuổi K-4: {K4_LEVELS.get(level, level)}", person, title)
    if k4 is None:
        v.results.append(missing_version("K-4", "Mốc tính tuổi tham gia cấp ủy", day, CANNOT))
        return v
    v.results.append(
        result(
            k4,
            PASS,
            f"Cấp {K4_LEVELS.get(level, level)}: tuổi tính tại ngày {vn(ref)} (ngày 1 của "
            "tháng mốc, giá trị mặc định).",
            [FactUsed("Mốc tính tuổi", vn(ref), ref)],
        )
    )
    k5 = book.find("K-5", ref) or book.find("K-5", day)
    if k5 is None:
        v.results.append(missing_version("K-5", "Tuổi tham gia cấp ủy", ref, CANNOT))
    else:
        re_election = any(
            m.kind == "cap_uy" and m.start <= ref and (m.end is None or m.end >= add_months(ref, -1))
            for m in person.memberships
        )
        if title.group == "pho_bi_thu" and title.level == "tinh":
            need, why = int(k5.params["provincial_deputy_secretary_months"]), "(Phó Bí thư Tỉnh ủy)"
        elif re_election:
            need, why = int(k5.params["reelection_months"]), "(tái cử)"
        else:
            need, why = int(k5.params["first_time_months"]), "(tham gia lần đầu: đủ một nhiệm kỳ)"
        v.results.append(_months_left_rule(book, k5, person, ref, need, "Mốc tính tuổi K-4", why))
    v.results.extend(_political(book, person, ref, "giới thiệu tham gia cấp ủy"))
    return v


CHECKS: dict[str, Callable[[Rulebook, PersonFacts, TitleInfo, dt.date, Declared], Verdict]] = {
    "appointment": check_appointment,
    "planning": check_planning,
    "reappointment": check_reappointment,
    "rotation": check_rotation,
    "committee": check_committee,
}


def check(
    book: Rulebook,
    purpose: str,
    person: PersonFacts,
    title: TitleInfo,
    day: dt.date,
    declared: Declared | None = None,
) -> Verdict:
    """Judge ``person`` for ``title`` on ``day`` for one purpose (see PURPOSES)."""
    return CHECKS[purpose](book, person, title, day, declared or Declared())


# -- validator 7: confidence vote ------------------------------------------------------------


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


def _frac(text: str) -> tuple[int, int]:
    a, b = text.split("/")
    return int(a), int(b)


def check_vote(book: Rulebook, vote: VoteInput) -> Verdict:
    day = vote.vote_date
    v = Verdict(
        "vote",
        "Kết quả lấy phiếu tín nhiệm",
        day,
        "Ngày lấy phiếu",
        vote.person_id,
        vote.person_name,
        "",
        vote.position,
    )
    counts = [
        FactUsed("Số được triệu tập", str(vote.convened), day),
        FactUsed("Số có mặt", str(vote.present), day),
        FactUsed("Số phiếu phát ra", str(vote.ballots), day),
        FactUsed("Tín nhiệm thấp", str(vote.low), day),
    ]
    v3 = book.find("V-3", day)
    if v3 is None:
        v.results.append(missing_version("V-3", "Số lượng tham dự", day))
    else:
        a, b = _frac(v3.params["quorum"])
        ok = vote.present * b >= vote.convened * a
        v.results.append(
            result(
                v3,
                PASS if ok else FAIL,
                f"Có mặt {vote.present}/{vote.convened} người được triệu tập, "
                f"{'đủ' if ok else 'không đủ'} {a}/{b}.",
                counts[:2],
                f"≥ {a}/{b}",
            )
        )
    v6 = book.find("V-6", day) or book.latest("V-6")
    denom_key = v6.params.get("denominator", "convened")
    denom = {"convened": vote.convened, "present": vote.present, "ballots": vote.ballots}[denom_key]
    denom_label = {"convened": "số được triệu tập", "present": "số có mặt", "ballots": "số phiếu phát ra"}[
        denom_key
    ]
    if denom == 0:
        v.results.append(result(v6, CANNOT, "Mẫu số bằng 0: không tính được tỷ lệ.", counts))
        return v
    v.results.append(result(v6, PASS, f"Tỷ lệ tính trên {denom_label} ({denom}).", counts))
    low_fact = [FactUsed("Tỷ lệ tín nhiệm thấp", f"{vote.low}/{denom} = {100 * vote.low / denom:.1f}%", day)]
    v5, v4 = book.find("V-5", day), book.find("V-4", day)
    if v5 is not None and v4 is not None:
        a5, b5 = _frac(v5.params["low_at_least"])
        a4, b4 = _frac(v4.params["low_over"])
        if vote.low * b5 >= denom * a5:
            v.results.append(
                result(
                    v5,
                    FAIL,
                    f"Tín nhiệm thấp từ {a5}/{b5} trở lên: cấp có thẩm quyền cho thôi giữ chức "
                    "vụ, miễn nhiệm mà không chờ hết nhiệm kỳ.",
                    low_fact,
                    f"≥ {a5}/{b5}",
                )
            )
        elif vote.low * b4 > denom * a4:
            v.results.append(
                result(
                    v4,
                    WARN,
                    f"Tín nhiệm thấp trên {a4}/{b4} và dưới {a5}/{b5}: đưa ra khỏi quy hoạch "
                    "chức vụ cao hơn; xem xét cho thôi giữ chức vụ, điều động hoặc từ chức.",
                    low_fact,
                    f"> {a4}/{b4} và < {a5}/{b5}",
                )
            )
        else:
            v.results.append(
                result(v4, PASS, f"Tín nhiệm thấp không quá {a4}/{b4}.", low_fact, f"≤ {a4}/{b4}")
            )
    else:
        v.results.append(missing_version("V-4", "Ngưỡng tín nhiệm thấp", day))
    v10 = book.find("V-10", day)
    if v10 is not None:
        a, b = _frac(v10.params["low_over"])
        if vote.low * b > denom * a:
            v.results.append(
                result(
                    v10,
                    FAIL,
                    f"Tín nhiệm thấp trên {a}/{b}: năm {day.year} xếp loại không hoàn thành nhiệm vụ (E-4).",
                    low_fact,
                    f"> {a}/{b}",
                )
            )
        else:
            v.results.append(
                result(
                    v10, PASS, f"Không thuộc trường hợp V-10 (tín nhiệm thấp không quá {a}/{b}).", low_fact
                )
            )
    return v


# -- validator 8: rating ---------------------------------------------------------------------


@dataclass(frozen=True)
class RatingInput:
    """A proposed rating: side (dang / chinh_quyen), date of the rating decision, score, level."""

    system: str
    rating_date: dt.date
    proposed_level: str
    score: float | None = None
    is_leader: bool = False
    kht_trigger: bool | None = None  # any E-4 / E-8 overriding trigger established
    duty_discipline_in_year: bool | None = None  # D-11
    low_vote_over_half: bool | None = None  # V-10
    exceeded_share: float | None = None  # share of tasks exceeded (HTXS condition, E-3)
    unit_htxs: int | None = None  # HTXS in the agency or duty group, this one included
    unit_htt: int | None = None
    person_id: int | None = None
    person_name: str = ""


def check_rating(book: Rulebook, r: RatingInput) -> Verdict:
    day = r.rating_date
    v = Verdict(
        "rating", "Xếp loại chất lượng", day, "Ngày quyết định xếp loại", r.person_id, r.person_name, "", ""
    )
    if r.system == PARTY:
        band_rule, quota_rule = "E-3", "E-5"
    else:
        band_rule = "E-8" if book.find("E-8", day) else "E-12"
        quota_rule = "E-9" if book.find("E-9", day) else "E-12"
    band = book.find(band_rule, day)
    computed: str | None = None
    if band is None:
        v.results.append(missing_version(band_rule, "Khung điểm xếp loại", day, CANNOT))
    elif r.score is None:
        v.results.append(result(band, CANNOT, "Chưa có điểm đánh giá (thang 100)."))
    else:
        p = band.params
        computed = (
            "htxs"
            if r.score >= p["htxs_min"]
            else "htt"
            if r.score >= p["htt_min"]
            else "ht"
            if r.score >= p["ht_min"]
            else "kht"
        )
        v.results.append(
            result(
                band,
                PASS,
                f"{r.score:g} điểm: khung {RATING_LABELS[computed]}.",
                [FactUsed("Điểm", f"{r.score:g}", day)],
                f"{p['htxs_min']} / {p['htt_min']} / {p['ht_min']}",
            )
        )
    triggers = {
        "kht_trigger": (
            "E-4" if r.system == PARTY else "E-8",
            "có căn cứ đương nhiên không hoàn thành nhiệm vụ",
        ),
        "duty_discipline_in_year": (
            "D-11",
            "bị kỷ luật từ khiển trách trở lên do vi phạm khi thực thi nhiệm vụ trong năm",
        ),
        "low_vote_over_half": ("V-10", "tín nhiệm thấp trên 50% trong năm"),
    }
    for attr, (rule, text) in triggers.items():
        if rule == "V-10" and not r.is_leader:
            continue
        ver = book.find(rule, day)
        if ver is None:
            continue
        value = getattr(r, attr)
        if value is None:
            v.results.append(result(ver, CANNOT, f"Chưa xác định có hay không: {text}."))
        elif value:
            computed = "kht"
            v.results.append(
                result(
                    ver,
                    FAIL if RATING_ORDER.get(r.proposed_level, 0) > 0 else PASS,
                    f"Có căn cứ: {text} → không hoàn thành nhiệm vụ.",
                    [FactUsed("Căn cứ", text)],
                )
            )
        else:
            v.results.append(result(ver, PASS, f"Không {text}."))
    if computed is not None and band is not None:
        ok = RATING_ORDER[r.proposed_level] <= RATING_ORDER[computed]
        v.results.append(
            result(
                band,
                PASS if ok else FAIL,
                f"Mức đề nghị {RATING_LABELS[r.proposed_level]} "
                f"{'không vượt' if ok else 'cao hơn'} mức được xét theo điểm và điều kiện "
                f"({RATING_LABELS[computed]}).",
                [FactUsed("Mức đề nghị", RATING_LABELS[r.proposed_level])],
            )
        )
    if r.proposed_level == "htxs":
        if band is not None and band.rule_id == "E-3":
            need = float(band.params["htxs_exceeded_share"])
            if r.exceeded_share is None:
                v.results.append(
                    result(
                        band, CANNOT, f"Chưa có tỷ lệ nhiệm vụ vượt mức (cần ≥ {need:.0%} cho mức xuất sắc)."
                    )
                )
            else:
                ok = r.exceeded_share >= need
                v.results.append(
                    result(
                        band,
                        PASS if ok else FAIL,
                        f"Vượt mức {r.exceeded_share:.0%} nhiệm vụ, {'đủ' if ok else 'chưa đủ'} {need:.0%}.",
                        threshold=f"≥ {need:.0%}",
                    )
                )
        quota = book.find(quota_rule, day)
        if quota is None:
            v.results.append(missing_version(quota_rule, "Tỷ lệ hoàn thành xuất sắc", day))
        else:
            share = float(quota.params.get("htxs_share_of_htt", quota.params.get("htxs_share", 0.2)))
            if r.unit_htxs is None or r.unit_htt is None:
                v.results.append(
                    result(
                        quota,
                        CANNOT,
                        "Chưa có số lượng xếp loại xuất sắc và tốt của cơ quan, nhóm để tính tỷ lệ.",
                        threshold=f"≤ {share:.0%} số HTT",
                    )
                )
            else:
                limit = share * r.unit_htt
                ok = r.unit_htxs <= limit
                v.results.append(
                    result(
                        quota,
                        PASS if ok else FAIL,
                        f"{r.unit_htxs} xuất sắc so với {r.unit_htt} tốt: "
                        f"{'trong' if ok else 'vượt'} giới hạn {share:.0%} ({limit:g}).",
                        [
                            FactUsed("Số HTXS (kể cả người này)", str(r.unit_htxs)),
                            FactUsed("Số HTT", str(r.unit_htt)),
                        ],
                        f"≤ {share:.0%} × HTT",
                    )
                )
    return v


# -- validator 9: discipline ----------------------------------------------------------------

# §7a: which subjects may receive which form (Party subjects by D-1, State by D-5 / NĐ 112).
FORMS_BY_SUBJECT = {
    "to_chuc_dang": {"khien_trach", "canh_cao", "giai_tan"},
    "dang_vien": {"khien_trach", "canh_cao", "cach_chuc", "khai_tru"},
    "dang_vien_du_bi": {"khien_trach", "canh_cao"},
    "can_bo": {"khien_trach", "canh_cao", "cach_chuc", "bai_nhiem", "ha_bac_luong", "giang_chuc"},
    "cong_chuc": {"khien_trach", "canh_cao", "cach_chuc", "buoc_thoi_viec", "ha_bac_luong", "giang_chuc"},
}
ABOLISHED_FROM = dt.date(2025, 7, 1)  # D-5: giáng chức and hạ bậc lương abolished


def check_discipline(book: Rulebook, d: DisciplineFact, subject: str, on: dt.date) -> Verdict:
    """Form valid for the subject on the decision date; Party lapse date; career-block window."""
    v = Verdict("discipline", "Kỷ luật", d.decision_date, "Ngày quyết định kỷ luật", None, "", "", d.label)
    rule = "D-1" if d.system == PARTY else "D-5"
    ver = book.find(rule, d.decision_date)
    allowed = FORMS_BY_SUBJECT.get(subject, set())
    if d.system == STATE and d.decision_date >= ABOLISHED_FROM:
        allowed = allowed - {"ha_bac_luong", "giang_chuc"}
    form_fact = [FactUsed("Hình thức", FORM_LABELS.get(d.form, d.form), d.decision_date)]
    if ver is None:
        v.results.append(
            missing_version(
                rule, "Hình thức kỷ luật", d.decision_date, CANNOT if d.system == STATE else NOT_APPLICABLE
            )
        )
    elif d.form in allowed:
        v.results.append(
            result(ver, PASS, "Hình thức kỷ luật hợp lệ với đối tượng vào ngày quyết định.", form_fact)
        )
    else:
        extra = (
            " (bãi bỏ từ 01/07/2025)"
            if d.form in ("ha_bac_luong", "giang_chuc") and d.decision_date >= ABOLISHED_FROM
            else ""
        )
        v.results.append(
            result(
                ver,
                FAIL,
                f"Hình thức {FORM_LABELS.get(d.form, d.form).lower()} không áp dụng cho đối "
                f"tượng này vào ngày {vn(d.decision_date)}{extra}.",
                form_fact,
            )
        )
    if d.system == PARTY:
        lapse, d2, assumed = party_lapse(book, d)
        if d2 is not None:
            if lapse is None:
                v.results.append(
                    result(d2, PASS, "Hình thức này không tự động chấm dứt hiệu lực.", form_fact)
                )
            else:
                note = " (chưa có ngày công bố, tính từ ngày hiệu lực/quyết định)" if assumed else ""
                v.results.append(
                    result(
                        d2,
                        PASS,
                        f"Tự động chấm dứt hiệu lực ngày {vn(lapse)}{note} nếu không khiếu "
                        "nại, tái phạm hay vi phạm mới.",
                        [FactUsed("Ngày chấm dứt hiệu lực", vn(lapse), lapse)],
                        f"{d2.params['lapse_months']} tháng",
                    )
                )
    w = discipline_window(book, d, on)
    if w is not None:
        state = "đang chặn" if w.covers(on) else ("đã hết" if on >= w.end else "chưa bắt đầu")
        v.results.append(
            result(
                w.version,
                WARN if w.covers(on) else PASS,
                f"Không {w.blocks} từ {vn(w.start)} đến hết ngày "
                f"{vn(w.end - dt.timedelta(days=1))} ({state} tại ngày {vn(on)}).",
                _window_facts(w),
                f"{w.months} tháng",
            )
        )
    return v
