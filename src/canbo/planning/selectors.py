"""Reads of planning lists, always through the acting user's grants.

Lists and their entries are reached through the list's unit (grants on it or an ancestor). A
person's own entries are part of his dossier (national database group 4, RULES.md N-4): whoever
may open his page sees them in its "Quy hoạch" panel and can filter the person list on them,
whichever unit keeps the list; the list itself (the other people, its structure) needs grants on
the list's unit.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from canbo.core.dates import age_at
from canbo.core.kept import KeptQuery
from canbo.core.querysets import CHANGE, VIEW, grant_scope
from canbo.org.choices import Level
from canbo.org.models import Title
from canbo.people.models import Person
from canbo.planning.models import PlanningEntry, PlanningList, planned_on_q


def lists_for(user: Any, action: str = VIEW) -> QuerySet[PlanningList]:
    return PlanningList.objects.restrict(user, action)


def list_get(user: Any, pk: int, action: str = VIEW) -> PlanningList | None:
    return lists_for(user, action).select_related("unit").filter(pk=pk).first()


def entry_get(user: Any, pk: int, action: str = VIEW) -> PlanningEntry | None:
    return (
        PlanningEntry.objects.restrict(user, action)
        .select_related("planning_list__unit", "person", "title")
        .filter(pk=pk)
        .first()
    )


def can_change_list(user: Any, planning_list: PlanningList) -> bool:
    """Whether ``user`` may add to or remove from ``planning_list`` (officer grants on its unit)."""
    return lists_for(user, CHANGE).filter(pk=planning_list.pk).exists()


def list_rows(user: Any, day: dt.date) -> QuerySet[PlanningList]:
    """Visible lists with the number of people in them on ``day`` (one query)."""
    return (
        lists_for(user)
        .select_related("unit")
        .annotate(
            people_on_day=Count(
                "entries__person",
                filter=planned_on_q(day, "entries__"),
                distinct=True,
            )
        )
    )


def planned_persons(day: dt.date, term: tuple[int, int] | None = None) -> QuerySet[PlanningEntry]:
    """Entries in force on ``day`` correlated to an outer person (``Exists`` in the person list)."""
    entries = PlanningEntry.objects.filter(planned_on_q(day), person=OuterRef("pk"))
    if term is not None:
        entries = entries.filter(planning_list__term_start=term[0], planning_list__term_end=term[1])
    return entries


def filter_planned(
    qs: QuerySet[Person], user: Any, day: dt.date, *, planned: bool, term: tuple[int, int] | None
) -> QuerySet[Person]:
    """``qs`` limited to the persons in (or not in) a planning list on ``day``, among the lists
    ``user`` may see: a planning list is the business of the committee that keeps it, so the
    lists of units outside his grants (a provincial list, for a commune officer) do not show
    through the person list either."""
    exists = Exists(planned_persons(day, term).filter(planning_list__in=lists_for(user)))
    return qs.filter(exists) if planned else qs.exclude(exists)


def terms() -> list[tuple[int, int]]:
    """The terms planning lists exist for (reference values, no personnel data)."""
    return list(
        PlanningList.objects.order_by("-term_start", "-term_end")
        .values_list("term_start", "term_end")
        .distinct()
    )


@dataclass
class TitleGroupRows:
    title: Title
    entries: list[PlanningEntry]


@dataclass
class Share:
    label: str
    count: int
    total: int
    target: str = ""

    @property
    def percent(self) -> str:
        if not self.total:
            return "—"
        value = round(self.count * 1000 / self.total) / 10
        return f"{value:.1f}".replace(".", ",") + "%"


@dataclass
class ListView:
    """What the list page shows for one date."""

    planning_list: PlanningList
    day: dt.date
    groups: list[TitleGroupRows]
    removed: list[PlanningEntry]
    later: int
    structure: list[Share] = field(default_factory=list)
    people: int = 0


def young_age(planning_list: PlanningList) -> int:
    """P-6: "young" is under 45 for Central-level titles, under 40 for province and district
    (and, by default, commune) titles."""
    return 45 if planning_list.unit.level == Level.CENTRAL else 40


def list_view(planning_list: PlanningList, day: dt.date) -> ListView:
    """Entries in force on ``day`` grouped by title (most senior first), the entries removed by
    then, and the list's structure on that day (P-6: young, women, ethnic minorities; counted
    per person, a person planned for two titles counting once)."""
    rows = list(
        planning_list.entries.select_related("person__ethnicity", "person__managing_unit", "title")
        .prefetch_related("rule_exceptions")
        .order_by("-title__rank", "title__name", "added_on", "person__sort_key", "id")
    )
    groups: OrderedDict[int, TitleGroupRows] = OrderedDict()
    removed, later = [], 0
    people: dict[int, Person] = {}
    for e in rows:
        if e.added_on > day:
            later += 1
        elif e.removed_on is not None and e.removed_on <= day:
            removed.append(e)
        else:
            groups.setdefault(e.title_id, TitleGroupRows(e.title, [])).entries.append(e)
            people[e.person_id] = e.person
    young = young_age(planning_list)
    total = len(people)
    structure = [
        Share(
            f"Dưới {young} tuổi",
            sum(1 for p in people.values() if age_at(p.birth_date, day) < young),
            total,
            "≥ 15% (P-6)",
        ),
        Share("Nữ", sum(1 for p in people.values() if p.sex == "nu"), total, "≥ 25% (P-6)"),
        Share(
            "Dân tộc thiểu số",
            sum(1 for p in people.values() if p.ethnicity.is_minority),
            total,
            "phù hợp với địa phương (P-6)",
        ),
    ]
    removed.sort(key=lambda e: (e.removed_on, e.pk), reverse=True)
    return ListView(planning_list, day, list(groups.values()), removed, later, structure, total)


@dataclass
class PersonEntry:
    entry: PlanningEntry
    in_force: bool


def person_entries(user: Any, person: Person, day: dt.date) -> list[PersonEntry]:
    """The person's planning entries, current and removed, for his page: those of the lists
    ``user`` may see (as ``filter_planned``), and none unless he may see the person."""
    if not Person.objects.restrict(user).filter(pk=person.pk).exists():
        return []
    return entries_of(user, person, day)


_PERSON_ENTRIES = KeptQuery(
    lambda pk: (
        PlanningEntry.objects.filter(person_id=pk)
        .select_related("planning_list__unit", "title")
        .order_by("-added_on", "-id")
    )
)


def entries_of(user: Any, person: Person, day: dt.date) -> list[PersonEntry]:
    """``person_entries`` for a caller that has read ``person`` through the user's grants (the
    person page's panel): one query, compiled once per process (``core.kept``; the ORM's
    compilation of its three joined tables was nine tenths of the panel). The lists the user may
    see are those ``lists_for(user)`` holds: a list is bound to no person, so its scope is the
    granted subtrees' paths (``grant_scope``), tested here on the list's unit, read with it."""
    paths = grant_scope(PlanningList, user, VIEW).unit_paths
    return [
        PersonEntry(e, e.in_force_on(day))
        for e in _PERSON_ENTRIES(person.pk)
        if paths is None or any(e.planning_list.unit.path.startswith(p) for p in paths)
    ]


@dataclass
class ReviewRow:
    """A yearly review (P-4) with the additions and removals dated in its year."""

    review: Any
    added: int
    removed: int


def review_rows(planning_list: PlanningList) -> list[ReviewRow]:
    """The list's yearly reviews, latest first, each with the year's additions and removals
    (two queries)."""
    dates = list(planning_list.entries.values_list("added_on", "removed_on"))
    return [
        ReviewRow(
            r,
            sum(1 for a, _ in dates if a.year == r.year),
            sum(1 for _, d in dates if d is not None and d.year == r.year),
        )
        for r in planning_list.reviews.order_by("-year")
    ]
