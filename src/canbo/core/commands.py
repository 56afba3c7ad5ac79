"""The shapes of our management commands, written once.

``VietnameseCommand``: argparse's refusals (an unknown option, a missing value, a missing or
unknown sub-command), which Django would print in English, are said in Vietnamese on stderr with
the command's usage line, exit status 2 (``refusal_code``), for the command and for every
sub-command parser it adds; ``fail`` writes a message and exits. A command says its usage line
in ``usage`` (argparse's own message is handed to it, to quote or to tell cases apart).

``SeedDemoCommand``: an app whose command has only ``seed_demo`` subclasses it and names its seed
function by dotted path (core imports no app of ours; the path is resolved when the command runs).
A ``DomainError`` of the seed exits 2 with its message.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string

from canbo.core.errors import DomainError


class VietnameseCommand(BaseCommand):
    """A command whose argparse refusals are Vietnamese, with its usage line and exit status 2."""

    refusal_code = 2  # the exit status of an argparse refusal
    fail_code = 2  # the exit status of ``fail`` when none is given

    def usage(self, message: str) -> str:
        """The line printed for argparse's refusal ``message`` (English; quoted here by default)."""
        return f"Tham số không hợp lệ ({message}). Xem: ./canbo {self.command_name()} --help"

    def command_name(self) -> str:
        """The command's name, as ``./canbo`` takes it (its module's name)."""
        return type(self).__module__.rsplit(".", 1)[-1]

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parsers = [parser]
        while parsers:  # the command's parser and every sub-command's, however deep
            p = parsers.pop()
            p.error = self.refuse  # type: ignore[method-assign]
            for action in p._actions:  # argparse keeps its sub-parsers only there
                if isinstance(action, argparse._SubParsersAction):
                    parsers.extend(action.choices.values())
        return parser

    def refuse(self, message: str) -> NoReturn:
        """argparse's refusal, said in Vietnamese."""
        self.fail(self.usage(message), code=self.refusal_code)

    def fail(self, message: str, code: int | None = None) -> NoReturn:
        self.stderr.write(message)
        sys.exit(self.fail_code if code is None else code)


class SeedDemoCommand(VietnameseCommand):
    """``./canbo {command} seed_demo``: the demo province's records of one app (idempotent)."""

    command = ""  # the app's command name, for the usage line
    what = ""  # the subcommand's help
    seed = ""  # dotted path of a function () -> summary line

    def usage(self, message: str) -> str:
        """A missing or unknown sub-command."""
        return f"Lệnh không hợp lệ. Dùng: ./canbo {self.command} seed_demo"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        sub.add_parser("seed_demo", help=self.what)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = import_string(self.seed)()
        except DomainError as exc:
            self.fail(str(exc))
        self.stdout.write(summary)
