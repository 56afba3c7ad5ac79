"""The rows of the person list, rendered in Python (issue 22).

Through the template engine the 50 rows of a page (a ``{% url %}``, an ``{% if %}`` and a
filtered variable per cell, some 400 cells) were a fifth of the list's time. The markup is the
template's, byte for byte (``lists/tests/test_list_rows_markup.py`` compares them); every value
goes through Django's own ``render_value_in_context`` (localized, escaped unless safe).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from canbo.core.links import pk_url

register = template.Library()


@register.simple_tag(takes_context=True)
def person_rows(
    context: Context, rows: Sequence[tuple[Any, list[Any]]], start: int, columns: Sequence[Any]
) -> SafeString:
    """The ``<tr>`` of each (person, cells) of ``rows``, numbered from ``start``: the first cell
    links to the person's page; an empty page says so across the ``columns``."""
    if not rows:
        return format_html(
            '<tr><td colspan="{}" class="muted">Không có cán bộ phù hợp.</td></tr>\n  ', len(columns) + 1
        )
    url = pk_url("people:detail")
    out: list[str] = []
    for i, (person, cells) in enumerate(rows):
        tds = []
        for j, value in enumerate(cells):
            if j == 0:
                name = render_value_in_context(value, context)
                tds.append(f'<td><a href="{url(person.pk)}">{name}</a></td>')
            else:
                shown = "" if value is None else render_value_in_context(value, context)
                tds.append(f"<td>{shown}</td>")
        number = render_value_in_context(int(start) + i, context)
        out.append(f'\n    <tr>\n      <td class="num">{number}</td>\n      {"".join(tds)}\n    </tr>\n  ')
    return mark_safe("".join(out))  # noqa: S308 (values escaped by render_value_in_context; the URL is ours)
