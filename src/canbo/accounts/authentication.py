"""The API's Basic authentication, with django-axes' lockout answered as on the login page."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import BasicScheme
from rest_framework import authentication, exceptions


class BasicAuthentication(authentication.BasicAuthentication):
    """DRF's Basic auth. The axes backend marks a locked-out attempt on the request it is given,
    which here is DRF's wrapper; the mark is copied to Django's request, so ``AxesMiddleware``
    answers with the Vietnamese lockout message (429) instead of a plain 401."""

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
