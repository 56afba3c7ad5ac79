"""``./canbo documents SUBCOMMAND …``: documents from the command line.

Subcommands are a registry (``SUBCOMMANDS``): each is a function that adds its arguments to its
parser and a function that runs it, so another one (``statistics``, the yearly report) is added by
calling ``register`` from its own module, imported in ``SUBCOMMAND_MODULES`` or its app's
``ready()``. Exit 0 on success; 1 with a Vietnamese message for a bad argument or a person or unit
outside the user's scope (``--user``; without it the command runs as the system itself).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser

from canbo.core.commands import VietnameseCommand
from canbo.core.context import bind_context
from canbo.core.dates import parse_as_of, today
from canbo.core.errors import DomainError, NotPermitted


class CommandFailed(Exception):
    """A refusal the command prints and exits 1 with."""


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    arguments: Callable[[CommandParser], None]
    run: Callable[[Any, dict[str, Any]], str]  # (acting user, options) → the line printed


SUBCOMMANDS: dict[str, Subcommand] = {}
# Modules that register further subcommands (imported when the command starts).
SUBCOMMAND_MODULES: list[str] = []


def register(sub: Subcommand) -> Subcommand:
    SUBCOMMANDS[sub.name] = sub
    return sub


def acting_user(username: str | None) -> Any:
    """``--user NAME``: that active account, whose grants limit what the command reads; none: the
    system itself (as ``./canbo rules check`` and the imports)."""
    if not username:
        from canbo.rules.cli import SystemUser

        return SystemUser()
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandFailed(f"Không có người dùng “{username}” (hoặc tài khoản đã khóa).")
    return user


def as_of(value: str | None) -> Any:
    if not value:
        return today()
    try:
        return parse_as_of(value)
    except ValidationError as exc:
        raise CommandFailed(f"--as-of: {exc.messages[0]}") from exc


def _resume_arguments(parser: CommandParser) -> None:
    parser.add_argument("--person", required=True, help="Mã hồ sơ (số) hoặc số định danh cá nhân.")
    parser.add_argument(
        "--form", default="", help="bnv (2C-BNV/2008), tctw (2C/TCTW-98) hoặc vc (HS02-VC/BNV)."
    )
    parser.add_argument("--format", dest="file_format", default="docx", help="docx hoặc pdf.")
    parser.add_argument(
        "--as-of", dest="as_of", default="", help="Ngày của dữ liệu, YYYY-MM-DD (mặc định hôm nay)."
    )
    parser.add_argument("--output", required=True, help="Tệp ghi ra.")
    parser.add_argument("--user", default="", help="Tên đăng nhập: chỉ in được hồ sơ trong phạm vi người đó.")


def _person_id(value: str, user: Any) -> int:
    from canbo.people.models import Person

    text = value.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise CommandFailed("--person phải là mã hồ sơ (số) hoặc số định danh cá nhân 12 chữ số.")
    if len(text) == 12:
        found = Person.objects.restrict(user).filter(personal_id=text).values_list("pk", flat=True).first()
        if found is None:
            raise CommandFailed("Không tìm thấy hồ sơ hoặc hồ sơ nằm ngoài phạm vi được giao.")
        return int(found)
    return int(text)


def _resume_run(user: Any, options: dict[str, Any]) -> str:
    from canbo.documents.services import resume_make

    content, _name, data = resume_make(
        acting_user=user,
        person_id=_person_id(options["person"], user),
        form=options["form"] or None,
        file_format=options["file_format"],
        day=as_of(options["as_of"]),
    )
    target = Path(options["output"])
    try:
        target.write_bytes(content)
    except OSError as exc:
        raise CommandFailed(f"Không ghi được tệp {target}: {exc.strerror}.") from exc
    line = f"Đã ghi {target} ({len(content):,} byte).".replace(",", ".")
    if data.missing:
        line += " Hồ sơ thiếu: " + ", ".join(m.label for m in data.missing) + "."
    if data.withheld:
        line += " Không in: " + ", ".join(data.withheld) + "."
    return line


register(
    Subcommand(
        name="2c",
        help="Sơ yếu lý lịch (2C-BNV/2008, 2C/TCTW-98, HS02-VC/BNV) của một người tại một ngày.",
        arguments=_resume_arguments,
        run=_resume_run,
    )
)


class Command(VietnameseCommand):
    help = "Tài liệu từ hồ sơ: 2c (sơ yếu lý lịch)" + " và các lệnh đăng ký thêm."
    refusal_code = fail_code = 1

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        for module in SUBCOMMAND_MODULES:
            importlib.import_module(module)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def usage(self, message: str) -> str:
        names = "|".join(SUBCOMMANDS)
        return (
            f"Tham số không hợp lệ. Dùng: ./canbo documents {names} … ; ví dụ ./canbo documents 2c "
            "--person MÃ --form bnv|tctw|vc --format docx|pdf [--as-of YYYY-MM-DD] --output TỆP [--user TÊN]"
        )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        for spec in SUBCOMMANDS.values():
            spec.arguments(sub.add_parser(spec.name, help=spec.help))

    def handle(self, *args: Any, **options: Any) -> None:
        spec = SUBCOMMANDS[options["action"]]
        try:
            with bind_context(source="command"):
                user = acting_user(options.get("user"))
                self.stdout.write(spec.run(user, options))
        except NotPermitted as exc:
            self.fail(str(exc))
        except (CommandFailed, DomainError) as exc:
            self.fail(str(exc))
