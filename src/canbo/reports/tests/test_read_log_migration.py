"""The reports' former read log (ReportRead) moves into documents.DocumentRead with its
change-log entries (migration reports/0002)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from canbo.conftest import migrate_to

BEFORE = [("reports", "0001_document_reads_national_export"), ("documents", "0001_initial")]
AFTER = [("reports", "0002_reads_into_document_read")]


@pytest.mark.django_db(transaction=True)
def test_report_reads_move_to_the_document_read_log_with_their_change_log(users: dict) -> None:
    executor = MigrationExecutor(connection)
    migrate_to(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    ReportRead: Any = old.get_model("reports", "ReportRead")
    ObjectChange: Any = old.get_model("core", "ObjectChange")
    ContentType: Any = old.get_model("contenttypes", "ContentType")
    officer = users["officer_a"]
    report = ReportRead.objects.create(
        user_id=officer.pk,
        kind="so_luong_chat_luong",
        form="hien-hanh",
        file_format="xlsx",
        subject="Huyện A",
        as_of=dt.date(2024, 12, 31),
        person_count=5,
    )
    national = ReportRead.objects.create(
        kind="csdl_quoc_gia", form="csdl-quoc-gia", file_format="json", person_id_read=77, subject="Lê Văn A"
    )
    old_type, _ = ContentType.objects.get_or_create(app_label="reports", model="reportread")
    ObjectChange.objects.create(
        user_id=officer.pk,
        user_name="officer_a",
        request_id=uuid.uuid4(),
        source="web",
        action="create",
        content_type=old_type,
        object_id=report.pk,
        object_repr="Báo cáo số lượng, chất lượng (xlsx)",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    DocumentRead: Any = new.get_model("documents", "DocumentRead")
    moved = {r.kind: r for r in DocumentRead.objects.all()}
    assert set(moved) == {"so_luong_chat_luong", "csdl_quoc_gia"}
    stats = moved["so_luong_chat_luong"]
    assert (stats.user_id, stats.form, stats.file_format, stats.subject, stats.as_of, stats.person_count) == (
        officer.pk,
        "hien-hanh",
        "xlsx",
        "Huyện A",
        dt.date(2024, 12, 31),
        5,
    )
    assert stats.person_id is None and stats.user_name
    assert (moved["csdl_quoc_gia"].person_id, moved["csdl_quoc_gia"].person_name) == (77, "Lê Văn A")
    assert moved["csdl_quoc_gia"].user_name == "hệ thống" and national.pk
    entry = new.get_model("core", "ObjectChange").objects.get(object_repr__startswith="Báo cáo số lượng")
    assert (entry.content_type.app_label, entry.content_type.model, entry.object_id) == (
        "documents",
        "documentread",
        stats.pk,
    )
    assert "reportread" not in connection.introspection.table_names() and "reports_reportread" not in (
        connection.introspection.table_names()
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
