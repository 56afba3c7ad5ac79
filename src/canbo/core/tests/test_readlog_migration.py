"""The former read records move into the read log (core.AccessLog) with what they held:
documents.DocumentRead (documents/0004) and lists.ListExport (lists/0003)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from canbo.conftest import migrate_to

BEFORE = [
    ("core", "0002_access_log"),
    ("documents", "0002_document_read_for_every_document"),
    ("reports", "0002_reads_into_document_read"),
    ("lists", "0002_list_filters_may_be_empty"),
]
AFTER = [("documents", "0004_document_read_into_access_log"), ("lists", "0003_list_export_into_access_log")]


@pytest.mark.django_db(transaction=True)
def test_document_reads_and_list_exports_move_into_the_read_log(users: dict) -> None:
    executor = MigrationExecutor(connection)
    migrate_to(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    DocumentRead: Any = old.get_model("documents", "DocumentRead")
    ListExport: Any = old.get_model("lists", "ListExport")
    officer = users["officer_a"]
    resume = DocumentRead.objects.create(
        user_id=officer.pk,
        user_name="Phạm Lan",
        kind="so_yeu_ly_lich",
        person_id=41,
        person_name="Lê Văn Tám",
        form="bnv",
        template_version=2,
        file_format="pdf",
        as_of=dt.date(2024, 12, 31),
        action="tai",
        withheld="29) đặc điểm lịch sử bản thân",
    )
    stats = DocumentRead.objects.create(
        user_name="hệ thống",
        kind="so_luong_chat_luong",
        subject="Huyện A",
        person_count=5,
        form="hien-hanh",
        file_format="xlsx",
        action="tao",
    )
    export = ListExport.objects.create(
        user_id=officer.pk,
        as_of=dt.date(2025, 1, 1),
        filters={"gioi_tinh": "nam"},
        columns=["ho_ten"],
        row_count=7,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    AccessLog: Any = new.get_model("core", "AccessLog")
    moved = {
        r.detail.get("document_read_id") or ("export", r.detail["list_export_id"]): r
        for r in AccessLog.objects.all()
    }
    r = moved[resume.pk]
    assert (r.user_id, r.user_name, r.person_id, r.person_name, r.kind, r.sensitive) == (
        officer.pk,
        "Phạm Lan",
        41,
        "Lê Văn Tám",
        "van-ban",
        False,  # the sensitive items were withheld
    )
    assert r.time == resume.created
    assert {
        k: r.detail[k] for k in ("document", "form", "template_version", "file_format", "as_of", "action")
    } == {
        "document": "so_yeu_ly_lich",
        "form": "bnv",
        "template_version": 2,
        "file_format": "pdf",
        "as_of": "2024-12-31",
        "action": "tai",
    }
    assert r.detail["withheld"] == "29) đặc điểm lịch sử bản thân"
    assert r.what == "Tải về sơ yếu lý lịch: Lê Văn Tám (PDF), dữ liệu tại ngày 31/12/2024"
    s = moved[stats.pk]
    assert s.person_id is None and s.count == 5 and s.detail["subject"] == "Huyện A" and s.user_id is None
    e = moved[("export", export.pk)]
    assert (e.kind, e.user_id, e.count, e.time) == ("xuat", officer.pk, 7, export.created)
    assert e.detail["filters"] == {"gioi_tinh": "nam"} and e.detail["columns"] == ["ho_ten"]
    assert e.what == "Xuất danh sách ra Excel (7 người, tính đến 01/01/2025)"
    tables = connection.introspection.table_names()
    assert "documents_documentread" not in tables and "lists_listexport" not in tables

    # Back and forth again: the rows return to their tables and are not copied twice.
    executor = MigrationExecutor(connection)
    migrate_to(BEFORE)
    assert old.get_model("documents", "DocumentRead").objects.count() == 2
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert new.get_model("core", "AccessLog").objects.count() == 3
