"""The body that held a confidence vote is a field (issue 20): Party committee, People's Council
or another meeting. Existing records get it from their wording (migration assessment/0004); the
page, the API and the import take it (the import infers it from the wording when the column is
absent); V-8 reads the field, not the wording (``planning/tests/test_consequences.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from canbo.assessment.models import ConfidenceVote, vote_body_of
from canbo.conftest import new_person
from canbo.people.models import Person

COUNTS = {"position": "Chủ tịch UBND huyện", "convened": 30, "present": 30, "ballots": 30,
          "high": 10, "medium": 3, "low": 17}  # fmt: skip


def test_the_wording_read_for_old_records_and_sheets_without_the_column() -> None:
    assert vote_body_of("Kỳ họp Hội đồng nhân dân — Huyện A") == "hdnd"
    assert vote_body_of("Kỳ họp thứ 8 HĐND huyện A") == "hdnd"
    assert vote_body_of("Hội nghị Ban Chấp hành đảng bộ — Huyện A") == "cap_uy"
    assert vote_body_of("Hội nghị Huyện uỷ mở rộng") == "cap_uy"
    assert vote_body_of("Hội nghị cán bộ chủ chốt Sở Tài chính") == "khac"


@pytest.mark.django_db(transaction=True)
def test_migration_sets_the_body_from_the_existing_labels(tree: dict) -> None:
    person = new_person(tree["A1"], "Lê Văn Cũ", sex="nam")
    before = [("assessment", "0003_award_achievement")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old: Any = executor.loader.project_state(before).apps.get_model("assessment", "ConfidenceVote")
    labels = {
        "Kỳ họp Hội đồng nhân dân — Huyện A": "hdnd",  # written by the finalising step
        "Kỳ họp thứ 8 HĐND huyện A": "hdnd",  # typed by hand: treated as a Party vote until now
        "Hội nghị Ban Chấp hành đảng bộ — Huyện A": "cap_uy",
        "Hội nghị cán bộ chủ chốt": "khac",
    }
    for i, label in enumerate(labels):
        old.objects.create(person_id=person.pk, vote_date=dt.date(2024, 1, 1 + i), body=label, **COUNTS)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert {v.body: v.body_kind for v in ConfidenceVote.objects.all()} == labels


@pytest.mark.django_db
def test_page_and_api_take_the_body_and_refuse_a_missing_or_unknown_one(
    users: dict, person_a: Person
) -> None:
    c = Client()
    c.force_login(users["officer_a"])
    form = {"vote_date": "01/12/2025", "body": "Kỳ họp thứ 8 HĐND huyện A", "reason": "Bổ sung", **COUNTS}
    page = c.post(f"/can-bo/{person_a.pk}/tin-nhiem/them/", form)
    assert page.status_code == 400 and "Cơ quan lấy phiếu" in page.content.decode()
    assert c.post(f"/can-bo/{person_a.pk}/tin-nhiem/them/", {**form, "body_kind": "hdnd"}).status_code == 302
    assert ConfidenceVote.objects.get().body_kind == "hdnd"

    api = f"/api/persons/{person_a.pk}/tin-nhiem/"
    data = {**form, "vote_date": "2025-12-02", "body_kind": "x"}
    bad = c.post(api, data, content_type="application/json")
    assert bad.status_code == 400 and "không phải là lựa chọn hợp lệ" in bad.json()["errors"]["body_kind"][0]
    data["body_kind"] = "khac"
    assert c.post(api, data, content_type="application/json").status_code == 201
    assert sorted(ConfidenceVote.objects.values_list("body_kind", flat=True)) == ["hdnd", "khac"]
    # The other subtree's officer writes nothing.
    other = Client()
    other.force_login(users["officer_b"])
    refused = other.post(api, {**data, "vote_date": "2025-12-03"}, content_type="application/json")
    assert refused.status_code in (403, 404)
    assert ConfidenceVote.objects.count() == 2
