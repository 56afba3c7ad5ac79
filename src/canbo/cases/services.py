"""Writes of appointment cases: open, candidates, steps, exceptions and the status transitions.

Every write goes through ``core.services.audited_*`` (change log, scope re-check). The status of
a case moves only through the transition functions below, each of which refuses a move the
procedure does not allow with a Vietnamese message, and enforces its rules: A-18 (enough
options) when leaving nomination, A-9 (quorum) before submission and decision, validator 2 (the
candidate's verdict at the case's event date) before the decision, unless an exception is on file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from canbo.careers import services as careers
from canbo.careers.models import Tenure, TenureKind, on_date_q
from canbo.cases.models import (
    OPEN_STATUSES,
    Candidate,
    Case,
    CaseKind,
    CaseSource,
    CaseStatus,
    HeadPilot,
    Step,
    StepVote,
)
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.grants import is_admin
from canbo.core.querysets import CHANGE
from canbo.core.services import audited_create, audited_delete, audited_update
from canbo.core.types import ActingUser
from canbo.org.models import Post
from canbo.people.models import Person
from canbo.rules import services as rules_services
from canbo.rules.engine.checks.ballot import BallotInputError, check_ballot, check_options
from canbo.rules.engine.dates import add_years
from canbo.rules.engine.verdict import CANNOT, FAIL, Verdict


def _reader(acting_user: ActingUser) -> Any:
    """Whose grants the rules read the dossier with: the acting user, or the system's (a
    command, the demo seeding) when there is none."""
    if acting_user is None:
        from canbo.rules.cli import SystemUser

        return SystemUser()
    return acting_user


def _label(status: str) -> str:
    return str(CaseStatus(status).label)


def _move(case: Case, to: str, allowed_from: tuple[str, ...]) -> None:
    """Refuse a transition the procedure does not allow."""
    if case.status not in allowed_from:
        raise DomainError(
            f"Không thể chuyển hồ sơ từ trạng thái «{_label(case.status)}» sang «{_label(to)}»."
        )


def _why(*parts: str) -> str:
    """The change log's reason: the service's own account and the officer's reason, joined."""
    return "; ".join(p.strip() for p in parts if p and p.strip())


def _ensure_open(case: Case) -> None:
    if case.status not in OPEN_STATUSES:
        raise DomainError(f"Hồ sơ đã kết thúc («{_label(case.status)}»), không sửa được nữa.")


def _lock(case: Case) -> Case:
    """The case's row, locked for the transaction (two clicks cannot both move it)."""
    return Case.objects.select_for_update().get(pk=case.pk)


# -- open ------------------------------------------------------------------------------------


def case_open(
    *,
    acting_user: ActingUser,
    post: Post,
    kind: str,
    source: str,
    received_on: dt.date,
    prior_tenure: Tenure | None = None,
    note: str = "",
    reason: str = "",
) -> Case:
    """Open a case for ``post``; a reappointment names the tenure whose term ends and takes its
    holder as the (only) candidate."""
    if acting_user is not None and not Post.objects.restrict(acting_user, CHANGE).filter(pk=post.pk).exists():
        raise NotPermitted("Không tìm thấy vị trí hoặc bạn không có quyền với vị trí này.")
    if kind == CaseKind.REAPPOINTMENT:
        if prior_tenure is None:
            raise DomainError("Hồ sơ bổ nhiệm lại phải gắn với chức vụ đang giữ sắp hết thời hạn.")
        if prior_tenure.unit_id != post.unit_id or prior_tenure.title_id != post.title_id:
            raise DomainError("Chức vụ đang giữ không thuộc vị trí này.")
    elif prior_tenure is not None:
        raise DomainError("Chỉ hồ sơ bổ nhiệm lại mới gắn với chức vụ đang giữ.")
    if source == CaseSource.HEAD and not in_head_pilot(post.unit, received_on):
        raise DomainError(
            "Đơn vị này không thuộc diện thí điểm giao quyền cho người đứng đầu (A-12) vào ngày nhận hồ sơ: "
            "hãy chọn nguồn tại chỗ hoặc nguồn từ nơi khác."
        )
    with transaction.atomic():
        case = audited_create(
            Case(
                post=post,
                unit_id=post.unit_id,
                kind=kind,
                source=source,
                received_on=received_on,
                prior_tenure=prior_tenure,
                note=note,
            ),
            acting_user=acting_user,
            reason=_why(reason),
        )
        if prior_tenure is not None:
            audited_create(
                Candidate(case=case, person=prior_tenure.person), acting_user=acting_user, reason=_why(reason)
            )
    return case


