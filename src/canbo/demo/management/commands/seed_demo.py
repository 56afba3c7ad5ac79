"""``manage.py seed_demo [--size N] [--seed S] [--horizon YYYY-MM-DD]``: build the demo province."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from canbo.core.errors import DomainError
from canbo.demo.generator import DEFAULT_SEED, DEFAULT_SIZE, MAX_SIZE, generate

LABELS = {
    "Person": "hồ sơ cán bộ",
    "Tenure": "quá trình giữ chức vụ",
    "BodyMembership": "thành viên cấp ủy, HĐND",
    "Qualification": "trình độ đào tạo",
    "PartyMembership": "đảng tịch",
    "WorkHistory": "quá trình công tác (hồ sơ gốc)",
    "Rating": "đánh giá, xếp loại",
    "FamilyRelation": "quan hệ gia đình",
    "HealthRecord": "sức khỏe",
    "Award": "khen thưởng",
    "Discipline": "kỷ luật",
}


def _seconds(value: float) -> str:
    """A duration in seconds written the Vietnamese way, with a decimal comma: 115,8."""
    return f"{value:.1f}".replace(".", ",")


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu tỉnh mẫu (tổng hợp, mô phỏng tỉnh Lào Cai). Chạy lại với cùng tham số thì không làm gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            type=int,
            default=DEFAULT_SIZE,
            help=f"số người (mặc định {DEFAULT_SIZE}, tối đa {MAX_SIZE})",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"hạt giống ngẫu nhiên (mặc định {DEFAULT_SEED})"
        )
        parser.add_argument(
            "--horizon",
            type=dt.date.fromisoformat,
            default=None,
            help="ngày cuối của dữ liệu, dạng YYYY-MM-DD (mặc định: hôm nay, hoặc ngày của bộ dữ liệu đã có)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def say(msg: str) -> None:
            self.stdout.write(msg)
            self.stdout.flush()

        try:
            result = generate(
                size=options["size"], seed=options["seed"], horizon=options["horizon"], progress=say
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        horizon = dt.date.fromisoformat(result["horizon"])
        if result.get("unchanged"):
            say(
                f"Dữ liệu tỉnh mẫu đã có ({_n(result['persons'])} người, hạt giống {options['seed']}, "
                f"tính đến ngày {horizon:%d/%m/%Y}); không cần tạo lại."
            )
            return
        say(
            self.style.SUCCESS(
                f"Đã tạo tỉnh mẫu trong {_seconds(result['seconds'])} giây, "
                f"dữ liệu tính đến ngày {horizon:%d/%m/%Y}:"
            )
        )
        say(
            f"  {_n(result['units'])} đơn vị, {_n(result['titles'])} chức danh, "
            f"{_n(result['events'])} thao tác sắp xếp tổ chức"
        )
        for key, label in LABELS.items():
            if key in result["rows"]:
                say(f"  {_n(result['rows'][key])} {label}")
        say(f"  {_n(result['log_entries'])} mục lịch sử thay đổi")
