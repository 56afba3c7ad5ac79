"""Which column is which field: proposed from the header text, corrected by the officer.

Headers are compared with accents, case, spaces and punctuation ignored ("HỌ VÀ TÊN",
"Ho va ten", "Họ và tên:" are the same header), against each field's label and synonyms
(``schema.py``). A mapping is ``{sheet_kind: {header_text: field_name or ""}}``; an empty
field name means "ignore this column". A special entry ``"_sheets": {sheet_name: kind or ""}``
may fix the kind of a sheet (``""`` ignores the sheet).
"""

from __future__ import annotations

from typing import Any

from canbo.imports.parsers import key
from canbo.imports.schema import PID, SHEETS

SHEETS_KEY = "_sheets"


def _index() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for kind, spec in SHEETS.items():
        table: dict[str, str] = {}
        # Labels first, then synonyms, so a label never loses to another field's synonym.
        for f in spec.fields:
            table.setdefault(key(f.label), f.name)
        for f in spec.fields:
            for syn in f.synonyms:
                table.setdefault(key(syn), f.name)
        out[kind] = table
    return out


HEADERS = _index()
SHEET_NAMES = {kind: {key(spec.title), *(key(s) for s in spec.synonyms)} for kind, spec in SHEETS.items()}


def propose_field(kind: str, header: str) -> str | None:
    """The field a header most likely holds in a sheet of ``kind``, or None."""
    k = key(header)
    if not k:
        return None
    table = HEADERS[kind]
    if k in table:
        return table[k]
    # "Họ và tên (khai sinh)", "Ngày sinh (dd/mm/yyyy)": drop a bracketed note and try again.
    if "(" in header:
        k2 = key(header[: header.index("(")])
        if k2 in table:
            return table[k2]
    return None


def propose(kind: str, headers: list[str], saved: dict[str, Any] | None = None) -> dict[str, str | None]:
    """header → field for every header; a saved mapping for ``kind`` wins over the guess.

    A field is proposed for one column only (the first); later columns with the same guess are
    left unmapped so that the officer sees the clash instead of a silent overwrite.
    """
    saved_kind = {key(h): f for h, f in ((saved or {}).get(kind) or {}).items()}
    out: dict[str, str | None] = {}
    taken: set[str] = set()
    for h in headers:
        k = key(h)
        if k in saved_kind:
            field = saved_kind[k] or None
            if field is not None and field not in SHEETS[kind].by_name:
                field = None
        else:
            field = propose_field(kind, h)
        if field is not None and field in taken:
            field = None
        if field is not None:
            taken.add(field)
        out[h] = field
    return out


def detect_kind(sheet_name: str, headers: list[str], saved: dict[str, Any] | None = None) -> str | None:
    """The sheet kind of a sheet, from a mapping's ``_sheets``, its name, or its headers.

    By headers: the kind whose fields are recognised most often wins, provided the personal ID
    column is among them (every sheet is keyed by it).
    """
    fixed = ((saved or {}).get(SHEETS_KEY) or {}).get(sheet_name)
    if fixed is not None:
        return fixed or None
    name_key = key(sheet_name)
    for kind, names in SHEET_NAMES.items():
        if name_key in names:
            return kind
    best: tuple[int, str] | None = None
    for kind in SHEETS:
        mapped = {f for f in propose(kind, headers, saved).values() if f}
        if PID not in mapped:
            continue
        score = len(mapped)
        if best is None or score > best[0]:
            best = (score, kind)
    if best is None or best[0] < 2:
        return None
    return best[1]


def header_score(headers: list[str]) -> int:
    """How many headers are recognised by any sheet kind (finds the header row under titles)."""
    return sum(1 for h in headers if h and any(key(h) in table for table in HEADERS.values()))


GUIDE_SHEET = key("Hướng dẫn")


def is_template(sheets: list[Any]) -> bool:
    """Whether inspected sheets (``engine.SheetInfo``) are CanBo's template, filled in and saved
    by any program (Excel, LibreOffice, openpyxl): the guide sheet "Hướng dẫn" is still there
    (anywhere, hidden or not), and every other sheet with headers is named as a template sheet
    with every header recognised. Sheet order, dropped sheets or columns, styles and comments
    do not matter; such a file needs no column mapping."""
    if not any(key(s.name) == GUIDE_SHEET for s in sheets):
        return False
    found = False
    for s in sheets:
        if key(s.name) == GUIDE_SHEET or not any(s.headers):
            continue
        if s.kind is None or key(s.name) not in SHEET_NAMES[s.kind]:
            return False
        if any(h and f is None for h, f in s.proposed.items()):
            return False
        found = True
    return found


def proposed_mapping(sheets: list[Any]) -> dict[str, Any]:
    """The engine's mapping (as ``MappingForm.mapping`` builds it) that takes every proposal."""
    result: dict[str, Any] = {SHEETS_KEY: {}}
    for s in sheets:
        result[SHEETS_KEY][s.name] = s.kind or ""
        if s.kind:
            result[s.kind] = {h: f or "" for h, f in s.proposed.items() if h}
    return result
