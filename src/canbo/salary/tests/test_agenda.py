"""The career calendar's next raise and retirement notice status, and the home page's "due this
month" (raises, notices, decisions), with their query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from canbo.conftest import new_person
from canbo.salary.tests.conftest import client_for, salary

pytestmark = pytest.mark.django_db


def test_calendar_shows_the_next_raise_and_the_notice_status(users: dict, staff: dict, tree: dict) -> None:
    url = reverse("people:detail", args=[staff["delayed"].pk])
    html = client_for(users["officer_a"]).get(url, {"ngay": "01/01/2025"}).content.decode()
    assert "Nâng lương kỳ tới" in html and "15/02/2025" in html and "bậc 5, hệ số 3,66" in html
    assert "S-6: bị kỷ luật khiển trách: kéo dài 6 tháng" in html
    # four months before his retirement date the notice (due six months before) is overdue
    from canbo.rules.engine.dates import add_months
    from canbo.salary.retirement import retirement_of

    old = new_person(tree["A1"], "Phí Văn Già", sex="nam", born=dt.date(1963, 3, 10),
                     recruitment_date=dt.date(1985, 1, 1))  # fmt: skip
    retired = retirement_of(users["officer_a"], old)
    assert retired is not None
    day = add_months(retired.date, -4)
    page = client_for(users["officer_a"]).get(
        reverse("people:detail", args=[old.pk]), {"ngay": f"{day:%d/%m/%Y}"}
    )
    text = page.content.decode()
    assert "Thông báo nghỉ hưu" in text and "chưa ban hành; hạn" in text and "quá hạn" in text


def test_home_page_shows_what_falls_due_this_month(
    users: dict, staff: dict, tree: dict, django_assert_max_num_queries: Any
) -> None:
    old = new_person(tree["A1"], "Phí Văn Già", sex="nam", born=dt.date(1963, 3, 10),
                     recruitment_date=dt.date(1985, 1, 1))  # fmt: skip
    salary(old, 9, dt.date(2020, 1, 1))
    officer = client_for(users["officer_a"])
    officer.get("/", {"ngay": "01/02/2025"})  # warm: grants, unit labels, rulebook
    # measured 21: the home page's own reads (session, user, grants, counts), then for the one
    # granted unit the due list (rulebook, grades, disciplines, KHT years, rows in force, the
    # candidates and their ratings), the retirement list (rulebook, overrides, persons, notices)
    # and the open early-raise proposals
    with django_assert_max_num_queries(21):
        r = officer.get("/", {"ngay": "01/02/2025"})
    html = r.content.decode()
    assert r.status_code == 200 and "Đến hạn trong tháng 02/2025" in html
    assert "2 người đến hạn nâng bậc lương" in html  # 01/02 and 15/02/2025
    assert "/luong/den-han/?don_vi=" in html and "/nghi-huu/?don_vi=" in html
    # the other subtree's officer sees only his own unit's figures
    other = client_for(users["officer_b"]).get("/", {"ngay": "01/02/2025"}).content.decode()
    assert "1 người đến hạn nâng bậc lương" in other  # Lý Văn Khác, 01/02/2025
