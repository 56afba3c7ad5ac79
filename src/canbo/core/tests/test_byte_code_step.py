"""The byte-code step of ``./canbo test`` (canbo/testbytecode.py): the collection before the passes
writes pytest's rewritten test modules and the ordinary byte-code of the modules around them, in the
files pytest and the import system read, without executing a test module."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest
from _pytest.assertion.rewrite import PYC_TAIL, _read_pyc

from canbo import conftest, testbytecode

TEST_MODULE = """from pathlib import Path

Path(__file__).with_name("imported").touch()


def test_sum():
    assert 1 + 1 == 2
"""


def _app(root: Path) -> Path:
    app = root / "app"
    (app / "tests").mkdir(parents=True)
    for name in ("__init__.py", "models.py", "tests/__init__.py", "tests/helpers.py"):
        (app / name).write_text("VALUE = 1\n", encoding="utf-8")
    (app / "tests" / "conftest.py").write_text("import pytest\n", encoding="utf-8")
    (app / "tests" / "test_sum.py").write_text(TEST_MODULE, encoding="utf-8")
    return app


def test_the_test_modules_are_rewritten_and_the_rest_compiled_without_importing_them(
    tmp_path: Path, pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(tmp_path)
    (tmp_path / "settings.py").write_text("VALUE = 1\n", encoding="utf-8")
    (tmp_path / "conftest.py").write_text("import pytest\n", encoding="utf-8")
    monkeypatch.setattr(pytestconfig, "args", [str(app / "tests" / "test_sum.py") + "::test_sum"])
    assert testbytecode.write(pytestconfig, package=tmp_path) == 3
    # The package's own modules: its conftest rewritten only, the others compiled.
    assert _read_pyc(tmp_path / "conftest.py", tmp_path / "__pycache__" / f"conftest{PYC_TAIL}") is not None
    assert not Path(importlib.util.cache_from_source(str(tmp_path / "conftest.py"))).exists()
    assert Path(importlib.util.cache_from_source(str(tmp_path / "settings.py"))).is_file()
    tests = app / "tests"
    assert not (tests / "imported").exists()
    for name in ("test_sum", "conftest"):
        source = tests / f"{name}.py"
        code = _read_pyc(source, tests / "__pycache__" / f"{name}{PYC_TAIL}")
        assert code is not None
        assert not Path(importlib.util.cache_from_source(str(source))).exists()
    # pytest's assertion rewriting is in the test module's code (its helpers module's name).
    test_sum = _read_pyc(tests / "test_sum.py", tests / "__pycache__" / f"test_sum{PYC_TAIL}")
    assert test_sum is not None
    assert "@pytest_ar" in test_sum.co_names
    for module in ("__init__.py", "models.py", "tests/__init__.py", "tests/helpers.py"):
        assert Path(importlib.util.cache_from_source(str(app / module))).is_file(), module
    # What is current is left as it is; a changed test module is rewritten again.
    assert testbytecode.write(pytestconfig, package=tmp_path) == 0
    (tests / "test_sum.py").write_text(TEST_MODULE + "\n# changed\n", encoding="utf-8")
    assert testbytecode.write(pytestconfig, package=tmp_path) == 1


def test_the_app_package_of_each_path_is_written() -> None:
    package = testbytecode.PACKAGE
    assert testbytecode.roots_of(
        [package / "core" / "tests" / "test_dates.py", package / "people" / "tests"]
    ) == [
        package / "core",
        package / "people",
    ]
    assert testbytecode.roots_of([package / "core" / "tests", package]) == [package]


def test_the_collection_writes_the_byte_code_instead_only_when_asked(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[pytest.Config] = []

    def write(config: pytest.Config) -> int:
        written.append(config)
        return 0

    monkeypatch.setattr(testbytecode, "write", write)
    session = SimpleNamespace(config=pytestconfig)
    monkeypatch.setattr(pytestconfig.option, "collectonly", True)
    monkeypatch.setenv("CANBO_TEST_BYTE_CODE_ONLY", "1")
    assert conftest.pytest_collection(session) is True  # type: ignore[arg-type]
    assert written == [pytestconfig]
    monkeypatch.setattr(pytestconfig.option, "collectonly", False)
    assert conftest.pytest_collection(session) is None  # type: ignore[arg-type]
    monkeypatch.setattr(pytestconfig.option, "collectonly", True)
    monkeypatch.delenv("CANBO_TEST_BYTE_CODE_ONLY")
    assert conftest.pytest_collection(session) is None  # type: ignore[arg-type]
    assert written == [pytestconfig]
