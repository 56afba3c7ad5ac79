"""Middleware binding each request to a change-log context."""

import logging
import time
from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import add_never_cache_headers, get_max_age
from django.utils.functional import SimpleLazyObject
from whitenoise.middleware import WhiteNoiseMiddleware

from canbo.core.context import bind_context

request_log = logging.getLogger("canbo.request")


def error_reference(request_id: object) -> str:
    """The short reference an officer reads off an error page ("Mã lỗi: …"): the first eight
    hex digits of the request id, which starts the request's lines in the log."""
    return str(request_id)[:8]


def _user_id(request: HttpRequest) -> str:
    """The id of the request's user if something already looked it up, else "-": the log line
    adds no query to a page that did not read the session."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = getattr(request, "_cached_user", None)
    pk = getattr(user, "pk", None)
    return str(pk) if pk is not None else "-"


# The settings WhiteNoise's scan of the static files depends on: where the finders look, the URL
# prefix, the storage that names versioned files, and every WHITENOISE_* (the answers' headers).
_STATIC_SETTINGS = ("DEBUG", "STATIC_URL", "FORCE_SCRIPT_NAME", "STATICFILES_DIRS", "STATICFILES_FINDERS",
                    "INSTALLED_APPS", "STORAGES")  # fmt: skip


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise's middleware (settings ``WHITENOISE_*``), with the scan of the apps' static files
    (``add_files_from_finders``: each of the ~220 files found, stat'ed and given its headers) made
    once per process and settings, not once per instance.

    A server builds its middleware once per process, so nothing changes there. Django's test
    client builds it once per client, i.e. for almost every test: the scan was ~10 ms of CPU of
    each (2/3 of loading the middleware; docs/performance.md, "Session 14: the suite (slow15j)").
    The scan's result is the same for the same settings: without ``WHITENOISE_AUTOREFRESH`` a
    process never looks at the files again after it (a file changed on disk is only seen by a new
    process, as before); with it (``DEBUG``) WhiteNoise does not scan at all.
    """

    _scans: ClassVar[dict[str, dict[str, Any]]] = {}
    files: dict[str, Any]  # WhiteNoise's: URL → its file (untyped there)

    def add_files_from_finders(self) -> None:
        from django.conf import settings as current

        names = sorted(n for n in dir(current) if n.startswith("WHITENOISE_"))
        key = repr([(n, getattr(current, n, None)) for n in (*_STATIC_SETTINGS, *names)])
        scanned = self._scans.get(key)
        if scanned is None:
            # WhiteNoise's own scan, into an empty dictionary: what it adds over STATIC_ROOT's files.
            kept: dict[str, Any] = self.files
            fresh: dict[str, Any] = {}
            self.files = fresh
            try:
                super().add_files_from_finders()
                scanned = self._scans[key] = fresh
            finally:
                self.files = kept
        self.files.update(scanned)


class RequestContextMiddleware:
    """Gives every request a request id that its change-log entries, its read-log entries and its
    log lines share (``request.request_id``, answered as ``X-Request-ID``), and writes one log
    line per request: method, path without the query string (a search may carry a name), status,
    user id and duration in milliseconds. Nothing else of the request is logged.

    It comes first in MIDDLEWARE, so the line covers every other middleware; an error anywhere
    below it has already become the 500 (or 503) page of ``core.views`` when it gets the answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = "api" if request.path.startswith("/api/") else "web"
        start = time.perf_counter()
        with bind_context(source=source) as ctx:
            request.request_id = ctx.request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
            response["X-Request-ID"] = str(ctx.request_id)
            request_log.info(
                "%s %s %s user=%s ms=%.1f",
                request.method,
                request.path,
                response.status_code,
                _user_id(request),
                (time.perf_counter() - start) * 1000,
            )
            return response


class BadParameterMiddleware:
    """Answers a page whose request parameter cannot be used (``core.params.BadParameter``)
    with the 400 page and its Vietnamese message, so a view only calls the shared parser; any
    request (page or API) whose query string holds a NUL character with a 400 at once; and any
    form posted to a page (urlencoded or multipart: a field's name or value) holding one, so that
    no view (those that read ``request.POST`` themselves included) passes it to PostgreSQL, which
    refuses it in text (a 500).

    The API answers the same exception through its exception handler (``core.api``), and refuses
    a NUL in a body in its parsers (``core.api``), for every content type DRF reads.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from canbo.core.params import NUL_IN_BODY, NUL_IN_QUERY, UNREADABLE_FORM, contains_nul
        from canbo.core.views import bad_request

        api = request.path.startswith("/api/")
        if contains_nul(request.GET):  # before any view passes it to a lookup (core.params)
            if api:
                return JsonResponse({"detail": NUL_IN_QUERY, "code": "bad_parameter"}, status=400)
            return bad_request(request, NUL_IN_QUERY)
        if not api and request.method in ("POST", "PUT", "PATCH"):
            try:
                # The CSRF check reads the same parsed form just after: no second parse. (Django's
                # multipart parser already drops a NUL from an uploaded file's name.)
                if contains_nul(request.POST):
                    return bad_request(request, NUL_IN_BODY)
            except MultiPartParserError:
                return bad_request(request, UNREADABLE_FORM)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from canbo.core.params import BadParameter
        from canbo.core.views import bad_request

        if isinstance(exception, BadParameter):
            return bad_request(request, exception.message)
        return None


SESSION_SEEN_KEY = "_canbo_seen"


def mark_session_seen(request: HttpRequest) -> None:
    """Records now as the session's last write (at login: the first request writes nothing)."""
    request.session[SESSION_SEEN_KEY] = int(time.time())


class SessionIdleMiddleware:
    """Ends a logged-in session after ``SESSION_COOKIE_AGE`` seconds without a request.

    The database expiry of a session moves only when the session is saved. Saving it on every
    request (``SESSION_SAVE_EVERY_REQUEST``) would add a write to every page; this saves it when
    the last save is older than ``CANBO_SESSION_REFRESH_SECONDS``, so the idle limit holds to within
    that margin at one write a minute at most.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session this request already read (the user was looked up): no extra query.
        if session is None or not session.accessed or AUTH_SESSION_KEY not in session:
            return response
        seen = session.get(SESSION_SEEN_KEY)
        if not isinstance(seen, int) or time.time() - seen >= settings.CANBO_SESSION_REFRESH_SECONDS:
            mark_session_seen(request)
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer to a logged-in user (pages, exports,
    documents, attachments, the API): nothing of a dossier stays in a browser's or a proxy's
    cache. Static files are answered by WhiteNoise before this and stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            if get_max_age(response):
                del response["Cache-Control"]
            add_never_cache_headers(response)
        return response
