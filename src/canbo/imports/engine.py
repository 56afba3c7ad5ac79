"""The import engine's public API: inspect, map, validate every row, then write all or nothing.

Views, background jobs and the ``import_xlsx`` command call only the functions of this module
(STYLE.md convention 8). The work is split by step:

- ``reader.py``: refuses hostile files (signature, zip bomb, macros, DTDs, sheet extents,
  limits) and reads the sheets with python-calamine, cells given as openpyxl gave them;
- ``schema.py``: the sheet kinds, their fields and Vietnamese headers;
- ``mapping.py``: proposes which column is which field;
- ``parsers.py``: values as people write them (dates, sex, levels, codes or names);
- ``validate.py``: checks every row of every sheet and collects every error;
- ``apply.py``: writes everything in one transaction with its change-log entries;
- ``workbooks.py``: the template and the workbook given back with an error column;
- ``errors.py`` and ``result.py``: the types every step shares (``CellError``,
  ``RefusedFile``, ``ImportResult``, ``Progress``), re-exported here; they import no other
  step, so the modules import each other in no circle (``tests/test_import_cycles.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canbo.core.types import ActingUser
from canbo.imports.errors import CellError, RefusedFile
from canbo.imports.result import WRITING, ImportResult, Progress

__all__ = [
    "WRITING",
    "CellError",
    "ImportResult",
    "Progress",
    "RefusedFile",
    "SheetInfo",
    "error_workbook",
    "field_choices",
    "inspect_workbook",
    "run_import",
    "sheet_kinds",
    "template_workbook",
]


@dataclass(frozen=True)
class SheetInfo:
    """One sheet as found in an uploaded workbook, with the proposed column mapping.

    ``kind`` is the detected sheet kind (``"can_bo"``, ``"trinh_do"``…) or None; ``proposed``
    maps each header to a field name, or None when no field was recognised.
    """

    name: str
    kind: str | None
    headers: list[str]
    rows: int
    proposed: dict[str, str | None]


def inspect_workbook(path: Path) -> list[SheetInfo]:
    """Check the file (raises RefusedFile) and describe its sheets with a proposed mapping."""
    from canbo.imports import mapping as mapping_mod
    from canbo.imports import reader

    book = reader.open_workbook(path)
    try:
        infos = []
        for sheet in book.sheets():
            kind = mapping_mod.detect_kind(sheet.name, sheet.headers)
            proposed = mapping_mod.propose(kind, sheet.headers) if kind else {h: None for h in sheet.headers}
            rows = sheet.data_rows
            if not rows and sheet.headers:  # an empty sheet below its header
                rows = sum(1 for _row in sheet.rows())
            infos.append(SheetInfo(sheet.name, kind, list(sheet.headers), rows, proposed))
        return infos
    finally:
        book.close()


def field_choices(kind: str) -> list[tuple[str, str]]:
    """(field name, Vietnamese label) of every field of a sheet kind, for the mapping form."""
    from canbo.imports.schema import SHEETS

    return [(f.name, f.label) for f in SHEETS[kind].fields]


def sheet_kinds() -> list[tuple[str, str]]:
    """(kind, Vietnamese sheet title) of every sheet kind, in template order."""
    from canbo.imports.schema import SHEETS

    return [(k, s.title) for k, s in SHEETS.items()]


def run_import(
    *,
    path: Path,
    acting_user: ActingUser,
    mapping: dict[str, Any] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    reason: str = "",
) -> ImportResult:
    """Read, validate every row of every sheet, and write all or nothing.

    ``mapping`` is ``{sheet_kind: {header_text: field_name}}`` (a saved or corrected mapping);
    sheets and headers it does not mention are mapped by the proposal. ``acting_user=None``
    acts as the system (no scope limit). ``reason`` defaults to
    "Nhập từ tệp <name> (<sha256[:12]>)". Raises RefusedFile for a hostile file.
    """
    from canbo.imports.apply import run

    return run(
        path=path, acting_user=acting_user, mapping=mapping, dry_run=dry_run, progress=progress, reason=reason
    )


def error_workbook(path: Path, errors: list[CellError]) -> bytes:
    """The uploaded workbook with an extra column "Lỗi" on each sheet listing that row's errors."""
    from canbo.imports.workbooks import build_error_workbook

    return build_error_workbook(path, errors)


def template_workbook() -> bytes:
    """The documented template (docs/huong-dan/nhap-du-lieu.md), one sheet per kind."""
    from canbo.imports.workbooks import build_template

    return build_template()
