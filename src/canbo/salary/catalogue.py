"""The salary reference data shipped in ``salary/data/*.toml``, read as plain values (used by
``services.catalogues_load`` and by the data migration that seeds the catalogue)."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def _read(name: str) -> dict[str, Any]:
    with (DATA / name).open("rb") as fh:
        return tomllib.load(fh)


def groups() -> list[dict[str, Any]]:
    """Every group with Decimal figures; the last step is checked against ``last``."""
    out = []
    for g in _read("scales.toml")["group"]:
        first, inc = Decimal(g["first"]), Decimal(g["increment"])
        last = first + (g["steps"] - 1) * inc
        if last != Decimal(g["last"]):
            raise ValueError(f"scales.toml: {g['code']} ends at {last}, not {g['last']}")
        out.append(
            {
                "code": g["code"],
                "name": g["name"],
                "steps": g["steps"],
                "first": first,
                "increment": inc,
                "basis": g["basis"],
                "confidence": g["confidence"],
            }
        )
    return out


def grades() -> list[dict[str, Any]]:
    return list(_read("grades.toml")["grade"])


def base_salaries() -> list[dict[str, Any]]:
    rows = list(_read("base_salary.toml")["base"])
    for row in rows:
        assert isinstance(row["valid_from"], dt.date)  # noqa: S101 (invariant; narrows the type for mypy)
    return rows
