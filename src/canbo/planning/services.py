"""Writes of the planning app: lists, additions and removals. Every write is logged through
``canbo.core.services`` (who, when, before, after, the decision as the reason).

The checks that refuse a write are the hard rules of RULES.md §2 that the records themselves
decide: P-1 (planned title above the one held) and the P-2 caps, each judged by the rule version
in force on the addition date; and the consequences of the dossier (``planning.consequences``:
a latest vote with "low" above half, V-4/V-5; a latest year rated KHT, P-4; a political standard
not met, T-6), which refuse an addition unless an exception is recorded with it by a user
holding the one exception right ``rules.record_rule_exception`` over the list's unit (a
``rules.RuleException`` on the entry, as E-9's exception for rating campaigns). The
softer checks (age P-5, discipline windows, political
standard, automatic-removal grounds P-8) are the rules engine's planning verdict, which the entry
page shows as a warning and never blocks on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from canbo.core.context import current_reason
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.querysets import VIEW
from canbo.core.services import audited_create, audited_update, ensure_can_change
from canbo.core.types import ActingUser
from canbo.org.models import Title, Unit
from canbo.people.models import Person
from canbo.planning import checks, consequences
from canbo.planning.models import PlanningEntry, PlanningList, PlanningReview
from canbo.rules import services as rules_services

#: The rule an addition's exception lets through: P-4 (planning "dynamic and open": who no
#: longer meets the standards is not planned), whose grounds ``consequences`` lists.
ADDITION_RULE = "P-4"

LIST_FIELDS = ("name", "kind", "term_start", "term_end", "decision_number", "decision_date", "note")


def planning_list_create(
    *,
    acting_user: ActingUser,
    unit: Unit,
    name: str,
    kind: str,
    term_start: int,
    term_end: int,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    note: str = "",
    reason: str = "",
) -> PlanningList:
    """Record a planning list kept by ``unit``; one per unit, term and kind."""
    with transaction.atomic():
        if PlanningList.objects.filter(
            unit=unit, term_start=term_start, term_end=term_end, kind=kind
        ).exists():
            raise DomainError(
                f"{unit.name} đã có danh sách quy hoạch loại này cho nhiệm kỳ {term_start}–{term_end}."
            )
        return audited_create(
            PlanningList(
                unit=unit,
                name=name.strip(),
                kind=kind,
                term_start=term_start,
                term_end=term_end,
                decision_number=decision_number.strip(),
                decision_date=decision_date,
                note=note,
            ),
            acting_user=acting_user,
            reason=reason or decision_number or "Lập danh sách quy hoạch",
        )


def planning_entry_add(
    *,
    acting_user: ActingUser,
    planning_list: PlanningList,
    person: Person,
    title: Title,
    added_on: dt.date,
    decision: str = "",
    reason: str = "",
    exception_reason: str = "",
    exception_basis: str = "",
) -> PlanningEntry:
    """Add ``person`` to ``planning_list`` for ``title`` from ``added_on`` (the decision date).

    Refused (DomainError, nothing written) when the user may not change the list or see the
    person, when the person is already planned for that title in the list, when the title is
    not above the one he holds (P-1), when a P-2 cap would be exceeded, or when a consequence
    of the dossier forbids it (``consequences.addition_grounds``) and no exception (reason and
    basis, by a user with the right) is recorded.
    """
    with transaction.atomic():
        # The list is locked so that two officers adding at once cannot both pass the caps.
        locked = PlanningList.objects.select_for_update().filter(pk=planning_list.pk).first()
        if locked is None:
            raise NotPermitted("Không tìm thấy danh sách quy hoạch.")
        ensure_can_change(locked, acting_user)
        if (
            acting_user is not None
            and not Person.objects.restrict(acting_user, VIEW).filter(pk=person.pk).exists()
        ):
            raise NotPermitted("Không tìm thấy cán bộ hoặc bạn không có quyền với hồ sơ này.")
        if added_on.year > locked.term_end:
            raise DomainError(
                f"Ngày bổ sung {added_on:%d/%m/%Y} sau nhiệm kỳ {locked.term_label} của danh sách."
            )
        if person.left_service_date and person.left_service_date <= added_on:
            raise DomainError(
                f"{person.full_name} đã thôi công tác từ {person.left_service_date:%d/%m/%Y}; "
                "không bổ sung vào quy hoạch."
            )
        duplicate = PlanningEntry.objects.filter(planning_list=locked, person=person, title=title).filter(
            removed_on__isnull=True
        )
        if duplicate.exists():
            raise DomainError(f"{person.full_name} đã có trong danh sách này cho chức danh {title.name}.")
        refusal = checks.level_refusal(locked, title)
        if refusal:
            raise DomainError(refusal)
        refusal = checks.p1_refusal(person, title, added_on)
        if refusal:
            raise DomainError(refusal)
        refusal = checks.p2_refusal(locked, person, title, added_on)
        if refusal:
            raise DomainError(refusal)
        exception = _exception(acting_user, locked, person, added_on, exception_reason, exception_basis)
        entry = PlanningEntry(
            planning_list=locked,
            person=person,
            title=title,
            added_on=added_on,
            added_decision=decision.strip(),
            added_reason=reason.strip(),
        )
        why = "; ".join(t for t in (decision.strip(), reason.strip()) if t) or "Bổ sung quy hoạch"
        if exception:
            why = f"{why}; ngoại lệ: {exception[1]}"
        entry = audited_create(entry, acting_user=acting_user, reason=why)
        if exception:
            rules_services.record_exception(
                acting_user=acting_user,
                rule=ADDITION_RULE,
                subject=entry,
                unit=locked.unit,
                person=person,
                reason=exception[0],
                basis=exception[1],
                day=added_on,
            )
        return entry


def can_record_exception(user: Any, planning_list: PlanningList | None = None) -> bool:
    """The right to add despite a consequence: the one exception right (``rules``), over the
    list's unit when given."""
    unit = planning_list.unit if planning_list is not None else None
    return rules_services.can_record_exception(user, unit)


