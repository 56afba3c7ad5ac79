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


@dataclass
class TermRow:
    """A leadership tenure whose term ends within the window, with A-13's notice deadline."""

    tenure: Any
    term_end: Any
    notice_due: Any
    open_case: int | None


def terms_ending(user: Any, day: Any, months: int) -> list[TermRow]:
    """Open leadership tenures the user may change whose current term (A-1: every ``term_years``
    from the start) ends from ``day`` within ``months`` months; with the A-13 notice deadline
    and the open reappointment case, if any. Three queries."""
    import datetime as dt

    from django.db.models import Q

    from canbo.careers.models import Tenure
    from canbo.core.querysets import CHANGE
    from canbo.rules.engine import calculators as calc
    from canbo.rules.engine.dates import add_months, add_years
    from canbo.rules.selectors import rulebook

    from .models import OPEN_STATUSES

    book = rulebook()
    end = add_months(day, months)
    tenures = list(
        Tenure.objects.restrict(user, CHANGE)
        .filter(title__is_leader=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("person", "title", "unit")
        .order_by("start_date", "id")
    )
    open_cases = dict(
        Case.objects.restrict(user)
        .filter(prior_tenure__in=[t.pk for t in tenures], status__in=OPEN_STATUSES)
        .values_list("prior_tenure_id", "pk")
    )
    rows = []
    for t in tenures:
        years = int((book.find("A-1", t.start_date) or book.latest("A-1")).params.get("term_years", 5))
        k = 1
        while add_years(t.start_date, years * k) - dt.timedelta(days=1) < day:
            k += 1
        term_end = add_years(t.start_date, years * k) - dt.timedelta(days=1)
        if term_end >= end or (t.end_date and t.end_date < term_end):
            continue
        due, _ = calc.notice_due(book, term_end)
        rows.append(TermRow(t, term_end, due, open_cases.get(t.pk)))
    return sorted(rows, key=lambda r: (r.term_end, r.tenure.person.full_name))


def exceptions_for(user: Any) -> list[Any]:
    """Every exception recorded in the user's subtrees (the province-wide report for a province
    grant), newest first."""
    from .models import CaseException

    return list(
        CaseException.objects.restrict(user)
        .select_related(
            "candidate__person", "candidate__case__post__title", "candidate__case__unit", "granted_by"
        )
        .order_by("-created")[:500]
    )
