"""``{% planning_panel person %}``: the "Quy hoạch" panel of the person page, so that the person
page needs one line and no change to its view."""

from __future__ import annotations

from typing import Any

from django import template

from canbo.core.dates import today
from canbo.planning.selectors import person_entries

register = template.Library()


@register.inclusion_tag("planning/_person_panel.html", takes_context=True)
def planning_panel(context: Any, person: Any) -> dict[str, Any]:
    request = context["request"]
    day = context.get("as_of") or today()
    return {"planning_entries": person_entries(request.user, person, day), "as_of": day}
