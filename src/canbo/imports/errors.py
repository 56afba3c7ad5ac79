"""What goes wrong in an import: a refused file, or problems in cells.

The bottom of the import modules (issue 15): every step (reader, validate, apply, workbooks,
org_import) raises or collects these, and this module imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from canbo.core.errors import DomainError


@dataclass(frozen=True)
class CellError:
    """One problem in one cell (or row) of the uploaded workbook.

    ``row`` is the Excel row number; ``column`` is the column letter and its header, e.g.
    ``"C (Ngày sinh)"``, or empty for a problem of the whole row.
    """

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.sheet:  # a problem of the whole file
            return self.message
        where = f"Sheet {self.sheet}, dòng {self.row}"
        if self.column:
            where += f", cột {self.column}"
        return f"{where}: {self.message}"


class RefusedFile(DomainError):
    """The file is not a spreadsheet we will read (hostile, unreadable or over the limits)."""

    code = "refused_file"
