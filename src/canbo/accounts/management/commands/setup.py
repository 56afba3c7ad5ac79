"""``./canbo setup``: make an empty database ready for a province.

Steps, each safe to run again: the database structure (migrations), the administrative-area
catalogue (``load_areas``), the rulebook (``rules load``), the indicator definitions
(``indicators.services.definitions_load``), and the first administrator — a superuser, since
no unit exists yet to bind an administrator's grant to. He then creates the units (Tổ chức →
Thêm đơn vị), the other accounts and their grants in the app.

Interactive by default; for scripts: ``--admin-user NAME --admin-password PASS`` (or the
environment variable ``CANBO_ADMIN_PASSWORD``) and ``--no-input``.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from canbo.accounts.services import MIN_PASSWORD, user_create
from canbo.core.context import bind_context
from canbo.core.errors import DomainError
from canbo.indicators.services import definitions_load

PASSWORD_ENV = "CANBO_ADMIN_PASSWORD"  # noqa: S105 (the name of an environment variable, not a password)


class Command(BaseCommand):
    help = (
        "Cài đặt lần đầu cho một tỉnh: tạo cấu trúc cơ sở dữ liệu, nạp danh mục đơn vị hành chính, "
        "quy định, chỉ tiêu và tạo tài khoản quản trị đầu tiên (chạy lại không tạo trùng)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--admin-user", help="tên đăng nhập của quản trị viên đầu tiên")
        parser.add_argument(
            "--admin-password", help=f"mật khẩu của quản trị viên (hoặc biến môi trường {PASSWORD_ENV})"
        )
        parser.add_argument("--admin-name", default="", help="họ và tên của quản trị viên")
        parser.add_argument(
            "--no-input", action="store_true", help="không hỏi gì; thiếu thông tin thì dừng với thông báo lỗi"
        )

    def step(self, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"==> {text}"))

    def handle(self, *args: Any, **opts: Any) -> None:
        interactive = not opts["no_input"] and sys.stdin.isatty()
        verbosity = opts.get("verbosity", 1)
        self.step("Cấu trúc cơ sở dữ liệu")
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0), stdout=self.stdout)
        self.step("Danh mục dân tộc, tôn giáo")
        from canbo.people.reference import ensure_loaded

        ensure_loaded()
        self.step("Danh mục đơn vị hành chính")
        call_command("load_areas", stdout=self.stdout)
        self.step("Quy định")
        call_command("rules", "load", stdout=self.stdout)
        self.step("Ngạch, bảng lương, lương cơ sở")
        call_command("salary", "load", stdout=self.stdout)
        self.step("Định nghĩa chỉ tiêu")
        # The definitions only: ``indicators load`` also loads the sample plans' targets, which
        # need the demo's units and stop an empty database.
        with bind_context(source="command"):
            defs = definitions_load()
        self.stdout.write(f"Định nghĩa chỉ tiêu: {defs['created']} mới, {defs['unchanged']} đã có.")
        self.step("Tài khoản quản trị đầu tiên")
        self.first_admin(opts, interactive)
        self.stdout.write(
            self.style.SUCCESS(
                "Cài đặt xong. Chạy ./canbo serve, đăng nhập bằng tài khoản quản trị, rồi nhập cơ cấu "
                "tổ chức (Nhập dữ liệu → Nhập cơ cấu tổ chức) hoặc vào Tổ chức → Thêm đơn vị gốc."
            )
        )

    def first_admin(self, opts: dict[str, Any], interactive: bool) -> None:
        existing = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        username = (opts["admin_user"] or "").strip()
        if existing is not None and (not username or username == existing.username):
            self.stdout.write(f"Đã có tài khoản quản trị “{existing.username}”; không tạo thêm.")
            return
        if not username:
            if not interactive:
                raise CommandError("Cần --admin-user TÊN (tên đăng nhập của quản trị viên đầu tiên).")
            username = input("Tên đăng nhập của quản trị viên: ").strip()
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"Tài khoản “{username}” đã tồn tại; chọn tên khác.")
        password = opts["admin_password"] or os.environ.get(PASSWORD_ENV, "")
        if not password:
            if not interactive:
                raise CommandError(f"Cần --admin-password hoặc biến môi trường {PASSWORD_ENV}.")
            password = getpass.getpass(f"Mật khẩu (ít nhất {MIN_PASSWORD} ký tự): ")
            if getpass.getpass("Nhập lại mật khẩu: ") != password:
                raise CommandError("Hai lần nhập mật khẩu không khớp.")
        name = opts["admin_name"]
        if not name and interactive:
            name = input("Họ và tên (có thể bỏ trống): ").strip()
        try:
            with bind_context(source="command"):
                user_create(
                    acting_user=None,
                    username=username,
                    password=password,
                    full_name=name,
                    must_change_password=False,
                    is_superuser=True,
                    reason="Cài đặt lần đầu (./canbo setup)",
                )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Đã tạo tài khoản quản trị “{username}”.")
