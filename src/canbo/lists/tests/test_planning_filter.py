"""The person list's "in a planning list" filter (quy_hoach), read as of the list's date."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from canbo.conftest import new_person
from canbo.org.models import Title
from canbo.planning import services
from canbo.planning.models import PlanningList


def names(response: Any) -> set[str]:
    assert response.status_code == 200
    body = response.content.decode()
    return {n for n in ("Nguyễn Thị Hoa", "Giàng A Páo", "Lê Văn Tám", "Trần Văn Bình") if n in body}


@pytest.fixture
def planned(tree: dict, users: dict, title: Title, person_a: Any, person_b: Any) -> dict[str, Any]:
    """Hoa (A1) planned 10/01/2025 and removed 01/06/2025; Páo (A) planned 01/03/2025 in a list of
    term 2025–2030; Bình (B) planned in district B's list; Tám (A1) never."""
    pao = new_person(tree["A"], "Giàng A Páo", sex="nam", born=dt.date(1992, 3, 1))
    tam = new_person(tree["A1"], "Lê Văn Tám", sex="nam", born=dt.date(1985, 8, 8))

    def make_list(unit: Any, user: Any, term: tuple[int, int]) -> PlanningList:
        return services.planning_list_create(
            acting_user=user,
            unit=unit,
            name=f"QH {unit.code}",
            kind="cap_uy",
            term_start=term[0],
            term_end=term[1],
        )

    a_list = make_list(tree["A"], users["officer_a"], (2025, 2030))
    a_old = make_list(tree["A1"], users["officer_a"], (2020, 2025))
    b_list = make_list(tree["B"], users["officer_b"], (2025, 2030))
    add = services.planning_entry_add
    hoa = add(
        acting_user=users["officer_a"],
        planning_list=a_old,
        person=person_a,
        title=title,
        added_on=dt.date(2025, 1, 10),
    )
    services.planning_entry_remove(
        acting_user=users["officer_a"], entry=hoa, removed_on=dt.date(2025, 6, 1), reason="Rà soát hằng năm"
    )
    add(
        acting_user=users["officer_a"],
        planning_list=a_list,
        person=pao,
        title=title,
        added_on=dt.date(2025, 3, 1),
    )
    add(
        acting_user=users["officer_b"],
        planning_list=b_list,
        person=person_b,
        title=title,
        added_on=dt.date(2025, 1, 1),
    )
    return {"pao": pao, "tam": tam}


def get(user: Any, **params: Any) -> Any:
    c = Client()
    c.force_login(user)
    return c.get("/can-bo/", params)


def test_filter_reads_the_list_date(users: dict, planned: dict) -> None:
    officer = users["officer_a"]
    assert names(get(officer, quy_hoach="co", ngay="09/01/2025")) == set()  # added later
    assert names(get(officer, quy_hoach="co", ngay="10/01/2025")) == {"Nguyễn Thị Hoa"}
    assert names(get(officer, quy_hoach="co", ngay="15/03/2025")) == {"Nguyễn Thị Hoa", "Giàng A Páo"}
    assert names(get(officer, quy_hoach="co", ngay="01/06/2025")) == {"Giàng A Páo"}  # removed that day
    assert names(get(officer, quy_hoach="khong", ngay="01/06/2025")) == {"Nguyễn Thị Hoa", "Lê Văn Tám"}
    assert names(get(officer, nhiem_ky_quy_hoach="2020-2025", ngay="15/03/2025")) == {"Nguyễn Thị Hoa"}
    assert names(get(officer, quy_hoach="co", nhiem_ky_quy_hoach="2025-2030", ngay="15/03/2025")) == {
        "Giàng A Páo"
    }
    assert get(officer, quy_hoach="co", nhiem_ky_quy_hoach="1999-2004").status_code == 400


def test_filter_stays_within_the_grants_and_combines_with_the_unit(
    users: dict, tree: dict, planned: dict
) -> None:
    # District B's officer sees Bình only; district A's officer never sees Bình, planned or not.
    assert names(get(users["officer_b"], quy_hoach="co", ngay="15/03/2025")) == {"Trần Văn Bình"}
    assert "Trần Văn Bình" not in names(get(users["officer_a"], quy_hoach="co", ngay="15/03/2025"))
    officer = users["officer_a"]
    assert names(get(officer, quy_hoach="co", don_vi=tree["A1"].pk, ngay="15/03/2025")) == {"Nguyễn Thị Hoa"}
    assert names(get(officer, quy_hoach="khong", don_vi=tree["A1"].pk, ngay="15/03/2025")) == {"Lê Văn Tám"}
    assert names(get(officer, quy_hoach="co", gioi_tinh="nam", ngay="15/03/2025")) == {"Giàng A Páo"}


def test_description_and_export_header_name_the_filter(users: dict, planned: dict) -> None:
    officer = users["officer_a"]
    page = get(officer, quy_hoach="co", nhiem_ky_quy_hoach="2025-2030", ngay="15/03/2025").content.decode()
    assert "Quy hoạch: Đang trong quy hoạch" in page and "Nhiệm kỳ quy hoạch: 2025–2030" in page
    c = Client()
    c.force_login(officer)
    r = c.get("/can-bo/xuat-excel/", {"quy_hoach": "co", "cot": ["ho_ten"], "ngay": "15/03/2025"})
    ws = load_workbook(io.BytesIO(r.getvalue())).active
    assert ws is not None
    first_column = [row[0] for row in ws.iter_rows(values_only=True)]
    assert "Quy hoạch: Đang trong quy hoạch" in first_column
    header = first_column.index("STT")
    assert [row[1] for row in list(ws.iter_rows(values_only=True))[header + 1 :]] == [
        "Nguyễn Thị Hoa",  # by given name: Hoa before Páo
        "Giàng A Páo",
    ]


def test_filter_counts_only_the_lists_the_user_may_see(
    users: dict, tree: dict, title: Title, planned: dict
) -> None:
    """A list kept above the officer's grants (the province's) does not show through his list."""
    province = services.planning_list_create(
        acting_user=users["admin"],
        unit=tree["P"],
        name="QH tỉnh",
        kind="lanh_dao_quan_ly",
        term_start=2025,
        term_end=2030,
    )
    services.planning_entry_add(
        acting_user=users["admin"],
        planning_list=province,
        person=planned["tam"],
        title=title,
        added_on=dt.date(2025, 2, 1),
    )
    assert "Lê Văn Tám" not in names(get(users["officer_a"], quy_hoach="co", ngay="15/03/2025"))
    assert "Lê Văn Tám" in names(get(users["officer_a"], quy_hoach="khong", ngay="15/03/2025"))
    assert "Lê Văn Tám" in names(get(users["admin"], quy_hoach="co", ngay="15/03/2025"))
    # Nor on his page.
    c = Client()
    c.force_login(users["officer_a"])
    assert 'id="quy-hoach"' not in c.get(f"/can-bo/{planned['tam'].pk}/").content.decode()
    c.force_login(users["admin"])
    assert 'id="quy-hoach"' in c.get(f"/can-bo/{planned['tam'].pk}/").content.decode()
