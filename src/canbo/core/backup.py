"""Backup and restore of a CanBo installation: the database and the attachments, in one archive.

``./canbo backup [--output DIR]`` (``manage.py backup``) writes ``canbo-YYYY-MM-DD-HHMMSS.tar``:

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite, a
  copy made through SQLite's online backup API);
- ``media/…``: every file under MEDIA_ROOT (attachments, stored import files, document batches);
- ``manifest.json``, last: CanBo's version and git commit, Django's and the database's versions,
  the migrations applied in the copied database, each table's row count and the SHA-256 of its
  rows in primary-key order, and the size and SHA-256 of every other file of the archive.

Consistency while CanBo runs: on PostgreSQL the counts and row digests are read in one
REPEATABLE READ transaction whose snapshot ``pg_dump --snapshot`` dumps, so they describe exactly
the dump; on SQLite the backup API copies one consistent state and the counts are read from the
copy. Attachments are copied after the database: a stored file is never changed once named
(named by its checksum), so every file the copied rows refer to is there.

``./canbo restore FILE [--force]`` (``manage.py restore``) checks the archive against its manifest
before touching anything, refuses a non-empty database (or attachment folder) without
``--force``, restores the database (``pg_restore``; SQLite's backup API into the live file),
puts the attachments back, and compares every table (rows and digest) and every file with the
manifest, printing the counts. Each refusal is a ``BackupError`` with a Vietnamese message.
See docs/architecture.md ("Backup and restore") and docs/van-hanh.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import logging
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DB_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024
logger = logging.getLogger(__name__)


class BackupError(Exception):
    """A refusal or failure of backup/restore, with a Vietnamese message for the operator."""


# ---------------------------------------------------------------------------------------------
# Table digests: each table's rows as the database prints them, in primary-key order.


@dataclass(frozen=True)
class TableDigest:
    rows: int
    sha256: str


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [row[0] for row in cursor.fetchall()]


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname"
    )
    return [row[0] for row in cursor.fetchall()]


def _sqlite_row_sql(cursor: Any, table: str) -> str:
    cursor.execute(f"PRAGMA table_info({_quote(table)})")
    info = cursor.fetchall()  # (cid, name, type, notnull, default, pk)
    # quote() prints each value as an SQL literal, whatever the column's declared type.
    text = " || ',' || ".join(f"quote({_quote(col[1])})" for col in info)
    keys = [_quote(col[1]) for col in sorted(info, key=lambda c: c[5]) if col[5]]
    # Names come from the database's own catalogue, quoted.
    return f"SELECT {text} FROM {_quote(table)} ORDER BY {', '.join(keys) or '1'}"  # noqa: S608


def _pg_row_sql(cursor: Any, table: str) -> str:
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
        "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey::int2[], a.attnum)",
        [_quote(table)],
    )
    keys = [f"t.{_quote(row[0])}" for row in cursor.fetchall()]
    # A row cast to text is PostgreSQL's own canonical print of every column.
    return f"SELECT t::text FROM {_quote(table)} AS t ORDER BY {', '.join(keys) or '1'}"  # noqa: S608


def table_digests(vendor: str, cursor: Any, rows_cursor: Callable[[], Any]) -> dict[str, TableDigest]:
    """Every table's row count and the SHA-256 of its rows (one printed row a line, in primary
    key order). ``cursor`` reads the catalogue; ``rows_cursor()`` gives a cursor for the rows
    (a server-side one on PostgreSQL, so a big table is streamed)."""
    tables = _pg_tables(cursor) if vendor == "postgresql" else _sqlite_tables(cursor)
    result = {}
    for table in tables:
        sql = _pg_row_sql(cursor, table) if vendor == "postgresql" else _sqlite_row_sql(cursor, table)
        digest = hashlib.sha256()
        count = 0
        rows = rows_cursor()
        try:
            rows.execute(sql)
            while batch := rows.fetchmany(2000):
                count += len(batch)
                digest.update("".join(f"{row[0]}\n" for row in batch).encode())
        finally:
            rows.close()
        result[table] = TableDigest(count, digest.hexdigest())
    return result


def _applied_migrations(cursor: Any) -> list[str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DB_FILES:
        raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu loại {connection.vendor}.")
    return connection.vendor


# ---------------------------------------------------------------------------------------------
# PostgreSQL client programs


def _pg_env(connection: BaseDatabaseWrapper) -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(db["NAME"]), "PGUSER": str(db["USER"] or "")}
    if db.get("HOST"):
        env["PGHOST"] = str(db["HOST"])
    if db.get("PORT"):
        env["PGPORT"] = str(db["PORT"])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _tool_major(path: str) -> int | None:
    try:
        # The PostgreSQL client programs found on this machine, no shell.
        out = subprocess.run(  # noqa: S603
            [path, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(match.group(1)) if match else None


def pg_tool(name: str, server_major: int) -> str:
    """``pg_dump``/``pg_restore`` of the server's major version or newer (an older one refuses a
    newer server). Debian installs each major version under /usr/lib/postgresql/N/bin."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
        reverse=True,
    )
    found = [str(p) for p in candidates]
    if which := shutil.which(name):
        found.append(which)
    for path in found:
        major = _tool_major(path)
        if major is not None and major >= server_major:
            return path
    raise BackupError(
        f"Không tìm thấy chương trình {name} của PostgreSQL {server_major} trở lên: hãy cài gói "
        f"postgresql-client-{server_major} (Debian: apt-get install postgresql-client-{server_major})."
    )


