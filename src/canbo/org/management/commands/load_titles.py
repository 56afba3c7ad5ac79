"""Load the Party title catalogue of Quy định 368-QĐ/TW (org/data/titles_368.csv)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from canbo.org.services import titles_load


class Command(BaseCommand):
    help = "Nạp danh mục chức danh theo Quy định 368-QĐ/TW (không ghi đè chức danh đã có cùng mã)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = titles_load()
        self.stdout.write(
            f"Đã thêm {counts['created']} chức danh; {counts['existing']} chức danh đã có được giữ nguyên."
        )
