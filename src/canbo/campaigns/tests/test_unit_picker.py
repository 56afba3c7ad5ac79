"""The campaign, collective-rating and vote-session forms choose their unit with the project's
picker (type a name or browse the tree), not a select of every unit; a unit outside the user's
grants (or, for a collective, outside the campaign) is refused in Vietnamese with a 400."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from canbo.campaigns import services
from canbo.campaigns.models import RatingCampaign, UnitRating, VoteSession


@pytest.fixture
def officer(users: dict) -> Client:
    c = Client()
    c.force_login(users["officer_a"])
    return c


def test_forms_use_the_picker_and_refuse_a_unit_outside_the_grants(officer: Client, tree: dict) -> None:
    for url in ("/danh-gia/moi/", "/danh-gia/lay-phieu/moi/"):
        html = officer.get(url).content.decode()
        assert 'class="unit-picker-search"' in html and '<select name="unit"' not in html
        assert ">Huyện B</option>" not in html  # no list of every unit on the page
    r = officer.post("/danh-gia/moi/", {"unit": tree["B"].pk, "system": "chinh_quyen", "year": 2026,
                                         "period": "nam", "decision_date": "30/11/2026",
                                         "reason": "Sửa lỗi nhập liệu"})  # fmt: skip
    assert r.status_code == 400 and "không thuộc phạm vi được giao" in r.content.decode()
    session = {"body": "cap_uy", "vote_date": "10/02/2026", "convened": 30, "present": 30, "ballots": 30}
    r = officer.post("/danh-gia/lay-phieu/moi/", {"unit": tree["B"].pk, **session})
    assert r.status_code == 400 and "không thuộc phạm vi được giao" in r.content.decode()
    assert not RatingCampaign.objects.exists() and not VoteSession.objects.exists()
    r = officer.post("/danh-gia/moi/", {"unit": tree["A"].pk, "system": "chinh_quyen", "year": 2026,
                                         "period": "nam", "decision_date": "30/11/2026",
                                         "reason": "Sửa lỗi nhập liệu"})  # fmt: skip
    assert r.status_code == 302 and RatingCampaign.objects.get().unit == tree["A"]


def test_collective_outside_the_campaign_is_refused(
    officer: Client, tree: dict, users: dict, person_a: object
) -> None:
    c = services.campaign_create(
        unit=tree["A1"], system="chinh_quyen", year=2026, period="nam", part=None,
        decision_date=dt.date(2026, 11, 30), acting_user=users["officer_a"],
    )  # fmt: skip
    r = officer.post(
        f"/danh-gia/{c.pk}/tap-the/", {"unit": tree["A"].pk, "level": "htt", "reason": "Sửa lỗi nhập liệu"}
    )
    assert (
        r.status_code == 400
        and "không phải cơ quan, đơn vị có người trong đợt đánh giá" in r.content.decode()
    )
    assert not UnitRating.objects.exists()
    assert (
        officer.post(
            f"/danh-gia/{c.pk}/tap-the/",
            {"unit": tree["A1"].pk, "level": "htt", "reason": "Sửa lỗi nhập liệu"},
        ).status_code
        == 302
    )
    assert UnitRating.objects.get().unit == tree["A1"]


def test_a_campaign_write_without_a_reason_is_refused(
    officer: Client, tree: dict, users: dict, person_a: object
) -> None:
    """Issue 21: opening a campaign, a person's result and a collective's rating each need a reason
    (refused in Vietnamese, nothing written); the reason goes to the change log."""
    from canbo.core.models import ObjectChange

    form = {"unit": tree["A1"].pk, "system": "chinh_quyen", "year": 2026, "period": "nam",
            "decision_date": "30/11/2026"}  # fmt: skip
    before = ObjectChange.objects.count()
    r = officer.post("/danh-gia/moi/", form)
    assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
    assert not RatingCampaign.objects.exists() and ObjectChange.objects.count() == before
    assert officer.post("/danh-gia/moi/", {**form, "reason": "Theo kế hoạch 3/KH-UBND"}).status_code == 302
    c = RatingCampaign.objects.get()
    logged = ObjectChange.objects.get(content_type__model="ratingcampaign", object_id=c.pk)
    assert logged.reason.endswith("Theo kế hoạch 3/KH-UBND")
    r = officer.post(f"/danh-gia/{c.pk}/tap-the/", {"unit": tree["A1"].pk, "level": "htt"})
    assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
    assert not UnitRating.objects.exists()
    entry = c.entries.get()  # person_a, of A1
    r = officer.post(f"/danh-gia/nguoi/{entry.pk}/", {"proposed_level": "htt", "kht_trigger": "false"})
    assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
    entry.refresh_from_db()
    assert entry.proposed_level != "htt"
