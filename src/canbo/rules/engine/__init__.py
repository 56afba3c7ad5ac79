"""The rulebook engine: pure Python (standard library only, no Django anywhere in this package).

``rulebook`` holds dated rule versions and picks the one in force on an event's date;
``calculators`` compute the career calendar (retirement, months left, terms, notices, discipline
windows); ``checks`` judge an event, one pure function per rule, and return a ``Verdict`` that
explains itself (``validators`` re-exports their public names). Facts come in as plain
dataclasses (``facts``); the Django side builds them from the dossier.
"""

from canbo.rules.engine.rulebook import Holiday, Rulebook, RuleNotInForce, RuleVersion, load_rulebook

__all__ = ["Holiday", "RuleNotInForce", "RuleVersion", "Rulebook", "load_rulebook"]
