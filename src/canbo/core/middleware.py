"""Middleware binding each request to a change-log context."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from canbo.core.context import bind_context


class RequestContextMiddleware:
    """Gives every request a request id that its change-log entries share."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = "api" if request.path.startswith("/api/") else "web"
        with bind_context(source=source) as ctx:
            request.request_id = ctx.request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
            response["X-Request-Id"] = str(ctx.request_id)
            return response


class BadParameterMiddleware:
    """Answers a page whose request parameter cannot be used (``core.params.BadParameter``)
    with the 400 page and its Vietnamese message, so a view only calls the shared parser.

    The API answers the same exception through its exception handler (``core.api``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from canbo.core.params import BadParameter
        from canbo.core.views import bad_request

        if isinstance(exception, BadParameter):
            return bad_request(request, exception.message)
        return None
