"""The shape of an app's ``./canbo APP seed_demo`` command, written once.

An app whose command has only ``seed_demo`` subclasses ``SeedDemoCommand`` and names its seed
function by dotted path (core imports no app of ours; the path is resolved when the command runs).
argparse's refusals are said in Vietnamese with the usage, exit 2; a ``DomainError`` of the seed
exits 2 with its message.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string

from canbo.core.errors import DomainError


class SeedDemoCommand(BaseCommand):
    """``./canbo {command} seed_demo``: the demo province's records of one app (idempotent)."""

    command = ""  # the app's command name, for the usage line
    what = ""  # the subcommand's help
    seed = ""  # dotted path of a function () -> summary line

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = self.refuse  # type: ignore[method-assign]
        return parser

    def refuse(self, message: str) -> None:
        """argparse's refusals (a missing or unknown sub-command), said in Vietnamese."""
        self.fail(f"Lệnh không hợp lệ. Dùng: ./canbo {self.command} seed_demo")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        demo = sub.add_parser("seed_demo", help=self.what)
        demo.error = self.refuse  # type: ignore[method-assign]

    def fail(self, message: str, code: int = 2) -> None:
        self.stderr.write(message)
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = import_string(self.seed)()
        except DomainError as exc:
            self.fail(str(exc))
        self.stdout.write(summary)
