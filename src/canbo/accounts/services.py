"""Writes of accounts and grants (logged like every other record).

Who may do what (``canbo.accounts.selectors``): an administrator of CanBo (the admin role on a
unit subtree, or a superuser) manages the users whose grants all lie in his subtrees, and hands
out grants only within them — never wider than his own (sensitive sections, management scope).
Grants are change-logged records (``audited_create``/``audited_delete``); Django's user is not,
so its creation, password resets and deactivation are written to the same log by ``_log_user``.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from canbo.accounts.models import CHANGE_ROLES, Account, ApiToken, Grant, Role
from canbo.core.context import current_context, current_reason
from canbo.core.errors import DomainError
from canbo.core.models import ObjectChange
from canbo.core.services import (
    audited_create,
    audited_delete,
    audited_update,
    frozen_user_name,
    logged_user,
)
from canbo.core.types import ActingUser
from canbo.org.models import Unit
from canbo.people.models import Person

MIN_PASSWORD: int = settings.CANBO_PASSWORD_MIN_LENGTH


def _require_reason(reason: str) -> str:
    reason = current_reason(reason)
    if not reason:
        raise DomainError("Hãy ghi lý do hoặc căn cứ (ví dụ số quyết định, số công văn).")
    return reason


def _check_password(password: str, user: User | None = None) -> None:
    """Django's validators (settings.AUTH_PASSWORD_VALIDATORS: length, common passwords, digits
    only, similarity to the user's name), every message in Vietnamese."""
    if len(password or "") < MIN_PASSWORD:
        raise DomainError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from exc


def _user_snapshot(user: User) -> dict[str, Any]:
    """A user's record for the log, without the password hash."""
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
    }


def _log_user(
    user: User,
    *,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    acting_user: ActingUser,
    reason: str,
) -> None:
    ctx = current_context()
    ObjectChange.objects.create(
        user=logged_user(acting_user),
        user_name=frozen_user_name(acting_user),
        request_id=ctx.request_id,
        source=ctx.source,
        action=action,
        content_type=ContentType.objects.get_for_model(User),
        object_id=user.pk,
        object_repr=user.username,
        reason=reason[:500],
        prechange_data=before,
        postchange_data=after,
    )


def _ensure_manages(acting_user: ActingUser, user: User) -> None:
    """Refuse unless ``acting_user`` may manage ``user`` (a user outside is "not found")."""
    from canbo.accounts.selectors import is_admin, managed_users

    if acting_user is None:
        return
    if not is_admin(acting_user):
        raise DomainError("Chỉ quản trị hệ thống được quản lý tài khoản.", code="forbidden")
    if not managed_users(acting_user).filter(pk=user.pk).exists():
        raise DomainError(
            "Tài khoản này có quyền ngoài phạm vi đơn vị bạn quản trị; bạn không được thay đổi nó."
        )


def _set_must_change(user: User, value: bool, *, acting_user: ActingUser, reason: str) -> None:
    account, created = Account.objects.get_or_create(user=user)
    if created and not value:
        return
    audited_update(account, acting_user=acting_user, changes={"must_change_password": value}, reason=reason)


def grant_add(
    *,
    acting_user: ActingUser,
    user: User,
    role: str,
    unit: Unit | None = None,
    person: Person | None = None,
    include_sensitive: bool = False,
    management_scope: str = "",
    reason: str,
) -> Grant:
    """Give ``user`` a role on a unit subtree (or, for the person role, on his own dossier).

    Only an administrator may hand out grants, and only within his own: on a unit his admin
    grants cover (the person role: a dossier kept there), with sensitive sections only if his
    covering grant has them, limited to a management scope if his is. ``acting_user=None`` is
    the system (``./canbo setup``, ``./canbo createuser``).
    """
    from canbo.accounts.selectors import admin_covers, is_admin

    reason = _require_reason(reason)
    if role not in Role.values:
        raise DomainError(f"Vai trò không hợp lệ: {role}.")
    if acting_user is not None:
        if not is_admin(acting_user):
            raise DomainError("Chỉ quản trị hệ thống được cấp quyền.", code="forbidden")
        target = unit if role != Role.SELF else (person.managing_unit if person else None)
        if target is not None and not admin_covers(
            acting_user, target, sensitive=include_sensitive, management_scope=management_scope
        ):
            raise DomainError(
                f"Bạn chỉ được cấp quyền trong phạm vi đơn vị mình quản trị; “{target.name}” nằm "
                "ngoài phạm vi đó"
                + (" hoặc quyền của bạn không gồm thông tin nhạy cảm." if include_sensitive else ".")
            )
        if user.is_superuser and not acting_user.is_superuser:
            raise DomainError("Bạn không được thay đổi quyền của tài khoản quản trị cao nhất.")
    if role == Role.SELF:
        unit = None
    else:
        person = None
    duplicate = Grant.objects.filter(
        user=user, role=role, unit=unit, person=person, management_scope=management_scope
    )
    if duplicate.exists():
        raise DomainError("Tài khoản đã có đúng quyền này.")
    grant = Grant(
        user=user,
        role=role,
        unit=unit,
        person=person,
        include_sensitive=include_sensitive,
        management_scope=management_scope,
    )
    return audited_create(grant, acting_user=acting_user, reason=reason, check_scope=False)


