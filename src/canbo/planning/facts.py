"""What the rules read of planning: a person's planning entries and his P-2 counts, registered
in ``PlanningConfig.ready()`` as ``rules.selectors.planning_facts`` and ``planning_counts``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from canbo.org.models import Title
from canbo.people.models import Person
from canbo.planning.checks import p2_counts
from canbo.planning.models import PlanningEntry, planned_on_q
from canbo.rules.engine import facts as F
from canbo.rules.selectors import title_info


def planning_facts(user: Any, person: Person) -> tuple[F.PlanningFact, ...]:
    """The person's planning entries in the lists ``user`` may see (as his page shows them)."""
    entries = (
        PlanningEntry.objects.restrict(user)
        .filter(person=person)
        .select_related("title", "planning_list")
        .order_by("added_on", "id")
    )
    return tuple(
        F.PlanningFact(
            title=title_info(e.title),
            list_name=e.planning_list.name,
            term=e.planning_list.term_label,
            added_on=e.added_on,
            removed_on=e.removed_on,
            decision=e.added_decision,
            removal_reason=e.removal_reason,
        )
        for e in entries
    )


def planning_counts(user: Any, person: Person, title: Title, day: dt.date) -> tuple[int, int] | None:
    """P-2 counts from the dossier when ``person`` is in a list for ``title`` on ``day``: the
    people planned for the title in that list and the titles of the same level planned for him
    in that term, both on that day. None when he is in no such list (the officer declares them)."""
    entry = (
        PlanningEntry.objects.restrict(user)
        .filter(planned_on_q(day), person=person, title=title)
        .select_related("planning_list")
        .order_by("-added_on", "-id")
        .first()
    )
    if entry is None:
        return None
    return p2_counts(entry.planning_list, person, title, day, on_day_only=True)
