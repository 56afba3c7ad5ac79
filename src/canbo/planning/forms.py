"""Forms of the planning pages (Vietnamese labels and messages)."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from canbo.core.forms import DateInput, ReasonField, own_reason_id
from canbo.core.querysets import CHANGE
from canbo.org.models import Title, Unit
from canbo.org.selectors import unit_label
from canbo.people.models import Person
from canbo.people.search import name_search
from canbo.planning import checks
from canbo.planning.models import PlanningKind, PlanningList

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_ERRORS = {"invalid": "Ngày không hợp lệ; nhập dạng dd/mm/yyyy.", "required": "Cần nhập ngày."}
TERM = re.compile(r"^\s*(\d{4})\s*[-–—/]\s*(\d{4})\s*$")
MAX_CANDIDATES = 5


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        error_messages=DATE_ERRORS,
    )


class PlanningListForm(forms.Form):
    """A new planning list: the unit keeping it (by code, within the user's change grants)."""

    unit_code = forms.CharField(
        label="Mã đơn vị",
        max_length=40,
        help_text="Mã đơn vị lập và quản lý danh sách (xem mã ở trang đơn vị), ví dụ LC.",
        error_messages={"required": "Cần nhập mã đơn vị."},
    )
    name = forms.CharField(
        label="Tên danh sách",
        max_length=255,
        help_text="Ví dụ: Quy hoạch Ban Thường vụ Tỉnh ủy nhiệm kỳ 2025–2030",
        error_messages={"required": "Cần nhập tên danh sách."},
    )
    kind = forms.ChoiceField(label="Loại quy hoạch", choices=PlanningKind.choices)
    term = forms.CharField(
        label="Nhiệm kỳ",
        max_length=20,
        help_text="Năm bắt đầu – năm kết thúc, ví dụ 2025–2030.",
        error_messages={"required": "Cần nhập nhiệm kỳ."},
    )
    decision_number = forms.CharField(label="Số quyết định phê duyệt", max_length=60, required=False)
    decision_date = _date("Ngày quyết định phê duyệt", required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_unit_code(self) -> Unit:
        code = self.cleaned_data["unit_code"].strip()
        unit = Unit.objects.restrict(self.user, CHANGE).filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(
                "Không có đơn vị mã “%(c)s” trong phạm vi bạn được quản lý.", params={"c": code}
            )
        return unit

    def clean_term(self) -> tuple[int, int]:
        m = TERM.match(self.cleaned_data["term"])
        if m is None:
            raise forms.ValidationError("Nhiệm kỳ ghi dạng 2025–2030 (năm bắt đầu – năm kết thúc).")
        start, end = int(m.group(1)), int(m.group(2))
        if not 2000 <= start <= 2100:
            raise forms.ValidationError("Năm bắt đầu nhiệm kỳ phải trong khoảng 2000–2100.")
        if end <= start:
            raise forms.ValidationError("Năm kết thúc nhiệm kỳ phải sau năm bắt đầu.")
        if end - start > 10:
            raise forms.ValidationError("Nhiệm kỳ quy hoạch không quá 10 năm.")
        return start, end


class TitleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        rank = f"thứ bậc {obj.rank}" if obj.rank else "chưa có thứ bậc"
        return f"{obj.label} ({obj.get_level_display()}, {rank})"


class EntryAddForm(forms.Form):
    """Add a person for a title. The person is found by personal id or name among the people the
    user may see; a name matching several people asks for the personal id."""

    nguoi = forms.CharField(
        label="Cán bộ",
        max_length=150,
        help_text="Số định danh cá nhân (12 số) hoặc họ tên (không cần dấu).",
        error_messages={"required": "Cần chọn người."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "Số định danh hoặc họ tên"}),
    )
    chuc_danh = TitleChoiceField(
        label="Chức danh quy hoạch",
        queryset=Title.objects.none(),
        error_messages={"required": "Cần chọn chức danh.", "invalid_choice": "Chức danh không hợp lệ."},
    )
    added_on = _date("Ngày bổ sung (ngày quyết định)")
    decision = forms.CharField(label="Số quyết định", max_length=60, required=False)
    reason = ReasonField()
    exception_reason = forms.CharField(
        label="Lý do ngoại lệ",
        max_length=500,
        required=False,
        help_text="Chỉ khi hồ sơ có căn cứ không cho bổ sung (tín nhiệm thấp trên một nửa, năm "
        "không hoàn thành nhiệm vụ, không đạt tiêu chuẩn chính trị) và người có thẩm quyền "
        "vẫn quyết định bổ sung.",
    )
    exception_basis = forms.CharField(
        label="Căn cứ ngoại lệ", max_length=300, required=False, help_text="Số, ngày văn bản cho phép."
    )

    def __init__(
        self, *args: Any, user: Any, planning_list: PlanningList | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["chuc_danh"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (invariant; narrows the type for mypy)
        field.queryset = Title.objects.filter(is_leader=True).order_by("-rank", "name")
        if planning_list is not None:
            field.queryset = field.queryset.filter(level__in=checks.titles_for(planning_list))

    def clean_nguoi(self) -> Person:
        text = self.cleaned_data["nguoi"].strip()
        visible = Person.objects.restrict(self.user).select_related("managing_unit")
        digits = text.replace(" ", "")
        if digits.isascii() and digits.isdigit():
            found = list(visible.filter(personal_id=digits)[:2])
            if not found:
                raise forms.ValidationError(
                    "Không tìm thấy cán bộ có số định danh %(d)s trong phạm vi của bạn.", params={"d": digits}
                )
            return found[0]
        found = list(name_search(visible, text).order_by("sort_key", "id")[: MAX_CANDIDATES + 1])
        if not found:
            raise forms.ValidationError(
                "Không tìm thấy cán bộ “%(t)s” trong phạm vi của bạn.", params={"t": text}
            )
        if len(found) > 1:
            shown = "; ".join(
                f"{p.full_name} (sinh {p.birth_display}, số định danh {p.personal_id}, "
                f"{unit_label(p.managing_unit_id)})"
                for p in found[:MAX_CANDIDATES]
            )
            more = " và những người khác" if len(found) > MAX_CANDIDATES else ""
            raise forms.ValidationError(
                "Có nhiều người khớp: %(s)s%(m)s. Hãy nhập số định danh cá nhân.",
                params={"s": shown, "m": more},
            )
        return found[0]


class EntryRemoveForm(forms.Form):
    removed_on = _date("Ngày đưa ra khỏi quy hoạch (ngày quyết định)")
    reason = forms.CharField(
        label="Lý do",
        max_length=500,
        error_messages={"required": "Cần ghi lý do đưa ra khỏi quy hoạch."},
        help_text="Ví dụ: bị kỷ luật khiển trách; không còn đủ tuổi quy hoạch; rà soát hằng năm.",
    )
    decision = forms.CharField(label="Số quyết định", max_length=60, required=False)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewForm(forms.Form):
    year = forms.IntegerField(
        label="Năm rà soát",
        min_value=2000,
        max_value=2100,
        error_messages={"required": "Cần nhập năm rà soát."},
    )
    reviewed_on = _date("Ngày rà soát (ngày quyết định)")
    decision = forms.CharField(label="Số quyết định", max_length=60, required=False)
    reason = ReasonField()
    note = forms.CharField(label="Ghi chú", max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own_reason_id(self, "ra_soat")  # the list's page has the addition's reason too