def in_head_pilot(unit: Any, day: dt.date) -> bool:
    """Whether ``unit`` or one of its ancestors is in the A-12 pilot on ``day``."""
    ancestors = [unit.path[:i] for i in range(unit.steplen, len(unit.path) + 1, unit.steplen)]
    return HeadPilot.objects.filter(unit__path__in=ancestors, valid_from__lte=day).exists()


def head_pilot_add(*, acting_user: ActingUser, unit: Any, valid_from: dt.date, basis: str) -> HeadPilot:
    """Put ``unit`` (and its subtree) in the A-12 pilot from ``valid_from``: administrators only."""
    if acting_user is not None and not is_admin(acting_user):
        raise DomainError("Chỉ quản trị viên được ghi đơn vị thí điểm A-12.")
    if not basis.strip():
        raise DomainError("Hãy nhập căn cứ (quyết định thí điểm).")
    return audited_create(HeadPilot(unit=unit, valid_from=valid_from, basis=basis), acting_user=acting_user)


# -- candidates ------------------------------------------------------------------------------


def candidate_add(
    *, acting_user: ActingUser, case: Case, person: Person, note: str = "", reason: str = ""
) -> Candidate:
    """Add a personnel option while the case is at nomination; the person must be one the user
    may see (an officer cannot nominate outside his subtree)."""
    if case.status != CaseStatus.NOMINATION:
        raise DomainError("Chỉ thêm nhân sự khi hồ sơ đang ở bước giới thiệu nhân sự.")
    if acting_user is not None and not Person.objects.restrict(acting_user).filter(pk=person.pk).exists():
        raise NotPermitted("Không tìm thấy cán bộ này hoặc bạn không có quyền xem hồ sơ của họ.")
    if Candidate.objects.filter(case=case, person=person).exists():
        raise DomainError(f"{person.full_name} đã có trong danh sách nhân sự của hồ sơ này.")
    return audited_create(
        Candidate(case=case, person=person, added_note=note), acting_user=acting_user, reason=_why(reason)
    )


def candidate_remove(*, acting_user: ActingUser, candidate: Candidate, reason: str = "") -> None:
    if candidate.case.status != CaseStatus.NOMINATION:
        raise DomainError("Chỉ bớt nhân sự khi hồ sơ đang ở bước giới thiệu nhân sự.")
    audited_delete(candidate, acting_user=acting_user, reason=reason)


PURPOSE_BY_KIND = {
    CaseKind.APPOINTMENT: "appointment",
    CaseKind.NOMINATION: "appointment",
    CaseKind.REAPPOINTMENT: "reappointment",
}


def candidate_verdict(user: Any, case: Case, candidate: Candidate) -> Verdict:
    """Validator 2 (validator 4 for a reappointment) at the case's event date, from the dossier
    and the one fact the officer declares on the candidate (A-7's pending proceedings)."""
    from canbo.rules.engine.facts import Declared
    from canbo.rules.selectors import verdict

    declared = Declared(pending_discipline=candidate.pending_discipline)
    purpose = PURPOSE_BY_KIND[CaseKind(case.kind)]
    return verdict(user, candidate.person, purpose, case.post.title, case.received_on, declared)


def candidate_declare(
    *, acting_user: ActingUser, candidate: Candidate, pending_discipline: bool, reason: str = ""
) -> Candidate:
    """Record the fact A-7 asks for and the dossier does not hold."""
    _ensure_open(candidate.case)
    return audited_update(
        candidate,
        acting_user=acting_user,
        changes={"pending_discipline": pending_discipline},
        reason=_why(reason),
    )


# -- nomination → steps ----------------------------------------------------------------------


def options_verdict(case: Case, options: int) -> Verdict:
    from canbo.rules.selectors import rulebook

    exempt = ""
    if case.source == CaseSource.HEAD:
        exempt = "Người đứng đầu giới thiệu một nhân sự cho mỗi chức danh (A-12)."
    elif case.kind == CaseKind.REAPPOINTMENT:
        exempt = "Bổ nhiệm lại: nhân sự là người đang giữ chức vụ."
    return check_options(rulebook(), case.received_on, 1, options, exempt)


