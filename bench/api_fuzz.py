"""Schema fuzzing of the API (issue 21: "the schema-fuzzing run of the API with 0 server errors").

Usage: ./canbo bench api_fuzz [--db sqlite|postgresql] [--source PATH|NAME] [--auth token|session]
       [--max-examples N] [--seconds S] [--positive] [--only SUBSTRING]

Works on a throw-away copy of the demo province (the demo needs 9,128 persons at least, too slow
to build per run): with ``--db sqlite`` (default) a copy of the SQLite file ``--source`` (default
the file of ``./canbo demo``); with ``--db postgresql`` a database created on the configured
server (``CANBO_DB_HOST`` …) with ``CREATE DATABASE … TEMPLATE --source`` (default
``CANBO_DB_NAME``, which must hold the demo: ``CANBO_DB=postgresql ./manage.py seed_demo``) and
dropped at the end. Migrates the copy, creates the demo accounts, then authenticates as the
province-wide officer (``tochuc``) either with a write token (``--auth token``: ``Authorization:
Token …``) or as a browser does (``--auth session``: the login form posted with its CSRF token,
then the session cookie, the CSRF cookie and the ``X-CSRFToken`` header the pages give htmx).
Loads ``/api/schema/`` from the real app (in-process WSGI, no mock, no network) and, for every
operation of the schema, lets schemathesis (hypothesis, derandomized: a run repeats) generate up
to ``--max-examples`` requests, positive and negative, each sent with the credentials and an
``X-Change-Reason`` header, checked with ``not_a_server_error`` (no 5xx). ``--seconds`` bounds
the whole run: operations not reached in time are counted and named. ``--positive`` also lists
the requests schemathesis generated as valid that were refused with a 4xx other than 401, 403,
404 and 409 (``positive_data_acceptance``), grouped by operation and message, to be read by hand
(the schema cannot say that a unit id must exist). Prints per operation the number of requests
sent and the failures, then a summary with the duration and the load average before and after.
The exit status is 1 when any server error was found.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
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


USERNAME = "tochuc"  # the province-wide officer of the demo (demo_login): writes, sensitive fields
REASON = "Kiem thu mo API"


def copy_sqlite(source_arg: str, workdir: Path) -> str:
    """Copy the demo's SQLite file into ``workdir`` and point the settings at the copy."""
    var_dir = Path(os.environ.get("CANBO_VAR_DIR", ROOT / "var"))
    source = Path(source_arg or os.environ.get("CANBO_SQLITE_PATH") or var_dir / "canbo.sqlite3")
    if not source.exists():
        sys.exit(f"Không thấy cơ sở dữ liệu mẫu {source}; hãy chạy ./canbo demo --no-serve trước.")
    copy = workdir / "fuzz.sqlite3"
    shutil.copyfile(source, copy)
    os.environ["CANBO_DB"] = "sqlite"
    os.environ["CANBO_SQLITE_PATH"] = str(copy)
    return f"SQLite, bản sao của {source}"


def _pg_admin() -> Any:
    """A connection to the server's ``postgres`` database, outside Django (CREATE/DROP DATABASE)."""
    import psycopg

    return psycopg.connect(
        host=os.environ.get("CANBO_DB_HOST", "127.0.0.1"),
        port=os.environ.get("CANBO_DB_PORT", "5432"),
        user=os.environ.get("CANBO_DB_USER", "canbo"),
        password=os.environ.get("CANBO_DB_PASSWORD", ""),
        dbname="postgres",
        autocommit=True,
    )


def copy_postgresql(source_arg: str) -> tuple[str, str]:
    """Create a copy of the demo's PostgreSQL database (CREATE DATABASE … TEMPLATE, a file copy on
    the server) and point the settings at it; returns its name and a description."""
    from psycopg import sql

    source = source_arg or os.environ.get("CANBO_DB_NAME", "canbo")
    copy = f"{source}_fuzz_{os.getpid()}"  # one per run: two runs may share the demo
    with _pg_admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(copy)))
        try:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(copy), sql.Identifier(source))
            )
        except Exception as exc:  # missing, or in use: the template must have no other session
            sys.exit(f"Không sao chép được cơ sở dữ liệu mẫu {source}: {exc}")
    os.environ["CANBO_DB"] = "postgresql"
    os.environ["CANBO_DB_NAME"] = copy
    return copy, f"PostgreSQL, bản sao {copy} của {source}"


def drop_postgresql(name: str) -> None:
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    with _pg_admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def token_headers() -> dict[str, str]:
    """A write token of the officer, as an integration sends it."""
    from django.contrib.auth.models import User

    from canbo.accounts.models import Grant
    from canbo.accounts.services import token_create

    admin = User.objects.get(username="quantri")
    grant = Grant.objects.filter(user__username=USERNAME).first()
    assert grant is not None
    _token, key = token_create(
        acting_user=admin, grant=grant, name="Kiểm thử mờ API", can_write=True, reason="Kiểm thử mờ API"
    )
    return {"Authorization": f"Token {key}", "X-Change-Reason": REASON}


