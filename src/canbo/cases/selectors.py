"""Reads of appointment cases, through the user's grants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from canbo.cases.models import Candidate, Case, CaseKind, CaseSource, CaseStatus, Step
from canbo.core.dates import today
from canbo.rules.engine.verdict import Verdict


def cases_for(user: Any, *, status: str = "") -> list[Case]:
    qs = Case.objects.restrict(user).select_related("post__title", "unit", "decided_person")
    if status:
        qs = qs.filter(status=status)
    return list(qs.order_by("-received_on", "-id")[:500])


def waits_for(case: Case) -> str:
    """What the case waits for, in one phrase (the board's view)."""
    if case.status == CaseStatus.NOMINATION:
        return "Giới thiệu đủ nhân sự rồi chuyển sang các bước"
    if case.status == CaseStatus.BALLOTS:
        return f"Ghi kết quả đến bước {case.step_count} rồi trình"
    if case.status == CaseStatus.SUBMITTED:
        return "Quyết định của cấp có thẩm quyền"
    return ""


def age_days(case: Case) -> int:
    return (today() - case.received_on).days


def case_or_none(user: Any, pk: int, action: str = "view") -> Case | None:
    return (
        Case.objects.restrict(user, action)
        .select_related("post__title", "unit", "prior_tenure__person", "decided_person", "tenure")
        .filter(pk=pk)
        .first()
    )


@dataclass
class CandidateRow:
    candidate: Candidate
    verdict: Verdict
    exceptions: list[Any]
    votes: list[int | None]


@dataclass
class StepRow:
    step: Step
    shares: list[tuple[str, int, float]]
    selected: list[str]
    next_round: list[str]


def case_page(user: Any, case: Case) -> dict[str, Any]:
    """The case page's data: candidates with their verdict and exceptions, steps with results."""
    from canbo.cases.services import candidate_verdict, options_verdict

    candidates = list(case.candidates.select_related("person").prefetch_related("exceptions__granted_by"))
    names = {c.pk: c.person.full_name for c in candidates}
    steps = list(case.steps.order_by("number", "held_on", "id"))
    rows = [
        CandidateRow(
            candidate=c,
            verdict=candidate_verdict(user, case, c),
            exceptions=list(c.exceptions.all()),
            votes=[s.votes.get(str(c.pk)) for s in steps],
        )
        for c in candidates
    ]
    step_rows = [
        StepRow(
            step=s,
            shares=[
                (names.get(int(k), "?"), v, v / s.convened * 100 if s.convened else 0.0)
                for k, v in sorted(s.votes.items(), key=lambda kv: -kv[1])
            ],
            selected=[names.get(pk, "?") for pk in s.selected],
            next_round=[names.get(pk, "?") for pk in s.next_round],
        )
        for s in steps
    ]
    return {
        "rows": rows,
        "steps": step_rows,
        "options": options_verdict(case, len(candidates)),
        "is_reappointment": case.kind == CaseKind.REAPPOINTMENT,
        "is_head": case.source == CaseSource.HEAD,
    }
