"""Every field of every dossier section survives an edit, through the form and the API.

Issue 14: the award's achievement was the model field ``reason``, the name of the change log's
reason too: through the API it went to the log and was never stored; in the form, any edit
overwrote it with the edit's reason. This test walks every section of the registry
(``people/sections.py``): a record is created through the API with every field filled, edited
through the page with a reason, then through the API with another reason, and after each step
every field must read back as it was written.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from canbo.conftest import REASON_HEADERS, kept_person_a, kept_tree, kept_users, make_unit
from canbo.org.choices import Level, UnitKind
from canbo.people import services
from canbo.people.models import Person
from canbo.people.sections import SECTIONS

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

# Per section: every form field with a value that is not its default, and the field the edits
# change (the others must stay as they are).
VALUES: dict[str, tuple[dict[str, Any], str]] = {
    "tuyen-dung-nghi-huu": (
        {
            "kind": "tuyen_dung",
            "event_date": "2005-09-01",
            "decision_number": "45/QĐ-UBND",
            "decision_date": "2005-08-25",
            "issuing_body": "UBND huyện A",
            "details": "Thi tuyển công chức",
        },
        "details",
    ),
    "dien-bien-luong": (
        {
            "grade": "@grade",
            "step": 3,
            "coefficient": "3.00",
            "beyond_frame_percent": 0,
            "position_allowance": "0.20",
            "other_allowance": "Phụ cấp công vụ",
            "from_date": "2021-01-01",
            "step_since": "2021-01-01",
            "decision_number": "5/QĐ-UBND",
            "decision_date": "2020-12-20",
        },
        "other_allowance",
    ),
    "chuc-vu": (
        {
            "unit": "@A1",
            "title": "@title",
            "kind": "bo_nhiem",
            "is_primary": True,
            "start_date": "2020-01-01",
            "end_date": "2024-12-31",
            "end_reason": "Hết thời hạn bổ nhiệm",
            "decision_number": "12/QĐ-UBND",
            "decision_date": "2019-12-20",
            "decision_body": "UBND huyện A",
        },
        "decision_body",
    ),
    "cap-uy-hdnd": (
        {
            "body": "@party",
            "kind": "cap_uy",
            "role": "Ủy viên",
            "term": "2020-2025",
            "start_date": "2020-10-01",
            "end_date": "2025-09-30",
            "decision_number": "5-QĐ/HU",
        },
        "role",
    ),
    "trinh-do": (
        {
            "kind": "ngoai_ngu",
            "level": "b2",
            "original_name": "Chứng chỉ tiếng Anh B2",
            "field_of_study": "Ngôn ngữ Anh",
            "language": "Tiếng Anh",
            "institution": "Trường Đại học Hà Nội",
            "mode": "tai_chuc",
            "start_date": "2018-01-01",
            "obtained_date": "2019-05-01",
        },
        "institution",
    ),
    "dang-tich": (
        {
            "admission_date": "2005-05-19",
            "official_date": "2006-05-19",
            "card_number": "123456",
            "party_cell": "Chi bộ Phòng Nội vụ",
            "left_date": "2024-01-01",
            "left_reason": "Chuyển sinh hoạt",
        },
        "party_cell",
    ),
    "qua-trinh-cong-tac": (
        {
            "start_date": "2001-03-01",
            "start_precision": "m",
            "end_date": "2005-12-01",
            "end_precision": "m",
            "description": "Chuyên viên Phòng Nội vụ huyện A",
        },
        "description",
    ),
    "khen-thuong": (
        {
            "form": "Bằng khen của Chủ tịch UBND tỉnh",
            "year": 2021,
            "decision_number": "99/QĐ-KT",
            "decision_date": "2021-12-10",
            "issuing_body": "UBND tỉnh",
            "achievement": "Hoàn thành xuất sắc nhiệm vụ năm 2021",
        },
        "issuing_body",
    ),
    "ky-luat": (
        {
            "system": "chinh_quyen",
            "form": "khien_trach",
            "decision_number": "1/QĐ-KL",
            "decision_date": "2022-03-01",
            "effective_date": "2022-03-05",
            "announced_date": "2022-03-06",
            "issuing_body": "UBND huyện A",
            "violation": "Chậm thực hiện nhiệm vụ được giao",
            "duty_related": True,
        },
        "violation",
    ),
    "danh-gia": (
        {
            "system": "chinh_quyen",
            "period": "quy",
            "year": 2022,
            "quarter": 2,
            "level": "htt",
            "score": "85.50",
            "decision_date": "2022-07-10",
            "rated_by": "UBND huyện A",
        },
        "rated_by",
    ),
    "tin-nhiem": (
        {
            "vote_date": "2023-06-01",
            "body_kind": "hdnd",
            "body": "HĐND huyện A",
            "position": "Phó Chủ tịch UBND huyện",
            "convened": 30,
            "present": 28,
            "ballots": 28,
            "high": 20,
            "medium": 5,
            "low": 2,
        },
        "position",
    ),
    "suc-khoe": (
        {
            "check_date": "2023-03-01",
            "status": "kha",
            "height_cm": 165,
            "weight_kg": 60,
            "blood_group": "O",
            "notes": "Huyết áp bình thường",
        },
        "notes",
    ),
    "gia-dinh": (
        {
            "relation": "bo",
            "spouse_side": True,
            "full_name": "Trần Văn Bố",
            "birth_year": 1950,
            "details": "Nông dân, xã Bát Xát",
            "deceased": True,
        },
        "details",
    ),
    "lich-su-ban-than": (
        {"kind": "than_nhan_nuoc_ngoai", "period": "2010–2015", "description": "Có em ruột ở nước ngoài"},
        "description",
    ),
    "tieu-chuan-chinh-tri": (
        {
            "conclusion_date": "2023-05-01",
            "issuing_body": "Ban Tổ chức Huyện ủy",
            "meets_standard": True,
            "ceiling": "Trưởng phòng",
            "content": "Đủ tiêu chuẩn chính trị",
        },
        "content",
    ),
    "tai-san": (
        {
            "kind": "hang_nam",
            "year": 2023,
            "declared_date": "2023-12-20",
            "receiving_body": "Ủy ban Kiểm tra Huyện ủy",
            "summary": "Nhà ở, đất ở",
        },
        "summary",
    ),
    "tai-lieu": ({"kind": "quyet_dinh", "title": "Quyết định bổ nhiệm"}, "title"),
}


def test_every_section_has_values() -> None:
    assert {s.slug for s in SECTIONS} == set(VALUES)
    for spec in SECTIONS:
        values, _changed = VALUES[spec.slug]
        expected = set(spec.form_fields) | {
            f"{p}_{s}" for p in spec.partial_dates for s in ("date", "precision")
        }
        assert set(values) == expected, spec.slug


@pytest.fixture
def refs(tree: dict, title: Any) -> dict[str, int]:
    party = make_unit(tree["A"], "HU", "Huyện ủy A", kind=UnitKind.PARTY_COMMITTEE, level=Level.DISTRICT)
    from canbo.salary.models import Grade

    grade = Grade.objects.get(code="01.003")  # Chuyên viên, group A1 (loaded by migration salary 0002)
    return {"@A1": tree["A1"].pk, "@title": title.pk, "@party": party.pk, "@grade": grade.pk}


def _resolve(values: dict[str, Any], refs: dict[str, int]) -> dict[str, Any]:
    return {k: refs.get(v, v) if isinstance(v, str) else v for k, v in values.items()}


def _form_data(spec: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The page's form posted with ``values`` (partial dates as the form writes them)."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if name.endswith("_precision"):
            continue
        if name.endswith("_date") and name.removesuffix("_date") in spec.partial_dates:
            y, m, _d = value.split("-")
            data[f"{name.removesuffix('_date')}_partial"] = f"{m}/{y}"
        elif value is True:
            data[name] = "on"
        elif value is False or value is None:
            continue
        else:
            data[name] = str(value)
    return data


def _read(c: Client, url: str) -> dict[str, Any]:
    response = c.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def _assert_fields(record: dict[str, Any], values: dict[str, Any], slug: str, step: str) -> None:
    for name, value in values.items():
        assert record[name] == value, (slug, step, name, record[name], value)


@pytest.mark.parametrize("spec", SECTIONS, ids=[s.slug for s in SECTIONS])
def test_every_field_survives_edits_by_form_and_api(
    users: dict, person_a: Person, refs: dict, spec: Any
) -> None:
    c = Client(headers=REASON_HEADERS)
    c.force_login(users["officer_a"])
    values = _resolve(VALUES[spec.slug][0], refs)
    changed = VALUES[spec.slug][1]
    base = f"/api/persons/{person_a.pk}/{spec.slug}/"

    if spec.upload:
        pdf = SimpleUploadedFile("qd.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        record = services.attachment_add(
            acting_user=users["officer_a"], person=person_a, upload=pdf, kind=values["kind"],
            title=values["title"], reason="Tải lên",
        )  # fmt: skip
        pk = record.pk
    else:
        created = c.post(
            base, json.dumps({**values, "reason": "Bổ sung hồ sơ"}), content_type="application/json"
        )
        assert created.status_code == 201, created.content[:800]
        pk = created.json()["id"]
    url = f"{base}{pk}/"
    _assert_fields(_read(c, url), values, spec.slug, "create (API)")

    if not spec.upload:  # scans are replaced, not edited, on the page
        values = {**values, changed: f"{values[changed]} (sửa trên trang)"}
        edit = reverse("people:section_edit", args=[person_a.pk, spec.slug, pk])
        data = {
            **_form_data(spec, values),
            "reason": "QĐ 1/QĐ-UBND",
            "row_version": _read(c, url)["row_version"],
        }
        response = c.post(edit, data)
        assert response.status_code == 302, response.context["form"].errors.as_text()
        _assert_fields(_read(c, url), values, spec.slug, "edit (page)")

    values = {**values, changed: f"{values[changed]} (sửa qua API)"}
    patch = {changed: values[changed], "reason": "QĐ 2/QĐ-UBND", "row_version": _read(c, url)["row_version"]}
    response = c.patch(url, json.dumps(patch), content_type="application/json")
    assert response.status_code == 200, response.content[:800]
    _assert_fields(_read(c, url), values, spec.slug, "edit (API)")
