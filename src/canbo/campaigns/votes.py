"""Confidence-vote sessions (C12, RULES.md §5, validator 7): writes through the audited services
and the reads of the session page and the consequence worklist.

A session of a body (Party committee, People's Council) for a unit subtree on a date lists the
leaders elected or appointed then; the counts per level are entered or imported; finalising
checks every count and writes each person's ``assessment.ConfidenceVote`` row in one
transaction, or nothing. Validator 7 (``check_vote``) reads the rulebook at the vote date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import Http404

from canbo.assessment.models import ConfidenceVote
from canbo.campaigns.models import CampaignStatus, VoteBody, VoteEntry, VoteSession
from canbo.careers.models import Tenure, TenureKind, on_date_q
from canbo.core.context import with_reason
from canbo.core.dates import today
from canbo.core.errors import DomainError
from canbo.core.hooks import Hook
from canbo.core.services import audited_create, audited_update, ensure_can_change
from canbo.core.types import ActingUser
from canbo.org.models import Unit
from canbo.rules.engine.checks import VoteInput, check_vote
from canbo.rules.engine.checks.vote import frac
from canbo.rules.engine.rulebook import Rulebook
from canbo.rules.engine.verdict import FAIL, WARN, Verdict
from canbo.rules.selectors import rulebook

CLOSED = "Đợt lấy phiếu đã hoàn tất, không sửa được nữa."

#: (user, person ids, day) → {person id: [planning entries in force that day]}: the lists a
#: V-4 / V-5 result takes the person out of (``planning`` registers it; it is above this app).
planning_entries = Hook("planning entries in force of people voted on")
VOTED_KINDS = (TenureKind.ELECTED, TenureKind.APPOINTED)


def meeting_errors(convened: int, present: int, ballots: int) -> list[str]:
    out = []
    if present > convened:
        out.append("Số có mặt không thể lớn hơn số được triệu tập.")
    if ballots > present:
        out.append("Số phiếu phát ra không thể lớn hơn số có mặt.")
    return out


def count_errors(session: VoteSession, high: int, medium: int, low: int) -> list[str]:
    if high + medium + low > session.ballots:
        return [
            f"Tổng số phiếu ba mức ({high + medium + low}) vượt quá số phiếu phát ra ({session.ballots})."
        ]
    return []


def people_voted_on(unit: Unit, body: str, day: dt.date) -> list[tuple[Any, str]]:
    """(person, position) for each leader elected or appointed to a post in ``unit``'s subtree
    and holding it on ``day`` (his primary post first). At a People's Council session (V-8),
    persons elected or appointed in the voting year are not voted on."""
    tenures = (
        Tenure.objects.filter(unit__path__startswith=unit.path, title__is_leader=True, kind__in=VOTED_KINDS)
        .filter(on_date_q(day))
        .select_related("person", "title", "unit")
        .order_by("-is_primary", "unit__path", "person__full_name", "pk")
    )
    if body == VoteBody.PEOPLES_COUNCIL:
        tenures = tenures.exclude(start_date__year=day.year)
    out: dict[int, tuple[Any, str]] = {}
    for t in tenures:
        out.setdefault(t.person_id, (t.person, f"{t.title.name} {t.unit.name}"))
    return sorted(out.values(), key=lambda x: (x[0].full_name, x[0].pk))


def session_create(
    *,
    unit: Unit,
    body: str,
    vote_date: dt.date,
    convened: int,
    present: int,
    ballots: int,
    acting_user: ActingUser,
    reason: str = "",
) -> VoteSession:
    """Open a session with the people voted on (one entry each, counts not yet entered)."""
    problems = meeting_errors(convened, present, ballots)
    if problems:
        raise DomainError(" ".join(problems))
    if VoteSession.objects.filter(unit=unit, body=body, vote_date=vote_date).exists():
        raise DomainError("Đơn vị đã có đợt lấy phiếu của hội nghị này vào ngày đó.")
    session = VoteSession(
        unit=unit, body=body, vote_date=vote_date, convened=convened, present=present, ballots=ballots
    )
    with transaction.atomic():
        audited_create(
            session, acting_user=acting_user, reason=with_reason("Mở đợt lấy phiếu tín nhiệm", reason)
        )
        for person, position in people_voted_on(unit, body, vote_date):
            audited_create(
                VoteEntry(session=session, person=person, position=position[:200]),
                acting_user=acting_user,
                reason=with_reason("Đưa vào danh sách lấy phiếu tín nhiệm", reason),
                check_scope=False,  # the session's scope, checked above
            )
    return session


def _open(session: VoteSession) -> None:
    if not session.is_open:
        raise DomainError(CLOSED)


def counts_set(
    *, entry: VoteEntry, high: int, medium: int, low: int, acting_user: ActingUser, reason: str = ""
) -> VoteEntry:
    """Enter one person's counts (V-2); their sum may not exceed the ballots issued."""
    session = entry.session
    _open(session)
    ensure_can_change(session, acting_user)
    problems = count_errors(session, high, medium, low)
    if problems:
        raise DomainError(f"{entry.person.full_name}: " + " ".join(problems))
    return audited_update(
        entry,
        acting_user=acting_user,
        changes={"high": high, "medium": medium, "low": low},
        reason=with_reason("Nhập kết quả kiểm phiếu", reason),
    )


