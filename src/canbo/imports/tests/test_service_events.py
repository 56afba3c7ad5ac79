"""Import of service events: the "Tuyển dụng, nghỉ hưu" sheet and the person sheet's service
columns become ``ServiceEvent`` rows, and the persons' periods of service follow them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from canbo.conftest import reference_data
from canbo.core.models import ObjectChange
from canbo.imports import engine
from canbo.imports.tests.helpers import PERSON_HEADERS, make_xlsx
from canbo.people.models import Person, ServiceEvent
from canbo.people.service_history import in_service_q
from canbo.people.validators import make_personal_id

pytestmark = pytest.mark.django_db

P1 = make_personal_id(province_prefix="010", sex="nu", birth_year=1980, serial=910001)
P2 = make_personal_id(province_prefix="010", sex="nam", birth_year=1960, serial=910002)
SERVICE_HEADERS = ["Số định danh cá nhân", "Sự kiện", "Ngày hiệu lực", "Số quyết định", "Lý do, ghi chú"]


@pytest.fixture
def ready(tree: Any, title: Any) -> dict[str, Any]:
    reference_data()
    return tree


def book(
    tmp_path: Path, service_rows: list[list[Any]], person_extra: tuple[list[str], list[Any]] | None = None
) -> Path:
    headers, p2_extra = person_extra or ([], [])
    return make_xlsx(
        tmp_path / "canbo.xlsx",
        {
            "Cán bộ": [
                PERSON_HEADERS + headers,
                [P1, "Nguyễn Thị Hoa", "Nữ", "17/05/1980", "Kinh", "Không", "Công chức", "A1"]
                + [None] * len(headers),
                [P2, "Lò Văn Bình", "Nam", "02/03/1960", "Kinh", "Không", "Cán bộ", "A1", *p2_extra],
            ],
            "Tuyển dụng, nghỉ hưu": [SERVICE_HEADERS, *service_rows],
        },
    )


def test_service_sheet_writes_events_and_the_periods_follow(ready: Any, tmp_path: Path) -> None:
    path = book(
        tmp_path,
        [
            [P1, "Tuyển dụng", "01/09/2003", "125/QĐ-UBND", ""],
            [P2, "Tuyển dụng", "01/08/1982", "", ""],
            [P2, "Nghỉ hưu", "01/04/2020", "88/QĐ-UBND", "Đủ tuổi nghỉ hưu"],
        ],
    )
    result = engine.run_import(path=path, acting_user=None)
    assert result.ok, [str(e) for e in result.errors]
    hoa, binh = Person.objects.get(personal_id=P1), Person.objects.get(personal_id=P2)
    assert (hoa.recruitment_date, hoa.service_from, hoa.service_until) == (dt.date(2003, 9, 1),) * 2 + (None,)
    assert binh.service_until == binh.left_service_date == dt.date(2020, 4, 1)
    assert binh.service_end_kind == "nghi_huu" and binh.left_service_reason == "Nghỉ hưu"
    assert ServiceEvent.objects.filter(person=binh).count() == 2
    serving = set(
        Person.objects.filter(in_service_q(dt.date(2021, 1, 1))).values_list("personal_id", flat=True)
    )
    assert serving == {P1}
    serving = set(
        Person.objects.filter(in_service_q(dt.date(2000, 1, 1))).values_list("personal_id", flat=True)
    )
    assert serving == {P2}  # Hoa was recruited in 2003
    # The events and the persons' derived fields are in the change log, as the import's.
    events = ObjectChange.objects.filter(content_type__model="serviceevent", source="import")
    assert events.count() == 3
    assert ObjectChange.objects.filter(
        content_type__model="person", object_id=binh.pk, action="update"
    ).exists()


def test_person_sheet_service_columns_become_events(ready: Any, tmp_path: Path) -> None:
    headers = ["Ngày tuyển dụng", "Ngày thôi công tác", "Lý do thôi công tác"]
    path = book(tmp_path, [], (headers, ["01/08/1982", "01/04/2020", "Chuyển công tác ra ngoài tỉnh"]))
    result = engine.run_import(path=path, acting_user=None)
    assert result.ok, [str(e) for e in result.errors]
    binh = Person.objects.get(personal_id=P2)
    kinds = list(
        ServiceEvent.objects.filter(person=binh).order_by("event_date").values_list("kind", flat=True)
    )
    assert kinds == ["tuyen_dung", "chuyen_di"]
    assert (binh.recruitment_date, binh.service_until, binh.service_end_kind) == (
        dt.date(1982, 8, 1),
        dt.date(2020, 4, 1),
        "chuyen_di",
    )


def test_bad_service_rows_are_reported_and_nothing_is_written(ready: Any, tmp_path: Path) -> None:
    path = book(
        tmp_path,
        [
            [P1, "Đi du lịch", "01/09/2003", "", ""],
            [P2, "Tuyển dụng", "01/09/2099", "", ""],
        ],
    )
    result = engine.run_import(path=path, acting_user=None)
    assert not result.ok
    messages = " ".join(str(e) for e in result.errors)
    assert "Sự kiện" in messages and "tương lai" in messages
    assert not Person.objects.filter(personal_id__in=[P1, P2]).exists()
    assert not ServiceEvent.objects.exists()
