"""``./canbo national export --since YYYY-MM-DDTHH:MM --output DIR [--user TÊN_ĐĂNG_NHẬP]``.

Writes the national-database document of every person changed since the given time (a change-log
entry filed under him) and keeps the export time of each business event (RULES.md N-3). Exit 0;
1 with a Vietnamese message for a bad argument.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from canbo.core.commands import VietnameseCommand
from canbo.core.context import bind_context
from canbo.core.errors import DomainError
from canbo.reports import cli, national

USAGE = "Dùng: ./canbo national export --since YYYY-MM-DDTHH:MM --output THƯ_MỤC [--user TÊN_ĐĂNG_NHẬP]"


class Command(VietnameseCommand):
    help = "Xuất hồ sơ đã thay đổi sang cơ sở dữ liệu quốc gia (mỗi người một tệp JSON theo lược đồ)."
    refusal_code = fail_code = 1

    def usage(self, message: str) -> str:
        return "Tham số không hợp lệ. " + USAGE

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action")
        exp = sub.add_parser("export", help="Xuất hồ sơ thay đổi từ một thời điểm.")
        exp.add_argument("--since", help="YYYY-MM-DDTHH:MM")
        exp.add_argument("--output", help="Thư mục ghi tệp")
        exp.add_argument("--user", help="Xuất với quyền của tài khoản này (mặc định: hệ thống)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("action") != "export":
            self.fail("Thiếu lệnh con (export). " + USAGE)
        try:
            since = cli.parse_moment(options.get("since"), "Thời điểm (--since)")
            if not options.get("output"):
                raise DomainError("Thiếu thư mục ghi tệp (--output).")
            output = Path(options["output"])
            if output.exists() and not output.is_dir():
                raise DomainError(f"“{output}” không phải là thư mục.")
            user = cli.acting_user(options.get("user"))
            with bind_context(source="command"):
                result = national.export(user, since, output)
        except DomainError as exc:
            self.fail(exc.message)
            return
        except OSError as exc:
            self.fail(f"Không ghi được vào thư mục “{options['output']}”: {exc.strerror}.")
            return
        self.stdout.write(
            f"Đã xuất {len(result.written)} hồ sơ, {result.export.event_count} sự kiện nghiệp vụ vào {output}"
            + (
                f"; {len(result.skipped)} hồ sơ thiếu số định danh cá nhân không xuất được."
                if result.skipped
                else "."
            )
        )
