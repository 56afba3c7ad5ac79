"""``./canbo salary load`` (catalogues) and ``./canbo salary due`` (the due list, JSON)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from canbo.core.commands import VietnameseCommand
from canbo.core.context import bind_context
from canbo.core.errors import DomainError

USAGE = (
    "Lệnh không hợp lệ. Dùng: ./canbo salary load | ./canbo salary due --as-of YYYY-MM-DD "
    "[--unit MÃ] [--months N] --json"
)


class Command(VietnameseCommand):
    help = (
        "Tiền lương: nạp danh mục ngạch, bảng lương, lương cơ sở (load); danh sách đến hạn nâng lương (due)."
    )

    def usage(self, message: str) -> str:
        return USAGE

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        sub.add_parser("load", help="Nạp danh mục ngạch, bảng lương và lương cơ sở.")
        due = sub.add_parser("due", help="Danh sách đến hạn nâng bậc lương, phụ cấp thâm niên vượt khung.")
        due.add_argument("--as-of", dest="as_of", required=True)
        due.add_argument("--unit", default="")
        due.add_argument("--months", default="1")
        due.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            from canbo.salary.services import catalogues_load

            with bind_context(source="command"):
                made = catalogues_load()
            self.stdout.write(
                f"Đã nạp {made['groups']} loại bảng lương, {made['grades']} ngạch, "
                f"{made['base']} mức lương cơ sở (bản ghi đã có được giữ nguyên)."
            )
            return
        from canbo.salary.selectors import due_command

        try:
            payload = due_command(as_of=options["as_of"], unit=options["unit"], months=options["months"])
        except DomainError as exc:
            self.fail(str(exc))
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
