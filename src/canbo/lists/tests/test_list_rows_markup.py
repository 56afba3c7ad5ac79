"""The person list's rows rendered in Python (issue 22): the template's exact markup, and one
URL reversal for the page instead of one per row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.template import engines
from django.test import RequestFactory

from canbo.conftest import new_person
from canbo.lists.columns import COLUMNS, rows

# The rows of lists/person_list.html before issue 22.
BEFORE = """{% for p, cells in rows %}
    <tr>
      <td class="num">{{ page.start_index|add:forloop.counter0 }}</td>
      {% for v in cells %}<td>{% if forloop.first %}<a href="{% url 'people:detail' p.pk %}">{{ v }}</a>{% else %}{{ v|default_if_none:"" }}{% endif %}</td>{% endfor %}
    </tr>
  {% empty %}<tr><td colspan="{{ columns|length|add:1 }}" class="muted">Không có cán bộ phù hợp.</td></tr>
  {% endfor %}"""  # noqa: E501 (the template as it stood)
AFTER = "{% load list_rows %}{% person_rows rows page.start_index columns %}"


class Page:
    start_index = 51


def test_rows_render_the_template_s_markup(tree: dict[str, Any], admin_user: Any) -> None:
    people = [
        new_person(tree["A"], "Nguyễn Thị O'Hoa"),
        new_person(tree["A1"], "Trần Văn Bình", sex="nam", salary_coefficient=Decimal("4.98")),
        new_person(tree["B"], "Lò Thị Mai", home_town_text="Bát Xát, <Lào Cai>"),
    ]
    request = RequestFactory().get("/")
    request.user = admin_user
    request.session = {}  # type: ignore[assignment]
    engine = engines["django"]
    for columns in (list(COLUMNS), list(COLUMNS[:3])):
        for persons in (people, []):
            ctx = {"rows": rows(persons, columns, dt.date(2025, 6, 1)), "page": Page(), "columns": columns}
            want = engine.from_string(BEFORE).render(ctx, request)
            got = engine.from_string(AFTER).render(ctx, request)
            assert got == want


def test_the_list_reverses_urls_once_per_page_not_per_row(
    tree: dict[str, Any], admin_user: Any, client: Any, request: Any
) -> None:
    for i in range(30):
        new_person(tree["A"], f"Người Thứ {i}")
    client.force_login(admin_user)
    client.get("/can-bo/")
    calls = request.getfixturevalue("reverse_calls")  # counting from the second request on
    response = client.get("/can-bo/")
    assert response.status_code == 200
    assert response.content.decode().count('<td class="num">') == 30
    # The menu and the page's buttons: a fixed number, whatever the number of rows (there was
    # one more for every row).
    assert calls and calls.count("detail") <= 1, calls
