"""``manage.py purge_readlog [--days N]``: delete reads older than the retention period from the
read log (``core.readlog.purge``), the only deletion the log allows.

Exit status 0, or 2 with a Vietnamese message on stderr for a wrong argument.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from canbo.core import readlog
from canbo.core.commands import VietnameseCommand


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(VietnameseCommand):
    help = (
        "Xóa khỏi nhật ký truy cập hồ sơ các lượt xem quá N ngày (mặc định CANBO_READ_LOG_DAYS, "
        "1825 ngày; 0: giữ tất cả)."
    )

    def usage(self, message: str) -> str:
        return f"Tham số không hợp lệ ({message}). Cách dùng: ./canbo purge_readlog [--days N]"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", help="Giữ các lượt xem trong N ngày (mặc định: CANBO_READ_LOG_DAYS).")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options.get("days")
        days = None
        if raw is not None:
            if not str(raw).strip().isdigit():
                self.fail(f"Số ngày (--days) phải là số nguyên không âm, không phải “{raw}”.")
            days = int(raw)
        kept = readlog.retention_days() if days is None else days
        if kept <= 0:
            self.stdout.write("Thời hạn lưu là 0 ngày: giữ toàn bộ nhật ký truy cập, không xóa gì.")
            return
        deleted = readlog.purge(kept)
        self.stdout.write(f"Đã xóa {_n(deleted)} lượt xem quá {_n(kept)} ngày khỏi nhật ký truy cập hồ sơ.")
