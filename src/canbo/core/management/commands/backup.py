"""`./canbo backup [--output DIR]`: one archive of the database and the attachments (``core.backup``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.db import DatabaseError

from canbo.core.backup import BackupError, make_backup
from canbo.core.commands import VietnameseCommand

USAGE = "Dùng: ./canbo backup [--output THƯ_MỤC]"


class Command(VietnameseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp đính kèm vào một tệp (.tar) có ngày giờ trong tên."
    requires_system_checks: list[str] = []
    fail_code = 1

    def usage(self, message: str) -> str:
        return f"Tham số không hợp lệ. {USAGE}"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", metavar="THƯ_MỤC", help="thư mục ghi tệp sao lưu (mặc định var/backups)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["output"] == "":
            self.fail(f"Thiếu thư mục sau --output. {USAGE}", code=2)
        output = Path(options["output"]) if options["output"] else Path(settings.VAR_DIR) / "backups"
        try:
            archive, manifest = make_backup(output)
        except BackupError as exc:
            self.fail(str(exc))
        except DatabaseError as exc:
            self.fail(f"Lỗi cơ sở dữ liệu (kiểm tra các biến CANBO_DB…, xem docs/van-hanh.md): {exc}".strip())
        rows = sum(t["rows"] for t in manifest["tables"].values())
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        megabytes = f"{archive.stat().st_size / 1024 / 1024:.1f}".replace(".", ",")
        self.stdout.write(f"Đã sao lưu vào {archive}")
        self.stdout.write(
            f"  {len(manifest['tables'])} bảng, {_n(rows)} dòng; {_n(media)} tệp đính kèm; {megabytes} MB"
        )
        self.stdout.write(f"  mã kiểm tra SHA-256: {archive.name}.sha256")


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")
