"""What the plans pages share: the records of the URL (404 when not visible), the task rows of
the lists, and the plans' write page (``ServiceFormView`` with the page's as-of date)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from canbo.core.form_views import DatedFormView
from canbo.plans import selectors
from canbo.plans.deadlines import Schedule, describe
from canbo.plans.models import Plan, ReportingPeriod, Task


def plan_or_404(user: Any, pk: int) -> Plan:
    plan = selectors.plans_for(user).filter(pk=pk).select_related("unit").first()
    if plan is None:
        raise Http404("Không tìm thấy kế hoạch.")
    return plan


def board_plan_or_404(user: Any, pk: int) -> Plan:
    """A plan whose keeping unit the user may change (the board); others answer 404."""
    from canbo.core.querysets import CHANGE

    plan = plan_or_404(user, pk)
    if not selectors.is_board(user, plan, CHANGE):
        raise Http404("Không tìm thấy kế hoạch.")
    return plan


def task_or_404(user: Any, pk: int) -> Task:
    task = selectors.tasks_for(user).filter(pk=pk).select_related("plan", "lead_unit", "section").first()
    if task is None:
        raise Http404("Không tìm thấy nhiệm vụ.")
    return task


def period_or_404(user: Any, pk: int) -> ReportingPeriod:
    period = (
        ReportingPeriod.objects.filter(pk=pk, plan__in=selectors.plans_for(user))
        .select_related("plan")
        .first()
    )
    if period is None:
        raise Http404("Không tìm thấy kỳ báo cáo.")
    return period


# A stand-in for a task's id in its page's URL, reversed once per list (an id no task has).
_TASK = 987654321


def task_rows(tasks: Any, day: dt.date) -> list[dict[str, Any]]:
    """``task_row`` of each task, with the link to its page (``url``) from one ``reverse`` with a
    stand-in id rather than one per task."""
    head, _, tail = reverse("plans:task", args=[_TASK]).rpartition(str(_TASK))
    rows = []
    for t in tasks:
        row = task_row(t, day)
        row["url"] = f"{head}{t.pk}{tail}"
        rows.append(row)
    return rows


def _date(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def task_rows_html(rows: list[dict[str, Any]], *, show_plan: bool = False) -> SafeString:
    """The task table's rows (``plans/_task_table.html`` before issue 22), written in Python with
    the template's markup: a loop per task through the template engine was a third of the plan
    page. Every value is escaped by ``format_html``."""
    plan_url = ""
    if show_plan:
        head, _, tail = reverse("plans:detail", args=[_TASK]).rpartition(str(_TASK))
    lines = []
    for row in rows:
        t = row["task"]
        if show_plan:
            plan_url = format_html('<td><a href="{}{}{}">{}</a></td>', head, t.plan_id, tail, t.plan.number)
        unmatched = (
            ' <small class="muted">(chưa khớp danh mục)</small>' if not t.lead_unit and t.lead_name else ""
        )
        reading = format_html('<br><small class="muted">{}</small>', row["reading"]) if row["reading"] else ""
        flagged = ' <span class="badge warn">cần xác định</span>' if row["flagged"] else ""
        overdue = ' <span class="badge overdue">Quá hạn</span>' if row["overdue"] else ""
        lines.append(
            format_html(
                '<tr{}>\n      <td>{}</td>\n      <td><a href="{}">{}</a></td>\n      {}'
                "<td>{}{}</td>\n      <td>{}{}{}</td>\n      <td>{}</td>\n      <td>{}{}</td>\n    </tr>",
                mark_safe(' class="overdue"' if row["overdue"] else ""),  # noqa: S308 (a constant)
                t.number,
                row["url"],
                Truncator(t.content).chars(160),
                plan_url,
                t.lead_display or "—",
                mark_safe(unmatched),  # noqa: S308 (a constant)
                t.deadline_text or "—",
                reading,
                mark_safe(flagged),  # noqa: S308 (a constant)
                _date(row["next_due"]),
                t.get_status_display(),
                mark_safe(overdue),  # noqa: S308 (a constant)
            )
        )
    return mark_safe("\n    ".join(lines))  # noqa: S308 (each line built by format_html)


def task_row(task: Task, day: dt.date) -> dict[str, Any]:
    """A task as the plan page and the unit dashboard list it (occurrences prefetched)."""
    schedule = Schedule.from_dict(task.schedule)
    occ = list(task.occurrences.all())
    open_occ = [o for o in occ if o.done_on is None]
    overdue = not task.is_closed and any(o.due < day for o in open_occ)
    upcoming = next((o.due for o in open_occ if o.due >= day), None)
    return {
        "task": task,
        "schedule": schedule,
        "reading": describe(schedule) if task.deadline_text else "",
        "overdue": overdue,
        "next_due": upcoming,
        "flagged": schedule.flagged or schedule.incomplete,
    }


class PlansFormView(DatedFormView):
    """A plans write page: ``core.form_views.ServiceFormView`` under the as-of date bar."""
