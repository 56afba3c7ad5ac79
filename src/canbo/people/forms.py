"""Forms of the dossier: the person's identity and the generic section forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import modelform_factory
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from canbo.core.forms import (
    PartialDateField,
    ReasonField,
    apply_date_widgets,
    fast_selects,
    localize_decimal_fields,
)
from canbo.core.forms import _attrs_html as attrs_html  # the attrs.html twin of the fast selects
from canbo.core.params import MAX_INT
from canbo.core.querysets import CHANGE
from canbo.org.choices import UnitKind
from canbo.org.forms import AreaPickerField, TitleChoiceField, UnitPickerField
from canbo.org.models import JobPosition, Title, Unit
from canbo.people.choices import QUALIFICATION_LEVELS, QualificationKind
from canbo.people.models import Person, Qualification
from canbo.people.sections import SECTIONS, SectionSpec

PERSON_FIELDS = (
    "personal_id", "identity_issue_date", "social_insurance_number",
    "full_name", "other_names", "sex", "ethnicity", "religion", "birth_place",
    "birth_place_text", "home_town", "home_town_text", "residence", "residence_text", "current_address",
    "category", "managing_unit", "dossier_number", "national_db_id", "social_origin", "occupation_before",
    "general_education", "recruiting_agency", "revolution_date", "job_position_entry",
    "job_position",
    "grade_name", "grade_code", "salary_step", "salary_coefficient", "position_allowance",
    "enlistment_date", "discharge_date", "military_rank", "honorary_title", "strengths", "policy_status",
)  # fmt: skip


# Django's input widgets all render ``django/forms/widgets/input.html`` (an include of
# ``attrs.html`` each): the person form's 30 inputs were half its time through the template
# engine. The twin below writes the same markup in Python.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html" for kind in ("input", "text", "date", "number", "hidden", "email")
)


class FastInputMixin:
    """``input.html`` in Python: ``<input type name [value] attrs>``, every value escaped."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        w = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        head = format_html('<input type="{}" name="{}"', w["type"], w["name"])
        val = "" if w["value"] is None else format_html(' value="{}"', str(w["value"]))
        return mark_safe(f"{head}{val}{attrs_html(w['attrs'])}>")  # noqa: S308 (escaped by format_html)


_TWINS: dict[type, type] = {}


def _fast_twin(cls: type) -> type:
    """The Python-rendered twin of the input widget class ``cls`` (made once per class)."""
    twin = _TWINS.get(cls)
    if twin is None:
        twin = _TWINS[cls] = type(f"Fast{cls.__name__}", (FastInputMixin, cls), {})
    return twin


def fast_inputs(form: forms.BaseForm) -> None:
    """Swap the plain inputs of ``form`` (a widget that keeps Django's own ``render`` and one of
    the input templates) for their Python-rendered twins; the markup is the same
    (``people/tests/test_person_form_markup.py``)."""
    for field in form.fields.values():
        w = field.widget
        if w.template_name in INPUT_TEMPLATES and type(w).render is forms.Widget.render:
            w.__class__ = _fast_twin(type(w))


def _area_field(label: str) -> AreaPickerField:
    """A searchable picker over the 3,579 areas (their select made the form 760 KB)."""
    return AreaPickerField(label=label, required=False)


class PersonForm(forms.ModelForm):
    """Identity and service fields; the date of birth keeps its precision."""

    birth = PartialDateField(label="Ngày sinh", required=True)
    reason = ReasonField()
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_INT)

    class Meta:
        model = Person
        fields = PERSON_FIELDS

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        apply_date_widgets(self)
        localize_decimal_fields(self)
        for name, label in (
            ("birth_place", "Nơi sinh"),
            ("home_town", "Quê quán"),
            ("residence", "Nơi thường trú"),
        ):
            self.fields[name] = _area_field(label)
        # A searchable picker over the units the user may change (not a select of every unit).
        self.fields["managing_unit"] = UnitPickerField(
            label="Đơn vị quản lý hồ sơ",
            queryset=Unit.objects.restrict(user, CHANGE).filter(valid_to__isnull=True),
            action=CHANGE,
            open_only=True,
        )
        if self.instance.pk:
            self.fields["birth"].initial = PartialDateField.initial_for(
                self.instance.birth_date, self.instance.birth_precision
            )
            self.fields["row_version"].initial = self.instance.row_version
            self._derive_salary_fields()
        self.fields["job_position"].label = "Vị trí việc làm (ghi bằng chữ, nếu chưa có trong danh mục)"
        entry = self.fields["job_position_entry"]
        assert isinstance(entry, forms.ModelChoiceField)  # noqa: S101 (invariant; narrows the type for mypy)
        entry.queryset = JobPosition.objects.order_by("kind", "name")
        self.order_fields(["personal_id", "full_name", "other_names", "sex", "birth"])
        fast_selects(self)  # the same markup without a template per option (issue 22)
        fast_inputs(self)  # the same markup without the input and attrs templates (issue 22)

    def validate_unique(self) -> None:
        """A personal ID held by a dossier the user may not see gets the one "contact the office"
        answer (``services.HIDDEN_CONFLICT``), not Django's "already exists"."""
        from canbo.people.services import HIDDEN_CONFLICT, personal_id_hidden

        if personal_id_hidden(self.cleaned_data.get("personal_id"), self.user, self.instance.pk):
            self.add_error("personal_id", HIDDEN_CONFLICT)
            return
        super().validate_unique()

    def _derive_salary_fields(self) -> None:
        """Fields a section derives from its records (the salary history: the current grade,
        step and coefficient) are shown, not edited here, once the person has such records."""
        for spec in SECTIONS:
            if (
                not spec.derives
                or not spec.model._default_manager.filter(person_id=self.instance.pk).exists()
            ):
                continue
            for name in spec.derives:
                self.fields[name].disabled = True
                self.fields[name].help_text = spec.derives_help

    def changes(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[name]
            for name in PERSON_FIELDS
            if name in self.cleaned_data and not self.fields[name].disabled
        }
        birth = self.cleaned_data.get("birth")
        if birth:
            data["birth_date"], data["birth_precision"] = birth
        return data


