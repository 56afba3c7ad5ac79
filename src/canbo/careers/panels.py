"""The person page's posts: those held on the day (in the identity block) and the timeline of
posts up to the day, registered as one panel in ``CareersConfig.ready()``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects

from canbo.careers.models import BodyMembership, Tenure, on_date_q
from canbo.org.selectors import unit_label_on
from canbo.people.panels import HEAD, MAIN, Panel
from canbo.people.sections import read_records


@dataclass
class PostsOnDay:
    current_tenures: list[Tenure]
    current_memberships: list[BodyMembership]
    timeline: list[Tenure]


def held_on(record: Any, day: dt.date) -> bool:
    """``on_date_q`` in Python: the post or seat was held on ``day`` (the end is the last day)."""
    return record.start_date <= day and (record.end_date is None or record.end_date >= day)


def posts_on(user: Any, person: Any, day: dt.date) -> PostsOnDay:
    """The posts and bodies ``person`` held on ``day`` (the primary one first, then by rank), and
    every post he had taken up by then. The caller has checked access to the person."""
    read = read_records(person, Tenure)  # the rows of the page's own section, when it read them
    if read is not None:
        tenures = sorted(read, key=lambda t: (t.start_date, t.id))
        prefetch_related_objects(tenures, "unit__former_names")
    else:
        tenures = list(
            Tenure.objects.filter(person=person)
            .select_related("unit", "title")
            .prefetch_related("unit__former_names")
            .order_by("start_date", "id")
        )
    for t in tenures:
        # The unit's name while the post was held (a rename after it does not rewrite the past).
        seen_on = min(day, t.end_date) if t.end_date else day
        t.unit_label = unit_label_on(t.unit, seen_on)
    current = [t for t in tenures if held_on(t, day)]
    current.sort(key=lambda t: (not t.is_primary, -t.title.rank))
    bodies = read_records(person, BodyMembership)
    if bodies is not None:
        memberships = [m for m in bodies if held_on(m, day)]
    else:
        memberships = list(
            BodyMembership.objects.filter(person=person).filter(on_date_q(day)).select_related("body")
        )
    return PostsOnDay(
        current_tenures=current,
        current_memberships=memberships,
        timeline=[t for t in tenures if t.start_date <= day],
    )


PANEL = Panel(
    key="careers",
    templates={HEAD: "careers/_person_posts.html", MAIN: "careers/_person_timeline.html"},
    data=posts_on,
    position=30,
)
