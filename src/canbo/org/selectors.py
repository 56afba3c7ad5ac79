"""Reads of the organisation, limited to the user's grants and read as of a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from canbo.accounts.selectors import active_grants
from canbo.careers.models import Tenure, on_date_q
from canbo.core.models import ObjectChange
from canbo.org.models import Unit, in_force_q


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