def case_start_steps(*, acting_user: ActingUser, case: Case, reason: str = "") -> Case:
    """Nomination → steps, once A-18 (enough options per post) passes."""
    with transaction.atomic():
        current = _lock(case)
        _move(current, CaseStatus.BALLOTS, (CaseStatus.NOMINATION,))
        options = current.candidates.count()
        if options == 0:
            raise DomainError("Hồ sơ chưa có nhân sự nào được giới thiệu.")
        verdict = options_verdict(current, options)
        if verdict.outcome == FAIL:
            failed = next(r for r in verdict.results if r.outcome == FAIL)
            raise DomainError(f"{failed.label}: {failed.message}")
        return audited_update(
            case,
            acting_user=acting_user,
            changes={"status": CaseStatus.BALLOTS},
            reason=_why(verdict.summary, reason),
        )


# -- steps -----------------------------------------------------------------------------------


def step_record(
    *,
    acting_user: ActingUser,
    case: Case,
    number: int,
    held_on: dt.date,
    body: str,
    convened: int,
    present: int,
    ballots: int,
    votes: dict[int, int],
    reason: str = "",
) -> Step:
    """Record one meeting with its votes (candidate id → votes, one ``StepVote`` row each) and
    validator 3's result, computed from those rows (``selectors.step_ballot``). A meeting without
    quorum is recorded; it cannot move the case on. Step and rows are written together or not
    at all."""
    from canbo.cases.selectors import step_ballot
    from canbo.rules.engine.checks.ballot import BallotCase
    from canbo.rules.selectors import rulebook

    if case.status != CaseStatus.BALLOTS:
        raise DomainError("Chỉ ghi kết quả các bước khi hồ sơ đang thực hiện các bước.")
    if not 1 <= number <= case.step_count:
        raise DomainError(f"Quy trình này có {case.step_count} bước; bước {number} không có.")
    own = {c.pk: c for c in case.candidates.select_related("person")}
    stray = [pk for pk in votes if pk not in own]
    if stray:
        raise DomainError("Số phiếu ghi cho người không có trong danh sách nhân sự của hồ sơ.")
    if any(n < 0 for n in votes.values()):
        raise DomainError("Số phiếu không được âm.")
    step = Step(
        case=case,
        number=number,
        held_on=held_on,
        body=body,
        convened=convened,
        present=present,
        ballots=ballots,
    )
    rows = [StepVote(step=step, candidate=own[pk], votes=n) for pk, n in votes.items()]
    for row in rows:
        if row.votes > ballots:
            raise DomainError(
                f"Số phiếu của {row.candidate.person.full_name} ({row.votes}) "
                f"lớn hơn số phiếu phát ra ({ballots})."
            )
    ballot = step_ballot(step, rows)
    try:
        ballot.validate()
    except BallotInputError as exc:
        raise DomainError(str(exc)) from exc
    rules = rulebook()
    verdict = check_ballot(rules, ballot)
    computed = BallotCase(rules, ballot)
    selected, following = computed.selection
    step.quorum_met = computed.quorum_met
    with transaction.atomic():
        audited_create(step, acting_user=acting_user, reason=_why(verdict.summary, reason))
        for row in rows:
            row.step = step
            key = str(row.candidate_id)
            row.outcome = (
                StepVote.Outcome.SELECTED
                if key in selected
                else StepVote.Outcome.NEXT_ROUND
                if key in following
                else StepVote.Outcome.NONE
            )
            audited_create(
                row,
                acting_user=acting_user,
                reason=_why(f"Bước {number} ngày {held_on:%d/%m/%Y}: {row.votes} phiếu", reason),
            )
    return step


def last_step(case: Case) -> Step | None:
    return case.steps.order_by("-number", "-held_on", "-id").first()


def case_submit(*, acting_user: ActingUser, case: Case, reason: str = "") -> Case:
    """Steps → submitted: the procedure's last step recorded, with quorum."""
    with transaction.atomic():
        current = _lock(case)
        _move(current, CaseStatus.SUBMITTED, (CaseStatus.BALLOTS,))
        step = last_step(current)
        if step is None or step.number < current.step_count:
            raise DomainError(
                f"Quy trình này có {current.step_count} bước; hãy ghi kết quả đến bước cuối trước khi trình."
            )
        if not step.quorum_met:
            raise DomainError(
                f"Bước {step.number} ngày {step.held_on:%d/%m/%Y} không đủ số lượng (A-9): "
                "phải tổ chức lại bước này trước khi trình."
            )
        return audited_update(
            case, acting_user=acting_user, changes={"status": CaseStatus.SUBMITTED}, reason=_why(reason)
        )


