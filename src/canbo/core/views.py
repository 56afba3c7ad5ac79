"""Shared view plumbing: the "as of" date, error pages, home page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render

from canbo.core.dates import parse_as_of, stored_day, today

SESSION_KEY = "canbo_as_of"


class BadAsOf(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def as_of(request: HttpRequest) -> dt.date:
    """The page's "as of" date: ``?ngay=`` (remembered in the session), else the remembered one,
    else today. An unreadable date raises BadAsOf, which the views answer with 400."""
    raw = request.GET.get("ngay")
    if raw is not None:
        if raw.strip() in ("", "hom-nay"):
            request.session.pop(SESSION_KEY, None)
            return today()
        try:
            day = parse_as_of(raw)
        except ValidationError as exc:
            raise BadAsOf(exc.messages[0]) from exc
        request.session[SESSION_KEY] = day.isoformat()
        return day
    return stored_day(request.session.get(SESSION_KEY)) or today()


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "errors/400.html", {"message": message}, status=400)


def dated(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Function views: login required, and the page's ``?ngay=`` read once; an unreadable date
    answers 400 as on every other page. The view reads it with ``page_day``."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            request._as_of_day = as_of(request)  # type: ignore[attr-defined]
        except BadAsOf as exc:
            return bad_request(request, exc.message)
        return view(request, *args, **kwargs)

    return wrapper


def page_day(request: HttpRequest) -> dt.date:
    """The as-of date ``dated`` read for this request (today outside a ``dated`` view)."""
    return getattr(request, "_as_of_day", None) or today()


def dated_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """Template context with the page's as-of date, as ``AsOfMixin`` gives class views."""
    day = page_day(request)
    return {"as_of": day, "as_of_is_today": day == today(), **extra}


class AsOfMixin:
    """Class-based views: sets ``self.day`` and answers 400 for a bad ``?ngay=``."""

    day: dt.date

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            self.day = as_of(request)
        except BadAsOf as exc:
            return bad_request(request, exc.message)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)  # type: ignore[misc]
        ctx["as_of"] = self.day
        ctx["as_of_is_today"] = self.day == today()
        return ctx


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from canbo.accounts.menu import landing_url
    from canbo.org.models import Unit
    from canbo.people.models import Person
    from canbo.people.service_history import in_service_q

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
    from canbo.accounts.selectors import active_grants
    from canbo.org.models import Unit
    from canbo.org.selectors import unit_label_on

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


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", {"message": "Yêu cầu không hợp lệ."}, status=400)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "errors/400.html",
        {"message": "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và thử lại."},
        status=403,
    )