def _key(name: str) -> str:
    text = unicodedata.normalize("NFC", " ".join(name.split())).casefold()
    return text


def counts_import(*, session: VoteSession, text: str, acting_user: ActingUser, reason: str = "") -> int:
    """Import a tally sheet: one line per person, ``họ và tên; cao; tín nhiệm; thấp`` (comma,
    semicolon or tab between fields; a header line is skipped). All lines or none: an unknown
    name, a count that is not a number or a sum above the ballots refuses the whole sheet."""
    _open(session)
    ensure_can_change(session, acting_user)
    sample = text[:2000]
    delimiter = "\t" if "\t" in sample else (";" if ";" in sample else ",")
    entries = {_key(e.person.full_name): e for e in session.entries.select_related("person", "session")}
    rows: list[tuple[VoteEntry, int, int, int]] = []
    problems: list[str] = []
    for n, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) < 4:
            problems.append(f"Dòng {n}: cần bốn cột (họ và tên, tín nhiệm cao, tín nhiệm, tín nhiệm thấp).")
            continue
        try:
            high, medium, low = (int(c) for c in cells[1:4])
        except ValueError:
            if n == 1:
                continue  # the header
            problems.append(f"Dòng {n}: số phiếu phải là số nguyên.")
            continue
        entry = entries.get(_key(cells[0]))
        if entry is None:
            problems.append(f"Dòng {n}: “{cells[0]}” không có trong danh sách lấy phiếu.")
            continue
        if min(high, medium, low) < 0:
            problems.append(f"Dòng {n}: số phiếu không được âm.")
            continue
        problems.extend(f"Dòng {n}: {p}" for p in count_errors(session, high, medium, low))
        rows.append((entry, high, medium, low))
    if problems:
        raise DomainError("Không nhập được phiếu kiểm: " + " ".join(problems))
    if not rows:
        raise DomainError("Không có dòng kết quả nào trong phiếu kiểm.")
    with transaction.atomic():
        for entry, high, medium, low in rows:
            audited_update(
                entry,
                acting_user=acting_user,
                changes={"high": high, "medium": medium, "low": low},
                reason=with_reason("Nhập kết quả kiểm phiếu từ biên bản", reason),
            )
    return len(rows)


def action_record(
    *, entry: VoteEntry, decision: str, decision_date: dt.date, note: str, acting_user: ActingUser
) -> VoteEntry:
    """Record the action taken on a consequence (decision number and date)."""
    ensure_can_change(entry.session, acting_user)
    if entry.session.is_open:
        raise DomainError("Chỉ ghi nhận xử lý sau khi đã hoàn tất đợt lấy phiếu.")
    decision = decision.strip()
    if not decision:
        raise DomainError("Cần ghi số quyết định xử lý.")
    if decision_date < entry.session.vote_date:
        raise DomainError("Ngày quyết định xử lý không thể trước ngày lấy phiếu.")
    return audited_update(
        entry,
        acting_user=acting_user,
        changes={"action_decision": decision, "action_date": decision_date, "action_note": note.strip()},
        # the decision (required) is the reason (issue 21)
        reason=f"Ghi nhận xử lý kết quả lấy phiếu theo quyết định số {decision}",
    )


