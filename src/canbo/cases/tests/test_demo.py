"""``cases seed_demo`` on a small province rooted at LC: each kind of case, once, through the
services; the demo wipe takes the cases away."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from canbo.careers.models import Tenure
from canbo.cases.models import Case, CaseStatus
from canbo.conftest import make_unit, new_person
from canbo.demo.generator import wipe
from canbo.org.models import Post, Title
from canbo.people.models import Person
from canbo.rules.models import RuleException


def _title(code: str, name: str, rank: int) -> Title:
    return Title.objects.create(
        code=code, name=name, level="tinh", group="truong_co_quan", block="nha_nuoc", is_leader=True,
        head_kind="truong", management_scope="btv_tinh_uy", rank=rank,
    )  # fmt: skip


@pytest.mark.django_db
def test_seed_demo_once_then_wiped_with_the_province() -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("cases", "seed_demo", stderr=err)
    assert "Chưa có tỉnh mẫu" in err.getvalue()

    root = make_unit(None, "LC", "Tỉnh Lào Cai")
    dept = make_unit(root, "LC.SO", "Sở Nội vụ")
    for i in range(6):
        title = _title(f"T.X{i}", f"Chức danh {i}", 50 + i)
        Post.objects.create(unit=dept, title=title, seats=1, valid_from=dt.date(2020, 1, 1))
    held = _title("T.H", "Giám đốc Sở", 90)
    held2 = _title("T.H2", "Phó Giám đốc Sở", 80)
    people = [new_person(dept, f"Người Mẫu {i}", sex="nam", born=dt.date(1982, 1, 1 + i)) for i in range(10)]
    old = new_person(dept, "Người Sắp Nghỉ", sex="nam", born=dt.date(1965, 3, 1))
    mid = new_person(dept, "Người Giữa Nhiệm Kỳ", sex="nam", born=dt.date(1978, 3, 1))
    Person.objects.update(is_synthetic=True)
    for person, title in ((old, held), (mid, held2)):
        post = Post.objects.create(unit=dept, title=title, seats=1, valid_from=dt.date(2020, 1, 1))
        Tenure.objects.create(
            person=person, unit=dept, title=title, post=post, kind="bo_nhiem", start_date=dt.date(2022, 1, 1)
        )
    assert people

    out = io.StringIO()
    call_command("cases", "seed_demo", stdout=out)
    text = out.getvalue()
    statuses = sorted(Case.objects.values_list("status", flat=True))
    assert statuses.count(CaseStatus.DECIDED) == 2, text
    assert (
        CaseStatus.STOPPED in statuses
        and CaseStatus.BALLOTS in statuses
        and CaseStatus.NOMINATION in statuses
    )
    assert Case.objects.filter(status=CaseStatus.EXTENDED, prior_tenure__person=old).exists(), text
    assert Case.objects.filter(
        kind="bo_nhiem_lai", prior_tenure__person=mid, status=CaseStatus.NOMINATION
    ).exists()
    assert RuleException.objects.filter(content_type__model="candidate").exists()
    assert set(Case.objects.values_list("source", flat=True)) == {"tai_cho", "noi_khac", "nguoi_dung_dau"}
    stopped = Case.objects.get(status=CaseStatus.STOPPED)
    assert stopped.steps.filter(quorum_met=False).exists()

    again = io.StringIO()
    call_command("cases", "seed_demo", stdout=again)
    assert "đã có hồ sơ" in again.getvalue()

    wipe()
    assert not Case.objects.exists()
