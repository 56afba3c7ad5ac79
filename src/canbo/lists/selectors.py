"""The filtered person list, shared by the list page, the export and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.http import Http404, QueryDict

from canbo.lists.columns import PERSON_RELATIONS, person_fields
from canbo.lists.filters import PersonFilterForm, apply_filters, unit_holders
from canbo.lists.kept import KeptCount, KeptSearch
from canbo.org.models import Unit
from canbo.people.search import NameSearchResults, name_results
from canbo.people.selectors import person_queryset


def filtered_persons(
    user: Any,
    params: QueryDict,
    day: dt.date,
    *,
    paged: bool = False,
    exact_count: bool = True,
    columns: Sequence[str] | None = None,
    stamp: tuple[int, str] | None = None,
    in_flight: tuple[str, ...] = (),
) -> tuple[PersonFilterForm, Unit | None, Any]:
    """(bound form, unit, queryset ordered by Vietnamese name order), or (invalid form, None, None).

    The queryset is always over the user's grants; an unknown or unreachable unit is a 404.
    With ``paged`` a name query gives ``people.search.NameSearchResults`` instead (count and
    slices, for a paginator), which reads the pages from the name-word index; its count stops at
    ``COUNT_CAP`` unless ``exact_count``.

    With ``columns`` (the keys of the columns a page shows) the persons are read with only the
    fields and relations those columns need (``lists.columns.PERSON_FIELDS``), as the export
    does: a page of 50 built nearly a hundred fields and four related rows per person, and the
    join of the managing unit led SQLite to walk the units first on a unit's list (issue 22).

    With ``paged`` and ``stamp`` (the change log's newest entry, ``core.conditional.latest_change``)
    the count and the pages' ids are kept per process until a change that may alter them
    (``lists.kept``; ``in_flight``: the writes in flight when ``stamp`` was read,
    ``core.conditional.writes_in_flight``).
    """
    form = PersonFilterForm(params, stamp=stamp)
    if not form.is_valid():
        return form, None, None
    unit = None
    unit_id = form.cleaned_data.get("don_vi")
    if unit_id is not None:
        # Its former names once, for the heading and the description (both name it as on the day).
        unit = Unit.objects.restrict(user).filter(pk=unit_id).prefetch_related("former_names").first()
        if unit is None:
            raise Http404("Không tìm thấy đơn vị.")
    fields = person_fields(columns) if columns is not None else None
    if fields is not None and columns is not None:
        # The managing unit's name comes from the unit labels (``Context.units``), not a join.
        related = {PERSON_RELATIONS[k] for k in columns if k in PERSON_RELATIONS}
        relations = sorted(related - {"managing_unit"})
        base = person_queryset(user).select_related(*relations).only(*fields)
    else:
        base = person_queryset(user).select_related("managing_unit", "ethnicity", "religion", "home_town")
    if paged:
        others = apply_filters(base, form.cleaned_data, unit=unit, day=day, user=user, with_name=False)
        # A unit's list: its subtree's dossiers, and those holding a post there.
        within = None
        plain = others is base  # ``apply_filters`` gives ``base`` itself when no filter applies
        query = form.cleaned_data.get("q") or ""
        # Only a name search reads the unit's holders and ``plain`` (``people.search.unit_scope``):
        # a unit's list without a name builds neither (issue 22).
        if query.strip() and unit is not None and form.cleaned_data.get("chi_tieu_definition") is None:
            within = (unit, unit_holders(unit, day))
            unfiltered = apply_filters(
                base, form.cleaned_data, unit=None, day=day, user=user, with_name=False
            )
            plain = unfiltered is base  # no filter besides the unit
        results = name_results(
            others.order_by("sort_key", "id"),
            query,
            exact_count=exact_count,
            user=user,
            grants_only=plain,
            within=within,
        )
        if stamp is not None:
            if isinstance(results, NameSearchResults):
                results = KeptSearch(results.keep(stamp, in_flight))
            else:  # a page asked again is read by its ids through ``base`` (the user's grants)
                results = KeptCount(results, stamp, reader=base, in_flight=in_flight)
        return form, unit, results
    qs = apply_filters(base, form.cleaned_data, unit=unit, day=day, user=user).order_by("sort_key", "id")
    return form, unit, qs
