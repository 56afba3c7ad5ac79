"""Shared view plumbing: the "as of" date, error pages (the home page is ``accounts.home``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
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
