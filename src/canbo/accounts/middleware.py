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
            from canbo.accounts.totp import exempt_paths

            allowed = (reverse("accounts:password"), *exempt_paths())
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


class TotpRequiredMiddleware:
    """With ``settings.CANBO_TOTP`` on, a logged-in user who must use the second factor
    (``accounts.totp.totp_required``) and whose session has not entered a code is sent to enter
    one (or to enrol first); a session-authenticated API call answers 403. Off: nothing is read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        if not settings.CANBO_TOTP:
            return self.get_response(request)
        from canbo.accounts.totp import confirmed_device, exempt_paths, totp_required

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and request.path not in exempt_paths()
            and not request.path.startswith("/static/")
            and totp_required(user)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {
                        "detail": "Phiên đăng nhập chưa nhập mã xác thực hai bước.",
                        "code": "second_factor_required",
                    },
                    status=403,
                )
            name = "totp_verify" if confirmed_device(user) is not None else "totp_enrol"
            from urllib.parse import quote

            return HttpResponseRedirect(reverse(name) + "?next=" + quote(request.get_full_path()))
        return self.get_response(request)
