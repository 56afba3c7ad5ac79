"""Report layouts as data (``reports/data/layouts/*.toml``): rows × columns of a form.

A layout names its form, basis, confidence and the period it is the form of; its columns (and,
for a report by categories, its rows) carry a ``when`` condition on one person's facts as of the
report date (translated to SQL by ``statistics.condition_sql``). This module is the only place that
says what a condition may contain: an unknown key, kind or code is refused with a Vietnamese
message, so a wrong file fails when loaded, not as a silently empty column.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canbo.core.errors import DomainError
from canbo.org.choices import Level
from canbo.people.choices import QUALIFICATION_LEVELS, Category, Sex

LAYOUT_DIR = Path(__file__).resolve().parent / "data" / "layouts"

GRADE_GROUPS = {
    "cvcc": "Chuyên viên cao cấp và tương đương",
    "cvc": "Chuyên viên chính và tương đương",
    "cv": "Chuyên viên và tương đương",
    "can_su": "Cán sự và tương đương",
    "nhan_vien": "Nhân viên",
}

CONDITION_KEYS = {
    "sex",
    "minority",
    "religion",
    "party",
    "category",
    "grade",
    "level",
    "min_rank",
    "age_min",
    "age_max",
    "unit_level",
}


@dataclass(frozen=True)
class Cell:
    """A column, or a row of a report by categories."""

    key: str
    label: str
    when: dict[str, Any]
    group: str = ""


@dataclass(frozen=True)
class Layout:
    code: str
    name: str
    form: str
    basis: str
    confidence: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    rows: str  # "units" (the sub-units of the reporting unit) or "categories"
    population: dict[str, Any]
    columns: tuple[Cell, ...]
    row_cells: tuple[Cell, ...] = field(default=())

    def in_force(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def period(self) -> str:
        start = f"{self.valid_from:%d/%m/%Y}" if self.valid_from else "…"
        end = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "nay"
        return f"{start} – {end}"

    def column_groups(self) -> list[tuple[str, int]]:
        """Consecutive columns of the same group, as (group label, span), for two-row headers."""
        out: list[tuple[str, int]] = []
        for c in self.columns:
            if out and out[-1][0] == c.group and c.group:
                out[-1] = (c.group, out[-1][1] + 1)
            else:
                out.append((c.group, 1))
        return out


def check_condition(when: Any, where: str) -> dict[str, Any]:
    """``when`` checked key by key; a DomainError names the file, the cell and the bad key."""
    if not isinstance(when, dict):
        raise DomainError(f"{where}: điều kiện phải là một bảng khóa = giá trị.")
    for key, value in when.items():
        if key not in CONDITION_KEYS:
            raise DomainError(f"{where}: điều kiện “{key}” không được hỗ trợ.")
        if key == "sex" and value not in Sex.values:
            raise DomainError(f"{where}: giới tính “{value}” không hợp lệ.")
        if key in ("minority", "religion", "party") and not isinstance(value, bool):
            raise DomainError(f"{where}: “{key}” phải là true hoặc false.")
        if key == "category" and not (isinstance(value, list) and set(value) <= set(Category.values)):
            raise DomainError(f"{where}: đối tượng “{value}” không hợp lệ.")
        if key == "unit_level" and not (isinstance(value, list) and set(value) <= set(Level.values)):
            raise DomainError(f"{where}: cấp đơn vị “{value}” không hợp lệ.")
        if key == "grade" and not (isinstance(value, list) and set(value) <= set(GRADE_GROUPS)):
            raise DomainError(f"{where}: nhóm ngạch “{value}” không hợp lệ.")
        if key in ("age_min", "age_max") and not (isinstance(value, int) and 0 <= value <= 120):
            raise DomainError(f"{where}: tuổi “{value}” không hợp lệ.")
        if key in ("level", "min_rank"):
            if not isinstance(value, dict) or value.get("kind") not in QUALIFICATION_LEVELS:
                raise DomainError(f"{where}: loại trình độ “{value}” không hợp lệ.")
            codes = {c for c, _l, _r in QUALIFICATION_LEVELS[value["kind"]]} | {""}
            if key == "level" and not (
                isinstance(value.get("codes"), list) and set(value["codes"]) <= codes and len(value) == 2
            ):
                raise DomainError(f"{where}: mã trình độ “{value.get('codes')}” không hợp lệ.")
            if key == "min_rank" and not (isinstance(value.get("rank"), int) and len(value) == 2):
                raise DomainError(f"{where}: thứ bậc trình độ “{value.get('rank')}” không hợp lệ.")
    return dict(when)


def _cells(items: Any, where: str) -> tuple[Cell, ...]:
    if not isinstance(items, list) or not items:
        raise DomainError(f"{where}: thiếu danh sách cột/dòng.")
    out = []
    keys: set[str] = set()
    for i, item in enumerate(items, 1):
        extra = set(item) - {"key", "label", "group", "when"}
        if extra:
            raise DomainError(f"{where}, mục {i}: khóa không được hỗ trợ: {', '.join(sorted(extra))}.")
        key, label = item.get("key"), item.get("label")
        if not key or not label:
            raise DomainError(f"{where}, mục {i}: thiếu mã (key) hoặc tên (label).")
        if key in keys:
            raise DomainError(f"{where}: mã “{key}” bị trùng.")
        keys.add(key)
        when = check_condition(item.get("when", {}), f"{where}, “{label}”")
        out.append(Cell(key=key, label=label, when=when, group=item.get("group", "")))
    return tuple(out)


def parse_layout(data: dict[str, Any], where: str) -> Layout:
    known = {
        "code",
        "name",
        "form",
        "basis",
        "confidence",
        "valid_from",
        "valid_to",
        "rows",
        "population",
        "column",
        "row",
    }
    extra = set(data) - known
    if extra:
        raise DomainError(f"{where}: khóa không được hỗ trợ: {', '.join(sorted(extra))}.")
    for key in ("code", "name", "form", "basis", "confidence", "rows"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise DomainError(f"{where}: thiếu “{key}”.")
    if data["rows"] not in ("units", "categories"):
        raise DomainError(f"{where}: “rows” phải là units hoặc categories.")
    rows = _cells(data.get("row"), f"{where} (dòng)") if data["rows"] == "categories" else ()
    return Layout(
        code=data["code"],
        name=data["name"],
        form=data["form"],
        basis=data["basis"],
        confidence=data["confidence"],
        valid_from=data.get("valid_from"),
        valid_to=data.get("valid_to"),
        rows=data["rows"],
        population=check_condition(data.get("population", {}), f"{where} (đối tượng báo cáo)"),
        columns=_cells(data.get("column"), f"{where} (cột)"),
        row_cells=rows,
    )


@functools.cache
def layouts() -> dict[str, Layout]:
    """Every shipped layout by code, the current form first."""
    found: dict[str, Layout] = {}
    for path in sorted(LAYOUT_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            layout = parse_layout(tomllib.load(fh), path.name)
        found[layout.code] = layout
    return dict(sorted(found.items(), key=lambda kv: (kv[1].valid_to is not None, kv[0])))


def layout_for(code: str | None, day: dt.date) -> Layout:
    """The layout asked for, else the first one in force on ``day`` (BM01 before BM02)."""
    known = layouts()
    if code:
        if code not in known:
            raise DomainError(f"Không có mẫu báo cáo “{code}”.")
        return known[code]
    for layout in known.values():
        if layout.in_force(day):
            return layout
    return next(iter(known.values()))