# -- exceptions ------------------------------------------------------------------------------


def can_grant_exception(user: Any, unit: Any | None = None) -> bool:
    """The authority's exceptions are recorded with the one exception right (``rules``), over
    the case's unit when given; the system itself (``acting_user=None``: the demo seeding)
    records them too."""
    return rules_services.can_record_exception(user, unit)


def exception_record(
    *, acting_user: ActingUser, candidate: Candidate, rules: str, reason: str, basis: str
) -> Any:
    """The authority's exception for ``candidate`` to ``rules`` (A-5): a ``rules.RuleException``
    on the candidate, kept with the version of the rule in force on the case's date."""
    _ensure_open(candidate.case)
    return rules_services.record_exception(
        acting_user=acting_user,
        rule=rules,
        subject=candidate,
        unit=candidate.case.unit,
        person=candidate.person,
        reason=reason,
        basis=basis,
    )


# -- decision --------------------------------------------------------------------------------


def gate_message(verdict: Verdict) -> str | None:
    """Why ``verdict`` bars a decision, or None when it does not."""
    if verdict.outcome == FAIL:
        lines = [f"{r.label}: {r.message}" for r in verdict.results if r.outcome == FAIL]
        return "Không đạt điều kiện: " + " ".join(lines) + " Chỉ quyết định được khi có ngoại lệ được ghi."
    if verdict.outcome == CANNOT:
        lines = [f"{r.label}: {r.message}" for r in verdict.results if r.outcome == CANNOT]
        return (
            "Chưa kết luận được vì còn thiếu dữ liệu: "
            + " ".join(lines)
            + " Hãy bổ sung hồ sơ hoặc ghi ngoại lệ."
        )
    return None


def term_end_of(user: Any, case: Case, person: Person, effective: dt.date) -> dt.date:
    """A-1: five years from the effective date, or to the retirement day when that is sooner
    (A-14's "term ending at retirement")."""
    from canbo.rules.engine.calculators import retirement
    from canbo.rules.selectors import birth_of, override_of, rulebook

    end = add_years(effective, 5) - dt.timedelta(days=1)
    ret = retirement(rulebook(), birth_of(person), override_of(user, person))
    return min(end, ret.date)


def case_decide(
    *,
    acting_user: ActingUser,
    case: Case,
    candidate: Candidate,
    decision_number: str,
    decision_date: dt.date,
    effective_date: dt.date,
    signer: str,
) -> Case:
    """Record the decision: the tenure (careers service), the seat filled, the planning entry used,
    all in one transaction; any refusal leaves nothing written."""
    with transaction.atomic():
        current = _lock(case)
        _move(current, CaseStatus.DECIDED, (CaseStatus.SUBMITTED,))
        if candidate.case_id != current.pk:
            raise DomainError("Người này không có trong danh sách nhân sự của hồ sơ.")
        step = last_step(current)
        if step is None or not step.quorum_met:
            raise DomainError("Bước cuối cùng của quy trình không đủ số lượng (A-9): chưa quyết định được.")
        if step.selected and candidate.pk not in step.selected:
            raise DomainError(
                f"{candidate.person.full_name} không phải người trúng ở bước {step.number}; "
                "chỉ quyết định người được lựa chọn."
            )
        if effective_date < decision_date:
            raise DomainError("Ngày có hiệu lực không được trước ngày quyết định.")
        if not decision_number.strip():
            raise DomainError("Hãy nhập số quyết định.")
        person = candidate.person
        verdict = candidate_verdict(_reader(acting_user), current, candidate)
        message = gate_message(verdict)
        if message and not candidate.exceptions.exists():
            raise DomainError(message)
        post = current.post
        holders = Tenure.objects.filter(
            on_date_q(effective_date), unit_id=post.unit_id, title_id=post.title_id
        )
        if current.prior_tenure_id:
            holders = holders.exclude(pk=current.prior_tenure_id)
        if holders.count() >= post.seats:
            raise DomainError(
                f"Vị trí {post.title.name} đã đủ {post.seats} người vào ngày {effective_date:%d/%m/%Y}: "
                "không ghi thêm quyết định cho vị trí này."
            )
        reason = f"Quyết định {decision_number} ngày {decision_date:%d/%m/%Y}"
        if current.prior_tenure_id:
            prior = current.prior_tenure
            assert prior is not None  # noqa: S101 (prior_tenure_id is set)
            if prior.end_date is None or prior.end_date >= effective_date:
                careers.tenure_end(
                    acting_user=acting_user,
                    tenure=prior,
                    end_date=effective_date - dt.timedelta(days=1),
                    end_reason="Bổ nhiệm lại",
                    reason=reason,
                )
        tenure = careers.tenure_start(
            acting_user=acting_user,
            person=person,
            unit=current.unit,
            title=post.title,
            kind=TenureKind.APPOINTED,
            start_date=effective_date,
            reason=reason,
            post=post,
            decision_number=decision_number,
            decision_date=decision_date,
            decision_body=signer,
        )
        _planning_used(acting_user, person, post, effective_date, decision_number)
        return audited_update(
            case,
            acting_user=acting_user,
            changes={
                "status": CaseStatus.DECIDED,
                "decision_number": decision_number,
                "decision_date": decision_date,
                "effective_date": effective_date,
                "term_end": term_end_of(_reader(acting_user), current, person, effective_date),
                "signer": signer,
                "decided_person": person,
                "tenure": tenure,
            },
            reason=reason,
        )


