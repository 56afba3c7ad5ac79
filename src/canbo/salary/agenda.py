"""What the salary app adds to the person page's career calendar (the next raise, the
retirement notice's status) and to the officer's home page (what falls due this month)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from canbo.org.models import Unit
from canbo.people.models import Person
from canbo.rules.engine.dates import add_months
from canbo.rules.engine.verdict import CONCLUSION_LABELS


@dataclass
class SalaryCalendar:
    """The next raise of the row in force on the day (None without a salary row) and H-8's
    notice and decision: their due dates and the documents issued by the day."""

    kind_label: str = ""
    due: dt.date | None = None
    to_text: str = ""
    outcome: str = ""
    outcome_label: str = ""
    delays: tuple[Any, ...] = ()
    notice_due: dt.date | None = None
    decision_due: dt.date | None = None
    notice: Any = None
    decision: Any = None
    notice_overdue: bool = False
    decision_overdue: bool = False


def salary_calendar(
    user: Any, person: Person, day: dt.date, retirement: Any, facts: Any = None, book: Any = None
) -> SalaryCalendar:
    """Two reads: the row in force (with its grade) and the notices; the disciplines and ratings
    are those of the calendar's ``facts`` (read apart without them)."""
    from canbo.rules.engine.checks.salary import KIND_LABELS, salary_outcome
    from canbo.rules.selectors import rulebook
    from canbo.salary.early import salary_case
    from canbo.salary.models import NoticeKind, RetirementNotice
    from canbo.salary.retirement import h8

    cal = SalaryCalendar()
    if facts is not None:
        case = salary_case(person, day, disciplines=facts.disciplines, ratings=facts.ratings, book=book)
    else:
        case = salary_case(person, day)
    if case is not None:
        s = case.schedule
        extra = f", vượt khung {s.to_percent}%" if s.to_percent else ""
        cal.kind_label = KIND_LABELS[s.kind]
        cal.due = s.due
        cal.to_text = f"bậc {s.to_step}, hệ số {f'{s.to_coefficient:.2f}'.replace('.', ',')}{extra}"
        cal.outcome = salary_outcome(case)
        cal.outcome_label = CONCLUSION_LABELS[cal.outcome]
        cal.delays = s.delays
    if retirement is not None:
        periods = h8(book or rulebook(), day)
        cal.notice_due = add_months(retirement.date, -periods.notice_months)
        cal.decision_due = add_months(retirement.date, -periods.decision_months)
        for n in RetirementNotice.objects.restrict(user).filter(person=person, issued_on__lte=day):
            if n.kind == NoticeKind.NOTICE:
                cal.notice = n
            else:
                cal.decision = n
        ended = retirement.date <= day
        cal.notice_overdue = cal.notice is None and cal.notice_due < day and not ended
        cal.decision_overdue = cal.decision is None and cal.decision_due < day and not ended
    return cal


@dataclass
class UnitMonth:
    """What falls due in a month for one granted unit's subtree."""

    unit: Unit
    raises: int
    raises_blocked: int
    notices: int
    decisions: int
    overdue: int
    early_open: int


def granted_units(user: Any) -> list[Unit]:
    """The top units of the user's unit grants (the roots for a superuser without grants)."""
    from canbo.core.grants import active_grants

    ids = {g.unit_id for g in active_grants(user) if g.unit_id is not None}
    if not ids:
        return list(Unit.objects.get_root_nodes()) if getattr(user, "is_superuser", False) else []
    units = sorted(Unit.objects.filter(pk__in=ids), key=lambda u: u.path)
    top: list[Unit] = []
    for u in units:
        if not any(u.path.startswith(t.path) for t in top):
            top.append(u)
    return top


def month_agenda(user: Any, day: dt.date) -> list[UnitMonth]:
    """For each top granted unit: the persons due a raise this month (from the 1st, S-4/S-8)
    and how many are blocked, the retirement notices and decisions whose H-8 due date is this
    month and not issued, those overdue, and the open early-raise proposals of the year."""
    from canbo.salary.models import EarlyRaise
    from canbo.salary.retirement import retirement_list
    from canbo.salary.selectors import due_list

    first = day.replace(day=1)
    after = add_months(first, 1)
    out = []
    for unit in granted_units(user):
        raises = due_list(user, unit, first, 1)
        retiring = retirement_list(user, unit, day, 12)
        out.append(
            UnitMonth(
                unit=unit,
                raises=len(raises),
                raises_blocked=sum(1 for i in raises if i.blocked),
                notices=sum(1 for i in retiring if i.notice is None and first <= i.notice_due < after),
                decisions=sum(1 for i in retiring if i.decision is None and first <= i.decision_due < after),
                overdue=sum(1 for i in retiring if i.flags),
                early_open=EarlyRaise.objects.restrict(user)
                .filter(agency__path__startswith=unit.path, year=day.year, decision_number="")
                .count(),
            )
        )
    return out
