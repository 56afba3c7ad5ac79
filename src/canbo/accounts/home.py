"""The home page: the person role lands on his own dossier; others see how many units and
people their grants open on the day, and why none if their granted units are not in force."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from canbo.accounts.menu import landing_url
from canbo.accounts.selectors import active_grants
from canbo.core.dates import today
from canbo.core.views import BadAsOf, as_of, bad_request
from canbo.org.models import Unit
from canbo.org.selectors import unit_label_on
from canbo.people.models import Person
from canbo.people.service_history import in_service_q


@login_required
def home(request: HttpRequest) -> HttpResponse:
    landing = landing_url(request.user)
    if landing is not None:  # the person role lands on his own dossier (the date goes along)
        query = request.GET.urlencode()
        return HttpResponseRedirect(f"{landing}?{query}" if query else landing)
    try:
        day = as_of(request)
    except BadAsOf as exc:
        return bad_request(request, exc.message)
    roots = Unit.objects.restrict(request.user).in_force(day)
    ctx = {
        "as_of": day,
        "as_of_is_today": day == today(),
        # The people in service on the day, as the list shows by default.
        "person_count": Person.objects.restrict(request.user).filter(in_service_q(day)).count(),
        "unit_count": roots.count(),
    }
    if ctx["unit_count"] == 0:
        ctx["grant_hint"] = granted_units_hint(request.user, day)
    else:
        from canbo.salary.agenda import month_agenda

        ctx["agenda"] = month_agenda(request.user, day)
    return render(request, "home.html", ctx)


def granted_units_hint(user: Any, day: dt.date) -> dict[str, Any] | None:
    """Why a user with unit grants sees no unit on ``day``: his granted units had ended by then
    (a district closed on 30/06/2025) or had not started yet. A message, and the day on which
    to see them (the last day in force of the latest-ending unit, or the first day of the
    earliest-starting one); None when the user holds no unit grant or a granted unit is in force.
    """
    unit_ids = {g.unit_id for g in active_grants(user) if g.unit_id is not None}
    if not unit_ids:
        return None
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("name", "pk"))
    if not units or any(u.in_force_on(day) for u in units):
        return None
    ended = [u for u in units if u.valid_to is not None and u.valid_to < day]
    if ended:
        last = max(u.valid_to for u in ended if u.valid_to is not None)
        names = ", ".join(unit_label_on(u, u.valid_to or last) for u in ended)
        ends = {u.valid_to for u in ended}
        when = f"ngày {last:%d/%m/%Y}" if len(ends) == 1 else f"(muộn nhất ngày {last:%d/%m/%Y})"
        message = (
            f"Đơn vị bạn được giao ({names}) đã kết thúc {when}; xem tại một ngày trước đó hoặc "
            "liên hệ quản trị để được giao quyền trên đơn vị mới."
        )
        return {"message": message, "day": last}
    first = min(u.valid_from for u in units if u.valid_from is not None)
    names = ", ".join(unit_label_on(u, u.valid_from or first) for u in units)
    message = (
        f"Đơn vị bạn được giao ({names}) có hiệu lực từ ngày {first:%d/%m/%Y}; xem tại ngày đó trở về sau."
    )
    return {"message": message, "day": first}
