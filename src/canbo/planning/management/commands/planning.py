"""``./canbo planning seed_demo``: the demo province's planning lists (idempotent)."""

from __future__ import annotations

from canbo.core.commands import SeedDemoCommand


class Command(SeedDemoCommand):
    help = "Quy hoạch cán bộ: nạp danh sách quy hoạch mẫu cho tỉnh mẫu (seed_demo)."
    command = "planning"
    what = "Nạp danh sách quy hoạch mẫu cho tỉnh mẫu (mã LC)."
    seed = "canbo.planning.demo.seed_demo"
