"""``./canbo documents statistics --unit CODE --as-of YYYY-MM-DD --output FILE.xlsx [--form MẪU]
[--user TÊN_ĐĂNG_NHẬP]``: the number-and-quality report as Excel.

A subcommand of documents' ``documents`` command, registered by ``ReportsConfig.ready()``. Exit 0;
1 with a Vietnamese message for a unit outside the user's scope or a bad argument.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from canbo.core.context import bind_context
from canbo.core.errors import DomainError
from canbo.documents.models import DocumentKind, ReadAction
from canbo.reports import cli
from canbo.reports.layouts import layout_for
from canbo.reports.statistics import compute

USAGE = (
    "Dùng: ./canbo documents statistics --unit MÃ_ĐƠN_VỊ --as-of YYYY-MM-DD --output TỆP.xlsx "
    "[--form MẪU] [--user TÊN_ĐĂNG_NHẬP]"
)


def run(options: dict[str, Any]) -> str:
    """The command's work, for ``documents statistics`` too; a DomainError for any bad argument."""
    user = cli.acting_user(options.get("user"))
    unit = cli.unit_in_scope(user, options.get("unit"))
    day = cli.parse_day(options.get("as_of"), "Ngày báo cáo (--as-of)")
    output = Path(options.get("output") or "")
    if output.suffix.lower() != ".xlsx":
        raise DomainError("Tệp ghi ra (--output) phải có đuôi .xlsx.")
    layout = layout_for(options.get("form") or None, day)
    report = compute(user, unit, day, layout)
    # Imported here, not at the top: this module is imported at start-up (ReportsConfig.ready),
    # the exports load XlsxWriter, openpyxl and python-docx (docs/architecture.md, "Start-up").
    from canbo.reports import exports

    try:
        with output.open("wb") as fh:
            exports.statistics_xlsx(report, fh)
    except OSError as exc:
        raise DomainError(f"Không ghi được tệp “{output}”: {exc.strerror}.") from exc
    from canbo.reports.views import record

    with bind_context(source="command"):
        record(
            user if getattr(user, "pk", None) else None,
            kind=DocumentKind.STATISTICS,
            form=layout.code,
            file_format="xlsx",
            subject=unit.name_on(day),
            as_of=day,
            count=report.counts.get(("tong", layout.columns[0].key), 0),
            action=ReadAction.GENERATE,
        )
    total = report.counts.get(("tong", layout.columns[0].key), 0)
    return f"Đã ghi {output}: {layout.form}, {unit.name_on(day)}, tính đến {day:%d/%m/%Y}, {total} người."


def arguments(parser: CommandParser) -> None:
    parser.add_argument("--unit", help="Mã đơn vị")
    parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD")
    parser.add_argument("--output", help="TỆP.xlsx")
    parser.add_argument("--form", help="Mẫu: hien-hanh, bm01, bm02 (mặc định: mẫu áp dụng tại ngày)")
    parser.add_argument("--user", help="Lập với quyền của tài khoản này (mặc định: hệ thống)")


def register() -> None:
    from canbo.documents.management.commands.documents import Subcommand
    from canbo.documents.management.commands.documents import register as add

    add(
        Subcommand(
            name="statistics",
            help="Báo cáo số lượng, chất lượng cán bộ, công chức, viên chức ra tệp Excel.",
            arguments=arguments,
            # The report reads --user itself (its own scope check and messages).
            run=lambda _user, options: run(options),
        )
    )
