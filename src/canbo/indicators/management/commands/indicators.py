"""``./canbo indicators``: load the definitions and targets, or print a plan's indicators.

    ./canbo indicators load
    ./canbo indicators --plan lc-18-da-tu [--unit LC] --as-of 2020-12-11 [--json]

Exit status 0; 2 for wrong arguments (unknown plan or unit, unreadable date) or a refused load,
with a Vietnamese message on stderr.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import CommandParser

from canbo.core.commands import VietnameseCommand
from canbo.core.context import bind_context
from canbo.core.dates import today
from canbo.core.errors import DomainError
from canbo.indicators import selectors, services
from canbo.indicators.engine import format_int


class Command(VietnameseCommand):
    help = (
        "Chỉ tiêu: “load” nạp định nghĩa chỉ tiêu và mục tiêu của các kế hoạch mẫu (chạy lại không sao); "
        "--plan MÃ [--unit MÃ ĐƠN VỊ] --as-of YYYY-MM-DD [--json] in giá trị các chỉ tiêu của kế hoạch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", choices=["load"], help="load: nạp định nghĩa và mục tiêu.")
        parser.add_argument("--plan", help="Mã kế hoạch, ví dụ lc-18-da-tu.")
        parser.add_argument(
            "--unit", help="Mã đơn vị (mặc định: đơn vị gốc); tính cho đơn vị và các đơn vị trực thuộc."
        )
        parser.add_argument("--as-of", dest="as_of", help="Ngày tính, dạng YYYY-MM-DD (mặc định: hôm nay).")
        parser.add_argument("--json", action="store_true", help="In danh sách đối tượng JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            try:
                with bind_context(source="command"):
                    defs = services.definitions_load()
                    targets = services.targets_load()
            except DomainError as exc:
                self.fail(exc.message)
                return
            self.stdout.write(
                f"Định nghĩa chỉ tiêu: {defs['created']} mới, {defs['unchanged']} đã có. "
                f"Mục tiêu của {targets['plans']} kế hoạch: {targets['created']} mới, "
                f"{targets['updated']} cập nhật, {targets['unchanged']} không đổi."
            )
            return
        if not options["plan"]:
            self.fail("Cần --plan MÃ_KẾ_HOẠCH (hoặc “load” để nạp chỉ tiêu).")
            return
        day = today()
        if options["as_of"]:
            try:
                day = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                self.fail(f"Ngày “{options['as_of']}” không đọc được; ghi dạng YYYY-MM-DD, ví dụ 2020-12-11.")
                return
        try:
            plan = selectors.plan_get(None, options["plan"])
            unit = (
                selectors.unit_get(None, code=options["unit"])
                if options["unit"]
                else selectors.default_unit(None)
            )
        except DomainError as exc:
            self.fail(exc.message)
            return
        rows = selectors.plan_table(plan, day=day, unit=unit, user=None)
        if options["json"]:
            self.stdout.write(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{plan} – {unit.name_on(day) if unit else ''} – tính đến ngày {day:%d/%m/%Y}")
        for r in rows:
            res = r.result
            value = res.percent() or {"pending": "chưa tính được", "absent": "không có đơn vị"}.get(
                res.status, "—"
            )
            met = r.assessment_label.lower()
            self.stdout.write(
                f"{r.target.row:>7} {r.target.term} {value:>15} "
                f"{format_int(res.numerator)}/{format_int(res.population)}  mục tiêu {r.target.text}  {met}  "
                f"{r.definition.label}"
            )
