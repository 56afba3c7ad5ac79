"""The planning list as a document (DOCUMENTS.md §6): per planned title, one line a person with his
facts as of the page's date, then the list's structure (P-6 shares and age bands).

The entries and the P-6 shares are those of the list page (``planning.selectors.list_view``); the
facts are read here in a fixed number of queries: posts held on the date, the highest professional,
political-theory and state-management level obtained by then, the Party admission date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from canbo.careers.models import Tenure, on_date_q
from canbo.core.dates import age_at
from canbo.org.selectors import unit_label
from canbo.people.choices import QualificationKind, level_label
from canbo.people.models import PartyMembership, Qualification
from canbo.planning.models import PlanningList
from canbo.planning.selectors import Share, list_view

AGE_BANDS = (
    (None, 30, "Từ 30 tuổi trở xuống"),
    (31, 40, "Từ 31 đến 40 tuổi"),
    (41, 50, "Từ 41 đến 50 tuổi"),
    (51, 60, "Từ 51 đến 60 tuổi"),
    (61, None, "Trên 60 tuổi"),
)
KINDS = (
    QualificationKind.PROFESSIONAL,
    QualificationKind.POLITICAL_THEORY,
    QualificationKind.STATE_MANAGEMENT,
)


@dataclass
class Line:
    name: str
    born: str
    sex: str
    ethnicity: str
    post: str
    professional: str
    political: str
    state_management: str
    party: str
    planned: str
    note: str

    def values(self) -> list[str]:
        return [
            self.name,
            self.born,
            self.sex,
            self.ethnicity,
            self.post,
            self.professional,
            self.political,
            self.state_management,
            self.party,
            self.planned,
            self.note,
        ]


@dataclass
class Group:
    title: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class PlanningDocument:
    planning_list: PlanningList
    day: dt.date
    unit_name: str
    title: str
    subtitle: str
    groups: list[Group]
    removed: list[str]
    structure: list[Share]
    person_count: int
    person_ids: list[int]  # the persons the document names (the read log's rows)


def _d(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


def build(user: Any, planning_list: PlanningList, day: dt.date) -> PlanningDocument:
    view = list_view(planning_list, day)
    persons = {e.person_id: e.person for g in view.groups for e in g.entries}
    ids = list(persons)
    posts: dict[int, list[str]] = {}
    for pid, title, unit_id in (
        Tenure.objects.restrict(user)
        .filter(on_date_q(day), person_id__in=ids)
        .order_by("person_id", "-is_primary", "start_date")
        .values_list("person_id", "title__name", "unit_id")
    ):
        posts.setdefault(pid, []).append(f"{title}, {unit_label(unit_id)}")
    best: dict[tuple[int, str], tuple[int, str]] = {}
    for pid, kind, level, rank, field_of_study in (
        Qualification.objects.restrict(user)
        .filter(person_id__in=ids, kind__in=KINDS, obtained_date__lte=day)
        .values_list("person_id", "kind", "level", "level_rank", "field_of_study")
    ):
        text = level_label(kind, level) + (f" {field_of_study}" if field_of_study else "")
        if rank > best.get((pid, kind), (0, ""))[0]:
            best[(pid, kind)] = (rank, text)
    party: dict[int, dt.date] = dict(
        PartyMembership.objects.restrict(user)
        .filter(person_id__in=ids, admission_date__lte=day)
        .filter(Q(left_date__isnull=True) | Q(left_date__gt=day))
        .values_list("person_id", "admission_date")
    )
    planned: dict[int, list[str]] = {}
    for g in view.groups:
        for e in g.entries:
            planned.setdefault(e.person_id, []).append(g.title.name)
    groups = []
    for g in view.groups:
        group = Group(title=g.title.name)
        for e in g.entries:
            p = e.person
            note = f"Bổ sung từ {_d(e.added_on)}" + (f" (QĐ {e.added_decision})" if e.added_decision else "")
            if e.added_reason:
                note += f"; {e.added_reason}"
            group.lines.append(
                Line(
                    name=p.full_name,
                    born=p.birth_display,
                    sex=p.get_sex_display(),
                    ethnicity=p.ethnicity.name,
                    post="; ".join(posts.get(p.pk, [])) or unit_label(p.managing_unit_id),
                    professional=best.get((p.pk, KINDS[0]), (0, "—"))[1],
                    political=best.get((p.pk, KINDS[1]), (0, "—"))[1],
                    state_management=best.get((p.pk, KINDS[2]), (0, "—"))[1],
                    party=_d(party.get(p.pk)),
                    planned="; ".join(planned[p.pk]),
                    note=note,
                )
            )
        groups.append(group)
    removed = [
        f"{e.person.full_name} – {e.title.name}: đưa ra từ {_d(e.removed_on)}"
        + (f" (QĐ {e.removal_decision})" if e.removal_decision else "")
        + (f"; lý do: {e.removal_reason}" if e.removal_reason else "")
        for e in view.removed
    ]
    total = len(persons)
    ages = [age_at(p.birth_date, day) for p in persons.values()]
    bands = [
        Share(label, sum(1 for a in ages if (lo is None or a >= lo) and (hi is None or a <= hi)), total)
        for lo, hi, label in AGE_BANDS
    ]
    return PlanningDocument(
        planning_list=planning_list,
        day=day,
        unit_name=unit_label(planning_list.unit_id),
        title=(
            f"DANH SÁCH QUY HOẠCH {planning_list.get_kind_display().upper()} "
            f"NHIỆM KỲ {planning_list.term_label}"
        ),
        subtitle=f"{planning_list.name} – tại ngày {_d(day)}"
        + (f" (Quyết định số {planning_list.decision_number})" if planning_list.decision_number else ""),
        groups=groups,
        removed=removed,
        structure=[*view.structure, *bands],
        person_count=total,
        person_ids=ids,
    )
