"""Checks the dossier runs when a record is written (registered on assessment's hooks)."""

from __future__ import annotations

from typing import Any

from canbo.rules.engine import facts as F
from canbo.rules.engine.verdict import FAIL


def discipline_form_refusal(d: Any) -> str | None:
    """Validator 9's form rule (D-1 Party, D-5 State) on ``d`` (an unsaved or changed
    ``assessment.Discipline``): the refusal citing the rule, or None. Giáng chức and hạ bậc
    lương are refused for State discipline decided from 1/7/2025. Mass-organisation discipline
    has no rule here. The subject (Party member, probationary member, cadre, civil servant) is
    read from the dossier as the system sees it."""
    from canbo.rules.cli import SystemUser
    from canbo.rules.engine.checks.discipline import DisciplineCase, rule_d1_d5
    from canbo.rules.selectors import discipline_subject, rulebook

    if d.system not in (F.PARTY, F.STATE):
        return None
    fact = F.DisciplineFact(
        d.system,
        d.form,
        d.decision_date,
        d.effective_date,
        d.announced_date,
        d.decision_number,
        d.duty_related,
    )
    person = (
        getattr(d, "person", None) if d.person_id is not None or "person" in d._state.fields_cache else None
    )
    if person is not None and person.pk is not None:
        subject = discipline_subject(SystemUser(), person, d.system, d.decision_date)
    elif d.system == F.PARTY:
        subject = "dang_vien"  # a person not saved yet (an import): no membership to read
    else:
        subject = "can_bo" if getattr(person, "category", "") == "can_bo" else "cong_chuc"
    # The whole verdict (lapse, window) is the person page's; only the form rule refuses a write.
    for r in rule_d1_d5(DisciplineCase(rulebook(), fact, subject, d.decision_date)):
        if r.outcome == FAIL:
            return f"{r.message} Căn cứ: {r.rule_id} ({r.basis})."
    return None
