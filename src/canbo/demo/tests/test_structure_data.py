"""The demo province's specs as data (data/province.toml, data/titles.toml; issue 15).

The generated demo is the one the Python literals gave (checked once by dumping units, titles,
posts, lineage and the people checksum before and after the move); these tests keep the data
files consistent: valid choice values, unique codes, and every reference resolved.
"""

from __future__ import annotations

import tomllib

from canbo.demo.structure import (
    AGENCIES,
    DATA_DIR,
    DISTRICT_SERVICES,
    MERGES_INTO,
    NEW_AGENCIES,
    SERVICE_UNITS,
    load_province,
)
from canbo.org.choices import Block, HeadKind, Level, ManagementScope, TitleGroup


def test_titles_use_valid_choices_and_unique_codes() -> None:
    with (DATA_DIR / "titles.toml").open("rb") as fh:
        titles = tomllib.load(fh)["titles"]
    codes = [t["code"] for t in titles]
    assert len(codes) == len(set(codes))
    for t in titles:
        assert t["level"] in Level.values, t
        assert t["group"] in TitleGroup.values, t
        assert t["block"] in Block.values, t
        assert t["head"] in HeadKind.values, t
        assert t["scope"] in ManagementScope.values, t
        assert isinstance(t["rank"], int) and t["name"], t
        assert t["code"].split(".")[0] in ("T", "H", "X"), t


def test_every_reference_in_province_toml_resolves() -> None:
    data = load_province()
    agencies = {code for code, *_ in AGENCIES} | {code for code, *_ in NEW_AGENCIES}
    assert len(agencies) == len(AGENCIES) + len(NEW_AGENCIES)
    for code, _name, sources in NEW_AGENCIES:
        assert set(sources) <= agencies, code
    for source, into in MERGES_INTO:
        assert {source, into} <= agencies
    for unit in data["service_units"]:
        assert unit["parent"] in agencies | {"UB", "TU"}, unit
        assert unit.get("division_list", "hospital") in data["division_lists"], unit
    assert all(divs is not None for *_rest, divs in SERVICE_UNITS)
    for code, _name, staff, successor in DISTRICT_SERVICES:
        assert staff in ("yte", "gd", "vc") and successor in agencies | {""}, code
    assert set(data["district"]["urban_renames"]) <= set(data["district"]["divisions"])
    assert set(data["new_commune"]["ward_renames"]) <= set(data["new_commune"]["divisions"])
    assert {f"X.M{m}" for m in data["commune"]["mass_titles"]} <= set(data["titles"])
