"""The task table's rows are written in Python (issue 22: a template loop per task was a third of
the plan page); the markup is the template's, whitespace between tags aside."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.template import Context, Template

from canbo.org.models import Unit
from canbo.plans import services
from canbo.plans.models import Plan, Task
from canbo.plans.views.base import task_rows, task_rows_html

pytestmark = pytest.mark.django_db

# The rows as ``plans/_task_table.html`` wrote them before.
TEMPLATE = """{% for row in tasks %}{% with t=row.task %}
    <tr{% if row.overdue %} class="overdue"{% endif %}>
      <td>{{ t.number }}</td>
      <td><a href="{% url 'plans:task' t.pk %}">{{ t.content|truncatechars:160 }}</a></td>
      {% if show_plan %}<td><a href="{% url 'plans:detail' t.plan_id %}">{{ t.plan.number }}</a></td>{% endif %}
      <td>{{ t.lead_display|default:"—" }}{% if not t.lead_unit and t.lead_name %} <small class="muted">(chưa khớp danh mục)</small>{% endif %}</td>
      <td>{{ t.deadline_text|default:"—" }}{% if row.reading %}<br><small class="muted">{{ row.reading }}</small>{% endif %}{% if row.flagged %} <span class="badge warn">cần xác định</span>{% endif %}</td>
      <td>{{ row.next_due|date:"d/m/Y"|default:"—" }}</td>
      <td>{{ t.get_status_display }}{% if row.overdue %} <span class="badge overdue">Quá hạn</span>{% endif %}</td>
    </tr>
  {% endwith %}{% endfor %}"""  # noqa: E501


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("show_plan", [False, True])
def test_the_rows_are_the_template_s(
    plan: Plan, tasks: dict[str, Task], tree: dict[str, Unit], users: dict[str, Any], show_plan: bool
) -> None:
    services.task_create(
        acting_user=users["officer_a"],
        plan=plan,
        number="5 <b>",
        content="Nhiệm vụ & <việc> " + "rất dài " * 40,
        lead_unit=tree["A1"],
        deadline_text="xong trước ngày 31/3/2021",
    )
    listed = (
        Task.objects.filter(plan=plan)
        .select_related("lead_unit", "plan")
        .prefetch_related("occurrences")
        .order_by("order", "pk")
    )
    for day in (dt.date(2021, 1, 10), dt.date(2022, 6, 1)):  # before and after the deadlines
        rows = task_rows(listed, day)
        assert any(r["overdue"] for r in rows) is (day.year == 2022)
        want = Template(TEMPLATE).render(Context({"tasks": rows, "show_plan": show_plan}))
        assert _squeeze(task_rows_html(rows, show_plan=show_plan)) == _squeeze(want)
