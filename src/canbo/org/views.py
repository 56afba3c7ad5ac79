"""Pages of the organisation: the unit tree as of a date, a unit's page, restructuring."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.generic import TemplateView

from canbo.core.links import pk_url
from canbo.core.querysets import CHANGE, VIEW
from canbo.core.views import AsOfMixin, BadAsOf, as_of, bad_request
from canbo.org import selectors
from canbo.org.choices import UnitKind
from canbo.org.models import Unit, UnitLineage, in_force_q
from canbo.org.services import can_restructure


def _unit_or_404(user: Any, pk: int, action: str = "view", *, former_names: bool = False) -> Unit:
    qs = Unit.objects.restrict(user, action).filter(pk=pk).select_related("area")
    # The unit page names it as on the day and lists its former names: one read for both.
    unit = (qs.prefetch_related("former_names") if former_names else qs).first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    return unit


class UnitTreeView(LoginRequiredMixin, AsOfMixin, TemplateView):
    """The unit tree as it stood on the as-of date; sub-units load on demand (htmx)."""

    template_name = "org/unit_tree.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        text = self.request.GET.get("q", "").strip()[:100]
        user = self.request.user
        if text:
            ctx["results"] = selectors.unit_search(user, text, self.day)
        roots = selectors.visible_roots(user, self.day)
        for root in roots:  # named as on the day (their former names are prefetched)
            root.name_on_day = root.name_on(self.day)
        ctx["nodes"] = [(r, selectors.children_on(user, r, self.day)) for r in roots]
        ctx["q"] = text
        ctx["ended"] = selectors.ended_grant_units(user, self.day)
        return ctx


def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx partial: the sub-units of one unit as of the date."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    try:
        day = as_of(request)
    except BadAsOf as exc:
        return bad_request(request, exc.message)
    unit = _unit_or_404(request.user, pk)
    children = selectors.children_on(request.user, unit, day)
    return render(request, "org/_unit_children.html", {"children": children, "as_of": day})


class UnitDetailView(LoginRequiredMixin, AsOfMixin, TemplateView):
    template_name = "org/unit_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        unit = _unit_or_404(user, kwargs["pk"], former_names=True)
        # The links to and from the unit in one query, in the order of their ids (as each
        # direction's own query returned them through its index).
        links = list(
            UnitLineage.objects.filter(Q(successor=unit.pk) | Q(predecessor=unit.pk))
            .select_related("predecessor", "successor")
            .order_by("id")
        )
        predecessors = [link for link in links if link.successor_id == unit.pk]
        successors = [link for link in links if link.predecessor_id == unit.pk]
        can_change = selectors.unit_in_scope(user, unit, CHANGE)
        linked = [link.predecessor for link in predecessors] + [link.successor for link in successors]
        prefixes = [unit.path[:end] for end in range(Unit.steplen, len(unit.path), Unit.steplen)]
        tenures = list(selectors.unit_people_on(user, unit, self.day)[:200])
        person_url = pk_url("people:detail")  # one reverse for up to 200 rows
        for t in tenures:
            t.person_url = person_url(t.person_id)
        ctx.update(
            {
                "unit": unit,
                "name_on_day": unit.name_on(self.day),
                "in_force": unit.in_force_on(self.day),
                # The ancestors are the prefixes of its path (one query, not two).
                "ancestors": list(Unit.objects.restrict(user).filter(path__in=prefixes)),
                "children": selectors.children_on(user, unit, self.day),
                "tenures": tenures,
                "tenure_rows": tenure_rows(tenures),
                "posts": unit.posts.filter(in_force_q(self.day))
                .select_related("title")
                .order_by("-title__rank"),
                "former_names": unit.former_names.all(),
                "predecessors": predecessors,
                "successors": successors,
                # Former and successor units outside the user's grants are named, not linked
                # (their page answers 404 to him).
                "linkable": {u.pk for u in linked if selectors.unit_in_scope(user, u)},
                "can_change": can_change,
                # Restructuring is a decision of the level above: a grant on the parent.
                "can_restructure": can_change and can_restructure(user, unit),
                "history": selectors.unit_history(unit),
            }
        )
        return ctx


_NO_TENURE = (
    '<tr><td colspan="4" class="muted">Không có cán bộ giữ chức vụ tại đơn vị vào ngày này.</td></tr>\n    '
)


def tenure_rows(tenures: list[Any]) -> SafeString:
    """The unit page's table of the posts held on the day, as its template's loop wrote it
    (a loop with a link, a condition, a choice label and a date filter per row was a sixth of
    the page at 40,000 people; issue 22). Each row's ``person_url`` is set by the view."""
    if not tenures:
        return mark_safe(_NO_TENURE)  # noqa: S308 (a constant)
    rows = []
    for t in tenures:
        extra = " (kiêm nhiệm)" if not t.is_primary else ""
        d = t.start_date
        start = f"{d.day:02d}/{d.month:02d}/{d.year:04d}" if d else ""
        rows.append(
            format_html(
                '\n      <tr><td><a href="{}">{}</a></td><td>{}{}</td><td>{}</td><td>{}</td></tr>\n    ',
                t.person_url,
                t.person.full_name,
                t.title.name,
                extra,
                t.get_kind_display(),
                start,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (each row escaped by format_html)


def unit_pick(request: HttpRequest) -> HttpResponse:
    """htmx partial of the unit picker: units of the user's scope matching ``tim`` (accents and
    case ignored), the sub-units of ``cha``, or the scope's top units; each with its path.
    ``pham_vi=sua`` offers only units the user may change, ``mo=1`` only units not closed."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    raw_parent = request.GET.get("cha", "").strip()
    parent = None
    if raw_parent:
        if not (raw_parent.isascii() and raw_parent.isdigit() and len(raw_parent) < 19):
            return bad_request(request, "Mã đơn vị (cha) phải là số.")
        parent = int(raw_parent)
    text = request.GET.get("tim", "").strip()[:100]
    action = CHANGE if request.GET.get("pham_vi") == "sua" else VIEW
    open_only = request.GET.get("mo") == "1"
    kinds = tuple(k for k in request.GET.get("loai", "").split(",") if k in UnitKind.values)
    found = selectors.unit_pick(
        request.user,
        text=text,
        parent=parent,
        action=action,
        open_only=open_only,
        kinds=kinds,
        limit=selectors.PICKER_LIMIT + 1,
    )
    query = urlencode(
        {"pham_vi": request.GET.get("pham_vi", ""), "mo": "1" if open_only else "", "loai": ",".join(kinds)}
    )
    ctx = {
        "units": found[: selectors.PICKER_LIMIT],
        "more": len(found) > selectors.PICKER_LIMIT,
        "text": text,
        "query": query,
        "url": reverse("org:pick"),
        "what": "đơn vị",
        "scoped": True,
    }
    return render(request, "org/_unit_pick.html", ctx)


def area_pick(request: HttpRequest) -> HttpResponse:
    """htmx partial of the area picker: areas matching ``tim``, the sub-areas of ``cha``, or
    the provinces, each with its parent."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    raw_parent = request.GET.get("cha", "").strip()
    parent = None
    if raw_parent:
        if not (raw_parent.isascii() and raw_parent.isdigit() and len(raw_parent) < 19):
            return bad_request(request, "Mã đơn vị hành chính (cha) phải là số.")
        parent = int(raw_parent)
    text = request.GET.get("tim", "").strip()[:100]
    found = selectors.area_pick(text=text, parent=parent, limit=selectors.PICKER_LIMIT + 1)
    ctx = {
        "units": found[: selectors.PICKER_LIMIT],
        "more": len(found) > selectors.PICKER_LIMIT,
        "text": text,
        "query": "",
        "url": reverse("org:pick_area"),
        "what": "đơn vị hành chính",
        "scoped": False,
    }
    return render(request, "org/_unit_pick.html", ctx)
