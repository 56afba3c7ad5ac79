"""``core.commands.VietnameseCommand``: argparse's refusals, of the command and of every
sub-command however deep, are said in Vietnamese on stderr with the command's usage line and
exit status 2 (or the command's own); ``fail`` exits with the command's status or the one given."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management.base import CommandParser

from canbo.core.commands import VietnameseCommand


class Sample(VietnameseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days")
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        due = sub.add_parser("due")
        due.add_argument("--as-of", dest="as_of", required=True)
        deep = sub.add_parser("deep").add_subparsers(dest="inner", required=True, parser_class=type(parser))
        deep.add_parser("leaf").add_argument("--n", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(options))


class Own(Sample):
    refusal_code = fail_code = 1

    def usage(self, message: str) -> str:
        return "Dùng: ./canbo own due --as-of NGÀY"


def _run(command: type[VietnameseCommand], *argv: str) -> tuple[int | str | None, str]:
    err = io.StringIO()
    cmd = command(stdout=io.StringIO(), stderr=err)
    with pytest.raises(SystemExit) as stop:
        cmd.run_from_argv(["canbo", "sample", *argv])
    return stop.value.code, err.getvalue()


@pytest.mark.parametrize(
    ("argv", "quoted"),
    [
        ((), "required: action"),  # no sub-command
        (("khong-co",), "invalid choice"),  # an unknown one
        (("due",), "required: --as-of"),  # the sub-command's own refusal
        (("due", "--as-of"), "expected one argument"),
        (("deep", "leaf", "--n", "hai"), "invalid int value"),  # two levels down
        (("due", "--as-of", "2026-01-01", "--la"), "unrecognized arguments: --la"),
    ],
)
def test_every_refusal_in_vietnamese_with_exit_2(argv: tuple[str, ...], quoted: str) -> None:
    code, err = _run(Sample, *argv)
    assert code == 2
    assert err.startswith("Tham số không hợp lệ (") and quoted in err
    assert err.rstrip().endswith("Xem: ./canbo test_commands --help")  # the module's name: the command's
    assert "usage:" not in err and "error:" not in err  # argparse's English lines are not printed


def test_a_command_s_own_usage_and_exit_status() -> None:
    code, err = _run(Own, "due")
    assert (code, err) == (1, "Dùng: ./canbo own due --as-of NGÀY\n")
    cmd = Own(stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(SystemExit) as stop:
        cmd.fail("Không đọc được tệp.")
    assert stop.value.code == 1
    with pytest.raises(SystemExit) as stop:
        cmd.fail("Sai tham số.", code=2)
    assert stop.value.code == 2


def test_good_arguments_run() -> None:
    out = io.StringIO()
    Sample(stdout=out, stderr=io.StringIO()).run_from_argv(
        ["canbo", "sample", "due", "--as-of", "2026-01-01"]
    )
    assert "'as_of': '2026-01-01'" in out.getvalue()
