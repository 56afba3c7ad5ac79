"""What collecting the suite costs each pytest process (docs/performance.md, "Session 16"): every
worker of both passes collects every test module, so a library imported by a module's top level is
paid by every process, whether or not it runs a test that uses it; and a pytest plugin loaded is
loaded by every process."""

from __future__ import annotations

import inspect

import pytest

from canbo.conftest import NOT_IMPORTED_BY_THE_COLLECTION, imported_by_the_collection


def test_collecting_the_suite_imports_none_of_the_libraries_only_some_tests_use(
    request: pytest.FixtureRequest,
) -> None:
    # Recorded when this process's collection ended, before any test ran (canbo/conftest.py).
    assert request.session.stash[imported_by_the_collection] == frozenset()
    assert "schemathesis" in NOT_IMPORTED_BY_THE_COLLECTION


def test_the_plugins_no_test_uses_are_not_loaded(request: pytest.FixtureRequest) -> None:
    plugins = request.config.pluginmanager
    assert not plugins.has_plugin("anyio")
    assert not plugins.has_plugin("schemathesis")
    # anyio's plugin runs async tests; there is none (a new one would need the plugin back).
    assert not [
        item.nodeid
        for item in request.session.items
        if inspect.iscoroutinefunction(getattr(item, "obj", None))
    ]
