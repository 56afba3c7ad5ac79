"""The shape of ``./canbo test`` (docs/architecture.md, "The shape of ./canbo test"): the checks
and the SQLite pass run beside the PostgreSQL pass, every step's output is shown, a failure of any
step fails the command, and pytest's arguments reach both passes.

The real ``canbo`` script runs in a copy of the repository's layout whose ``.venv`` holds stand-ins
for ruff, mypy, python (``manage.py``) and pytest: small shell scripts that log how they were
called, print a line and exit with the status the test asks for. Only the machine set-up at the
top of ``cmd_test`` (the venv, Chromium, LibreOffice, the PostgreSQL server) is left out of the
copy; everything after it is the script's own code.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
SET_UP = "    bootstrap shared\n    ensure_chromium\n    ensure_libreoffice\n    ensure_postgres\n"
TOOLS = {"ruff": "ruff", "mypy": "mypy", "python": "python", "pytest": "pytest"}


def _stand_in(name: str) -> str:
    # Logs "name args… CANBO_DB=…", prints a line naming itself (and its database), and exits with
    # $FAIL_<what> when set, <what> being the step (ruff-check, mypy, check, pytest-sqlite…).
    return f"""#!/bin/sh
what={name}
case "{name} $*" in
    "ruff check"*) what=ruff-check ;;
    "ruff format"*) what=ruff-format ;;
    "python manage.py check"*) what=check ;;
    "python manage.py makemigrations"*) what=makemigrations ;;
    "pytest --collect-only"*) what=collect ;;
    pytest*) what="pytest-${{CANBO_DB:-}}" ;;
esac
echo "{name} $* CANBO_DB=${{CANBO_DB:-}} SECOND=${{CANBO_TEST_SECOND_DATABASE:-}}\
 NOPYC=${{PYTHONDONTWRITEBYTECODE:-}}" >> "$CALLS"
