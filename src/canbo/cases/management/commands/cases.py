"""``./canbo cases seed_demo``: the demo province's appointment cases (idempotent)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from canbo.core.errors import DomainError


class Command(BaseCommand):
    help = "Hồ sơ bổ nhiệm: nạp hồ sơ mẫu cho tỉnh mẫu (seed_demo)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = self.refuse  # type: ignore[method-assign]
        return parser

    def refuse(self, message: str) -> None:
        self.fail("Lệnh không hợp lệ. Dùng: ./canbo cases seed_demo")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        demo = sub.add_parser("seed_demo", help="Nạp hồ sơ bổ nhiệm mẫu cho tỉnh mẫu (mã LC).")
        demo.error = self.refuse  # type: ignore[method-assign]

    def fail(self, message: str, code: int = 2) -> None:
        self.stderr.write(message)
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        from canbo.cases.demo import seed_demo

        try:
            summary = seed_demo()
        except DomainError as exc:
            self.fail(str(exc))
        self.stdout.write(summary)
