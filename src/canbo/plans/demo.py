"""The plans app's demo data: plan 18-ĐA/TU of the demo province, filled from seed 002.

``seed_demo()`` (``./canbo plans seed_demo``) is idempotent: a plan that already has tasks is
left alone. It runs the same extraction and the same logged services an officer would.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from canbo.core.errors import DomainError
from canbo.org.models import Unit, in_force_q
from canbo.plans import services
from canbo.plans.extract import extract_plan
from canbo.plans.models import PeriodKind, TaskStatus
from canbo.plans.selectors import unit_catalogue

SEEDS_DIR = Path(__file__).resolve().parent / "data" / "seeds"
DEMO_ROOT_CODE = "LC"
PLAN_CODE = "lc-18-da-tu"
BOARD_NAME = "Ban Tổ chức Tỉnh ủy"


def seed_document(prefix: str) -> str:
    """The text of seed document ``prefix`` ("001", "002", "004") kept in ``data/seeds``."""
    path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def seed_demo() -> str:
    """Ensure plan lc-18-da-tu on the demo province with its tasks, some statuses and reports."""
    root = Unit.objects.filter(code=DEMO_ROOT_CODE, depth=1).first()
    if root is None:
        raise DomainError("Chưa có tỉnh mẫu (đơn vị gốc mã LC): chạy ./canbo demo trước.")
    day = dt.date(2020, 12, 11)
    board = (
        Unit.objects.filter(path__startswith=root.path, name=BOARD_NAME)
        .filter(in_force_q(day))
        .order_by("depth")
        .first()
    ) or root
    plan = services.plan_ensure_seed(PLAN_CODE, unit=board, acting_user=None)
    if plan.tasks.exists():
        return f"Kế hoạch {plan.number} đã có {plan.tasks.count()} nhiệm vụ; không nạp lại."
    draft = extract_plan(seed_document("002"), unit_catalogue(root, day))
    sections = [services.SectionInput(s.number, s.title, s.level) for s in draft.sections]
    index = {f"{s.number} {s.title}".strip(): i for i, s in enumerate(draft.sections)}
    tasks = []
    for t in draft.tasks:
        # Seed 002 names no lead per task: Phần thứ ba II.1 charges the organisation board with
        # carrying out the Đề án, so the demo gives the board those tasks (an officer's decision).
        lead_unit = Unit.objects.filter(pk=t.lead.unit_id).first() if t.lead and t.lead.unit_id else None
        lead_name = t.lead.name if t.lead else ""
        if t.lead is None:
            lead_unit, lead_name = board, board.name
        coords = [c for c in t.coordinating if c.unit_id]
        tasks.append(
            services.TaskInput(
                content=t.content,
                number=t.number,
                section_index=_section_index(index, t.section),
                lead_unit=lead_unit,
                lead_name=lead_name,
                coordinating_units=list(Unit.objects.filter(pk__in=[c.unit_id for c in coords])),
                coordinating_names=[c.name for c in t.coordinating],
                deadline_text=t.deadline_text,
            )
        )
    saved = services.plan_save_tasks(
        acting_user=None,
        plan=plan,
        sections=sections,
        tasks=tasks,
        reason="Dữ liệu mẫu: trích từ Đề án 18-ĐA/TU",
    )
    _demo_progress(saved, board)
    return f"Đã nạp kế hoạch {plan.number}: {len(sections)} mục, {len(saved)} nhiệm vụ."


def _section_index(index: dict[str, int], label: str) -> int | None:
    return index.get(label)


def _demo_progress(tasks: list, board: Unit) -> None:
    """A few statuses and reports, so the dashboards and the reporting pages show something."""
    by_no = {t.number: t for t in tasks if t.lead_unit_id == board.pk}
    done = [
        ("II.1.1", dt.date(2021, 3, 25), "Quyết định 1205-QĐ/TU"),
        ("II.2.1", dt.date(2021, 4, 20), "Kế hoạch 45-KH/TU"),
    ]
    for number, day, evidence in done:
        if number in by_no:
            services.task_set_status(
                acting_user=None,
                task=by_no[number],
                status=TaskStatus.DONE,
                completed_on=day,
                result="Đã ban hành văn bản.",
                evidence_number=evidence,
                reason="Dữ liệu mẫu",
            )
    for number in ("II.1.2", "II.2.2", "II.2.8"):
        if number in by_no:
            services.task_set_status(
                acting_user=None, task=by_no[number], status=TaskStatus.IN_PROGRESS, reason="Dữ liệu mẫu"
            )
    plan = tasks[0].plan
    periods = services.periods_ensure_year(acting_user=None, plan=plan, year=2021)
    q1 = next(p for p in periods if p.kind == PeriodKind.QUARTER and p.quarter == 1)
    for number in ("II.1.1", "II.1.2", "II.2.1"):
        task = by_no.get(number)
        if task is None:
            continue
        task.refresh_from_db()
        services.report_submit(
            acting_user=None,
            period=q1,
            task=task,
            unit=board,
            status=task.status,
            result="Đã tham mưu dự thảo, lấy ý kiến các cơ quan liên quan."
            if task.status != TaskStatus.DONE
            else task.result,
            reason="Dữ liệu mẫu",
        )
