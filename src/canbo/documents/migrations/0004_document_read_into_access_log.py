"""The documents' read log (DocumentRead) moves into the one read log (core.AccessLog): every
row, with its time, user, person, and in ``detail`` what it held (document kind, form, template
version, format, as-of date, action, withheld items, subject, number of persons, batch)."""

from django.db import migrations

KINDS = {
    "so_yeu_ly_lich": "sơ yếu lý lịch",
    "so_luong_chat_luong": "báo cáo số lượng, chất lượng",
    "danh_sach_quy_hoach": "danh sách quy hoạch",
    "csdl_quoc_gia": "hồ sơ gửi CSDL quốc gia",
}
ACTIONS = {"tao": "Tạo", "tai": "Tải về"}
FORMATS = {"docx": "Word", "pdf": "PDF", "xlsx": "Excel", "json": "JSON"}
FIELDS = (
    "kind", "form", "template_version", "file_format", "action", "withheld", "subject", "person_count",
)


def _what(r) -> str:  # type: ignore[no-untyped-def]
    about = r.person_name or r.subject
    on = f", dữ liệu tại ngày {r.as_of:%d/%m/%Y}" if r.as_of else ""
    text = f"{ACTIONS.get(r.action, r.action)} {KINDS.get(r.kind, r.kind)}"
    return (text + (f": {about}" if about else "") + f" ({FORMATS.get(r.file_format, r.file_format)}){on}")[:300]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    DocumentRead = apps.get_model("documents", "DocumentRead")
    AccessLog = apps.get_model("core", "AccessLog")
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                time=r.created,
                user_id=r.user_id,
                user_name=r.user_name,
                source="web",
                kind="van-ban",
                person_id=r.person_id,
                person_name=r.person_name,
                what=_what(r),
                sensitive=r.kind == "so_yeu_ly_lich" and not r.withheld,
                count=r.person_count,
                request_id="",
                detail={
                    **{f: getattr(r, f) for f in FIELDS},
                    "document": r.kind,
                    "as_of": r.as_of.isoformat() if r.as_of else None,
                    "batch": r.batch_id,
                    "document_read_id": r.pk,
                },
            )
            for r in DocumentRead.objects.order_by("pk")
        ],
        batch_size=500,
    )


def _purge_allowed(schema_editor) -> None:  # type: ignore[no-untyped-def]
    """Lets this transaction delete from the append-only log on PostgreSQL (core 0002)."""
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute("SELECT set_config('canbo.accesslog_purge', 'on', true)")


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Back to the former table; the moved rows leave the read log."""
    DocumentRead = apps.get_model("documents", "DocumentRead")
    AccessLog = apps.get_model("core", "AccessLog")
    for r in AccessLog.objects.filter(kind="van-ban").order_by("pk"):
        d = r.detail
        row = DocumentRead.objects.create(
            user_id=r.user_id,
            user_name=r.user_name,
            kind=d.get("document", "so_yeu_ly_lich"),
            person_id=r.person_id,
            person_name=r.person_name,
            subject=d.get("subject", ""),
            person_count=d.get("person_count", r.count),
            form=d.get("form", ""),
            template_version=d.get("template_version", 0),
            file_format=d.get("file_format", ""),
            as_of=d.get("as_of"),
            action=d.get("action", "tai"),
            withheld=d.get("withheld", ""),
            batch_id=d.get("batch"),
        )
        DocumentRead.objects.filter(pk=row.pk).update(created=r.time)
    _purge_allowed(schema_editor)
    AccessLog.objects.filter(kind="van-ban").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_access_log"),
        ("documents", "0003_template_forms_registered_case_reads"),
        # The reports' former read log moved into DocumentRead first.
        ("reports", "0002_reads_into_document_read"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="DocumentRead"),
    ]
