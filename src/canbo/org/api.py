"""API of the organisation: units (as of a date, by subtree), titles, posts, staffing quotas,
administrative areas. Writes go through the same services as the pages, with the same
permissions: a unit is created under a unit the user may change; titles are edited by
administrators; posts and quotas by whoever may change their unit."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from canbo.core.api import DateField
from canbo.core.api_base import RestrictedReadOnlyViewSet, RestrictedViewSetMixin
from canbo.core.params import parse_optional_id
from canbo.core.querysets import CHANGE
from canbo.org import restructuring, selectors, services
from canbo.org.choices import Block, Level, UnitKind
from canbo.org.models import AdminArea, JobPosition, Post, StaffingQuota, Title, Unit, in_force_q


class UnitSerializer(serializers.ModelSerializer):
    parent_id = serializers.SerializerMethodField()
    name_on_date = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = (
            "id", "code", "name", "name_on_date", "short_name", "kind", "block", "level", "area",
            "valid_from", "valid_to", "basis", "depth", "parent_id",
        )  # fmt: skip

    def get_parent_id(self, obj: Unit) -> int | None:
        parent = Unit.objects.get_parent(obj) if obj.depth > 1 else None
        return parent.pk if parent else None

    def get_name_on_date(self, obj: Unit) -> str:
        day = self.context.get("as_of")
        return obj.name_on(day) if day else obj.name


class UnitCreateSerializer(serializers.Serializer):
    parent = serializers.IntegerField(  # type: ignore[assignment]
        required=False, allow_null=True, help_text="Đơn vị cấp trên (id)"
    )
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    block = serializers.ChoiceField(choices=Block.choices)
    level = serializers.ChoiceField(choices=Level.choices)
    area = serializers.PrimaryKeyRelatedField(
        queryset=AdminArea.objects.all(), required=False, allow_null=True
    )
    valid_from = DateField()
    basis = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class UnitCorrectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    code = serializers.CharField(max_length=40, required=False)
    name = serializers.CharField(max_length=255, required=False)
    short_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=UnitKind.choices, required=False)
    block = serializers.ChoiceField(choices=Block.choices, required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    area = serializers.PrimaryKeyRelatedField(
        queryset=AdminArea.objects.all(), required=False, allow_null=True
    )
    basis = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class UnitMoveSerializer(serializers.Serializer):
    new_parent = serializers.IntegerField()
    on = DateField()
    basis = serializers.CharField(max_length=200)


class UnitRenameSerializer(serializers.Serializer):
    new_name = serializers.CharField(max_length=255)
    on = DateField()
    basis = serializers.CharField(max_length=200)


class NewUnitSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=UnitKind.choices, required=False)
    block = serializers.ChoiceField(choices=Block.choices, required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)


class UnitSplitSerializer(serializers.Serializer):
    on = DateField()
    basis = serializers.CharField(max_length=200)
    parts = NewUnitSerializer(many=True, help_text="Các đơn vị mới (ít nhất hai)")
    parent = serializers.IntegerField(required=False, allow_null=True)  # type: ignore[assignment]
    people_to = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        help_text="Mã người (id) → số thứ tự đơn vị mới nhận người đó (từ 0)",
    )


class UnitMergeSerializer(serializers.Serializer):
    sources = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    on = DateField()
    basis = serializers.CharField(max_length=200)
    into = serializers.IntegerField(required=False, allow_null=True)
    parent = serializers.IntegerField(required=False, allow_null=True)  # type: ignore[assignment]
    new_unit = NewUnitSerializer(required=False, allow_null=True)
    carry_people = serializers.BooleanField(default=True)


class UnitDissolveSerializer(serializers.Serializer):
    on = DateField()
    basis = serializers.CharField(max_length=200)
    successor = serializers.IntegerField(required=False, allow_null=True)
    carry_people = serializers.BooleanField(default=False)


class VacancySerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    title = serializers.IntegerField(source="title.pk")
    title_name = serializers.CharField(source="title.name")
    seats = serializers.IntegerField()
    held = serializers.IntegerField()
    empty = serializers.IntegerField()
    over = serializers.IntegerField()
    holders = serializers.SerializerMethodField()

    def get_holders(self, row: Any) -> list[dict[str, Any]]:
        return [{"person": t.person_id, "full_name": t.person.full_name, "tenure": t.pk} for t in row.holders]


AS_OF = OpenApiParameter("ngay", OpenApiTypes.DATE, description="Ngày xem (YYYY-MM-DD hoặc dd/mm/yyyy)")
ONLY = OpenApiParameter(
    "chi",
    OpenApiTypes.STR,
    enum=["trong", "thua"],
    description="Chỉ vị trí còn trống (trong) hoặc thừa (thua)",
)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            AS_OF,
            OpenApiParameter("trong", OpenApiTypes.INT, description="Chỉ đơn vị trong cây này"),
        ]
    )
)
class UnitViewSet(RestrictedReadOnlyViewSet):
    """Units visible to the user, in force on ``ngay`` (default today); ``trong`` = a subtree.

    POST creates a unit under ``parent``; PATCH corrects a record (``reason`` required);
    ``move``, ``rename`` and ``vacancies`` act on one unit.
    """

    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _unit(self, pk: Any, action_: str = "view") -> Unit:
        unit = (
            Unit.objects.restrict(self.request.user, action_).filter(pk=pk).first()
            if str(pk).isdigit()
            else None
        )
        if unit is None:
            raise NotFound("Không tìm thấy đơn vị.")
        return unit

    @extend_schema(request=UnitCreateSerializer, responses=UnitSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = UnitCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        parent_id = data.pop("parent", None)
        parent = self._unit(parent_id) if parent_id is not None else None
        unit = services.unit_create(acting_user=request.user, parent=parent, **data)
        return Response(UnitSerializer(unit, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=UnitCorrectSerializer, responses=UnitSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        unit = self._unit(kwargs["pk"], CHANGE)
        ser = UnitCorrectSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        reason = data.pop("reason", "")
        unit = services.unit_correct(unit=unit, acting_user=request.user, reason=reason, **data)
        return Response(UnitSerializer(unit, context=self.get_serializer_context()).data)

    @extend_schema(request=UnitMoveSerializer, responses=UnitSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: Any = None) -> Response:
        """Move the unit under ``new_parent`` from ``on``; answers the successor unit."""
        unit = self._unit(pk, CHANGE)
        ser = UnitMoveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        new_parent = self._unit(d["new_parent"])
        successor = restructuring.unit_move(
            acting_user=request.user, unit=unit, new_parent=new_parent, on=d["on"], basis=d["basis"]
        )
        return Response(UnitSerializer(successor, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=UnitRenameSerializer, responses=UnitSerializer)
    @action(detail=True, methods=["post"])
    def rename(self, request: Request, pk: Any = None) -> Response:
        unit = self._unit(pk, CHANGE)
        ser = UnitRenameSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        unit = restructuring.unit_rename(
            acting_user=request.user, unit=unit, new_name=d["new_name"], on=d["on"], basis=d["basis"]
        )
        return Response(UnitSerializer(unit, context=self.get_serializer_context()).data)

    def _maybe_unit(self, pk: Any) -> Unit | None:
        return None if pk is None else self._unit(pk)

    def _new_unit_fields(self, data: dict[str, Any], like: Unit) -> dict[str, Any]:
        return {
            "code": data["code"],
            "name": data["name"],
            "kind": data.get("kind") or like.kind,
            "block": data.get("block") or like.block,
            "level": data.get("level") or like.level,
            "area": like.area,
        }

    @extend_schema(request=UnitSplitSerializer, responses=UnitSerializer(many=True))
    @action(detail=True, methods=["post"])
    def split(self, request: Request, pk: Any = None) -> Response:
        """Split the unit into new units from ``on``; answers the new units."""
        unit = self._unit(pk, CHANGE)
        ser = UnitSplitSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        people_to = {}
        for key, index in (d.get("people_to") or {}).items():
            if not str(key).isdigit():
                raise serializers.ValidationError({"people_to": ["Mã người phải là số."]})
            people_to[int(key)] = index
        new_units = restructuring.unit_split(
            acting_user=request.user,
            source=unit,
            on=d["on"],
            parts=[self._new_unit_fields(p, unit) for p in d["parts"]],
            parent=self._maybe_unit(d.get("parent")),
            people_to=people_to,
            basis=d["basis"],
        )
        ctx = self.get_serializer_context()
        return Response(UnitSerializer(new_units, many=True, context=ctx).data, status=201)

    @extend_schema(request=UnitMergeSerializer, responses=UnitSerializer)
    @action(detail=False, methods=["post"])
    def merge(self, request: Request) -> Response:
        """Merge ``sources`` into ``into`` (sáp nhập) or into ``new_unit`` under ``parent``
        (hợp nhất); answers the unit that receives them."""
        ser = UnitMergeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        sources = [self._unit(pk) for pk in d["sources"]]
        new_unit = self._new_unit_fields(d["new_unit"], sources[0]) if d.get("new_unit") else None
        target = restructuring.unit_merge(
            acting_user=request.user,
            sources=sources,
            on=d["on"],
            into=self._maybe_unit(d.get("into")),
            parent=self._maybe_unit(d.get("parent")),
            new_unit=new_unit,
            carry_people=d["carry_people"],
            basis=d["basis"],
        )
        return Response(UnitSerializer(target, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=UnitDissolveSerializer, responses=UnitSerializer(many=True))
    @action(detail=True, methods=["post"])
    def dissolve(self, request: Request, pk: Any = None) -> Response:
        """Dissolve the unit and its open sub-units from ``on``; answers the units closed."""
        unit = self._unit(pk, CHANGE)
        ser = UnitDissolveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        closed = restructuring.unit_dissolve(
            acting_user=request.user,
            unit=unit,
            on=d["on"],
            successor=self._maybe_unit(d.get("successor")),
            carry_people=d["carry_people"],
            basis=d["basis"],
        )
        return Response(UnitSerializer(closed, many=True, context=self.get_serializer_context()).data)

    @extend_schema(parameters=[AS_OF, ONLY], responses=VacancySerializer(many=True))
    @action(detail=True, methods=["get"])
    def vacancies(self, request: Request, pk: Any = None) -> Response:
        """Posts of the unit's subtree on ``ngay``: seats, holders, empty and over-filled; the
        rows of the vacancy page (``org.selectors.vacancy_seats``, counted in the database), in
        its order, ``limit``/``offset`` at a time; ``chi=trong`` only those with empty seats,
        ``chi=thua`` only the over-filled."""
        unit = self._unit(pk)
        only = request.query_params.get("chi", "")
        if only not in ("", "trong", "thua"):
            raise serializers.ValidationError({"chi": ["Chỉ nhận “trong” (còn trống) hoặc “thua” (thừa)."]})
        day = self.as_of()
        found = selectors.vacancy_seats(request.user, [unit], day, only=only)
        # A list pages as a queryset does (DRF slices it); the default pagination is always on.
        shown: list[Any] = self.paginate_queryset(cast(Any, found.rows)) or []
        rows = selectors.vacancy_rows(request.user, day, found, shown)
        return self.get_paginated_response(VacancySerializer(rows, many=True).data)

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
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)

    class Meta:
        model = Title
        fields = (
            "id", "code", "name", "level", "group", "block", "is_key", "is_leader", "head_kind",
            "management_scope", "rank", "catalogue_group", "allowance_coefficient", "min_professional",
            "min_political_theory", "min_state_management", "max_age_first_appointment",
            "max_age_reappointment", "standards", "source", "reason",
        )  # fmt: skip
        # Uniqueness is the service's to check (with a Vietnamese message), not the serializer's.
        extra_kwargs: ClassVar[dict[str, Any]] = {"code": {"validators": []}}


class TitleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The title catalogue (not scoped: it is the same for everyone); administrators edit it."""

    queryset = Title.objects.all()
    serializer_class = TitleSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        serializer.instance = services.title_create(acting_user=self.request.user, reason=reason, **data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        serializer.instance = services.title_update(
            title=Title.objects.get(pk=serializer.instance.pk),
            acting_user=self.request.user,
            reason=reason,
            **data,
        )


class PostSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)

    class Meta:
        model = Post
        fields = ("id", "unit", "title", "seats", "valid_from", "valid_to", "reason")


