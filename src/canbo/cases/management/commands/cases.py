"""``./canbo cases seed_demo``: the demo province's appointment cases (idempotent)."""

from __future__ import annotations

from canbo.core.commands import SeedDemoCommand


class Command(SeedDemoCommand):
    help = "Hồ sơ bổ nhiệm: nạp hồ sơ mẫu cho tỉnh mẫu (seed_demo)."
    command = "cases"
    what = "Nạp hồ sơ bổ nhiệm mẫu cho tỉnh mẫu (mã LC)."
    seed = "canbo.cases.demo.seed_demo"
