"""National-database API: a person's document in the 10 groups, and its JSON Schema."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from canbo.people.models import Person
from canbo.reports import national


class NationalPersonView(APIView):
    """``/api/national/persons/{personal_id}/``: the person's document keyed by his personal
    identification number (12 digits), over the user's grants (a person outside them answers 404,
    as a missing one); sensitive groups only for grants that include them. Every read is logged."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "personal_id", {"type": "string", "pattern": "^[0-9]{12}$"}, location=OpenApiParameter.PATH
            )
        ],
        responses={200: dict},
    )
    def get(self, request: Request, personal_id: str) -> Response:
        if not national.PERSONAL_ID.match(personal_id):
            raise DRFValidationError({"personal_id": ["Số định danh cá nhân phải gồm đúng 12 chữ số."]})
        person = (
            Person.objects.restrict(request.user)
            .select_related("ethnicity", "religion", "managing_unit")
            .filter(personal_id=personal_id)
            .first()
        )
        if person is None:
            raise Http404("Không tìm thấy hồ sơ có số định danh này trong phạm vi được giao.")
        doc = national.document(request.user, person)
        national.record_read(request.user, person=person, file_format="json", subject=person.full_name)
        return Response(doc)


class NationalSchemaView(APIView):
    """The published JSON Schema of the documents (public: it holds no personal data)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(national.schema())
