"""Form building blocks shared by the apps."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import BaseRenderer
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from canbo.core.dates import format_partial_date, in_supported_range, out_of_range_message, parse_partial_date


def validate_supported_day(value: dt.date | None) -> None:
    """A date CanBo can compute with (1900–2100): for the dates a page is asked about."""
    if value is not None and not in_supported_range(value):
        raise ValidationError(out_of_range_message(), code="out_of_range")


class DateInput(forms.DateInput):
    """A date typed as Vietnamese documents write it (dd/mm/yyyy), whatever the browser's locale.

    A native date picker would show the browser's format (mm/dd/yyyy on an English system), which
    officers copying dates from decisions would misread.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "size": "10"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class PartialDateField(forms.CharField):
    """A date as dossiers write it: "15/03/1980", "03/1980", "1980", "tháng 3/1980" → (date, precision).

    The spellings are ``core.dates.parse_partial_date``'s, the same the spreadsheet import reads.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", "Ngày/tháng/năm, tháng/năm hoặc chỉ năm.")
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> tuple[dt.date, str] | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_partial_date(text)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from exc

    @staticmethod
    def initial_for(value: dt.date | None, precision: str) -> str:
        return format_partial_date(value, precision)


# The usual reasons of a change, offered under every reason field (free text stays possible):
# a decision ("…" is where its number goes), a correction, the person's own request.
USUAL_REASONS = ("Theo quyết định số …", "Sửa lỗi nhập liệu", "Theo đề nghị của cá nhân")
REASON_REQUIRED = "Hãy ghi lý do hoặc căn cứ của thay đổi (ví dụ số quyết định, “Sửa lỗi nhập liệu”)."


class ReasonInput(forms.TextInput):
    """A text input with the usual reasons as suggestions (an HTML ``<datalist>``: no script)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        attrs = dict(attrs or {})
        # The id is the widget's own when a form gave it one (``own_reason_id``: the bound field
        # then passes none), else the bound field's.
        list_id = f"{attrs.get('id') or self.attrs.get('id') or 'id_' + name}-goi-y"
        attrs["list"] = list_id
        options = "".join(format_html('<option value="{}">', r) for r in USUAL_REASONS)
        return format_html(
            '{}<datalist id="{}">{}</datalist>',
            super().render(name, value, attrs, renderer),
            list_id,
            mark_safe(options),  # noqa: S308 (built by format_html)
        )


