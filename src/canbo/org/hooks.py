"""What the organisation reads and writes of the people at its units.

Careers and people keep their models above org (a tenure is held at a unit, a dossier is managed
by one), so org imports neither: the unit pages and the restructuring operations call these
hooks, which ``CareersConfig.ready()`` and ``PeopleConfig.ready()`` register
(``canbo.core.hooks``).
"""

from __future__ import annotations

from canbo.core.hooks import Hook

#: (user, unit, day, *, subtree=False) → the tenures held in the unit (or its subtree) on the
#: day that the user may see, senior titles first (careers).
unit_people_on = Hook("people holding posts in a unit on a day")
#: (user, root, day) → the tenures held in ``root``'s subtree on the day, by name (careers).
tenures_in_subtree_on = Hook("tenures held in a subtree on a day")
#: (user, unit) → (person id, "name (title)") of the people with an open tenure at the unit,
#: for the split form (careers).
running_people = Hook("people with an open tenure at a unit")
#: (unit, *, on, acting_user, reason, carry) → number carried: close the tenures and memberships
#: at a unit that ends the day before ``on``, and carry each person ``carry(person_id)`` maps
#: to a unit with a new tenure there (careers).
close_tenures = Hook("close the tenures at a unit that ends")
#: (unit, successor, *, on, acting_user, reason): the memberships of a body that moves carry
#: over to its successor (careers).
carry_memberships = Hook("carry the memberships of a body that moves")
#: (units, day) → {unit id: {"cong_chuc": n, "vien_chuc": n}}: the people counted against each
#: unit's staffing quota on the day (people).
staff_counts_on = Hook("people counted against a unit's quota")
#: (*, unit, successors, acting_user, reason) → number of grants carried: the grants on a unit
#: that closes go to its successors (accounts).
carry_grants = Hook("carry the grants on a unit that closes")
