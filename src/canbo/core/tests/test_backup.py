"""`./canbo backup` and `./canbo restore` (issue 21, "Keep"): a backup, then changes (rows and an
attachment), then the restore gives back every table row by row and every attachment byte for
byte, on SQLite (in this process, through the backup API) and on PostgreSQL (the commands run as
processes: pg_dump of the test database, pg_restore into a second database the test creates).

The comparison here is the test's own: every row of every table read with ``SELECT *``, not the
digests of the manifest that the restore itself checks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from importlib import import_module
from io import StringIO
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from psycopg.types.string import TextLoader

from canbo.conftest import new_person
from canbo.core.backup import BackupError, pg_tool
from canbo.people.models import Attachment, Person
from canbo.people.services import attachment_add, person_update, section_delete

REPO = Path(__file__).resolve().parents[4]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PDF_2 = b"%PDF-1.4\n2 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def table_rows(cursor: Any, tables: list[str]) -> dict[str, list[str]]:
    """Every row of every table, as printed by Python, sorted (order-free comparison)."""
    result = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')
        result[table] = sorted(repr(tuple(_plain(v) for v in row)) for row in cursor.fetchall())
    return result


def _plain(value: Any) -> Any:
    """The same value read by Django's connection or a plain psycopg one (whose UTC is a ZoneInfo)."""
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()
    return value


def all_tables(cursor: Any) -> list[str]:
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(row[0] for row in cursor.fetchall())


def database_rows() -> dict[str, list[str]]:
    connection.close()  # a fresh session: the restore replaced the tables under the old one
    with connection.cursor() as cursor:
        return table_rows(cursor, all_tables(cursor))


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def attach(user: User, person: Person, content: bytes, title: str) -> Attachment:
    return attachment_add(
        acting_user=user,
        person=person,
        upload=SimpleUploadedFile("quyet-dinh.pdf", content),
        kind="quyet_dinh",
        title=title,
        reason="Bổ sung hồ sơ",
    )


def make_data(users: dict[str, User]) -> Attachment:
    person = Person.objects.get(full_name="Nguyễn Thị Hoa")
    return attach(users["officer_a"], person, PDF, "Quyết định bổ nhiệm")


def change_data(users: dict[str, User], attachment: Attachment) -> None:
    """Rows added, changed and deleted, one attachment file gone and another one added."""
    officer = users["officer_a"]
    person = Person.objects.get(pk=attachment.person_id)
    new_person(person.managing_unit, "Lê Văn Mới", sex="nam", acting_user=officer)
    person_update(
        acting_user=officer, person=person, changes={"full_name": "Nguyễn Thị Hòa"}, reason="Sửa lỗi"
    )
    section_delete(acting_user=officer, instance=attachment, reason="Tải nhầm")
    attach(officer, person, PDF_2, "Quyết định nâng lương")


def counted(output: str, table: str, rows: int) -> bool:
    """The restore printed ``table  rows / rows  khớp``."""
    return any(line.split() == [table, str(rows), "/", str(rows), "khớp"] for line in output.splitlines())


def sqlite_env(tmp_path: Path) -> dict[str, str]:
    path = str(tmp_path / "x.sqlite3")
    return {"CANBO_DB": "sqlite", "CANBO_VAR_DIR": str(tmp_path), "CANBO_SQLITE_PATH": path}