def session_login(application: Any) -> tuple[dict[str, str], Any]:
    """Log in through the login form as a browser does (its CSRF cookie and hidden field); returns
    the headers the browser sends on the API calls its pages make (the ``X-CSRFToken`` that
    base.html gives htmx, the CSRF cookie being HttpOnly) and the client whose cookie jar holds the
    session and CSRF cookies (kept up to date by the answers, as a browser's)."""
    from django.conf import settings
    from werkzeug.test import Client

    from canbo.demo.management.commands.demo_login import ACCOUNTS

    browser = Client(application)
    page = browser.get("/dang-nhap/")
    field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if page.status_code != 200 or field is None:
        sys.exit(f"Trang đăng nhập không như mong đợi ({page.status_code}).")
    answer = browser.post(
        "/dang-nhap/",
        data={"username": USERNAME, "password": ACCOUNTS[USERNAME][0], "csrfmiddlewaretoken": field.group(1)},
    )
    if answer.status_code != 302:
        sys.exit(f"Đăng nhập không thành công ({answer.status_code}).")
    home = browser.get("/")
    token = re.search(r'"X-CSRFToken": "([^"]+)"', home.text)
    session = browser.get_cookie(settings.SESSION_COOKIE_NAME)
    csrf = browser.get_cookie(settings.CSRF_COOKIE_NAME)
    if token is None or session is None or csrf is None:
        sys.exit("Sau khi đăng nhập không có phiên hoặc mã CSRF.")
    return {"X-CSRFToken": token.group(1), "X-Change-Reason": REASON}, browser


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--source", default="", help="the demo to copy: a SQLite file, or a PostgreSQL database's name"
    )
    parser.add_argument("--auth", choices=["token", "session"], default="token")
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seconds", type=float, default=0, help="bound on the fuzzing time (0: none)")
    parser.add_argument("--positive", action="store_true", help="also list valid requests refused")
    parser.add_argument("--only", default="", help="only the operations whose label contains this")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="canbo-fuzz-")
    load_before = os.getloadavg()
    started = time.perf_counter()
    pg_copy = ""
    if args.db == "sqlite":
        where = copy_sqlite(args.source, Path(tmp.name))
    else:
        pg_copy, where = copy_postgresql(args.source)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo_login", stdout=open(os.devnull, "w"))  # noqa: SIM115

    import schemathesis
    from schemathesis.core.result import Ok

    from canbo.core.fuzzing import fuzz_operation
    from canbo.wsgi import application

    # One log line per request would bury the summary; a server error's traceback still shows.
    logging.getLogger("canbo.request").setLevel(logging.WARNING)
    browser = None
    if args.auth == "token":
        headers = token_headers()
        schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=headers)
    else:
        headers, browser = session_login(application)
        answer = browser.get("/api/schema/?format=json")
        if answer.status_code != 200:
            sys.exit(f"Không đọc được lược đồ API sau khi đăng nhập ({answer.status_code}).")
        schema = schemathesis.openapi.from_dict(json.loads(answer.get_data()))
        schema.app = application
        # Not the security schemes' parameters: schemathesis would set a generated session cookie
        # for one call and then delete it, which logs the browser out for the rest of the run.
        schema.config.generation.update(with_security_parameters=False)
    built = time.perf_counter()

    operations = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):  # an operation the schema describes wrongly: a failure
            sys.exit(f"Lược đồ API không hợp lệ: {result.err()}")
        if args.only in result.ok().label:
            operations.append(result.ok())
    totals = {"operations": 0, "requests": 0, "failures": 0}
    failures: list[str] = []
    refusals: dict[str, int] = {}
    skipped: list[str] = []
    for op in operations:
        if args.seconds and time.perf_counter() - built > args.seconds:
            skipped.append(op.label)
            continue
        sent, found, refused = fuzz_operation(
            op, headers, args.max_examples, browser=browser, positive=args.positive
        )
        totals["operations"] += 1
        totals["requests"] += sent
        totals["failures"] += len(found)
        failures.extend(found)
        for line in refused:
            refusals[line] = refusals.get(line, 0) + 1
        print(f"{op.label:<70} {sent:>4} yêu cầu, {len(found)} lỗi", flush=True)

    duration = time.perf_counter() - built
    load_after = os.getloadavg()
    print()
    for line in failures:
        print("LỖI", line)
    if args.positive:
        print(f"\nYêu cầu hợp lệ theo lược đồ bị từ chối (4xx), {sum(refusals.values())} lần:")
        for line, count in sorted(refusals.items()):
            print(f"  {count:>4} × {line}")
    if skipped:
        print(f"\nHết thời gian ({args.seconds:g} s): {len(skipped)} thao tác chưa thử: {', '.join(skipped)}")
    auth = "phiên đăng nhập (cookie + CSRF)" if args.auth == "session" else "mã truy cập"
    print(
        f"\n{where}; xác thực: {auth}"
        f"\n{totals['operations']} thao tác, {totals['requests']} yêu cầu, {totals['failures']} lỗi máy chủ; "
        f"dựng dữ liệu {built - started:.1f} s, chạy thử {duration:.1f} s; "
        f"tải trung bình trước {load_before[0]:.2f} / sau {load_after[0]:.2f}"
    )
    if pg_copy:
        drop_postgresql(pg_copy)
    tmp.cleanup()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
