"""Base classes of the API: every queryset goes through ``restrict()``; writes through services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError as DRFValidationError

from canbo.core.dates import parse_as_of
from canbo.core.querysets import CHANGE, VIEW


class RestrictedViewSetMixin:
    """Limits the queryset to the user's grants; unsafe methods need the 'change' action.

    A record outside the grants is simply absent, so the API answers 404 for it as for a missing
    one (STYLE.md convention 5).
    """

    request: Any
    queryset: Any

    def get_queryset(self) -> Any:
        action = VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else CHANGE
        return self.queryset.restrict(self.request.user, action)

    def as_of(self) -> dt.date:
        try:
            return parse_as_of(self.request.query_params.get("ngay"))
        except ValidationError as exc:
            raise DRFValidationError({"ngay": exc.messages}) from exc


class RestrictedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
