"""``./canbo ratings quota --unit CODE --year YYYY [--system chinh_quyen|dang] --json``.

Prints the "hoàn thành xuất sắc" quota of the yearly campaigns of the unit and its subtree, one
object per agency and duty group: ``{"agency": unit code, "group": name, "counts": {"HTXS": n,
"HTT": n, "HT": n, "KHT": n}, "cap": n, "within_quota": bool, "rules": [...]}``. Bad arguments
print a Vietnamese message on stderr and exit with status 2.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from canbo.campaigns import selectors
from canbo.campaigns.models import RatingCampaign
from canbo.core.commands import VietnameseCommand
from canbo.org.models import Unit
from canbo.rules.selectors import rulebook

USAGE = (
    "Cách dùng:\n  ./canbo ratings quota --unit MÃ_ĐƠN_VỊ --year NĂM [--system chinh_quyen|dang] --json\n"
    "  ./canbo ratings seed_demo"
)


class Command(VietnameseCommand):
    help = "Đánh giá, xếp loại: tỷ lệ hoàn thành xuất sắc theo cơ quan và nhóm (JSON)."

    def usage(self, message: str) -> str:
        return "Tham số không hợp lệ.\n" + USAGE

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action")
        quota = sub.add_parser("quota", help="Tỷ lệ hoàn thành xuất sắc của các đợt đánh giá năm.")
        quota.add_argument("--unit", help="Mã đơn vị")
        quota.add_argument("--year", help="Năm đánh giá")
        quota.add_argument("--system", help="chinh_quyen (mặc định: cả hai) hoặc dang")
        quota.add_argument("--json", action="store_true", help="In kết quả dạng JSON (mặc định)")
        sub.add_parser("seed_demo", help="Nạp các đợt đánh giá mẫu cho tỉnh mẫu (mã LC).")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts.get("action") == "seed_demo":
            from canbo.campaigns.demo import seed_demo
            from canbo.core.errors import DomainError

            try:
                self.stdout.write(seed_demo())
            except DomainError as exc:
                self.fail(str(exc))
            return
        if opts.get("action") != "quota":
            self.fail("Thiếu hoặc sai lệnh con (quota, seed_demo).\n" + USAGE)
        if not opts.get("unit"):
            self.fail("Thiếu mã đơn vị (--unit).\n" + USAGE)
        try:
            year = int(opts.get("year") or "")
        except ValueError:
            self.fail("Năm phải là số, ví dụ --year 2025.\n" + USAGE)
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            self.fail(f"Không có đơn vị mã “{opts['unit']}”.")
        campaigns = RatingCampaign.objects.filter(
            unit__path__startswith=unit.path, year=year, period="nam"
        ).select_related("unit")
        if opts.get("system"):
            if opts["system"] not in ("chinh_quyen", "dang"):
                self.fail("Loại đánh giá phải là chinh_quyen hoặc dang.")
            campaigns = campaigns.filter(system=opts["system"])
        found = list(campaigns.order_by("unit__path", "system"))
        if not found:
            self.fail(f"Đơn vị {unit.code} chưa có đợt đánh giá năm {year}.")
        book = rulebook()
        out = [
            line.to_dict()
            for c in found
            for line in selectors.quota_lines(c, selectors.entries_of(c), book=book)
        ]
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
