"""API of grants: /api/grants/. The same services and permissions as the pages: an
administrator lists, grants and revokes within his subtrees; everyone lists his own grants."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from canbo.accounts import selectors, services
from canbo.accounts.models import Grant, Role
from canbo.org.choices import ManagementScope
from canbo.org.models import Unit
from canbo.people.models import Person


class GrantSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True, default=None)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)

    class Meta:
        model = Grant
        fields = (
            "id", "user", "username", "role", "role_label", "unit", "unit_code", "unit_name", "person",
            "include_sensitive", "management_scope", "row_version",
        )  # fmt: skip
        read_only_fields = fields


class GrantInput(serializers.Serializer):
    """A new grant: the unit by its code, the person role's dossier by its personal id."""

    user = serializers.IntegerField(help_text="Mã tài khoản được cấp quyền")
    role = serializers.ChoiceField(
        choices=Role.choices, error_messages={"invalid_choice": "Vai trò không hợp lệ."}
    )
    unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "Không có đơn vị mã “{value}”."},
    )
    person = serializers.SlugRelatedField(
        slug_field="personal_id",
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "Không có hồ sơ với số định danh “{value}”."},
    )
    include_sensitive = serializers.BooleanField(default=False)
    management_scope = serializers.ChoiceField(
        choices=[("", "Mọi cán bộ"), *ManagementScope.choices],
        default="",
        allow_blank=True,
        error_messages={"invalid_choice": "Diện quản lý không hợp lệ."},
    )
    reason = serializers.CharField(max_length=500, error_messages={"blank": "Hãy ghi lý do hoặc căn cứ."})


REASON = OpenApiParameter("ly_do", str, required=True, description="Lý do hoặc căn cứ thu hồi")


class GrantViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Grants the user may see: his own, and those of the users he administers. Creating and
    revoking go through ``grant_add`` and ``grant_remove`` (reason required, change-logged)."""

    serializer_class = GrantSerializer
    queryset = Grant.objects.none()  # for the schema; ``get_queryset`` is what answers

    def get_queryset(self) -> Any:
        user = self.request.user
        own = Q(user=user)
        if selectors.is_admin(user):
            own |= Q(user__in=selectors.managed_users(user))
        return Grant.objects.filter(own).select_related("user", "unit").order_by("user_id", "pk")

    def _require_admin(self) -> None:
        if not selectors.is_admin(self.request.user):
            raise PermissionDenied

    @extend_schema(request=GrantInput, responses={201: GrantSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._require_admin()
        data = GrantInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        target = selectors.managed_users(request.user).filter(pk=d["user"]).first()
        if target is None:
            raise serializers.ValidationError(
                {"user": ["Không có tài khoản này trong phạm vi bạn quản trị."]}
            )
        grant = services.grant_add(
            acting_user=request.user,
            user=target,
            role=d["role"],
            unit=d.get("unit"),
            person=d.get("person"),
            include_sensitive=d["include_sensitive"],
            management_scope=d["management_scope"],
            reason=d["reason"],
        )
        return Response(GrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[REASON])
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._require_admin()
        grant = self.get_object()
        reason = (
            request.query_params.get("ly_do") or (request.data.get("reason") if request.data else "") or ""
        )
        services.grant_remove(acting_user=request.user, grant=grant, reason=str(reason))
        return Response(status=status.HTTP_204_NO_CONTENT)
