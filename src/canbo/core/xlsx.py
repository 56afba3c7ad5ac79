"""Cells of every workbook CanBo writes: text from data is written as text, never as a formula.

openpyxl stores a string that starts with "=" as a formula and one such as "#N/A" as an error
value, so a name "=HYPERLINK(…)" or a report result "=1+2" would become a live formula in an
export. Excel and LibreOffice also turn a cell starting with "+", "-" or "@" (or a tab or carriage
return, per OWASP's "CSV injection" guidance) into a formula as soon as somebody edits it.
Every value a workbook gets goes through ``safe_cell``/``safe_row``: such strings are written as
text cells (type ``s``) with Excel's "quote prefix" set, so they show as typed and stay text when
edited; the value itself is not changed (no apostrophe added). Numbers, dates and ``None`` are
written as they are: a negative number stays a number.

Characters that XML cannot hold (control characters pasted from other programs) are dropped
instead of failing the whole workbook.

Styles: setting a font, fill or border on a cell costs about 50 µs (openpyxl hashes the style to
find it in the workbook's table), which dominates a 150,000-row export; a ``Look`` is computed
once per sheet and copied to each cell (about 1 µs).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

# First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ERROR_VALUES = frozenset(ERROR_CODES)


class Look:
    """A cell style (``font``, ``fill``, ``border``, ``alignment``, ``number_format``) for one
    worksheet, looked up in the workbook's style table once."""

    def __init__(self, ws: Any, **style: Any) -> None:
        cell = WriteOnlyCell(ws)
        for name, value in style.items():
            setattr(cell, name, value)
        self.array = cell._style  # type: ignore[attr-defined]


def is_risky(value: Any) -> bool:
    """True for a string a spreadsheet would read as a formula or an error value."""
    return isinstance(value, str) and (value.startswith(FORMULA_STARTS) or value in _ERROR_VALUES)


def safe_cell(ws: Any, value: Any, look: Look | None = None) -> Any:
    """``value`` ready for ``ws.append`` (write-only or ordinary worksheet): the value itself when
    openpyxl writes it as it is, else a cell holding it as text; with ``look``, always a cell in
    that style."""
    # isprintable() is a fast test that rules out every control character for most text.
    if isinstance(value, str) and not value.isprintable() and ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    risky = is_risky(value)
    if not risky and look is None:
        return value
    cell = WriteOnlyCell(ws, value=value)
    if look is not None:
        cell._style = copy.copy(look.array)  # type: ignore[attr-defined]
    if risky:
        # openpyxl inferred a formula ("=…") or an error value ("#N/A"): text it is.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_row(ws: Any, values: Iterable[Any], look: Look | None = None) -> list[Any]:
    """``safe_cell`` of each value."""
    return [safe_cell(ws, v, look) for v in values]
