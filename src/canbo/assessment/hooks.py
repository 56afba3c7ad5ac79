"""What assessment asks of the rules app, registered in ``RulesConfig.ready()`` (rules is above
assessment in the layers, docs/architecture.md)."""

from __future__ import annotations

from canbo.core.hooks import Hook

#: (discipline) → the Vietnamese refusal when its form is not valid for its subject on its
#: decision date (validator 9, D-1 / D-5), or None. Called by ``Discipline.clean()``, so the form,
#: the API and the import refuse alike.
discipline_form_refusal = Hook("discipline form check")
