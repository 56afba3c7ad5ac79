"""The suite's byte-code written without collecting the suite (docs/architecture.md, "Byte-code
shared by the suite's processes").

``./canbo test`` writes the project's byte-code and pytest's rewritten test modules once, before
its passes start, so that the four workers, ``manage.py`` and the tests' subprocesses read them
instead of each compiling them again. It got them from a whole ``pytest --collect-only``: every
test module was imported (and with it openpyxl, python-docx, playwright, schemathesis, the
rulebook read by a module's parameters…) and every test's item built, only for the files that
collection wrote as it went. With ``CANBO_TEST_BYTE_CODE_ONLY=1`` that collection
(``canbo/conftest.py``, ``pytest_collection``) writes the same files and executes no test module:
for each path it was given, the app package around it, its test modules rewritten by pytest's own
assertion rewriter into the cache file pytest reads, every other module compiled as an import
would compile it.
"""

from __future__ import annotations

import compileall
import importlib.util
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from _pytest.assertion.rewrite import (
    PYC_TAIL,
    _rewrite_test,
    _write_pyc,
    assertstate_key,
    get_cache_dir,
    try_makedirs,
)
from _pytest.pathlib import fnmatch_ex

ENV = "CANBO_TEST_BYTE_CODE_ONLY"
PACKAGE = Path(__file__).resolve().parent
# pytest's header of a rewritten module: the magic number, then the flags of a checked hash pyc.
_REWRITTEN_HEADER = importlib.util.MAGIC_NUMBER + b"\x03\x00\x00\x00"


def wanted(config: pytest.Config) -> bool:
    """Whether this process is the byte-code step of ``./canbo test``: a ``--collect-only`` run
    with ``CANBO_TEST_BYTE_CODE_ONLY=1``."""
    return bool(config.option.collectonly) and os.environ.get(ENV) == "1"


def roots_of(paths: Iterable[Path], package: Path = PACKAGE) -> list[Path]:
    """The directories whose byte-code a collection of ``paths`` writes or needs: for a path inside
    ``package``, the app package holding it (its tests import it); the package for itself; any
    other directory as given, any other file's directory."""
    roots: set[Path] = set()
    for path in paths:
        path = path.resolve()
        if path == package:
            roots.add(package)
        elif path.is_relative_to(package):
            roots.add(package / path.relative_to(package).parts[0])
        else:
            roots.add(path if path.is_dir() else path.parent)
    # An app package inside another root needs no walk of its own.
    return sorted(r for r in roots if not any(o != r and r.is_relative_to(o) for o in roots))


def _python_files(root: Path) -> Iterator[Path]:
    if root.is_file():
        if root.suffix == ".py":
            yield root
        return
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                yield Path(directory) / name


def _rewritten_is_current(source: Path, pyc: Path) -> bool:
    try:
        with open(pyc, "rb") as f:
            header = f.read(16)
    except OSError:
        return False
    return header == _REWRITTEN_HEADER + importlib.util.source_hash(source.read_bytes())[:8]


def write(config: pytest.Config, package: Path = PACKAGE) -> int:
    """Write the byte-code a collection of ``config.args`` would have written, and that of the rest
    of their app packages: pytest's rewritten module for each file pytest rewrites (a conftest, a
    file matching ``python_files``, a file named on the command line), an ordinary ``__pycache__``
    file for every other module and, when a path is inside ``package``, for the package's own
    top-level modules (settings, urls, wsgi…). Files already current are left as they are; a
    directory that cannot be written is passed over, as pytest and the import system do. Returns
    how many test modules were rewritten."""
    state = config.stash[assertstate_key]
    patterns = config.getini("python_files")
    base = config.invocation_params.dir
    named = [base / arg.split("::", 1)[0] for arg in config.args]
    named_files = {p.resolve() for p in named if p.is_file()}
    sources = [source for root in roots_of(named, package) for source in _python_files(root)]
    if any(p.resolve().is_relative_to(package) for p in named):
        # The package's own modules (settings, urls, wsgi, its conftest), once.
        sources += [source for source in sorted(package.glob("*.py")) if source not in sources]
    rewritten = 0
    for source in sources:
        if (
            source.name == "conftest.py"
            or source in named_files
            or any(fnmatch_ex(p, source) for p in patterns)
        ):
            pyc = get_cache_dir(source) / (source.name[:-3] + PYC_TAIL)
            if _rewritten_is_current(source, pyc) or not try_makedirs(pyc.parent):
                continue
            source_hash, code = _rewrite_test(source, config)
            _write_pyc(state, code, source_hash, pyc)
            rewritten += 1
        else:
            compileall.compile_file(source, quiet=2)
    return rewritten
