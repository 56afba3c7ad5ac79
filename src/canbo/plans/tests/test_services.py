"""Tasks, occurrences, status and evidence, conditions, periods and reports: the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.core.errors import ConflictError, DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.org.models import Unit
from canbo.people.services import storage_path
from canbo.plans import selectors, services
from canbo.plans.models import PeriodKind, Plan, Task, TaskReport, TaskStatus

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

D = dt.date


def test_occurrences_follow_the_schedule(tasks: dict[str, Task]) -> None:
    assert [o.due for o in tasks["quarter"].occurrences.all()] == [D(2021, 3, 31)]
    assert [o.due for o in tasks["yearly"].occurrences.all()] == [
        D(2021, 12, 31),
        D(2022, 12, 31),
        D(2023, 12, 31),
    ]
    assert not tasks["conditional"].occurrences.exists()
    assert not tasks["other"].occurrences.exists()


def test_correcting_the_deadline_words_reparses_and_moves_occurrences(
    tasks: dict[str, Task], users: dict[str, Any]
) -> None:
    task = tasks["quarter"]
    services.task_update(
        acting_user=users["officer_a"],
        task=task,
        changes={"deadline_text": "Q2/2022"},
        reason="Sửa theo văn bản",
    )
    task.refresh_from_db()
    assert task.schedule["kind"] == "quarter"
    assert [o.due for o in task.occurrences.all()] == [D(2022, 6, 30)]
    log = ObjectChange.objects.filter(object_id=task.pk, action="update").first()
    assert log is not None and log.postchange_data is not None
    assert log.postchange_data["deadline_text"] == "Q2/2022"
    with pytest.raises(ConflictError):
        services.task_update(
            acting_user=users["officer_a"], task=task, changes={"content": "x"}, expected_version=1
        )


def test_overdue_and_due_soon(tasks: dict[str, Task], plan: Plan) -> None:
    qs = plan.tasks.all()
    assert set(selectors.overdue_tasks(qs, D(2021, 4, 1))) == {tasks["quarter"]}
    assert set(selectors.due_within(qs, D(2021, 3, 1), 30)) == {tasks["quarter"]}
    assert set(selectors.due_within(qs, D(2021, 11, 1), 90)) == {tasks["yearly"]}
    board = selectors.dashboard(qs, D(2022, 1, 5))
    assert board.overdue == 2 and board.total == 4
    assert dict((v, n) for v, _, n in board.by_status)[TaskStatus.NOT_STARTED] == 4


def test_done_after_the_due_date_is_done_late_and_closes_occurrences(
    tasks: dict[str, Task], users: dict[str, Any]
) -> None:
    task = tasks["quarter"]
    with pytest.raises(DomainError, match="ngày hoàn thành"):
        services.task_set_status(acting_user=users["officer_a"], task=task, status=TaskStatus.DONE)
    pdf = SimpleUploadedFile("qd.pdf", b"%PDF-1.4 quyet dinh", content_type="application/pdf")
    services.task_set_status(
        acting_user=users["officer_a"],
        task=task,
        status=TaskStatus.DONE,
        completed_on=D(2021, 4, 20),
        result="Đã ban hành quy định",
        evidence_number="15-QĐ/HU",
        evidence_file=pdf,
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE_LATE
    assert task.evidence_number == "15-QĐ/HU"
    assert storage_path(task.evidence_storage_name).read_bytes() == b"%PDF-1.4 quyet dinh"
    assert task.occurrences.get().done_on == D(2021, 4, 20)
    assert not selectors.overdue_tasks(Task.objects.filter(pk=task.pk), D(2022, 1, 1)).exists()
    with pytest.raises(DomainError, match="PDF"):
        services.task_set_status(
            acting_user=users["officer_a"],
            task=task,
            status=TaskStatus.IN_PROGRESS,
            evidence_file=SimpleUploadedFile("a.exe", b"MZ\x90\x00"),
        )


def test_condition_met_makes_the_task_fall_due(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    task = tasks["conditional"]
    services.task_record_condition(
        acting_user=users["officer_a"], task=task, met_on=D(2021, 5, 10), note="Hướng dẫn 05-HD/BTCTW"
    )
    assert [o.due for o in task.occurrences.all()] == [D(2021, 8, 10)]
    with pytest.raises(DomainError):
        services.task_record_condition(
            acting_user=users["officer_a"], task=tasks["quarter"], met_on=D(2021, 1, 1)
        )


def test_who_sees_and_who_changes(tasks: dict[str, Task], plan: Plan, users: dict[str, Any]) -> None:
    all_tasks = set(tasks.values())
    assert set(selectors.tasks_for(users["officer_a"])) == all_tasks
    assert set(selectors.tasks_for(users["leader_a"])) == all_tasks
    # B coordinates task 1 only: it sees that task and the plan, nothing else.
    assert set(selectors.tasks_for(users["officer_b"])) == {tasks["quarter"]}
    assert list(selectors.plans_for(users["officer_b"])) == [plan]
    assert not selectors.is_board(users["officer_b"], plan)
    assert not selectors.tasks_for(users["nogrant"]).exists()
    assert not selectors.tasks_for(users["self_user"]).exists()
    assert not selectors.plans_for(users["nogrant"]).exists()
    # B may not record status (it does not lead), nor add tasks to A's plan.
    with pytest.raises(NotPermitted):
        services.task_set_status(
            acting_user=users["officer_b"], task=tasks["quarter"], status=TaskStatus.IN_PROGRESS
        )
    with pytest.raises(NotPermitted):
        services.task_set_status(
            acting_user=users["leader_a"], task=tasks["quarter"], status=TaskStatus.IN_PROGRESS
        )
    with pytest.raises(NotPermitted):
        services.task_create(acting_user=users["officer_b"], plan=plan, content="Việc lạ")


def test_lead_unit_outside_the_board_records_status(
    plan: Plan, tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    task = services.task_create(
        acting_user=users["officer_a"], plan=plan, content="Việc B chủ trì", lead_unit=tree["B"]
    )
    services.task_set_status(acting_user=users["officer_b"], task=task, status=TaskStatus.IN_PROGRESS)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    with pytest.raises(NotPermitted):
        services.task_update(acting_user=users["officer_b"], task=task, changes={"content": "Khác"})


def test_periods_and_reports(
    tasks: dict[str, Task], plan: Plan, tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    periods = services.periods_ensure_year(acting_user=users["officer_a"], plan=plan, year=2021)
    assert [str(p) for p in periods] == [
        "Quý I/2021",
        "Quý II/2021",
        "Quý III/2021",
        "Quý IV/2021",
        "6 tháng năm 2021",
        "9 tháng năm 2021",
        "Năm 2021",
    ]
    assert services.periods_ensure_year(acting_user=users["officer_a"], plan=plan, year=2021) == periods
    with pytest.raises(DomainError, match="đã có"):
        services.period_create(acting_user=users["officer_a"], plan=plan, kind=PeriodKind.YEAR, year=2021)
    q1 = periods[0]
    assert (q1.start, q1.end) == (D(2021, 1, 1), D(2021, 3, 31))
    missing = {(m.task.number, m.unit.code) for m in selectors.missing_reports(q1)}
    assert missing == {("1", "A1"), ("1", "B"), ("2", "A1"), ("4", "A")}
    services.report_submit(
        acting_user=users["officer_b"],
        period=q1,
        task=tasks["quarter"],
        unit=tree["B"],
        status=TaskStatus.IN_PROGRESS,
        result="Đã góp ý dự thảo",
    )
    # Resubmitting replaces the report (one per unit, task and period).
    services.report_submit(
        acting_user=users["officer_b"],
        period=q1,
        task=tasks["quarter"],
        unit=tree["B"],
        status=TaskStatus.DONE,
        result="Đã góp ý xong",
    )
    assert TaskReport.objects.get().result == "Đã góp ý xong"
    assert ("1", "B") not in {(m.task.number, m.unit.code) for m in selectors.missing_reports(q1)}
    # B cannot report for A1, nor on a task it has nothing to do with.
    with pytest.raises(NotPermitted):
        services.report_submit(
            acting_user=users["officer_b"],
            period=q1,
            task=tasks["quarter"],
            unit=tree["A1"],
            status=TaskStatus.DONE,
            result="x",
        )
    with pytest.raises(DomainError, match="không chủ trì hay phối hợp"):
        services.report_submit(
            acting_user=users["officer_b"],
            period=q1,
            task=tasks["yearly"],
            unit=tree["B"],
            status=TaskStatus.DONE,
            result="x",
        )
    with pytest.raises(DomainError, match="kết quả"):
        services.report_submit(
            acting_user=users["officer_a"],
            period=q1,
            task=tasks["yearly"],
            unit=tree["A1"],
            status=TaskStatus.DONE,
            result="  ",
        )
    # The board sees every report; B only its own; a stranger none.
    assert selectors.reports_for(users["officer_a"]).count() == 1
    assert selectors.reports_for(users["officer_b"]).count() == 1
    assert not selectors.reports_for(users["nogrant"]).exists()
    board = selectors.dashboard(plan.tasks.all(), D(2021, 5, 1), plans=[plan])
    assert board.reports_overdue == 3


def test_save_reviewed_draft_all_or_nothing(plan: Plan, tree: dict[str, Unit], users: dict[str, Any]) -> None:
    sections = [services.SectionInput("II", "NHIỆM VỤ"), services.SectionInput("II.1", "Nhóm 1", 2)]
    good = services.TaskInput(
        content="Việc một", section_index=1, lead_unit=tree["A1"], deadline_text="quý 4/2021"
    )
    bad = services.TaskInput(content="   ", section_index=0)
    with pytest.raises(DomainError):
        services.plan_save_tasks(
            acting_user=users["officer_a"], plan=plan, sections=sections, tasks=[good, bad]
        )
    assert not plan.tasks.exists() and not plan.sections.exists()
    saved = services.plan_save_tasks(
        acting_user=users["officer_a"], plan=plan, sections=sections, tasks=[good], reason="Trích từ văn bản"
    )
    assert saved[0].section is not None and saved[0].section.title == "Nhóm 1"
    assert [o.due for o in saved[0].occurrences.all()] == [D(2021, 12, 31)]
    with pytest.raises(NotPermitted):
        services.plan_save_tasks(acting_user=users["officer_b"], plan=plan, sections=[], tasks=[good])


def test_evidence_on_a_full_disk_says_so_and_records_nothing(
    tasks: dict[str, Task], users: dict[str, Any]
) -> None:
    """The evidence file's temporary name is a link to /dev/full, where the kernel answers every
    write with ENOSPC (issue 21): a Vietnamese refusal, no status written, no file left."""
    import hashlib
    import os

    from canbo.core.errors import StorageFull

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    content = b"%PDF-1.4 quyet dinh tren o day"
    sha = hashlib.sha256(content).hexdigest()
    final = storage_path(f"{sha[:2]}/{sha}")
    final.parent.mkdir(parents=True, exist_ok=True)
    final.with_suffix(".part").symlink_to("/dev/full")
    task = tasks["quarter"]
    with pytest.raises(StorageFull, match="ổ đĩa chứa tài liệu đính kèm của máy chủ đã đầy"):
        services.task_set_status(
            acting_user=users["officer_a"],
            task=task,
            status=TaskStatus.IN_PROGRESS,
            evidence_file=SimpleUploadedFile("qd.pdf", content, content_type="application/pdf"),
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED and not task.evidence_storage_name
    assert not final.exists() and not final.with_suffix(".part").exists()
