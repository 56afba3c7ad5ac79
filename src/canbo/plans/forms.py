"""Forms of the plans pages (Vietnamese labels and messages)."""

from __future__ import annotations

from typing import Any

from django import forms

from canbo.core.dates import today
from canbo.core.forms import DateInput, ReasonField, own_reason_id
from canbo.org.models import Unit
from canbo.org.selectors import unit_label
from canbo.plans.models import PeriodKind, PlanKind, TaskStatus

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
MAX_UPLOAD = 10 * 1024 * 1024


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label="Loại văn bản", choices=PlanKind.choices)
    number = forms.CharField(label="Số, ký hiệu", max_length=60, help_text="Ví dụ: 18-ĐA/TU")
    issued_on = forms.DateField(label="Ngày ban hành", input_formats=DATE_FORMATS, widget=DateInput())
    issuer_name = forms.CharField(label="Cơ quan ban hành", max_length=255)
    title = forms.CharField(label="Trích yếu", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    unit_code = forms.CharField(
        label="Mã đơn vị quản lý",
        max_length=60,
        help_text="Mã đơn vị theo dõi kế hoạch (thường là ban tổ chức); xem mã ở trang đơn vị.",
    )
    code = forms.SlugField(
        label="Mã kế hoạch", max_length=60, help_text="Chữ thường không dấu, nối bằng gạch ngang: lc-18-da-tu"
    )
    period_start = forms.DateField(
        label="Thực hiện từ", required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    period_end = forms.DateField(
        label="Thực hiện đến", required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    implements = forms.CharField(
        label="Thực hiện / bổ sung kế hoạch (mã)",
        required=False,
        max_length=300,
        help_text="Mã các kế hoạch mà văn bản này thực hiện hoặc bổ sung, cách nhau bởi dấu phẩy.",
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_unit_code(self) -> Unit:
        """The managing unit, which must lie within the user's change grants (the service
        checks again inside the save's transaction)."""
        from canbo.core.querysets import CHANGE

        code = self.cleaned_data["unit_code"].strip()
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError("Không có đơn vị mã “%(c)s”.", params={"c": code})
        if self.user is not None and not Unit.objects.restrict(self.user, CHANGE).filter(pk=unit.pk).exists():
            raise forms.ValidationError(
                "Bạn không có quyền quản lý kế hoạch ở đơn vị “%(c)s”; "
                "hãy chọn đơn vị thuộc phạm vi của bạn.",
                params={"c": unit.code},
            )
        return unit

    def clean_code(self) -> str:
        from canbo.plans.models import Plan

        code = self.cleaned_data["code"]
        if Plan.objects.filter(code=code).exists():
            raise forms.ValidationError("Mã kế hoạch này đã được dùng; hãy chọn mã khác.")
        return code

    def clean_implements(self) -> list[Any]:
        """The plans named by code, among those the user sees."""
        from canbo.plans.models import Plan

        raw = self.cleaned_data.get("implements") or ""
        codes = [c.strip() for c in raw.split(",") if c.strip()]
        found = list(Plan.objects.restrict(self.user).filter(code__in=codes)) if codes else []
        missing = set(codes) - {p.code for p in found}
        if missing:
            raise forms.ValidationError(f"Không tìm thấy kế hoạch mã: {', '.join(sorted(missing))}.")
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data


class PlanEditForm(PlanForm):
    """The plan's header as it can be corrected (its code and keeping unit stay)."""

    row_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = ReasonField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["unit_code"]
        del self.fields["code"]


class PlanFromTextForm(PlanForm):
    """The header of a plan read from a document, as the officer completes it on the review page."""


class ExtractForm(forms.Form):
    text = forms.CharField(
        label="Dán nội dung văn bản",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "placeholder": "Dán toàn bộ văn bản kế hoạch vào đây…"}),
    )
    file = forms.FileField(label="Hoặc tải lên tệp .docx / .txt", required=False)

    def clean_file(self) -> Any:
        f = self.cleaned_data.get("file")
        if f is not None and f.size > MAX_UPLOAD:
            raise forms.ValidationError("Tệp quá lớn: tối đa 10 MB.")
        if f is not None and not f.name.lower().endswith((".docx", ".txt")):
            raise forms.ValidationError("Chỉ nhận tệp .docx hoặc .txt (UTF-8).")
        return f

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("file") and not self.errors:
            raise forms.ValidationError("Hãy dán nội dung văn bản hoặc chọn tệp.")
        return data


class DraftTaskForm(forms.Form):
    """One task of the draft, as the officer reviews it."""

    include = forms.BooleanField(label="Lưu", required=False, initial=True)
    number = forms.CharField(label="Số", max_length=40, required=False)
    section = forms.TypedChoiceField(label="Mục", coerce=int, required=False, empty_value=None)
    content = forms.CharField(label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lead = forms.CharField(label="Đơn vị chủ trì", max_length=500, required=False)
    coords = forms.CharField(
        label="Đơn vị phối hợp (mỗi đơn vị một dòng)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    deadline = forms.CharField(label="Thời hạn (theo văn bản)", max_length=500, required=False)

    def __init__(self, *args: Any, sections: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["section"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (invariant; narrows the type for mypy)
        field.choices = [("", "—"), *(sections or [])]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("include") and not (data.get("content") or "").strip():
            self.add_error("content", "Nhiệm vụ được chọn lưu phải có nội dung.")
        return data


DraftTaskFormSet = forms.formset_factory(DraftTaskForm, extra=0, max_num=500, validate_max=True)


class TaskEditForm(forms.Form):
    number = forms.CharField(label="Số", max_length=40, required=False)
    section = forms.TypedChoiceField(label="Mục", coerce=int, required=False, empty_value=None)
    content = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 4}))
    lead = forms.CharField(label="Đơn vị chủ trì", max_length=500, required=False)
    coords = forms.CharField(
        label="Đơn vị phối hợp (mỗi đơn vị một dòng)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = forms.CharField(label="Thời hạn (theo văn bản)", max_length=500, required=False)
    reason = ReasonField()
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, sections: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own_reason_id(self, "sua")
        field = self.fields["section"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (invariant; narrows the type for mypy)
        field.choices = [("", "— (không thuộc mục nào)"), *(sections or [])]


class TaskDeleteForm(forms.Form):
    reason = ReasonField(
        label="Lý do xóa",
        help_text=(
            "Chọn một lý do thường dùng hoặc ghi lý do khác; bắt buộc. Xóa cả các lần đến hạn và báo "
            "cáo của nhiệm vụ; lịch sử thay đổi vẫn lưu."
        ),
    )
    row_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own_reason_id(self, "xoa")


class OccurrenceForm(forms.Form):
    """Mark one due date done ("1", on the page's day) or open it again ("0")."""

    done = forms.ChoiceField(choices=[("1", "Xong"), ("0", "Mở lại")], widget=forms.HiddenInput)


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label="Tình trạng", choices=TaskStatus.choices)
    completed_on = forms.DateField(
        label="Ngày hoàn thành", required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    result = forms.CharField(
        label="Kết quả thực hiện", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_number = forms.CharField(label="Số văn bản kết quả", max_length=120, required=False)
    evidence_file = forms.FileField(label="Tệp kết quả (PDF, JPEG, PNG)", required=False)
    reason = ReasonField()
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own_reason_id(self, "tinh_trang")


class ConditionForm(forms.Form):
    met_on = forms.DateField(
        label="Ngày điều kiện được đáp ứng",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text="Để trống để xóa.",
    )
    note = forms.CharField(label="Căn cứ (số văn bản)", max_length=300, required=False)
    reason = ReasonField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own_reason_id(self, "dieu_kien")


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label="Loại kỳ", choices=PeriodKind.choices)
    year = forms.IntegerField(label="Năm", min_value=1990, max_value=2100, initial=lambda: today().year)
    quarter = forms.TypedChoiceField(
        label="Quý",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )
    all_year = forms.BooleanField(
        label="Tạo đủ các kỳ của năm (4 quý, 6 tháng, 9 tháng, năm)", required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("all_year") and data.get("kind") == PeriodKind.QUARTER and not data.get("quarter"):
            self.add_error("quarter", "Hãy chọn quý.")
        return data


class ReportForm(forms.Form):
    unit = forms.TypedChoiceField(label="Đơn vị báo cáo", coerce=int)
    status = forms.ChoiceField(label="Tình trạng", choices=TaskStatus.choices)
    result = forms.CharField(label="Kết quả thực hiện", widget=forms.Textarea(attrs={"rows": 3}))
    difficulties = forms.CharField(
        label="Khó khăn, vướng mắc", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_number = forms.CharField(label="Số văn bản báo cáo", max_length=120, required=False)
    reason = ReasonField()

    def __init__(self, *args: Any, units: list[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (invariant; narrows the type for mypy)
        field.choices = [(u.pk, unit_label(u)) for u in units or []]


class DraftReview:
    """The review page's posted draft as one form (for ``ServiceFormView``): the sections (JSON in
    a hidden field), the draft tasks (a formset) and, for a new plan, the header form.

    Building it raises ValueError, KeyError or TypeError when the posted draft is not one.
    ``is_valid`` validates every part, so that every error shows at once; ``add_error`` puts an
    error on the header form's field, or above the tasks."""

    def __init__(self, data: Any, *, header_form: PlanFromTextForm | None = None) -> None:
        from canbo.core.params import load_json

        sections = load_json(data.get("sections", "[]"))
        if not isinstance(sections, list) or not all(
            isinstance(s, dict) and type(s.get("level", 1)) is int for s in sections
        ):
            raise TypeError("sections is not a list of sections")
        self.sections: list[dict[str, Any]] = sections
        self.section_choices = [(i, f"{s['number']} {s['title']}"[:120]) for i, s in enumerate(sections)]
        try:
            header = load_json(data.get("header", "{}"))
        except ValueError:
            if header_form is not None:
                raise
            header = {}
        if not isinstance(header, dict):
            if header_form is not None:
                raise TypeError("header is not an object")
            header = {}
        self.header: dict[str, Any] = header
        self.formset = DraftTaskFormSet(data, form_kwargs={"sections": self.section_choices})
        self.header_form = header_form
        self.fields: dict[str, Any] = header_form.fields if header_form is not None else {}
        self.errors: list[str] = []
        self.chosen: list[dict[str, Any]] = []

    def is_valid(self) -> bool:
        header_ok = self.header_form.is_valid() if self.header_form is not None else True
        tasks_ok = self.formset.is_valid()
        if tasks_ok:
            self.chosen = [f.cleaned_data for f in self.formset.forms if f.cleaned_data.get("include")]
            if not self.chosen:
                self.add_error(None, "Chưa chọn nhiệm vụ nào để lưu.")
                tasks_ok = False
        return header_ok and tasks_ok

    @property
    def cleaned_data(self) -> dict[str, Any]:
        return self.header_form.cleaned_data if self.header_form is not None else {}

    def add_error(self, field: str | None, error: Any) -> None:
        if field is not None and self.header_form is not None:
            self.header_form.add_error(field, error)
        else:
            self.errors.extend(error if isinstance(error, list) else [str(error)])
