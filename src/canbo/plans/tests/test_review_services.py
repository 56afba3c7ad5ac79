"""What the review pages' views used to decide themselves, now in services and selectors
(issue 15): a plan with its tasks in one transaction, the draft's unit names matched against the
catalogue, a free plan code; and the review page's refusals shown on the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from canbo.core.errors import DomainError
from canbo.org.models import Unit
from canbo.plans import selectors, services
from canbo.plans.models import Plan, PlanSection, Task

pytestmark = pytest.mark.django_db

HEADER: dict[str, Any] = {
    "code": "kh-moi",
    "kind": "ke_hoach",
    "number": "7/KH-UBND",
    "issued_on": dt.date(2021, 2, 15),
    "issuer_name": "UBND huyện A",
    "title": "Kế hoạch mới",
    "period_start": None,
    "period_end": None,
    "note": "",
}


def test_plan_with_its_tasks_is_all_or_nothing(tree: dict[str, Unit], users: dict[str, Any]) -> None:
    section = services.SectionInput("I", "Công tác cán bộ")
    bad = services.TaskInput(content="Việc thứ hai", section_index=5)  # no such section
    with pytest.raises(DomainError, match="mục không tồn tại"):
        services.plan_create_with_tasks(
            acting_user=users["officer_a"],
            unit=tree["A"],
            sections=[section],
            tasks=[services.TaskInput(content="Việc thứ nhất", section_index=0), bad],
            **HEADER,
        )
    assert not Plan.objects.exists() and not PlanSection.objects.exists() and not Task.objects.exists()
    plan, saved = services.plan_create_with_tasks(
        acting_user=users["officer_a"],
        unit=tree["A"],
        sections=[section],
        tasks=[services.TaskInput(content="Việc thứ nhất", section_index=0)],
        reason="Tạo kế hoạch từ văn bản, đã rà soát",
        **HEADER,
    )
    assert plan.code == "kh-moi" and [t.section for t in saved] == [plan.sections.get()]


def test_draft_task_input_matches_names_and_spreads_a_generic_lead(tree: dict[str, Unit]) -> None:
    catalogue = selectors.plan_catalogue(tree["A"], dt.date(2021, 6, 1))
    given = services.draft_task_input(
        {"content": "Rà soát", "lead": "Phòng Nội vụ huyện A", "coords": "Huyện B\nSở Không Có"}, catalogue
    )
    assert given.lead_unit == tree["A1"] and given.coordinating_units == [tree["B"]]
    assert given.coordinating_names == ["Huyện B", "Sở Không Có"]
    unmatched = services.draft_task_input({"content": "x", "lead": "Sở Không Có"}, catalogue)
    assert unmatched.lead_unit is None and unmatched.lead_name == "Sở Không Có"


def test_suggested_plan_code_is_free(plan: Plan) -> None:
    assert selectors.suggest_plan_code("de_an", "18-ĐA/TU", None) == "de-an-18-da-tu"
    assert plan.code == "kh-thu"
    Plan.objects.filter(pk=plan.pk).update(code="ke-hoach-12-kh-ubnd")
    assert selectors.suggest_plan_code("ke_hoach", "12/KH-UBND", None) == "ke-hoach-12-kh-ubnd-2"
    assert selectors.suggest_plan_code("", "", dt.date(2021, 1, 1)) == "ke-hoach-2021"


def test_saving_a_draft_with_no_task_chosen_says_so(plan: Plan, users: dict[str, Any]) -> None:
    c = Client()
    c.force_login(users["officer_a"])
    url = f"/ke-hoach/{plan.pk}/trich/"
    r = c.post(url, {"text": "II. NHIỆM VỤ\n1. Việc chung\na) Phòng Nội vụ huyện A rà soát (quý 4/2021)."})
    assert r.status_code == 200
    formset = r.context["formset"]
    data: dict[str, Any] = {"sections": r.context["sections_json"], "buoc": "luu"}
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
    for form in formset.forms:  # every task left unchecked
        for name in ("number", "content", "lead", "coords", "deadline"):
            data[form.add_prefix(name)] = form.initial.get(name) or ""
    r = c.post(url, data)
    assert r.status_code == 400 and "Chưa chọn nhiệm vụ nào để lưu." in r.content.decode()
    assert not plan.tasks.exists()
