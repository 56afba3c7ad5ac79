"""``./canbo import FILE.xlsx [--mapping NAME] [--dry-run] [--user USERNAME]``.

Runs the same engine as the import page and prints the same errors, one per line. Exit status:
0 success, 1 the file has errors (nothing written), 2 the file was refused or the arguments
are wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from canbo.imports.engine import RefusedFile, run_import
from canbo.imports.models import SavedMapping


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Nhập hồ sơ cán bộ từ tệp Excel (.xlsx) theo mẫu hoặc theo cách ghép cột đã lưu. Kiểm tra mọi "
        "dòng trước; có lỗi thì không ghi gì và in từng lỗi trên một dòng (mã thoát 1); tệp bị từ chối "
        "hoặc tham số sai: mã thoát 2. Không có --user thì chạy với quyền hệ thống (không giới hạn "
        "phạm vi đơn vị)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp .xlsx cần nhập.")
        parser.add_argument("--mapping", help="Tên cách ghép cột đã lưu (trang Nhập dữ liệu).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì.")
        parser.add_argument(
            "--user",
            help="Tên đăng nhập của người nhập: chỉ nhập được trong phạm vi người đó được giao. "
            "Bỏ trống: chạy với quyền hệ thống, không giới hạn phạm vi.",
        )
        parser.add_argument(
            "--reason", default="", help="Lý do ghi vào lịch sử (mặc định: tên tệp và mã kiểm tra)."
        )

    def fail(self, message: str, code: int) -> None:
        self.stderr.write(message)
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            self.fail(f"Không tìm thấy tệp {path}.", 2)
        mapping = None
        if options.get("mapping"):
            saved = SavedMapping.objects.filter(name=options["mapping"]).first()
            if saved is None:
                names = ", ".join(SavedMapping.objects.values_list("name", flat=True)[:20]) or "chưa có"
                self.fail(f"Không có cách ghép cột tên “{options['mapping']}” (đã lưu: {names}).", 2)
            else:
                mapping = saved.mapping
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                self.fail(f"Không có người dùng “{options['user']}”.", 2)

        def progress(done: int, total: int, label: str) -> None:
            if options.get("verbosity", 1) >= 2:
                self.stderr.write(f"{label}: {_n(done)}/{_n(total)}")

        try:
            result = run_import(
                path=path,
                acting_user=user,
                mapping=mapping,
                dry_run=options["dry_run"],
                progress=progress,
                reason=options.get("reason") or "",
            )
        except RefusedFile as exc:
            self.fail(f"Tệp bị từ chối: {exc.message}", 2)
            return
        if not result.ok:
            for error in result.errors:
                self.stdout.write(str(error))
            self.stderr.write(f"Có {_n(len(result.errors))} lỗi; chưa ghi gì vào hệ thống.")
            sys.exit(1)
        counts = (
            f"{_n(result.created)} hồ sơ mới, {_n(result.updated)} hồ sơ cập nhật, "
            f"{_n(result.section_rows)} dòng thông tin (trình độ, chức vụ…), "
            + (
                f"{_n(result.section_updates)} dòng thông tin đã có được sửa, "
                if result.section_updates
                else ""
            )
            + f"{_n(result.skipped)} dòng trùng đã bỏ qua."
        )
        if result.dry_run:
            self.stdout.write(f"Kiểm tra xong, không có lỗi (chưa ghi gì): sẽ nhập {counts}")
        else:
            self.stdout.write(f"Đã nhập: {counts}")
