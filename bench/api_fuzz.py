"""Schema fuzzing of the API (issue 21: "the schema-fuzzing run of the API with 0 server errors").

Usage: ./canbo bench api_fuzz [--db PATH] [--max-examples N] [--only SUBSTRING]

Copies the demo database (``--db``, default the SQLite file of ``./canbo demo``; the demo province
needs 9,128 persons at least, too slow to build per run) into a temporary folder, migrates the
copy, creates the demo accounts and a write token for the province-wide officer
(``tochuc``), loads ``/api/schema/`` from the real app (in-process WSGI, no mock) and, for every
operation of the schema, lets schemathesis (hypothesis) generate up to ``--max-examples`` requests,
positive and negative, each sent with the token and an ``X-Change-Reason`` header, checked with
``not_a_server_error`` (no 5xx). Prints per operation the number of requests sent and the
failures (method, path, status, the request that failed), then a summary with the duration and
the load average before and after. The exit status is 1 when any server error was found.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def fuzz_operation(op: Any, headers: dict[str, str], max_examples: int) -> tuple[int, list[str]]:
    """Send up to ``max_examples`` generated requests to one operation (derandomized, so a run is
    repeatable); returns the number sent and a line per server error."""
    import hypothesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.core.failures import FailureGroup

    sent = 0
    found: list[str] = []

    @hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @hypothesis.given(case=op.as_strategy())
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except (AssertionError, FailureGroup):
            body = response.text[:300].replace("\n", " ")
            found.append(
                f"{op.label}: {response.status_code} {case.method} {case.formatted_path} "
                f"query={case.query!r} body={case.body!r:.300} → {body}"
            )

    try:
        run()
    except Exception as exc:  # a generation error is reported with the operation, not fatal
        found.append(f"{op.label}: lỗi khi sinh dữ liệu: {type(exc).__name__}: {exc}"[:500])
    return sent, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="", help="the SQLite demo database to copy")
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--only", default="", help="only the operations whose label contains this")
    args = parser.parse_args()

    var_dir = Path(os.environ.get("CANBO_VAR_DIR", ROOT / "var"))
    source = Path(args.db or os.environ.get("CANBO_SQLITE_PATH") or var_dir / "canbo.sqlite3")
    if not source.exists():
        sys.exit(f"Không thấy cơ sở dữ liệu mẫu {source}; hãy chạy ./canbo demo --no-serve trước.")
    tmp = tempfile.TemporaryDirectory(prefix="canbo-fuzz-")
    copy = Path(tmp.name) / "fuzz.sqlite3"
    shutil.copyfile(source, copy)
    os.environ["CANBO_DB"] = "sqlite"
    os.environ["CANBO_SQLITE_PATH"] = str(copy)
    load_before = os.getloadavg()
    started = time.perf_counter()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo_login", stdout=open(os.devnull, "w"))  # noqa: SIM115
    built = time.perf_counter()

    from django.contrib.auth.models import User

    from canbo.accounts.models import Grant
    from canbo.accounts.services import token_create

    admin = User.objects.get(username="quantri")
    grant = Grant.objects.filter(user__username="tochuc").first()
    assert grant is not None
    _token, key = token_create(
        acting_user=admin, grant=grant, name="Kiểm thử mờ API", can_write=True, reason="Kiểm thử mờ API"
    )
    headers = {"Authorization": f"Token {key}", "X-Change-Reason": "Kiem thu mo API"}

    import schemathesis
    from schemathesis.core.result import Ok

    from canbo.wsgi import application

    # One log line per request would bury the summary; a server error's traceback still shows.
    logging.getLogger("canbo.request").setLevel(logging.WARNING)

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=headers)
    operations = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):  # an operation the schema describes wrongly: a failure
            sys.exit(f"Lược đồ API không hợp lệ: {result.err()}")
        if args.only in result.ok().label:
            operations.append(result.ok())
    totals = {"operations": 0, "requests": 0, "failures": 0}
    failures: list[str] = []
    for op in operations:
        sent, found = fuzz_operation(op, headers, args.max_examples)
        totals["operations"] += 1
        totals["requests"] += sent
        totals["failures"] += len(found)
        failures.extend(found)
        print(f"{op.label:<70} {sent:>4} yêu cầu, {len(found)} lỗi", flush=True)

    duration = time.perf_counter() - built
    load_after = os.getloadavg()
    print()
    for line in failures:
        print("LỖI", line)
    print(
        f"\n{totals['operations']} thao tác, {totals['requests']} yêu cầu, {totals['failures']} lỗi máy chủ; "
        f"dựng dữ liệu {built - started:.1f} s, chạy thử {duration:.1f} s; "
        f"tải trung bình trước {load_before[0]:.2f} / sau {load_after[0]:.2f}"
    )
    tmp.cleanup()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
