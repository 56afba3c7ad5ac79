"""Django messages that its own Vietnamese catalogue leaves in English come out in Vietnamese."""

from __future__ import annotations

import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_entry_of_the_project_catalogue_is_compiled() -> None:
    """Fails when django.mo is missing or older than django.po (run msgfmt)."""
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', PO.read_text(encoding="utf-8"), re.M)
    assert len(pairs) >= 20
    with translation.override("vi"):
        for msgid, msgstr in pairs:
            msgid, msgstr = msgid.replace('\\"', '"'), msgstr.replace('\\"', '"')  # .po escapes
            assert translation.gettext(msgid) == msgstr, msgid


def test_a_form_error_django_leaves_in_english_is_vietnamese() -> None:
    class CodeForm(forms.Form):
        code = forms.SlugField()

    with translation.override("vi"):
        form = CodeForm({"code": "mã có dấu"})
        assert not form.is_valid()
        assert form.errors["code"] == ["Chỉ dùng chữ cái không dấu, chữ số, dấu gạch dưới hoặc gạch ngang."]


def test_a_bound_of_a_model_validator_reads_as_a_sentence() -> None:
    # "Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 230 ." came out of a health row's height.
    from django.core.exceptions import ValidationError
    from django.core.validators import MaxValueValidator, MinValueValidator

    with translation.override("vi"):
        for validator, value, text in (
            (MaxValueValidator(230), 999, "Giá trị phải nhỏ hơn hoặc bằng 230."),
            (MinValueValidator(100), 5, "Giá trị phải lớn hơn hoặc bằng 100."),
        ):
            try:
                validator(value)
            except ValidationError as exc:
                assert exc.messages == [text]
            else:
                raise AssertionError("not refused")
