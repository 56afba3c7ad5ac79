"""Account pages: "Tài khoản của tôi" for everyone; users and grants for administrators.

Every write is one form → one service → a redirect with a confirmation (``ServiceFormView``);
a refused write answers 400 with the service's Vietnamese message on the form. Users outside
the administrator's reach (``managed_users``) answer 404, as a missing one would.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from canbo.accounts import selectors, services
from canbo.accounts.forms import (
    ApiTokenForm,
    ExceptionRightForm,
    GrantForm,
    OwnPasswordForm,
    PasswordResetForm,
    RequiredReasonForm,
    UserCreateForm,
)
from canbo.accounts.models import Account, ApiToken, Grant, Role
from canbo.core.errors import DomainError
from canbo.core.form_views import ServiceFormView as BaseServiceFormView
from canbo.core.form_views import refuse

MUST_CHANGE_KEY = "canbo_must_change_password"


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Đã nhập sai mật khẩu {settings.AXES_FAILURE_LIMIT} lần: tạm khóa đăng nhập trong {minutes} phút. "
        "Hãy thử lại sau, hoặc đề nghị quản trị viên mở khóa."
    )


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """django-axes' answer to a locked user or address (settings.AXES_LOCKOUT_CALLABLE): the login
    page with the Vietnamese message, or the API's JSON error; 429 either way."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    # Unbound: a bound form would authenticate again when the page shows its errors.
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    return render(request, "registration/login.html", {"form": form, "lockout": message}, status=429)


class LoginView(auth_views.LoginView):
    """Django's login, plus: a user whose password an administrator set is sent to change it."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if Account.objects.filter(user=form.get_user(), must_change_password=True).exists():
            self.request.session[MUST_CHANGE_KEY] = True
            return HttpResponseRedirect(reverse("accounts:password"))
        return response


class ServiceFormView(BaseServiceFormView):
    """The project's generic write page (core.form_views) with accounts' template; every form
    here asks for a reason unless it says otherwise."""

    form_class: type[forms.Form] | None = RequiredReasonForm
    template_name = "accounts/form.html"


def _require_admin(request: HttpRequest) -> None:
    if not selectors.is_admin(request.user):
        raise Http404


def _managed_user(request: HttpRequest, pk: int) -> User:
    _require_admin(request)
    return get_object_or_404(selectors.managed_users(request.user), pk=pk)


# --- everyone ------------------------------------------------------------------------------


@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    """ "Tài khoản của tôi": the user's grants, who gave each and when."""
    ctx = {"grants": selectors.grants_of(request.user)}
    return render(request, "accounts/me.html", ctx)


class PasswordChangeView(ServiceFormView):
    form_class = OwnPasswordForm
    heading = "Đổi mật khẩu"
    submit = "Đổi mật khẩu"

    def context(self) -> dict[str, Any]:
        return {"must_change": bool(self.request.session.get(MUST_CHANGE_KEY))}

    def perform(self, form: forms.Form) -> str:
        user = self.request.user
        services.user_password_change(
            user=user,  # type: ignore[arg-type]
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["password1"],
        )
        update_session_auth_hash(self.request, user)  # type: ignore[arg-type]
        self.request.session.pop(MUST_CHANGE_KEY, None)
        return "Đã đổi mật khẩu."

    def success_url(self) -> str:
        return reverse("accounts:me")


# --- administrators ------------------------------------------------------------------------


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    query = request.GET.get("q", "").strip()
    users = selectors.managed_users(request.user).order_by("username")
    if query:
        users = users.filter(username__icontains=query) | users.filter(last_name__icontains=query)
    rows = list(users.prefetch_related("grants__unit", "grants__person")[:500])
    return render(request, "accounts/user_list.html", {"users": rows, "q": query})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = _managed_user(request, pk)
    account = Account.objects.filter(user=target).first()
    ctx = {
        "target": target,
        "grants": selectors.grants_of(target),
        "must_change": bool(account and account.must_change_password),
        "second_factor": TOTPDevice.objects.filter(user=target, confirmed=True).exists(),
        "exception_right": services.has_exception_right(target),
        "tokens": ApiToken.objects.filter(grant__user=target)
        .select_related("grant__unit")
        .order_by("-created"),
    }
    return render(request, "accounts/user_detail.html", ctx)


def _grant_args(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "role": data["role"],
        "unit": data["unit"],
        "person": data["person"],
        "include_sensitive": data["include_sensitive"],
        "management_scope": data["management_scope"],
        "reason": data["reason"],
    }


class UserCreateView(ServiceFormView):
    form_class = UserCreateForm
    heading = "Tạo tài khoản"
    submit = "Tạo tài khoản"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        _require_admin(request)

    def perform(self, form: forms.Form) -> str:
        d = form.cleaned_data
        self.user = services.user_create_with_grant(
            acting_user=self.request.user,
            username=d["username"],
            password=d["password1"],
            full_name=d["full_name"],
            email=d["email"],
            **_grant_args(d),
        )
        return f"Đã tạo tài khoản “{self.user.username}”; người dùng phải đổi mật khẩu khi đăng nhập lần đầu."

    def success_url(self) -> str:
        return reverse("accounts:user", args=[self.user.pk])


class _OnUserView(ServiceFormView):
    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.target = _managed_user(request, kwargs["pk"])

    def context(self) -> dict[str, Any]:
        return {"target": self.target}

    def success_url(self) -> str:
        return reverse("accounts:user", args=[self.target.pk])


class GrantAddView(_OnUserView):
    form_class = GrantForm
    heading = "Cấp quyền"
    submit = "Cấp quyền"

    def perform(self, form: forms.Form) -> str:
        services.grant_add(acting_user=self.request.user, user=self.target, **_grant_args(form.cleaned_data))
        return "Đã cấp quyền."


