"""The due-list form: a unit of the user's scope, an as-of date and a number of months."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from canbo.core.dates import parse_as_of, today
from canbo.core.forms import ReasonField
from canbo.org.forms import UnitPickerField
from canbo.org.models import Unit
from canbo.salary.selectors import MAX_MONTHS


class DayField(forms.CharField):
    """A day typed as dd/mm/yyyy (``core.dates.parse_as_of``), refused with the field's label:
    the decision and issue dates of this module's three forms."""

    widget = forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})

    def clean(self, value: Any) -> dt.date:
        text = super().clean(value)
        try:
            return parse_as_of(text)
        except ValidationError as exc:
            raise ValidationError(f"{self.label} không hợp lệ: “{text}”. Dùng dạng dd/mm/yyyy.") from exc


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
        text = (self.cleaned_data.get("ngay") or "").strip()
        if text == "hom-nay":  # the header's "Hôm nay" link, as on every dated page
            return today()
        try:
            return parse_as_of(text)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0].replace("Ngày xem", "Ngày tính")) from exc


class DecisionForm(forms.Form):
    """One raise decision for the persons ticked on the due list (``chon``: their list lines)."""

    chon = forms.MultipleChoiceField(
        label="Người được nâng lương",
        widget=forms.MultipleHiddenInput,
        required=False,
    )
    # every eligible person of the filter, on every page: the list is drawn again by the service
    # and must still be the one shown (``dau``: its fingerprint, ``selectors.eligible_digest``)
    tat_ca = forms.BooleanField(label="Chọn tất cả người đủ điều kiện theo bộ lọc", required=False)
    dau = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    so_quyet_dinh = forms.CharField(label="Số quyết định", max_length=60)
    ngay_quyet_dinh = DayField(label="Ngày quyết định")
    nguoi_ky = forms.CharField(label="Người ký", max_length=150, required=False)

    def __init__(self, *args: Any, due_form: forms.Form | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.due_form = due_form
        picked = self.data.getlist("chon") if hasattr(self.data, "getlist") else []
        self.fields["chon"].choices = [(t, t) for t in picked]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.due_form is not None and not self.due_form.is_valid():
            raise ValidationError("Danh sách không hợp lệ; hãy lập lại danh sách.")
        if data.get("tat_ca"):
            if not data.get("dau"):
                raise ValidationError("Danh sách không hợp lệ; hãy lập lại danh sách.")
        elif not data.get("chon") and "chon" not in self.errors:
            self.add_error("chon", "Hãy chọn ít nhất một người trong danh sách.")
        return data


class RetirementForm(DueForm):
    """The retirement list: a unit, an as-of date and the coming months (default 12)."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["so_thang"].initial = 12


class NoticeForm(forms.Form):
    """A retirement notice or decision recorded as issued (H-8)."""

    nguoi = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"invalid": "Cán bộ không hợp lệ.", "required": "Chưa chọn cán bộ."},
    )
    loai = forms.ChoiceField(
        label="Loại văn bản",
        choices=[("thong_bao", "Thông báo nghỉ hưu"), ("quyet_dinh", "Quyết định nghỉ hưu")],
        error_messages={
            "invalid_choice": "Loại văn bản không hợp lệ.",
            "required": "Chưa chọn loại văn bản.",
        },
    )
    so = forms.CharField(
        label="Số văn bản", max_length=60, error_messages={"required": "Chưa nhập số văn bản."}
    )
    ngay_ban_hanh = DayField(label="Ngày ban hành", error_messages={"required": "Chưa nhập ngày ban hành."})
    nguoi_ky = forms.CharField(label="Người ký", max_length=150, required=False)

    def __init__(self, *args: Any, list_form: forms.Form | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.list_form = list_form

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.list_form is not None and not self.list_form.is_valid():
            raise ValidationError("Danh sách không hợp lệ; hãy lập lại danh sách.")
        return data


class EarlyForm(forms.Form):
    """The early-raise page: an agency of the user's scope and a year."""

    don_vi = UnitPickerField(label="Cơ quan, đơn vị", queryset=Unit.objects.none())
    nam = forms.IntegerField(
        label="Năm",
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": "Năm phải là một số nguyên.",
            "min_value": "Năm không hợp lệ.",
            "max_value": "Năm không hợp lệ.",
            "required": "Chưa nhập năm.",
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["don_vi"].queryset = Unit.objects.restrict(user)  # type: ignore[attr-defined]
        self.fields["nam"].initial = today().year


class _OnEarlyPage(forms.Form):
    """A write on the early-raise page: the page's agency and year must be valid first."""

    def __init__(self, *args: Any, page: forms.Form | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = page

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.page is not None and not self.page.is_valid():
            raise ValidationError("Cơ quan hoặc năm không hợp lệ; hãy chọn lại.")
        return data


class ProposeForm(_OnEarlyPage):
    nguoi = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"invalid": "Cán bộ không hợp lệ.", "required": "Chưa chọn cán bộ."},
    )
    khen_thuong = forms.IntegerField(
        label="Khen thưởng",
        error_messages={"invalid": "Khen thưởng không hợp lệ.", "required": "Chưa chọn khen thưởng."},
    )
    so_thang = forms.IntegerField(
        label="Số tháng nâng trước",
        min_value=1,
        max_value=12,
        initial=12,
        error_messages={
            "invalid": "Số tháng phải là một số nguyên.",
            "min_value": "Số tháng phải từ 1 đến 12.",
            "max_value": "Số tháng phải từ 1 đến 12.",
        },
    )
    reason = ReasonField()


class FinaliseForm(_OnEarlyPage):
    so_quyet_dinh = forms.CharField(label="Số quyết định", max_length=60)
    ngay_quyet_dinh = DayField(label="Ngày quyết định")


class CapExceptionForm(_OnEarlyPage):
    so_nguoi = forms.IntegerField(
        label="Số người được vượt",
        min_value=1,
        max_value=1000,
        error_messages={
            "invalid": "Số người phải là một số nguyên.",
            "min_value": "Số người phải từ 1 trở lên.",
        },
    )
    ly_do = forms.CharField(label="Lý do", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    can_cu = forms.CharField(label="Căn cứ pháp lý", max_length=300)
