"""Every title picker tells apart titles of the same name (issue 14): the catalogue holds one
"Trưởng phòng và tương đương (cấp tỉnh)" per block, and ``Title.label`` names the block."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from canbo.org.choices import Block, HeadKind, Level, ManagementScope, TitleGroup
from canbo.org.forms import PostForm
from canbo.org.models import Title
from canbo.people.forms import section_form_class
from canbo.people.sections import BY_SLUG
from canbo.planning.forms import EntryAddForm
from canbo.rules.forms import CheckForm

pytestmark = pytest.mark.django_db

NAME = "Trưởng phòng và tương đương (cấp tỉnh)"


@pytest.fixture
def division_heads(db: Any) -> list[Title]:
    return [
        Title.objects.create(
            code=f"T.TP.{block}",
            name=NAME,
            level=Level.PROVINCE,
            group=TitleGroup.DIVISION_HEAD,
            block=block,
            is_leader=True,
            head_kind=HeadKind.HEAD,
            management_scope=ManagementScope.AGENCY,
            rank=50,
        )
        for block in Block.values
    ]


def labels(field: Any) -> list[str]:
    return [str(label) for value, label in field.choices if value and NAME in str(label)]


def assert_told_apart(found: list[str]) -> None:
    assert len(found) == 4
    assert len(set(found)) == 4, found
    assert any("khối Đảng" in label for label in found)
    assert any("khối Mặt trận và đoàn thể" in label for label in found)


def test_label_names_the_block(division_heads: list[Title]) -> None:
    party = Title.objects.get(code="T.TP.dang")
    assert party.label == f"{NAME} — khối Đảng"
    assert str(party) == NAME


def test_every_title_picker_tells_the_blocks_apart(division_heads: list[Title], users: dict) -> None:
    check = CheckForm()
    assert_told_apart(labels(check.fields["chuc_danh"]))
    assert f"{NAME} — khối Đảng (thứ bậc 50)" in labels(check.fields["chuc_danh"])
    assert_told_apart(labels(PostForm().fields["title"]))
    tenure_form = section_form_class(BY_SLUG["chuc-vu"])(user=users["officer_a"])
    assert isinstance(tenure_form.fields["title"], forms.ModelChoiceField)
    assert_told_apart(labels(tenure_form.fields["title"]))
    assert_told_apart(labels(EntryAddForm(user=users["officer_a"]).fields["chuc_danh"]))
