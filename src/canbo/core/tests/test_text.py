"""Accent folding for search and splitting of Vietnamese names."""

from __future__ import annotations

import unicodedata

import pytest

from canbo.core.text import fold, normalize_name, split_name


def test_spellings_of_one_name_fold_equal() -> None:
    variants = ["Nguyễn Thị Hoa", "NGUYỄN THỊ HOA", "nguyen thi hoa", "  Nguyễn   Thị Hoa ", "Nguyen Thi Hoa"]
    assert {fold(v) for v in variants} == {"nguyen thi hoa"}


def test_decomposed_input_folds_like_composed() -> None:
    assert fold(unicodedata.normalize("NFD", "Trần Thị Thủy")) == fold("Trần Thị Thủy") == "tran thi thuy"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đào", "dao"),
        ("đào", "dao"),
        ("ĐỖ ĐỨC ĐẠT", "do duc dat"),
        ("Lương Văn Ước", "luong van uoc"),
        ("Phạm Thị Ơn", "pham thi on"),
        ("Giàng A Páo", "giang a pao"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_different_names_stay_different() -> None:
    assert fold("Đào") != fold("Đạo Đức") and fold("Hoa") != fold("Hòa Bình")


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Nguyễn Thị Hoa", ("Nguyễn", "Thị", "Hoa")),
        ("  Tôn   Nữ Thị   Minh Châu ", ("Tôn", "Nữ Thị Minh", "Châu")),
        ("Lò Văn", ("Lò", "", "Văn")),
        ("Páo", ("", "", "Páo")),
    ],
)
def test_split_name(full: str, parts: tuple[str, str, str]) -> None:
    assert split_name(full) == parts


def test_normalize_name_composes_and_collapses_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị\tHoa")
    assert normalize_name(decomposed) == "Nguyễn Thị Hoa"
    assert normalize_name(decomposed) == unicodedata.normalize("NFC", "Nguyễn Thị Hoa")
