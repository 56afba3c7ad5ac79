"""`./canbo restore FILE [--force]`: check a backup archive and restore it (``core.backup``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.db import DatabaseError

from canbo.core.backup import BackupError, restore
from canbo.core.commands import VietnameseCommand

USAGE = "Dùng: ./canbo restore TỆP_SAO_LƯU.tar [--force]"


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _when(iso: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return "(không rõ)"
    return f"{moment:%H:%M:%S} ngày {moment:%d/%m/%Y}"


class Command(VietnameseCommand):
    help = "Kiểm tra và khôi phục một tệp sao lưu (cơ sở dữ liệu và tệp đính kèm)."
    requires_system_checks: list[str] = []
    fail_code = 1

    def usage(self, message: str) -> str:
        return f"Tham số không hợp lệ. {USAGE}"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="TỆP", help="tệp sao lưu (.tar) do ./canbo backup tạo")
        parser.add_argument(
            "--force", action="store_true", help="xóa dữ liệu đang có và thay bằng bản sao lưu"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["file"])
        try:
            result = restore(archive, force=options["force"])
        except BackupError as exc:
            self.fail(str(exc))
        except DatabaseError as exc:
            self.fail(f"Lỗi cơ sở dữ liệu (kiểm tra các biến CANBO_DB…, xem docs/van-hanh.md): {exc}".strip())
        made = result.manifest
        canbo = made.get("canbo") or {}
        self.stdout.write(
            f"Đã khôi phục bản sao lưu lúc {_when(made.get('created', ''))} "
            f"(CanBo {canbo.get('version', '')} {canbo.get('commit', '')[:12]})."
        )
        self.stdout.write("Số dòng từng bảng (theo bảng kê / sau khi khôi phục):")
        width = max((len(c.table) for c in result.tables), default=0)
        for c in result.tables:
            found = "không có" if c.found is None else _n(c.found)
            mark = "khớp" if c.same else "KHÔNG KHỚP"
            self.stdout.write(f"  {c.table:<{width}}  {_n(c.expected):>9} / {found:>9}  {mark}")
        self.stdout.write(
            f"Tệp đính kèm: {_n(result.files_expected)} theo bảng kê / {_n(result.files_found)} sau khi "
            f"khôi phục, {_n(len(result.files_different))} tệp khác."
        )
        if not result.ok:
            bad = sum(1 for c in result.tables if not c.same)
            self.fail(
                f"Dữ liệu sau khi khôi phục không khớp bản sao lưu ({bad} bảng, "
                f"{len(result.files_different)} tệp khác): hãy kiểm tra lại trước khi dùng."
            )
        self.stdout.write("Mọi bảng và tệp đính kèm khớp với bản sao lưu.")
        if result.pending_migrations:
            self.stdout.write(
                f"Bản sao lưu có cấu trúc dữ liệu cũ hơn phiên bản này ({result.pending_migrations} bước): "
                "hãy chạy ./canbo migrate trước khi chạy máy chủ."
            )