echo "output of $what"
eval "code=\\${{FAIL_$(echo "$what" | tr - _):-0}}"
exit "$code"
"""


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    script = (REPO / "canbo").read_text(encoding="utf-8")
    assert script.count(SET_UP) == 1, "cmd_test's machine set-up changed: update this test"
    root = tmp_path / "repo"
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / "canbo").write_text(script.replace(SET_UP, "    :\n"), encoding="utf-8")
    (root / "canbo").chmod(0o755)
    for name in TOOLS:
        tool = root / ".venv" / "bin" / name
        tool.write_text(_stand_in(name), encoding="utf-8")
        tool.chmod(0o755)
    requirements = root / "requirements.txt"
    requirements.write_text("django\n", encoding="utf-8")
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    (root / ".venv" / ".requirements.sha256").write_text(digest + "\n", encoding="utf-8")
    return root


def _run(root: Path, *args: str, **fail: str) -> tuple[int, str, list[str]]:
    calls = root / "calls.log"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
        "CALLS": str(calls),
        "CANBO_CACHE_DIR": str(root / "cache"),
        **{f"FAIL_{k}": v for k, v in fail.items()},
    }
    done = subprocess.run(
        [str(root / "canbo"), "test", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout, calls.read_text(encoding="utf-8").splitlines()


SQLITE_HEADING = "pytest (SQLite, không chạy lại kiểm thử trình duyệt và kiểm thử không dùng cơ sở dữ liệu)"
STEPS = [
    "ruff check",
    "ruff format --check",
    "mypy",
    "manage.py check",
    "makemigrations --check",
    "pytest (SQLite",
]


def test_every_step_runs_and_both_passes_get_the_arguments(layout: Path) -> None:
    code, out, calls = _run(layout, "-k", "due")
    assert code == 0
    for what in ("ruff-check", "ruff-format", "mypy", "check", "makemigrations", "pytest-sqlite"):
        assert f"output of {what}" in out
    assert "output of pytest-postgresql" in out
    assert "THẤT BẠI" not in out
    # Each step's heading, in the order the steps used to run, after the PostgreSQL pass.
    headings = [out.index(f"==> {step}") for step in STEPS]
    assert headings == sorted(headings)
    assert out.index("==> pytest (PostgreSQL)") < headings[0]
    passes = sorted(c for c in calls if c.startswith("pytest -n"))
    assert passes == [
        "pytest -n 2 --durations=25 -k due CANBO_DB=postgresql SECOND= NOPYC=",
        "pytest -n 2 -m not browser --durations=25 -k due CANBO_DB=sqlite SECOND=1 NOPYC=",
    ]
    # One collection of the same tests writes the byte-code before the passes and manage.py start,
    # and every one of them may write and read it (PYTHONDONTWRITEBYTECODE, set for the other
    # commands, is unset).
    collect = "pytest --collect-only -q -k due CANBO_DB=sqlite SECOND= NOPYC="
    assert calls.count(collect) == 1
    after = [c for c in calls if c.startswith(("pytest -n", "python"))]
    assert len(after) == 4 and all(calls.index(collect) < calls.index(c) for c in after)
    assert all(c.endswith(" NOPYC=") for c in after)
    assert sum(c.startswith("python manage.py") for c in calls) == 2
    assert sum(c.startswith(("ruff", "mypy")) for c in calls) == 3


@pytest.mark.parametrize(
    ("step", "heading"),
    [
        ("ruff_check", "ruff check"),
        ("ruff_format", "ruff format --check"),
        ("mypy", "mypy"),
        ("check", "manage.py check"),
        ("makemigrations", "makemigrations --check"),
        ("pytest_sqlite", SQLITE_HEADING),
    ],
)
def test_a_failed_step_fails_the_command_with_its_output_shown(layout: Path, step: str, heading: str) -> None:
    code, out, _calls = _run(layout, **{step: "3"})
    assert code != 0
    assert f"==> THẤT BẠI: {heading} (mã lỗi 3)" in out
    # The failed step's output is under its heading; every other step still ran and is shown.
    assert out.index(f"==> {heading}") < out.index(f"output of {step.replace('_', '-')}")
    for what in ("ruff-check", "ruff-format", "mypy", "check", "makemigrations", "pytest-sqlite"):
        assert f"output of {what}" in out
    assert out.count("THẤT BẠI") == 1


def test_a_failed_postgresql_pass_fails_the_command_and_the_rest_is_still_shown(layout: Path) -> None:
    code, out, _calls = _run(layout, pytest_postgresql="1")
    assert code != 0
    assert "output of pytest-postgresql" in out
    for what in ("ruff-check", "ruff-format", "mypy", "check", "makemigrations", "pytest-sqlite"):
        assert f"output of {what}" in out


def test_a_failed_byte_code_collection_leaves_the_errors_to_the_passes(layout: Path) -> None:
    code, out, calls = _run(layout, collect="2")
    assert code == 0
    assert "output of pytest-postgresql" in out and "output of pytest-sqlite" in out
    assert "output of collect" not in out
    assert sum(c.startswith("pytest -n 2") for c in calls) == 2


def test_without_arguments_the_byte_code_is_collected_in_two_halves_side_by_side(layout: Path) -> None:
    apps = ["accounts", "core", "demo", "people", "rules"]
    for app in apps:
        (layout / "src" / "canbo" / app / "tests").mkdir(parents=True)
    code, _out, calls = _run(layout)
    assert code == 0
    collects = sorted(c for c in calls if c.startswith("pytest --collect-only"))
    halves = [[f"src/canbo/{a}/tests" for a in apps[i::2]] for i in (0, 1)]
    assert collects == sorted(
        f"pytest --collect-only -q {' '.join(half)} CANBO_DB=sqlite SECOND= NOPYC=" for half in halves
    )
    # Both halves ended before the passes and manage.py started.
    last = max(calls.index(c) for c in collects)
    assert all(last < calls.index(c) for c in calls if c.startswith(("pytest -n", "python")))


def test_the_byte_code_collection_only_writes_the_byte_code(layout: Path) -> None:
    # The collection before the passes asks for the byte-code alone (canbo/testbytecode.py); the
    # passes collect and run the tests as before.
    pytest_stand_in = layout / ".venv" / "bin" / "pytest"
    pytest_stand_in.write_text(
        '#!/bin/sh\necho "pytest $* BYTE_CODE_ONLY=${CANBO_TEST_BYTE_CODE_ONLY:-}" >> "$CALLS"\n',
        encoding="utf-8",
    )
    code, _out, calls = _run(layout, "-k", "due")
    assert code == 0
    assert [c for c in calls if c.startswith("pytest")] == [
        "pytest --collect-only -q -k due BYTE_CODE_ONLY=1",
        *[c for c in calls if c.startswith("pytest -n")],
    ]
    assert sorted(c for c in calls if c.startswith("pytest -n")) == [
        "pytest -n 2 --durations=25 -k due BYTE_CODE_ONLY=",
        "pytest -n 2 -m not browser --durations=25 -k due BYTE_CODE_ONLY=",
    ]