def section_form_class(spec: SectionSpec) -> Any:
    """A model form for one section, with date pickers, partial dates and scoped choices."""
    base = modelform_factory(spec.model, fields=spec.form_fields)

    class SectionForm(base):  # type: ignore[misc, valid-type]
        reason = ReasonField()
        row_version = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_INT
        )
        upload = forms.FileField(label="Tệp (PDF, JPEG, PNG)", required=spec.upload) if spec.upload else None

        def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if not spec.upload:
                self.fields.pop("upload", None)
            apply_date_widgets(self)
            localize_decimal_fields(self)
            for prefix in spec.partial_dates:
                label = "Từ (tháng/năm)" if prefix == "start" else "Đến (tháng/năm)"
                self.fields[f"{prefix}_partial"] = PartialDateField(label=label, required=prefix == "start")
                if self.instance.pk:
                    self.fields[f"{prefix}_partial"].initial = PartialDateField.initial_for(
                        getattr(self.instance, f"{prefix}_date"),
                        getattr(self.instance, f"{prefix}_precision"),
                    )
            if "unit" in self.fields and isinstance(self.fields["unit"], forms.ModelChoiceField):
                self.fields["unit"] = UnitPickerField(
                    label=self.fields["unit"].label,
                    required=self.fields["unit"].required,
                    queryset=Unit.objects.restrict(user, CHANGE),
                    action=CHANGE,
                )
            # Only a membership's body is a unit; a confidence vote's "body" is the meeting's name.
            if "body" in self.fields and isinstance(self.fields["body"], forms.ModelChoiceField):
                bodies = (UnitKind.PARTY_COMMITTEE, UnitKind.PEOPLES_COUNCIL, UnitKind.FRONT)
                self.fields["body"] = UnitPickerField(
                    label=self.fields["body"].label,
                    required=self.fields["body"].required,
                    queryset=Unit.objects.filter(kind__in=bodies),
                    kinds=tuple(str(k) for k in bodies),
                )
            if "title" in self.fields and isinstance(self.fields["title"], forms.ModelChoiceField):
                self.fields["title"] = TitleChoiceField(
                    label=self.fields["title"].label,
                    required=self.fields["title"].required,
                    help_text=self.fields["title"].help_text,
                    queryset=Title.objects.order_by("-rank", "name"),
                )
            if "level" in self.fields and spec.model is Qualification:  # a rating has its own levels
                self.fields["level"] = forms.ChoiceField(
                    label="Trình độ",
                    choices=[("", "---------")]
                    + [
                        (str(QualificationKind(kind).label), [(code, label) for code, label, _ in levels])
                        for kind, levels in QUALIFICATION_LEVELS.items()
                    ],
                )
            if self.instance.pk:
                self.fields["row_version"].initial = self.instance.row_version
            order = [f"{p}_partial" for p in spec.partial_dates] + list(spec.form_fields)
            self.order_fields(order)

        def section_values(self) -> dict[str, Any]:
            data = {name: self.cleaned_data[name] for name in spec.form_fields if name in self.cleaned_data}
            for prefix in spec.partial_dates:
                value = self.cleaned_data.get(f"{prefix}_partial")
                data[f"{prefix}_date"], data[f"{prefix}_precision"] = value if value else (None, "m")
            return data

    SectionForm.__name__ = f"{spec.model.__name__}Form"
    return SectionForm
