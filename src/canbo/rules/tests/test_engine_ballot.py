"""Validator 3 (A-9 quorum, A-10 selection) and A-18 on their edges; the ``rules ballot`` command."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from canbo.rules.engine.checks.ballot import (
    BallotCase,
    BallotInput,
    BallotInputError,
    ballot_summary,
    check_ballot,
    check_options,
    parse_votes,
)
from canbo.rules.tests.engine_helpers import BOOK

DAY = dt.date(2026, 3, 2)


def case(
    convened: int, present: int, votes: dict[str, int], seats: int = 1, day: dt.date = DAY
) -> BallotCase:
    ballot = BallotInput(day, convened, present, present, votes, seats)
    ballot.validate()
    return BallotCase(BOOK, ballot)


def test_quorum_exactly_two_thirds_is_met() -> None:
    assert case(15, 10, {}).quorum_needed == 10
    assert case(15, 10, {}).quorum_met
    assert not case(15, 9, {}).quorum_met
    assert case(16, 11, {}).quorum_needed == 11  # 10.67 → 11
    assert not case(16, 10, {}).quorum_met


def test_exactly_half_of_convened_does_not_win() -> None:
    c = case(20, 20, {"A": 10, "B": 9})
    assert c.selection == ([], ["A", "B"])
    c = case(20, 20, {"A": 11, "B": 9})
    assert c.selection == (["A"], [])


def test_share_is_over_convened_not_present() -> None:
    """11 of 14 present is 78.6%, but 11 of 24 convened is 45.8%: nobody wins."""
    c = case(24, 16, {"A": 11, "B": 5})
    assert c.quorum_met
    assert c.selection == ([], ["A", "B"])


def test_ties() -> None:
    # two seats, a tie for the second among those above one half: A wins, B and C go on
    c = BallotCase(BOOK, BallotInput(DAY, 20, 20, 20, {"A": 15, "B": 12, "C": 12}, 2))
    assert c.selection == (["A"], ["B", "C"])
    # (with one seat, two above one half cannot tie: one name per voter)
    c2 = case(20, 20, {"A": 8, "B": 6, "C": 6})
    assert c2.selection == ([], ["A", "B", "C"])  # tie at second place: all tied go on


def test_two_seats() -> None:
    c = BallotCase(BOOK, BallotInput(DAY, 20, 20, 20, {"A": 15, "B": 12, "C": 11, "D": 2}, 2))
    assert c.selection == (["A", "B"], [])
    c = BallotCase(BOOK, BallotInput(DAY, 20, 20, 20, {"A": 15, "B": 8, "C": 7, "D": 5}, 2))
    assert c.selection == (["A"], ["B", "C"])


def test_without_quorum_nobody_is_selected() -> None:
    verdict = check_ballot(BOOK, BallotInput(DAY, 15, 9, 9, {"A": 9}))
    a9 = next(r for r in verdict.results if r.rule_id == "A-9")
    assert a9.outcome == "fail" and "cần ít nhất 10" in a9.message
    a10 = next(r for r in verdict.results if r.rule_id == "A-10")
    assert a10.outcome == "not_applicable"


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ((10, 11, 10, {}), "Số người có mặt"),
        ((10, 10, 11, {}), "Số phiếu phát ra"),
        ((10, 10, 9, {"A": 10}), "lớn hơn số phiếu phát ra"),
        ((10, 10, 9, {"A": 5, "B": 5}), "Tổng số phiếu"),
        ((0, 0, 0, {}), "triệu tập phải từ 1"),
    ],
)
def test_impossible_counts_are_refused(counts: tuple, message: str) -> None:
    convened, present, ballots, votes = counts
    with pytest.raises(BallotInputError, match=message):
        BallotInput(DAY, convened, present, ballots, votes).validate()


def test_a9_version_is_chosen_by_the_meeting_date() -> None:
    """A-9 (NĐ 170/2025) is in force from 1/7/2025: before it, the quorum rule has no version
    and says so, while the count still uses 2/3."""
    before = check_ballot(BOOK, BallotInput(dt.date(2025, 6, 30), 15, 10, 10, {"A": 9}))
    assert next(r for r in before.results if r.rule_id == "A-9").outcome == "not_applicable"
    after = check_ballot(BOOK, BallotInput(dt.date(2025, 7, 1), 15, 10, 10, {"A": 9}))
    assert next(r for r in after.results if r.rule_id == "A-9").outcome == "pass"


def test_options_rule() -> None:
    assert check_options(BOOK, DAY, 1, 1).outcome == "fail"
    assert "cần ít nhất 2" in check_options(BOOK, DAY, 1, 1).results[0].message
    assert check_options(BOOK, DAY, 1, 2).outcome == "pass"
    assert check_options(BOOK, DAY, 2, 3).outcome == "fail"
    exempt = check_options(BOOK, DAY, 1, 1, "Người đứng đầu giới thiệu (A-12).")
    assert exempt.outcome == "pass" and exempt.results[0].outcome == "not_applicable"


def test_summary_and_votes_text() -> None:
    assert parse_votes("A=12, B=9,C=3") == {"A": 12, "B": 9, "C": 3}
    with pytest.raises(BallotInputError):
        parse_votes("A=12,B")
    out = ballot_summary(BOOK, BallotInput(DAY, 25, 24, 24, {"A": 12, "B": 9, "C": 3}))
    assert out["quorum_met"] is True and out["quorum_needed"] == 17
    assert out["shares"] == {"A": 0.48, "B": 0.36, "C": 0.12}
    assert out["selected"] == [] and out["next_round"] == ["A", "B"]


@pytest.mark.django_db
def test_command_prints_json() -> None:
    out = StringIO()
    call_command(
        "rules", "ballot", "--convened", "25", "--present", "24", "--votes", "A=12,B=9,C=3",
        "--at", "2026-01-05", "--json", stdout=out,
    )  # fmt: skip
    data = json.loads(out.getvalue())
    assert data["shares"]["A"] == 0.48 and data["next_round"] == ["A", "B"]
    assert {r["rule"] for r in data["rules"]} == {"A-9", "A-10"}


@pytest.mark.django_db
def test_command_refuses_bad_counts_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        call_command("rules", "ballot", "--convened", "10", "--present", "12", "--votes", "A=3")
    assert exc.value.code == 2
    assert "không được lớn hơn số được triệu tập" in capsys.readouterr().err
