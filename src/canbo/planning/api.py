"""Read-only API of the planning app: /api/planning/lists/ and /api/planning/entries/.

Both go through ``restrict()`` (grants on the list's unit), like the pages. Entries can be
limited to one list (``?danh_sach=``) and to those in force on a day (``?ngay=``).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from canbo.core.api_base import RestrictedReadOnlyViewSet
from canbo.core.params import parse_optional_id
from canbo.planning.models import PlanningEntry, PlanningList, planned_on_q


class PlanningListSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = PlanningList
        fields = (
            "id", "unit", "unit_code", "name", "kind", "term_start", "term_end",
            "decision_number", "decision_date", "note",
        )  # fmt: skip


class PlanningEntrySerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    title_code = serializers.CharField(source="title.code", read_only=True)
    title_name = serializers.CharField(source="title.name", read_only=True)

    class Meta:
        model = PlanningEntry
        fields = (
            "id", "planning_list", "person", "person_name", "title", "title_code", "title_name",
            "added_on", "added_decision", "added_reason", "removed_on", "removal_decision",
            "removal_reason",
        )  # fmt: skip


class PlanningListViewSet(RestrictedReadOnlyViewSet):
    """Planning lists kept by units under the user's grants."""

    queryset = PlanningList.objects.select_related("unit").order_by("-term_start", "pk")
    serializer_class = PlanningListSerializer


class PlanningEntryViewSet(RestrictedReadOnlyViewSet):
    """Entries of the lists the user sees; ``?danh_sach=<id>``, ``?ngay=YYYY-MM-DD`` (in force)."""

    queryset = PlanningEntry.objects.select_related("person", "title").order_by("planning_list", "pk")
    serializer_class = PlanningEntrySerializer

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        params = self.request.query_params
        list_id = parse_optional_id(params.get("danh_sach"), "Mã danh sách (danh_sach)")
        if list_id is not None:
            qs = qs.filter(planning_list_id=list_id)
        if params.get("ngay"):
            qs = qs.filter(planned_on_q(self.as_of()))
        return qs
