"""A step's votes are rows (``StepVote``): written with the step, logged, fed to validator 3, out of
reach of another subtree; and the migration that moved the former JSON into them, both ways."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from canbo.cases import services as S
from canbo.cases.models import Case, Step, StepVote
from canbo.cases.selectors import step_ballot
from canbo.cases.tests.test_services import open_case
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.org.models import Post
from canbo.people.models import Person
from canbo.rules.engine.checks.ballot import BallotCase
from canbo.rules.selectors import rulebook

D = dt.date


def _in_steps(user: Any, post: Post, people: list[Person]) -> tuple[Case, list[Any]]:
    case = open_case(user, post)
    cands = [S.candidate_add(acting_user=user, case=case, person=p) for p in people]
    S.case_start_steps(acting_user=user, case=case)
    return case, cands


def test_votes_are_rows_with_the_outcome_and_in_the_change_log(
    post: Post, eligible: list[Person], users: dict
) -> None:
    officer = users["officer_a"]
    case, (a, b) = _in_steps(officer, post, eligible)
    step = S.step_record(
        acting_user=officer, case=case, number=1, held_on=D(2026, 3, 10), body="Tập thể lãnh đạo",
        convened=15, present=14, ballots=14, votes={a.pk: 10, b.pk: 4},
    )  # fmt: skip
    rows = {r.candidate_id: (r.votes, r.outcome) for r in StepVote.objects.filter(step=step)}
    assert rows == {a.pk: (10, "trung"), b.pk: (4, "")}
    assert step.selected == [a.pk] and step.votes_by_candidate == {a.pk: 10, b.pk: 4}
    logged = ObjectChange.objects.filter(content_type__model="stepvote", action="create")
    assert logged.count() == 2 and {e.related_person_id for e in logged} == {a.person_id, b.person_id}
    # Validator 3 read back from the stored rows gives what was stored.
    again = BallotCase(rulebook(), step_ballot(Step.objects.get(pk=step.pk)))
    assert again.quorum_met and again.selection == ([str(a.pk)], [])


def test_nobody_above_half_sends_the_top_two_on(post: Post, eligible: list[Person], users: dict) -> None:
    officer = users["officer_a"]
    case, (a, b) = _in_steps(officer, post, eligible)
    step = S.step_record(
        acting_user=officer, case=case, number=1, held_on=D(2026, 3, 10), body="Hội nghị",
        convened=15, present=15, ballots=15, votes={a.pk: 7, b.pk: 6},
    )  # fmt: skip
    assert step.selected == [] and step.next_round == [a.pk, b.pk]
    assert set(StepVote.objects.filter(step=step).values_list("outcome", flat=True)) == {"chuyen_buoc"}


def test_bad_votes_are_refused_by_name_and_nothing_written(
    post: Post, eligible: list[Person], users: dict
) -> None:
    officer = users["officer_a"]
    case, (a, b) = _in_steps(officer, post, eligible)
    base: dict[str, Any] = {"acting_user": officer, "case": case, "number": 1, "held_on": D(2026, 3, 10)}
    with pytest.raises(DomainError, match=r"Số phiếu của Lê Văn An \(10\) lớn hơn số phiếu phát ra \(9\)"):
        S.step_record(**base, body="x", convened=10, present=10, ballots=9, votes={a.pk: 10})
    with pytest.raises(DomainError, match="Tổng số phiếu"):
        S.step_record(**base, body="x", convened=10, present=10, ballots=9, votes={a.pk: 5, b.pk: 5})
    assert not Step.objects.exists() and not StepVote.objects.exists()


def test_another_subtree_cannot_record_votes(post: Post, eligible: list[Person], users: dict) -> None:
    case, (a, b) = _in_steps(users["officer_a"], post, eligible)
    with pytest.raises(NotPermitted):
        S.step_record(
            acting_user=users["officer_b"], case=case, number=1, held_on=D(2026, 3, 10), body="x",
            convened=10, present=10, ballots=10, votes={a.pk: 8, b.pk: 2},
        )  # fmt: skip
    assert not Step.objects.exists() and not StepVote.objects.exists()
    assert not StepVote.objects.restrict(users["officer_b"]).exists()


def test_the_api_shows_the_rows(client: Any, post: Post, eligible: list[Person], users: dict) -> None:
    officer = users["officer_a"]
    case, (a, b) = _in_steps(officer, post, eligible)
    client.force_login(officer)
    answer = client.post(
        f"/api/cases/{case.pk}/steps/",
        {"number": 1, "held_on": "2026-03-10", "body": "Hội nghị", "convened": 15, "present": 14,
         "ballots": 14, "votes": {str(a.pk): 15}, "reason": "Theo biên bản hội nghị"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 400 and "lớn hơn số phiếu phát ra" in answer.json()["detail"]
    answer = client.post(
        f"/api/cases/{case.pk}/steps/",
        {"number": 1, "held_on": "2026-03-10", "body": "Hội nghị", "convened": 15, "present": 14,
         "ballots": 14, "votes": {str(a.pk): 11, str(b.pk): 3}, "reason": "Theo biên bản hội nghị"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 201
    step = answer.json()["steps"][0]
    assert step["votes"] == {str(a.pk): 11, str(b.pk): 3} and step["selected"] == [a.pk]
    assert {(r["candidate"], r["votes"], r["outcome"]) for r in step["vote_rows"]} == {
        (a.pk, 11, "trung"),
        (b.pk, 3, ""),
    }


BEFORE = [("cases", "0001_appointment_cases")]
AFTER = [("cases", "0002_step_votes_as_rows")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_json_into_rows_and_back(
    post: Post, eligible: list[Person], users: dict
) -> None:
    officer = users["officer_a"]
    case, (a, b) = _in_steps(officer, post, eligible)
    S.step_record(
        acting_user=officer, case=case, number=1, held_on=D(2026, 3, 10), body="Hội nghị",
        convened=15, present=15, ballots=15, votes={a.pk: 7, b.pk: 6},
    )  # fmt: skip
    S.step_record(
        acting_user=officer, case=case, number=2, held_on=D(2026, 3, 12), body="Hội nghị",
        convened=15, present=14, ballots=14, votes={a.pk: 12, b.pk: 2},
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # back: the rows become the JSON again
    old = executor.loader.project_state(BEFORE).apps
    OldStep: Any = old.get_model("cases", "Step")
    json = {s.number: (s.votes, s.selected, s.next_round) for s in OldStep.objects.all()}
    assert json == {
        1: ({str(a.pk): 7, str(b.pk): 6}, [], [a.pk, b.pk]),
        2: ({str(a.pk): 12, str(b.pk): 2}, [a.pk], []),
    }
    # A step recorded before the move, as the JSON era stored it.
    OldStep.objects.create(
        case_id=case.pk, number=3, held_on=D(2026, 3, 14), body="Hội nghị", convened=9, present=5,
        ballots=5, votes={str(b.pk): 5}, quorum_met=False, selected=[], next_round=[],
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    rows = {
        (r.step.number, r.candidate_id): (r.votes, r.outcome) for r in StepVote.objects.select_related("step")
    }
    assert rows == {
        (1, a.pk): (7, "chuyen_buoc"),
        (1, b.pk): (6, "chuyen_buoc"),
        (2, a.pk): (12, "trung"),
        (2, b.pk): (2, ""),
        (3, b.pk): (5, ""),
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
