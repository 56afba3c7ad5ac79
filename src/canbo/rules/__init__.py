"""The rulebook (C6): dated rule versions loaded from data, calculators and validators.

The engine in ``canbo.rules.engine`` is pure Python (no Django import); this app only loads
the rule data into it, keeps versions and the holiday table, and shows verdicts."""
