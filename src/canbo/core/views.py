"""Shared view plumbing: the "as of" date, error pages (the home page is ``accounts.home``)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template import loader

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
    if database_fault(exception) is not None:  # the session could not be written
        return database_unavailable(request, exception)
    return render(request, "errors/400.html", {"message": "Yêu cầu không hợp lệ."}, status=400)


DB_BUSY_RETRY_SECONDS = 5
DB_DOWN_RETRY_SECONDS = 30


def database_fault(exc: BaseException | None) -> str | None:
    """ "busy" for a database that stayed locked past its timeout (SQLite's "database is locked",
    a PostgreSQL lock or serialization conflict), "down" for one that cannot be reached or used,
    None for any other error. The exception's causes count too: Django's session store turns a
    failed session write into ``SessionInterrupted`` (a 400) raised from the database error."""
    seen = 0
    while exc is not None and not isinstance(exc, OperationalError | InterfaceError) and seen < 5:
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    if not isinstance(exc, OperationalError | InterfaceError):
        return None
    cause = exc.__cause__
    text = str(exc).lower()
    if "database is locked" in text or "database table is locked" in text:
        return "busy"
    if type(cause).__name__ in ("LockNotAvailable", "SerializationFailure", "DeadlockDetected"):
        return "busy"
    return "down"


def _standalone(request: HttpRequest, template: str, context: dict[str, Any], status: int) -> HttpResponse:
    """An error answer that needs nothing more from the database: no context processors (they
    read the user and the menu), JSON under /api/."""
    if request.path.startswith("/api/"):
        body = {"detail": context["message"], "code": context["code"], "reference": context["reference"]}
        return JsonResponse(body, status=status)
    return HttpResponse(loader.render_to_string(template, context), status=status)


def error_500(request: HttpRequest) -> HttpResponse:
    """An unexpected error: the page shows the reference under which the log holds the
    traceback ("Mã lỗi", core.middleware.error_reference). A database that does not answer, or
    stays locked past its timeout, is no error of the page: 503 with Retry-After instead."""
    from canbo.core.middleware import error_reference

    exc = sys.exc_info()[1]
    if database_fault(exc) is not None:
        return database_unavailable(request, exc)
    reference = error_reference(getattr(request, "request_id", "") or "")
    context = {
        "message": "Đã có lỗi ở máy chủ; thao tác chưa được thực hiện. Hãy báo cho quản trị hệ thống "
        f"kèm mã lỗi {reference}.",
        "code": "server_error",
        "reference": reference,
    }
    return _standalone(request, "errors/500.html", context, 500)


def database_unavailable(request: HttpRequest, exc: BaseException | None) -> HttpResponse:
    """503 with Retry-After, in Vietnamese (JSON under /api/), for a database fault."""
    from canbo.core.middleware import error_reference

    reference = error_reference(getattr(request, "request_id", "") or "")
    busy = database_fault(exc) == "busy"
    message = (
        "Cơ sở dữ liệu đang bận vì có thao tác khác đang ghi. Hãy thử lại sau ít giây."
        if busy
        else "Không kết nối được cơ sở dữ liệu. Hệ thống tạm ngừng phục vụ; hãy thử lại sau "
        "hoặc báo cho quản trị hệ thống."
    )
    code = "db_busy" if busy else "db_unavailable"
    context = {"message": message, "code": code, "reference": reference}
    response = _standalone(request, "errors/503.html", context, 503)
    response["Retry-After"] = str(DB_BUSY_RETRY_SECONDS if busy else DB_DOWN_RETRY_SECONDS)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "errors/400.html",
        {"message": "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và thử lại."},
        status=403,
    )
