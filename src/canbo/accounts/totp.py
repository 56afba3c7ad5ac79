"""The second factor (issue 21): TOTP codes from an authenticator app, by django-otp.

Off unless ``settings.CANBO_TOTP``. When on, a superuser, an administrator and every user with a
grant that includes sensitive sections must enrol an authenticator (``enrol``) and, after the
password, enter its 6-digit code (``verify``); until then ``TotpRequiredMiddleware`` sends every
page there and answers session-authenticated API calls 403 (token calls are not sessions and are
unaffected). A wrong code counts as a failed login for django-axes' lockout.
"""

from __future__ import annotations

import base64
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from canbo.accounts import services
from canbo.core.grants import user_grants

WRONG_CODE = "Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã 6 chữ số đang hiện trên ứng dụng xác thực."
# django-otp's own throttle: after a wrong code the next is checked only after 1, 2, 4 … seconds.
TOO_FAST = "Vừa nhập sai mã: hãy đợi vài giây rồi nhập mã đang hiện trên ứng dụng xác thực."


def totp_required(user: Any) -> bool:
    """Whether ``user`` must use the second factor (the setting on; a superuser, an administrator,
    or a grant with sensitive sections)."""
    if not settings.CANBO_TOTP or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(g.is_admin or g.include_sensitive for g in user_grants(user))


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def exempt_paths() -> tuple[str, ...]:
    return (reverse("totp_enrol"), reverse("totp_verify"), reverse("logout"), reverse("login"))


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _clean_code(request: HttpRequest) -> str:
    return "".join(request.POST.get("code", "").split())


def _wrong_code(request: HttpRequest, template: str, ctx: dict[str, Any], throttled: bool) -> HttpResponse:
    """Counts the wrong code as a failed login (django-axes); at the limit the user is logged
    out and ``AxesMiddleware`` answers with the Vietnamese lockout message (429)."""
    user = request.user
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        request.axes_locked_out = True  # type: ignore[attr-defined]
    return render(request, template, {**ctx, "error": TOO_FAST if throttled else WRONG_CODE}, status=400)


def _locked(request: HttpRequest) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": request.user.get_username()})


def _refuse_code(
    request: HttpRequest, device: Any, template: str, ctx: dict[str, Any]
) -> HttpResponse | None:
    """The answer to a posted code that does not pass (a locked user, a wrong code, or any code
    while django-otp throttles), or ``None`` for a good one."""
    if _locked(request):
        logout(request)
        request.axes_locked_out = True  # type: ignore[attr-defined]
        return HttpResponse(status=429)
    throttled = not device.verify_is_allowed()[0]
    if not device.verify_token(_clean_code(request)):  # refused too while throttled
        return _wrong_code(request, template, ctx, throttled)
    return None


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """ "Đăng ký xác thực hai bước": the secret (as text and as an otpauth:// address for the
    app), then a code from the app to confirm it."""
    user = request.user
    if confirmed_device(user) is not None:
        return HttpResponseRedirect(reverse("totp_verify") + "?next=" + _next_url(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
    secret = base64.b32encode(device.bin_key).decode()
    ctx = {
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "uri": device.config_url,
        "next": _next_url(request),
    }
    if request.method == "POST":
        refused = _refuse_code(request, device, "accounts/totp_enrol.html", ctx)
        if refused is not None:
            return refused
        services.totp_confirm(user=user, device=device)  # type: ignore[arg-type]
        otp_login(request, device)
        return HttpResponseRedirect(ctx["next"])
    response = render(request, "accounts/totp_enrol.html", ctx)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """ "Nhập mã xác thực": the 6-digit code after the password."""
    device = confirmed_device(request.user)
    if device is None:
        return HttpResponseRedirect(reverse("totp_enrol") + "?next=" + _next_url(request))
    ctx = {"next": _next_url(request)}
    if request.method == "POST":
        refused = _refuse_code(request, device, "accounts/totp_verify.html", ctx)
        if refused is not None:
            return refused
        otp_login(request, device)
        return HttpResponseRedirect(ctx["next"])
    return render(request, "accounts/totp_verify.html", ctx)
