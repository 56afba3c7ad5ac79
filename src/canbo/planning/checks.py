"""The planning rules the records decide by themselves: P-1 (planned title above the one held)
and P-2 (caps), each read from the rule version in force on the addition date (RULES.md binding
convention 3), plus the bridge to the rules engine's planning verdict.

When a fact is missing (a title without a rank, no rule version on the date) these checks do not
refuse: the verdict on the entry page says what could not be decided.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from canbo.careers.models import Tenure, on_date_q
from canbo.org.choices import Level
from canbo.org.models import Title
from canbo.people.models import Person
from canbo.planning.models import PlanningEntry, PlanningList, planned_on_q
from canbo.rules.engine.facts import Declared
from canbo.rules.engine.verdict import Verdict


def _book() -> Any:
    from canbo.rules.selectors import rulebook

    return rulebook()


def _held(person: Person, day: dt.date) -> list[Tenure]:
    return list(Tenure.objects.filter(on_date_q(day), person=person).select_related("title", "unit"))


def p1_refusal(person: Person, title: Title, day: dt.date) -> str | None:
    """A Vietnamese refusal when ``title`` is the one held or not above it (P-1); else None."""
    if _book().find("P-1", day) is None:
        return None
    held = _held(person, day)
    for t in held:
        if t.title_id == title.pk:
            return (
                f"Không quy hoạch vào chức danh đang giữ (P-1): {person.full_name} đang là "
                f"{title.name} tại {t.unit.name} từ {t.start_date:%d/%m/%Y}."
            )
    if not title.rank:
        return None  # unknown rank: the verdict says it cannot be compared
    ranked = [t for t in held if t.title.is_leader and t.title.rank]
    if not ranked:
        return None
    top = max(ranked, key=lambda t: t.title.rank)
    if title.rank <= top.title.rank:
        return (
            f"Chỉ quy hoạch vào chức danh cao hơn chức vụ đang giữ (P-1): {person.full_name} đang là "
            f"{top.title.name} (thứ bậc {top.title.rank}); chức danh {title.name} có thứ bậc "
            f"{title.rank}, không cao hơn."
        )
    return None


def _not_removed_by(day: dt.date) -> Q:
    return Q(removed_on__isnull=True) | Q(removed_on__gt=day)


def p2_counts(
    planning_list: PlanningList, person: Person, title: Title, day: dt.date, *, on_day_only: bool = False
) -> tuple[int, int]:
    """(people planned for ``title`` in the list, titles of the same level planned for ``person``
    in lists of the same term), both counting this person and this title.

    ``on_day_only`` counts entries in force on ``day`` (judging a past addition); otherwise every
    entry not removed by then, including additions dated later, so that the caps hold on every
    day from ``day`` on.
    """
    when = planned_on_q(day) if on_day_only else _not_removed_by(day)
    people = set(
        PlanningEntry.objects.filter(when, planning_list=planning_list, title=title).values_list(
            "person_id", flat=True
        )
    )
    people.add(person.pk)
    titles = set(
        PlanningEntry.objects.filter(
            when,
            person=person,
            title__level=title.level,
            planning_list__term_start=planning_list.term_start,
            planning_list__term_end=planning_list.term_end,
        ).values_list("title_id", flat=True)
    )
    titles.add(title.pk)
    return len(people), len(titles)


def p2_refusal(planning_list: PlanningList, person: Person, title: Title, day: dt.date) -> str | None:
    """A Vietnamese refusal when adding would pass a P-2 cap; None when within (or no version)."""
    version = _book().find("P-2", day)
    if version is None:
        return None
    max_people = int(version.params["max_people_per_title"])
    max_titles = int(version.params["max_titles_per_person"])
    n_people, n_titles = p2_counts(planning_list, person, title, day)
    if n_people > max_people:
        return (
            f"Chức danh {title.name} đã có {n_people - 1} người trong danh sách quy hoạch; mỗi chức "
            f"danh không quá {max_people} người (P-2)."
        )
    if n_titles > max_titles:
        return (
            f"{person.full_name} đã được quy hoạch {n_titles - 1} chức danh cùng cấp trong nhiệm kỳ "
            f"{planning_list.term_label}; mỗi người không quá {max_titles} chức danh cùng cấp (P-2)."
        )
    return None


def entry_verdict(user: Any, entry: PlanningEntry) -> Verdict:
    """The rules engine's planning verdict (validator 5) on ``entry`` as of its addition date,
    with the P-2 counts of that day declared from the lists themselves. The dossier is read
    through ``user``'s grants, so what he may not see is "cannot decide", never a pass."""
    from canbo.rules.selectors import verdict

    pl = entry.planning_list
    n_people, n_titles = p2_counts(pl, entry.person, entry.title, entry.added_on, on_day_only=True)
    # P-5 measures working time at the start of the planned term (1 January of its first year,
    # the exact congress date being unknown); a later yearly addition is measured on its date.
    term_start = max(entry.added_on, dt.date(pl.term_start, 1, 1))
    declared = Declared(
        people_planned_for_title=n_people,
        titles_planned_same_level=n_titles,
        planned_term_start=term_start,
    )
    return verdict(user, entry.person, "planning", entry.title, entry.added_on, declared)


# Levels from the highest down: a list plans titles at its unit's level or below (the province's
# Standing Committee also plans the district secretaries it manages), never above.
LEVEL_ORDER: list[str] = list(Level.values)  # declared from the top down


def titles_for(planning_list: PlanningList) -> list[str]:
    """The title levels a list may plan: its unit's level and those below."""
    level = planning_list.unit.level
    if level not in LEVEL_ORDER:
        return list(LEVEL_ORDER)
    return LEVEL_ORDER[LEVEL_ORDER.index(level) :]


def level_refusal(planning_list: PlanningList, title: Title) -> str | None:
    if title.level in titles_for(planning_list):
        return None
    return (
        f"Danh sách của {planning_list.unit.name} không quy hoạch chức danh {title.name} "
        f"({title.get_level_display().lower()}): chỉ chức danh cùng cấp hoặc cấp dưới."
    )
