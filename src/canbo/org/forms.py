"""Forms of the restructuring operations."""

from __future__ import annotations

from typing import Any

from django import forms

from canbo.core.forms import DateInput
from canbo.core.querysets import CHANGE
from canbo.org.choices import Block, Level, UnitKind
from canbo.org.models import Title, Unit


class UnitChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", "— Không chọn —")
        super().__init__(*args, **kwargs)

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


DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date_field(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), input_formats=DATE_FORMATS, required=required)


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        parent = f", {obj.parent.name}" if obj.parent_id else ""
        return f"{obj.name}{parent}"


def _area_field() -> AreaChoiceField:
    from canbo.org.models import AdminArea

    return AreaChoiceField(
        label="Địa bàn (đơn vị hành chính)",
        queryset=AdminArea.objects.filter(dataset=AdminArea.Dataset.CURRENT)
        .select_related("parent")
        .order_by("level", "parent__name", "name"),
        required=False,
        empty_label="— Không gắn địa bàn —",
    )


class UnitAttributesForm(forms.Form):
    """The attributes a unit is created with or corrected to."""

    code = forms.CharField(label="Mã đơn vị", max_length=40)
    name = forms.CharField(label="Tên đơn vị", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt", max_length=100, required=False)
    kind = forms.ChoiceField(label="Loại đơn vị", choices=UnitKind.choices)
    block = forms.ChoiceField(label="Khối", choices=Block.choices)
    level = forms.ChoiceField(label="Cấp", choices=Level.choices)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = _area_field()
        self.order_fields(["code", "name", "short_name", "kind", "block", "level", "area"])


class UnitCreateForm(UnitAttributesForm):
    valid_from = _date_field("Hiệu lực từ ngày")
    basis = forms.CharField(label="Quyết định thành lập (số, ngày)", max_length=200)


class UnitCorrectForm(UnitAttributesForm):
    basis = forms.CharField(label="Quyết định thành lập (số, ngày)", max_length=200, required=False)
    reason = forms.CharField(
        label="Lý do đính chính",
        max_length=500,
        help_text=(
            "Đính chính sửa thông tin nhập sai cho mọi thời điểm; đổi tên theo quyết định thì dùng “Đổi tên”."
        ),
    )


class MoveForm(_Base):
    new_parent = UnitChoiceField(label="Chuyển về trực thuộc đơn vị", queryset=Unit.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.restrict(user, CHANGE).filter(valid_to__isnull=True).order_by("path")
        )


SPLIT_PARTS = 4


class SplitForm(_Base):
    """Split into up to four new units; each person holding a post there goes to one of them."""

    parent = UnitChoiceField(
        label="Đơn vị cấp trên của các đơn vị mới (để trống: giữ như đơn vị bị chia tách)",
        queryset=Unit.objects.none(),
        required=False,
    )

    def __init__(
        self, *args: Any, user: Any, unit: Unit, people: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.restrict(user, CHANGE).filter(valid_to__isnull=True).order_by("path")
        )
        for i in range(1, SPLIT_PARTS + 1):
            required = i <= 2
            self.fields[f"code_{i}"] = forms.CharField(
                label=f"Mã đơn vị mới {i}", max_length=40, required=required
            )
            self.fields[f"name_{i}"] = forms.CharField(
                label=f"Tên đơn vị mới {i}", max_length=255, required=required
            )
        choices = [("", "Không chuyển (kết thúc chức vụ)")] + [
            (str(i), f"Đơn vị mới {i}") for i in range(1, SPLIT_PARTS + 1)
        ]
        self.people = people
        for pid, label in people:
            self.fields[f"person_{pid}"] = forms.ChoiceField(
                label=f"{label} chuyển sang", choices=choices, required=False
            )
        self.unit = unit

    def parts(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        out = []
        for i in range(1, SPLIT_PARTS + 1):
            if d.get(f"code_{i}") and d.get(f"name_{i}"):
                out.append(
                    {
                        "code": d[f"code_{i}"],
                        "name": d[f"name_{i}"],
                        "kind": self.unit.kind,
                        "block": self.unit.block,
                        "level": self.unit.level,
                        "area": self.unit.area,
                    }
                )
        return out

    def people_to(self) -> dict[int, int]:
        out: dict[int, int] = {}
        filled = [i for i in range(1, SPLIT_PARTS + 1) if self.cleaned_data.get(f"code_{i}")]
        for pid, _label in self.people:
            choice = self.cleaned_data.get(f"person_{pid}")
            if choice:
                out[pid] = filled.index(int(choice)) if int(choice) in filled else -1
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, SPLIT_PARTS + 1):
            if bool(data.get(f"code_{i}")) != bool(data.get(f"name_{i}")):
                raise forms.ValidationError(f"Đơn vị mới {i}: hãy nhập cả mã và tên.")
        for pid, label in self.people:
            choice = data.get(f"person_{pid}")
            if choice and not data.get(f"code_{choice}"):
                raise forms.ValidationError(f"{label}: đơn vị mới {choice} chưa được khai báo.")
        return data


class TitleForm(forms.ModelForm):
    """A title of the catalogue with the standards the rules read."""

    reason = forms.CharField(label="Căn cứ / lý do", max_length=500, required=False)

    class Meta:
        model = Title
        fields = (
            "code", "name", "level", "block", "group", "catalogue_group", "head_kind", "is_key", "is_leader",
            "management_scope", "rank", "allowance_coefficient", "min_professional", "min_political_theory",
            "min_state_management", "max_age_first_appointment", "max_age_reappointment", "standards",
            "source",
        )  # fmt: skip
        widgets = {"standards": forms.Textarea(attrs={"rows": 3})}
        localized_fields = ("allowance_coefficient",)  # typed "0,70" as Vietnamese write it
        help_texts = {
            "rank": "Số lớn hơn là chức danh cao hơn (dùng để xét “chức danh cao hơn”).",
            "group": "Nhóm chức danh mà các chỉ tiêu và danh sách dùng.",
            "allowance_coefficient": "Ví dụ 0,70.",
        }

    def changed_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "reason"}


class PostForm(forms.Form):
    title: forms.ModelChoiceField = forms.ModelChoiceField(label="Chức danh", queryset=Title.objects.none())
    seats = forms.IntegerField(label="Số lượng", min_value=1, max_value=500, initial=1)
    valid_from = _date_field("Hiệu lực từ ngày", required=False)
    reason = forms.CharField(label="Căn cứ (số, ngày quyết định)", max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].queryset = Title.objects.all()  # type: ignore[attr-defined]


class QuotaForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=1945, max_value=2100)
    civil_servants = forms.IntegerField(label="Biên chế công chức", min_value=0, max_value=100000)
    public_employees = forms.IntegerField(
        label="Số lượng người làm việc (viên chức)", min_value=0, max_value=100000
    )
    basis = forms.CharField(label="Căn cứ (số, ngày quyết định giao)", max_length=200, required=False)


class PostEditForm(forms.Form):
    seats = forms.IntegerField(label="Số lượng", min_value=1, max_value=500)
    valid_to = _date_field("Kết thúc vị trí sau ngày (để trống nếu còn hiệu lực)", required=False)
    reason = forms.CharField(label="Căn cứ (số, ngày quyết định)", max_length=500, required=False)
