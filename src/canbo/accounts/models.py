"""Grants: a role bound to a unit subtree (or, for the person role, to his own dossier)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from canbo.core.models import ChangeLoggedModel
from canbo.org.choices import ManagementScope
from canbo.org.models import Unit
from canbo.people.models import Person


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    OFFICER = "officer", "Cán bộ tổ chức (xem và sửa)"
    LEADER = "leader", "Lãnh đạo (chỉ xem)"
    SELF = "self", "Cá nhân (hồ sơ của mình, chỉ xem)"


CHANGE_ROLES = frozenset({Role.ADMIN, Role.OFFICER})


class Grant(ChangeLoggedModel):
    """A role held by a user on a unit subtree.

    Every page, list, export and API answer is limited to the union of the user's grants. The
    person role is bound to one dossier instead of a subtree. ``include_sensitive`` opens the
    sensitive sections (personal history, family, political standard, assets).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="tài khoản", on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField("vai trò", max_length=10, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name="cây đơn vị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
        help_text="Quyền áp dụng cho đơn vị này và mọi đơn vị trực thuộc.",
    )
    person = models.ForeignKey(
        Person,
        verbose_name="hồ sơ cá nhân",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="self_grants",
    )
    include_sensitive = models.BooleanField("được xem thông tin nhạy cảm", default=False)
    management_scope = models.CharField(
        "diện quản lý",
        max_length=20,
        choices=ManagementScope.choices,
        blank=True,
        help_text="Để trống: mọi cán bộ của cây đơn vị. Chọn một diện: chỉ những người đang giữ "
        "chức danh thuộc diện đó.",
    )

    class Meta:
        verbose_name = "quyền"
        verbose_name_plural = "quyền"
        ordering = ["user", "role"]

    def __str__(self) -> str:
        target = self.person if self.role == Role.SELF else self.unit
        scope = f" ({self.get_management_scope_display()})" if self.management_scope else ""
        return f"{self.user}: {self.get_role_display()} – {target}{scope}"

    def audit_person_id(self) -> int | None:
        return None

    def clean(self) -> None:
        super().clean()
        if self.role == Role.SELF:
            if not self.person_id:
                raise ValidationError({"person": "Vai trò cá nhân phải gắn với một hồ sơ."})
        elif not self.unit_id:
            raise ValidationError({"unit": "Hãy chọn cây đơn vị mà quyền áp dụng."})
        if self.role == Role.SELF and self.management_scope:
            raise ValidationError(
                {"management_scope": "Vai trò cá nhân gắn với một hồ sơ, không giới hạn theo diện."}
            )


class Account(ChangeLoggedModel):
    """What CanBo keeps about a login beyond Django's user: whether the password was set by an
    administrator and must be changed at the next login. One row per user, made on demand."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="tài khoản", on_delete=models.CASCADE, related_name="account"
    )
    must_change_password = models.BooleanField("phải đổi mật khẩu khi đăng nhập", default=False)

    class Meta:
        verbose_name = "trạng thái tài khoản"
        verbose_name_plural = "trạng thái tài khoản"

    def __str__(self) -> str:
        return str(self.user)


class ApiToken(ChangeLoggedModel):
    """A key an integration calls the API with (``Authorization: Token <key>``), bound to one grant:
    it sees that grant's subtree only, reads only unless ``can_write``, and stops working when the
    administrator revokes it (or the grant goes). Only the key's SHA-256 is kept; the key itself is
    shown once, when it is made."""

    grant = models.ForeignKey(
        Grant, verbose_name="quyền", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("tên (hệ thống dùng mã)", max_length=100)
    prefix = models.CharField("đầu mã", max_length=16)
    key_hash = models.CharField("băm của mã", max_length=64, unique=True)
    can_write = models.BooleanField("được ghi", default=False)
    last_used = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    revoked = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    audit_exclude = (*ChangeLoggedModel.audit_exclude, "key_hash", "last_used")

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def audit_person_id(self) -> int | None:
        return None
