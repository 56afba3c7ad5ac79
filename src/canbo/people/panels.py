"""Registry of person-page panels: what other apps show on the person page.

People imports none of the apps that draw on its page (careers' posts and timeline, the rules'
career calendar, planning's entries). Each registers a ``Panel`` in its ``AppConfig.ready()``:
a function that reads the panel's data for (user, person, day), and one template per place of
the page it fills. The person page renders, in each place, the panels' templates in
``position`` order, each with ``panel`` (the data) in its context beside the page's own
(``d``, ``p``, ``as_of``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from canbo.core.hooks import Hook

#: Places of the person page a panel can fill.
HEAD = "head"  # in the identity block, under the service status (the posts held on the day)
MAIN = "main"  # between the identity block and the personal information
PLACES = (HEAD, MAIN)


@dataclass(frozen=True)
class Panel:
    key: str
    templates: Mapping[str, str]  # place → template
    data: Callable[[Any, Any, dt.date], Any] | None = None  # (user, person, day) → ``panel``
    position: int = 1000


@dataclass(frozen=True)
class PanelBlock:
    """One panel in one place of the page, with its data read for the day."""

    key: str
    template: str
    data: Any


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    if _PANELS.get(panel.key) is panel:
        return
    if panel.key in _PANELS:
        raise ImproperlyConfigured(f"Person-page panel {panel.key} registered twice.")
    unknown = set(panel.templates) - set(PLACES)
    if unknown:
        raise ImproperlyConfigured(f"Person-page panel {panel.key}: unknown places {sorted(unknown)}.")
    _PANELS[panel.key] = panel


def registered_panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: p.position)


def panels_on(user: Any, person: Any, day: dt.date) -> dict[str, list[PanelBlock]]:
    """Every registered panel's blocks for the page, by place; each panel's data is read once."""
    out: dict[str, list[PanelBlock]] = {place: [] for place in PLACES}
    for panel in registered_panels():
        data = panel.data(user, person, day) if panel.data else None
        for place, template in panel.templates.items():
            out[place].append(PanelBlock(key=panel.key, template=template, data=data))
    return out


# The person API's counterparts of the page's panels.
#: (user, params, day, paged=, exact_count=) → (form, unit, persons): the list page's filters,
#: which the API's list applies too (``lists`` registers ``filtered_persons``).
person_filter = Hook("person list filter")
#: (persons queryset, day) → the queryset with the posts held on the day prefetched (``careers``).
with_posts_on_date = Hook("posts held on a day, prefetched")
#: (person, day) → the posts he held on the day, as the API shows them (``careers``).
posts_on_date = Hook("posts held on a day")
