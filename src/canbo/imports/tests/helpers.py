"""Build small workbooks for the import tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook


def make_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """Write ``{sheet title: rows}`` (first row = headers) to ``path``."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


PERSON_HEADERS = [
    "Số định danh cá nhân",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Tôn giáo",
    "Đối tượng",
    "Đơn vị quản lý hồ sơ",
]