class PasswordResetView(_OnUserView):
    form_class = PasswordResetForm
    heading = "Đặt lại mật khẩu"
    submit = "Đặt lại mật khẩu"

    def perform(self, form: forms.Form) -> str:
        services.user_password_reset(
            acting_user=self.request.user,
            user=self.target,
            password=form.cleaned_data["password1"],
            reason=form.cleaned_data["reason"],
        )
        return "Đã đặt lại mật khẩu; người dùng phải đổi mật khẩu khi đăng nhập lần sau."


class ExceptionRightView(_OnUserView):
    """Give or take the right to record rule exceptions (only for a user the admin manages)."""

    form_class = ExceptionRightForm
    heading = "Quyền ghi nhận ngoại lệ quy định"
    submit = "Lưu"

    def form_kwargs(self) -> dict[str, Any]:
        perm = services.exception_permission()
        return {"initial": {"allowed": self.target.user_permissions.filter(pk=perm.pk).exists()}}

    def perform(self, form: forms.Form) -> str:
        allowed = form.cleaned_data["allowed"]
        services.user_set_exception_right(
            acting_user=self.request.user,
            user=self.target,
            allowed=allowed,
            reason=form.cleaned_data["reason"],
        )
        if allowed:
            return "Đã cấp quyền ghi nhận ngoại lệ quy định (trong phạm vi quyền của tài khoản)."
        if services.has_exception_right(User.objects.get(pk=self.target.pk)):
            return "Đã bỏ quyền cấp riêng; tài khoản vẫn có quyền ghi nhận ngoại lệ qua nhóm người dùng."
        return "Đã thu hồi quyền ghi nhận ngoại lệ quy định."


class DeactivateView(_OnUserView):
    heading = "Khóa tài khoản"
    submit = "Khóa tài khoản"
    danger = True

    def perform(self, form: forms.Form) -> str:
        services.user_set_active(
            acting_user=self.request.user, user=self.target, active=False, reason=form.cleaned_data["reason"]
        )
        return "Đã khóa tài khoản; người dùng không đăng nhập được nữa."


class ActivateView(_OnUserView):
    heading = "Mở khóa tài khoản"
    submit = "Mở khóa tài khoản"

    def perform(self, form: forms.Form) -> str:
        services.user_set_active(
            acting_user=self.request.user, user=self.target, active=True, reason=form.cleaned_data["reason"]
        )
        return "Đã mở khóa tài khoản."


class TotpResetView(_OnUserView):
    heading = "Đặt lại xác thực hai bước"
    submit = "Đặt lại xác thực hai bước"
    danger = True

    def perform(self, form: forms.Form) -> str:
        services.totp_reset(
            acting_user=self.request.user, user=self.target, reason=form.cleaned_data["reason"]
        )
        return (
            "Đã đặt lại xác thực hai bước; người dùng phải đăng ký lại ứng dụng xác thực "
            "khi đăng nhập lần sau."
        )


class GrantRevokeView(ServiceFormView):
    heading = "Thu hồi quyền"
    submit = "Thu hồi quyền"
    danger = True

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        _require_admin(request)
        self.grant = get_object_or_404(
            Grant.objects.select_related("user", "unit", "person__managing_unit").filter(
                user__in=selectors.managed_users(request.user)
            ),
            pk=kwargs["pk"],
        )
        self.target = self.grant.user

    def context(self) -> dict[str, Any]:
        return {"target": self.target, "grant": self.grant}

    def perform(self, form: forms.Form) -> str:
        services.grant_remove(
            acting_user=self.request.user, grant=self.grant, reason=form.cleaned_data["reason"]
        )
        return "Đã thu hồi quyền."

    def success_url(self) -> str:
        return reverse("accounts:user", args=[self.target.pk])


class ApiTokenCreateView(_OnUserView):
    """A new API key for one of the user's grants; the page after shows the key, once."""

    form_class = ApiTokenForm
    heading = "Cấp mã truy cập API"
    submit = "Cấp mã"

    def form_kwargs(self) -> dict[str, Any]:
        grants = Grant.objects.filter(
            user=self.target, role__in=[Role.OFFICER, Role.LEADER], unit__isnull=False
        ).select_related("unit")
        return {"grants": grants}

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        d = form.cleaned_data
        try:
            token, key = services.token_create(
                acting_user=request.user,
                grant=d["grant"],
                name=d["name"],
                can_write=d["can_write"],
                reason=d["reason"],
            )
        except (DomainError, ValidationError) as exc:
            return self.render_form(form, status=refuse(form, exc))
        response = render(
            request, "accounts/token_created.html", {"target": self.target, "token": token, "key": key}
        )
        response["Cache-Control"] = "no-store"
        return response


class ApiTokenRevokeView(ServiceFormView):
    heading = "Thu hồi mã truy cập API"
    submit = "Thu hồi mã"
    danger = True

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        _require_admin(request)
        self.token = get_object_or_404(
            ApiToken.objects.select_related("grant__user", "grant__unit").filter(
                grant__user__in=selectors.managed_users(request.user)
            ),
            pk=kwargs["pk"],
        )
        self.target = self.token.grant.user

    def context(self) -> dict[str, Any]:
        return {"target": self.target, "token": self.token}

    def perform(self, form: forms.Form) -> str:
        services.token_revoke(
            acting_user=self.request.user, token=self.token, reason=form.cleaned_data["reason"]
        )
        return f"Đã thu hồi mã “{self.token.name}”; mọi lần gọi API bằng mã này từ nay bị từ chối."

    def success_url(self) -> str:
        return reverse("accounts:user", args=[self.target.pk])
