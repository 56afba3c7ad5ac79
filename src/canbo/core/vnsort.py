"""Vietnamese alphabetical order for names (pure Python, no Django).

Vietnamese dictionaries order the letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
and compare the base letters of a word before its tone marks, the tones in the order
ngang, huyền, hỏi, ngã, sắc, nặng. People are listed by given name, then middle name, then family
name. ``name_sort_key`` encodes that order as a string of digits, so that a plain ``ORDER BY`` on
the stored key sorts names correctly on SQLite and on PostgreSQL whatever the database collation
(digits compare the same way in every collation).
"""

from __future__ import annotations

import functools
import unicodedata

# Base letters in Vietnamese order; f, j, w, z (foreign names) slot in at their Latin places.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_CODE = {ch: i + 10 for i, ch in enumerate(ALPHABET)}  # two digits each: 10..42

# Combining marks: vowel shapes (part of the base letter) and tones.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def _letters(word: str) -> list[tuple[str, int]]:
    """Split a word into (base letter, tone) pairs."""
    out: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFC", word.lower()):
        if ch == "đ":
            out.append(("đ", 0))
            continue
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        tone = 0
        for m in marks:
            if m == _BREVE and base == "a":
                base = "ă"
            elif m == _CIRCUMFLEX and base in "aeo":
                base = {"a": "â", "e": "ê", "o": "ô"}[base]
            elif m == _HORN and base in "ou":
                base = {"o": "ơ", "u": "ư"}[base]
            elif m in _TONES:
                tone = _TONES[m]
        if base.isalnum():
            out.append((base, tone))
    return out


# Cached: a province's names draw on a few thousand words, and an import computes the key of
# every name of its file (computing each word afresh was a tenth of checking a person row).
@functools.lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """Base letters (2 digits each, ended by "00"), then one tone digit per letter."""
    letters = _letters(word)
    bases = "".join(f"{_LETTER_CODE.get(b, 43 if b.isdigit() else 44):02d}" for b, _ in letters)
    tones = "".join(str(t) for _, t in letters)
    return f"{bases}00{tones}"


def name_sort_key(given: str, middle: str, family: str) -> str:
    """Order key: given name, then middle name(s), then family name.

    The three parts are separate slots ended by "0", which sorts before any letter code, so a
    person with no middle name comes before one with a middle name and the same given name.
    """

    def slot(words: str) -> str:
        return "".join(word_key(w) + "9" for w in words.split())

    return f"{slot(given)}0{slot(middle)}0{slot(family)}"


def sort_names(names: list[str]) -> list[str]:
    """Sort full names (family name first, as written) in Vietnamese order."""

    def key(full: str) -> str:
        parts = full.split()
        if len(parts) == 1:
            return name_sort_key(parts[0], "", "")
        return name_sort_key(parts[-1], " ".join(parts[1:-1]), parts[0])

    return sorted(names, key=key)