class ReasonField(forms.CharField):
    """The reason (lý do, căn cứ) written with every change: required, typed or picked."""

    def __init__(self, *, label: str = "Lý do / căn cứ", required: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Chọn một lý do thường dùng hoặc ghi lý do khác; bắt buộc.")
        super().__init__(
            label=label,
            max_length=500,
            required=required,
            widget=ReasonInput(
                attrs={"placeholder": "Ví dụ: Theo quyết định số 123/QĐ-UBND ngày 01/02/2025"}
            ),
            error_messages={"required": REASON_REQUIRED},
            **kwargs,
        )


def own_reason_id(form: forms.BaseForm, slot: str) -> None:
    """Give ``form``'s reason field an id of its own (``id_<slot>_reason``): a page with several
    forms, each with its reason (a plan task's status, correction, deletion), keeps its ids and
    its suggestion lists unique. The posted name stays ``reason``."""
    form.fields["reason"].widget.attrs["id"] = f"id_{slot}_reason"


class ReasonForm(forms.Form):
    """The reason (lý do, căn cứ) written with every change."""

    reason = ReasonField(label="Lý do / căn cứ (số quyết định)")


def localize_decimal_fields(form: forms.BaseForm) -> None:
    """Show and read every DecimalField the Vietnamese way ("4,98"); a dot ("4.98") is read too.

    Django's localized input turns the decimal comma of the active format (vi) into a point;
    with USE_THOUSAND_SEPARATOR off, a point is left as the decimal point it is. The number
    input (which would refuse the comma in the browser) becomes a text input with a decimal
    keyboard.
    """
    for field in form.fields.values():
        if isinstance(field, forms.DecimalField) and not field.localize:
            field.localize = True
            kept = {k: v for k, v in field.widget.attrs.items() if k not in ("step", "min", "max")}
            field.widget = forms.TextInput(attrs={**kept, "inputmode": "decimal"})
            field.widget.is_localized = True


def apply_date_widgets(form: forms.BaseForm) -> None:
    """Use the native date picker for every DateField of a model form."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()
            field.input_formats = ["%d/%m/%Y", "%Y-%m-%d"]


def _attrs_html(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html`` in Python: True is a bare name, False is left out."""
    out = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        out.append(f" {name}" if value is True else format_html(' {}="{}"', name, str(value)))
    return "".join(out)


class FastSelectMixin:
    """Renders a select in Python with the exact markup of Django's templates (issue 22).

    Django renders a select through one template include per option; the person list's filters
    have some 380 options, a third of the list page's time. The output is the same HTML
    (``core/tests/test_fast_select.py`` compares them), without the template engine."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        ctx = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        parts = [format_html('<select name="{}"', ctx["name"]), _attrs_html(ctx["attrs"]), ">"]
        for group_name, group_choices, _index in ctx["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    mark_safe(_attrs_html(option["attrs"])),  # noqa: S308 (escaped in _attrs_html)
                    option["label"],
                )
                for option in group_choices
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every value escaped by format_html)


def _frozen_choices(choices: Any) -> tuple[Any, ...]:
    """The choices as plain strings (a lazy label's ``repr`` is its address, not its text)."""
    out: list[Any] = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            out.append((str(value), _frozen_choices(label)))
        else:
            out.append((str(value), str(label)))
    return tuple(out)


_RENDERED: OrderedDict[str, SafeString] = OrderedDict()
_RENDERED_MAX = 512
_rendered_lock = threading.Lock()


class RenderMemoMixin:
    """Keeps the markup of a choice widget per process, by everything it is made from: the
    widget's class, name, value, final attributes and choices (issue 22). A list's filters
    render the same selects and checkboxes on every request (some 400 options); the key is
    the same text whatever request asks, so an answer equals a fresh rendering (the choices are
    part of the key: a new planning term or catalogue entry makes a new key)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        widget: Any = self
        key = repr(
            (
                type(self).__qualname__,
                type(renderer).__qualname__,
                name,
                widget.format_value(value),
                sorted((k, str(v)) for k, v in widget.build_attrs(widget.attrs, attrs).items()),
                widget.is_required,
                _frozen_choices(widget.choices),
            )
        )
        with _rendered_lock:
            found = _RENDERED.get(key)
            if found is not None:
                _RENDERED.move_to_end(key)
                return found
        html = super().render(name, value, attrs, renderer)  # type: ignore[misc]
        with _rendered_lock:
            _RENDERED[key] = html
            while len(_RENDERED) > _RENDERED_MAX:
                _RENDERED.popitem(last=False)
        return html


class FastSelect(RenderMemoMixin, FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(RenderMemoMixin, FastSelectMixin, forms.SelectMultiple):
    pass


class MemoCheckboxSelectMultiple(RenderMemoMixin, forms.CheckboxSelectMultiple):
    """Django's checkbox group, its markup kept per process (``RenderMemoMixin``)."""


def fast_selects(form: forms.BaseForm | Mapping[str, forms.Field]) -> None:
    """Swap the plain selects of ``form`` (or of a form class's ``base_fields``, once: each form
    then deep-copies the twins) for their Python-rendered twins (same markup), and its checkbox
    groups for their kept twins."""
    fields = form if isinstance(form, Mapping) else form.fields
    for field in fields.values():
        kind = type(field.widget)
        twin = {
            forms.Select: FastSelect,
            forms.SelectMultiple: FastSelectMultiple,
            forms.CheckboxSelectMultiple: MemoCheckboxSelectMultiple,
        }.get(kind)
        if twin is not None:
            old = field.widget
            new = twin(attrs=old.attrs)
            new.choices = old.choices
            new.is_required = old.is_required
            field.widget = new
