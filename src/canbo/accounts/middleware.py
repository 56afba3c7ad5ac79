"""Sends a user whose password an administrator set to the change-password page first."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from canbo.accounts.views import MUST_CHANGE_KEY


class PasswordChangeRequiredMiddleware:
    """While the session carries the flag the login set (``LoginView``), every page but the
    change-password page and logging out redirects there. The flag lives in the session, read
    anyway, so other requests cost no query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(MUST_CHANGE_KEY) and request.user.is_authenticated:
            allowed = (reverse("accounts:password"), reverse("logout"), reverse("login"))
            if request.path not in allowed and not request.path.startswith("/static/"):
                if request.path.startswith("/api/"):
                    from django.http import JsonResponse

                    return JsonResponse(
                        {
                            "detail": "Bạn phải đổi mật khẩu trước khi tiếp tục.",
                            "code": "password_change_required",
                        },
                        status=403,
                    )
                return HttpResponseRedirect(reverse("accounts:password"))
        return self.get_response(request)