@extend_schema_view(list=extend_schema(parameters=[AS_OF]))
class PostViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Posts (seats of a title in a unit) in the user's subtrees; ``ngay`` = in force that day.
    PATCH changes the seats or ends the post (``valid_to``)."""

    queryset = Post.objects.select_related("unit", "title")
    serializer_class = PostSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        if self.action == "list" and self.request.query_params.get("ngay"):
            qs = qs.filter(in_force_q(self.as_of()))
        return qs

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        unit = Unit.objects.restrict(self.request.user).filter(pk=data.pop("unit").pk).first()
        if unit is None:
            raise NotFound("Không tìm thấy đơn vị.")
        serializer.instance = services.post_create(
            acting_user=self.request.user, unit=unit, reason=reason, **data
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        changes = {k: v for k, v in data.items() if k in ("seats", "valid_to")}
        if set(data) - {"seats", "valid_to"}:
            raise serializers.ValidationError(
                {"detail": "Chỉ sửa được số lượng hoặc ngày kết thúc của vị trí."}
            )
        serializer.instance = services.post_update(
            post=Post.objects.get(pk=serializer.instance.pk),
            acting_user=self.request.user,
            reason=reason,
            **changes,
        )


class QuotaSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffingQuota
        fields = ("id", "unit", "year", "civil_servants", "public_employees", "basis")
        validators: list[Any] = []  # (unit, year) is an upsert key: POST sets the year's quota
        # Both numbers are required: the model's defaults would make them optional, and the
        # service takes no default (a body without them was a 500, found by bench/api_fuzz.py).
        extra_kwargs: ClassVar[dict[str, Any]] = {
            "civil_servants": {"required": True},
            "public_employees": {"required": True},
        }


class QuotaViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Staffing quotas (biên chế) in the user's subtrees. POST sets a unit's quota for a year
    (creates it or changes it); ``nam`` filters by year."""

    queryset = StaffingQuota.objects.select_related("unit")
    serializer_class = QuotaSerializer

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        year = self.request.query_params.get("nam", "")
        if self.action == "list" and year:
            if not year.isdigit():
                raise serializers.ValidationError({"nam": ["Năm không hợp lệ."]})
            qs = qs.filter(year=int(year))
        return qs

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        unit = Unit.objects.restrict(self.request.user).filter(pk=data.pop("unit").pk).first()
        if unit is None:
            raise NotFound("Không tìm thấy đơn vị.")
        serializer.instance = services.quota_set(acting_user=self.request.user, unit=unit, **data)


class JobPositionSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)

    class Meta:
        model = JobPosition
        fields = ("id", "code", "name", "kind", "category", "level", "title", "source", "reason")
        extra_kwargs: ClassVar[dict[str, Any]] = {"code": {"validators": []}}


class JobPositionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The job-position catalogue (vị trí việc làm); administrators add to it."""

    queryset = JobPosition.objects.select_related("title")
    serializer_class = JobPositionSerializer

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        serializer.instance = services.job_position_create(
            acting_user=self.request.user, reason=reason, **data
        )


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdminArea
        fields = ("id", "dataset", "code", "name", "kind", "level", "parent", "valid_from", "valid_to")


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative areas (public catalogue)."""

    queryset = AdminArea.objects.all()
    serializer_class = AreaSerializer
