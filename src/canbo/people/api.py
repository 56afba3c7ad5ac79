"""API of the dossier: persons and every registered section, with the pages' permissions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from canbo.core.api import LimitOffsetPagination
from canbo.core.api_base import RestrictedViewSetMixin
from canbo.core.dates import format_partial_date, parse_partial_date
from canbo.core.grants import sees_sensitive_of
from canbo.core.params import parse_id, parse_version
from canbo.core.querysets import CHANGE
from canbo.org.models import Unit
from canbo.people import reads, selectors, services
from canbo.people.forms import PERSON_FIELDS
from canbo.people.models import Ethnicity, Person, Religion
from canbo.people.panels import person_filter, posts_on_date, with_posts_on_date
from canbo.people.sections import SECTIONS, SectionSpec
from canbo.people.validators import validate_personal_id


class PersonSerializer(serializers.ModelSerializer):
    """A person as read: identity, dossier unit and the posts held on the as-of date."""

    birth = serializers.SerializerMethodField()
    ethnicity = serializers.CharField(source="ethnicity.name")
    religion = serializers.CharField(source="religion.name")
    managing_unit_name = serializers.CharField(source="managing_unit.name")
    posts_on_date = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = (
            "id", "personal_id", "identity_issue_date", "social_insurance_number",
            "full_name", "other_names", "sex", "birth", "birth_date", "birth_precision",
            "ethnicity", "religion", "category", "managing_unit", "managing_unit_name", "is_synthetic",
            "row_version", "posts_on_date",
        )  # fmt: skip

    def get_birth(self, obj: Person) -> str:
        return format_partial_date(obj.birth_date, obj.birth_precision)

    def get_posts_on_date(self, obj: Person) -> list[dict[str, Any]]:
        return posts_on_date(obj, self.context["as_of"])


class PersonWriteSerializer(serializers.ModelSerializer):
    """Input of create/update. ``birth`` as written ("15/03/1980", "03/1980", "1980");
    ethnicity and religion by code; ``reason`` goes to the change log; ``row_version`` guards
    against overwriting someone else's change: required on every change (400 without it, 409
    when someone changed the person since it was read)."""

    birth = serializers.CharField(write_only=True)
    ethnicity = serializers.SlugRelatedField(slug_field="code", queryset=Ethnicity.objects.all())
    religion = serializers.SlugRelatedField(slug_field="code", queryset=Religion.objects.all())
    managing_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)
    row_version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="Phiên bản hồ sơ đã đọc; bắt buộc khi sửa (thiếu → 400, đã cũ → 409).",
    )

    class Meta:
        model = Person
        fields = (*PERSON_FIELDS, "birth", "reason", "row_version")
        # Uniqueness is the service's: a personal ID of a dossier the caller may not see gets
        # the one "contact the office" answer, not DRF's "already exists" (no existence oracle).
        extra_kwargs = {"personal_id": {"validators": [validate_personal_id]}}

    def validate_birth(self, value: str) -> tuple[Any, str]:
        try:
            return parse_partial_date(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages[0]) from exc

    def validate_managing_unit(self, value: Unit) -> Unit:
        if not Unit.objects.restrict(self.context["request"].user, CHANGE).filter(pk=value.pk).exists():
            raise serializers.ValidationError("Không tìm thấy đơn vị hoặc bạn không có quyền với đơn vị này.")
        return value

    def to_changes(self) -> tuple[dict[str, Any], str, int | None]:
        data = dict(self.validated_data)
        reason = data.pop("reason", "")
        version = data.pop("row_version", None)
        birth = data.pop("birth", None)
        if birth:
            data["birth_date"], data["birth_precision"] = birth
        return data, reason, version


EXACT_PARAM = "dem_chinh_xac"


class PersonPagination(LimitOffsetPagination):
    """Pages of persons, as ``LimitOffsetPagination`` gives them, plus ``count_is_lower_bound``.

    With a name query (``?q=``) the count stops at 1,000, as the list page's "Hơn 1.000":
    counting every "Nguyễn" of a province of millions takes a fraction of a second, a page and
    a capped count a few tens of milliseconds (docs/performance.md, "Name search"). Then
    ``count`` is 1,000, ``count_is_lower_bound`` is true, and ``next`` is given while a page
    comes back full. ``?dem_chinh_xac=1`` asks for the exact count instead.
    """

    lower_bound = False
    full = False

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        page = super().paginate_queryset(queryset, request, view)
        self.lower_bound = bool(getattr(queryset, "count_is_lower_bound", False))
        self.full = page is not None and len(page) == self.limit
        return page

    def get_next_link(self) -> str | None:
        offset, limit, request = self.offset or 0, self.limit or 0, self.request
        if self.lower_bound and self.full and request is not None and offset + limit >= (self.count or 0):
            url = replace_query_param(request.build_absolute_uri(), self.limit_query_param, limit)
            return replace_query_param(url, self.offset_query_param, offset + limit)
        return super().get_next_link()

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_is_lower_bound"] = self.lower_bound
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_is_lower_bound"] = {
            "type": "boolean",
            "description": "Đúng khi tìm theo tên và có hơn 1.000 người: count chỉ là 1.000 "
            "(dùng ?dem_chinh_xac=1 để đếm đủ).",
        }
        return out


def exact_count_asked(params: Any) -> bool:
    """``?dem_chinh_xac=1`` (or ``true``); another value is refused with a 400."""
    value = params.get(EXACT_PARAM)
    if value is None or value.lower() in ("0", "false", ""):
        return False
    if value.lower() in ("1", "true"):
        return True
    raise serializers.ValidationError({EXACT_PARAM: ["Giá trị phải là 1 (đếm chính xác) hoặc 0."]})


class PersonViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Persons within the user's grants, with the list page's filters (``?q=`` name without
    accents or personal id, ``?don_vi=`` a unit subtree, ``?gioi_tinh=``, ``?tuoi_tu=``, …) and
    ``?ngay=`` the as-of date; ordered by Vietnamese name order. A name query's count stops at
    1,000 unless ``?dem_chinh_xac=1`` (``PersonPagination``)."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    pagination_class = PersonPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        if self.action == "list":
            day = self.as_of()
            exact = exact_count_asked(self.request.query_params)
            form, _unit, qs = person_filter(
                self.request.user, self.request.query_params, day, paged=True, exact_count=exact
            )
            if qs is None:
                raise serializers.ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
            return with_posts_on_date(qs, day)
        return super().get_queryset().select_related("ethnicity", "religion", "managing_unit")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "as_of": self.as_of()}

    def get_serializer_class(self) -> Any:
        return (
            PersonWriteSerializer
            if self.action in ("create", "partial_update", "update")
            else PersonSerializer
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        reads.api_person_read(request, person)
        return Response(self.get_serializer(person).data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        results = response.data.get("results", []) if isinstance(response.data, dict) else response.data
        reads.api_persons_read(request, [row["id"] for row in results if "id" in row])
        return response

    @extend_schema(request=PersonWriteSerializer, responses=PersonSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = PersonWriteSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        data, reason, _ = ser.to_changes()
        person = services.person_create(acting_user=request.user, reason=reason, **data)
        return Response(PersonSerializer(person, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=PersonWriteSerializer, responses=PersonSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        ser = PersonWriteSerializer(
            person, data=request.data, partial=True, context=self.get_serializer_context()
        )
        ser.is_valid(raise_exception=True)
        changes, reason, version = ser.to_changes()
        person = services.person_update(
            acting_user=request.user,
            person=person,
            changes=changes,
            reason=reason,
            expected_version=parse_version(version),
        )
        return Response(PersonSerializer(person, context=self.get_serializer_context()).data)


def delete_version(request: Request) -> str | None:
    """The version a DELETE names: ``?row_version=`` or an ``If-Match`` header (``"3"``,
    ``W/"3"`` or ``3``); a DELETE carries no body one can rely on."""
    raw = request.query_params.get("row_version")
    if raw is None:
        header = request.headers.get("If-Match")
        if header is not None:
            raw = header.strip().removeprefix("W/").strip('"')
    return raw


def _section_serializer(spec: SectionSpec) -> type[serializers.ModelSerializer]:
    fields = ("id", *spec.form_fields, "row_version", "reason")
    meta = type("Meta", (), {"model": spec.model, "fields": fields, "read_only_fields": ("id",)})
    if spec.partial_dates:
        extra = tuple(f"{p}_{s}" for p in spec.partial_dates for s in ("date", "precision"))
        meta.fields = (*meta.fields, *extra)  # type: ignore[attr-defined]
    attrs: dict[str, Any] = {
        "Meta": meta,
        "reason": serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500),
        # Read with the record; required on a change (PATCH), ignored on a create.
        "row_version": serializers.IntegerField(
            required=False,
            min_value=0,
            help_text="Phiên bản bản ghi đã đọc; bắt buộc khi sửa (thiếu → 400, đã cũ → 409).",
        ),
    }
    return type(f"{spec.model.__name__}Serializer", (serializers.ModelSerializer,), attrs)


def _section_viewset(spec: SectionSpec) -> type[viewsets.GenericViewSet]:
    serializer_class = _section_serializer(spec)

    class SectionViewSet(
        mixins.ListModelMixin,
        mixins.RetrieveModelMixin,
        mixins.CreateModelMixin,
        mixins.UpdateModelMixin,
        mixins.DestroyModelMixin,
        viewsets.GenericViewSet,
    ):
        http_method_names = ["get", "post", "patch", "delete", "head", "options"]
        queryset = spec.model._default_manager.all()

        def get_serializer_class(self) -> Any:
            return serializer_class

        def person(self, action: str) -> Person:
            try:
                person = selectors.person_get(self.request.user, parse_id(self.kwargs["person_pk"]), action)
            except Person.DoesNotExist as exc:
                raise Http404 from exc
            if spec.sensitive and not sees_sensitive_of(self.request.user, person):
                raise Http404
            return person

        def get_queryset(self) -> Any:
            write = self.request.method not in ("GET", "HEAD", "OPTIONS")
            person = self.person(CHANGE if write else "view")
            if self.action in ("list", "retrieve"):
                reads.api_section_read(self.request, person, spec)
            qs = spec.model._default_manager.restrict(self.request.user, CHANGE if write else "view")
            return spec.rows(qs.filter(person=person))

        def perform_create(self, serializer: Any) -> None:
            data = dict(serializer.validated_data)
            reason = data.pop("reason", "")
            data.pop("row_version", None)
            if spec.upload:
                raise serializers.ValidationError({"detail": "Tải tệp đính kèm qua giao diện web."})
            serializer.instance = services.section_create(
                acting_user=self.request.user,
                person=self.person(CHANGE),
                instance=spec.model(**data),
                reason=reason,
            )

        def perform_update(self, serializer: Any) -> None:
            data = dict(serializer.validated_data)
            reason = data.pop("reason", "")
            version = data.pop("row_version", None)
            serializer.instance = services.section_update(
                acting_user=self.request.user,
                instance=spec.model._default_manager.get(pk=serializer.instance.pk),
                changes=data,
                reason=reason,
                expected_version=parse_version(version),
            )

        @extend_schema(
            parameters=[
                OpenApiParameter(
                    "row_version",
                    int,
                    description="Phiên bản bản ghi đã đọc (bắt buộc, hoặc gửi trong tiêu đề If-Match); "
                    "sai phiên bản → 409.",
                ),
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="Phiên bản bản ghi đã đọc, thay cho ?row_version=.",
                ),
                OpenApiParameter("ly_do", str, description="Lý do xóa (bắt buộc), ví dụ số quyết định."),
            ]
        )
        def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
            instance = self.get_object()
            reason = request.query_params.get("ly_do", "") or (
                request.data.get("reason", "") if hasattr(request.data, "get") else ""
            )
            version = parse_version(delete_version(request))
            with transaction.atomic():
                services.section_delete(
                    acting_user=request.user, instance=instance, reason=str(reason), expected_version=version
                )
            return Response(status=status.HTTP_204_NO_CONTENT)

    SectionViewSet.__name__ = f"{spec.model.__name__}ViewSet"
    SectionViewSet.__doc__ = f"Mục hồ sơ: {spec.title}."
    return SectionViewSet


SECTION_VIEWSETS = [(spec, _section_viewset(spec)) for spec in SECTIONS]