def run(command: str, *args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    return settings.VAR_DIR


# --- SQLite: the commands in this process, on the test database --------------------------------


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite path")


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_change_restore_gives_back_every_row_and_file(
    users: dict[str, User], var_dir: Path, tmp_path: Path
) -> None:
    attachment = make_data(users)
    media = Path(django_settings.MEDIA_ROOT)
    before_rows, before_files = database_rows(), media_files(media)
    assert len(before_files) == 1 and before_rows["people_attachment"]

    code, out, err = run("backup", "--output", str(tmp_path / "saved"))
    assert code == 0, err
    (archive,) = (tmp_path / "saved").glob("canbo-*.tar")
    assert archive.name == f"canbo-{dt.datetime.now().astimezone():%Y-%m-%d}-{archive.name[17:23]}.tar"
    assert archive.stat().st_mode & 0o077 == 0  # the owner alone reads the dossiers in it
    assert "Đã sao lưu" in out and "1 tệp đính kèm" in out
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["tables"]["people_person"]["rows"] == len(before_rows["people_person"])
    assert "people.0001_initial" in manifest["migrations"]
    assert set(manifest["files"]) == {"database.sqlite3", f"media/attachments/{attachment.storage_name}"}

    change_data(users, attachment)
    assert database_rows() != before_rows and media_files(media) != before_files

    code, out, err = run("restore", str(archive))
    assert code == 1 and "--force" in err and "không trống" in err
    assert "Traceback" not in err

    code, out, err = run("restore", str(archive), "--force")
    assert code == 0, err
    assert "Mọi bảng và tệp đính kèm khớp" in out
    assert counted(out, "people_person", len(before_rows["people_person"]))
    assert database_rows() == before_rows
    assert media_files(media) == before_files
    log = (var_dir / "backup.log").read_text().splitlines()
    assert [json.loads(line)["action"] for line in log] == ["sao lưu", "khôi phục"]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_tampered_or_truncated_archive_is_refused_and_nothing_restored(
    users: dict[str, User], var_dir: Path, tmp_path: Path
) -> None:
    attachment = make_data(users)
    code, _out, err = run("backup", "--output", str(tmp_path))
    assert code == 0, err
    (archive,) = tmp_path.glob("canbo-*.tar")
    change_data(users, attachment)
    changed = database_rows()

    # One byte of the attachment changed inside the archive.
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith("media/"))
    tampered = tmp_path / "tampered.tar"
    data = bytearray(archive.read_bytes())
    data[member.offset_data] ^= 0xFF
    tampered.write_bytes(bytes(data))
    code, _out, err = run("restore", str(tampered), "--force")
    assert code == 1 and "không khớp bảng kê" in err and "sai mã kiểm tra" in err, err

    # The same archive beside its checksum file: refused on the archive's own checksum.
    (tmp_path / "tampered.tar.sha256").write_text((tmp_path / f"{archive.name}.sha256").read_text())
    code, _out, err = run("restore", str(tampered), "--force")
    assert code == 1 and "không khớp mã kiểm tra" in err, err

    # Cut in the middle: the manifest, written last, is missing.
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    code, _out, err = run("restore", str(truncated), "--force")
    assert code == 1 and "cắt cụt" in err, err

    # Not an archive at all.
    (tmp_path / "other.tar").write_bytes(b"not a tar file" * 100)
    code, _out, err = run("restore", str(tmp_path / "other.tar"), "--force")
    assert code == 1 and "không phải tệp sao lưu CanBo" in err, err

    assert database_rows() == changed


def _manage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "canbo.settings", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def in_process(*argv: str) -> tuple[int, str]:
    """``manage.py ARGV`` in this process: the command's own parser and messages
    (``run_from_argv``, as manage.py calls it); the exit status and stderr."""
    err = StringIO()
    module = import_module(f"canbo.core.management.commands.{argv[0]}")
    command = module.Command(stdout=StringIO(), stderr=err)
    try:
        command.run_from_argv(["manage.py", *argv])
    except SystemExit as exc:
        return int(exc.code or 0), err.getvalue()
    return 0, err.getvalue()


@pytest.mark.parametrize(
    ("args", "code", "message", "process"),
    [
        (["backup", "--bogus"], 2, "Dùng: ./canbo backup [--output THƯ_MỤC]", False),
        (["backup", "--output"], 2, "Dùng: ./canbo backup", False),
        (["restore"], 2, "Dùng: ./canbo restore TỆP_SAO_LƯU.tar [--force]", False),
        (["restore", "a.tar", "b.tar"], 2, "Tham số không hợp lệ", False),
        # One refusal of each command as a real process (the other is the next test's).
        (["restore", "/khong-co/tep.tar"], 1, "Không tìm thấy tệp sao lưu /khong-co/tep.tar.", True),
    ],
)
def test_bad_arguments_vietnamese_message_and_exit_code(
    tmp_path: Path, args: list[str], code: int, message: str, process: bool
) -> None:
    """Argument refusals are about the commands' parsers and messages, so most run in this process
    (on nothing: each is refused before the database or a file is touched)."""
    if process:
        result = _manage(*args, env=sqlite_env(tmp_path))
        returncode, stderr = result.returncode, result.stderr
    else:
        returncode, stderr = in_process(*args)
    assert returncode == code
    assert message in stderr and "Traceback" not in stderr


@pytest.mark.own_database
def test_output_directory_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = _manage("backup", "--output", str(blocker / "sub"), env=sqlite_env(tmp_path))
    assert result.returncode == 1
    assert "Không ghi được vào thư mục" in result.stderr and "Traceback" not in result.stderr


# --- PostgreSQL: the commands as processes; pg_restore into a second database ------------------