def grant_remove(*, acting_user: ActingUser, grant: Grant, reason: str) -> None:
    """Revoke a grant; only an administrator whose admin grants cover it may."""
    from canbo.accounts.selectors import admin_covers, is_admin

    reason = _require_reason(reason)
    if acting_user is not None:
        if not is_admin(acting_user):
            raise DomainError("Chỉ quản trị hệ thống được thu hồi quyền.", code="forbidden")
        target = grant.unit if grant.role != Role.SELF else grant.person.managing_unit  # type: ignore[union-attr]
        if target is None or not admin_covers(
            acting_user, target, sensitive=False, management_scope=grant.management_scope
        ):
            raise DomainError("Quyền này nằm ngoài phạm vi đơn vị bạn quản trị; bạn không được thu hồi.")
        if grant.user_id == acting_user.pk and grant.role == Role.ADMIN:
            raise DomainError("Bạn không tự thu hồi quyền quản trị của mình; hãy nhờ cấp trên.")
    audited_delete(grant, acting_user=acting_user, reason=reason, check_scope=False)


@transaction.atomic
def user_create(
    *,
    acting_user: ActingUser,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    must_change_password: bool = True,
    is_superuser: bool = False,
    reason: str = "Tạo tài khoản",
) -> User:
    """A new login. An administrator's new users must change the password he gave them at their
    first login; ``./canbo setup`` makes the first administrator with ``is_superuser``."""
    from canbo.accounts.selectors import is_admin

    if acting_user is not None and not is_admin(acting_user):
        raise DomainError("Chỉ quản trị hệ thống được tạo tài khoản.", code="forbidden")
    if is_superuser and acting_user is not None and not acting_user.is_superuser:
        raise DomainError("Bạn không được tạo tài khoản quản trị cao nhất.")
    username = (username or "").strip()
    if not username:
        raise DomainError("Hãy nhập tên đăng nhập.")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"Tài khoản “{username}” đã tồn tại.")
    first, _, last = full_name.strip().rpartition(" ")
    user = User(username=username, first_name=first, last_name=last, email=email.strip())
    user.is_superuser = user.is_staff = is_superuser
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from exc
    _check_password(password, user)
    user.set_password(password)
    user.save()
    _log_user(user, action="create", before=None, after=_user_snapshot(user), acting_user=acting_user,
              reason=reason)  # fmt: skip
    if must_change_password:
        _set_must_change(user, True, acting_user=acting_user, reason=reason)
    return user


@transaction.atomic
def user_create_with_grant(
    *,
    acting_user: ActingUser,
    username: str,
    password: str,
    role: str,
    unit: Unit | None = None,
    person: Person | None = None,
    include_sensitive: bool = False,
    management_scope: str = "",
    full_name: str = "",
    email: str = "",
    must_change_password: bool = True,
    reason: str = "Tạo tài khoản",
) -> User:
    """A new login with its first grant, both or neither."""
    if role not in Role.values:
        raise DomainError(f"Vai trò không hợp lệ: {role}. Chọn một trong: {', '.join(Role.values)}.")
    user = user_create(
        acting_user=acting_user,
        username=username,
        password=password,
        full_name=full_name,
        email=email,
        must_change_password=must_change_password,
        reason=reason,
    )
    grant_add(
        acting_user=acting_user,
        user=user,
        role=role,
        unit=unit,
        person=person,
        include_sensitive=include_sensitive,
        management_scope=management_scope,
        reason=reason,
    )
    return user