def _planning_used(acting_user: ActingUser, person: Person, post: Post, day: dt.date, number: str) -> None:
    """The person's planning entries for the title end on the effective date: used."""
    from canbo.planning.models import PlanningEntry, planned_on_q

    for entry in PlanningEntry.objects.filter(planned_on_q(day), person=person, title_id=post.title_id):
        audited_update(
            entry,
            acting_user=acting_user,
            changes={
                "removed_on": day,
                "removal_decision": number[:60],
                "removal_reason": "Đã được bổ nhiệm vào chức danh quy hoạch",
            },
            check_scope=False,
        )


def case_extend(*, acting_user: ActingUser, case: Case, decision_number: str, decision_date: dt.date) -> Case:
    """A-14: a reappointment whose holder has under 24 months left at term end closes with an
    extension to retirement instead of a procedure (validator 4 decides)."""
    from canbo.rules.engine.verdict import WARN

    with transaction.atomic():
        current = _lock(case)
        _move(current, CaseStatus.EXTENDED, OPEN_STATUSES)
        if current.kind != CaseKind.REAPPOINTMENT or current.prior_tenure is None:
            raise DomainError("Chỉ hồ sơ bổ nhiệm lại mới kết thúc bằng kéo dài thời hạn đến khi nghỉ hưu.")
        person = current.prior_tenure.person
        candidate = current.candidates.filter(person=person).first()
        if candidate is None:
            raise DomainError("Hồ sơ bổ nhiệm lại không còn người đang giữ chức vụ trong danh sách nhân sự.")
        verdict = candidate_verdict(_reader(acting_user), current, candidate)
        a14 = next((r for r in verdict.results if r.rule_id == "A-14"), None)
        if a14 is None or a14.outcome != WARN:
            detail = a14.message if a14 else "không xác định được thời gian công tác còn lại (A-14)."
            raise DomainError(f"Không kéo dài đến khi nghỉ hưu được: {detail}")
        from canbo.rules.engine.calculators import retirement
        from canbo.rules.selectors import birth_of, override_of, rulebook

        ret = retirement(rulebook(), birth_of(person), override_of(_reader(acting_user), person))
        return audited_update(
            case,
            acting_user=acting_user,
            changes={
                "status": CaseStatus.EXTENDED,
                "decision_number": decision_number,
                "decision_date": decision_date,
                "term_end": ret.date,
                "decided_person": person,
            },
            reason=a14.message,
        )


def case_stop(*, acting_user: ActingUser, case: Case, reason: str) -> Case:
    if not reason.strip():
        raise DomainError("Hãy nhập lý do dừng hồ sơ.")
    with transaction.atomic():
        current = _lock(case)
        _move(current, CaseStatus.STOPPED, OPEN_STATUSES)
        return audited_update(
            case,
            acting_user=acting_user,
            changes={"status": CaseStatus.STOPPED, "stop_reason": reason},
            reason=reason,
        )
