"""API of the rulebook: rule versions, retirement, eligibility verdicts and a person's calendar.

Same permissions as the pages: a person outside the user's grants answers 404; bad input
answers 400 with a Vietnamese ``detail`` (through ``core.api.exception_handler``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from canbo.core.errors import DomainError
from canbo.org.models import Title
from canbo.people.models import Person
from canbo.rules import cli, selectors
from canbo.rules.engine.calculators import months_left, retirement
from canbo.rules.engine.checks import PURPOSES
from canbo.rules.models import RuleVersion


def _person(request: Request, raw: Any) -> Person:
    pid = cli.parse_int(raw, "Mã hồ sơ (person)", minimum=1)
    person = Person.objects.restrict(request.user).select_related("managing_unit").filter(pk=pid).first()
    if person is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    return person


class RuleVersionsView(APIView):
    """Every version of every rule (``?rule=D-6`` for one rule).

    ``statement_vi`` is the Vietnamese statement shown in the interface; ``statement`` keeps
    RULES.md's English text.
    """

    @extend_schema(
        parameters=[OpenApiParameter("rule", OpenApiTypes.STR, description="Mã quy định, ví dụ D-6")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        qs = RuleVersion.objects.all().order_by("rule_id", "version")
        if request.query_params.get("rule"):
            qs = qs.filter(rule_id=request.query_params["rule"])
        return Response(
            [
                {
                    "rule": v.rule_id,
                    "version": v.version,
                    "name": v.name,
                    "statement_vi": v.display_statement,
                    "statement": v.statement,
                    "basis": v.basis,
                    "confidence": v.confidence,
                    "valid_from": v.valid_from,
                    "valid_to": v.valid_to,
                    "params": v.params,
                }
                for v in qs
            ]
        )


class RetirementView(APIView):
    """Retirement date: ``?sex=nam|nu&born=DD/MM/YYYY|MM/YYYY|YYYY``, or ``?person=ID`` (with the
    person's override and months left at ``?at=YYYY-MM-DD``)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("sex", OpenApiTypes.STR, enum=["nam", "nu"]),
            OpenApiParameter("born", OpenApiTypes.STR),
            OpenApiParameter("person", OpenApiTypes.INT),
            OpenApiParameter("at", OpenApiTypes.DATE),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        q = request.query_params
        book = selectors.rulebook()
        if q.get("person"):
            person = _person(request, q["person"])
            ret = retirement(book, selectors.birth_of(person), selectors.override_of(request.user, person))
        else:
            ret = retirement(book, cli.birth_from(q.get("sex"), q.get("born")))
        years, months = ret.age or (0, 0)
        out: dict[str, Any] = {
            "retirement_date": ret.date.isoformat(),
            "retirement_age": {"years": years, "months": months},
            "pension_start": ret.pension_start.isoformat(),
            "override": bool(ret.override),
        }
        if q.get("at"):
            out["months_left"] = months_left(ret, cli.parse_iso_date(q["at"], "Ngày (at)"))
        return Response(out)


class CheckView(APIView):
    """The verdict: ``?person=ID&purpose=...&title=CODE&at=YYYY-MM-DD`` (+ optional declarations
    ``dang_xem_xet_ky_luat``, ``de_nghi_bo_nhiem``, ``so_nguoi_quy_hoach``,
    ``so_chuc_danh_quy_hoach``, ``thoi_gian_luan_chuyen``, ``muc_dich_luan_chuyen``). The planning
    status is read from the dossier's planning lists (``quy_hoach`` is ignored)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("person", OpenApiTypes.INT, required=True),
            OpenApiParameter("purpose", OpenApiTypes.STR, required=True, enum=list(PURPOSES)),
            OpenApiParameter("title", OpenApiTypes.STR, required=True),
            OpenApiParameter("at", OpenApiTypes.DATE, required=True),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        q = request.query_params
        purpose = cli.parse_purpose(q.get("purpose"))
        day = cli.parse_iso_date(q.get("at"), "Ngày xét (at)")
        code = (q.get("title") or "").strip()
        title = Title.objects.filter(code=code).first() if code else None
        if title is None:
            raise DomainError(f"Không có chức danh mã “{code}”." if code else "Thiếu mã chức danh (title).")
        declared = cli.declared_from(q)
        person = _person(request, q.get("person"))
        return Response(selectors.verdict(request.user, person, purpose, title, day, declared).to_dict())


class PersonCalendarView(APIView):
    """A person's career calendar at ``?at=YYYY-MM-DD`` (default today)."""

    @extend_schema(parameters=[OpenApiParameter("at", OpenApiTypes.DATE)], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, person_id: int) -> Response:
        from canbo.core.dates import today

        person = _person(request, person_id)
        day = (
            cli.parse_iso_date(request.query_params["at"], "Ngày (at)")
            if request.query_params.get("at")
            else today()
        )
        cal = selectors.person_calendar(request.user, person, day)
        ret = cal.retirement
        return Response(
            {
                "person": person.pk,
                "at": day,
                "retirement_date": ret.date if ret else None,
                "pension_start": ret.pension_start if ret else None,
                "months_left": cal.months_left,
                "age": {"years": cal.age[0], "months": cal.age[1]} if cal.age else None,
                "terms": [t.__dict__ for t in cal.terms],
                "disciplines": [w.__dict__ for w in cal.windows],
            }
        )


class PersonRecordVerdictsView(APIView):
    """Verdicts on a person's recorded disciplines (validator 9), confidence votes (7) and yearly
    ratings (8): ``/api/rules/person/<id>/<ky-luat|lay-phieu|xep-loai>/``."""

    @extend_schema(parameters=[OpenApiParameter("at", OpenApiTypes.DATE)], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, person_id: int, kind: str) -> Response:
        from canbo.core.dates import today

        person = _person(request, person_id)
        if kind == "ky-luat":
            at = request.query_params.get("at")
            day = cli.parse_iso_date(at, "Ngày (at)") if at else today()
            verdicts = selectors.discipline_verdicts(request.user, person, day)
        elif kind == "lay-phieu":
            verdicts = selectors.vote_verdicts(request.user, person)
        elif kind == "xep-loai":
            verdicts = selectors.rating_verdicts(request.user, person)
        else:
            raise NotFound("Không có loại này (ky-luat, lay-phieu, xep-loai).")
        return Response([v.to_dict() for v in verdicts])