@transaction.atomic
def session_finalise(*, session: VoteSession, acting_user: ActingUser, reason: str = "") -> int:
    """Every person counted, the counts adding up: each person's vote row written, all in one
    transaction. Returns the number of rows written."""
    _open(session)
    ensure_can_change(session, acting_user)
    entries = list(session.entries.select_related("person").order_by("person__full_name", "pk"))
    missing = [e.person.full_name for e in entries if not e.counted]
    problems: list[str] = []
    if not entries:
        problems.append("Đợt lấy phiếu không có người nào.")
    if missing:
        problems.append(f"Còn {len(missing)} người chưa nhập kết quả ({', '.join(missing[:5])}).")
    problems.extend(meeting_errors(session.convened, session.present, session.ballots))
    for e in entries:
        if e.counted:
            assert e.high is not None and e.medium is not None and e.low is not None  # noqa: S101
            problems.extend(
                f"{e.person.full_name}: {p}" for p in count_errors(session, e.high, e.medium, e.low)
            )
    if problems:
        raise DomainError("Chưa hoàn tất được đợt lấy phiếu: " + " ".join(problems))
    body = f"{session.get_body_display()} — {session.unit.name}"[:200]
    for e in entries:
        key = {"person": e.person, "vote_date": session.vote_date, "body": body}
        fields = {"body_kind": session.body, "position": e.position, "convened": session.convened,
                  "present": session.present,
                  "ballots": session.ballots, "high": e.high, "medium": e.medium, "low": e.low}  # fmt: skip
        current = ConfidenceVote.objects.filter(**key).first()
        why = with_reason(f"Kết quả lấy phiếu tín nhiệm ngày {session.vote_date:%d/%m/%Y}", reason)
        if current is None:
            audited_create(ConfidenceVote(**key, **fields), acting_user=acting_user, reason=why)
        else:
            audited_update(current, acting_user=acting_user, changes=fields, reason=why)
    audited_update(
        session,
        acting_user=acting_user,
        changes={"status": CampaignStatus.FINAL, "finalised_on": today()},
        reason=with_reason("Hoàn tất đợt lấy phiếu tín nhiệm", reason),
    )
    return len(entries)


# -- reads --------------------------------------------------------------------------------------


def sessions_for(user: Any) -> Any:
    return VoteSession.objects.restrict(user).select_related("unit").order_by("-vote_date", "unit__path")


def session_or_404(user: Any, pk: int, action: str = "view") -> VoteSession:
    found = VoteSession.objects.restrict(user, action).select_related("unit").filter(pk=pk).first()
    if found is None:
        raise Http404("Không tìm thấy đợt lấy phiếu.")
    return found


