"""Production profile (issue 21): the start-up refusals of `./canbo serve` (``manage.py
preflight``), the deploy checks, the security headers and the session's idle expiry."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[4]


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CANBO_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_preflight_refuses_demo_key_debug_and_unapplied_migrations(tmp_path: Path) -> None:
    """On an empty database, with no key set and DEBUG on, each problem gets its own Vietnamese
    line saying what to set, and the command fails (so `./canbo serve` does not start gunicorn)."""
    env = {
        "CANBO_DB": "sqlite",
        "CANBO_SQLITE_PATH": str(tmp_path / "empty.sqlite3"),
        "CANBO_VAR_DIR": str(tmp_path),
        "CANBO_DEBUG": "1",
    }
    result = _manage("preflight", env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, result.stderr
    assert "CANBO_SECRET_KEY" in lines[0]
    assert "CANBO_DEBUG=0" in lines[1]
    assert "./canbo migrate" in lines[2]


def test_preflight_demo_mode_allows_the_demo_key(tmp_path: Path) -> None:
    env = {
        "CANBO_DB": "sqlite",
        "CANBO_SQLITE_PATH": str(tmp_path / "empty.sqlite3"),
        "CANBO_VAR_DIR": str(tmp_path),
        "CANBO_DEMO": "1",
    }
    result = _manage("preflight", env=env)
    assert result.returncode == 1
    assert "CANBO_SECRET_KEY" not in result.stderr
    assert "./canbo migrate" in result.stderr


@pytest.mark.django_db
def test_preflight_passes_on_a_production_configuration(settings: Any) -> None:
    settings.SECRET_KEY = "a-real-key-" + "x7Q" * 20
    settings.CANBO_DEMO = False
    settings.DEBUG = False
    err = StringIO()
    call_command("preflight", stderr=err)
    assert err.getvalue() == ""


@pytest.mark.django_db
def test_preflight_refuses_the_demo_key_in_process(settings: Any) -> None:
    settings.SECRET_KEY = settings.CANBO_DEMO_SECRET_KEY
    settings.CANBO_DEMO = False
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("preflight", stderr=err)
    assert "CANBO_SECRET_KEY" in err.getvalue()
