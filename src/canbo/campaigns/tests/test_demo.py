"""``ratings seed_demo`` on a small province rooted at LC: a finished 2025 campaign within the
quota, an open 2026 one above it, once; the demo wipe takes them away."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from canbo.assessment.models import Rating
from canbo.campaigns.models import CampaignEntry, RatingCampaign
from canbo.conftest import make_unit, new_person
from canbo.demo.generator import wipe
from canbo.org.models import Unit
from canbo.people.models import Person


@pytest.mark.django_db
def test_seed_demo_once_then_wiped_with_the_province(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_info:
        call_command("ratings", "seed_demo")
    assert exit_info.value.code == 2 and "Chưa có tỉnh mẫu" in capsys.readouterr().err

    root = make_unit(None, "LC", "Tỉnh Lào Cai")
    dept = make_unit(root, "LC.SO", "Sở Nội vụ")
    people = [new_person(dept, f"Người Mẫu {i}", born=dt.date(1978, 1, 1 + i)) for i in range(12)]
    Person.objects.filter(pk__in=[p.pk for p in people]).update(is_synthetic=True)

    out = io.StringIO()
    call_command("ratings", "seed_demo", stdout=out)
    assert "hoàn tất, 12 người" in out.getvalue() and "1 nhóm vượt tỷ lệ" in out.getvalue()
    done = RatingCampaign.objects.get(year=2025)
    assert not done.is_open and Rating.objects.filter(year=2025).count() == 12
    assert RatingCampaign.objects.get(year=2026).is_open
    call_command("ratings", "quota", "--unit", "LC", "--year", "2025", "--json")
    assert all(line["within_quota"] for line in json.loads(capsys.readouterr().out))
    again = io.StringIO()
    call_command("ratings", "seed_demo", stdout=again)
    assert again.getvalue().count("không nạp lại") == 2

    counts = wipe()
    assert counts["RatingCampaign"] == 2
    assert not RatingCampaign.objects.exists() and not CampaignEntry.objects.exists()
    assert not Unit.objects.exists()
