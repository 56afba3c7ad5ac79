"""The venv that ``./canbo`` bootstraps (docs/architecture.md, "What a run keeps between clones"):
``./canbo test`` in a clone without a ``.venv`` of its own links the machine's venv for its
requirements.txt, made once per machine, and the clone's later commands use it too; the other
commands make a venv of the clone's own, as does a clone with a ``.venv`` directory.
``CANBO_SHARED_VENV=1`` shares for every command (how these tests ask for it: ``./canbo test``
itself goes on to the machine's set-up, so ``core/tests/test_canbo_test_command.py`` pins that
it bootstraps ``shared``), ``=0`` for none.

The real ``canbo`` script runs ``./canbo manage version`` (the bootstrap, then ``$PY manage.py``)
in a throwaway layout. ``python3`` on its PATH is a stand-in that logs its calls and, for
``-m venv DIR``, makes a venv of stand-ins: a ``bin/python`` that logs ``pip``/``manage.py`` calls
and exits 0. So the test sees which venv was made, where, and which Python ran the command,
without installing anything.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]

VENV_PYTHON = """#!/bin/sh
echo "venv-python $(cd "$(dirname "$0")/.." && pwd -P) $*" >> "$CALLS"
"""
SYSTEM_PYTHON = f"""#!/bin/sh
echo "python3 $*" >> "$CALLS"
if [ "$1 $2" = "-m venv" ]; then
    mkdir -p "$3/bin"
    cat > "$3/bin/python" <<'EOF'
{VENV_PYTHON}EOF
    chmod +x "$3/bin/python"
fi
"""


@pytest.fixture
def machine(tmp_path: Path) -> dict[str, Path]:
    tools = tmp_path / "tools"
    tools.mkdir()
    python3 = tools / "python3"
    python3.write_text(SYSTEM_PYTHON, encoding="utf-8")
    python3.chmod(0o755)
    for name in ("sh", "sha256sum", "cut", "cat", "mkdir", "chmod", "rm", "mv", "ln", "ls", "tail",
                 "touch", "readlink", "dirname", "flock", "id", "printf"):  # fmt: skip
        found = next((Path(d) / name for d in ("/usr/bin", "/bin") if (Path(d) / name).exists()), None)
        if found:
            (tools / name).symlink_to(found)
    return {"tools": tools, "cache": tmp_path / "cache", "calls": tmp_path / "calls.log"}


def _clone(tmp_path: Path, name: str, requirements: str = "django\n") -> Path:
    root = tmp_path / name
    root.mkdir()
    (root / "canbo").write_text((REPO / "canbo").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "canbo").chmod(0o755)
    (root / "requirements.txt").write_text(requirements, encoding="utf-8")
    return root


def _sha(root: Path) -> str:
    return hashlib.sha256((root / "requirements.txt").read_bytes()).hexdigest()


def _run(root: Path, machine: dict[str, Path], **env: str) -> list[str]:
    machine["calls"].write_text("", encoding="utf-8")
    done = subprocess.run(
        [str(root / "canbo"), "manage", "version"],
        env={
            "PATH": str(machine["tools"]),
            "HOME": str(root),
            "CALLS": str(machine["calls"]),
            "CANBO_CACHE_DIR": str(machine["cache"]),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return machine["calls"].read_text(encoding="utf-8").splitlines()


def test_a_fresh_clone_links_the_machine_venv_made_once(tmp_path: Path, machine: dict[str, Path]) -> None:
    first = _clone(tmp_path, "first")
    shared = machine["cache"] / "venvs" / _sha(first)
    calls = _run(first, machine, CANBO_SHARED_VENV="1")
    # Made once, at its final path, installed into, then linked; the command ran with its Python.
    assert calls[0] == f"python3 -m venv {shared}"
    assert any(c.startswith(f"venv-python {shared} -m pip") and " install " in c for c in calls)
    assert calls[-1] == f"venv-python {shared} manage.py version"
    assert (first / ".venv").is_symlink() and os.readlink(first / ".venv") == str(shared)
    assert (shared / ".requirements.sha256").read_text(encoding="utf-8").strip() == _sha(first)

    # A second clone of the same requirements installs nothing: it links the same venv.
    second = _clone(tmp_path, "second")
    assert _run(second, machine, CANBO_SHARED_VENV="1") == [f"venv-python {shared} manage.py version"]
    assert os.readlink(second / ".venv") == str(shared)
    # So does the first clone's next command, of any kind: its .venv is the link.
    assert _run(first, machine) == [f"venv-python {shared} manage.py version"]


def test_a_venv_without_its_stamp_is_made_again(tmp_path: Path, machine: dict[str, Path]) -> None:
    clone = _clone(tmp_path, "clone")
    shared = machine["cache"] / "venvs" / _sha(clone)
    (shared / "bin").mkdir(parents=True)  # an install that stopped half-way
    calls = _run(clone, machine, CANBO_SHARED_VENV="1")
    assert calls[0] == f"python3 -m venv {shared}"
    assert (shared / ".requirements.sha256").exists()


@pytest.mark.parametrize("switch", [{}, {"CANBO_SHARED_VENV": "0"}])
def test_other_commands_and_the_switch_off_make_a_venv_of_the_clone_s_own(
    tmp_path: Path, machine: dict[str, Path], switch: dict[str, str]
) -> None:
    own = _clone(tmp_path, "own")
    calls = _run(own, machine, **switch)
    venv = own / ".venv"
    assert calls[0] == f"python3 -m venv {venv}"
    assert calls[-1] == f"venv-python {venv} manage.py version"
    assert venv.is_dir() and not venv.is_symlink()
    assert not (machine["cache"] / "venvs").exists()
    # Its .venv is a directory: the next command, even one that would share, keeps using it.
    assert _run(own, machine, CANBO_SHARED_VENV="1") == [f"venv-python {venv} manage.py version"]


def test_a_new_requirements_file_gets_its_own_venv_and_three_are_kept(
    tmp_path: Path, machine: dict[str, Path]
) -> None:
    made = []
    for n in range(4):
        clone = _clone(tmp_path, f"clone{n}", requirements=f"django\npackage{n}\n")
        _run(clone, machine, CANBO_SHARED_VENV="1")
        made.append(machine["cache"] / "venvs" / _sha(clone))
        # The stamp's time is the venv's last use: one second apart, whatever the clock's grain.
        os.utime(made[-1] / ".requirements.sha256", (1_000_000 + n, 1_000_000 + n))
    clone = _clone(tmp_path, "again", requirements="django\npackage3\n")
    _run(clone, machine, CANBO_SHARED_VENV="1")
    kept = sorted(p.name for p in (machine["cache"] / "venvs").iterdir() if p.is_dir())
    assert kept == sorted(p.name for p in made[1:])
