"""The API runs the same services with the same permissions as the pages."""

from __future__ import annotations

from typing import Any

from django.test import Client

from canbo.careers.models import Tenure
from canbo.cases.models import Case, CaseStatus
from canbo.conftest import REASON_HEADERS
from canbo.org.models import Post
from canbo.people.models import Person


def api(user: Any) -> Client:
    c = Client(headers=REASON_HEADERS)
    c.force_login(user)
    return c


def send(c: Client, url: str, data: dict | None = None) -> Any:
    return c.post(url, data or {}, content_type="application/json")


def test_case_through_the_api(post: Post, eligible: list[Person], users: dict) -> None:
    c = api(users["officer_a"])
    r = send(
        c,
        "/api/cases/",
        {"post": post.pk, "kind": "bo_nhiem", "source": "noi_khac", "received_on": "2026-03-02"},
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    r = send(c, f"/api/cases/{pk}/candidates/", {"person": eligible[0].pk})
    assert r.status_code == 201
    r = send(c, f"/api/cases/{pk}/start-steps/")
    assert r.status_code == 400 and "cần ít nhất 2" in r.json()["detail"]
    r = send(c, f"/api/cases/{pk}/candidates/", {"person": eligible[1].pk})
    cands = [x["id"] for x in r.json()["candidates"]]
    assert r.json()["candidates"][0]["verdict"]["outcome"] == "cannot_decide"  # A-7 not declared yet
    for cand in cands:
        assert (
            send(c, f"/api/cases/{pk}/declare/", {"candidate": cand, "pending_discipline": False}).status_code
            == 200
        )
    assert send(c, f"/api/cases/{pk}/start-steps/").status_code == 200
    bad = {
        "number": 1,
        "held_on": "2026-03-10",
        "body": "x",
        "convened": 10,
        "present": 11,
        "ballots": 10,
        "votes": {},
    }
    r = send(c, f"/api/cases/{pk}/steps/", bad)
    assert r.status_code == 400 and "không được lớn hơn" in r.json()["detail"]
    for n in (1, 2, 3):
        step = {
            "number": n, "held_on": "2026-03-10", "body": "Hội nghị", "convened": 15, "present": 14,
            "ballots": 14, "votes": {str(cands[0]): 12, str(cands[1]): 2},
        }  # fmt: skip
        assert send(c, f"/api/cases/{pk}/steps/", step).status_code == 201
    assert send(c, f"/api/cases/{pk}/submit/").status_code == 200
    decision = {
        "candidate": cands[0], "decision_number": "15/QĐ-UBND", "decision_date": "2026-04-01",
        "effective_date": "2026-04-05", "signer": "Chủ tịch UBND huyện A",
    }  # fmt: skip
    # other subtree and read-only role: 404, nothing written
    assert send(api(users["officer_b"]), f"/api/cases/{pk}/decide/", decision).status_code == 404
    assert send(api(users["leader_a"]), f"/api/cases/{pk}/decide/", decision).status_code == 404
    assert api(users["officer_b"]).get(f"/api/cases/{pk}/").status_code == 404
    r = send(c, f"/api/cases/{pk}/decide/", decision)
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == CaseStatus.DECIDED
    assert Tenure.objects.filter(person=eligible[0], post=post).exists()
    assert send(c, f"/api/cases/{pk}/stop/", {"reason": "x"}).status_code == 400
    assert Case.objects.get(pk=pk).status == CaseStatus.DECIDED
