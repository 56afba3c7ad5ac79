"""API of the salary app: the catalogues (read-only, not scoped) at /api/salary/grades/,
/api/salary/groups/, /api/salary/base/, and the due list at /api/salary/due/ (through the
user's grants, like the page). Salary rows are written through the dossier-section API
(/api/persons/{id}/dien-bien-luong/), which applies the same checks as the page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from canbo.org.models import Unit
from canbo.salary.forms import DueForm
from canbo.salary.models import BaseSalary, Grade, SalaryGroup
from canbo.salary.selectors import MAX_MONTHS, due_list


class GroupSerializer(serializers.ModelSerializer):
    coefficients = serializers.SerializerMethodField()

    class Meta:
        model = SalaryGroup
        fields = ("id", "code", "name", "steps", "first", "increment", "coefficients", "basis", "confidence")

    def get_coefficients(self, obj: SalaryGroup) -> list[str]:
        return [str(c) for c in obj.coefficients()]


class GradeSerializer(serializers.ModelSerializer):
    group_code = serializers.CharField(source="group.code", read_only=True)

    class Meta:
        model = Grade
        fields = ("id", "code", "name", "group", "group_code", "kind", "basis", "confidence")


class BaseSalarySerializer(serializers.ModelSerializer):
    class Meta:
        model = BaseSalary
        fields = ("id", "amount", "valid_from", "basis", "confidence")


class GroupViewSet(viewsets.ReadOnlyModelViewSet):
    """Salary scale groups (NĐ 204/2004) with the coefficient of each step."""

    queryset = SalaryGroup.objects.all()
    serializer_class = GroupSerializer


class GradeViewSet(viewsets.ReadOnlyModelViewSet):
    """Grades and professional titles with their group."""

    queryset = Grade.objects.select_related("group")
    serializer_class = GradeSerializer


class BaseSalaryViewSet(viewsets.ReadOnlyModelViewSet):
    """The base salary, dated."""

    queryset = BaseSalary.objects.all()
    serializer_class = BaseSalarySerializer


class DueView(APIView):
    """``?don_vi=<unit id>&ngay=YYYY-MM-DD&so_thang=N``: the same list as /luong/den-han/ and
    ``./canbo salary due --json``; a unit outside the user's grants is refused (400)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("don_vi", OpenApiTypes.INT, required=True, description="Mã đơn vị"),
            OpenApiParameter("ngay", OpenApiTypes.STR, description="Từ ngày, YYYY-MM-DD hoặc dd/mm/yyyy"),
            OpenApiParameter(
                "so_thang", {"type": "integer", "minimum": 1, "maximum": MAX_MONTHS}, required=True
            ),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        form = DueForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise DRFValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        data = form.cleaned_data
        unit: Unit = data["don_vi"]
        try:
            items = due_list(request.user, unit, data["ngay"], data["so_thang"])
        except ValidationError as exc:  # pragma: no cover - the form bounds the input
            raise DRFValidationError(exc.messages) from exc
        payload: dict[str, Any] = {
            "as_of": data["ngay"].isoformat(),
            "months": data["so_thang"],
            "unit": unit.code,
            "count": len(items),
            "items": [i.to_dict() for i in items],
        }
        return Response(payload)
