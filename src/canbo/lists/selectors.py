"""The filtered person list, shared by the list page, the export and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, QueryDict

from canbo.lists.filters import PersonFilterForm, apply_filters, unit_holders
from canbo.org.models import Unit
from canbo.people.search import name_results
from canbo.people.selectors import person_queryset


def filtered_persons(
    user: Any, params: QueryDict, day: dt.date, *, paged: bool = False, exact_count: bool = True
) -> tuple[PersonFilterForm, Unit | None, Any]:
    """(bound form, unit, queryset ordered by Vietnamese name order), or (invalid form, None, None).

    The queryset is always over the user's grants; an unknown or unreachable unit is a 404.
    With ``paged`` a name query gives ``people.search.NameSearchResults`` instead (count and
    slices, for a paginator), which reads the pages from the name-word index; its count stops at
    ``COUNT_CAP`` unless ``exact_count``.
    """
    form = PersonFilterForm(params)
    if not form.is_valid():
        return form, None, None
    unit = None
    unit_id = form.cleaned_data.get("don_vi")
    if unit_id is not None:
        unit = Unit.objects.restrict(user).filter(pk=unit_id).first()
        if unit is None:
            raise Http404("Không tìm thấy đơn vị.")
    base = person_queryset(user).select_related("managing_unit", "ethnicity", "religion", "home_town")
    if paged:
        others = apply_filters(base, form.cleaned_data, unit=unit, day=day, user=user, with_name=False)
        # A unit's list: its subtree's dossiers, and those holding a post there.
        within = None
        plain = others is base  # ``apply_filters`` gives ``base`` itself when no filter applies
        if unit is not None and form.cleaned_data.get("chi_tieu_definition") is None:
            within = (unit, unit_holders(unit, day))
            unfiltered = apply_filters(
                base, form.cleaned_data, unit=None, day=day, user=user, with_name=False
            )
            plain = unfiltered is base  # no filter besides the unit
        results = name_results(
            others.order_by("sort_key", "id"),
            form.cleaned_data.get("q") or "",
            exact_count=exact_count,
            user=user,
            grants_only=plain,
            within=within,
        )
        return form, unit, results
    qs = apply_filters(base, form.cleaned_data, unit=unit, day=day, user=user).order_by("sort_key", "id")
    return form, unit, qs
