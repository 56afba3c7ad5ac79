"""Reads of the organisation, limited to the user's grants and read as of a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from canbo.accounts.selectors import active_grants
from canbo.careers.models import Tenure, on_date_q
from canbo.core.models import ObjectChange
from canbo.org.models import Post, StaffingQuota, Title, Unit, in_force_q
from canbo.people.models import Person


def visible_roots(user: Any, day: dt.date) -> list[Unit]:
    """The topmost units the user may see that were in force on ``day``.

    For a superuser these are the tree roots; otherwise the units his grants are bound to
    (without those nested in another grant's subtree). Grants on a unit that ended show the
    units in force under it.
    """
    if getattr(user, "is_superuser", False):
        base = list(Unit.objects.get_root_nodes())
    else:
        paths = sorted({g.unit_path for g in active_grants(user) if g.unit_path})
        tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        base = list(Unit.objects.filter(path__in=tops))
    out: list[Unit] = []
    for unit in base:
        if unit.in_force_on(day):
            out.append(unit)
        else:
            out.extend(children_on(user, unit, day))
    return out


def ended_grant_units(user: Any, day: dt.date) -> list[Unit]:
    """Units the user's grants are bound to that had already ended on ``day`` (for a notice)."""
    if getattr(user, "is_superuser", False):
        return []
    ids = [g.unit_id for g in active_grants(user) if g.unit_id]
    return list(Unit.objects.filter(pk__in=ids, valid_to__lt=day))


def children_on(user: Any, unit: Unit, day: dt.date) -> list[Unit]:
    """Direct sub-units of ``unit`` in force on ``day``, with how many sub-units each has then."""
    qs: QuerySet[Unit] = (
        Unit.objects.restrict(user)
        .filter(path__startswith=unit.path, depth=unit.depth + 1)
        .filter(in_force_q(day))
        .prefetch_related("former_names")
    )
    units = list(qs)
    if units:
        counts = dict(
            Unit.objects.filter(in_force_q(day))
            .filter(depth=unit.depth + 2, path__startswith=unit.path)
            .values_list("path")
            .annotate(n=Count("id"))
            .values_list("path", "n")
        )
        child_count: dict[str, int] = {}
        for path, _n in counts.items():
            key = path[: len(unit.path) + Unit.steplen]
            child_count[key] = child_count.get(key, 0) + 1
        for u in units:
            u.children_on_day = child_count.get(u.path, 0)
    return units


def unit_people_on(user: Any, unit: Unit, day: dt.date, *, subtree: bool = False) -> QuerySet[Tenure]:
    """Tenures held in the unit (or its subtree) on ``day``, visible to the user."""
    qs = Tenure.objects.restrict(user).filter(on_date_q(day))
    qs = qs.filter(unit__path__startswith=unit.path) if subtree else qs.filter(unit=unit)
    return qs.select_related("person", "title", "unit").order_by("-title__rank", "person__sort_key")


def unit_history(unit: Unit, limit: int = 50) -> list[ObjectChange]:
    """Change-log entries of the unit itself (creation, renames, closing), newest first."""
    ct = ContentType.objects.get_for_model(Unit)
    return list(
        ObjectChange.objects.filter(content_type=ct, object_id=unit.pk).order_by("-time", "-id")[:limit]
    )


def unit_search(user: Any, text: str, day: dt.date) -> QuerySet[Unit]:
    text = text.strip()
    return (
        Unit.objects.restrict(user)
        .filter(in_force_q(day))
        .filter(Q(name__icontains=text) | Q(code__iexact=text))
        .order_by("path")[:100]
    )


# Posts and vacancies


@dataclass
class PostRow:
    """One post (or a title held without a post) in a unit on a day, with who holds it."""

    unit: Unit
    title: Title
    seats: int
    holders: list[Tenure]
    post: Post | None

    @property
    def held(self) -> int:
        return len(self.holders)

    @property
    def empty(self) -> int:
        return max(self.seats - self.held, 0)

    @property
    def over(self) -> int:
        return max(self.held - self.seats, 0)


def vacancies_on(user: Any, root: Unit, day: dt.date) -> list[PostRow]:
    """The seats of every post in force on ``day`` in ``root``'s subtree, who holds them (the
    tenures running that day at that unit with that title), and the titles held with no post.

    Two queries whatever the size of the subtree; rows in tree order, senior titles first.
    """
    posts = list(
        Post.objects.restrict(user)
        .filter(unit__path__startswith=root.path)
        .filter(in_force_q(day))
        .select_related("unit", "title")
    )
    tenures = list(
        Tenure.objects.restrict(user)
        .filter(unit__path__startswith=root.path)
        .filter(on_date_q(day))
        .select_related("person", "unit", "title")
        .order_by("person__sort_key")
    )
    by_key: dict[tuple[int, int], list[Tenure]] = {}
    for t in tenures:
        by_key.setdefault((t.unit_id, t.title_id), []).append(t)
    rows: dict[tuple[int, int], PostRow] = {}
    for p in posts:
        key = (p.unit_id, p.title_id)
        if key in rows:  # two posts of one title in force the same day: add their seats
            rows[key].seats += p.seats
            continue
        rows[key] = PostRow(unit=p.unit, title=p.title, seats=p.seats, holders=by_key.get(key, []), post=p)
    for key, held in by_key.items():
        if key not in rows:
            rows[key] = PostRow(unit=held[0].unit, title=held[0].title, seats=0, holders=held, post=None)
    return sorted(rows.values(), key=lambda r: (r.unit.path, -r.title.rank, r.title.name))


# Staffing quotas


def staff_counts_on(units: list[Unit], day: dt.date) -> dict[int, dict[str, int]]:
    """Civil servants and public employees counted against each unit's quota on ``day``.

    SWITCH POINT: until "in service on a date" lands in people/, a person counts for the unit
    that manages his dossier (``managing_unit``), by his category, unless he left service on
    or before ``day``. Replace the body with the people selector when it is merged.
    """
    counts: dict[int, dict[str, int]] = {u.pk: {"cong_chuc": 0, "vien_chuc": 0} for u in units}
    rows = (
        Person.objects.filter(managing_unit__in=units, category__in=("cong_chuc", "vien_chuc"))
        .filter(Q(left_service_date__isnull=True) | Q(left_service_date__gt=day))
        .values_list("managing_unit_id", "category")
        .annotate(n=Count("id"))
    )
    for unit_id, category, n in rows:
        counts[unit_id][category] += n
    return counts


@dataclass
class QuotaRow:
    unit: Unit
    quota: StaffingQuota | None
    civil_servants: int
    public_employees: int

    @property
    def civil_gap(self) -> int | None:
        return None if self.quota is None else self.quota.civil_servants - self.civil_servants

    @property
    def public_gap(self) -> int | None:
        return None if self.quota is None else self.quota.public_employees - self.public_employees


def quotas_on(user: Any, root: Unit, day: dt.date) -> list[QuotaRow]:
    """For each unit of ``root``'s subtree in force on ``day``: the quota of ``day``'s year
    and the people counted against it (``staff_counts_on``), with the gap (quota − people)."""
    units = list(Unit.objects.restrict(user).filter(path__startswith=root.path).filter(in_force_q(day)))
    quotas = {
        q.unit_id: q for q in StaffingQuota.objects.restrict(user).filter(unit__in=units, year=day.year)
    }
    counts = staff_counts_on(units, day)
    return [
        QuotaRow(
            unit=u,
            quota=quotas.get(u.pk),
            civil_servants=counts[u.pk]["cong_chuc"],
            public_employees=counts[u.pk]["vien_chuc"],
        )
        for u in units
        if u.pk in quotas or counts[u.pk]["cong_chuc"] or counts[u.pk]["vien_chuc"]
    ]
