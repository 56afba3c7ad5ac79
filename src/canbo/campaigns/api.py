"""API of rating campaigns (/api/ratings/...): the same writes as the pages, through the same
services (errors answer the project's JSON ``{"detail": ...}`` with a 4xx)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from canbo.assessment.models import RatingLevel, RatingSystem
from canbo.campaigns import selectors, services, votes
from canbo.campaigns.models import (
    CampaignEntry,
    CampaignPeriod,
    RatingCampaign,
    VoteBody,
    VoteEntry,
    VoteSession,
)
from canbo.core.api_base import RestrictedViewSetMixin
from canbo.core.querysets import CHANGE
from canbo.org.models import Unit


class CampaignSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())
    system = serializers.ChoiceField(choices=RatingSystem.choices[:2])
    period = serializers.ChoiceField(choices=CampaignPeriod.choices, default="nam")
    part = serializers.IntegerField(min_value=0, max_value=4, required=False, allow_null=True)
    exception_reason = serializers.SerializerMethodField()
    exception_basis = serializers.SerializerMethodField()

    class Meta:
        model = RatingCampaign
        fields = (
            "id", "unit", "system", "year", "period", "part", "decision_date", "status", "finalised_on",
            "exception_reason", "exception_basis", "row_version",
        )  # fmt: skip
        read_only_fields = ("status", "finalised_on", "row_version")
        validators: list[Any] = []  # the service refuses a second campaign, in Vietnamese

    def get_exception_reason(self, obj: RatingCampaign) -> str:
        """E-9's exception on file (a ``rules.RuleException``): its reason, or empty."""
        return obj.exception.reason if obj.pk and obj.exception else ""

    def get_exception_basis(self, obj: RatingCampaign) -> str:
        return obj.exception.basis if obj.pk and obj.exception else ""


class EntrySerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)

    class Meta:
        model = CampaignEntry
        fields = (
            "id", "campaign", "person", "person_name", "category", "agency", "duty_group", "is_head",
            "is_leader", "self_level", "score", "exceeded_share", "kht_trigger", "proposed_level",
            "decided_level", "note", "row_version",
        )  # fmt: skip
        read_only_fields = ("campaign", "person", "category", "is_leader", "row_version")
        validators: list[Any] = []


class ExceptionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    basis = serializers.CharField(max_length=300)


class UnitRatingSerializer(serializers.Serializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())
    level = serializers.ChoiceField(choices=RatingLevel.choices)


class CampaignViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Campaigns under the user's grants; POST opens one (with its people to rate)."""

    queryset = RatingCampaign.objects.select_related("unit").order_by("-year", "unit__path", "pk")
    serializer_class = CampaignSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = CampaignSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        unit = Unit.objects.restrict(request.user, CHANGE).filter(pk=d["unit"].pk).first()
        if unit is None:
            raise NotFound("Không tìm thấy đơn vị.")
        campaign = services.campaign_create(
            acting_user=request.user,
            unit=unit,
            system=d["system"],
            year=d["year"],
            period=d["period"],
            part=d.get("part"),
            decision_date=d["decision_date"],
        )
        return Response(CampaignSerializer(campaign).data, status=201)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def quota(self, request: Request, pk: str | None = None) -> Response:
        """The quota per agency and duty group, as ``./canbo ratings quota`` prints it."""
        campaign = self.get_object()
        lines = selectors.quota_lines(campaign, selectors.entries_of(campaign))
        return Response([q.to_dict() for q in lines])

    @action(detail=True, methods=["post"], serializer_class=ExceptionSerializer)
    def exception(self, request: Request, pk: str | None = None) -> Response:
        """Record E-9's exception (reason, legal basis); needs the exception right."""
        campaign = self.get_object()
        ser = ExceptionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.exception_record(campaign=campaign, acting_user=request.user, **ser.validated_data)
        return Response(CampaignSerializer(campaign).data)

    @action(detail=True, methods=["post"], url_path="unit-rating", serializer_class=UnitRatingSerializer)
    def unit_rating(self, request: Request, pk: str | None = None) -> Response:
        """Record the collective rating of one of the campaign's units."""
        campaign = self.get_object()
        ser = UnitRatingSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.unit_rating_set(campaign=campaign, acting_user=request.user, **ser.validated_data)
        return Response({"unit": ser.validated_data["unit"].code, "level": ser.validated_data["level"]})

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def finalise(self, request: Request, pk: str | None = None) -> Response:
        """Finalise: every person's rating row written, or nothing (the refusal says why)."""
        campaign = self.get_object()
        written = services.campaign_finalise(campaign=campaign, acting_user=request.user)
        campaign.refresh_from_db()
        return Response({**CampaignSerializer(campaign).data, "written": written})


