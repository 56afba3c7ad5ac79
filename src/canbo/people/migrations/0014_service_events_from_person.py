"""Carry ``Person.recruitment_date`` and ``left_service_date``/``left_service_reason`` over into
service events, and derive the periods of service from them (people.service_history).

The values are moved, not changed, so no change-log entry is written (as for the other data
migrations). The kind of the exit is read from the free-text reason: "hưu" → retirement, "từ
trần"/"chết"/"qua đời"/"mất" → death, "chuyển" → transfer out, anything else → resignation
(thôi việc), the text kept as the event's details.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.db import migrations

BATCH = 2000


def exit_kind(reason: str) -> str:
    from canbo.core.text import fold

    text = f" {fold(reason)} "
    if "huu" in text:
        return "nghi_huu"
    if any(w in text for w in ("tu tran", "chet", "qua doi", " mat ")):
        return "tu_tran"
    if "chuyen" in text:
        return "chuyen_di"
    return "thoi_viec"


def forward(apps: Any, schema_editor: Any) -> None:
    from canbo.people.service_history import periods

    Person = apps.get_model("people", "Person")
    ServiceEvent = apps.get_model("people", "ServiceEvent")
    ServiceGap = apps.get_model("people", "ServiceGap")
    labels = {
        "tuyen_dung": "Tuyển dụng",
        "chuyen_den": "Chuyển đến tỉnh",
        "chuyen_di": "Chuyển khỏi tỉnh",
        "nghi_huu": "Nghỉ hưu",
        "thoi_viec": "Thôi việc",
        "tu_tran": "Từ trần",
    }
    qs = (
        Person.objects.exclude(recruitment_date__isnull=True, left_service_date__isnull=True)
        .order_by("pk")
        .only("pk", "recruitment_date", "left_service_date", "left_service_reason")
    )
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:BATCH])
        if not chunk:
            break
        last = chunk[-1].pk
        events, gaps = [], []
        for p in chunk:
            pairs = []
            if p.recruitment_date:
                events.append(ServiceEvent(person_id=p.pk, kind="tuyen_dung", event_date=p.recruitment_date))
                pairs.append(("tuyen_dung", p.recruitment_date))
            if p.left_service_date:
                kind = exit_kind(p.left_service_reason or "")
                events.append(
                    ServiceEvent(
                        person_id=p.pk,
                        kind=kind,
                        event_date=p.left_service_date,
                        details=(p.left_service_reason or "")[:300],
                    )
                )
                pairs.append((kind, p.left_service_date))
            spans = periods(pairs)
            end = spans[-1] if spans else None
            p.service_from = spans[0].start if spans else None
            p.service_until = end.end if end else None
            p.service_end_kind = (end.end_kind or None) if end else None
            if end is not None and end.end is not None and not p.left_service_reason:
                p.left_service_reason = labels[end.end_kind]
            for a, b in itertools.pairwise(spans):
                if a.end is not None and b.start is not None:
                    gaps.append(ServiceGap(person_id=p.pk, start=a.end, end=b.start, kind=a.end_kind))
        ServiceEvent.objects.bulk_create(events, batch_size=BATCH)
        ServiceGap.objects.bulk_create(gaps, batch_size=BATCH)
        Person.objects.bulk_update(
            chunk, ["service_from", "service_until", "service_end_kind", "left_service_reason"], batch_size=BATCH
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0013_service_events")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)]
