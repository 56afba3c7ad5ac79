"""API of the plans app: /api/plans/, /api/plans/tasks/, /api/plans/periods/, /api/plans/reports/.

Reads go through the same selectors as the pages (a unit sees the tasks it leads or
coordinates); writes through the services: a task's status (``POST tasks/{id}/status/``) and a
unit's report (``POST reports/``). Errors answer 4xx with a Vietnamese ``detail``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from canbo.core.api import DateField
from canbo.core.errors import validation_messages
from canbo.core.params import parse_optional_id, parse_version
from canbo.org.models import Unit
from canbo.plans import selectors, services
from canbo.plans.deadlines import Schedule, describe
from canbo.plans.models import Plan, ReportingPeriod, Task, TaskReport, TaskStatus


@extend_schema_field(OpenApiTypes.STR)
class TaskStatusField(serializers.ChoiceField):
    """A task status. Described as text listing its values: an enum named "status" would clash
    in the schema with the health records' one."""

    def __init__(self, **kwargs: Any) -> None:
        values = ", ".join(f"{v} ({label})" for v, label in TaskStatus.choices)
        kwargs.setdefault("help_text", f"Tình trạng: {values}")
        super().__init__(choices=TaskStatus.choices, **kwargs)


class PlanSerializer(serializers.ModelSerializer):
    implements: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Plan
        fields = (
            "id", "code", "kind", "number", "issued_on", "issuer_name", "unit", "title",
            "period_start", "period_end", "implements", "note",
        )  # fmt: skip


class OccurrenceSerializer(serializers.Serializer):
    due = DateField()
    period = serializers.CharField(source="label")
    done_on = DateField(allow_null=True)


class TaskSerializer(serializers.ModelSerializer):
    coordinating_units: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    coordinating_names = serializers.SerializerMethodField()
    deadline_reading = serializers.SerializerMethodField()
    occurrences = OccurrenceSerializer(many=True, read_only=True)
    status = TaskStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Task
        fields = (
            "id", "plan", "section", "number", "content", "lead_unit", "lead_name",
            "coordinating_units", "coordinating_names", "deadline_text", "schedule",
            "deadline_reading", "condition_met_on", "status", "status_label", "completed_on",
            "result", "evidence_number", "occurrences", "row_version",
        )  # fmt: skip
        read_only_fields = fields

    def get_coordinating_names(self, obj: Task) -> list[str]:
        return obj.coordinating_name_list

    def get_deadline_reading(self, obj: Task) -> str:
        return describe(Schedule.from_dict(obj.schedule)) if obj.deadline_text else ""


class TaskStatusSerializer(serializers.Serializer):
    status = TaskStatusField()
    completed_on = DateField(required=False, allow_null=True)
    result = serializers.CharField(required=False, allow_blank=True)
    evidence_number = serializers.CharField(required=False, allow_blank=True, max_length=120)
    row_version = serializers.IntegerField(
        required=False, help_text="Phiên bản nhiệm vụ đã đọc (bắt buộc; đã cũ → 409)."
    )


class PeriodSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ("id", "plan", "kind", "year", "quarter", "title", "start", "end", "report_due")


class ReportSerializer(serializers.ModelSerializer):
    status = TaskStatusField()

    class Meta:
        model = TaskReport
        fields = (
            "id",
            "period",
            "task",
            "unit",
            "status",
            "result",
            "difficulties",
            "evidence_number",
            "created",
        )
        read_only_fields = ("id", "created")


def _domain(exc: Exception) -> DRFValidationError:
    if isinstance(exc, ValidationError):
        return DRFValidationError({"detail": validation_messages(exc)})
    return DRFValidationError({"detail": str(exc)})


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans the user sees: kept under his grants, or where his units lead or coordinate a task."""

    serializer_class = PlanSerializer

    def get_queryset(self) -> Any:
        return (
            selectors.plans_for(self.request.user).prefetch_related("implements").order_by("-issued_on", "pk")
        )


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Tasks the user sees; ``?ke_hoach=`` a plan, ``?tinh-trang=``, ``?qua-han=1``, ``?den-han=``
    days, ``?don-vi=`` a unit that leads or coordinates."""

    serializer_class = TaskSerializer

    def get_queryset(self) -> Any:
        from canbo.core.dates import today

        qs = selectors.tasks_for(self.request.user).prefetch_related("coordinating_units", "occurrences")
        params = self.request.query_params
        plan_id = parse_optional_id(params.get("ke_hoach"), "Mã kế hoạch (ke_hoach)")
        if plan_id is not None:
            qs = qs.filter(plan_id=plan_id)
        return selectors.filter_tasks(qs, {k: params.get(k, "") for k in params}, today()).order_by(
            "plan", "order", "pk"
        )

    @action(detail=True, methods=["post"], serializer_class=TaskStatusSerializer)
    def status(self, request: Request, pk: str | None = None) -> Response:
        """Record the task's status, result and evidence number (board or lead unit)."""
        task = self.get_object()
        ser = TaskStatusSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        try:
            services.task_set_status(
                acting_user=request.user,
                task=task,
                status=d["status"],
                completed_on=d.get("completed_on"),
                result=d.get("result"),
                evidence_number=d.get("evidence_number"),
                expected_version=parse_version(d.get("row_version")),
                reason="API",
            )
        except ValidationError as exc:
            raise _domain(exc) from exc
        task.refresh_from_db()
        return Response(TaskSerializer(task).data)


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PeriodSerializer

    def get_queryset(self) -> Any:
        return ReportingPeriod.objects.filter(plan__in=selectors.plans_for(self.request.user)).order_by(
            "plan", "end"
        )


class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Reports the user sees; POST submits (or replaces) a unit's report for a task and period."""

    serializer_class = ReportSerializer

    def get_queryset(self) -> Any:
        return selectors.reports_for(self.request.user).order_by("period", "task", "unit")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = ReportSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        user = request.user
        task = selectors.tasks_for(user).filter(pk=d["task"].pk).first()
        unit = Unit.objects.filter(pk=d["unit"].pk).first()
        period = ReportingPeriod.objects.filter(pk=d["period"].pk, plan__in=selectors.plans_for(user)).first()
        if task is None or period is None or unit is None:
            raise NotFound("Không tìm thấy nhiệm vụ hoặc kỳ báo cáo.")
        try:
            report = services.report_submit(
                acting_user=user,
                period=period,
                task=task,
                unit=unit,
                status=d["status"],
                result=d["result"],
                difficulties=d.get("difficulties", ""),
                evidence_number=d.get("evidence_number", ""),
                reason="API",
            )
        except ValidationError as exc:
            raise _domain(exc) from exc
        return Response(ReportSerializer(report).data, status=201)
