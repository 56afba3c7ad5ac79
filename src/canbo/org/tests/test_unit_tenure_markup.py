"""The unit page's table of posts held, written in Python (``org.views.tenure_rows``, issue 22),
is byte for byte what its template's loop wrote."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template

from canbo.careers.models import Tenure, TenureKind
from canbo.org.models import Title
from canbo.org.views import tenure_rows
from canbo.people.models import Person

# unit_detail.html's loop before session 11
OLD = Template(
    """{% for t in tenures %}
      <tr><td><a href="{{ t.person_url }}">{{ t.person.full_name }}</a></td><td>{{ t.title.name }}{% if not t.is_primary %} (kiêm nhiệm){% endif %}</td><td>{{ t.get_kind_display }}</td><td>{{ t.start_date|date:"d/m/Y" }}</td></tr>
    {% empty %}<tr><td colspan="4" class="muted">Không có cán bộ giữ chức vụ tại đơn vị vào ngày này.</td></tr>
    {% endfor %}"""  # noqa: E501
)


def test_tenure_rows_equal_the_template() -> None:
    kinds = [k for k, _label in TenureKind.choices]
    tenures = []
    for i, (name, title, primary) in enumerate(
        (
            ("Nguyễn Văn An", "Trưởng phòng", True),
            ('Lê Thị "Bé" <b>&</b>', "Phó & Trưởng <ban>", False),
            ("Trần Cúc", "Chuyên viên", True),
        )
    ):
        t = Tenure(
            person=Person(full_name=name),
            title=Title(name=title),
            is_primary=primary,
            kind=kinds[i % len(kinds)],
            start_date=dt.date(2001 + i, 1 + i, 9 + i),
        )
        t.person_url = f"/can-bo/{i + 1}/?a=1&b=2"  # type: ignore[attr-defined]
        tenures.append(t)
    for rows in (tenures, tenures[:1], []):
        assert tenure_rows(rows) == OLD.render(Context({"tenures": rows}))
