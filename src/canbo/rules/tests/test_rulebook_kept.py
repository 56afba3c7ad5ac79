"""The rulebook kept in the process (issue 22): one small query per request instead of reading
every rule version and day off; a change shows on the next request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from canbo.core.context import bind_context
from canbo.rules import services
from canbo.rules.engine.dates import working_days_before
from canbo.rules.selectors import rulebook


def test_the_rulebook_is_read_once_and_a_change_shows_on_the_next_request(
    rules_loaded: None, users: dict, django_assert_num_queries: Any
) -> None:
    with bind_context(source="web"):
        first = rulebook()
    with bind_context(source="web"), django_assert_num_queries(1):  # the stamp only
        assert rulebook() is first
        assert rulebook() is first  # and nothing more within the request
    day = dt.date(2031, 3, 12)  # a Wednesday, a working day
    assert first.holidays.is_working_day(day)
    services.holiday_add(day=day, name="Ngày nghỉ thử", acting_user=users["admin"])
    with bind_context(source="web"):
        again = rulebook()
    assert again is not first and not again.holidays.is_working_day(day)


def test_counted_working_days_are_those_of_a_fresh_count(rules_loaded: None) -> None:
    cal = rulebook().holidays
    end = dt.date(2027, 1, 15)
    plain = {d for d in (end - dt.timedelta(days=n) for n in range(1, 200)) if not cal.is_working_day(d)}
    expected = end
    found = 0
    while found < 90:
        expected -= dt.timedelta(days=1)
        if expected not in plain:
            found += 1
    assert working_days_before(end, 90, cal) == expected
    assert working_days_before(end, 90, cal) == expected  # remembered, the same


def test_the_rules_file_is_parsed_once_while_it_does_not_change(tmp_path: Any, monkeypatch: Any) -> None:
    """The database-less rulebook (the tests, a new installation) parses ``rules.toml`` once per
    process, and again as soon as the file changes; each reader gets its own copy."""
    import os
    import shutil
    import tomllib

    from canbo.rules.engine import rulebook as engine

    for name in ("rules.toml", "holidays.toml"):
        shutil.copy(engine.DATA_DIR / name, tmp_path / name)
    parsed: list[str] = []
    real_load = tomllib.load

    def counting_load(fh: Any) -> Any:
        if os.path.dirname(fh.name) == str(tmp_path.resolve()):  # not the repository's own files
            parsed.append(os.path.basename(fh.name))
        return real_load(fh)

    monkeypatch.setattr(engine.tomllib, "load", counting_load)
    first = engine.load_rulebook(tmp_path)
    second = engine.load_rulebook(tmp_path)
    assert parsed == ["rules.toml", "holidays.toml"]
    assert second is not first
    assert [v.label for v in second.all_versions()] == [v.label for v in first.all_versions()]
    assert [(v.label, v.params) for v in second.all_versions()] == [
        (v.label, v.params) for v in engine.load_rulebook().all_versions()
    ]

    # The parsed file itself (the loader of the database reads it): once, a copy for each reader.
    mine = engine.read_toml(tmp_path / "rules.toml")
    mine["rule"][0]["params"]["changed_by_a_reader"] = 1
    assert "changed_by_a_reader" not in engine.read_toml(tmp_path / "rules.toml")["rule"][0]["params"]
    assert parsed == ["rules.toml", "holidays.toml", "rules.toml"]
    parsed.clear()

    # A new version appended to the file shows on the next read.
    rules = tmp_path / "rules.toml"
    added = (
        '\n[[rule]]\nid = "H-99"\nversion = 1\nname = "Thử"\nstatement = "Thử"\nconfidence = "confirmed"\n'
    )
    text = rules.read_text(encoding="utf-8") + added
    rules.write_text(text, encoding="utf-8")
    assert "H-99" in engine.load_rulebook(tmp_path).rule_ids()
    assert parsed == ["rules.toml"]
    assert engine.read_toml(rules)["rule"][-1]["id"] == "H-99"
    assert parsed == ["rules.toml", "rules.toml"]

    # Rewritten with the same size (a later time stamp, as any write gives): read again too.
    size = rules.stat().st_size
    rules.write_text(text.replace('"H-99"', '"H-98"'), encoding="utf-8")
    later = rules.stat()
    os.utime(rules, ns=(later.st_atime_ns, later.st_mtime_ns + 1_000_000_000))
    assert rules.stat().st_size == size
    ids = engine.load_rulebook(tmp_path).rule_ids()
    assert "H-98" in ids and "H-99" not in ids
    assert parsed == ["rules.toml", "rules.toml", "rules.toml"]
