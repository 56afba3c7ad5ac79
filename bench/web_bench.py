"""What the production layer of issue 21 costs a request: `/healthz`, and the login page with
and without the content-security-policy middleware (the request-log line is written to
/dev/null in both).

Usage: ./canbo bench web_bench [--repeat 200]

Runs on a separate SQLite file ``var/bench/web.sqlite3`` (``migrate`` on the first run), through
Django's test client in this process (no HTTP server, so the figures are the application's own).
Prints medians in milliseconds and the load average. No figure is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _median_ms(client: object, path: str, repeat: int) -> float:
    client.get(path)  # type: ignore[attr-defined]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(path)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    path = ROOT / "var" / "bench" / "web.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    os.environ["CANBO_DB"] = "sqlite"
    os.environ["CANBO_SQLITE_PATH"] = str(path)
    os.environ["CANBO_DEMO"] = "1"
    os.environ["CANBO_WORKER_HEARTBEAT_FILE"] = str(path.parent / "web-heartbeat.json")
    import logging

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from canbo.core.health import write_heartbeat

    call_command("migrate", verbosity=0)
    write_heartbeat()
    for handler in logging.getLogger("canbo").handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 (for the whole run)
    without_csp = [m for m in settings.MIDDLEWARE if m != "csp.middleware.CSPMiddleware"]
    client = Client()
    print(f"/healthz: {_median_ms(client, '/healthz', args.repeat):.2f} ms")
    with_csp, without = [], []
    for _ in range(3):  # alternately, so that a change of load hits both
        with_csp.append(_median_ms(client, "/dang-nhap/", args.repeat))
        with override_settings(MIDDLEWARE=without_csp):
            without.append(_median_ms(Client(), "/dang-nhap/", args.repeat))
    print(f"/dang-nhap/ with CSP: {statistics.median(with_csp):.2f} ms")
    print(f"/dang-nhap/ without the CSP middleware: {statistics.median(without):.2f} ms")
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