def pg_env(tmp_path: Path) -> dict[str, str]:
    """The commands' environment: this test database and this test's MEDIA_ROOT."""
    db = connection.settings_dict
    return {
        "CANBO_DB": "postgresql",
        "CANBO_DB_NAME": str(db["NAME"]),
        "CANBO_DB_HOST": str(db["HOST"]),
        "CANBO_DB_PORT": str(db["PORT"] or 5432),
        "CANBO_DB_USER": str(db["USER"]),
        "CANBO_DB_PASSWORD": str(db["PASSWORD"]),
        "CANBO_MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "CANBO_VAR_DIR": str(tmp_path / "var"),
    }


def second_name() -> str:
    return f"{connection.settings_dict['NAME']}_restore"


def second_env(tmp_path: Path, media: Path) -> dict[str, str]:
    return {**pg_env(tmp_path), "CANBO_DB_NAME": second_name(), "CANBO_MEDIA_ROOT": str(media)}


def second_connection() -> psycopg.Connection[Any]:
    db = connection.settings_dict
    login = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"]}
    other = psycopg.connect(dbname=second_name(), **login)
    other.adapters.register_loader("jsonb", TextLoader)  # as Django reads it: the text
    return other


@contextlib.contextmanager
def restored_into_second_database(
    tmp_path: Path, archive: Path, media: Path | None = None
) -> Iterator[subprocess.CompletedProcess[str]]:
    """``./canbo restore`` into an empty database created for it (dropped afterwards)."""
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{second_name()}"')
        cursor.execute(f'CREATE DATABASE "{second_name()}"')
    try:
        media = media or tmp_path / "restored-media"
        yield _manage("restore", str(archive), env=second_env(tmp_path, media))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{second_name()}" WITH (FORCE)')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL path")
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_change_restore_into_a_second_database(
    users: dict[str, User], tmp_path: Path
) -> None:
    attachment = make_data(users)
    media = Path(django_settings.MEDIA_ROOT)
    before_rows, before_files = database_rows(), media_files(media)
    env = pg_env(tmp_path)
    made = _manage("backup", "--output", str(tmp_path / "saved"), env=env)
    assert made.returncode == 0, made.stderr
    (archive,) = (tmp_path / "saved").glob("canbo-*.tar")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        dump = tar.extractfile("database.dump").read(5)  # type: ignore[union-attr]
    assert dump == b"PGDMP"  # pg_dump's custom format
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["tables"]["people_person"]["rows"] == len(before_rows["people_person"])

    change_data(users, attachment)
    assert database_rows() != before_rows

    restored_media = tmp_path / "restored-media"
    with restored_into_second_database(tmp_path, archive, restored_media) as done:
        assert done.returncode == 0, done.stderr
        assert "Mọi bảng và tệp đính kèm khớp" in done.stdout
        assert counted(done.stdout, "people_person", len(before_rows["people_person"]))
        with second_connection() as other:
            assert table_rows(other.cursor(), all_tables(other.cursor())) == before_rows
        assert media_files(restored_media) == before_files

        again = _manage("restore", str(archive), env=second_env(tmp_path, restored_media))
        assert again.returncode == 1 and "--force" in again.stderr and "Traceback" not in again.stderr

    # Over the changed database itself, with --force: the changes are gone.
    connection.close()
    forced = _manage("restore", str(archive), "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert database_rows() == before_rows
    assert media_files(media) == before_files


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL path")
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_while_written_is_one_consistent_state(
    users: dict[str, User], tmp_path: Path
) -> None:
    """Dossiers are created without pause while the backup runs: the manifest's counts and digests
    are those of the dump (read in the transaction whose snapshot pg_dump exports), so the restore
    of that dump matches the manifest in every table."""
    unit = Person.objects.get(full_name="Nguyễn Thị Hoa").managing_unit
    start = Person.objects.count()
    stop = threading.Event()
    written = []

    def writer() -> None:
        try:
            while not stop.is_set():
                written.append(new_person(unit, "Phạm Văn Ghi").pk)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 3:
            time.sleep(0.05)
        made = _manage("backup", "--output", str(tmp_path / "saved"), env=pg_env(tmp_path))
    finally:
        stop.set()
        thread.join(60)
    assert made.returncode == 0, made.stderr
    (archive,) = (tmp_path / "saved").glob("canbo-*.tar")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    in_backup = manifest["tables"]["people_person"]["rows"]
    assert start + 3 <= in_backup < start + len(written)  # written before, during and after

    with restored_into_second_database(tmp_path, archive) as done:
        assert done.returncode == 0, done.stdout + done.stderr
        assert counted(done.stdout, "people_person", in_backup)
        assert "KHÔNG KHỚP" not in done.stdout


def test_pg_tool_of_an_older_version_is_refused_with_the_package_to_install() -> None:
    with pytest.raises(BackupError, match="postgresql-client-99"):
        pg_tool("pg_dump", 99)
