"""Forms of the appointment pages (one per action)."""

from __future__ import annotations

from typing import Any

from django import forms

from canbo.cases.models import Candidate, Case, CaseKind, CaseSource
from canbo.core.forms import DateInput, ReasonField, validate_supported_day

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def date_field(label: str, **kw: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=DateInput(), input_formats=DATE_FORMATS, validators=[validate_supported_day], **kw
    )


class CaseOpenForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=CaseKind.choices)
    source = forms.ChoiceField(label="Nguồn nhân sự", choices=CaseSource.choices)
    received_on = date_field(
        "Ngày cơ quan tổ chức nhận tờ trình và hồ sơ",
        help_text="Ngày này chọn phiên bản quy định được áp dụng (ví dụ: trước và từ 08/10/2025).",
    )
    note = forms.CharField(label="Ghi chú", max_length=500, required=False)
    reason = ReasonField()

    def __init__(self, *args: Any, reappointment: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)  # noqa: S101 (narrows the type for mypy)
        if reappointment:
            kind.choices = [(CaseKind.REAPPOINTMENT.value, CaseKind.REAPPOINTMENT.label)]
        else:
            kind.choices = [c for c in CaseKind.choices if c[0] != CaseKind.REAPPOINTMENT]


class CandidateAddForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    reason = ReasonField()


class DeclareForm(forms.Form):
    pending_discipline = forms.TypedChoiceField(
        label="Đang bị xem xét kỷ luật, điều tra, truy tố, xét xử (A-7)",
        choices=[("0", "Không"), ("1", "Có")],
        coerce=lambda v: v == "1",
    )
    reason = ReasonField()


class ConfirmForm(forms.Form):
    """A transition with nothing to type but its reason."""

    reason = ReasonField()


class StopForm(forms.Form):
    reason = forms.CharField(label="Lý do dừng", max_length=500)


class StepForm(forms.Form):
    number = forms.TypedChoiceField(label="Bước", coerce=int)
    held_on = date_field("Ngày họp")
    body = forms.CharField(label="Hội nghị", max_length=200)
    convened = forms.IntegerField(label="Số được triệu tập", min_value=1)
    present = forms.IntegerField(label="Số có mặt", min_value=0)
    ballots = forms.IntegerField(label="Số phiếu phát ra", min_value=0)
    reason = ReasonField()

    def __init__(self, *args: Any, case: Case, candidates: list[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        number = self.fields["number"]
        assert isinstance(number, forms.ChoiceField)  # noqa: S101 (narrows the type for mypy)
        number.choices = [(n, f"Bước {n}") for n in range(1, case.step_count + 1)]
        self.candidates = candidates
        for c in candidates:
            self.fields[f"phieu_{c.pk}"] = forms.IntegerField(
                label=f"Số phiếu của {c.person.full_name}", min_value=0, initial=0
            )

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"phieu_{c.pk}"] for c in self.candidates}


class ExceptionForm(forms.Form):
    rules = forms.CharField(label="Quy định được ngoại lệ", max_length=200, help_text="Ví dụ: A-5, T-5")
    reason = forms.CharField(label="Lý do", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.CharField(label="Căn cứ (văn bản của cấp có thẩm quyền)", max_length=300)


class DecisionForm(forms.Form):
    candidate = forms.TypedChoiceField(label="Người được bổ nhiệm", coerce=int)
    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    decision_date = date_field("Ngày quyết định")
    effective_date = date_field("Ngày có hiệu lực")
    signer = forms.CharField(label="Người ký", max_length=150)

    def __init__(self, *args: Any, candidates: list[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["candidate"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (narrows the type for mypy)
        field.choices = [(c.pk, c.person.full_name) for c in candidates]


class ExtendForm(forms.Form):
    decision_number = forms.CharField(label="Số quyết định kéo dài", max_length=60)
    decision_date = date_field("Ngày quyết định")


class HeadPilotForm(forms.Form):
    unit_code = forms.CharField(
        label="Mã đơn vị", max_length=50, help_text="Áp dụng cho đơn vị và các đơn vị trực thuộc."
    )
    valid_from = date_field("Áp dụng từ ngày")
    basis = forms.CharField(label="Căn cứ (quyết định thí điểm)", max_length=300)
