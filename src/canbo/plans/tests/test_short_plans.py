"""Short plans as an officer pastes them (issue 14): lead names stop at the verb, the catalogue
ignores the province suffix, a generic lead stands for the units it names (each reports),
deadlines are read anywhere in the task's sentence, "năm thứ N nhiệm kỳ" counts from the term of
the issuing body, a task without a deadline is flagged, and "Mục tiêu" is not a task."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from canbo.conftest import make_unit
from canbo.org.choices import Level, UnitKind
from canbo.org.models import Unit
from canbo.plans import services
from canbo.plans.deadlines import RECURRING, Schedule, body_term_start
from canbo.plans.extract import (
    FLAG_COORD_UNMATCHED,
    FLAG_LEAD_UNMATCHED,
    FLAG_NO_DEADLINE,
    Catalogue,
    extract_plan,
)
from canbo.plans.models import Plan, Task

CATALOGUE = Catalogue(
    [
        (1, "Tỉnh Lào Cai", 1),
        (2, "Ủy ban nhân dân tỉnh Lào Cai", 2),
        (10, "Sở Nội vụ tỉnh Lào Cai", 3),
        (11, "Sở Tài chính tỉnh Lào Cai", 3),
        (12, "Ban Tổ chức Tỉnh ủy", 3),
        (13, "Ban Pháp chế HĐND tỉnh", 3),
        (20, "Huyện Bát Xát", 2),
        (21, "UBND huyện Bát Xát", 3),
        (22, "Phòng Nội vụ huyện Bát Xát", 4),
        (30, "Ủy ban nhân dân xã Bản Qua", 4),
        (31, "UBND xã Mường Hum", 4),
        (32, "UBND phường Kim Tân", 3),
        (33, "Đảng ủy xã Bản Qua", 4),
    ]
)

SHORT_PLAN = """KẾ HOẠCH
Thực hiện công tác cán bộ năm 2027
I. MỤC TIÊU
Nâng cao chất lượng đội ngũ cán bộ, công chức trong năm 2027.
II. NHIỆM VỤ CỤ THỂ
1. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính xây dựng kế hoạch tuyển dụng công chức trong năm 2027.
2. Sở Tài chính bảo đảm kinh phí thực hiện hằng năm.
3. UBND các xã, phường báo cáo kết quả trước ngày 15/12/2027.
4. Các sở, ban, ngành rà soát quy hoạch cán bộ vào năm thứ 3 nhiệm kỳ.
5. Sở Nội vụ tổng hợp kết quả, báo cáo UBND tỉnh.
"""


def _tasks(text: str) -> list[Any]:
    return extract_plan(text, CATALOGUE).tasks


def test_lead_names_stop_at_the_verb_and_match_without_the_province() -> None:
    tasks = _tasks(SHORT_PLAN)
    assert [(t.number, t.lead.name, t.lead.unit_id) for t in tasks] == [
        ("II.1", "Sở Nội vụ", 10),
        ("II.2", "Sở Tài chính", 11),
        ("II.3", "UBND các xã, phường", None),
        ("II.4", "Các sở, ban, ngành", None),
        ("II.5", "Sở Nội vụ", 10),
    ]
    assert [(c.name, c.unit_id) for c in tasks[0].coordinating] == [("Sở Tài chính", 11)]
    for t in tasks:
        assert FLAG_LEAD_UNMATCHED not in t.flags and FLAG_COORD_UNMATCHED not in t.flags


def test_catalogue_ignores_the_province_suffix_only() -> None:
    assert CATALOGUE.match("Sở Nội vụ") == 10
    assert CATALOGUE.match("Sở Nội vụ tỉnh Lào Cai") == 10
    assert CATALOGUE.match("UBND tỉnh") == 2
    assert CATALOGUE.match("Ủy ban nhân dân tỉnh Lào Cai") == 2
    assert CATALOGUE.match("Ban Tổ chức Tỉnh ủy") == 12
    assert CATALOGUE.match("Ban Tổ chức") is None  # "Tỉnh ủy" is a body, not a suffix
    assert CATALOGUE.match("Phòng Nội vụ") is None  # a district's name is not dropped
    assert CATALOGUE.match("Sở Xây dựng") is None
    assert CATALOGUE.match("Sở Nội vụ tỉnh Yên Bái") is None  # another province
    assert CATALOGUE.match("Sở Nội vụ tỉnh Lào Cai tham mưu") is None  # the suffix is the name only


def test_a_verb_not_in_the_list_still_ends_a_catalogue_name() -> None:
    text = "II. NHIỆM VỤ\n1. Ban Tổ chức Tỉnh ủy thẩm định hồ sơ nhân sự trong quý I/2027.\n"
    (task,) = _tasks(text)
    assert (task.lead.name, task.lead.unit_id) == ("Ban Tổ chức Tỉnh ủy", 12)
    text = "II. NHIỆM VỤ\n1. Sở Nội vụ tỉnh Lào Cai tham mưu kế hoạch đào tạo (quý II/2027).\n"
    (task,) = _tasks(text)
    assert (task.lead.name, task.lead.unit_id) == ("Sở Nội vụ tỉnh Lào Cai", 10)


def test_a_generic_lead_stands_for_the_units_it_names() -> None:
    tasks = _tasks(SHORT_PLAN)
    communes = tasks[2].lead
    assert communes.generic and communes.unit_ids == [32, 30, 31]  # wards and communes, not the Party
    departments = tasks[3].lead
    assert departments.generic and departments.unit_ids == [10, 11, 12]  # no People's Council board
    assert CATALOGUE.expand("các sở, ngành liên quan") == []  # "the relevant ones": the officer picks
    assert CATALOGUE.expand("các huyện") == [20]
    assert CATALOGUE.expand("Đảng ủy các xã") == [33]
    assert CATALOGUE.expand("các cơ quan, đơn vị") == []


def test_deadlines_anywhere_in_the_sentence_and_none_unflagged() -> None:
    tasks = _tasks(SHORT_PLAN)
    got = [(t.deadline_text, Schedule.from_dict(t.schedule).kind if t.schedule else "") for t in tasks]
    assert got == [
        ("trong năm 2027", "year"),
        ("hằng năm", RECURRING),
        ("trước ngày 15/12/2027", "date"),
        ("năm thứ 3 nhiệm kỳ", RECURRING),
        ("", ""),
    ]
    assert Schedule.from_dict(tasks[2].schedule).parts[0].due == dt.date(2027, 12, 15)
    assert Schedule.from_dict(tasks[3].schedule).parts[0].term_year == 3
    assert FLAG_NO_DEADLINE in tasks[4].flags
    assert all(FLAG_NO_DEADLINE not in t.flags for t in tasks[:4])
    # A document's date in a citation is not a deadline.
    (cited,) = _tasks(
        "II. NHIỆM VỤ\n1. Thực hiện Nghị quyết số 26-NQ/TW ngày 19/5/2018, Sở Nội vụ rà soát "
        "vị trí việc làm.\n"
    )
    assert cited.deadline_text == "" and FLAG_NO_DEADLINE in cited.flags


def test_goal_paragraphs_are_not_tasks() -> None:
    text = (
        "II. MỤC TIÊU, NHIỆM VỤ\n"
        "1. Mục tiêu\n"
        "Nâng cao chất lượng đội ngũ cán bộ cấp xã trong năm 2027.\n"
        "- 100% cán bộ chủ chốt cấp xã có trình độ đại học.\n"
        "2. Nhiệm vụ\n"
        "- Sở Nội vụ rà soát chức danh cán bộ cấp xã (quý II/2027).\n"
    )
    tasks = _tasks(text)
    assert [(t.number, t.lead.name) for t in tasks] == [("II.2.1", "Sở Nội vụ")]
    # An excerpt without a task heading: its "Mục tiêu:" paragraph and bullets are still aims.
    excerpt = (
        "Mục tiêu: nâng cao chất lượng cán bộ.\n"
        "- Tỷ lệ nữ cấp ủy đạt 20%.\n"
        "1. Sở Nội vụ tổng hợp kết quả thực hiện (tháng 12/2027).\n"
    )
    assert [(t.number, t.lead.name) for t in _tasks(excerpt)] == [("1", "Sở Nội vụ")]


@pytest.mark.parametrize(
    ("issuer", "issued_on", "start"),
    [
        ("Ban Thường vụ Tỉnh ủy Lào Cai", dt.date(2027, 3, 1), 2025),
        ("Tỉnh ủy Lào Cai", dt.date(2025, 6, 1), 2020),  # before the 2025 congress
        ("Đảng ủy xã Bản Qua", dt.date(2025, 11, 1), 2025),
        ("Ủy ban nhân dân tỉnh Lào Cai", dt.date(2027, 3, 1), 2026),
        ("UBND huyện A", dt.date(2021, 1, 15), 2016),  # before the 2021 election
        ("HĐND tỉnh", dt.date(2021, 7, 1), 2021),
        ("Sở Nội vụ", dt.date(2027, 3, 1), None),
    ],
)
def test_the_term_of_the_issuing_body(issuer: str, issued_on: dt.date, start: int | None) -> None:
    got = body_term_start(issuer, issued_on)
    assert (got.year if got else None) == start


def _review_data(response: Any) -> dict[str, Any]:
    ctx = response.context
    data: dict[str, Any] = {"sections": ctx["sections_json"], "header": ctx["header_json"], "buoc": "luu"}
    formset = ctx["formset"]
    mf = formset.management_form
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[f"{formset.prefix}-{name}"] = mf[name].value()
    for form in formset.forms:
        for name in ("number", "section", "content", "lead", "coords", "deadline"):
            value = form.initial.get(name)
            data[form.add_prefix(name)] = "" if value is None else value
        data[form.add_prefix("include")] = "on"
    return data


@pytest.mark.django_db
def test_saved_generic_lead_reports_by_each_unit_and_term_year_counts_from_the_body(
    tree: dict[str, Unit], users: dict[str, Any]
) -> None:
    """Pasted into a plan of the provincial Standing Committee issued on 1/3/2027: the communes'
    task is reported on by each commune and ward; the third year of the 2025–2030 term is 2027."""
    kw = {"level": Level.COMMUNE, "kind": UnitKind.PEOPLES_COMMITTEE}
    xa = make_unit(tree["A"], "AX", "UBND xã Một", **kw)
    phuong = make_unit(tree["B"], "BP", "UBND phường Hai", **kw)
    plan = services.plan_create(
        acting_user=users["admin"],
        unit=tree["P"],
        code="kh-2027",
        kind="ke_hoach",
        number="5-KH/TU",
        issued_on=dt.date(2027, 3, 1),
        issuer_name="Ban Thường vụ Tỉnh ủy",
        title="Kế hoạch công tác cán bộ năm 2027",
        period_start=dt.date(2027, 3, 1),
        period_end=dt.date(2030, 12, 31),
    )
    c = Client()
    c.force_login(users["admin"])
    text = (
        "II. NHIỆM VỤ\n"
        "1. UBND các xã, phường báo cáo kết quả trước ngày 15/12/2027.\n"
        "2. UBND các xã, phường rà soát quy hoạch cán bộ vào năm thứ 3 nhiệm kỳ.\n"
    )
    r = c.post(f"/ke-hoach/{plan.pk}/trich/", {"text": text})
    assert r.status_code == 200
    assert "2 đơn vị trong danh mục, mỗi đơn vị thực hiện và báo cáo" in r.content.decode()
    r = c.post(f"/ke-hoach/{plan.pk}/trich/", _review_data(r))
    assert r.status_code == 302, r.content.decode()[:2000]
    report, review = Task.objects.filter(plan=plan).order_by("order")
    for task in (report, review):
        assert task.lead_unit is None and task.lead_name == "UBND các xã, phường"
        assert set(task.coordinating_units.all()) == {xa, phuong}
        assert set(services.responsible_unit_ids(task)) == {xa.pk, phuong.pk}
    assert [o.due for o in report.occurrences.all()] == [dt.date(2027, 12, 15)]
    # The third year of the Party committee's 2025–2030 term, not of the plan's own span.
    assert [o.due for o in review.occurrences.all()] == [dt.date(2027, 12, 31)]
    page = c.get(f"/ke-hoach/nhiem-vu/{report.pk}/").content.decode()
    assert "Đơn vị thực hiện và báo cáo" in page and "UBND xã Một" in page and "(nhiều đơn vị)" in page
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_a_catalogue_name_holding_a_verb_is_kept_whole() -> None:
    catalogue = Catalogue([(40, "Ban quản lý dự án đầu tư xây dựng tỉnh Lào Cai", 3)])
    (task,) = extract_plan(
        "II. NHIỆM VỤ\n1. Ban quản lý dự án đầu tư xây dựng tổng hợp kết quả (quý IV/2027).\n", catalogue
    ).tasks
    assert task.lead is not None
    assert (task.lead.name, task.lead.unit_id) == ("Ban quản lý dự án đầu tư xây dựng", 40)


def test_to_chuc_ends_a_generic_lead_but_not_a_board_or_organisations() -> None:
    # The walk-through pasted "Các sở, ban, ngành tổ chức tập huấn cho cán bộ." and the lead came
    # out as the whole sentence.
    text = (
        "II. NHIỆM VỤ\n"
        "1. Các sở, ban, ngành tổ chức tập huấn cho cán bộ.\n"
        "2. Ban tổ chức Huyện ủy Bát Xát tổ chức hội nghị.\n"
        "3. Mặt trận Tổ quốc và các tổ chức chính trị - xã hội tuyên truyền kế hoạch.\n"
    )
    first, second, third = _tasks(text)
    assert first.lead.name == "Các sở, ban, ngành" and first.lead.unit_ids == [10, 11, 12]
    assert second.lead.name == "Ban tổ chức Huyện ủy Bát Xát"
    assert [third.lead.name] + [c.name for c in third.coordinating] == [
        "Mặt trận Tổ quốc",
        "các tổ chức chính trị - xã hội",
    ]