@transaction.atomic
def user_password_reset(*, acting_user: ActingUser, user: User, password: str, reason: str) -> None:
    """An administrator sets a new password; the user must change it at his next login.

    Setting the password ends the user's open sessions (Django checks the password hash on every
    request), so he logs in again and is sent to the change-password page.
    """
    reason = _require_reason(reason)
    _ensure_manages(acting_user, user)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    snap = _user_snapshot(user)
    _log_user(user, action="update", before=snap, after={**snap, "password": "(đặt lại)"},
              acting_user=acting_user, reason=reason)  # fmt: skip
    _set_must_change(user, True, acting_user=acting_user, reason=reason)


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> None:
    """The user changes his own password (after a reset, or whenever he likes)."""
    if not user.check_password(old_password):
        raise DomainError("Mật khẩu hiện tại không đúng.")
    if old_password == new_password:
        raise DomainError("Mật khẩu mới phải khác mật khẩu hiện tại.")
    _check_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    snap = _user_snapshot(user)
    _log_user(user, action="update", before=snap, after={**snap, "password": "(đổi)"}, acting_user=user,
              reason="Tự đổi mật khẩu")  # fmt: skip
    _set_must_change(user, False, acting_user=user, reason="Tự đổi mật khẩu")


@transaction.atomic
def user_set_active(*, acting_user: ActingUser, user: User, active: bool, reason: str) -> None:
    """Deactivate (or reactivate) a login. Grants stay, so reactivation restores the same access;
    a deactivated user cannot log in and his sessions end at the next request."""
    reason = _require_reason(reason)
    _ensure_manages(acting_user, user)
    if acting_user is not None and user.pk == acting_user.pk and not active:
        raise DomainError("Bạn không tự khóa tài khoản của mình.")
    if user.is_active == active:
        return
    before = _user_snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    _log_user(user, action="update", before=before, after=_user_snapshot(user), acting_user=acting_user,
              reason=reason)  # fmt: skip


EXCEPTION_RIGHT = ("rules", "record_rule_exception")


def exception_permission() -> Permission:
    app_label, codename = EXCEPTION_RIGHT
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def has_exception_right(user: User) -> bool:
    """Whether ``user`` holds the right to record rule exceptions (his own, a group's or as
    superuser): one query, where ``has_perm`` would read the user's and the groups' permissions."""
    if user.is_superuser:
        return user.is_active
    app_label, codename = EXCEPTION_RIGHT
    return (
        user.is_active
        and Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )


@transaction.atomic
def user_set_exception_right(*, acting_user: ActingUser, user: User, allowed: bool, reason: str) -> None:
    """Give or take the right to record rule exceptions (``rules.record_rule_exception``) of a
    user the administrator manages; logged on the user with the reason. A superuser holds it
    anyway; a right that comes from a group is the admin site's to take."""
    reason = _require_reason(reason)
    _ensure_manages(acting_user, user)
    if user.is_superuser:
        raise DomainError(
            "Tài khoản quản trị tối cao luôn có quyền ghi nhận ngoại lệ; không cần cấp hay thu hồi."
        )
    perm = exception_permission()
    own = user.user_permissions.filter(pk=perm.pk).exists()
    if own == allowed:
        return
    if allowed:
        user.user_permissions.add(perm)
    else:
        user.user_permissions.remove(perm)
    _log_user(user, action="update", before={**_user_snapshot(user), "record_rule_exception": own},
              after={**_user_snapshot(user), "record_rule_exception": allowed}, acting_user=acting_user,
              reason=reason)  # fmt: skip


