"""The Python-rendered selects (issue 22) give exactly Django's markup."""

from __future__ import annotations

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