class EntryViewSet(RestrictedViewSetMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The people rated (``?dot=`` a campaign); PATCH enters levels, score, grounds."""

    queryset = CampaignEntry.objects.select_related("person", "agency", "campaign__unit").order_by(
        "campaign", "agency__path", "person__full_name", "pk"
    )
    serializer_class = EntrySerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        campaign = self.request.query_params.get("dot")
        if campaign is not None:
            if not campaign.isdigit():
                raise serializers.ValidationError({"dot": ["Mã đợt đánh giá phải là số."]})
            qs = qs.filter(campaign_id=int(campaign))
        return qs

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.get_object()
        ser = EntrySerializer(entry, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        version = request.data.get("row_version")
        services.entry_update(
            entry=entry,
            acting_user=request.user,
            expected_version=int(version) if isinstance(version, int) else None,
            **ser.validated_data,
        )
        return Response(EntrySerializer(entry).data)


# -- confidence votes (/api/votes/...) --------------------------------------------------------


class VoteSessionSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())
    body = serializers.ChoiceField(choices=VoteBody.choices)

    class Meta:
        model = VoteSession
        fields = ("id", "unit", "body", "vote_date", "convened", "present", "ballots", "status",
                  "finalised_on", "row_version")  # fmt: skip
        read_only_fields = ("status", "finalised_on", "row_version")
        validators: list[Any] = []  # the service refuses a second session, in Vietnamese


class VoteEntrySerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    high = serializers.IntegerField(min_value=0)
    medium = serializers.IntegerField(min_value=0)
    low = serializers.IntegerField(min_value=0)

    class Meta:
        model = VoteEntry
        fields = ("id", "session", "person", "person_name", "position", "high", "medium", "low",
                  "action_decision", "action_date", "row_version")  # fmt: skip
        read_only_fields = ("session", "person", "position", "action_decision", "action_date", "row_version")


class VoteImportSerializer(serializers.Serializer):
    text = serializers.CharField()


class VoteSessionViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Confidence-vote sessions under the user's grants; POST opens one (with the people voted on)."""

    queryset = VoteSession.objects.select_related("unit").order_by("-vote_date", "unit__path", "pk")
    serializer_class = VoteSessionSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = VoteSessionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        unit = Unit.objects.restrict(request.user, CHANGE).filter(pk=d.pop("unit").pk).first()
        if unit is None:
            raise NotFound("Không tìm thấy đơn vị.")
        session = votes.session_create(acting_user=request.user, unit=unit, **d)
        return Response(VoteSessionSerializer(session).data, status=201)

    @action(detail=True, methods=["post"], url_path="import", serializer_class=VoteImportSerializer)
    def import_counts(self, request: Request, pk: str | None = None) -> Response:
        """The tally sheet (lines: name; high; medium; low), all lines or none."""
        session = self.get_object()
        ser = VoteImportSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        n = votes.counts_import(session=session, acting_user=request.user, text=ser.validated_data["text"])
        return Response({"imported": n})

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def finalise(self, request: Request, pk: str | None = None) -> Response:
        """Finalise: every person's vote row written, or nothing (the refusal says why)."""
        session = self.get_object()
        written = votes.session_finalise(session=session, acting_user=request.user)
        session.refresh_from_db()
        return Response({**VoteSessionSerializer(session).data, "written": written})


class VoteEntryViewSet(RestrictedViewSetMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The people voted on (``?dot=`` a session); PATCH enters the three counts."""

    queryset = VoteEntry.objects.select_related("person", "session__unit").order_by(
        "session", "person__full_name", "pk"
    )
    serializer_class = VoteEntrySerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        session = self.request.query_params.get("dot")
        if session is not None:
            if not session.isdigit():
                raise serializers.ValidationError({"dot": ["Mã đợt lấy phiếu phải là số."]})
            qs = qs.filter(session_id=int(session))
        return qs

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.get_object()
        ser = VoteEntrySerializer(entry, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        counts = {k: d.get(k, getattr(entry, k)) for k in ("high", "medium", "low")}
        if None in counts.values():
            raise serializers.ValidationError({"low": ["Cần đủ số phiếu ba mức."]})
        votes.counts_set(entry=entry, acting_user=request.user, **counts)
        return Response(VoteEntrySerializer(entry).data)
