"""Forms of the restructuring operations."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from canbo.core.forms import DateInput, ReasonField
from canbo.core.querysets import CHANGE, VIEW
from canbo.org.choices import Block, Level, UnitKind
from canbo.org.models import JobPosition, Title, Unit
from canbo.org.selectors import area_label, unit_label


class UnitChoiceField(forms.ModelChoiceField):
    """Replaced by a ``UnitPickerField`` in the forms' ``__init__`` (declared here for order)."""


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Replaced by a ``UnitMultiplePickerField`` in the form's ``__init__``."""


def _pickers(form: forms.Form, names: tuple[str, ...], qs: Any) -> None:
    """Swap the declared unit selects for searchable pickers over ``qs`` (open units the user
    may change), keeping label and required."""
    for name in names:
        old = form.fields[name]
        form.fields[name] = UnitPickerField(
            label=old.label, required=old.required, queryset=qs, action=CHANGE, open_only=True
        )


# A restructuring's or a new unit's decision is the change's reason: required, and written to the
# change log as its reason by the services (issue 21).
BASIS_REQUIRED = "Hãy ghi căn cứ của thay đổi (số, ngày quyết định); căn cứ được ghi vào lịch sử làm lý do."


class _Base(forms.Form):
    on = forms.DateField(label="Ngày hiệu lực", widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    basis = forms.CharField(
        label="Căn cứ (số, ngày quyết định)", max_length=200, error_messages={"required": BASIS_REQUIRED}
    )


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
        self.fields["sources"] = UnitMultiplePickerField(
            label=self.fields["sources"].label, queryset=qs, action=CHANGE, open_only=True
        )
        _pickers(self, ("into", "parent"), qs)

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
        _pickers(self, ("successor",), Unit.objects.restrict(user, CHANGE).filter(valid_to__isnull=True))


class UnitPicker(forms.Widget):
    """A searchable unit picker instead of a select of 2,000 options.

    A hidden input carries the unit's id; a search box asks the server (``org:pick``, htmx) for
    the units of the user's scope whose label contains the words typed, shown with their path,
    and a "browse" button opens the scope's top units, each expandable to its sub-units. Picking
    one is a few lines of script (``static/js/unit-picker.js``). The page carries one label, not
    the whole tree: the person form went from 760 KB to a few KB.
    """

    template_name = "org/widgets/unit_picker.html"
    url_name = "org:pick"

    def label_for(self, pk: int) -> str:
        return unit_label(pk)

    def __init__(
        self,
        *,
        action: str = VIEW,
        open_only: bool = False,
        submit_on_pick: bool = False,
        kinds: tuple[str, ...] = (),
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.action = action
        self.open_only = open_only
        self.kinds = kinds
        self.submit_on_pick = submit_on_pick

    def format_value(self, value: Any) -> str:
        return "" if value in (None, "") else str(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        ctx = super().get_context(name, value, attrs)
        raw = ctx["widget"]["value"]
        label = ""
        if raw and raw.isascii() and raw.isdigit() and len(raw) < 19:
            label = self.label_for(int(raw))
        ctx["widget"].update(
            {
                "label": label,
                "query": urlencode(
                    {
                        "pham_vi": "sua" if self.action == CHANGE else "xem",
                        "mo": "1" if self.open_only else "",
                        "loai": ",".join(self.kinds),
                    }
                ),
                "submit_on_pick": self.submit_on_pick,
                "url": reverse(self.url_name),
            }
        )
        return ctx


class UnitPickerField(forms.ModelChoiceField):
    """A unit chosen with ``UnitPicker``; ``queryset`` is the user's scope (restricted), so a
    posted unit outside it is refused like any unknown choice, with a Vietnamese message."""

    default_error_messages = {
        "invalid_choice": "Đơn vị đã chọn không thuộc phạm vi được giao hoặc không còn hoạt động.",
    }

    def __init__(
        self,
        *,
        queryset: Any,
        action: str = VIEW,
        open_only: bool = False,
        submit_on_pick: bool = False,
        kinds: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "widget",
            UnitPicker(action=action, open_only=open_only, submit_on_pick=submit_on_pick, kinds=kinds),
        )
        super().__init__(queryset=queryset, **kwargs)

    def to_python(self, value: Any) -> Any:
        # An id no database column holds ("²", 5,000 digits) is an unknown choice, not a 500.
        if value not in self.empty_values and not isinstance(value, Unit):
            text = str(value).strip()
            if not (text.isascii() and text.isdigit() and len(text) < 19):
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class AreaPicker(UnitPicker):
    """The same picker over administrative areas (3,579 of them: not a select either)."""

    url_name = "org:pick_area"

    def label_for(self, pk: int) -> str:
        return area_label(pk)


class AreaPickerField(UnitPickerField):
    """An administrative area chosen with ``AreaPicker`` (reference data: no scope)."""

    default_error_messages = {"invalid_choice": "Không có đơn vị hành chính này."}

    def __init__(self, **kwargs: Any) -> None:
        from canbo.org.models import AdminArea

        kwargs.setdefault("widget", AreaPicker())
        kwargs.setdefault("queryset", AdminArea.objects.all())
        super().__init__(**kwargs)


def unit_picker_html(
    name: str, unit: Unit | None, *, html_id: str, action: str = VIEW, submit_on_pick: bool = True
) -> str:
    """A unit picker for a page's GET filter (no form class): picking a unit submits the form."""
    widget = UnitPicker(action=action, submit_on_pick=submit_on_pick)
    widget.is_required = False
    return widget.render(name, unit.pk if unit else None, attrs={"id": html_id})


class UnitMultiPicker(UnitPicker):
    """The picker for several units: each picked unit is a line with a hidden input and a
    remove button; the search and browsing are the same."""

    template_name = "org/widgets/unit_multi_picker.html"
    allow_multiple_selected = True

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if value in (None, ""):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v) for v in values if v not in (None, "")]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        ctx = super().get_context(name, None, attrs)
        chosen = [v for v in self.format_value(value) if v.isascii() and v.isdigit() and len(v) < 19]
        ctx["widget"]["chosen"] = [(v, self.label_for(int(v))) for v in chosen]
        return ctx

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class UnitMultiplePickerField(forms.ModelMultipleChoiceField):
    """Several units chosen with ``UnitMultiPicker``; ``queryset`` is the user's scope."""

    default_error_messages = {
        "invalid_choice": "Đơn vị đã chọn không thuộc phạm vi được giao hoặc không còn hoạt động.",
        "invalid_pk_value": "Đơn vị đã chọn không hợp lệ.",
    }

    def __init__(self, *, queryset: Any, action: str = VIEW, open_only: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("widget", UnitMultiPicker(action=action, open_only=open_only))
        super().__init__(queryset=queryset, **kwargs)

    def clean(self, value: Any) -> Any:
        for v in value or []:
            text = str(v).strip()
            if not (text.isascii() and text.isdigit() and len(text) < 19):
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value")
        return super().clean(value)


DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date_field(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), input_formats=DATE_FORMATS, required=required)


def _area_field() -> AreaPickerField:
    from canbo.org.models import AdminArea

    # A searchable picker over the areas in force (3,579 of them: never a select).
    return AreaPickerField(
        label="Địa bàn (đơn vị hành chính)",
        queryset=AdminArea.objects.filter(dataset=AdminArea.Dataset.CURRENT),
        required=False,
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
    basis = forms.CharField(
        label="Quyết định thành lập (số, ngày)", max_length=200, error_messages={"required": BASIS_REQUIRED}
    )


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
        _pickers(self, ("new_parent",), Unit.objects.restrict(user, CHANGE).filter(valid_to__isnull=True))


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
        _pickers(self, ("parent",), Unit.objects.restrict(user, CHANGE).filter(valid_to__isnull=True))
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
                out.append(  # noqa: PERF401 (one multi-line dict per filled-in part, at most a few)
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

    reason = ReasonField(label="Căn cứ / lý do")

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


class JobPositionForm(forms.ModelForm):
    """An entry of the job-position catalogue (vị trí việc làm, Luật Cán bộ, công chức 80/2025)."""

    reason = ReasonField(label="Căn cứ / lý do")

    class Meta:
        model = JobPosition
        fields = ("code", "name", "kind", "category", "level", "title", "source")
        help_texts = {"title": "Chức danh lãnh đạo, quản lý tương ứng, nếu có."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"] = TitleChoiceField(
            label="Chức danh tương ứng",
            queryset=Title.objects.order_by("level", "-rank", "name"),
            required=False,
            help_text=self.Meta.help_texts["title"],
        )

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}

    def changed_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "reason"}


class TitleChoiceField(forms.ModelChoiceField):
    """A title picker: options labelled with ``Title.label`` (name and block)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class PostForm(forms.Form):
    title: forms.ModelChoiceField = TitleChoiceField(label="Chức danh", queryset=Title.objects.none())
    seats = forms.IntegerField(label="Số lượng", min_value=1, max_value=500, initial=1)
    valid_from = _date_field("Hiệu lực từ ngày", required=False)
    reason = ReasonField(label="Căn cứ (số, ngày quyết định)")

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
    reason = ReasonField(label="Căn cứ (số, ngày quyết định)")
