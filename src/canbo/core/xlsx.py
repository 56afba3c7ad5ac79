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

The list export writes with XlsxWriter (much faster than openpyxl's write-only mode for a
150,000-row workbook, docs/performance.md "List export"); ``SafeSheet`` is the same rule for an
XlsxWriter worksheet: text only through ``write_string`` (XlsxWriter's ``write`` would turn
"=1+2" into a formula), risky text with the quote prefix, numbers through ``write_number``,
dates through ``write_datetime`` shown dd/mm/yyyy. ``is_risky`` and the dropping of illegal
characters are shared, so both writers decide text vs number in this one module.

Styles (openpyxl): setting a font, fill or border on a cell costs about 50 µs (openpyxl hashes the style to
find it in the workbook's table), which dominates a 150,000-row export; a ``Look`` is computed
once per sheet and copied to each cell (about 1 µs).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
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


DATE_FORMAT = "dd/mm/yyyy"  # how an XlsxWriter date cell is shown (the app's own date format)


def clean_text(value: str) -> str:
    """``value`` without the characters XML cannot hold (XlsxWriter would escape them as
    ``_xHHHH_``; dropped, as for openpyxl)."""
    if not value.isprintable() and ILLEGAL_CHARACTERS_RE.search(value):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


class SafeSheet:
    """An XlsxWriter worksheet written row by row with ``safe_cell``'s rule: text is written
    as text (``write_string``, with the quote prefix when a spreadsheet would read it as a
    formula or an error value), numbers as numbers, dates as dates shown dd/mm/yyyy, ``None``
    and "" as nothing. Made for ``constant_memory`` workbooks (rows in order)."""

    def __init__(self, wb: Any, ws: Any) -> None:
        self.wb = wb
        self.ws = ws
        self._plain = self.look()

    def look(self, **props: Any) -> tuple[Any, Any, Any]:
        """The formats of a style ``props`` (XlsxWriter's format properties): (plain, quoted
        text, date), added to the workbook once."""
        plain = self.wb.add_format(props) if props else None
        quoted = self.wb.add_format({**props, "quote_prefix": True})
        date = self.wb.add_format({**props, "num_format": DATE_FORMAT})
        return (plain, quoted, date)

    def row(self, row: int, values: Iterable[Any], look: tuple[Any, Any, Any] | None = None) -> None:
        """Write ``values`` to ``row`` (0-based) from column A."""
        plain, quoted, date = look or self._plain
        ws = self.ws
        for col, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if not value:
                    if plain is not None:
                        ws.write_blank(row, col, None, plain)
                    continue
                if not value.isprintable():
                    value = clean_text(value)
                risky = value.startswith(FORMULA_STARTS) or value in _ERROR_VALUES
                ws.write_string(row, col, value, quoted if risky else plain)
            elif kind is int or kind is float:
                ws.write_number(row, col, value, plain)
            elif value is None:
                if plain is not None:
                    ws.write_blank(row, col, None, plain)
            elif isinstance(value, bool):
                ws.write_boolean(row, col, value, plain)
            elif isinstance(value, int | float | Decimal):
                ws.write_number(row, col, float(value), plain)
            elif isinstance(value, dt.date):  # a datetime too
                ws.write_datetime(row, col, value, date)
            else:  # anything else is shown as its text, never as a formula
                self._text(row, col, str(value), plain, quoted)

    def _text(self, row: int, col: int, text: str, plain: Any, quoted: Any) -> None:
        text = clean_text(text)
        self.ws.write_string(row, col, text, quoted if is_risky(text) else plain)
