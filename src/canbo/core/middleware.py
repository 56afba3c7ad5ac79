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
