"""``manage.py demo_login``: create (idempotently) and print the demo accounts of the demo province."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from canbo.accounts.models import Grant, Role
from canbo.careers.models import Tenure, on_date_q
from canbo.core.context import bind_context
from canbo.core.dates import today
from canbo.core.services import audited_create, audited_delete
from canbo.demo.structure import ROOT_CODE
from canbo.org.models import Unit
from canbo.people.models import Person

REASON = "Tài khoản dùng thử của tỉnh mẫu"
# username → (password, description). Demo only: the passwords are printed on purpose.
ACCOUNTS = {
    "quantri": ("quantri-demo-2026", "Quản trị hệ thống (toàn quyền)"),
    "tochuc": ("tochuc-demo-2026", "Cán bộ tổ chức toàn tỉnh, xem và sửa, được xem thông tin nhạy cảm"),
    "lanhdao": ("lanhdao-demo-2026", "Lãnh đạo, chỉ xem"),
    "xa": ("xa-demo-2026", "Cán bộ tổ chức của một xã, xem và sửa"),
    "canhan": ("canhan-demo-2026", "Cá nhân, chỉ xem hồ sơ của mình"),
}
DISTRICT_CODE = f"{ROOT_CODE}.H082"  # Huyện Bát Xát (before 1/7/2025)
COMMUNE_CODE = f"{ROOT_CODE}.XM02683"  # Xã Bát Xát (from 1/7/2025)


class Command(BaseCommand):
    help = "Tạo (nếu chưa có) và in các tài khoản dùng thử của tỉnh mẫu."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            root = Unit.objects.get(code=ROOT_CODE)
            district = Unit.objects.get(code=DISTRICT_CODE)
            commune = Unit.objects.get(code=COMMUNE_CODE)
        except Unit.DoesNotExist as exc:
            raise CommandError("Chưa có dữ liệu tỉnh mẫu. Hãy chạy “manage.py seed_demo” trước.") from exc
        person = self._person(commune)
        wanted: dict[str, tuple[str, Unit | None, Person | None, bool]] = {
            "quantri": (Role.ADMIN, root, None, True),
            "tochuc": (Role.OFFICER, root, None, True),
            "lanhdao": (Role.LEADER, district, None, False),
            "xa": (Role.OFFICER, commune, None, False),
            "canhan": (Role.SELF, None, person, False),
        }
        with bind_context(source="command"), transaction.atomic():
            for username, (password, _desc) in ACCOUNTS.items():
                user, _created = User.objects.get_or_create(username=username)
                user.is_superuser = user.is_staff = username == "quantri"
                if username == "canhan":
                    user.first_name = person.full_name
                user.set_password(password)
                user.save()
                role, unit, who, sensitive = wanted[username]
                keep = None
                for grant in Grant.objects.filter(user=user).order_by("pk"):
                    same = (grant.role, grant.unit_id, grant.person_id, grant.include_sensitive) == (
                        role, unit.pk if unit else None, who.pk if who else None, sensitive,
                    )  # fmt: skip
                    if same and keep is None:
                        keep = grant
                    else:
                        audited_delete(grant, acting_user=None, reason=REASON)
                if keep is None:
                    audited_create(
                        Grant(user=user, role=role, unit=unit, person=who, include_sensitive=sensitive),
                        acting_user=None,
                        reason=REASON,
                    )
        self.stdout.write("Tài khoản dùng thử (chỉ dành cho bản trình diễn):")
        scope = {
            "quantri": "toàn hệ thống",
            "tochuc": root.name,
            "lanhdao": f"{district.name} (đơn vị cấp huyện đến 30/6/2025)",
            "xa": commune.name,
            "canhan": f"hồ sơ của {person.full_name}",
        }
        for username, (password, desc) in ACCOUNTS.items():
            self.stdout.write(f"  {username:<8} mật khẩu: {password:<20} {desc} – {scope[username]}")

    def _person(self, commune: Unit) -> Person:
        """A person serving today in the commune's People's Committee (first by id number)."""
        day = max(today(), dt.date(2026, 1, 1))
        tenure = (
            Tenure.objects.filter(
                on_date_q(day), unit__path__startswith=commune.path, person__is_synthetic=True
            )
            .order_by("person__personal_id")
            .select_related("person")
            .first()
        )
        if tenure is None:
            person = Person.objects.filter(is_synthetic=True).order_by("personal_id").first()
            if person is None:
                raise CommandError("Chưa có dữ liệu tỉnh mẫu. Hãy chạy “manage.py seed_demo” trước.")
            return person
        return tenure.person
