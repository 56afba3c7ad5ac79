"""What the rules read of salary: the retirement notices of a person (H-9), registered in
``SalaryConfig.ready()`` as ``rules.selectors.retirement_notice_facts``."""

from __future__ import annotations

from typing import Any

from canbo.people.models import Person
from canbo.rules.engine import facts as F
from canbo.salary.models import RetirementNotice


def retirement_notice_facts(user: Any, person: Person) -> tuple[F.RetirementNoticeFact, ...]:
    """The retirement notices and decisions recorded as issued for ``person`` (H-9)."""
    return tuple(
        F.RetirementNoticeFact(n.kind, n.number, n.issued_on)
        for n in RetirementNotice.objects.restrict(user).filter(person=person).order_by("issued_on")
    )
