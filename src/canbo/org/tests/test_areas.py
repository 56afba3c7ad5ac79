"""The administrative-area catalogue: counts, idempotence and lineage across 1/7/2025."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canbo.core.models import ObjectChange
from canbo.org.choices import AreaLevel
from canbo.org.models import AdminArea, AreaLineage
from canbo.org.services import areas_load

pytestmark = pytest.mark.django_db

CUR, OLD = AdminArea.Dataset.CURRENT, AdminArea.Dataset.FORMER


def _count(dataset: str, level: str) -> int:
    return AdminArea.objects.filter(dataset=dataset, level=level).count()


def test_load_counts_and_is_idempotent() -> None:
    first = areas_load()
    assert _count(CUR, AreaLevel.PROVINCE) == 34
    assert _count(CUR, AreaLevel.COMMUNE) == 3321
    assert _count(OLD, AreaLevel.PROVINCE) == 63
    assert _count(OLD, AreaLevel.DISTRICT) == 9
    assert _count(OLD, AreaLevel.COMMUNE) == 152
    total = 34 + 3321 + 63 + 9 + 152
    assert first["areas_created"] == first["areas_total"] == total
    assert first["lineage_created"] == AreaLineage.objects.count() == 63 + 152
    assert ObjectChange.objects.filter(reason="Nạp danh mục đơn vị hành chính").count() == total + 63 + 152

    log_count = ObjectChange.objects.count()
    second = areas_load()
    assert second["areas_created"] == 0
    assert second["lineage_created"] == 0
    assert second["areas_total"] == total
    assert AreaLineage.objects.count() == 63 + 152
    assert ObjectChange.objects.count() == log_count


def test_lineage_and_validity() -> None:
    areas_load()
    old_lao_cai = AdminArea.objects.get(dataset=OLD, level=AreaLevel.PROVINCE, code="10")
    old_yen_bai = AdminArea.objects.get(dataset=OLD, level=AreaLevel.PROVINCE, code="15")
    new_lao_cai = AdminArea.objects.get(dataset=CUR, level=AreaLevel.PROVINCE, code="15")
    assert old_lao_cai.name == new_lao_cai.name == "Tỉnh Lào Cai"
    assert old_yen_bai.name == "Tỉnh Yên Bái"
    assert old_lao_cai.successors() == [new_lao_cai]
    assert old_yen_bai.current_areas() == [new_lao_cai]
    assert new_lao_cai.current_areas() == [new_lao_cai]
    assert old_lao_cai.valid_to == dt.date(2025, 6, 30)
    assert new_lao_cai.valid_from == dt.date(2025, 7, 1) and new_lao_cai.valid_to is None
    assert old_lao_cai.in_force_on(dt.date(2025, 6, 30)) and not old_lao_cai.in_force_on(dt.date(2025, 7, 1))
    assert new_lao_cai.in_force_on(dt.date(2025, 7, 1)) and not new_lao_cai.in_force_on(dt.date(2025, 6, 30))

    # A former commune: Thị trấn Bát Xát (02683) became the 2025 Xã Bát Xát, which reuses its code.
    old_bat_xat = AdminArea.objects.get(dataset=OLD, level=AreaLevel.COMMUNE, code="02683")
    new_bat_xat = AdminArea.objects.get(dataset=CUR, level=AreaLevel.COMMUNE, code="02683")
    assert old_bat_xat.name == "Thị trấn Bát Xát" and new_bat_xat.name == "Xã Bát Xát"
    assert old_bat_xat.parent is not None and old_bat_xat.parent.name == "Huyện Bát Xát"
    assert old_bat_xat.parent.parent == old_lao_cai
    assert old_bat_xat.current_areas() == [new_bat_xat]
    assert new_bat_xat.parent == new_lao_cai

    # Tà Chải ended on 31/10/2024; its successor is the transitive one.
    ta_chai = AdminArea.objects.get(dataset=OLD, level=AreaLevel.COMMUNE, code="02872")
    assert ta_chai.valid_to == dt.date(2024, 10, 31)
    assert [a.code for a in ta_chai.current_areas()] == ["02839"]

    # Every former Lào Cai commune leads to a 2025 commune of the new Lào Cai.
    for commune in AdminArea.objects.filter(dataset=OLD, level=AreaLevel.COMMUNE):
        current = commune.current_areas()
        assert len(current) == 1, commune
        assert current[0].parent == new_lao_cai, commune
    assert AdminArea.objects.filter(dataset=CUR, level=AreaLevel.COMMUNE, parent=new_lao_cai).count() == 99


def test_a_first_load_writes_each_file_at_once_with_the_ids_in_the_files_order(
    django_assert_max_num_queries: Any,
) -> None:
    """The 3,579 new areas are written a file at a time (one statement per file, a few on SQLite:
    its limit on a statement's parameters), not one insert each: their ids follow the files'
    order as one insert each gave them, and each has its change-log entry, in that order."""
    from canbo.org.services import _read_csv

    with django_assert_max_num_queries(120):
        areas_load()
    files = [
        ("provinces_2025.csv", CUR, AreaLevel.PROVINCE),
        ("provinces_pre2025.csv", OLD, AreaLevel.PROVINCE),
        ("communes_2025.csv", CUR, AreaLevel.COMMUNE),
        ("laocai_districts_pre2025.csv", OLD, AreaLevel.DISTRICT),
        ("laocai_communes_pre2025.csv", OLD, AreaLevel.COMMUNE),
    ]
    expected = [(dataset, level, row["code"]) for name, dataset, level in files for row in _read_csv(name)]
    areas = list(AdminArea.objects.order_by("id").values_list("id", "dataset", "level", "code"))
    assert [a[1:] for a in areas] == expected and len(expected) == 3579
    logged = ObjectChange.objects.filter(content_type__model="adminarea").order_by("id")
    assert list(logged.values_list("object_id", flat=True)) == [a[0] for a in areas]