def _exception(
    acting_user: ActingUser,
    planning_list: PlanningList,
    person: Person,
    day: dt.date,
    reason: str,
    basis: str,
) -> tuple[str, str] | None:
    """The exception to record with the addition (reason, basis), or None when no consequence
    forbids it; refuses (nothing written) when one does and the exception is missing,
    incomplete or not permitted."""
    grounds = consequences.addition_grounds(acting_user, person.pk, day)
    if not grounds:
        return None
    why = "; ".join(f"{r.message} ({r.label}, {r.basis})" for r in grounds)
    reason, basis = (reason or "").strip(), (basis or "").strip()
    if not reason and not basis:
        raise DomainError(
            f"Không bổ sung {person.full_name} vào quy hoạch: {why} Chỉ bổ sung được khi người có "
            "thẩm quyền ghi nhận ngoại lệ (lý do và căn cứ)."
        )
    if not can_record_exception(acting_user, planning_list):
        # Shown on the form (400): the user sees the list, only the exception is beyond his right.
        raise DomainError("Bạn không có quyền ghi nhận ngoại lệ khi bổ sung quy hoạch.")
    if not reason or not basis:
        raise DomainError("Cần ghi rõ cả lý do và căn cứ của ngoại lệ.")
    return reason[:500], basis[:300]


def planning_entry_remove(
    *,
    acting_user: ActingUser,
    entry: PlanningEntry,
    removed_on: dt.date,
    reason: str,
    decision: str = "",
    expected_version: int | None = None,
) -> PlanningEntry:
    """Take ``entry`` out of its list from ``removed_on`` with a reason; the row stays (P-4)."""
    if not (reason or "").strip():
        raise DomainError("Cần ghi lý do đưa ra khỏi quy hoạch.")
    if entry.removed_on is not None:
        raise DomainError(
            f"{entry.person.full_name} đã được đưa ra khỏi quy hoạch từ ngày {entry.removed_on:%d/%m/%Y}."
        )
    if removed_on <= entry.added_on:
        raise DomainError(f"Ngày đưa ra khỏi quy hoạch phải sau ngày bổ sung ({entry.added_on:%d/%m/%Y}).")
    return audited_update(
        entry,
        acting_user=acting_user,
        changes={
            "removed_on": removed_on,
            "removal_reason": reason.strip(),
            "removal_decision": (decision or "").strip(),
        },
        reason=(decision or "").strip() or reason.strip(),
        expected_version=expected_version,
    )


def planning_review_record(
    *,
    acting_user: ActingUser,
    planning_list: PlanningList,
    year: int,
    reviewed_on: dt.date,
    decision: str = "",
    note: str = "",
    reason: str = "",
) -> PlanningReview:
    """Record the yearly review of ``planning_list`` (P-4): one per year of its term, dated in that
    year and not in the future. Refused while an entry in force on ``reviewed_on`` has a removal
    ground (``consequences.flags``): the review is where those people are taken out."""
    from canbo.core.dates import today

    with transaction.atomic():
        locked = PlanningList.objects.select_for_update().filter(pk=planning_list.pk).first()
        if locked is None:
            raise NotPermitted("Không tìm thấy danh sách quy hoạch.")
        ensure_can_change(locked, acting_user)
        if not locked.term_start <= year <= locked.term_end:
            raise DomainError(f"Năm {year} không thuộc nhiệm kỳ {locked.term_label} của danh sách.")
        if reviewed_on.year != year:
            raise DomainError(f"Ngày rà soát {reviewed_on:%d/%m/%Y} không thuộc năm {year}.")
        if reviewed_on > today():
            raise DomainError("Ngày rà soát không thể sau ngày hôm nay.")
        if PlanningReview.objects.filter(planning_list=locked, year=year).exists():
            raise DomainError(f"Danh sách đã có bản ghi rà soát năm {year}.")
        entries = locked.entries.select_related("person", "title")
        flagged = consequences.flags(acting_user, entries, reviewed_on)
        if flagged:
            names = "; ".join(f"{f.entry.person.full_name} ({f.grounds[0].label})" for f in flagged[:5])
            raise DomainError(
                f"Còn {len(flagged)} người thuộc trường hợp đưa ra khỏi quy hoạch tại ngày "
                f"{reviewed_on:%d/%m/%Y}: {names}. Hãy xem xét, đưa ra trước khi ghi nhận rà soát (P-4)."
            )
        return audited_create(
            PlanningReview(
                planning_list=locked,
                year=year,
                reviewed_on=reviewed_on,
                decision_number=decision.strip(),
                note=note.strip(),
            ),
            acting_user=acting_user,
            reason="; ".join(t for t in (decision.strip(), current_reason(reason)) if t)
            or f"Rà soát quy hoạch năm {year}",
        )
