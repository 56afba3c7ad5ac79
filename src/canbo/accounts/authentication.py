"""The API's authentication: Basic (off in production unless ``CANBO_API_BASIC_AUTH``), with
django-axes' lockout answered as on the login page, and the integrations' scoped tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.authentication import BasicScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from canbo.accounts.backends import GrantSet, grant_info
from canbo.accounts.models import ApiToken
from canbo.core.grants import CACHE_ATTR

# last_used is written at most this often per token (one UPDATE, not one per call).
LAST_USED_EVERY = dt.timedelta(minutes=1)


class BasicAuthentication(authentication.BasicAuthentication):
    """DRF's Basic auth, answered only when ``settings.CANBO_API_BASIC_AUTH`` is on (demo and
    development; off by default in production, where integrations use tokens).

    The axes backend marks a locked-out attempt on the request it is given, which here is DRF's
    wrapper; the mark is copied to Django's request, so ``AxesMiddleware`` answers with the
    Vietnamese lockout message (429) instead of a plain 401."""

    def authenticate(self, request: Any) -> Any:
        if not settings.CANBO_API_BASIC_AUTH:
            return None  # the header is ignored: the call is anonymous and answered 401
        return super().authenticate(request)

    def authenticate_credentials(self, userid: str, password: str, request: Any = None) -> Any:
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if request is not None and getattr(request, "axes_locked_out", False):
                django_request = getattr(request, "_request", request)
                django_request.axes_locked_out = True
                django_request.axes_credentials = getattr(request, "axes_credentials", None)
            raise


class BasicAuthenticationScheme(BasicScheme):
    """The API schema describes this Basic auth as DRF's (drf-spectacular finds no scheme for a
    subclass by itself, and `check --deploy` would warn once per view)."""

    target_class = "canbo.accounts.authentication.BasicAuthentication"


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>`` (or ``Bearer <key>``): the user of the token's grant, with
    that one grant as his grants for the request (so ``restrict()`` sees its subtree only)."""

    keywords = ("token", "bearer")

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        from canbo.accounts.services import hash_token

        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Mã truy cập không hợp lệ.")
        key = parts[1].decode("latin-1")
        token = (
            ApiToken.objects.select_related("grant__user", "grant__unit")
            .filter(key_hash=hash_token(key), revoked__isnull=True)
            .first()
        )
        if token is None or not token.grant.user.is_active or token.grant.user.is_superuser:
            raise exceptions.AuthenticationFailed("Mã truy cập không hợp lệ hoặc đã bị thu hồi.")
        now = timezone.now()
        if token.last_used is None or now - token.last_used > LAST_USED_EVERY:
            # Not a change of the record (no log entry): when it was last used, for the admin page.
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        user = token.grant.user
        setattr(user, CACHE_ATTR, GrantSet([grant_info(token.grant)], user))
        return user, token

    def authenticate_header(self, request: Any) -> str:
        return 'Token realm="api"'


class TokenScope(permissions.BasePermission):
    """A read-only token may only read (GET, HEAD, OPTIONS)."""

    message = "Mã truy cập này chỉ được đọc dữ liệu, không được ghi."

    def has_permission(self, request: Any, view: Any) -> bool:
        token = request.auth
        if isinstance(token, ApiToken) and not token.can_write:
            return request.method in permissions.SAFE_METHODS
        return True


class TokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema."""

    target_class = "canbo.accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "“Token <mã>”: mã truy cập do quản trị hệ thống cấp theo một quyền "
            "(một cây đơn vị; chỉ đọc hoặc được ghi).",
        }
