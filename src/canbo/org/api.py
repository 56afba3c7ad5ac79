"""API of the organisation: units (as of a date, by subtree), titles, administrative areas."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound

from canbo.core.api_base import RestrictedReadOnlyViewSet
from canbo.core.params import parse_optional_id
from canbo.org.models import AdminArea, Title, Unit, in_force_q


class UnitSerializer(serializers.ModelSerializer):
    parent_id = serializers.SerializerMethodField()
    name_on_date = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = (
            "id", "code", "name", "name_on_date", "short_name", "kind", "block", "level", "area",
            "valid_from", "valid_to", "depth", "parent_id",
        )  # fmt: skip

    def get_parent_id(self, obj: Unit) -> int | None:
        parent = Unit.objects.get_parent(obj) if obj.depth > 1 else None
        return parent.pk if parent else None

    def get_name_on_date(self, obj: Unit) -> str:
        day = self.context.get("as_of")
        return obj.name_on(day) if day else obj.name


AS_OF = OpenApiParameter("ngay", OpenApiTypes.DATE, description="Ngày xem (YYYY-MM-DD hoặc dd/mm/yyyy)")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            AS_OF,
            OpenApiParameter("trong", OpenApiTypes.INT, description="Chỉ đơn vị trong cây này"),
        ]
    )
)
class UnitViewSet(RestrictedReadOnlyViewSet):
    """Units visible to the user, in force on ``ngay`` (default today); ``trong`` = a subtree."""

    queryset = Unit.objects.all()
    serializer_class = UnitSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "as_of": self.as_of()}

    def get_queryset(self) -> Any:
        qs = super().get_queryset().prefetch_related("former_names")
        if self.action == "list":
            qs = qs.filter(in_force_q(self.as_of()))
            within = parse_optional_id(self.request.query_params.get("trong"), "Mã đơn vị (trong)")
            if within is not None:
                root = Unit.objects.restrict(self.request.user).filter(pk=within).first()
                if root is None:
                    raise NotFound("Không tìm thấy đơn vị.")
                qs = qs.filter(path__startswith=root.path)
        return qs


class TitleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Title
        fields = (
            "id", "code", "name", "level", "group", "block", "is_key", "is_leader", "head_kind",
            "management_scope", "rank",
        )  # fmt: skip


class TitleViewSet(viewsets.ReadOnlyModelViewSet):
    """The title catalogue (not scoped: it is the same for everyone)."""

    queryset = Title.objects.all()
    serializer_class = TitleSerializer


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdminArea
        fields = ("id", "dataset", "code", "name", "kind", "level", "parent", "valid_from", "valid_to")


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative areas (public catalogue)."""

    queryset = AdminArea.objects.all()
    serializer_class = AreaSerializer
