"""Writes of accounts and grants (logged like every other record)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from canbo.accounts.models import Grant, Role
from canbo.core.errors import DomainError
from canbo.core.services import audited_create, audited_delete
from canbo.org.models import Unit
from canbo.people.models import Person


def grant_add(
    *,
    acting_user: Any,
    user: User,
    role: str,
    unit: Unit | None = None,
    person: Person | None = None,
    include_sensitive: bool = False,
    reason: str = "",
) -> Grant:
    """Give ``user`` a role on a unit subtree (or, for the person role, on his own dossier).

    Only an administrator whose own grants cover the unit may hand out grants on it.
    """
    from canbo.accounts.selectors import is_admin

    if acting_user is not None and not is_admin(acting_user):
        raise DomainError("Chỉ quản trị hệ thống được cấp quyền.")
    if (
        acting_user is not None
        and unit is not None
        and not Unit.objects.restrict(acting_user, "change").filter(pk=unit.pk).exists()
    ):
        raise DomainError("Bạn chỉ được cấp quyền trong phạm vi đơn vị của mình.")
    grant = Grant(user=user, role=role, unit=unit, person=person, include_sensitive=include_sensitive)
    return audited_create(grant, acting_user=acting_user, reason=reason, check_scope=False)


def grant_remove(*, acting_user: Any, grant: Grant, reason: str = "") -> None:
    audited_delete(grant, acting_user=acting_user, reason=reason, check_scope=False)


@transaction.atomic
def user_create_with_grant(
    *,
    acting_user: Any,
    username: str,
    password: str,
    role: str,
    unit: Unit | None = None,
    person: Person | None = None,
    include_sensitive: bool = False,
    full_name: str = "",
) -> User:
    if role not in Role.values:
        raise DomainError(f"Vai trò không hợp lệ: {role}. Chọn một trong: {', '.join(Role.values)}.")
    if User.objects.filter(username=username).exists():
        raise DomainError(f"Tài khoản “{username}” đã tồn tại.")
    first, _, last = full_name.rpartition(" ")
    user = User.objects.create_user(username=username, password=password, first_name=first, last_name=last)
    grant_add(
        acting_user=acting_user,
        user=user,
        role=role,
        unit=unit,
        person=person,
        include_sensitive=include_sensitive,
        reason="Tạo tài khoản",
    )
    return user
