"""CanBo's routes plus pages that fail, for the error-page and log tests (test_operations)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from canbo.urls import handler400, handler403, handler404, handler500
from canbo.urls import urlpatterns as canbo_urls


def crash(request: HttpRequest) -> HttpResponse:
    raise ZeroDivisionError("a bug in a page")


@api_view(["GET"])
def api_crash(request: Request) -> Response:
    raise ZeroDivisionError("a bug in the API")


def write(request: HttpRequest) -> HttpResponse:
    """Writes a row in a transaction (as every service does)."""
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone

    with transaction.atomic():
        Session.objects.create(
            session_key=f"k{timezone.now().timestamp()}", session_data="", expire_date=timezone.now()
        )
    return HttpResponse("ok")


def touch_session(request: HttpRequest) -> HttpResponse:
    """Writes the session: with another writer holding SQLite's lock, the write waits its timeout."""
    request.session["seen"] = request.session.get("seen", 0) + 1
    return HttpResponse("ok")


urlpatterns = [
    path("loi-thu/", crash),
    path("api/loi-thu/", api_crash),
    path("ghi-phien/", touch_session),
    path("ghi/", write),
    *canbo_urls,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
