"""The sub-units of the tree, rendered in Python (issue 22), give the template's exact markup."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template import engines
from django.test import RequestFactory

from canbo.conftest import make_unit
from canbo.org.choices import UnitKind
from canbo.org.models import Unit
from canbo.org.selectors import children_on

# The template the tag replaces, as it stood (org/_unit_children.html before issue 22).
BEFORE = """{% for u in children %}
<li>
  {% if u.children_on_day %}
  <button class="tree-toggle" hx-get="{% url 'org:children' u.pk %}?ngay={{ as_of|date:'Y-m-d' }}" hx-target="next ul" hx-swap="innerHTML" hx-trigger="click once" data-tree-toggle="children" aria-label="Mở đơn vị trực thuộc">▸</button>
  {% else %}<span class="tree-leaf">·</span>{% endif %}
  <a href="{% url 'org:unit' u.pk %}">{{ u.name }}</a> <span class="muted">{{ u.get_kind_display }}{% if u.children_on_day %} · {{ u.children_on_day }} đơn vị trực thuộc{% endif %}</span>
  <ul class="tree"></ul>
</li>
{% empty %}<li class="muted">Không có đơn vị trực thuộc tại ngày này.</li>
{% endfor %}
"""  # noqa: E501 (the template as it stood)


def test_unit_children_render_the_template_s_markup(tree: dict[str, Any], admin_user: Any) -> None:
    make_unit(tree["B"], "B<1>", 'Phòng <Tài chính> & "Kế hoạch"', kind=UnitKind.DIVISION)
    for i in range(12):
        make_unit(tree["A1"], f"A1{i}", f"Tổ {i}", kind=UnitKind.DIVISION)
    request = RequestFactory().get("/")
    request.user = admin_user
    request.session = {}  # type: ignore[assignment]
    engine = engines["django"]
    for unit, day in (
        (tree["P"], dt.date(2024, 3, 5)),
        (tree["A"], dt.date(2024, 3, 5)),
        (tree["B"], dt.date(2024, 3, 5)),
        (tree["A1"], dt.date(2010, 1, 1)),  # before the units began: none
    ):
        children = children_on(admin_user, Unit.objects.get(pk=unit.pk), day)
        ctx = {"children": children, "as_of": day}
        want = engine.from_string(BEFORE).render(ctx, request)
        got = engine.get_template("org/_unit_children.html").render(ctx, request)
        assert got == want, unit.code


def test_the_tree_reverses_urls_once_not_per_unit(
    tree: dict[str, Any], admin_user: Any, client: Any, request: Any
) -> None:
    for i in range(20):
        make_unit(tree["P"], f"X{i}", f"Sở {i}", kind=UnitKind.DIVISION)
    client.force_login(admin_user)
    calls = request.getfixturevalue("reverse_calls")
    response = client.get("/don-vi/")
    assert response.status_code == 200
    assert response.content.decode().count('<ul class="tree"></ul>') == 22
    # The root's heading and one for all its sub-units (there was one per sub-unit, two with
    # sub-units of its own).
    assert calls and calls.count("unit") <= 2, calls
    assert calls.count("children") <= 1, calls


def test_the_tree_names_units_as_on_the_day(tree: dict[str, Any], admin_user: Any, client: Any) -> None:
    from canbo.org.restructuring import unit_rename

    unit_rename(acting_user=admin_user, unit=tree["A"], new_name="Huyện A Mới", on=dt.date(2023, 1, 1))
    unit_rename(acting_user=admin_user, unit=tree["P"], new_name="Tỉnh Mới", on=dt.date(2023, 1, 1))
    client.force_login(admin_user)
    old = client.get("/don-vi/", {"ngay": "2022-06-01"}).content.decode()
    assert ">Huyện A</a>" in old and "Huyện A Mới" not in old
    assert ">Tỉnh Thử nghiệm</a>" in old and "Tỉnh Mới" not in old
    partial = client.get(f"/don-vi/{tree['P'].pk}/con/", {"ngay": "2022-06-01"}).content.decode()
    assert ">Huyện A</a>" in partial and "Huyện A Mới" not in partial
    new = client.get("/don-vi/", {"ngay": "2024-06-01"}).content.decode()
    assert ">Huyện A Mới</a>" in new and ">Tỉnh Mới</a>" in new


def test_the_unit_page_links_its_holders_and_ancestors(
    tree: dict[str, Any], admin_user: Any, client: Any, title: Any
) -> None:
    from canbo.careers.models import Tenure
    from canbo.conftest import new_person

    holder = new_person(tree["A1"], "Nguyễn Văn An")
    Tenure.objects.create(
        person=holder, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2020, 1, 1)
    )
    client.force_login(admin_user)
    body = client.get(f"/don-vi/{tree['A1'].pk}/").content.decode()
    assert f'<a href="/can-bo/{holder.pk}/">Nguyễn Văn An</a>' in body
    crumbs = body.split('<nav class="crumbs">')[1].split("</nav>")[0]
    assert f'<a href="/don-vi/{tree["P"].pk}/">Tỉnh Thử nghiệm</a>' in crumbs
    assert f'<a href="/don-vi/{tree["A"].pk}/">Huyện A</a>' in crumbs
    assert crumbs.index("Tỉnh Thử nghiệm") < crumbs.index("Huyện A")
    assert "Phòng Nội vụ huyện A" not in crumbs
