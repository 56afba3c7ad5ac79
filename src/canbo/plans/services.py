"""Writes of the plans app: plans, their sections and tasks, occurrences, reporting periods and
reports. Every write is logged through ``canbo.core.services``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from canbo.core.context import current_reason
from canbo.core.errors import DomainError, NotPermitted, StorageFull
from canbo.core.models import ObjectChange
from canbo.core.querysets import CHANGE
from canbo.core.services import (
    audited_create,
    audited_delete,
    audited_update,
    ensure_can_change,
    log_change,
)
from canbo.core.types import ActingUser
from canbo.org.models import Unit
from canbo.people.services import ALLOWED_TYPES, storage_path
from canbo.plans.deadlines import Schedule, body_term_start, occurrences, parse_deadline
from canbo.plans.extract import Catalogue, is_generic
from canbo.plans.models import (
    PeriodKind,
    Plan,
    PlanSection,
    ReportingPeriod,
    Task,
    TaskOccurrence,
    TaskReport,
    TaskStatus,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

PLAN_FIELDS = (
    "code",
    "kind",
    "number",
    "issued_on",
    "issuer_name",
    "title",
    "period_start",
    "period_end",
    "note",
)


def plan_create(
    *,
    acting_user: ActingUser,
    unit: Unit,
    implements: list[Plan] | tuple[Plan, ...] = (),
    reason: str = "",
    **fields: Any,
) -> Plan:
    """Record a plan kept by ``unit``; the acting user must be allowed to change that subtree."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    with transaction.atomic():
        plan = audited_create(Plan(unit=unit, **fields), acting_user=acting_user, reason=reason)
        if implements:
            plan.implements.set(implements)
    return plan


PLAN_EDIT_FIELDS = (
    "kind",
    "number",
    "issued_on",
    "issuer_name",
    "title",
    "period_start",
    "period_end",
    "note",
)


