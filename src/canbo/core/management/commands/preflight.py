"""`manage.py preflight`: refuses a production start that is not safe (see ``core.checks``).

`./canbo serve` runs it before starting gunicorn and the task worker; it prints one Vietnamese line
per problem on stderr and exits with status 1, or says nothing and exits 0.
"""

import sys
from typing import Any

from django.core.management.base import BaseCommand

from canbo.core.checks import preflight_problems


class Command(BaseCommand):
    help = "Kiểm tra cấu hình trước khi chạy máy chủ thật (khóa bí mật, chế độ gỡ lỗi, cấu trúc dữ liệu)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def handle(self, *args: Any, **options: Any) -> None:
        problems = preflight_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            sys.exit(1)