def _grant_covered(grant: Grant, unit: Unit) -> bool:
    """Whether ``grant``'s user already holds, on ``unit`` or a unit above it, a grant of the
    same role and management scope with at least its sensitive sections (another grant)."""
    ancestors = [unit.path[:i] for i in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
    others = Grant.objects.filter(
        user_id=grant.user_id,
        role=grant.role,
        management_scope=grant.management_scope,
        unit__path__in=ancestors,
    ).exclude(pk=grant.pk)
    if grant.include_sensitive:
        others = others.filter(include_sensitive=True)
    return others.exists()


def grants_carry(*, unit: Unit, successors: list[Unit], acting_user: ActingUser, reason: str) -> int:
    """Carry the grants on ``unit`` (which a restructuring closes) to its ``successors``.

    A grant on a unit that is moved, merged away or split continues on what took its place, as
    its holder expects: it is re-pointed to the first successor, and copied (same role, sensitive
    sections and management scope) to each further one (the parts of a split). Where the holder
    already has an equal or broader grant on the successor or above it, nothing is added and
    the grant on the closed unit is removed. Every change is in the change log with the
    operation's reason. This is a consequence of the restructuring the acting user may do, not a
    grant he hands out, so the administrator's checks of ``grant_add`` do not apply. Returns the
    number of grants carried (re-pointed or copied).
    """
    carried = 0
    changed = False
    note = f"Quyền chuyển sang đơn vị kế thừa: {reason}"
    for grant in Grant.objects.filter(unit=unit).exclude(role=Role.SELF).order_by("pk"):
        kept = False
        changed = True
        for target in successors:
            if _grant_covered(grant, target):
                continue
            if not kept:
                audited_update(
                    grant, acting_user=acting_user, changes={"unit": target}, reason=note, check_scope=False
                )
                kept = True
            else:
                copy = Grant(
                    user_id=grant.user_id,
                    role=grant.role,
                    unit=target,
                    include_sensitive=grant.include_sensitive,
                    management_scope=grant.management_scope,
                )
                audited_create(copy, acting_user=acting_user, reason=note, check_scope=False)
            carried += 1
        if not kept:
            audited_delete(
                grant,
                acting_user=acting_user,
                reason=f"Quyền đã có trên đơn vị kế thừa hoặc cấp trên của nó: {reason}",
                check_scope=False,
            )
    if changed and acting_user is not None and hasattr(acting_user, "_canbo_grants"):
        del acting_user._canbo_grants  # his own grants may have moved
    return carried


# --- API tokens ----------------------------------------------------------------------------

TOKEN_PREFIX = "canbo_"  # noqa: S105 (the keys' visible prefix, not a secret)


def hash_token(key: str) -> str:
    """The SHA-256 kept for a key (the key is 32 random bytes: no slow hash needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


def _ensure_token_admin(acting_user: ActingUser, grant: Grant, verb: str) -> None:
    from canbo.accounts.selectors import admin_covers, is_admin

    if acting_user is None:
        return
    if not is_admin(acting_user):
        raise DomainError(f"Chỉ quản trị hệ thống được {verb} mã truy cập API.", code="forbidden")
    if grant.unit is None or not admin_covers(
        acting_user, grant.unit, sensitive=grant.include_sensitive, management_scope=grant.management_scope
    ):
        raise DomainError(f"Quyền này nằm ngoài phạm vi đơn vị bạn quản trị; bạn không được {verb} mã.")


def token_create(
    *, acting_user: ActingUser, grant: Grant, name: str, can_write: bool, reason: str
) -> tuple[ApiToken, str]:
    """A new API key bound to ``grant`` (a unit subtree; read only unless ``can_write``, which
    needs a grant that may change). Returns the token and the key, which is shown once and kept
    only as its hash."""
    reason = _require_reason(reason)
    name = (name or "").strip()
    if not name:
        raise DomainError("Hãy ghi tên hệ thống sẽ dùng mã (ví dụ “Cổng dịch vụ công tỉnh”).")
    if grant.role not in (Role.OFFICER, Role.LEADER) or grant.unit is None:
        raise DomainError(
            "Mã truy cập API chỉ cấp theo quyền cán bộ tổ chức hoặc lãnh đạo trên một cây đơn vị "
            "(không theo quyền quản trị hay quyền cá nhân)."
        )
    if grant.user.is_superuser:
        raise DomainError("Không cấp mã truy cập API cho tài khoản quản trị tối cao.")
    if can_write and grant.role not in CHANGE_ROLES:
        raise DomainError("Quyền này chỉ được xem; mã theo quyền này không thể được ghi.")
    _ensure_token_admin(acting_user, grant, "cấp")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        grant=grant,
        name=name,
        prefix=key[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_token(key),
        can_write=can_write,
    )
    audited_create(token, acting_user=acting_user, reason=reason, check_scope=False)
    return token, key


def token_revoke(*, acting_user: ActingUser, token: ApiToken, reason: str) -> None:
    """Revoke a key: every later call with it is refused (401)."""
    reason = _require_reason(reason)
    _ensure_token_admin(acting_user, token.grant, "thu hồi")
    if token.revoked is not None:
        raise DomainError("Mã này đã bị thu hồi.")
    audited_update(
        token, acting_user=acting_user, changes={"revoked": timezone.now()}, reason=reason, check_scope=False
    )


# --- second factor (TOTP, django-otp) --------------------------------------------------------


def totp_confirm(*, user: User, device: Any) -> None:
    """The user confirmed his authenticator (the code he typed matched ``device``): the device
    is confirmed and the enrolment written to the log, by the user himself."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _log_user(user, action="update", before={"second_factor": False}, after={"second_factor": True},
                  acting_user=user, reason="Đăng ký xác thực hai bước")  # fmt: skip


def totp_reset(*, acting_user: ActingUser, user: User, reason: str) -> int:
    """An administrator removes ``user``'s authenticators (a lost phone): at his next login the
    user enrols again. Only within the administrator's subtree, with a reason, logged."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    reason = _require_reason(reason)
    _ensure_manages(acting_user, user)
    with transaction.atomic():
        devices = TOTPDevice.objects.filter(user=user)
        had = devices.filter(confirmed=True).exists()
        count, _ = devices.delete()
        _log_user(user, action="update", before={"second_factor": had}, after={"second_factor": False},
                  acting_user=acting_user, reason=reason)  # fmt: skip
    return count