def plan_update(
    *,
    acting_user: ActingUser,
    plan: Plan,
    changes: dict[str, Any],
    implements: list[Plan] | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Plan:
    """Correct a plan's header; a new period re-lays the recurring tasks' due dates."""
    unknown = set(changes) - set(PLAN_EDIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    if implements is not None and plan in implements:
        raise DomainError("Kế hoạch không thể thực hiện chính nó.")
    with transaction.atomic():
        before = (plan.period_start, plan.period_end)
        audited_update(
            plan, acting_user=acting_user, changes=changes, expected_version=expected_version, reason=reason
        )
        if implements is not None:
            old = sorted(plan.implements.values_list("pk", flat=True))
            new = sorted(p.pk for p in implements)
            if old != new:
                plan.implements.set(implements)
                log_change(
                    instance=plan,
                    action=ObjectChange.Action.UPDATE,
                    before={"implements": old},
                    after={"implements": new},
                    acting_user=acting_user,
                    reason=reason,
                )
        if (plan.period_start, plan.period_end) != before:
            for task in plan.tasks.all():
                task_sync_occurrences(task=task, acting_user=acting_user)
    return plan


def seed_plan_catalogue() -> dict[str, dict[str, Any]]:
    """The header data of the seed documents' plans (``data/seed_plans.json``), by code."""
    rows = json.loads((DATA_DIR / "seed_plans.json").read_text(encoding="utf-8"))
    return {row["code"]: row for row in rows}


def plan_ensure_seed(code: str, *, unit: Unit, acting_user: ActingUser) -> Plan:
    """The seed plan ``code``, created (with the plans it implements) when absent.

    Idempotent: the demo loaders of the indicators and plans apps both call it, whichever runs
    first creates the record.
    """
    existing = Plan.objects.filter(code=code).first()
    if existing is not None:
        return existing
    catalogue = seed_plan_catalogue()
    if code not in catalogue:
        raise DomainError(f"Không có kế hoạch mẫu mã “{code}”.")
    row = dict(catalogue[code])
    implements = [plan_ensure_seed(c, unit=unit, acting_user=acting_user) for c in row.pop("implements")]
    for key in ("issued_on", "period_start", "period_end"):
        row[key] = dt.date.fromisoformat(row[key]) if row[key] else None
    return plan_create(
        acting_user=acting_user,
        unit=unit,
        implements=implements,
        reason="Nạp kế hoạch từ văn bản mẫu",
        **row,
    )


# ---------------------------------------------------------------- sections and tasks


def _schedule_for(deadline_text: str) -> dict[str, Any]:
    return parse_deadline(deadline_text).to_dict() if deadline_text.strip() else {}


def plan_period(plan: Plan) -> tuple[dt.date, dt.date]:
    """The span recurring deadlines are laid over: the plan's period, else five years from issue."""
    start = plan.period_start or plan.issued_on
    end = plan.period_end or dt.date(start.year + 5, 12, 31)
    return start, end


@dataclass
class TaskInput:
    """One reviewed task of a draft, as the officer confirmed it."""

    content: str
    number: str = ""
    section_index: int | None = None
    lead_unit: Unit | None = None
    lead_name: str = ""
    coordinating_units: list[Unit] = field(default_factory=list)
    coordinating_names: list[str] = field(default_factory=list)
    deadline_text: str = ""


@dataclass
class SectionInput:
    number: str
    title: str
    level: int = 1


def plan_save_tasks(
    *,
    acting_user: ActingUser,
    plan: Plan,
    sections: list[SectionInput],
    tasks: list[TaskInput],
    reason: str = "",
) -> list[Task]:
    """Save the sections and tasks the officer reviewed, all or nothing, each one logged.

    The schedule is parsed again from the (possibly corrected) deadline words, so what is stored
    always matches what is shown. Occurrences follow from the schedules.
    """
    if not tasks:
        raise DomainError("Chưa có nhiệm vụ nào để lưu.")
    ensure_can_change(plan, acting_user)
    with transaction.atomic():
        base = plan.sections.count()
        saved_sections = [
            audited_create(
                PlanSection(
                    plan=plan, number=s.number[:40], title=s.title[:500], level=s.level, order=base + i
                ),
                acting_user=acting_user,
                reason=reason,
            )
            for i, s in enumerate(sections)
        ]
        order = plan.tasks.count()
        out = []
        for i, t in enumerate(tasks):
            section = None
            if t.section_index is not None:
                if not 0 <= t.section_index < len(saved_sections):
                    raise DomainError(f"Nhiệm vụ {i + 1}: mục không tồn tại.")
                section = saved_sections[t.section_index]
            out.append(
                task_create(
                    acting_user=acting_user,
                    plan=plan,
                    section=section,
                    order=order + i,
                    number=t.number,
                    content=t.content,
                    lead_unit=t.lead_unit,
                    lead_name=t.lead_name,
                    coordinating_units=t.coordinating_units,
                    coordinating_names=t.coordinating_names,
                    deadline_text=t.deadline_text,
                    reason=reason,
                )
            )
    return out


def draft_task_input(data: dict[str, Any], catalogue: Catalogue) -> TaskInput:
    """A reviewed draft task (the review form's ``content``, ``number``, ``section``, ``lead``,
    ``coords``, ``deadline``) with its unit names matched against ``catalogue``.

    A generic lead name ("UBND các xã, phường") stays words and every unit it covers becomes a
    coordinating unit: each of them carries the task out and reports on it
    (``responsible_unit_ids``)."""
    lead_name = (data.get("lead") or "").strip()
    lead_id = catalogue.match(lead_name) if lead_name else None
    names = [n.strip() for n in (data.get("coords") or "").splitlines() if n.strip()]
    coord_ids = [i for i in (catalogue.match(n) for n in names) if i]
    if lead_name and lead_id is None and is_generic(lead_name):
        coord_ids += [i for i in catalogue.expand(lead_name) if i not in coord_ids]
    return TaskInput(
        content=data["content"],
        number=data.get("number") or "",
        section_index=data.get("section"),
        lead_unit=Unit.objects.filter(pk=lead_id).first() if lead_id else None,
        lead_name=lead_name,
        coordinating_units=list(Unit.objects.filter(pk__in=coord_ids)),
        coordinating_names=names,
        deadline_text=data.get("deadline") or "",
    )


def plan_create_with_tasks(
    *,
    acting_user: ActingUser,
    unit: Unit,
    implements: list[Plan] | tuple[Plan, ...] = (),
    sections: list[SectionInput],
    tasks: list[TaskInput],
    reason: str = "",
    tasks_reason: str = "",
    **fields: Any,
) -> tuple[Plan, list[Task]]:
    """A plan read from a document, with its sections and reviewed tasks, in one transaction:
    all saved or nothing."""
    with transaction.atomic():
        plan = plan_create(acting_user=acting_user, unit=unit, implements=implements, reason=reason, **fields)
        saved = plan_save_tasks(
            acting_user=acting_user, plan=plan, sections=sections, tasks=tasks, reason=tasks_reason or reason
        )
    return plan, saved


def task_create(
    *,
    acting_user: ActingUser,
    plan: Plan,
    content: str,
    number: str = "",
    section: PlanSection | None = None,
    order: int | None = None,
    lead_unit: Unit | None = None,
    lead_name: str = "",
    coordinating_units: list[Unit] | tuple[Unit, ...] = (),
    coordinating_names: list[str] | tuple[str, ...] = (),
    deadline_text: str = "",
    reason: str = "",
) -> Task:
    """Add a task to a plan (the acting user must be allowed to change the plan)."""
    if not content.strip():
        raise DomainError("Nội dung nhiệm vụ không được để trống.")
    if section is not None and section.plan_id != plan.pk:
        raise DomainError("Mục không thuộc kế hoạch này.")
    ensure_can_change(plan, acting_user)
    with transaction.atomic():
        task = audited_create(
            Task(
                plan=plan,
                section=section,
                order=plan.tasks.count() if order is None else order,
                number=number[:40],
                content=content.strip(),
                lead_unit=lead_unit,
                lead_name=(lead_name or (lead_unit.name if lead_unit else ""))[:500],
                coordinating_names="\n".join(n.strip() for n in coordinating_names if n.strip()),
                deadline_text=deadline_text.strip()[:500],
                schedule=_schedule_for(deadline_text),
            ),
            acting_user=acting_user,
            reason=reason,
        )
        if coordinating_units:
            task.coordinating_units.set(coordinating_units)
        task_sync_occurrences(task=task, acting_user=acting_user)
    return task


TASK_EDIT_FIELDS = (
    "number",
    "content",
    "section",
    "lead_unit",
    "lead_name",
    "coordinating_names",
    "deadline_text",
)


def task_update(
    *,
    acting_user: ActingUser,
    task: Task,
    changes: dict[str, Any],
    coordinating_units: list[Unit] | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Task:
    """Correct a task's content, units or deadline words (the schedule follows the words)."""
    unknown = set(changes) - set(TASK_EDIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    changes = dict(changes)
    section = changes.get("section")
    if section is not None and section.plan_id != task.plan_id:
        raise DomainError("Mục không thuộc kế hoạch của nhiệm vụ.")
    if "deadline_text" in changes:
        changes["deadline_text"] = (changes["deadline_text"] or "").strip()[:500]
        changes["schedule"] = _schedule_for(changes["deadline_text"])
    with transaction.atomic():
        audited_update(
            task, acting_user=acting_user, changes=changes, expected_version=expected_version, reason=reason
        )
        if coordinating_units is not None:
            before = sorted(task.coordinating_units.values_list("pk", flat=True))
            after = sorted(u.pk for u in coordinating_units)
            if before != after:
                task.coordinating_units.set(coordinating_units)
                log_change(
                    instance=task,
                    action=ObjectChange.Action.UPDATE,
                    before={"coordinating_units": before},
                    after={"coordinating_units": after},
                    acting_user=acting_user,
                    reason=reason,
                )
        task_sync_occurrences(task=task, acting_user=acting_user)
    return task


def task_correct(
    *,
    acting_user: ActingUser,
    task: Task,
    data: dict[str, Any],
    catalogue: Catalogue,
    expected_version: int | None = None,
    reason: str = "",
) -> Task:
    """Correct a task from the edit form's words (``number``, ``section`` — a section of the
    task's plan or None —, ``content``, ``lead``, ``coords``, ``deadline``); the unit names are
    matched against ``catalogue`` as on the review page."""
    given = draft_task_input({**data, "section": None}, catalogue)
    return task_update(
        acting_user=acting_user,
        task=task,
        changes={
            "number": given.number,
            "section": data.get("section"),
            "content": given.content,
            "lead_unit": given.lead_unit,
            "lead_name": given.lead_name,
            "coordinating_names": "\n".join(given.coordinating_names),
            "deadline_text": given.deadline_text,
        },
        coordinating_units=given.coordinating_units,
        expected_version=expected_version,
        reason=reason,
    )


def task_delete(
    *, acting_user: ActingUser, task: Task, reason: str, expected_version: int | None = None
) -> None:
    """Delete a task saved by mistake, with its occurrences and reports, each deletion logged.

    Only the board (grants that may change the plan's unit) deletes; a reason is required.
    """
    reason = current_reason(reason)
    if not reason:
        raise DomainError("Hãy ghi lý do xóa nhiệm vụ.")
    ensure_can_change(task, acting_user)
    with transaction.atomic():
        for report in task.reports.all():
            audited_delete(report, acting_user=acting_user, reason=reason, check_scope=False)
        for occ in task.occurrences.all():
            audited_delete(occ, acting_user=acting_user, reason=reason, check_scope=False)
        audited_delete(task, acting_user=acting_user, reason=reason, expected_version=expected_version)


def _store_evidence(upload: UploadedFile) -> dict[str, str]:
    """Store an evidence file as dossier attachments are stored (checksum-named, type by bytes)."""
    max_bytes = settings.CANBO_MAX_ATTACHMENT_BYTES
    if not upload.size:
        raise DomainError("Tệp rỗng.")
    if upload.size > max_bytes:
        raise DomainError(f"Tệp quá lớn: tối đa {max_bytes // (1024 * 1024)} MB.")
    head = upload.read(16)
    upload.seek(0)
    content_type = next((ct for ct, magic in ALLOWED_TYPES.items() if head.startswith(magic)), None)
    if content_type is None:
        raise DomainError("Tệp kết quả chỉ nhận PDF, JPEG hoặc PNG.")
    digest = hashlib.sha256()
    chunks = []
    for chunk in upload.chunks():
        digest.update(chunk)
        chunks.append(chunk)
    sha = digest.hexdigest()
    storage_name = f"{sha[:2]}/{sha}"
    final = storage_path(storage_name)
    final.parent.mkdir(parents=True, exist_ok=True)
    if not final.exists():
        tmp = final.with_suffix(".part")
        try:
            tmp.write_bytes(b"".join(chunks))
            tmp.replace(final)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if StorageFull.raised_by(exc):
                raise StorageFull() from exc
            raise
    return {
        "evidence_storage_name": storage_name,
        "evidence_sha256": sha,
        "evidence_content_type": content_type,
        "evidence_original_name": (upload.name or "")[:255],
    }


def task_set_status(
    *,
    acting_user: ActingUser,
    task: Task,
    status: str,
    completed_on: dt.date | None = None,
    result: str | None = None,
    evidence_number: str | None = None,
    evidence_file: UploadedFile | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Task:
    """Record a task's status, result and evidence (document number, file).

    "Hoàn thành" needs the completion date; done after the last one-off due date it becomes
    "Hoàn thành quá hạn" (the officer is told). Closing a task closes its open occurrences up to
    the completion date.
    """
    if status not in TaskStatus.values:
        raise DomainError("Tình trạng không hợp lệ.")
    if status in (TaskStatus.DONE, TaskStatus.DONE_LATE):
        if completed_on is None:
            raise DomainError("Nhiệm vụ hoàn thành phải có ngày hoàn thành.")
        one_off = [o.due for o in occurrences(Schedule.from_dict(task.schedule)) if o.due]
        if status == TaskStatus.DONE and one_off and completed_on > max(one_off):
            status = TaskStatus.DONE_LATE
    else:
        completed_on = None
    changes: dict[str, Any] = {"status": status, "completed_on": completed_on}
    if result is not None:
        changes["result"] = result.strip()
    if evidence_number is not None:
        changes["evidence_number"] = evidence_number.strip()[:120]
    if evidence_file is not None:
        changes.update(_store_evidence(evidence_file))
    _ensure_can_report_status(task, acting_user)
    with transaction.atomic():
        audited_update(
            task,
            acting_user=acting_user,
            changes=changes,
            expected_version=expected_version,
            reason=reason,
            check_scope=False,
        )
        if completed_on is not None:
            open_occ = task.occurrences.filter(done_on__isnull=True)
            if Schedule.from_dict(task.schedule).is_recurring:
                open_occ = open_occ.filter(due__lte=completed_on)
            for occ in open_occ:
                audited_update(
                    occ,
                    acting_user=acting_user,
                    changes={"done_on": completed_on},
                    reason=reason,
                    check_scope=False,
                )
    return task


def task_record_condition(
    *, acting_user: ActingUser, task: Task, met_on: dt.date | None, note: str = "", reason: str = ""
) -> Task:
    """Record (or clear) the day a conditional deadline's condition was met; the task then
    falls due the set time after it."""
    schedule = Schedule.from_dict(task.schedule)
    if not schedule.is_conditional:
        raise DomainError("Thời hạn của nhiệm vụ này không phụ thuộc điều kiện.")
    with transaction.atomic():
        audited_update(
            task,
            acting_user=acting_user,
            changes={"condition_met_on": met_on, "condition_note": note.strip()[:300]},
            reason=reason,
        )
        task_sync_occurrences(task=task, acting_user=acting_user)
    return task


def task_sync_occurrences(*, task: Task, acting_user: ActingUser) -> list[TaskOccurrence]:
    """Make the task's occurrences match its schedule over the plan's period.

    Occurrences already done are kept even if the schedule changed (they are history); open ones
    no longer in the schedule are removed; missing ones are added. Each change is logged.
    """
    schedule = Schedule.from_dict(task.schedule)
    start, end = plan_period(task.plan)
    wanted = {
        o.due: o.label
        for o in occurrences(
            schedule,
            period=(start, end),
            condition_met_on=task.condition_met_on,
            term_start=body_term_start(task.plan.issuer_name, task.plan.issued_on) or task.plan.period_start,
        )
    }
    # One-off dues outside the plan's period still count (a plan may set a task after its span).
    for o in occurrences(schedule, condition_met_on=task.condition_met_on):
        wanted.setdefault(o.due, o.label)
    existing = {o.due: o for o in task.occurrences.all()}
    with transaction.atomic():
        for due, occ in existing.items():
            if due not in wanted and occ.done_on is None:
                audited_delete(occ, acting_user=acting_user, reason="Thời hạn của nhiệm vụ thay đổi")
        for due, label in sorted(wanted.items()):
            if due not in existing:
                audited_create(
                    TaskOccurrence(task=task, due=due, label=label[:200]),
                    acting_user=acting_user,
                    reason="Lập các lần đến hạn theo thời hạn của nhiệm vụ",
                )
    return list(task.occurrences.all())


def occurrence_mark_done(
    *, acting_user: ActingUser, occurrence: TaskOccurrence, done_on: dt.date | None, note: str = ""
) -> TaskOccurrence:
    """Mark one due date of a task as done (or reopen it with ``done_on=None``)."""
    _ensure_can_report_status(occurrence.task, acting_user)
    return audited_update(
        occurrence,
        acting_user=acting_user,
        changes={"done_on": done_on, "note": note.strip()[:500]},
        check_scope=False,
    )


def _ensure_can_report_status(task: Task, acting_user: ActingUser) -> None:
    """The board (grants on the plan's unit) and the lead unit's officers record status."""
    from canbo.plans.selectors import tasks_for

    if acting_user is not None and not tasks_for(acting_user, CHANGE).filter(pk=task.pk).exists():
        raise NotPermitted("Không tìm thấy nhiệm vụ hoặc bạn không có quyền cập nhật nhiệm vụ này.")


# ---------------------------------------------------------------- reporting


QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
# Reports are due a few days after the period ends, as the seed plans' "báo cáo … hằng quý"
# leave the day to the board; the board can change it per period.
REPORT_GRACE_DAYS = 10


def period_bounds(kind: str, year: int, quarter: int = 0) -> tuple[dt.date, dt.date]:
    """First and last day of a reporting period (6 and 9 months count from 1 January)."""
    if kind == PeriodKind.QUARTER:
        if quarter not in QUARTER_ENDS:
            raise DomainError("Quý phải từ 1 đến 4.")
        m, d = QUARTER_ENDS[quarter]
        return dt.date(year, m - 2, 1), dt.date(year, m, d)
    if kind == PeriodKind.HALF:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    if kind == PeriodKind.NINE:
        return dt.date(year, 1, 1), dt.date(year, 9, 30)
    if kind == PeriodKind.YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    raise DomainError("Loại kỳ báo cáo không hợp lệ.")


def period_create(
    *,
    acting_user: ActingUser,
    plan: Plan,
    kind: str,
    year: int,
    quarter: int = 0,
    report_due: dt.date | None = None,
    reason: str = "",
) -> ReportingPeriod:
    """Open a reporting period of a plan; an existing identical period is refused."""
    if kind not in PeriodKind.values:
        raise DomainError("Loại kỳ báo cáo không hợp lệ.")
    if not 1990 <= year <= 2100:
        raise DomainError("Năm không hợp lệ.")
    quarter = quarter if kind == PeriodKind.QUARTER else 0
    start, end = period_bounds(kind, year, quarter)
    if ReportingPeriod.objects.filter(plan=plan, kind=kind, year=year, quarter=quarter).exists():
        raise DomainError("Kỳ báo cáo này đã có.")
    return audited_create(
        ReportingPeriod(
            plan=plan,
            kind=kind,
            year=year,
            quarter=quarter,
            start=start,
            end=end,
            report_due=report_due or end + dt.timedelta(days=REPORT_GRACE_DAYS),
        ),
        acting_user=acting_user,
        reason=reason,
    )


def periods_ensure_year(*, acting_user: ActingUser, plan: Plan, year: int) -> list[ReportingPeriod]:
    """The year's usual periods (four quarters, 6 months, 9 months, the year), the missing ones
    created; idempotent."""
    wanted = [(PeriodKind.QUARTER, q) for q in (1, 2, 3, 4)] + [
        (PeriodKind.HALF, 0),
        (PeriodKind.NINE, 0),
        (PeriodKind.YEAR, 0),
    ]
    out = []
    with transaction.atomic():
        for kind, q in wanted:
            existing = ReportingPeriod.objects.filter(plan=plan, kind=kind, year=year, quarter=q).first()
            out.append(
                existing or period_create(acting_user=acting_user, plan=plan, kind=kind, year=year, quarter=q)
            )
    return out


def report_submit(
    *,
    acting_user: ActingUser,
    period: ReportingPeriod,
    task: Task,
    unit: Unit,
    status: str,
    result: str,
    difficulties: str = "",
    evidence_number: str = "",
    reason: str = "",
) -> TaskReport:
    """A unit's report on a task for a period; a second submission replaces the first (logged).

    Only the task's lead unit and its coordinating units report on it, and the acting user must
    hold a grant that may change the reporting unit.
    """
    if task.plan_id != period.plan_id:
        raise DomainError("Nhiệm vụ không thuộc kế hoạch của kỳ báo cáo.")
    if unit.pk not in responsible_unit_ids(task):
        raise DomainError("Đơn vị này không chủ trì hay phối hợp thực hiện nhiệm vụ này.")
    if status not in TaskStatus.values:
        raise DomainError("Tình trạng không hợp lệ.")
    if not result.strip():
        raise DomainError("Hãy ghi kết quả thực hiện.")
    values = {
        "status": status,
        "result": result.strip(),
        "difficulties": difficulties.strip(),
        "evidence_number": evidence_number.strip()[:120],
    }
    with transaction.atomic():
        existing = TaskReport.objects.filter(period=period, task=task, unit=unit).first()
        if existing is not None:
            return audited_update(existing, acting_user=acting_user, changes=values, reason=reason)
        return audited_create(
            TaskReport(period=period, task=task, unit=unit, **values), acting_user=acting_user, reason=reason
        )


def responsible_unit_ids(task: Task) -> list[int]:
    """The units expected to report on a task: its lead unit, then its coordinating units."""
    ids = [task.lead_unit_id] if task.lead_unit_id else []
    ids += [pk for pk in task.coordinating_units.values_list("pk", flat=True) if pk not in ids]
    return ids
