"""Vietnamese name order: given, middle, family; Vietnamese alphabet; tones after base letters."""

from canbo.core.vnsort import name_sort_key, sort_names, word_key


def test_alphabet_order_of_modified_letters() -> None:
    words = ["ư", "u", "ơ", "ô", "o", "đ", "d", "ê", "e", "â", "ă", "a"]
    assert sorted(words, key=word_key) == ["a", "ă", "â", "d", "đ", "e", "ê", "o", "ô", "ơ", "u", "ư"]


def test_tones_after_base_letters_in_dictionary_order() -> None:
    words = ["hạ", "há", "hã", "hả", "hà", "ha", "hai"]
    assert sorted(words, key=word_key) == ["ha", "hà", "hả", "hã", "há", "hạ", "hai"]


def test_given_name_first_then_middle_then_family() -> None:
    names = ["Trần Thị An", "Bùi An", "Lê Văn Bình", "Nguyễn An", "Ai Thị An", "Đỗ Ánh"]
    assert sort_names(names) == ["Bùi An", "Nguyễn An", "Ai Thị An", "Trần Thị An", "Đỗ Ánh", "Lê Văn Bình"]


def test_case_and_composition_do_not_matter() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Hòa")
    assert word_key("HÒA") == word_key("hòa") == word_key(decomposed)


def test_key_is_digits_only_so_every_collation_agrees() -> None:
    assert name_sort_key("Hòa", "Thị", "Nguyễn").isdigit()
