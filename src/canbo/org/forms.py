"""Forms of the restructuring operations."""

from __future__ import annotations

from typing import Any

from django import forms

from canbo.core.forms import DateInput
from canbo.core.querysets import CHANGE
from canbo.org.choices import Block, Level, UnitKind
from canbo.org.models import Unit


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * (obj.depth - 1)}{obj.name} [{obj.code}]"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} [{obj.code}]"


class _Base(forms.Form):
    on = forms.DateField(label="Ngày hiệu lực", widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    basis = forms.CharField(label="Căn cứ (số, ngày quyết định)", max_length=200)


class RenameForm(_Base):
    new_name = forms.CharField(label="Tên mới", max_length=255)


class MergeForm(_Base):
    sources = UnitMultipleChoiceField(label="Các đơn vị sáp nhập", queryset=Unit.objects.none())
    into = UnitChoiceField(
        label="Sáp nhập vào đơn vị (để trống nếu hợp nhất thành đơn vị mới)",
        queryset=Unit.objects.none(),
        required=False,
    )
    parent = UnitChoiceField(
        label="Đơn vị cấp trên của đơn vị mới", queryset=Unit.objects.none(), required=False
    )
    new_code = forms.CharField(label="Mã đơn vị mới", max_length=40, required=False)
    new_name = forms.CharField(label="Tên đơn vị mới", max_length=255, required=False)
    new_kind = forms.ChoiceField(label="Loại", choices=UnitKind.choices, required=False)
    new_block = forms.ChoiceField(label="Khối", choices=Block.choices, required=False)
    new_level = forms.ChoiceField(label="Cấp", choices=Level.choices, required=False)
    carry_people = forms.BooleanField(
        label="Chuyển cán bộ sang đơn vị tiếp nhận", required=False, initial=True
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Unit.objects.restrict(user, CHANGE).filter(valid_to__isnull=True).order_by("path")
        for name in ("sources", "into", "parent"):
            self.fields[name].queryset = qs  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("into") and not (
            data.get("new_code") and data.get("new_name") and data.get("parent")
        ):
            raise forms.ValidationError(
                "Chọn đơn vị tiếp nhận, hoặc nhập mã, tên và đơn vị cấp trên của đơn vị mới."
            )
        return data


class DissolveForm(_Base):
    successor = UnitChoiceField(
        label="Đơn vị kế thừa nhiệm vụ (nếu có)", queryset=Unit.objects.none(), required=False
    )
    carry_people = forms.BooleanField(label="Chuyển cán bộ sang đơn vị kế thừa", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.restrict(user, CHANGE).filter(valid_to__isnull=True).order_by("path")
        )
