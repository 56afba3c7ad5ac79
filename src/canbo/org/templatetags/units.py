"""Template filter ``unit_label``: a unit shown with enough of its path to tell it apart.

Registered as a builtin (settings ``TEMPLATES``), so every template can write
``{{ unit|unit_label }}`` (a unit or its id) without loading it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from canbo.core.links import pk_url
from canbo.org.selectors import unit_label as _unit_label

register = template.Library()


@register.filter
def unit_label(unit: Any) -> str:
    """The unit's shortest distinguishing label (``canbo.org.selectors.unit_label``)."""
    if unit is None or unit == "":
        return ""
    if isinstance(unit, str):  # already a label
        return unit
    return _unit_label(unit)


@register.simple_tag
def unit_children_items(children: Any, day: Any) -> SafeString:
    """The ``<li>`` items of a unit's sub-units on ``day`` (the tree, a unit's page, the htmx
    partial), each named as on ``day``, rendered in Python with the markup of the template it replaces
    (``org/tests/test_unit_children_markup.py`` compares them): the unit tree's 117 items took
    half of the page's time through the template engine (issue 22)."""
    unit_url = pk_url("org:unit")
    children_url = pk_url("org:children")
    when = conditional_escape(date_filter(day, "Y-m-d"))
    parts: list[str] = []
    for u in children:
        count = u.children_on_day
        if count:
            head = format_html(
                '\n  <button class="tree-toggle" hx-get="{}?ngay={}" hx-target="next ul"'
                ' hx-swap="innerHTML" hx-trigger="click once" data-tree-toggle="children"'
                ' aria-label="Mở đơn vị trực thuộc">▸</button>\n  ',
                children_url(u.pk),
                when,
            )
            more = format_html(" · {} đơn vị trực thuộc", localize(count))
        else:
            head, more = mark_safe('<span class="tree-leaf">·</span>'), mark_safe("")
        parts.append(
            format_html(
                '\n<li>\n  {}\n  <a href="{}">{}</a> <span class="muted">{}{}</span>\n'
                '  <ul class="tree"></ul>\n</li>\n',
                head,
                unit_url(u.pk),
                u.name_on_day,  # a later rename does not rewrite the past (``children_on``)
                u.get_kind_display(),
                more,
            )
        )
    if not parts:
        parts.append('<li class="muted">Không có đơn vị trực thuộc tại ngày này.</li>\n')
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped by format_html)
