"""The task table's rows are written in Python (issue 22: a template loop per task was a third of
the plan page); the markup is the template's, whitespace between tags aside."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.template import Context, Template

from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.org.models import Unit
from canbo.plans import selectors, services
from canbo.plans.models import Plan, Task
from canbo.plans.tests.conftest import kept_plan, kept_tasks
from canbo.plans.views.base import dashboard_html, task_rows, task_rows_html

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")
# So are the plan and its tasks, every test here taking both (plans/tests/conftest.py,
# plan_and_tasks_of_the_module).
plan = pytest.fixture(kept_plan, name="plan")
tasks = pytest.fixture(kept_tasks, name="tasks")

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
    # the plan page's read (occurrence dates without prefetch) gives the same rows
    plain = selectors.read_task_details(list(Task.objects.filter(plan=plan).order_by("order", "pk")))
    for day in (dt.date(2021, 1, 10), dt.date(2022, 6, 1)):  # before and after the deadlines
        rows = task_rows(listed, day)
        assert any(r["overdue"] for r in rows) is (day.year == 2022)
        want = Template(TEMPLATE).render(Context({"tasks": rows, "show_plan": show_plan}))
        assert _squeeze(task_rows_html(rows, show_plan=show_plan)) == _squeeze(want)
        if not show_plan:
            assert task_rows_html(task_rows(plain, day)) == task_rows_html(rows)


# ``plans/_dashboard.html`` as it was before the panel was written in Python (issue 22).
DASHBOARD = """<section class="panel dashboard">
  <h2>Tình hình thực hiện <small class="muted">tại {{ as_of|date:"d/m/Y" }}</small></h2>
  <div class="cards">
    <a class="card" href="{{ base_url }}">Tổng số nhiệm vụ <strong>{{ board.total }}</strong></a>
    <a class="card{% if board.overdue %} overdue{% endif %}" href="{{ base_url }}?qua-han=1">Quá hạn <strong>{{ board.overdue }}</strong></a>
    <a class="card" href="{{ base_url }}?den-han=30">Đến hạn trong 30 ngày <strong>{{ board.due_30 }}</strong></a>
    <a class="card" href="{{ base_url }}?den-han=90">Đến hạn trong 90 ngày <strong>{{ board.due_90 }}</strong></a>
    {% if board.periods_overdue or board.reports_overdue %}<span class="card overdue">Báo cáo quá hạn chưa nộp <strong>{{ board.reports_overdue }}</strong></span>{% endif %}
  </div>
  <svg class="status-bars" role="img" aria-label="Nhiệm vụ theo tình trạng" width="600" height="160" viewBox="0 0 600 {% widthratio board.by_status|length 1 26 %}" preserveAspectRatio="xMinYMin meet">
    {% for value, label, count in board.by_status %}
    <a href="{{ base_url }}?tinh-trang={{ value }}">
      <text x="0" y="{% widthratio forloop.counter0 1 26 %}" dy="16" font-size="13">{{ label }}: {{ count }}</text>
      <rect x="190" y="{% widthratio forloop.counter0 1 26 %}" height="18" width="{% if board.total %}{% widthratio count board.total 400 %}{% else %}0{% endif %}" class="bar-{{ value }}"></rect>
    </a>
    {% endfor %}
  </svg>
  {% if board.periods_overdue %}
  <p>Kỳ báo cáo đã quá hạn nộp còn thiếu báo cáo:
    {% for period, n in board.periods_overdue %}<a href="{% url 'plans:period' period.pk %}">{{ period }}</a> ({{ n }} báo cáo){% if not forloop.last %}, {% endif %}{% endfor %}</p>
  {% endif %}
</section>
"""  # noqa: E501


@pytest.mark.parametrize("day", [dt.date(2021, 1, 10), dt.date(2022, 6, 1), dt.date(2024, 12, 31)])
def test_the_dashboard_is_the_template_s(
    plan: Plan, tasks: dict[str, Task], users: dict[str, Any], day: dt.date
) -> None:
    """Byte for byte, whitespace included: the cards, the bars of every status (none, some, all
    the tasks), the periods missing reports with their links and an escaped name."""
    officer = users["officer_a"]
    for q in (1, 2):
        services.period_create(acting_user=officer, plan=plan, kind="quy", year=2021, quarter=q)
    visible = selectors.tasks_for(officer).filter(plan=plan)
    boards = [selectors.dashboard(visible, day, plans=[plan]), selectors.Dashboard()]
    odd = selectors.Dashboard(
        total=3, overdue=1, reports_overdue=2, by_status=[("a&b", "<Nhãn>", 1), ("c", "Đủ", 2)]
    )
    boards.append(odd)
    for board in boards:
        for base_url in ("/ke-hoach/1/", "/ke-hoach/don-vi/2/?x=<y>"):
            want = Template(DASHBOARD).render(Context({"board": board, "base_url": base_url, "as_of": day}))
            assert str(dashboard_html(board, base_url, day)) == want
    assert any(b.periods_overdue for b in boards) is (day.year > 2021)
