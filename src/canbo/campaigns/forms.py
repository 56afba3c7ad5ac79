"""Forms of the rating campaign pages."""

from __future__ import annotations

from typing import Any

from django import forms

from canbo.assessment.models import RatingLevel, RatingSystem
from canbo.campaigns.models import CampaignEntry, CampaignPeriod, VoteBody
from canbo.core.forms import DateInput, ReasonField, localize_decimal_fields
from canbo.core.querysets import CHANGE
from canbo.org.forms import UnitPickerField
from canbo.org.models import Unit

LEVEL_CHOICES = [("", "—"), *RatingLevel.choices]


class CampaignForm(forms.Form):
    unit = UnitPickerField(
        label="Đơn vị (cùng các đơn vị trực thuộc)",
        queryset=Unit.objects.none(),
        action=CHANGE,
        open_only=True,
    )
    system = forms.ChoiceField(label="Loại đánh giá", choices=RatingSystem.choices[:2], initial="chinh_quyen")
    year = forms.IntegerField(label="Năm", min_value=1990, max_value=2100)
    period = forms.ChoiceField(label="Kỳ đánh giá", choices=CampaignPeriod.choices)
    part = forms.TypedChoiceField(
        label="Quý / nửa năm",
        choices=[("", "— (cả năm)"), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Quý 1–4, hoặc nửa năm: 1 là 6 tháng đầu, 2 là 6 tháng cuối.",
    )
    decision_date = forms.DateField(
        label="Ngày quyết định xếp loại",
        widget=DateInput(),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text="Chọn phiên bản quy định: NĐ 90/48 đến 31/12/2025, NĐ 335 từ 1/1/2026.",
    )
    reason = ReasonField()

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)  # noqa: S101 (narrows the type)
        unit_field.queryset = units if units is not None else Unit.objects.none()


class EntryForm(forms.ModelForm):
    reason = ReasonField()

    class Meta:
        model = CampaignEntry
        fields = (
            "self_level",
            "score",
            "exceeded_share",
            "kht_trigger",
            "proposed_level",
            "decided_level",
            "duty_group",
            "is_head",
            "note",
        )
        help_texts = {
            "exceeded_share": "Chỉ cần cho mức hoàn thành xuất sắc bên Đảng (E-3), ví dụ 0,35.",
            "duty_group": "Tỷ lệ xuất sắc tính theo từng cơ quan và từng nhóm; để trống là nhóm chung.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = forms.NullBooleanSelect()
        widget.choices = [("unknown", "Chưa xác định"), ("false", "Không có"), ("true", "Có căn cứ")]
        self.fields["kht_trigger"] = forms.NullBooleanField(
            label="Căn cứ khác không có trong hồ sơ (E-4, E-8)",
            required=False,
            widget=widget,
            help_text="Kỷ luật và lấy phiếu tín nhiệm trong năm, xếp loại các đơn vị thuộc quyền được đọc từ "
            "hồ sơ. Chỉ khai báo các căn cứ hồ sơ không có: suy thoái đã được kết luận; vi phạm những điều "
            "đảng viên không được làm, trách nhiệm nêu gương; với người lãnh đạo: lĩnh vực phụ trách hoàn "
            "thành dưới 70% nhiệm vụ, không đạt chỉ tiêu chủ yếu, đơn vị phụ trách để xảy ra tham nhũng.",
        )
        for name in ("self_level", "proposed_level", "decided_level"):
            self.fields[name].choices = LEVEL_CHOICES  # type: ignore[attr-defined]
        localize_decimal_fields(self)


class UnitRatingForm(forms.Form):
    unit = UnitPickerField(
        label="Tập thể",
        queryset=Unit.objects.none(),
        action=CHANGE,
        error_messages={
            "invalid_choice": "Tập thể đã chọn không phải cơ quan, đơn vị có người trong đợt đánh giá."
        },
    )
    level = forms.ChoiceField(label="Mức xếp loại tập thể", choices=RatingLevel.choices)
    reason = ReasonField()

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)  # noqa: S101 (narrows the type)
        unit_field.queryset = units if units is not None else Unit.objects.none()


class ExceptionForm(forms.Form):
    reason = forms.CharField(label="Lý do (thành tích nổi trội của đơn vị)", max_length=500)
    basis = forms.CharField(label="Căn cứ (số, ngày văn bản cho phép)", max_length=300)


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="Tôi xác nhận hoàn tất đợt đánh giá và ghi kết quả vào hồ sơ từng người",
        error_messages={"required": "Hãy đánh dấu xác nhận."},
    )
    reason = ReasonField(label="Lý do / căn cứ (số quyết định xếp loại)")


# -- confidence votes ---------------------------------------------------------------------------

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class VoteSessionForm(forms.Form):
    unit = UnitPickerField(
        label="Đơn vị (cùng các đơn vị trực thuộc)",
        queryset=Unit.objects.none(),
        action=CHANGE,
        open_only=True,
    )
    body = forms.ChoiceField(label="Hội nghị / kỳ họp", choices=VoteBody.choices)
    vote_date = forms.DateField(
        label="Ngày lấy phiếu",
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        help_text="Chọn phiên bản quy định và danh sách người giữ chức vụ vào ngày đó.",
    )
    convened = forms.IntegerField(label="Số được triệu tập", min_value=1)
    present = forms.IntegerField(label="Số có mặt", min_value=0)
    ballots = forms.IntegerField(label="Số phiếu phát ra", min_value=0)
    reason = ReasonField()

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)  # noqa: S101 (narrows the type)
        unit_field.queryset = units if units is not None else Unit.objects.none()


class VoteCountsForm(forms.Form):
    high = forms.IntegerField(label="Tín nhiệm cao", min_value=0)
    medium = forms.IntegerField(label="Tín nhiệm", min_value=0)
    low = forms.IntegerField(label="Tín nhiệm thấp", min_value=0)
    reason = ReasonField()


class VoteImportForm(forms.Form):
    text = forms.CharField(
        label="Kết quả kiểm phiếu",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Mỗi dòng một người: họ và tên; tín nhiệm cao; tín nhiệm; tín nhiệm thấp "
        "(có thể dán từ Excel). Sai một dòng thì không nhập dòng nào.",
    )
    reason = ReasonField(label="Lý do / căn cứ (số, ngày biên bản kiểm phiếu)")


class VoteActionForm(forms.Form):
    # the decision (number required) is the reason of this change (issue 21)
    decision = forms.CharField(label="Số quyết định xử lý", max_length=60)
    decision_date = forms.DateField(label="Ngày quyết định", widget=DateInput(), input_formats=DATE_FORMATS)
    note = forms.CharField(label="Nội dung xử lý", max_length=500, required=False)


class VoteConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="Tôi xác nhận hoàn tất đợt lấy phiếu và ghi kết quả vào hồ sơ từng người",
        error_messages={"required": "Hãy đánh dấu xác nhận."},
    )
    reason = ReasonField(label="Lý do / căn cứ (số, ngày biên bản kiểm phiếu)")
