"""The due-list form: a unit of the user's scope, an as-of date and a number of months."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from canbo.core.dates import parse_as_of
from canbo.org.forms import UnitPickerField
from canbo.org.models import Unit
from canbo.salary.selectors import MAX_MONTHS


class DueForm(forms.Form):
    don_vi = UnitPickerField(label="Đơn vị (gồm các đơn vị trực thuộc)", queryset=Unit.objects.none())
    ngay = forms.CharField(
        label="Tính từ ngày",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    so_thang = forms.IntegerField(
        label="Trong số tháng tới",
        min_value=1,
        max_value=MAX_MONTHS,
        initial=3,
        error_messages={
            "invalid": "Số tháng phải là một số nguyên.",
            "min_value": "Số tháng phải từ 1 trở lên.",
            "max_value": f"Số tháng không quá {MAX_MONTHS}.",
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["don_vi"].queryset = Unit.objects.restrict(user)  # type: ignore[attr-defined]

    def clean_ngay(self) -> dt.date:
        try:
            return parse_as_of(self.cleaned_data.get("ngay") or "")
        except ValidationError as exc:
            raise ValidationError(exc.messages[0].replace("Ngày xem", "Ngày tính")) from exc
