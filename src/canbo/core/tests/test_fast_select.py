"""The Python-rendered selects (issue 22) give exactly Django's markup."""

from __future__ import annotations

from typing import Any

from django import forms

from canbo.core.forms import fast_selects


class Sample(forms.Form):
    one = forms.ChoiceField(choices=[("", "—"), ("a", "Kinh & <Hoa>"), ("b", "Tày")], required=False)
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("Miền Bắc", [("1", "Hà Nội"), ("2", "Lào Cai")]), ("3", "Khác")]
    )
    many = forms.MultipleChoiceField(choices=[(1, "Một"), (2, "Hai"), (3, "Ba")], required=False)
    numbered = forms.TypedChoiceField(coerce=int, choices=[(10, "Mười"), (20, "Hai mươi")], required=False)


def test_fast_selects_render_django_s_markup() -> None:
    for data in (None, {"one": "a", "grouped": "2", "many": ["1", "3"], "numbered": "20"}, {"one": "x"}):
        plain = Sample(data)
        fast = Sample(data)
        fast_selects(fast)
        assert type(fast.fields["one"].widget).__name__ == "FastSelect"
        if data is not None:
            plain.is_valid()
            fast.is_valid()
        for name in ("one", "grouped", "many", "numbered"):
            assert str(fast[name]) == str(plain[name]), name


class Checks(forms.Form):
    groups = forms.MultipleChoiceField(
        choices=[("a", "Bí thư & <phó>"), ("b", "Chủ tịch")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    one = forms.ChoiceField(choices=[("", "—"), ("a", "Kinh"), ("b", "Tày")], required=False)


def test_kept_widgets_answer_what_django_renders_for_every_value_and_choice() -> None:
    """The per-process memo of rendered choice widgets (issue 22) never answers a rendering of
    other values, attributes or choices."""
    cases: list[Any] = [None, {"groups": ["a"], "one": "b"}, {"groups": ["a", "b"]}, {"one": "x"}, None]
    for round_ in range(2):  # the second round is answered from the memo
        for data in cases:
            plain = Checks(data)
            kept = Checks(data)
            fast_selects(kept)
            assert type(kept.fields["groups"].widget).__name__ == "MemoCheckboxSelectMultiple"
            if round_:
                # Other choices, same name and value: a new rendering.
                for form in (plain, kept):
                    more = [("", "—"), ("a", "Kinh"), ("b", "Tày"), ("c", "Thái")]
                    form.fields["one"].choices = more  # type: ignore[attr-defined]
            for form in (plain, kept):
                if data is not None:
                    form.is_valid()
            for name in ("groups", "one"):
                assert str(kept[name]) == str(plain[name]), (round_, data, name)
            assert str(kept["one"].as_widget(attrs={"disabled": True})) == str(
                plain["one"].as_widget(attrs={"disabled": True})
            )