def entry_or_404(user: Any, pk: int, action: str = "view") -> VoteEntry:
    found = (
        VoteEntry.objects.restrict(user, action)
        .select_related("session__unit", "person")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy người được lấy phiếu.")
    return found


@dataclass
class Consequence:
    """What a vote requires (V-4, V-5, V-8), with the rule and the deadline where one applies."""

    rule: str
    band: str  # "over_half" | "two_thirds"
    action: str
    deadline: dt.date | None = None


@dataclass
class VoteRow:
    entry: VoteEntry
    verdict: Verdict | None
    consequence: Consequence | None
    kht_year: int | None  # V-10: the rating year made KHT
    planning: list[Any] = field(default_factory=list)  # entries still in force (V-4, V-5)

    @property
    def removes_from_planning(self) -> bool:
        return self.consequence is not None and self.consequence.rule in ("V-4", "V-5")

    @property
    def pending(self) -> bool:
        return self.consequence is not None and not self.entry.action_decision


def _verdict(book: Rulebook, s: VoteSession, e: VoteEntry) -> Verdict | None:
    if not e.counted:
        return None
    assert e.high is not None and e.medium is not None and e.low is not None  # noqa: S101
    return check_vote(
        book,
        VoteInput(s.vote_date, s.convened, s.present, s.ballots, e.high, e.medium, e.low,
                  e.person_id, e.person.full_name, e.position),
    )  # fmt: skip


def consequence(book: Rulebook, s: VoteSession, e: VoteEntry, verdict: Verdict) -> Consequence | None:
    """The consequence band of one vote: at a People's Council session V-8 (in force on the
    date) decides; otherwise validator 7's V-5 (fail) or V-4 (warning)."""
    if s.body == VoteBody.PEOPLES_COUNCIL:
        v8 = book.find("V-8", s.vote_date)
        denom = {"convened": s.convened, "present": s.present, "ballots": s.ballots}.get(
            str((book.find("V-6", s.vote_date) or book.latest("V-6")).params.get("denominator", "convened")),
            s.convened,
        )
        if v8 is not None and denom and e.low is not None:
            a5, b5 = frac(v8.params["low_at_least"])
            a4, b4 = frac(v8.params["low_over"])
            if e.low * b5 >= denom * a5:
                return Consequence(
                    "V-8", "two_thirds", f"Từ {a5}/{b5} tín nhiệm thấp: đưa ra bỏ phiếu tín nhiệm (hai mức)."
                )
            if e.low * b4 > denom * a4:
                return Consequence("V-8", "over_half", f"Trên {a4}/{b4} tín nhiệm thấp: có thể xin từ chức.")
            return None
    for r in verdict.results:
        if r.rule_id == "V-5" and r.outcome == FAIL:
            return Consequence(
                "V-5", "two_thirds", "Cho thôi giữ chức vụ hoặc miễn nhiệm, không chờ hết nhiệm kỳ."
            )
        if r.rule_id == "V-4" and r.outcome == WARN:
            return Consequence(
                "V-4",
                "over_half",
                "Đưa ra khỏi quy hoạch chức vụ cao hơn; xem xét cho thôi giữ chức vụ, điều động "
                "hoặc từ chức.",
            )
    return None


def rows_of(
    session: VoteSession, entries: list[VoteEntry] | None = None, book: Rulebook | None = None
) -> list[VoteRow]:
    book = book or rulebook()
    if entries is None:
        entries = list(
            VoteEntry.objects.filter(session=session)
            .select_related("person")
            .order_by("person__full_name", "pk")
        )
    out = []
    for e in entries:
        e.session = session
        verdict = _verdict(book, session, e)
        cons = consequence(book, session, e, verdict) if verdict else None
        kht = None
        if verdict and any(r.rule_id == "V-10" and r.outcome == FAIL for r in verdict.results):
            kht = session.vote_date.year
        out.append(VoteRow(e, verdict, cons, kht))
    return out


def quorum_result(book: Rulebook, session: VoteSession) -> tuple[bool | None, str]:
    """V-3 on the meeting alone (the same rule validator 7 applies per person)."""
    v3 = book.find("V-3", session.vote_date)
    if v3 is None:
        return None, "Không có quy định về số lượng tham dự vào ngày lấy phiếu."
    a, b = frac(v3.params["quorum"])
    ok = session.present * b >= session.convened * a
    return ok, (
        f"Có mặt {session.present}/{session.convened} người được triệu tập, "
        f"{'đủ' if ok else 'không đủ'} {a}/{b} (V-3)."
    )


def worklist(user: Any) -> list[tuple[VoteSession, VoteRow]]:
    """People whose finalised vote requires action, the pending first, with the planning entries
    a V-4 / V-5 result takes them out of: three queries."""
    book = rulebook()
    entries = list(
        VoteEntry.objects.restrict(user)
        .filter(session__status=CampaignStatus.FINAL)
        .select_related("session__unit", "person")
        .order_by("-session__vote_date", "person__full_name", "pk")
    )
    out = []
    for e in entries:
        row = rows_of(e.session, [e], book)[0]
        if row.consequence is not None:
            out.append((e.session, row))
    removing = [r for _, r in out if r.removes_from_planning]
    if removing:  # the planning lists each V-4 / V-5 result still has to take him out of
        planned = planning_entries(user, [r.entry.person_id for r in removing], today())
        for r in removing:
            r.planning = planned.get(r.entry.person_id, [])
    out.sort(key=lambda x: (not x[1].pending,))
    return out


@dataclass
class TermReminder:
    """V-7 / V-8: the periodic vote of a body's term falls in its ``year``-th year."""

    body: Unit
    kind: str  # "cap_uy" | "hdnd"
    term: str
    year: int
    rule: str
    held: bool

    @property
    def label(self) -> str:
        return "Hội nghị Ban Chấp hành" if self.kind == VoteBody.PARTY_COMMITTEE else "Kỳ họp HĐND cuối năm"


def term_reminders(user: Any, day: dt.date | None = None) -> list[TermReminder]:
    """The periodic vote of each running term of a Party committee (V-7) or a People's Council
    (V-8) the user sees members of: due in the term's year ``term_year`` (3 by default), and
    whether a session of that body was held that year. Two queries."""
    from canbo.careers.models import BodyMembership

    day = day or today()
    book = rulebook()
    terms = (
        BodyMembership.objects.restrict(user)
        .filter(kind__in=[VoteBody.PARTY_COMMITTEE, VoteBody.PEOPLES_COUNCIL])
        .exclude(term="")
        .values_list("body_id", "kind", "term")
        .distinct()
    )
    found: dict[tuple[int, str, str], tuple[int, str]] = {}
    for body_id, kind, term in terms:
        try:
            first, last = (int(x) for x in term.replace("–", "-").split("-"))
        except ValueError:
            continue  # a term not written as 2020–2025 (the field's validator) says no year
        if last < day.year:
            continue
        rule_id = "V-7" if kind == VoteBody.PARTY_COMMITTEE else "V-8"
        version = book.find(rule_id, dt.date(first, 1, 1)) or book.latest(rule_id)
        found[(body_id, kind, term)] = (first + int(version.params.get("term_year", 3)) - 1, rule_id)
    if not found:
        return []
    units = Unit.objects.in_bulk({k[0] for k in found})
    held = set(
        VoteSession.objects.filter(unit_id__in=units).values_list("unit_id", "body", "vote_date__year")
    )
    out = [
        TermReminder(units[b], kind, term, year, rule_id, (b, kind, year) in held)
        for (b, kind, term), (year, rule_id) in found.items()
    ]
    return sorted(out, key=lambda r: (r.year, r.body.path, r.kind))
