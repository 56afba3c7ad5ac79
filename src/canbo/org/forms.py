"""Forms of the restructuring operations."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from canbo.core.forms import DateInput
from canbo.core.querysets import CHANGE, VIEW
from canbo.org.choices import Block, Level, UnitKind
from canbo.org.models import Unit
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
