"""Rule parameters as a personnel officer reads them: a Vietnamese label and a value with its
unit ("Tuổi nghỉ hưu của nam: 60 tuổi", "Tỷ lệ nữ tối thiểu: 25%", "Đang áp dụng: Không").

Labels and units are data, next to the rules: ``data/param_labels.toml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from canbo.rules.engine.rulebook import DATA_DIR, read_toml

LABELS_FILE = "param_labels.toml"


@dataclass(frozen=True)
class ParamLabel:
    label: str
    unit: str
    choices: dict[str, str]


@dataclass(frozen=True)
class ParamRow:
    """One parameter as shown: its label, its value in words, and its internal name (for the
    administrator's form only)."""

    name: str
    label: str
    text: str


@lru_cache(maxsize=4)
def _labels(data_dir: Path = DATA_DIR) -> tuple[dict[str, ParamLabel], dict[tuple[str, str], ParamLabel]]:
    data = read_toml(data_dir / LABELS_FILE)

    def make(row: dict[str, Any]) -> ParamLabel:
        return ParamLabel(row["label"], row.get("unit", "so"), dict(row.get("choices", {})))

    default = {name: make(row) for name, row in data.get("param", {}).items()}
    per_rule = {
        (rule_id, name): make(row)
        for rule_id, rows in data.get("rule", {}).items()
        for name, row in rows.items()
    }
    return default, per_rule


def label_for(rule_id: str, name: str) -> ParamLabel | None:
    default, per_rule = _labels()
    return per_rule.get((rule_id, name)) or default.get(name)


def _number(value: float) -> str:
    """A number as Vietnamese writes it: decimal comma, no trailing zeros."""
    if float(value) == int(value):
        return f"{int(value):,}".replace(",", ".")
    return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")


def _age(months: int) -> str:
    years, rest = divmod(int(months), 12)
    return f"{years} tuổi" + (f" {rest} tháng" if rest else "")


def _date(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)


def format_value(label: ParamLabel | None, value: Any) -> str:
    """``value`` in words for its unit; a value of another type than the unit expects is shown
    as written rather than refused."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    unit = label.unit if label else "so"
    choices = label.choices if label else {}
    if isinstance(value, list):
        return ", ".join(choices.get(str(v), str(v)) for v in value) or "—"
    if unit in ("lua_chon", "danh_sach"):
        return choices.get(str(value), str(value))
    if unit == "ngay_thang":
        return _date(value)
    if unit == "phan_so":
        return str(value)
    if not isinstance(value, int | float):
        return str(value)
    suffix = {
        "thang": " tháng",
        "thang_tuoi": " tháng tuổi",
        "nam": " năm",
        "nam_tuoi": " tuổi",
        "ngay": " ngày",
        "ngay_lam_viec": " ngày làm việc",
        "diem": " điểm",
        "nguoi": " người",
    }
    if unit == "tuoi":
        return _age(int(value))
    if unit == "ty_le":
        return _number(round(float(value) * 100, 4)) + "%"
    if unit == "nam_lich":
        return str(int(value))
    if unit == "thang_trong_nam":
        return f"tháng {int(value)}"
    return _number(value) + suffix.get(unit, "")


def param_rows(rule_id: str, params: dict[str, Any]) -> list[ParamRow]:
    """Every parameter of a version, labelled, in the order the rule lists them."""
    rows = []
    for name, value in params.items():
        label = label_for(rule_id, name)
        rows.append(ParamRow(name, label.label if label else name, format_value(label, value)))
    return rows


def unit_hint(rule_id: str, name: str) -> str:
    """How the administrator types a new value of this parameter (the form's help text)."""
    label = label_for(rule_id, name)
    unit = label.unit if label else "so"
    return {
        "tuoi": "Nhập số tháng tuổi (ví dụ 720 = 60 tuổi).",
        "ty_le": "Nhập tỷ lệ dạng số thập phân (ví dụ 0,25 = 25%).",
        "co_khong": "Nhập có hoặc không.",
        "ngay_thang": "Nhập ngày dạng yyyy-mm-dd.",
        "phan_so": "Nhập phân số (ví dụ 2/3).",
        "thang": "Số tháng.",
        "nam": "Số năm.",
        "ngay": "Số ngày.",
        "ngay_lam_viec": "Số ngày làm việc.",
        "diem": "Số điểm.",
    }.get(unit, "")
