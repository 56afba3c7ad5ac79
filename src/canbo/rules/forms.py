"""Forms of the rulebook pages: eligibility check, new rule version, calendar filter, holiday."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy

from canbo.core.forms import DateInput, MemoCheckboxSelectMultiple, validate_supported_day
from canbo.org.models import Title
from canbo.rules.engine.checks import K4_LEVELS, PURPOSES
from canbo.rules.engine.params import format_value, label_for, unit_hint
from canbo.rules.models import OverrideKind, RuleVersion
from canbo.rules.selectors import EVENT_KINDS

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TRISTATE = [("", "Chưa rõ"), ("co", "Có"), ("khong", "Không")]


def _date_field(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        help_text=help_text,
        validators=[validate_supported_day],
        error_messages={"invalid": "Ngày không hợp lệ; nhập dạng dd/mm/yyyy.", "required": "Cần nhập ngày."},
    )


class CheckForm(forms.Form):
    """ "Kiểm tra điều kiện": a person, a purpose, a title and a date; plus what the dossier does
    not hold (pending discipline, an open proposal, rotation plans...).

    The person is picked by name or personal id among the people the user may see (suggestions
    as he types, ``PersonSuggestView``); the picked person's id travels in the hidden ``nguoi``.
    Planning status, discipline, political-standard conclusions, health and tenures are read from
    the dossier, never typed here.
    """

    ten = forms.CharField(
        label="Cán bộ",
        max_length=150,
        required=False,
        help_text="Gõ họ tên (không cần dấu) hoặc số định danh cá nhân rồi chọn trong danh sách gợi ý.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "placeholder": "Họ tên hoặc số định danh",
                "hx-get": reverse_lazy("rules:suggest"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#goi-y-nguoi",
                "data-person-picker": "",
            }
        ),
    )
    nguoi = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        widget=forms.HiddenInput,
        error_messages={"invalid": "Người được chọn không hợp lệ; hãy chọn lại trong danh sách gợi ý."},
    )
    muc_dich = forms.ChoiceField(label="Mục đích", choices=list(PURPOSES.items()))
    chuc_danh = forms.ChoiceField(label="Chức danh", choices=())
    ngay = _date_field(
        "Ngày xét",
        help_text="Bổ nhiệm, quy hoạch: ngày cơ quan tổ chức nhận hồ sơ; phiên bản quy định "
        "được chọn theo ngày này.",
    )
    dang_xem_xet_ky_luat = forms.ChoiceField(
        label="Đang bị xem xét kỷ luật, điều tra, truy tố, xét xử", choices=TRISTATE, required=False
    )
    de_nghi_bo_nhiem = forms.ChoiceField(
        label="Đang có đề nghị bổ nhiệm vào chính chức danh này", choices=TRISTATE, required=False
    )
    so_nguoi_quy_hoach = forms.IntegerField(
        label="Số người quy hoạch chức danh (kể cả người này)",
        min_value=0,
        max_value=1000,
        required=False,
        help_text="Để trống nếu người này đã có trong danh sách quy hoạch chức danh: hệ thống tự đếm.",
    )
    so_chuc_danh_quy_hoach = forms.IntegerField(
        label="Số chức danh cùng cấp người này được quy hoạch (kể cả chức danh này)",
        min_value=0,
        max_value=1000,
        required=False,
        help_text="Để trống nếu người này đã có trong danh sách quy hoạch chức danh: hệ thống tự đếm.",
    )
    thoi_gian_luan_chuyen = forms.IntegerField(
        label="Thời gian luân chuyển dự kiến (tháng)", min_value=0, max_value=1000, required=False
    )
    muc_dich_luan_chuyen = forms.ChoiceField(
        label="Luân chuyển để",
        required=False,
        choices=[
            ("", "Đào tạo, bồi dưỡng (chung)"),
            ("khong_dia_phuong", "Bố trí chức danh không là người địa phương"),
            ("han_nhiem_ky", "Bảo đảm không quá hai nhiệm kỳ"),
        ],
    )
    cap_dai_hoi = forms.ChoiceField(
        label="Cấp đại hội, cơ quan (tham gia cấp ủy, K-4)",
        required=False,
        choices=[("", "Theo cấp của chức danh"), *K4_LEVELS.items()],
    )
    bat_dau_nhiem_ky = _date_field("Ngày bắt đầu nhiệm kỳ quy hoạch (nếu khác ngày xét)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        titles = Title.objects.order_by("-rank", "name").only("code", "name", "block", "rank")
        field = self.fields["chuc_danh"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (invariant; narrows the type for mypy)
        field.choices = [(t.code, f"{t.label} (thứ bậc {t.rank})") for t in titles]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("nguoi") and not (data.get("ten") or "").strip():
            self.add_error("ten", "Cần chọn người: gõ họ tên hoặc số định danh rồi chọn trong danh sách.")
        return data

    def declared_data(self) -> dict[str, Any]:
        """The declarations in the shape ``cli.declared_from`` reads (planning status is the
        dossier's, never declared here)."""
        d = dict(self.cleaned_data)
        d.pop("quy_hoach", None)
        start = d.get("bat_dau_nhiem_ky")
        d["bat_dau_nhiem_ky"] = start.isoformat() if start else ""
        return d


class NewVersionForm(forms.Form):
    """A new version of one rule: its parameters (same names as the current version), from a date."""

    valid_from = _date_field("Áp dụng từ ngày")
    basis = forms.CharField(label="Căn cứ (số, ngày văn bản)", max_length=500)
    note = forms.CharField(label="Lý do thay đổi", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, current: RuleVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.param_names = list(current.params)
        for name, value in current.params.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            if isinstance(value, bool):
                shown = "có" if value else "không"
            label = label_for(current.rule_id, name)
            self.fields[f"p_{name}"] = forms.CharField(
                label=label.label if label else name,
                initial=shown,
                max_length=200,
                help_text=" ".join(
                    x
                    for x in (f"Hiện nay: {format_value(label, value)}.", unit_hint(current.rule_id, name))
                    if x
                ),
            )

    def params(self) -> dict[str, Any]:
        return {name: self.cleaned_data[f"p_{name}"] for name in self.param_names}


class CalendarForm(forms.Form):
    thang = forms.IntegerField(
        label="Trong số tháng tới",
        min_value=1,
        max_value=36,
        required=False,
        error_messages={
            "invalid": "Số tháng phải là số nguyên.",
            "max_value": "Tối đa 36 tháng.",
            "min_value": "Ít nhất 1 tháng.",
        },
    )
    don_vi = forms.IntegerField(label="Đơn vị (mã)", required=False, widget=forms.HiddenInput)
    loai = forms.MultipleChoiceField(
        label="Loại việc",
        choices=list(EVENT_KINDS.items()),
        required=False,
        widget=MemoCheckboxSelectMultiple,  # Django's markup, kept per process (issue 22)
    )


class HolidayForm(forms.Form):
    """An adjustment from the Prime Minister's yearly notice: a day off, or a day worked."""

    day = _date_field("Ngày")
    name = forms.CharField(label="Tên (theo thông báo)", max_length=200)
    working = forms.BooleanField(
        label="Là ngày đi làm (làm bù, đổi ngày nghỉ)",
        required=False,
        help_text="Không đánh dấu: ngày nghỉ thêm. Đánh dấu: ngày đi làm, kể cả thứ Bảy làm bù.",
    )


class OverrideForm(forms.Form):
    """The retirement month an authority decided for one person (H-5, H-6)."""

    kind = forms.ChoiceField(label="Trường hợp", choices=OverrideKind.choices)
    month = forms.IntegerField(
        label="Tháng nghỉ hưu",
        min_value=1,
        max_value=12,
        error_messages={"invalid": "Tháng phải là số 1–12."},
    )
    year = forms.IntegerField(
        label="Năm nghỉ hưu",
        min_value=1990,
        max_value=2100,
        error_messages={"invalid": "Năm phải là một số."},
    )
    basis = forms.CharField(label="Căn cứ (số, ngày quyết định)", max_length=300)
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)
