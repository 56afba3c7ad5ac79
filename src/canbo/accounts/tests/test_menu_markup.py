"""The menu's markup written in Python (``accounts.menu.menu_html``, issue 22) is byte for byte
what base.html's loop over the entries wrote, for every role, on a page of the menu's own app
(an active entry), on the person role's own dossier and on another page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.test import Client

from canbo.accounts.menu import MenuItem, menu_html
from canbo.people.models import Person

pytestmark = pytest.mark.django_db

# base.html's loop before session 11
OLD = Template(
    """{% for item in menu %}
    <a href="{{ item.url }}"{% if item.active %} class="active"{% endif %}{% if item.hint %} title="{{ item.hint }}"{% endif %}>{{ item.label }}</a>{% endfor %}"""  # noqa: E501
)


@pytest.mark.parametrize("who", ["admin", "officer_a", "leader_a", "self_user", "nogrant"])
def test_menu_markup_equals_the_templates(who: str, users: dict[str, User], person_a: Person) -> None:
    c = Client()
    c.force_login(users[who])
    seen = 0
    for url in ("/quy-dinh/", "/can-bo/", f"/can-bo/{person_a.pk}/", "/tai-khoan/"):
        r = c.get(url)
        if r.status_code != 200 or r.context is None or "menu" not in r.context:
            continue
        items = r.context["menu"]
        assert menu_html(tuple(items)) == OLD.render(Context({"menu": items}))
        assert f'<nav class="mainnav">{OLD.render(Context({"menu": items}))}\n  </nav>' in r.content.decode()
        seen += 1
    assert seen >= 2


def test_menu_markup_escapes() -> None:
    items = (MenuItem('A & "B"', "/x/?a=1&b=2", True, "<gợi ý>"), MenuItem("C", "/c/", False))
    assert menu_html(items) == OLD.render(Context({"menu": items}))
