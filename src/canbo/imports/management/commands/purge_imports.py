"""``manage.py purge_imports [--days N] [--dry-run]``: delete old uploaded import files.

The policy is in ``canbo.imports.retention``. Exit status 0, or 2 with a Vietnamese message on
stderr for a wrong argument or a wrong ``CANBO_IMPORT_RETENTION_DAYS``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from canbo.core.commands import VietnameseCommand
from canbo.imports import retention


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f}".replace(".", ",") + " MB"


class Command(VietnameseCommand):
    help = (
        "Xóa các tệp nhập dữ liệu đã tải lên mà không còn cần giữ: tệp của lần nhập có lỗi, bị từ chối, "
        "chỉ kiểm tra, hoặc tải lên mà chưa chạy, quá N ngày (mặc định CANBO_IMPORT_RETENTION_DAYS, "
        "30 ngày); tệp không thuộc lần nhập nào. Tệp của lần nhập đã ghi dữ liệu luôn được giữ."
    )

    def usage(self, message: str) -> str:
        return (
            f"Tham số không hợp lệ ({message}). Cách dùng: ./manage.py purge_imports [--days N] [--dry-run]"
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            help="Giữ tệp của các lần nhập không ghi dữ liệu trong N ngày (mặc định: "
            "CANBO_IMPORT_RETENTION_DAYS, hoặc 30).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không xóa gì.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            days = retention.parse_days(options["days"]) if options.get("days") is not None else None
            report = retention.purge(days=days, dry_run=options["dry_run"])
        except retention.RetentionError as exc:
            self.fail(str(exc))
        verbose = options.get("verbosity", 1) >= 2
        would = "Sẽ xóa" if report.dry_run else "Đã xóa"
        if verbose or report.dry_run:
            for path in report.deleted:
                self.stdout.write(f"{would}: {path}")
        self.stdout.write(
            f"{would} {_n(len(report.deleted))} tệp ({_mb(report.freed)}) — tệp của các lần nhập không ghi "
            f"dữ liệu quá {_n(report.days)} ngày và tệp không thuộc lần nhập nào; "
            f"{_n(len(report.jobs))} lần nhập được ghi là đã xóa tệp"
            + (" (chưa ghi gì vì chỉ liệt kê)" if report.dry_run else "")
            + "."
        )
        notes = [f"giữ {_n(report.kept_done)} tệp của các lần nhập đã ghi dữ liệu"]
        if report.shared_kept:
            notes.append(f"{_n(report.shared_kept)} tệp còn được lần nhập khác dùng")
        self.stdout.write("Vẫn " + "; ".join(notes) + ".")
