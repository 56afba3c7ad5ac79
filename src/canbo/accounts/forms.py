"""Forms of the account pages. They read and check what was typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from canbo.accounts.models import Grant, Role
from canbo.core.forms import ReasonForm
from canbo.org.choices import ManagementScope
from canbo.org.models import Unit
from canbo.people.models import Person


class RequiredReasonForm(ReasonForm):
    """The reason, required: every change of a user or a grant says why."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["reason"].error_messages["required"] = (
            "Hãy ghi lý do hoặc căn cứ (ví dụ số quyết định, số công văn)."
        )


class ExceptionRightForm(RequiredReasonForm):
    """The right to record rule exceptions (``rules.record_rule_exception``), given or taken."""

    allowed = forms.BooleanField(label="Được ghi nhận ngoại lệ quy định", required=False)
    field_order = ["allowed", "reason"]


class GrantForm(RequiredReasonForm):
    """A role on a unit subtree (by the unit's code), or the person role on one dossier."""

    role = forms.ChoiceField(label="Vai trò", choices=Role.choices)
    unit_code = forms.CharField(
        label="Mã đơn vị",
        max_length=40,
        required=False,
        help_text="Quyền áp dụng cho đơn vị này và mọi đơn vị trực thuộc.",
    )
    personal_id = forms.CharField(
        label="Số định danh cá nhân",
        max_length=12,
        required=False,
        help_text="Chỉ với vai trò cá nhân: hồ sơ của chính người dùng.",
    )
    include_sensitive = forms.BooleanField(label="Được xem thông tin nhạy cảm", required=False)
    management_scope = forms.ChoiceField(
        label="Diện quản lý",
        choices=[("", "Mọi cán bộ của cây đơn vị"), *ManagementScope.choices],
        required=False,
        help_text="Chọn một diện để quyền chỉ gồm những người đang giữ chức danh thuộc diện đó.",
    )

    field_order = ["role", "unit_code", "personal_id", "management_scope", "include_sensitive", "reason"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        role = data.get("role")
        data["unit"] = data["person"] = None
        if role == Role.SELF:
            pid = (data.get("personal_id") or "").strip()
            if not pid:
                self.add_error("personal_id", "Vai trò cá nhân cần số định danh của hồ sơ.")
            else:
                data["person"] = (
                    Person.objects.filter(personal_id=pid).select_related("managing_unit").first()
                )
                if data["person"] is None:
                    self.add_error("personal_id", f"Không có hồ sơ với số định danh “{pid}”.")
        elif role:
            code = (data.get("unit_code") or "").strip()
            if not code:
                self.add_error("unit_code", "Hãy nhập mã đơn vị mà quyền áp dụng.")
            else:
                data["unit"] = Unit.objects.filter(code=code).first()
                if data["unit"] is None:
                    self.add_error("unit_code", f"Không có đơn vị mã “{code}”.")
        return data


class _NewPasswordMixin(forms.Form):
    password1 = forms.CharField(label="Mật khẩu mới", widget=forms.PasswordInput(render_value=False))
    password2 = forms.CharField(label="Nhập lại mật khẩu mới", widget=forms.PasswordInput(render_value=False))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "Hai lần nhập mật khẩu không khớp.")
        return data


class UserCreateForm(_NewPasswordMixin, GrantForm):
    """A new login with its first grant."""

    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    full_name = forms.CharField(label="Họ và tên", max_length=150, required=False)
    email = forms.EmailField(label="Thư điện tử", required=False)

    field_order = [
        "username", "full_name", "email", "password1", "password2",
        "role", "unit_code", "personal_id", "management_scope", "include_sensitive", "reason",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "Mật khẩu ban đầu"
        self.fields["password1"].help_text = "Người dùng phải đổi mật khẩu này ở lần đăng nhập đầu."
        self.fields["password2"].label = "Nhập lại mật khẩu ban đầu"


class PasswordResetForm(_NewPasswordMixin, RequiredReasonForm):
    """An administrator sets a new password."""

    field_order = ["password1", "password2", "reason"]


class OwnPasswordForm(_NewPasswordMixin):
    """The user changes his own password."""

    old_password = forms.CharField(label="Mật khẩu hiện tại", widget=forms.PasswordInput)

    field_order = ["old_password", "password1", "password2"]


class ApiTokenForm(RequiredReasonForm):
    """A new API key for one of the user's grants on a unit subtree."""

    grant: forms.ModelChoiceField[Grant] = forms.ModelChoiceField(
        label="Theo quyền",
        queryset=None,
        empty_label=None,
        help_text="Mã chỉ thấy cây đơn vị của quyền này.",
        error_messages={"invalid_choice": "Hãy chọn một quyền của tài khoản này."},
    )
    name = forms.CharField(
        label="Tên hệ thống dùng mã", max_length=100, help_text="Ví dụ: Cổng dịch vụ công tỉnh."
    )
    can_write = forms.BooleanField(
        label="Được ghi (thêm, sửa, xóa)", required=False, help_text="Để trống: mã chỉ được đọc."
    )
    field_order = ["grant", "name", "can_write", "reason"]

    def __init__(self, *args: Any, grants: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["grant"]
        field.queryset = grants  # type: ignore[attr-defined]
        field.label_from_instance = lambda g: f"{g.get_role_display()} — {g.unit.name} (mã {g.unit.code})"  # type: ignore[attr-defined]
