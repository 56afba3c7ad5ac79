"""Writes of the salary app: the catalogue loader and the salary history.

Salary rows are dossier sections and are written by ``people.services.section_*`` (the generic
pages and the API use those); after each write, ``SalaryRow.after_section_write`` calls
``sync_person`` so that the person's current grade, step and coefficient are always the row in
force today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from canbo.core.dates import format_date, today
from canbo.core.services import audited_create
from canbo.core.types import ActingUser
from canbo.people.models import Person
from canbo.salary import catalogue
from canbo.salary.models import BaseSalary, Grade, SalaryGroup, SalaryRow

SYNC_REASON = "Cập nhật theo diễn biến lương"


def catalogues_load() -> dict[str, int]:
    """Create the groups, grades and base salaries of ``salary/data`` that are missing.

    Idempotent; an existing record is never overwritten (a correction is an administrator's
    edit, logged). Returns how many of each were created.
    """
    created = {"groups": 0, "grades": 0, "base": 0}
    with transaction.atomic():
        for g in catalogue.groups():
            if not SalaryGroup.objects.filter(code=g["code"]).exists():
                audited_create(SalaryGroup(**g), acting_user=None, reason="Nạp bảng lương")
                created["groups"] += 1
        by_code = {g.code: g for g in SalaryGroup.objects.all()}
        for row in catalogue.grades():
            if not Grade.objects.filter(code=row["code"]).exists():
                fields = {**row, "group": by_code[row["group"]]}
                audited_create(Grade(**fields), acting_user=None, reason="Nạp danh mục ngạch")
                created["grades"] += 1
        for row in catalogue.base_salaries():
            if not BaseSalary.objects.filter(valid_from=row["valid_from"]).exists():
                audited_create(BaseSalary(**row), acting_user=None, reason="Nạp lương cơ sở")
                created["base"] += 1
    return created


def row_in_force(person_id: int, day: Any) -> SalaryRow | None:
    """The salary row in force on ``day``: the latest that starts on or before it."""
    return (
        SalaryRow.objects.filter(person_id=person_id, from_date__lte=day)
        .select_related("grade__group")
        .order_by("-from_date")
        .first()
    )


def sync_person(person_id: int, *, acting_user: ActingUser) -> None:
    """Make the person's current-salary fields show the row in force today (when there is one;
    a person without a row in force keeps his fields, which are then today's value without
    history)."""
    from canbo.people.services import person_update

    row = row_in_force(person_id, today())
    if row is None:
        return
    person = Person.objects.get(pk=person_id)
    changes = {
        "grade_code": row.grade.code,
        "grade_name": row.grade.name[:100],
        "salary_step": row.step,
        "salary_coefficient": row.coefficient,
    }
    if row.position_allowance is not None:
        changes["position_allowance"] = row.position_allowance
    person_update(acting_user=acting_user, person=person, changes=changes, reason=SYNC_REASON)


@dataclass(frozen=True)
class DecisionOutcome:
    """What a raise decision wrote: the persons raised, and those left out with the reason."""

    written: list[tuple[str, str]]  # (name, new step text)
    left_out: list[tuple[str, str]]  # (name or id, reason)


def raise_decision(
    *,
    acting_user: ActingUser,
    unit: Any,
    as_of: dt.date,
    months: int,
    tokens: list[str],
    number: str,
    decided_on: dt.date,
    signer: str,
    everyone: str = "",
) -> DecisionOutcome:
    """Record one raise decision for the persons picked from the due list (``tokens`` are the
    list's ``DueItem.token``): each person's next salary row is written through the audited
    section service, all in one transaction. A person outside the user's grants refuses the whole
    decision (nothing written); a person whose line changed since the list was drawn (a discipline
    recorded meanwhile, a rating missing, another row written) is left out with the reason; a row
    the dossier refuses (same day as another) undoes the whole decision.

    ``everyone``: instead of ``tokens``, every person eligible under the filter (all pages of the
    list); ``everyone`` is the fingerprint of the eligible lines the user saw
    (``selectors.eligible_digest``). The list is drawn again and each verdict judged again; if
    the eligible lines are not exactly those seen (someone new, someone blocked since, a changed
    line), nothing is written."""
    from canbo.core.errors import DomainError, NotPermitted
    from canbo.people.services import section_create
    from canbo.salary.selectors import due_list, eligible_digest

    number, signer = number.strip(), signer.strip()
    if not number:
        raise DomainError("Hãy ghi số quyết định.")
    drawn: dict[int, Any] | None = None
    if everyone:
        fresh = due_list(acting_user, unit, as_of, months)
        if eligible_digest(fresh) != everyone:
            count = sum(1 for i in fresh if not i.blocked)
            raise DomainError(
                f"danh sách người đủ điều kiện đã thay đổi từ khi lập (nay có {count} người). "
                "Hãy lập lại danh sách rồi chọn lại."
            )
        drawn = {i.person_id: i for i in fresh if not i.blocked}
        tokens = [i.token for i in drawn.values()]
    if not tokens:
        raise DomainError("Hãy chọn ít nhất một người trong danh sách.")
    picks: dict[int, str] = {}
    for token in tokens:
        head = token.split("|", 1)[0]
        if not (head.isascii() and head.isdigit() and len(head) < 19):
            raise DomainError("Danh sách đã chọn không hợp lệ. Hãy lập lại danh sách.")
        picks[int(head)] = token
    allowed = set(
        Person.objects.restrict(acting_user, "change").filter(pk__in=picks).values_list("pk", flat=True)
    )
    if set(picks) - allowed:
        raise NotPermitted("Có người không thuộc phạm vi bạn được giao sửa hồ sơ; không ghi quyết định nào.")
    reason = f"Quyết định nâng bậc lương số {number} ngày {format_date(decided_on)}" + (
        f", {signer} ký" if signer else ""
    )
    if drawn is None:
        drawn = {i.person_id: i for i in due_list(acting_user, unit, as_of, months, person_ids=list(picks))}
    items = drawn
    written: list[tuple[str, str]] = []
    left_out: list[tuple[str, str]] = []
    persons = Person.objects.in_bulk(list(picks))
    with transaction.atomic():
        for pk, token in picks.items():
            name = persons[pk].full_name
            item = items.get(pk)
            if item is None:
                left_out.append((name, "không còn đến hạn trong khoảng thời gian của danh sách"))
                continue
            if item.blocked:
                left_out.append((name, f"kết luận đã thay đổi: {item.verdict.summary}"))
                continue
            if item.token != token:
                left_out.append(
                    (
                        name,
                        f"thông tin đã thay đổi từ khi lập danh sách (nay: {item.to_text} từ "
                        f"{format_date(item.due)})",
                    )
                )
                continue
            current = row_in_force(pk, as_of)
            assert current is not None  # the due list was computed from it  # noqa: S101
            s = item.case.schedule
            row = SalaryRow(
                grade=current.grade,
                step=s.to_step,
                coefficient=s.to_coefficient,
                beyond_frame_percent=s.to_percent,
                position_allowance=current.position_allowance,
                other_allowance=current.other_allowance,
                from_date=s.due,
                step_since=s.due,
                decision_number=number[:60],
                decision_date=decided_on,
            )
            section_create(acting_user=acting_user, person=persons[pk], instance=row, reason=reason[:500])
            written.append((name, item.to_text))
    return DecisionOutcome(written, left_out)
