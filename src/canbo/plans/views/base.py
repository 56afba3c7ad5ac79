"""What the plans pages share: the records of the URL (404 when not visible), the task rows of
the lists, and the plans' write page (``ServiceFormView`` with the page's as-of date)."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from canbo.core.form_views import DatedFormView
from canbo.core.links import pk_url
from canbo.org.selectors import unit_index
from canbo.plans import selectors
from canbo.plans.deadlines import Schedule, describe
from canbo.plans.models import Plan, ReportingPeriod, Task, TaskStatus


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


_STATUS_LABEL = dict(TaskStatus.choices)
OVERDUE_CLASS = ' class="overdue"'


def _truncated(text: str, length: int = 160) -> str:
    """``Truncator(text).chars(length)`` (the ``truncatechars`` filter), without building the
    truncator for a text that fits: Django normalises to NFC, then counts every character but
    combining ones, so a normalised text no longer than ``length`` comes back whole. A longer
    text's answer is kept per process (it depends on the text, the length and the language's
    ellipsis only): the truncator walks it character by character."""
    normal = unicodedata.normalize("NFC", text)
    return normal if len(normal) <= length else _truncated_long(text, length, get_language())


@functools.lru_cache(maxsize=4096)
def _truncated_long(text: str, length: int, language: str | None) -> str:
    return Truncator(text).chars(length)


def task_rows_html(rows: list[dict[str, Any]], *, show_plan: bool = False) -> SafeString:
    """The task table's rows (``plans/_task_table.html`` before issue 22), written in Python with
    the template's markup: a loop per task through the template engine was a third of the plan
    page. Every value is escaped (``conditional_escape``, as ``format_html`` and the template
    do); the lead unit's label is read from the unit index once for all the rows."""
    plan_url = ""
    if show_plan:
        head, _, tail = reverse("plans:detail", args=[_TASK]).rpartition(str(_TASK))
    labels = unit_index().label
    lines = []
    for row in rows:
        t = row["task"]
        if show_plan:
            plan_url = f'<td><a href="{esc(head)}{esc(t.plan_id)}{esc(tail)}">{esc(t.plan.number)}</a></td>'
        if t.lead_unit_id:
            found = labels.get(t.lead_unit_id)
            lead = found if found is not None else str(t.lead_unit_id)
            unmatched = ""
        else:
            lead = t.lead_name
            unmatched = ' <small class="muted">(chưa khớp danh mục)</small>' if t.lead_name else ""
        reading = f'<br><small class="muted">{esc(row["reading"])}</small>' if row["reading"] else ""
        flagged = ' <span class="badge warn">cần xác định</span>' if row["flagged"] else ""
        overdue = ' <span class="badge overdue">Quá hạn</span>' if row["overdue"] else ""
        status = _STATUS_LABEL.get(t.status, t.status)
        lines.append(
            f"<tr{OVERDUE_CLASS if row['overdue'] else ''}>\n      <td>{esc(t.number)}</td>\n"
            f'      <td><a href="{esc(row["url"])}">{esc(_truncated(t.content))}</a></td>\n      {plan_url}'
            f"<td>{esc(lead or '—')}{unmatched}</td>\n"
            f"      <td>{esc(t.deadline_text or '—')}{reading}{flagged}</td>\n"
            f"      <td>{esc(_date(row['next_due']))}</td>\n      <td>{esc(status)}{overdue}</td>\n    </tr>"
        )
    return mark_safe("\n    ".join(lines))  # noqa: S308 (every value escaped)


def _ratio(value: float, total: float, width: int) -> str:
    """Django's ``{% widthratio value total width %}``."""
    try:
        return str(round(float(value) / float(total) * width))
    except ZeroDivisionError:
        return "0"


def dashboard_html(board: selectors.Dashboard, base_url: str, as_of: dt.date) -> SafeString:
    """The dashboard panel (``plans/_dashboard.html`` before issue 22: its cards, the bars per
    status and the periods missing reports), written in Python with the template's markup, the
    trailing newline included; every value escaped."""
    base = esc(base_url)
    period_url = pk_url("plans:period")
    cards = (
        f'<a class="card" href="{base}">Tổng số nhiệm vụ <strong>{board.total}</strong></a>\n'
        f'    <a class="card{" overdue" if board.overdue else ""}" href="{base}?qua-han=1">Quá hạn '
        f"<strong>{board.overdue}</strong></a>\n"
        f'    <a class="card" href="{base}?den-han=30">Đến hạn trong 30 ngày '
        f"<strong>{board.due_30}</strong></a>\n"
        f'    <a class="card" href="{base}?den-han=90">Đến hạn trong 90 ngày '
        f"<strong>{board.due_90}</strong></a>\n"
        "    "
    )
    if board.periods_overdue or board.reports_overdue:
        cards += (
            '<span class="card overdue">Báo cáo quá hạn chưa nộp '
            f"<strong>{board.reports_overdue}</strong></span>"
        )
    bars = []
    for i, (value, label, count) in enumerate(board.by_status):
        y = _ratio(i, 1, 26)
        width = _ratio(count, board.total, 400) if board.total else "0"
        bars.append(
            f'\n    <a href="{base}?tinh-trang={esc(value)}">\n'
            f'      <text x="0" y="{y}" dy="16" font-size="13">{esc(label)}: {count}</text>\n'
            f'      <rect x="190" y="{y}" height="18" width="{width}" '
            f'class="bar-{esc(value)}"></rect>\n'
            "    </a>\n    "
        )
    periods = ""
    if board.periods_overdue:
        links = ", ".join(
            f'<a href="{esc(period_url(period.pk))}">{esc(str(period))}</a> ({n} báo cáo)'
            for period, n in board.periods_overdue
        )
        periods = f"\n  <p>Kỳ báo cáo đã quá hạn nộp còn thiếu báo cáo:\n    {links}</p>\n  "
    return mark_safe(  # noqa: S308 (every value escaped)
        '<section class="panel dashboard">\n'
        f'  <h2>Tình hình thực hiện <small class="muted">tại {as_of:%d/%m/%Y}</small></h2>\n'
        f'  <div class="cards">\n    {cards}\n  </div>\n'
        '  <svg class="status-bars" role="img" aria-label="Nhiệm vụ theo tình trạng" '
        'width="600" height="160" '
        f'viewBox="0 0 600 {_ratio(len(board.by_status), 1, 26)}" preserveAspectRatio="xMinYMin meet">\n'
        f"    {''.join(bars)}\n  </svg>\n  {periods}\n</section>\n"
    )


def task_row(task: Task, day: dt.date) -> dict[str, Any]:
    """A task as the plan page and the unit dashboard list it (occurrences prefetched, or their
    dates read by ``selectors.read_task_details``)."""
    schedule = Schedule.from_dict(task.schedule)
    open_due = [due for due, done_on in selectors.occurrence_dates(task) if done_on is None]
    overdue = not task.is_closed and any(due < day for due in open_due)
    upcoming = next((due for due in open_due if due >= day), None)
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
