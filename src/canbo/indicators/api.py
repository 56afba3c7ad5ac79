"""API: /api/indicators/ (the plans with targets) and /api/indicators/{plan code}/?ngay=&don_vi=
(the same objects as ``./canbo indicators --plan CODE --json``), through the user's grants."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from canbo.core.dates import parse_as_of
from canbo.core.errors import NotPermitted
from canbo.indicators import selectors


class IndicatorViewSet(viewsets.ViewSet):
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    @extend_schema(
        operation_id="indicators_list",
        responses=inline_serializer(
            "IndicatorPlan",
            fields={
                "code": serializers.CharField(),
                "number": serializers.CharField(),
                "title": serializers.CharField(),
                "issued_on": serializers.DateField(),
            },
            many=True,
        ),
    )
    def list(self, request: Request) -> Response:
        return Response(
            [
                {"code": p.code, "number": p.number, "title": p.title, "issued_on": p.issued_on.isoformat()}
                for p in selectors.plans_visible(request.user)
            ]
        )

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        parameters=[
            OpenApiParameter(
                "ngay", str, description="Ngày tính, YYYY-MM-DD hoặc dd/mm/yyyy (mặc định hôm nay)"
            ),
            OpenApiParameter("don_vi", str, description="Mã đơn vị (mặc định: đơn vị cao nhất được giao)"),
        ],
    )
    def retrieve(self, request: Request, code: str | None = None) -> Response:
        try:
            day: dt.date = parse_as_of(request.query_params.get("ngay"))
        except ValidationError as exc:
            raise DRFValidationError({"ngay": exc.messages}) from exc
        plan = selectors.plan_get(request.user, code or "")
        unit_code = request.query_params.get("don_vi")
        try:
            unit: Any = (
                selectors.unit_get(request.user, code=unit_code)
                if unit_code
                else selectors.default_unit(request.user)
            )
        except NotPermitted as exc:  # a bad argument; same answer for a unit outside the grants
            raise DRFValidationError({"don_vi": [exc.message]}) from exc
        rows = selectors.plan_table(plan, day=day, unit=unit, user=request.user)
        return Response([r.as_json() for r in rows])
