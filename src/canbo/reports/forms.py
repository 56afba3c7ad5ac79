"""Forms of the report pages: a unit of the user's scope, a date, a layout."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from canbo.core.dates import parse_as_of, today
from canbo.org.forms import UnitPickerField
from canbo.org.models import Unit
from canbo.reports.layouts import layouts


def default_day() -> dt.date:
    """31 December of last year: the reference date of the yearly report (N-5)."""
    return dt.date(today().year - 1, 12, 31)


class StatisticsForm(forms.Form):
    don_vi = UnitPickerField(label="Đơn vị báo cáo (gồm các đơn vị trực thuộc)", queryset=Unit.objects.none())
    ngay = forms.CharField(
        label="Tính đến ngày",
        required=False,
        help_text="Mặc định 31/12 của năm trước.",
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    mau = forms.ChoiceField(
        label="Mẫu báo cáo",
        required=False,
        error_messages={"invalid_choice": "Không có mẫu báo cáo “%(value)s”."},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["don_vi"].queryset = Unit.objects.restrict(user)  # type: ignore[attr-defined]
        mau = self.fields["mau"]
        assert isinstance(mau, forms.ChoiceField)  # noqa: S101 (invariant; narrows the type for mypy)
        mau.choices = [("", "Theo ngày báo cáo (mẫu đang áp dụng)")] + [
            (code, f"{lay.form} ({lay.basis})") for code, lay in layouts().items()
        ]

    def clean_ngay(self) -> dt.date:
        text = (self.cleaned_data.get("ngay") or "").strip()
        if not text:
            return default_day()
        if text == "hom-nay":
            return today()
        try:
            return parse_as_of(text)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0].replace("Ngày xem", "Ngày báo cáo")) from exc
