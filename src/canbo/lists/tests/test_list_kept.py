"""The list page's answers kept between two changes (issue 22): a page asked again read by its
ids, and the filter panel rendered once per process for the same query, each the same text as
a fresh one."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.http import QueryDict
from django.template import engines
from django.test.utils import CaptureQueriesContext

from canbo.careers.models import Tenure
from canbo.conftest import new_person
from canbo.core.conditional import latest_change
from canbo.core.dates import today
from canbo.lists.kept import kept_counts_reset
from canbo.lists.selectors import filtered_persons
from canbo.people.services import person_update

# The filter panel of lists/person_list.html as it stood before ``{% kept_panel %}``.
PANEL_BEFORE = """<div class="filter-grid">
      {% for field in form.visible_fields %}{% if field.name != 'q' and field.name != 'don_vi' and field.name != 'tinh_trang' %}
      <div class="field{% if field.errors %} has-error{% endif %}">
        <label for="{{ field.id_for_label }}">{{ field.label }}</label>
        {% if field.name == 'nhom_chuc_danh' or field.name == 'doi_tuong' %}<div class="checks">{{ field }}</div>{% else %}{{ field }}{% endif %}
        {% for e in field.errors %}<small class="error">{{ e }}</small>{% endfor %}
      </div>
      {% endif %}{% endfor %}
    </div>
    <fieldset class="columns-choice"><legend>Cột hiển thị và xuất Excel</legend>
      {% for c in all_columns %}<label><input type="checkbox" name="cot" value="{{ c.key }}" {% if c.key in chosen %}checked{% endif %}> {{ c.label }}</label>{% endfor %}
    </fieldset>"""  # noqa: E501 (the template as it stood)
HEAD = "<summary>Điều kiện lọc và cột hiển thị</summary>\n    "
TAIL = '\n    <button type="submit" class="primary">Áp dụng</button>'


def _no_tokens(body: str) -> str:
    """The page without its CSRF tokens (masked anew for every answer)."""
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1", body)


def _panel(body: str) -> str:
    return body[body.index(HEAD) + len(HEAD) : body.index(TAIL)]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "gioi_tinh=nu&dan_toc=kinh&cot=ho_ten&cot=tuoi",
        "nhom_chuc_danh=bi_thu&doi_tuong=cong_chuc&doi_tuong=vien_chuc&ton_giao=co&trang=2",
        "tuoi_tu=30&tuoi_den=60&chuyen_mon=6&dang_vien=co&quy_hoach=khong&tinh_trang=nghi_huu",
        "tuoi_tu=70&tuoi_den=40",  # an error: the panel is rendered afresh, with the message
        "tuoi_tu=abc&cap=khong-co",
        "ngay=01/01/2020&q=nguyen&gioi_tinh=<b>",
    ],
)
def test_the_kept_filter_panel_is_the_template_s_markup(
    tree: dict[str, Any], admin_user: Any, client: Any, query: str
) -> None:
    new_person(tree["A"], "Nguyễn Văn An")
    client.force_login(admin_user)
    engine = engines["django"]
    for _ in range(2):  # rendered, then kept
        response = client.get("/can-bo/?" + query)
        assert response.status_code in (200, 400)
        ctx = response.context
        want = engine.from_string(PANEL_BEFORE).render(
            {"form": ctx["form"], "chosen": ctx["chosen"], "all_columns": ctx["all_columns"]}
        )
        assert _panel(response.content.decode()) == want


def test_the_kept_panel_follows_the_query(
    tree: dict[str, Any], admin_user: Any, client: Any, monkeypatch: Any
) -> None:
    from django.forms.boundfield import BoundField

    client.force_login(admin_user)
    rendered: list[str] = []
    as_widget = BoundField.as_widget

    def counted(self: BoundField, *args: Any, **kwargs: Any) -> Any:
        rendered.append(self.name)
        return as_widget(self, *args, **kwargs)

    monkeypatch.setattr(BoundField, "as_widget", counted)
    client.get("/can-bo/?dang_vien=co")
    assert "dang_vien" in rendered and "doi_tuong" in rendered
    rendered.clear()
    client.get("/can-bo/?dang_vien=co")
    # Asked again: the panel's 14 fields are not rendered again, only the three above it.
    assert sorted(rendered) == ["don_vi", "q", "tinh_trang"], rendered
    plain = _panel(client.get("/can-bo/").content.decode())
    chosen = _panel(client.get("/can-bo/?gioi_tinh=nu").content.decode())
    assert chosen != plain and '<option value="nu" selected>' in chosen
    assert '<option value="nu" selected>' not in _panel(client.get("/can-bo/").content.decode())


def _person_reads(client: Any, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as q:
        body = _no_tokens(client.get(url).content.decode())
    return body, [x["sql"] for x in q.captured_queries if 'FROM "people_person"' in x["sql"]]


def test_a_unit_s_page_asked_again_is_read_by_its_ids(
    tree: dict[str, Any], admin_user: Any, title: Any, client: Any
) -> None:
    kept_counts_reset()
    client.force_login(admin_user)
    for i in range(4):
        new_person(tree["A1"] if i % 2 else tree["A"], f"Người Số {i}")
    holder = new_person(tree["B"], "Trần Văn Giữ")  # kept elsewhere, holds a post in A's subtree
    Tenure.objects.create(
        person=holder, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2015, 1, 1)
    )
    new_person(tree["B"], "Lê Thị Ngoài")  # not in A's list
    url = f"/can-bo/?don_vi={tree['A'].pk}"
    first, reads = _person_reads(client, url)
    assert any("UNION ALL" in sql for sql in reads)  # the unit's set, sorted by name
    again, reads = _person_reads(client, url)
    # The same page, its rows' markup kept: no person read (the count is kept too).
    assert again == first
    assert reads == [], reads
    assert "Trần Văn Giữ" in again and "Người Số 3" in again and "Lê Thị Ngoài" not in again
    # The page's persons, read afresh (another column set's markup, say), come by their kept ids:
    # 50 rows by key, not the unit's 1,100 people sorted again.
    params = QueryDict(f"don_vi={tree['A'].pk}")
    stamp = latest_change(None)
    pages = []
    for _ in range(2):
        _form, _unit, results = filtered_persons(
            admin_user, params, today(), paged=True, columns=["ho_ten"], stamp=stamp
        )
        with CaptureQueriesContext(connection) as q:
            pages.append([p.pk for p in results[0:50]])
        reads = [x["sql"] for x in q.captured_queries if 'FROM "people_person"' in x["sql"]]
    assert pages[0] == pages[1] and len(pages[0]) == 5
    assert len(reads) == 1 and "UNION ALL" not in reads[0], reads
    # A change moves the change log's newest entry: the page is found afresh.
    person_update(acting_user=admin_user, person=holder, changes={"full_name": "Trần Văn Mới"}, reason="Sửa")
    changed, reads = _person_reads(client, url)
    assert "Trần Văn Mới" in changed and "Trần Văn Giữ" not in changed
    assert any("UNION ALL" in sql for sql in reads)


def test_a_kept_page_is_read_within_the_user_s_grants(
    tree: dict[str, Any], users: dict[str, Any], admin_user: Any, client: Any
) -> None:
    """The kept answers are keyed by the list's SQL, which holds the user's grants: the list
    kept for the administrator (both subtrees) shows nothing of subtree B to an officer of A."""
    kept_counts_reset()
    new_person(tree["A1"], "Nguyễn Văn Trong")
    new_person(tree["B"], "Lê Thị Ngoài")
    client.force_login(admin_user)
    for _ in range(2):
        whole = client.get("/can-bo/").content.decode()
        assert "Nguyễn Văn Trong" in whole and "Lê Thị Ngoài" in whole
    client.force_login(users["officer_a"])
    body = _no_tokens(client.get("/can-bo/").content.decode())
    again = _no_tokens(client.get("/can-bo/").content.decode())
    assert again == body
    assert "Nguyễn Văn Trong" in again and "Lê Thị Ngoài" not in again
    assert client.get(f"/can-bo/?don_vi={tree['B'].pk}").status_code == 404


def test_the_kept_planning_terms_follow_a_new_list(
    tree: dict[str, Any], admin_user: Any, client: Any
) -> None:
    from canbo.planning import services as planning

    client.force_login(admin_user)
    for _ in range(2):  # read, then kept
        assert '<option value="2031-2036">' not in _panel(client.get("/can-bo/").content.decode())
    planning.planning_list_create(
        acting_user=admin_user,
        unit=tree["A"],
        name="Quy hoạch 2031–2036",
        kind="cap_uy",
        term_start=2031,
        term_end=2036,
    )
    assert '<option value="2031-2036">2031–2036</option>' in _panel(client.get("/can-bo/").content.decode())
