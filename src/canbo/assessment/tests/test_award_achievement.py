"""Migration 0002: an award created through the API before the fix gets its achievement back
from its change-log entry, where the old field name ``reason`` had sent it (issue 14)."""

from __future__ import annotations

import importlib
import uuid

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from canbo.assessment.models import Award
from canbo.core.models import ObjectChange
from canbo.people.models import Person

migration = importlib.import_module("canbo.assessment.migrations.0003_award_achievement")


def _created(award: Award, *, source: str, reason: str) -> None:
    ObjectChange.objects.create(
        user_name="officer_a",
        request_id=uuid.uuid4(),
        source=source,
        action="create",
        content_type=ContentType.objects.get_for_model(Award),
        object_id=award.pk,
        object_repr=str(award),
        related_person_id=award.person_id,
        reason=reason,
        postchange_data={"reason": ""},
    )


def test_achievement_recovered_from_api_create_entries_only(person_a: Person) -> None:
    by_api = Award.objects.create(person=person_a, form="Bằng khen", year=2020)
    by_import = Award.objects.create(person=person_a, form="Giấy khen", year=2021)
    kept = Award.objects.create(person=person_a, form="Chiến sĩ thi đua", year=2022, achievement="Đã có")
    _created(by_api, source="api", reason="Hoàn thành xuất sắc nhiệm vụ năm 2020")
    _created(by_import, source="import", reason="Nhập từ tệp ds.xlsx")
    _created(kept, source="api", reason="Lý do khác")

    migration.recover_from_log(apps, None)

    achievements = dict(Award.objects.values_list("pk", "achievement"))
    assert achievements == {
        by_api.pk: "Hoàn thành xuất sắc nhiệm vụ năm 2020",
        by_import.pk: "",
        kept.pk: "Đã có",
    }
