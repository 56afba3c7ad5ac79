"""Reads of appointment cases, through the user's grants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from canbo.cases.models import (
    OPEN_STATUSES,
    Candidate,
    Case,
    CaseKind,
    CaseSource,
    CaseStatus,
    Step,
    StepVote,
)
from canbo.core.dates import today
from canbo.rules.engine.checks.ballot import BallotInput
from canbo.rules.engine.verdict import Verdict

OPEN = "mo"  # the board's view: every open case with what it waits for


def cases_for(user: Any, *, status: str = "", unit: Any = None) -> list[Case]:
    """The cases the user sees, newest first; of one status, of one unit's subtree."""
    qs = Case.objects.restrict(user).select_related("post__title", "unit", "decided_person")
    if status == OPEN:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
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


def step_ballot(step: Step, rows: list[StepVote] | None = None) -> BallotInput:
    """Validator 3's input for ``step``, read from its vote rows (the candidate's id as the name;
    one seat per post). ``rows``: the unsaved rows of a step being recorded."""
    found = list(step.vote_rows.all()) if rows is None else rows
    return BallotInput(
        step.held_on,
        step.convened,
        step.present,
        step.ballots,
        {str(r.candidate_id): r.votes for r in found},
        1,
    )


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
    checklist: list[Any]


@dataclass
class StepRow:
    step: Step
    shares: list[tuple[str, int, float]]
    selected: list[str]
    next_round: list[str]


def case_page(user: Any, case: Case) -> dict[str, Any]:
    """The case page's data: candidates with their verdict and exceptions, steps with results."""
    from canbo.cases.services import candidate_verdict, options_verdict

    candidates = list(case.candidates.select_related("person").prefetch_related("exceptions__recorded_by"))
    names = {c.pk: c.person.full_name for c in candidates}
    steps = list(case.steps.order_by("number", "held_on", "id").prefetch_related("vote_rows"))
    checks = checklist(user, case, candidates)
    rows = [
        CandidateRow(
            candidate=c,
            verdict=candidate_verdict(user, case, c),
            exceptions=list(c.exceptions.all()),
            votes=[s.votes_by_candidate.get(c.pk) for s in steps],
            checklist=checks[c.pk],
        )
        for c in candidates
    ]
    step_rows = [
        StepRow(
            step=s,
            shares=[
                (names.get(k, "?"), v, v / s.convened * 100 if s.convened else 0.0)
                for k, v in s.votes_by_candidate.items()
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


@dataclass
class CheckItem:
    """One item of the dossier checklist: present, missing or stale, and where to see it."""

    label: str
    ok: bool
    detail: str
    anchor: str  # the dossier section on the person page ("" for the case's own records)


def checklist(user: Any, case: Case, candidates: list[Candidate]) -> dict[int, list[CheckItem]]:
    """The dossier checklist of each candidate at the case's event date, read through the user's
    grants (a section he may not see counts as missing): 2C résumé (the dossier), health
    certificate not older than 6 months, asset declaration of the last 12 months, ratings of the
    last 3 years, the political-standard conclusion, and the minutes of each step of the case.
    Five queries whatever the number of candidates."""
    from canbo.assessment.models import PoliticalConclusion, Rating
    from canbo.people.models import AssetDeclaration, HealthRecord
    from canbo.rules.engine.dates import add_months

    day = case.received_on
    people = [c.person_id for c in candidates]

    def latest(model: Any, field: str) -> dict[int, Any]:
        rows = model.objects.restrict(user).filter(person__in=people, **{f"{field}__lte": day})
        out: dict[int, Any] = {}
        for pid, when in rows.values_list("person_id", field):
            if pid not in out or when > out[pid]:
                out[pid] = when
        return out

    health = latest(HealthRecord, "check_date")
    assets = latest(AssetDeclaration, "declared_date")
    political = latest(PoliticalConclusion, "conclusion_date")
    years = (day.year - 3, day.year - 2, day.year - 1)
    rated: dict[int, set[int]] = {}
    for pid, year in (
        Rating.objects.restrict(user)
        .filter(person__in=people, year__in=years)
        .values_list("person_id", "year")
    ):
        rated.setdefault(pid, set()).add(year)
    recorded = set(case.steps.filter(quorum_met=True).values_list("number", flat=True))
    missing_steps = [n for n in range(1, case.step_count + 1) if n not in recorded]
    six_months, twelve_months = add_months(day, -6), add_months(day, -12)
    out: dict[int, list[CheckItem]] = {}
    for c in candidates:
        pid = c.person_id
        h, a, p = health.get(pid), assets.get(pid), political.get(pid)
        lacking = [y for y in years if y not in rated.get(pid, set())]
        out[c.pk] = [
            CheckItem("Sơ yếu lý lịch (mẫu 2C)", True, "Hồ sơ cán bộ trong hệ thống", ""),
            CheckItem(
                "Giấy chứng nhận sức khỏe (không quá 6 tháng)",
                h is not None and h >= six_months,
                f"khám ngày {h:%d/%m/%Y}" + ("" if h >= six_months else " – đã quá 6 tháng")
                if h
                else "chưa có",
                "suc-khoe",
            ),
            CheckItem(
                "Bản kê khai tài sản, thu nhập",
                a is not None and a >= twelve_months,
                f"kê khai ngày {a:%d/%m/%Y}" + ("" if a >= twelve_months else " – đã quá 12 tháng")
                if a
                else "chưa có",
                "tai-san",
            ),
            CheckItem(
                "Đánh giá, xếp loại 3 năm gần nhất",
                not lacking,
                "đủ các năm " + ", ".join(map(str, years))
                if not lacking
                else "thiếu năm " + ", ".join(map(str, lacking)),
                "danh-gia",
            ),
            CheckItem(
                "Kết luận tiêu chuẩn chính trị",
                p is not None,
                f"kết luận ngày {p:%d/%m/%Y}" if p else "chưa có",
                "tieu-chuan-chinh-tri",
            ),
            CheckItem(
                "Biên bản các bước của quy trình",
                not missing_steps,
                "đủ các bước" if not missing_steps else "chưa có bước " + ", ".join(map(str, missing_steps)),
                "",
            ),
        ]
    return out
