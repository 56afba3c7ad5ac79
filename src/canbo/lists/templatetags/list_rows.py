"""The rows of the person list, rendered in Python (issue 22).

Through the template engine the 50 rows of a page (a ``{% url %}``, an ``{% if %}`` and a
filtered variable per cell, some 400 cells) were a fifth of the list's time. The markup is the
template's, byte for byte (``lists/tests/test_list_rows_markup.py`` compares them); every value
goes through Django's own ``render_value_in_context`` (localized, escaped unless safe), a plain
text through the same escape without the localization it does not need.
"""

from __future__ import annotations

import html
import threading
from collections import OrderedDict
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
    return rows_markup(rows, start, columns, context)


def rows_markup(
    rows: Sequence[tuple[Any, list[Any]]], start: int, columns: Sequence[Any], context: Context | None = None
) -> SafeString:
    """``person_rows``'s markup; without ``context`` as a template's (autoescaped, localized as
    the settings say) gives it."""
    context = context if context is not None else Context()
    if not rows:
        return format_html(
            '<tr><td colspan="{}" class="muted">Không có cán bộ phù hợp.</td></tr>\n  ', len(columns) + 1
        )
    url = pk_url("people:detail")
    plain = context.autoescape  # a plain ``str`` is then shown as ``html.escape`` gives it

    def shown(value: Any) -> str:
        # ``render_value_in_context`` localizes, then escapes; a plain text needs the escape
        # only (most cells: names, labels, dates already written as text).
        if plain and type(value) is str:
            return html.escape(value)
        return render_value_in_context(value, context)

    out: list[str] = []
    for i, (person, cells) in enumerate(rows):
        tds = []
        for j, value in enumerate(cells):
            if j == 0:
                tds.append(f'<td><a href="{url(person.pk)}">{shown(value)}</a></td>')
            else:
                tds.append(f"<td>{'' if value is None else shown(value)}</td>")
        number = render_value_in_context(int(start) + i, context)
        out.append(f'\n    <tr>\n      <td class="num">{number}</td>\n      {"".join(tds)}\n    </tr>\n  ')
    return mark_safe("".join(out))  # noqa: S308 (values escaped by render_value_in_context; the URL is ours)


# The filter panel's markup by everything it is made from (``KeptPanelNode``), most recent last.
_PANELS: OrderedDict[str, SafeString] = OrderedDict()
_PANELS_MAX = 256
_panels_lock = threading.Lock()


def _panel_key(form: Any, chosen: Any) -> str | None:
    """What the filter panel shows, as one text: each visible field's name and submitted values,
    each choice field's choices, the chosen columns; None for a form with errors (rendered each
    time: the messages are the request's)."""
    if form.errors:
        return None
    fields = []
    for name, field in form.fields.items():
        choices = getattr(field, "choices", None)
        fields.append(
            (
                name,
                tuple(form.data.getlist(name)) if hasattr(form.data, "getlist") else form.data.get(name),
                None if choices is None else _plain(choices),
            )
        )
    return repr((type(form).__qualname__, form.is_bound, tuple(fields), tuple(sorted(chosen))))


def _plain(choices: Any) -> tuple[Any, ...]:
    """Choices as plain strings (a lazy label's ``repr`` is its address, not its text)."""
    return tuple((str(v), _plain(lb) if isinstance(lb, (list, tuple)) else str(lb)) for v, lb in choices)


class KeptPanelNode(template.Node):
    """Its content rendered once per process for each ``_panel_key`` (issue 22).

    The person list's filter panel (14 fields, two checkbox groups, some 400 options, the 20
    column boxes) went through the template engine on every request, about 3 ms of the list's
    time, and shows the same for the same query. The key holds every input the content reads
    (the form's class, the submitted values of every field, their choices, the chosen columns),
    so a kept answer is the same text as a fresh rendering (``test_list_filters_markup``)."""

    def __init__(self, nodelist: template.NodeList, form: Any, chosen: Any) -> None:
        self.nodelist = nodelist
        self.form = form
        self.chosen = chosen

    def render(self, context: Context) -> str:
        key = _panel_key(self.form.resolve(context), self.chosen.resolve(context))
        if key is None:
            return self.nodelist.render(context)
        with _panels_lock:
            found = _PANELS.get(key)
            if found is not None:
                _PANELS.move_to_end(key)
                return found
        html = self.nodelist.render(context)
        with _panels_lock:
            _PANELS[key] = html
            while len(_PANELS) > _PANELS_MAX:
                _PANELS.popitem(last=False)
        return html


@register.tag
def kept_panel(parser: template.base.Parser, token: template.base.Token) -> KeptPanelNode:
    """``{% kept_panel form chosen %}…{% endkept_panel %}``: the content kept per process by the
    form's submitted values and choices and the chosen columns (``KeptPanelNode``)."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("kept_panel takes a form and the chosen columns")
    nodelist = parser.parse(("endkept_panel",))
    parser.delete_first_token()
    return KeptPanelNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))