def _run_pg(command: list[str], connection: BaseDatabaseWrapper, what: str) -> None:
    result = subprocess.run(  # noqa: S603 (pg_dump/pg_restore with our own arguments, no shell)
        command, env=_pg_env(connection), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1:] or [f"mã thoát {result.returncode}"]
        raise BackupError(f"{what} không thành công: {detail[0]}")


# ---------------------------------------------------------------------------------------------
# Backup


def _canbo_version() -> dict[str, str]:
    repo = Path(settings.REPO_DIR)
    version = ""
    with contextlib.suppress(OSError, KeyError, tomllib.TOMLDecodeError):
        version = tomllib.loads((repo / "pyproject.toml").read_text())["project"]["version"]
    commit = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(  # noqa: S603
            ["git", "-C", str(repo), "rev-parse", "HEAD"],  # noqa: S607 (git from PATH, if any)
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
    return {"version": version, "commit": commit}


def _sha256_file(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            size += len(chunk)
            digest.update(chunk)
    return size, digest.hexdigest()


def _media_files(root: Path, skip: Path | None = None) -> Iterator[tuple[str, Path]]:
    """(path relative to MEDIA_ROOT in POSIX form, absolute path) of every stored file; files
    being written (temporary names starting with a dot) are not stored files yet."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and (skip is None or here / d != skip)
        )
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def _snapshot_postgresql(connection: BaseDatabaseWrapper, target: Path) -> dict[str, Any]:
    server_major = connection.pg_version // 10000  # type: ignore[attr-defined]
    pg_dump = pg_tool("pg_dump", server_major)
    outer = connection.in_atomic_block  # only in tests: the snapshot is then the statement's
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if not outer:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        # pg_dump reads the very snapshot this transaction holds: the counts below describe the dump.
        _run_pg(
            [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={target}"],
            connection,
            "Sao lưu cơ sở dữ liệu (pg_dump)",
        )
        digests = table_digests("postgresql", cursor, connection.chunked_cursor)
        applied = _applied_migrations(cursor)
    return {"vendor": "postgresql", "version": server_version, "tables": digests, "migrations": applied}


def _snapshot_sqlite(connection: BaseDatabaseWrapper, target: Path) -> dict[str, Any]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): the copy is one consistent state of the live database.
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # the copy is one file, no -wal beside it
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("Bản sao cơ sở dữ liệu SQLite bị lỗi; không tạo tệp sao lưu.")
        cursor = copy.cursor()
        digests = table_digests("sqlite", cursor, copy.cursor)
        applied = _applied_migrations(cursor)
    finally:
        copy.close()
    return {"vendor": "sqlite", "version": sqlite3.sqlite_version, "tables": digests, "migrations": applied}


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    """Add one file and return its size and checksum, read once."""
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    digest = hashlib.sha256()

    class Hashing:
        def __init__(self, fh: IO[bytes]) -> None:
            self.fh = fh

        def read(self, n: int = -1) -> bytes:
            data = self.fh.read(n)
            digest.update(data)
            return data

    with path.open("rb") as fh:
        tar.addfile(info, Hashing(fh))
    return {"size": info.size, "sha256": digest.hexdigest()}


def archive_name(now: dt.datetime) -> str:
    return f"canbo-{timezone.localtime(now):%Y-%m-%d-%H%M%S}.tar"


def make_backup(output: Path, *, using: str = DEFAULT_DB_ALIAS) -> tuple[Path, dict[str, Any]]:
    """Write the archive into ``output`` (created if missing); return its path and manifest."""
    connection = connections[using]
    vendor = _vendor(connection)
    try:
        output.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".canbo-backup-", dir=output))
    except OSError as exc:
        raise BackupError(f"Không ghi được vào thư mục {output}: {exc.strerror or exc}.") from exc
    now = timezone.now()
    final = output / archive_name(now)
    partial = output / f".{final.name}.part"
    try:
        db_file = staging / DB_FILES[vendor]
        snapshot = _snapshot_postgresql if vendor == "postgresql" else _snapshot_sqlite
        snap = snapshot(connection, db_file)
        media_root = Path(settings.MEDIA_ROOT).resolve()
        files: dict[str, Any] = {}
        # Every dossier is in the archive (state secrets, NĐ 27/2026): only its owner reads it,
        # whatever the umask (tarfile keeps the mode of the file it truncates).
        partial.touch(mode=0o600)
        partial.chmod(0o600)
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            files[db_file.name] = _add_file(tar, db_file.name, db_file)
            for rel, path in _media_files(media_root, skip=output.resolve()):
                files[MEDIA_PREFIX + rel] = _add_file(tar, MEDIA_PREFIX + rel, path)
            manifest = {
                "format": FORMAT,
                "created": timezone.localtime(now).isoformat(timespec="seconds"),
                "host": socket.gethostname(),
                "canbo": _canbo_version(),
                "django": django.get_version(),
                "database": {"vendor": vendor, "version": snap["version"], "file": db_file.name},
                "migrations": snap["migrations"],
                "tables": {name: {"rows": d.rows, "sha256": d.sha256} for name, d in snap["tables"].items()},
                "files": files,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(now.timestamp())
            tar.addfile(info, _BytesReader(data))
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, final)
        _size, whole = _sha256_file(final)
        (output / f"{final.name}.sha256").write_text(f"{whole}  {final.name}\n")
    except OSError as exc:
        raise BackupError(f"Không ghi được tệp sao lưu vào {output}: {exc.strerror or exc}.") from exc
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    journal("sao lưu", final, whole)
    return final, manifest


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n < 0 else self.pos + n
        chunk = self.data[self.pos : end]
        self.pos += len(chunk)
        return chunk


def journal(action: str, archive: Path, sha256: str, **extra: Any) -> None:
    """One JSON line per backup or restore in VAR_DIR/backup.log (who, when, which archive): the
    restore replaces the database and its change log, so its record is kept outside it."""
    entry = {
        "time": timezone.localtime().isoformat(timespec="seconds"),
        "action": action,
        "archive": str(archive.resolve()),
        "sha256": sha256,
        "os_user": getpass.getuser(),
        "host": socket.gethostname(),
        **extra,
    }
    try:
        with (Path(settings.VAR_DIR) / "backup.log").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError as exc:
        logger.warning("backup.log not written: %s (%s)", exc, entry)


# ---------------------------------------------------------------------------------------------
# Restore


@dataclass
class Comparison:
    table: str
    expected: int
    found: int | None
    same: bool


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def read_archive(archive: Path, staging: Path) -> dict[str, Any]:
    """Check the archive against its manifest and unpack it into ``staging``; refuse a truncated,
    altered or foreign archive before anything is restored."""
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {archive}.")
    sidecar = archive.with_name(archive.name + ".sha256")
    if sidecar.is_file():
        expected = sidecar.read_text().split()[:1]
        if expected and _sha256_file(archive)[1] != expected[0]:
            raise BackupError(
                f"Tệp sao lưu {archive.name} không khớp mã kiểm tra trong {sidecar.name}: tệp đã bị "
                "thay đổi hoặc chép thiếu. Không khôi phục."
            )
    bad = f"Tệp {archive.name} không phải tệp sao lưu CanBo hợp lệ hoặc đã bị cắt cụt, hỏng. Không khôi phục."
    seen: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(archive, "r:") as tar:
            for member in tar:
                if not member.isfile() or not _safe_member(member.name) or member.name in seen:
                    raise BackupError(f"{bad} (mục lạ: {member.name})")
                fh = tar.extractfile(member)
                if fh is None:
                    raise BackupError(bad)
                if member.name == MANIFEST:
                    manifest = json.loads(fh.read(16 * 1024 * 1024).decode())
                    continue
                target = staging / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with target.open("wb") as out:
                    while chunk := fh.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[member.name] = {"size": size, "sha256": digest.hexdigest()}
    except (tarfile.TarError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(bad) from exc
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(manifest.get("files"), dict)
        or not isinstance(manifest.get("tables"), dict)
    ):
        raise BackupError(f"{bad} (thiếu bảng kê manifest.json)")
    listed: dict[str, Any] = manifest["files"]
    database = manifest.get("database") or {}
    if database.get("file") not in listed or database.get("vendor") not in DB_FILES:
        raise BackupError(f"{bad} (bảng kê không nêu tệp cơ sở dữ liệu)")
    missing = sorted(set(listed) - set(seen))
    extra = sorted(set(seen) - set(listed))
    changed = sorted(name for name in set(listed) & set(seen) if listed[name] != seen[name])
    if missing or extra or changed:
        parts = []
        if missing:
            parts.append(f"thiếu {len(missing)} tệp (ví dụ {missing[0]})")
        if changed:
            parts.append(f"{len(changed)} tệp sai mã kiểm tra (ví dụ {changed[0]})")
        if extra:
            parts.append(f"{len(extra)} tệp không có trong bảng kê (ví dụ {extra[0]})")
        raise BackupError(
            f"Tệp sao lưu {archive.name} không khớp bảng kê: {'; '.join(parts)}. Tệp đã bị thay đổi hoặc "
            "hỏng. Không khôi phục."
        )
    return manifest


def _known_migrations(connection: BaseDatabaseWrapper) -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _existing(connection: BaseDatabaseWrapper) -> tuple[int, int]:
    """(tables, other objects: functions, extensions) in the database CanBo would restore into."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            return len(_sqlite_tables(cursor)), 0
        tables = len(_pg_tables(cursor))
        cursor.execute(
            "SELECT (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema()) + (SELECT count(*) FROM pg_extension e "
            "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE n.nspname = current_schema())"
        )
        return tables, cursor.fetchone()[0]


def _clear_postgresql(connection: BaseDatabaseWrapper) -> None:
    """Empty CanBo's schema (``--force``): tables, sequences, functions, triggers and the
    extensions installed in it (pg_trgm) go with it, so pg_restore recreates all of them."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = _quote(cursor.fetchone()[0])
        cursor.execute(f"DROP SCHEMA {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")


def _restore_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> None:
    connection.ensure_connection()
    pg_restore = pg_tool("pg_restore", connection.pg_version // 10000)  # type: ignore[attr-defined]
    connection.close()  # no session of ours holds a lock while pg_restore works
    _run_pg(
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         "--no-password", f"--dbname={connection.settings_dict['NAME']}", str(dump)],
        connection,
        "Khôi phục cơ sở dữ liệu (pg_restore)",
    )  # fmt: skip


def _restore_sqlite(connection: BaseDatabaseWrapper, copy: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        # The backup API writes into the live database under its lock: other processes see
        # either the old or the restored database, never a half-copied file.
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(
            f"Không ghi được vào cơ sở dữ liệu SQLite ({exc}): hãy dừng ./canbo serve rồi chạy lại."
        ) from exc
    finally:
        source.close()
    connection.close()


def _restore_media(staging: Path, manifest: dict[str, Any], media_root: Path) -> None:
    wanted = {name[len(MEDIA_PREFIX) :] for name in manifest["files"] if name.startswith(MEDIA_PREFIX)}
    media_root.mkdir(parents=True, exist_ok=True)
    for rel in sorted(wanted):
        target = media_root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / (MEDIA_PREFIX + rel), target)
    for rel, path in list(_media_files(media_root)):
        if rel not in wanted:
            path.unlink()
    for dirpath, _dirs, _files in sorted(os.walk(media_root), reverse=True):
        if Path(dirpath) != media_root and not any(Path(dirpath).iterdir()):
            Path(dirpath).rmdir()


def current_digests(connection: BaseDatabaseWrapper) -> dict[str, TableDigest]:
    vendor = _vendor(connection)
    outer = connection.in_atomic_block
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if vendor == "postgresql" and not outer:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        rows_cursor = connection.chunked_cursor if vendor == "postgresql" else connection.cursor
        return table_digests(vendor, cursor, rows_cursor)


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    tables: list[Comparison]
    files_expected: int
    files_found: int
    files_different: list[str]
    pending_migrations: int

    @property
    def ok(self) -> bool:
        return all(c.same for c in self.tables) and not self.files_different


def restore(archive: Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    connection = connections[using]
    vendor = _vendor(connection)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".canbo-restore-", dir=media_root.parent))
    try:
        manifest = read_archive(archive, staging)
        database = manifest["database"]
        if database["vendor"] != vendor:
            names = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
            raise BackupError(
                f"Bản sao lưu là của cơ sở dữ liệu {names[database['vendor']]}, còn CanBo đang dùng "
                f"{names[vendor]} (biến CANBO_DB): không khôi phục được sang loại khác."
            )
        made = manifest.get("canbo") or {}
        known = _known_migrations(connection)
        applied = set(manifest.get("migrations") or [])
        newer = sorted(applied - known)
        if newer:
            raise BackupError(
                f"Bản sao lưu được tạo bởi phiên bản CanBo mới hơn (cấu trúc dữ liệu có {len(newer)} bước "
                f"mà phiên bản này chưa có, ví dụ {newer[0]}). Hãy cài phiên bản "
                f"{made.get('version') or ''} {made.get('commit', '')[:12]} rồi khôi phục."
            )
        tables, others = _existing(connection)
        media_now = sum(1 for _ in _media_files(media_root))
        if (tables or others or media_now) and not force:
            raise BackupError(
                f"Nơi khôi phục không trống: cơ sở dữ liệu có {tables} bảng, thư mục tệp đính kèm "
                f"có {media_now} tệp. Khôi phục sẽ xóa toàn bộ và thay bằng bản sao lưu; nếu chắc chắn, "
                "chạy lại với --force."
            )
        db_copy = staging / database["file"]
        if vendor == "postgresql":
            if tables or others:
                _clear_postgresql(connection)
            _restore_postgresql(connection, db_copy)
        else:
            _restore_sqlite(connection, db_copy)
        _restore_media(staging, manifest, media_root)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise BackupError(f"Lỗi đọc/ghi khi khôi phục: {exc.strerror or exc}{where}.") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    found = current_digests(connection)
    comparisons = []
    for table in sorted(set(manifest["tables"]) | set(found)):
        want = manifest["tables"].get(table)
        have = found.get(table)
        comparisons.append(
            Comparison(
                table=table,
                expected=want["rows"] if want else 0,
                found=have.rows if have else None,
                same=bool(want and have and want["rows"] == have.rows and want["sha256"] == have.sha256),
            )
        )
    media_files = {MEDIA_PREFIX + rel: path for rel, path in _media_files(media_root)}
    expected_media = {name: v for name, v in manifest["files"].items() if name.startswith(MEDIA_PREFIX)}
    different = []
    for name in sorted(set(expected_media) | set(media_files)):
        path = media_files.get(name)
        want = expected_media.get(name)
        if path is None or want is None:
            different.append(name)
            continue
        size, sha = _sha256_file(path)
        if {"size": size, "sha256": sha} != want:
            different.append(name)
    result = RestoreResult(
        manifest=manifest,
        tables=comparisons,
        files_expected=len(expected_media),
        files_found=len(media_files),
        files_different=different,
        pending_migrations=len(known - applied),
    )
    journal("khôi phục", archive, _sha256_file(archive)[1], force=force, ok=result.ok)
    return result
