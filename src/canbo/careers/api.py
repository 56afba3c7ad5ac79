"""The posts a person held on a day, as the person API shows them (``posts_on_date``); registered
in ``CareersConfig.ready()`` as hooks of ``people.panels``.

Django REST framework is imported when the first posts are serialised, not with this module:
``ready()`` imports it at start-up, and DRF would load requests, PyYAML, Pygments and
``django.contrib.postgres`` into every command (docs/architecture.md, "Start-up: heavy libraries
imported when used").
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db.models import Prefetch, QuerySet

from canbo.careers.models import Tenure, on_date_q


@functools.cache
def tenure_brief_serializer() -> Any:
    """The serializer class of a post in the person API (made once, on first use)."""
    from rest_framework import serializers

    class TenureBriefSerializer(serializers.ModelSerializer):
        title = serializers.CharField(source="title.name")
        unit = serializers.CharField(source="unit.name")

        class Meta:
            model = Tenure
            fields = ("id", "title", "unit", "kind", "is_primary", "start_date", "end_date")

    return TenureBriefSerializer


def with_posts_on_date(persons: QuerySet[Any], day: dt.date) -> QuerySet[Any]:
    return persons.prefetch_related(
        Prefetch(
            "tenure_set",
            queryset=Tenure.objects.filter(on_date_q(day)).select_related("title", "unit"),
            to_attr="tenures_on_day",
        )
    )


def posts_on_date(person: Any, day: dt.date) -> list[dict[str, Any]]:
    tenures = getattr(person, "tenures_on_day", None)
    if tenures is None:
        tenures = Tenure.objects.filter(on_date_q(day), person=person).select_related("title", "unit")
    data: list[dict[str, Any]] = tenure_brief_serializer()(tenures, many=True).data
    return data
