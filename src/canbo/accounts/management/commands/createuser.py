"""``./canbo createuser NAME --role ROLE --unit CODE [--sensitive]``: an account with one grant."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from canbo.accounts.models import Role
from canbo.accounts.services import MIN_PASSWORD, user_create_with_grant
from canbo.core.context import bind_context
from canbo.core.errors import DomainError
from canbo.org.choices import ManagementScope
from canbo.org.models import Unit
from canbo.people.models import Person


class Command(BaseCommand):
    help = "Tạo tài khoản và cấp một quyền (vai trò trên một cây đơn vị, hoặc hồ sơ cá nhân)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="tên đăng nhập")
        parser.add_argument("--role", required=True, choices=Role.values, help="vai trò")
        parser.add_argument("--unit", help="mã đơn vị gốc của cây đơn vị được giao")
        parser.add_argument("--person", help="số định danh cá nhân (vai trò self)")
        parser.add_argument("--sensitive", action="store_true", help="được xem thông tin nhạy cảm")
        parser.add_argument("--password", help="mật khẩu (mặc định: hỏi khi chạy)")
        parser.add_argument("--full-name", default="", help="họ và tên")
        parser.add_argument(
            "--management-scope",
            default="",
            choices=["", *ManagementScope.values],
            help="chỉ những người thuộc diện quản lý này (mặc định: mọi cán bộ của cây đơn vị)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        unit = person = None
        if opts["unit"]:
            unit = Unit.objects.filter(code=opts["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã “{opts['unit']}”.")
        if opts["person"]:
            person = Person.objects.filter(personal_id=opts["person"]).first()
            if person is None:
                raise CommandError(f"Không có hồ sơ với số định danh “{opts['person']}”.")
        if opts["role"] == Role.SELF and person is None:
            raise CommandError("Vai trò self cần --person SỐ_ĐỊNH_DANH.")
        if opts["role"] != Role.SELF and unit is None:
            raise CommandError("Cần --unit MÃ_ĐƠN_VỊ.")
        password = opts["password"] or getpass.getpass("Mật khẩu: ")
        if len(password) < MIN_PASSWORD:
            raise CommandError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")
        try:
            with bind_context(source="command"):
                user_create_with_grant(
                    acting_user=None,
                    username=opts["username"],
                    password=password,
                    role=opts["role"],
                    unit=unit,
                    person=person,
                    include_sensitive=opts["sensitive"],
                    full_name=opts["full_name"],
                    management_scope=opts["management_scope"],
                    # whoever runs the command types the password for himself or hands it over
                    must_change_password=False,
                    reason="Tạo tài khoản bằng lệnh createuser",
                )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"Đã tạo tài khoản “{opts['username']}”."))
