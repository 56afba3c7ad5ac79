"""gunicorn's configuration (issue 22): one process per core, gthread workers, a short keep-alive.

The configuration file is read by gunicorn's own loader, as `./canbo serve` does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def test_the_server_runs_one_process_per_core_with_gthread_workers() -> None:
    conf = printed_config()
    assert conf["worker_class"] == "gthread"
    assert conf["workers"] == str(len(os.sched_getaffinity(0)))
    assert conf["threads"] == "4"
    assert conf["keepalive"] == "2"  # a client between requests holds no thread, and not for long


def test_the_environment_overrides_the_sizing_and_bad_values_fall_back() -> None:
    conf = printed_config(CANBO_WEB_WORKERS="3", CANBO_WEB_THREADS="8", CANBO_WEB_KEEPALIVE="abc")
    assert (conf["workers"], conf["threads"], conf["keepalive"]) == ("3", "8", "2")


def test_no_control_socket_shared_between_two_servers() -> None:
    """Two servers of one account (the restore check runs a second one) must not share
    ~/.gunicorn/gunicorn.ctl: CanBo does not use gunicorn's control socket."""
    assert printed_config()["control_socket_disable"] == "True"
