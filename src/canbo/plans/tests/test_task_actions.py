"""One URL per action on a task (issue 15): each answers a redirect on success, 400 with the
Vietnamese refusal, 404 to a user outside the plan's board (or the lead unit), 409 on a stale
form; an htmx post gets the form alone back with its errors, or an HX-Redirect."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.core.models import ObjectChange
from canbo.plans.models import Plan, Task, TaskStatus
from canbo.plans.tests.conftest import kept_plan, kept_tasks

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")
# So are the plan and its tasks, every test here taking both (plans/tests/conftest.py,
# plan_and_tasks_of_the_module).
plan = pytest.fixture(kept_plan, name="plan")
tasks = pytest.fixture(kept_tasks, name="tasks")

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(task: Task, action: str) -> str:
    return f"/ke-hoach/nhiem-vu/{task.pk}/{action}/"


def edit_data(task: Task, **changes: Any) -> dict[str, Any]:
    data = {
        "number": task.number,
        "section": "",
        "content": task.content,
        "lead": task.lead_name,
        "coords": task.coordinating_names,
        "deadline": task.deadline_text,
        "reason": "Sửa lỗi nhập liệu",
        "row_version": task.row_version,
    }
    return {**data, **changes}


def test_task_page_forms_post_to_their_own_urls(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    task = tasks["conditional"]
    page = client_for(users["officer_a"]).get(f"/ke-hoach/nhiem-vu/{task.pk}/").content.decode()
    for action in ("tinh-trang", "sua", "xoa", "dieu-kien"):
        assert f'hx-post="{url(task, action)}"' in page
    assert 'name="action"' not in page
    # The page itself takes no post any more: each action has its URL.
    assert client_for(users["officer_a"]).post(f"/ke-hoach/nhiem-vu/{task.pk}/").status_code == 405


def test_status(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    task = tasks["quarter"]
    a = client_for(users["officer_a"])
    r = a.post(
        url(task, "tinh-trang"),
        {"status": "dang_thuc_hien", "row_version": task.row_version, "reason": "Báo cáo của phòng"},
    )
    assert r.status_code == 302 and r["Location"] == f"/ke-hoach/nhiem-vu/{task.pk}/"
    assert "Đã ghi tình trạng: Đang thực hiện." in a.get(r["Location"]).content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    # Done without a completion date: refused in Vietnamese, nothing written.
    r = a.post(
        url(task, "tinh-trang"), {"status": "hoan_thanh", "row_version": task.row_version, "reason": "x"}
    )
    assert r.status_code == 400 and "Nhiệm vụ hoàn thành phải có ngày hoàn thành." in r.content.decode()
    # A stale form.
    r = a.post(
        url(task, "tinh-trang"), {"status": "dung", "row_version": task.row_version - 1, "reason": "x"}
    )
    assert r.status_code == 409
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    # B coordinates the task (sees it) but does not lead it; C's task B does not see at all.
    b = client_for(users["officer_b"])
    data = {"status": "dung", "row_version": task.row_version}
    assert b.post(url(task, "tinh-trang"), data).status_code == 404
    assert b.post(url(tasks["yearly"], "tinh-trang"), data).status_code == 404
    assert client_for(users["nogrant"]).post(url(task, "tinh-trang"), data).status_code == 404


def test_status_over_htmx(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    task = tasks["quarter"]
    a = client_for(users["officer_a"])
    done = {"status": "hoan_thanh", "row_version": task.row_version, "reason": "x"}
    r = a.post(url(task, "tinh-trang"), done, headers=HTMX)
    page = r.content.decode()
    # The form alone, with the refusal, to swap in place; not the whole page.
    assert r.status_code == 400
    assert "<html" not in page and "<form" in page and "phải có ngày hoàn thành" in page
    assert f'hx-post="{url(task, "tinh-trang")}"' in page
    r = a.post(url(task, "tinh-trang"), {"status": "dung", "row_version": 0, "reason": "x"}, headers=HTMX)
    assert r.status_code == 409 and "<html" not in r.content.decode()
    r = a.post(
        url(task, "tinh-trang"),
        {"status": "dung", "row_version": task.row_version, "reason": "x"},
        headers=HTMX,
    )
    assert r.status_code == 200 and r["HX-Redirect"] == f"/ke-hoach/nhiem-vu/{task.pk}/"
    assert "Đã ghi tình trạng: Dừng" in a.get(r["HX-Redirect"]).content.decode()


def test_edit(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    task = tasks["quarter"]
    a = client_for(users["officer_a"])
    r = a.post(url(task, "sua"), edit_data(task, deadline="quý 4/2021", lead="Huyện B"))
    assert r.status_code == 302 and r["Location"] == f"/ke-hoach/nhiem-vu/{task.pk}/"
    task.refresh_from_db()
    assert task.deadline_text == "quý 4/2021" and task.lead_unit is not None and task.lead_unit.code == "B"
    assert ObjectChange.objects.filter(
        object_id=str(task.pk), reason="Sửa nhiệm vụ: Sửa lỗi nhập liệu"
    ).exists()
    r = a.post(url(task, "sua"), edit_data(task, content="  "))
    assert r.status_code == 400 and "Trường này là bắt buộc." in r.content.decode()
    r = a.post(url(task, "sua"), edit_data(task, content="Nội dung mới", row_version=task.row_version - 1))
    assert r.status_code == 409 and "Nội dung mới" not in Task.objects.get(pk=task.pk).content
    # Only the board corrects a task: B (coordinating) and a leader on A (no change grant) get 404.
    assert client_for(users["officer_b"]).post(url(task, "sua"), edit_data(task)).status_code == 404
    assert client_for(users["leader_a"]).post(url(task, "sua"), edit_data(task)).status_code == 404


def test_delete(plan: Plan, tasks: dict[str, Task], users: dict[str, Any]) -> None:
    task = tasks["yearly"]
    a = client_for(users["officer_a"])
    r = a.post(url(task, "xoa"), {"reason": "", "row_version": task.row_version})
    assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
    r = a.post(url(task, "xoa"), {"reason": "Trích nhầm", "row_version": task.row_version + 5})
    assert r.status_code == 409 and Task.objects.filter(pk=task.pk).exists()
    assert client_for(users["officer_b"]).post(url(task, "xoa"), {"reason": "x"}).status_code == 404
    r = a.post(url(task, "xoa"), {"reason": "Trích nhầm", "row_version": task.row_version})
    assert r.status_code == 302 and r["Location"] == f"/ke-hoach/{plan.pk}/"
    assert "Đã xóa nhiệm vụ." in a.get(r["Location"]).content.decode()
    assert not Task.objects.filter(pk=task.pk).exists()


def test_condition(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    task = tasks["conditional"]
    a = client_for(users["officer_a"])
    r = a.post(
        url(task, "dieu-kien"), {"met_on": "10/05/2021", "note": "HD 05", "reason": "Theo hướng dẫn số 05"}
    )
    assert r.status_code == 302
    assert "hạn của nhiệm vụ đã được tính lại" in a.get(r["Location"]).content.decode()
    # A deadline with no condition: the service's refusal, in Vietnamese.
    r = a.post(url(tasks["quarter"], "dieu-kien"), {"met_on": "10/05/2021", "reason": "x"})
    assert r.status_code == 400 and "không phụ thuộc điều kiện" in r.content.decode()
    r = a.post(url(task, "dieu-kien"), {"met_on": "31/02/2021", "reason": "x"})
    assert r.status_code == 400 and "has-error" in r.content.decode()
    assert client_for(users["officer_b"]).post(url(task, "dieu-kien"), {"met_on": ""}).status_code == 404


def test_occurrence_done_and_open_again(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    task = tasks["quarter"]
    occ = task.occurrences.get()
    occ_url = f"/ke-hoach/nhiem-vu/{task.pk}/lan-den-han/{occ.pk}/"
    a = client_for(users["officer_a"])
    r = a.post(occ_url + "?ngay=05/04/2021", {"done": "1"})
    assert r.status_code == 302 and r["Location"] == f"/ke-hoach/nhiem-vu/{task.pk}/"
    occ.refresh_from_db()
    assert occ.done_on is not None and occ.done_on.isoformat() == "2021-04-05"
    assert a.post(occ_url, {"done": "0"}).status_code == 302
    occ.refresh_from_db()
    assert occ.done_on is None
    r = a.post(occ_url, {"done": "2"})
    assert r.status_code == 400 and "Hãy chọn một lựa chọn hợp lệ" in r.content.decode()
    # B does not lead the task; another task's due date is not found under this one.
    assert client_for(users["officer_b"]).post(occ_url, {"done": "1"}).status_code == 404
    other = tasks["yearly"].occurrences.first()
    assert other is not None
    assert a.post(f"/ke-hoach/nhiem-vu/{task.pk}/lan-den-han/{other.pk}/", {"done": "1"}).status_code == 404


def test_task_forms_require_a_reason(tasks: dict[str, Task], users: dict[str, Any]) -> None:
    """Issue 21: a task's status, its correction and its deadline's condition each refuse an empty
    reason with the Vietnamese message (400) and write nothing; the reason given lands in the
    change log after the action's own account. The task page keeps its ids unique."""
    a = client_for(users["officer_a"])
    quarter, conditional = tasks["quarter"], tasks["conditional"]
    cases = [
        (quarter, "tinh-trang", lambda t: {"status": "dang_thuc_hien", "row_version": t.row_version},
         "Cập nhật tình trạng nhiệm vụ"),
        (quarter, "sua", lambda t: edit_data(t, content="Nội dung đã sửa"), "Sửa nhiệm vụ"),
        (conditional, "dieu-kien", lambda t: {"met_on": "10/05/2021", "note": "HD 05"},
         "Ghi nhận điều kiện của thời hạn"),
    ]  # fmt: skip
    for task, action, make, own in cases:
        task.refresh_from_db()
        data = make(task)
        before = ObjectChange.objects.count()
        for empty in ({}, {"reason": ""}, {"reason": "  "}):
            body = {k: v for k, v in data.items() if k != "reason"}
            r = a.post(url(task, action), {**body, **empty})
            assert r.status_code == 400, action
            assert "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
        assert ObjectChange.objects.count() == before
        # over htmx too: the form alone, refused
        r = a.post(url(task, action), body, headers=HTMX)
        assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ" in r.content.decode()
        r = a.post(url(task, action), {**body, "reason": "Theo công văn số 7/UBND"})
        assert r.status_code == 302, (action, r.content.decode()[:2000])
        # The task's own entry: an id is unique per table only (a task occurrence may have the same).
        logged = ObjectChange.objects.filter(
            content_type__app_label="plans", content_type__model="task", object_id=str(task.pk)
        ).latest("pk")
        assert logged.reason == f"{own}: Theo công văn số 7/UBND"
    quarter.refresh_from_db()
    assert quarter.status == TaskStatus.IN_PROGRESS and quarter.content == "Nội dung đã sửa"
    page = a.get(f"/ke-hoach/nhiem-vu/{conditional.pk}/").content.decode()
    for slot in ("tinh_trang", "sua", "dieu_kien", "xoa"):  # the deletion's own reason too
        assert page.count(f'id="id_{slot}_reason"') == 1
    assert page.count('id="id_reason"') == 0
