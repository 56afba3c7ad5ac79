"""gunicorn's configuration (issue 22): one process per core, gthread workers, a short keep-alive.

The configuration file is read by gunicorn's own loader, as `./canbo serve` does."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import canbo

CONF = Path(canbo.__file__).parent / "gunicorn_conf.py"


def printed_config(**env: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CANBO_WEB_")}
    code = "from gunicorn.app.wsgiapp import run; run()"
    res = subprocess.run(
        [sys.executable, "-c", code, "canbo.wsgi:application", "--config", str(CONF), "--print-config"],
        env={**base, "PYTHONPATH": str(CONF.parent.parent), **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    out = {}
    for line in res.stdout.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            out[key.strip()] = value.strip()
    return out


@pytest.fixture(scope="module")
def default_config() -> dict[str, str]:
    """The configuration gunicorn prints with no CANBO_WEB_* variable: one process for the module's
    tests that read it (each checks its own settings in it)."""
    return printed_config()


def test_the_server_runs_one_process_per_core_with_gthread_workers(default_config: dict[str, str]) -> None:
    conf = default_config
    assert conf["worker_class"] == "gthread"
    assert conf["workers"] == str(len(os.sched_getaffinity(0)))
    assert conf["threads"] == "4"
    assert conf["keepalive"] == "2"  # a client between requests holds no thread, and not for long


def test_the_environment_overrides_the_sizing_and_bad_values_fall_back() -> None:
    conf = printed_config(CANBO_WEB_WORKERS="3", CANBO_WEB_THREADS="8", CANBO_WEB_KEEPALIVE="abc")
    assert (conf["workers"], conf["threads"], conf["keepalive"]) == ("3", "8", "2")


def test_no_control_socket_shared_between_two_servers(default_config: dict[str, str]) -> None:
    """Two servers of one account (the restore check runs a second one) must not share
    ~/.gunicorn/gunicorn.ctl: CanBo does not use gunicorn's control socket."""
    assert default_config["control_socket_disable"] == "True"


def test_the_server_logs_in_the_zone_of_canbo_s_own_log(tmp_path: Path) -> None:
    """gunicorn's own lines (the master's "Listening at", a worker's "Booting worker") are stamped
    in Asia/Ho_Chi_Minh (+0700) like CanBo's log, on a machine whose zone is UTC."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CANBO_WEB_")}
    env = {
        **base,
        "TZ": "UTC",
        "PYTHONPATH": str(CONF.parent.parent),
        "DJANGO_SETTINGS_MODULE": "canbo.settings",
        "CANBO_DEMO": "1",
        "CANBO_ADDR": "127.0.0.1:0",
        "CANBO_WEB_WORKERS": "1",
        "CANBO_SQLITE_PATH": str(tmp_path / "none.sqlite3"),
    }
    code = "from gunicorn.app.wsgiapp import run; run()"
    log = tmp_path / "server.log"
    with log.open("wb") as err:
        server = subprocess.Popen(
            [sys.executable, "-c", code, "canbo.wsgi:application", "--config", str(CONF)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        try:
            for _ in range(300):
                if "Booting worker" in log.read_text() or server.poll() is not None:
                    break
                time.sleep(0.1)
        finally:
            server.terminate()
            server.wait(timeout=30)
    lines = [line for line in log.read_text().splitlines() if line.startswith("[")]
    assert any("Listening at" in line for line in lines) and any("Booting worker" in line for line in lines)
    assert all(" +0700] " in line for line in lines), lines
