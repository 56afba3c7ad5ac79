"""Vietnamese text helpers: accent folding for search and name splitting."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip tone and vowel marks, and map đ to d: "Nguyễn Thị Đào" → "nguyen thi dao"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def normalize_name(text: str) -> str:
    """Collapse spaces and use the composed (NFC) form, as typed names vary."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) from a Vietnamese full name written family name first."""
    parts = normalize_name(full_name).split(" ")
    if len(parts) == 1:
        return "", "", parts[0]
    return parts[0], " ".join(parts[1:-1]), parts[-1]
