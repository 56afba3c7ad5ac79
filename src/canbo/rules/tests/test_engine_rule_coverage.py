"""Every rule of rules.toml is evaluated by a check, or marked informational (no database)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from canbo.rules.engine.checks import ALL_CHECKS, CHECKS, RatingInput, Rule, VoteInput
from canbo.rules.engine.checks.discipline import DISCIPLINE, DisciplineCase
from canbo.rules.engine.checks.rating import RATING, RatingCase
from canbo.rules.engine.checks.vote import VOTE, VoteCase
from canbo.rules.engine.facts import (
    FORM_LABELS,
    Declared,
    DisciplineFact,
    HealthFact,
    MembershipFact,
    PlanningFact,
    PoliticalFact,
    RatingFact,
)
from canbo.rules.engine.rulebook import DATA_DIR, Rulebook, read_toml
from canbo.rules.tests.engine_helpers import BOOK, COMMUNE_SECRETARY, DEPUTY, DIRECTOR, HEAD, person, tenure

D = dt.date


def all_rules() -> list[Rule[Any]]:
    return [fn for check in ALL_CHECKS.values() for fn in check.all_rules()]


def toml_rules() -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for row in read_toml(DATA_DIR / "rules.toml")["rule"]:
        rows.setdefault(row["id"], []).append(row)
    return rows


def evaluated_ids() -> set[str]:
    return {rid for fn in all_rules() for rid in fn.ids + fn.uses}


def test_every_rule_is_evaluated_by_a_check_or_informational() -> None:
    rows = toml_rules()
    informational = {rid for rid, versions in rows.items() if versions[0].get("informational")}
    missing = sorted(set(rows) - evaluated_ids() - informational)
    assert not missing, f"rules evaluated by no check and not marked informational: {missing}"


def test_informational_marks_are_consistent_and_not_stale() -> None:
    rows = toml_rules()
    mixed = [rid for rid, vs in rows.items() if len({bool(v.get("informational")) for v in vs}) > 1]
    assert not mixed, f"informational on some versions only: {mixed}"
    stale = sorted(rid for rid in evaluated_ids() if rid in rows and rows[rid][0].get("informational"))
    assert not stale, f"marked informational but evaluated by a check: {stale}"


def test_checks_cite_only_rules_of_the_rulebook() -> None:
    unknown = sorted(evaluated_ids() - set(toml_rules()))
    assert not unknown, f"rule functions naming rules that rules.toml does not have: {unknown}"


def test_every_rule_function_cites_its_rules_in_its_docstring() -> None:
    problems = [f"{fn.name}: {rid}" for fn in all_rules() for rid in fn.ids if rid not in fn.doc]
    assert not problems, problems


# -- each rule function returns results only for the rules it declares -----------------------

TITLES = (DEPUTY, HEAD, DIRECTOR, COMMUNE_SECRETARY)


def people() -> Iterator[Any]:
    yield person(born=None)
    yield person((1990, 3), "nu")
    yield person(
        (1968, 2),
        tenures=(tenure(DEPUTY, D(2012, 1, 1), D(2016, 12, 31)), tenure(HEAD, D(2017, 1, 1))),
        disciplines=(
            DisciplineFact("dang", "khien_trach", D(2024, 5, 1), D(2024, 5, 10)),
            DisciplineFact("chinh_quyen", "cach_chuc", D(2019, 3, 1)),
            DisciplineFact("dang", "khai_tru", D(2020, 3, 1)),
        ),
        political=(PoliticalFact(D(2023, 1, 1), True, "Giám đốc Sở"),),
        ratings=(RatingFact("dang", 2022, "htt"), RatingFact("dang", 2023, "kht")),
        health=(HealthFact(D(2025, 1, 1), "tot"),),
        memberships=(MembershipFact("cap_uy", D(2020, 10, 1)),),
        is_party_member=True,
        planning=(PlanningFact(DIRECTOR, "Tỉnh ủy", "2025–2030", D(2021, 1, 1)),),
    )
    yield person(
        (1980, None),
        tenures=(tenure(DIRECTOR, D(2015, 6, 1)),),
        political=(PoliticalFact(D(2020, 1, 1), False),),
        health=(HealthFact(D(2024, 1, 1), "yeu"),),
        is_party_member=False,
        planning=(),
    )


DECLARED = (
    Declared(),
    Declared(
        planned_for_title=True,
        pending_discipline=False,
        open_proposal_same_title=True,
        people_planned_for_title=5,
        titles_planned_same_level=2,
        rotation_purpose="khong_dia_phuong",
        rotation_months=24,
        planned_term_start=D(2030, 1, 1),
    ),
)
DAYS = (D(2018, 6, 1), D(2025, 9, 15), D(2026, 3, 2))
# The shipped rulebook, and one with a few rules removed (the "no version in force" branches).
DROPPED = {"A-3", "A-14", "P-8", "V-3", "E-8", "K-4"}  # rules the engine requires (A-13, V-6) stay
SPARSE = Rulebook(v for v in BOOK.all_versions() if v.rule_id not in DROPPED)


@pytest.mark.parametrize("book", [BOOK, SPARSE], ids=["rulebook", "sparse"])
def test_rule_functions_return_only_the_rules_they_declare(book: Rulebook) -> None:
    problems: set[str] = set()
    seen: set[str] = set()

    def record(fn: Rule[Any], ctx: Any) -> None:
        for r in fn(ctx):
            seen.add(r.rule_id)
            if r.rule_id not in fn.ids:
                problems.add(f"{fn.name} returned {r.rule_id}")

    for p, title, day, declared in itertools.product(people(), TITLES, DAYS, DECLARED):
        for person_check in CHECKS.values():
            ctx = person_check.case(book, p, title, day, declared)
            gate = person_check.check.gate
            if gate is not None:
                record(gate, ctx)
                if gate(ctx):
                    continue  # the gate's results are the whole verdict
            for fn in person_check.check.rules:
                record(fn, ctx)
    for day, low in itertools.product(DAYS, (0, 10, 16, 25)):
        vote = VoteCase(book, VoteInput(day, 30, 25, 25, 5, 25 - 5 - low, low))
        for vote_fn in VOTE.all_rules():
            record(vote_fn, vote)
        zero = VoteCase(book, VoteInput(day, 0, 0, 0, 0, 0, 0))
        for vote_fn in VOTE.all_rules():
            record(vote_fn, zero)
    sides = ("dang", "chinh_quyen")
    for system, day, level, flag in itertools.product(sides, DAYS, ("htxs", "ht"), (None, True)):
        rating = RatingInput(system, day, level, 88.0, True, flag, flag, flag, 0.5, 2, 10)
        for rating_fn in RATING.all_rules():
            record(rating_fn, RatingCase(book, rating))
    for system, form, day in itertools.product(sides, FORM_LABELS, DAYS):
        case = DisciplineCase(book, DisciplineFact(system, form, day), "can_bo", day + dt.timedelta(days=200))
        for discipline_fn in DISCIPLINE.all_rules():
            record(discipline_fn, case)
    assert not problems, sorted(problems)
    assert len(seen) >= 40  # the cases above reach most rules (a guard against an empty loop)
