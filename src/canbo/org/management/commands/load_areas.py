"""``./canbo load_areas``: load the administrative-area catalogue (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from canbo.core.context import bind_context
from canbo.org.services import areas_load


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính (34 tỉnh, thành phố và 3.321 xã từ 01/7/2025; danh mục cũ)."

    def handle(self, *args: Any, **options: Any) -> None:
        with bind_context(source="command"):
            counts = areas_load()
        self.stdout.write(
            f"Đã nạp {counts['areas_created']} đơn vị hành chính mới, "
            f"{counts['lineage_created']} quan hệ kế thừa; "
            f"tổng số trong danh mục: {counts['areas_total']}."
        )
