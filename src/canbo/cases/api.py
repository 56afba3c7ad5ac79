"""API of appointment cases: /api/cases/ with the same services and permissions as the pages.

Reads go through ``restrict(user)``; every write needs the change right on the case (or the post,
to open one) and calls the service the page calls, so a refusal answers 400 with the same
Vietnamese ``detail``; a case outside the grants answers 404.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from canbo.careers.models import Tenure
from canbo.cases import services
from canbo.cases.models import Candidate, Case, CaseKind, CaseSource, Step, StepVote
from canbo.core.api import DateField
from canbo.core.api_base import RestrictedReadOnlyViewSet
from canbo.core.querysets import CHANGE
from canbo.org.models import Post
from canbo.people.models import Person


class StepVoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = StepVote
        fields = ("candidate", "votes", "outcome")


class StepSerializer(serializers.ModelSerializer):
    """A step with its vote rows; ``votes`` (candidate id → votes), ``selected`` and
    ``next_round`` are read from the rows, in the shape the step was posted with."""

    vote_rows = StepVoteSerializer(many=True, read_only=True)
    votes = serializers.SerializerMethodField()
    selected = serializers.SerializerMethodField()
    next_round = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = (
            "id", "number", "held_on", "body", "convened", "present", "ballots", "votes",
            "quorum_met", "selected", "next_round", "vote_rows",
        )  # fmt: skip

    def get_votes(self, step: Step) -> dict[str, int]:
        return {str(k): v for k, v in step.votes_by_candidate.items()}

    def get_selected(self, step: Step) -> list[int]:
        return step.selected

    def get_next_round(self, step: Step) -> list[int]:
        return step.next_round


class CandidateSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Candidate
        fields = ("id", "person", "person_name", "pending_discipline")


class CaseSerializer(serializers.ModelSerializer):
    title_name = serializers.CharField(source="post.title.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Case
        fields = (
            "id", "post", "unit", "unit_name", "title_name", "kind", "source", "received_on", "status",
            "prior_tenure", "note", "decision_number", "decision_date", "effective_date", "term_end",
            "signer", "decided_person", "tenure", "stop_reason",
        )  # fmt: skip


class CaseOpenSerializer(serializers.Serializer):
    post = serializers.IntegerField(required=False)
    prior_tenure = serializers.IntegerField(required=False)
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    source = serializers.ChoiceField(choices=CaseSource.choices)  # type: ignore[assignment]  # the metaclass pops declared fields
    received_on = DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class CandidateAddSerializer(serializers.Serializer):
    person = serializers.IntegerField()


class DeclareSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    pending_discipline = serializers.BooleanField()


class StepInSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1)
    held_on = DateField()
    body = serializers.CharField(max_length=200)
    convened = serializers.IntegerField(min_value=1)
    present = serializers.IntegerField(min_value=0)
    ballots = serializers.IntegerField(min_value=0)
    votes = serializers.DictField(child=serializers.IntegerField(min_value=0))


class ExceptionInSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    rules = serializers.CharField(max_length=200)
    reason = serializers.CharField(max_length=500)
    basis = serializers.CharField(max_length=300)


class DecisionInSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    decision_number = serializers.CharField(max_length=60)
    decision_date = DateField()
    effective_date = DateField()
    signer = serializers.CharField(max_length=150)


class ExtendInSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=60)
    decision_date = DateField()


class StopInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class CaseViewSet(RestrictedReadOnlyViewSet):
    """Cases of the user's subtrees. ``GET /api/cases/{id}/`` adds candidates with their verdicts
    and the steps; the POST actions are the procedure's transitions."""

    queryset = Case.objects.select_related("post__title", "unit").order_by("-received_on", "-id")
    serializer_class = CaseSerializer
    http_method_names = ["get", "post", "head", "options"]

    def _case(self, pk: Any) -> Case:
        case = (
            Case.objects.restrict(self.request.user, CHANGE)
            .select_related("post__title", "unit")
            .filter(pk=pk)
            .first()
            if str(pk).isdigit()
            else None
        )
        if case is None:
            raise NotFound("Không tìm thấy hồ sơ bổ nhiệm.")
        return case

    def _candidate(self, case: Case, pk: Any) -> Candidate:
        found = case.candidates.select_related("person").filter(pk=pk).first()
        if found is None:
            raise NotFound("Không tìm thấy nhân sự trong hồ sơ.")
        return found

    def _detail(self, case: Case, status: int = 200) -> Response:
        data = dict(CaseSerializer(case).data)
        data["candidates"] = [
            {
                **CandidateSerializer(c).data,
                "verdict": services.candidate_verdict(self.request.user, case, c).to_dict(),
                "exceptions": [
                    {"rules": e.rule, "reason": e.reason, "basis": e.basis} for e in c.exceptions.all()
                ],
            }
            for c in case.candidates.select_related("person").prefetch_related("exceptions")
        ]
        steps = case.steps.order_by("number", "held_on", "id").prefetch_related("vote_rows")
        data["steps"] = StepSerializer(steps, many=True).data
        return Response(data, status=status)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(self.get_object())

    @extend_schema(request=CaseOpenSerializer, responses=CaseSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = CaseOpenSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        tenure = None
        if d.get("prior_tenure") is not None:
            tenure = Tenure.objects.restrict(request.user, CHANGE).filter(pk=d.pop("prior_tenure")).first()
            if tenure is None:
                raise NotFound("Không tìm thấy chức vụ.")
        post_id = d.pop("post", None)
        if post_id is None and tenure is not None:
            post_id = tenure.post_id
        post = Post.objects.restrict(request.user, CHANGE).filter(pk=post_id).first() if post_id else None
        if post is None:
            raise NotFound("Không tìm thấy vị trí.")
        case = services.case_open(acting_user=request.user, post=post, prior_tenure=tenure, **d)
        return self._detail(case, status=201)

    @extend_schema(request=CandidateAddSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def candidates(self, request: Request, pk: Any = None) -> Response:
        case = self._case(pk)
        ser = CandidateAddSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        person = Person.objects.restrict(request.user).filter(pk=ser.validated_data["person"]).first()
        if person is None:
            raise NotFound("Không tìm thấy cán bộ này hoặc bạn không có quyền xem hồ sơ của họ.")
        services.candidate_add(acting_user=request.user, case=case, person=person)
        return self._detail(case, status=201)

    @extend_schema(request=DeclareSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def declare(self, request: Request, pk: Any = None) -> Response:
        case = self._case(pk)
        ser = DeclareSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        cand = self._candidate(case, ser.validated_data["candidate"])
        services.candidate_declare(
            acting_user=request.user,
            candidate=cand,
            pending_discipline=ser.validated_data["pending_discipline"],
        )
        return self._detail(case)

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="start-steps")
    def start_steps(self, request: Request, pk: Any = None) -> Response:
        case = services.case_start_steps(acting_user=request.user, case=self._case(pk))
        return self._detail(case)

    @extend_schema(request=StepInSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def steps(self, request: Request, pk: Any = None) -> Response:
        case = self._case(pk)
        ser = StepInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        raw = d.pop("votes")
        if not all(str(k).isdigit() for k in raw):
            raise serializers.ValidationError({"votes": ["Khóa phải là mã nhân sự của hồ sơ (số)."]})
        services.step_record(
            acting_user=request.user, case=case, votes={int(k): v for k, v in raw.items()}, **d
        )
        return self._detail(case, status=201)

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self._detail(services.case_submit(acting_user=request.user, case=self._case(pk)))

    @extend_schema(request=ExceptionInSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def exceptions(self, request: Request, pk: Any = None) -> Response:
        case = self._case(pk)
        ser = ExceptionInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        cand = self._candidate(case, d.pop("candidate"))
        services.exception_record(acting_user=request.user, candidate=cand, **d)
        return self._detail(case, status=201)

    @extend_schema(request=DecisionInSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: Any = None) -> Response:
        case = self._case(pk)
        ser = DecisionInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        cand = self._candidate(case, d.pop("candidate"))
        return self._detail(services.case_decide(acting_user=request.user, case=case, candidate=cand, **d))

    @extend_schema(request=ExtendInSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: Any = None) -> Response:
        ser = ExtendInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        case = services.case_extend(acting_user=request.user, case=self._case(pk), **ser.validated_data)
        return self._detail(case)

    @extend_schema(request=StopInSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: Any = None) -> Response:
        ser = StopInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        case = services.case_stop(acting_user=request.user, case=self._case(pk), **ser.validated_data)
        return self._detail(case)
