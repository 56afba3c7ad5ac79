"""Start-up checks for a production server: what `./canbo serve` refuses to run without.

``preflight_problems`` lists them as one Vietnamese line each, saying what to set; the
``preflight`` command prints them and fails, before gunicorn starts. The demo secret key is also a
deploy check (``check --deploy``): Django's own check does not flag it, because it is long.
"""

from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def uses_demo_key() -> bool:
    return settings.SECRET_KEY == settings.CANBO_DEMO_SECRET_KEY and not settings.CANBO_DEMO


def unapplied_migrations() -> list[str]:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def preflight_problems() -> list[str]:
    """What stops CanBo from serving for real, each as one line saying what to set."""
    problems = []
    if uses_demo_key():
        problems.append(
            "Chưa đặt khóa bí mật: hãy đặt biến môi trường CANBO_SECRET_KEY là một chuỗi ngẫu nhiên "
            "dài ít nhất 50 ký tự (hoặc CANBO_DEMO=1 nếu chỉ chạy thử với dữ liệu mẫu)."
        )
    if settings.DEBUG and not settings.CANBO_DEMO:
        problems.append("Đang bật chế độ gỡ lỗi: hãy đặt CANBO_DEBUG=0 (hoặc bỏ biến này) khi chạy thật.")
    pending = unapplied_migrations()
    if pending:
        problems.append(
            f"Cơ sở dữ liệu chưa được cập nhật ({len(pending)} bước còn thiếu): "
            "hãy chạy ./canbo migrate trước."
        )
    return problems


@checks.register(checks.Tags.security, deploy=True)
def check_demo_secret_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if uses_demo_key():
        return [
            checks.Warning(
                "SECRET_KEY is CanBo's published demo key.",
                hint="Set CANBO_SECRET_KEY to a long random value (docs/van-hanh.md).",
                id="canbo.W001",
            )
        ]
    return []
