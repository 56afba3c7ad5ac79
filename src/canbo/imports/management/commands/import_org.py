"""``./canbo import_org FILE.xlsx [--dry-run] [--user USERNAME] [--error-file OUT.xlsx]``.

Imports a province's organisation (sheets "Đơn vị", "Chức danh", "Vị trí"; see
docs/huong-dan/to-chuc.md) with the import's rules: every row checked first, every error
printed as "Sheet S, dòng N, cột C: …", all or nothing. Exit status: 0 success, 1 the file has
errors (nothing written), 2 the file was refused or the arguments are wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from canbo.imports.engine import RefusedFile, error_workbook
from canbo.imports.org_import import build_org_template, run_org_import


class Command(BaseCommand):
    help = (
        "Nhập cơ cấu tổ chức (đơn vị, chức danh, vị trí) từ tệp Excel (.xlsx) theo mẫu. Kiểm tra mọi "
        "dòng trước; có lỗi thì không ghi gì và in từng lỗi trên một dòng (mã thoát 1); tệp bị từ chối "
        "hoặc tham số sai: mã thoát 2. Không có --user thì chạy với quyền hệ thống."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="Tệp .xlsx cần nhập.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì.")
        parser.add_argument(
            "--user",
            help="Tên đăng nhập của người nhập: chỉ nhập được trong phạm vi người đó được giao. "
            "Bỏ trống: chạy với quyền hệ thống, không giới hạn phạm vi.",
        )
        parser.add_argument(
            "--error-file",
            help="Có lỗi thì ghi tệp đã nhập kèm cột “Lỗi” ở mỗi sheet vào tệp này.",
        )
        parser.add_argument(
            "--template", metavar="TỆP", help="Ghi tệp mẫu nhập cơ cấu tổ chức ra tệp này rồi thoát."
        )
        parser.add_argument(
            "--reason", default="", help="Lý do ghi vào lịch sử (mặc định: tên tệp và mã kiểm tra)."
        )

    def fail(self, message: str, code: int) -> None:
        self.stderr.write(message)
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("template"):
            Path(options["template"]).write_bytes(build_org_template())
            self.stdout.write(f"Đã ghi tệp mẫu {options['template']}.")
            return
        if not options.get("file"):
            self.fail("Hãy ghi tên tệp .xlsx cần nhập (hoặc --template TỆP để lấy tệp mẫu).", 2)
        path = Path(options["file"])
        if not path.is_file():
            self.fail(f"Không tìm thấy tệp {path}.", 2)
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                self.fail(f"Không có người dùng “{options['user']}”.", 2)
        try:
            result = run_org_import(
                path=path, acting_user=user, dry_run=options["dry_run"], reason=options.get("reason") or ""
            )
        except RefusedFile as exc:
            self.fail(f"Tệp bị từ chối: {exc.message}", 2)
            return
        if not result.ok:
            for error in result.errors:
                self.stdout.write(str(error))
            if options.get("error_file"):
                Path(options["error_file"]).write_bytes(error_workbook(path, result.errors))
                self.stderr.write(f"Tệp kèm cột “Lỗi”: {options['error_file']}.")
            self.stderr.write(f"Có {len(result.errors)} lỗi; chưa ghi gì vào hệ thống.")
            sys.exit(1)
        if result.dry_run:
            self.stdout.write(f"Kiểm tra xong, không có lỗi (chưa ghi gì): sẽ nhập {result.summary()}")
        else:
            self.stdout.write(f"Đã nhập: {result.summary()}")
