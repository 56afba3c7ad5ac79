"""What a test database's creation costs, part by part (docs/performance.md, "Session 16").

Run from the clone's root, for the database ``CANBO_DB`` names (PostgreSQL: a test database named
``test_<CANBO_DB_NAME>_bench``, dropped at the end)::

    CANBO_DB=sqlite .venv/bin/python -m bench.testdb_bench

Prints one JSON line: the CPU of this process (user + sys) for Django's ``setup_databases`` (the
migrations), one ``testdb.fingerprint`` and one ``serialize_db_to_string``; on PostgreSQL also the
CPU of the server's backend for the fingerprint (from /proc: the server must run on this machine);
and the models the migrations rendered, by the operation that rendered them (deterministic).
"""

from __future__ import annotations

import collections
import json
import os
import resource
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _backend_cpu(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _count_renders() -> collections.Counter[str]:
    """Count ``ModelState.render`` calls by the migration operation (class and method) that made them."""
    import inspect

    from django.db.migrations import operations, state
    from django.db.migrations.operations.base import Operation

    counts: collections.Counter[str] = collections.Counter()
    where = ["other"]
    render = state.ModelState.render

    def counted_render(self: Any, apps: Any) -> Any:
        counts[where[-1]] += 1
        return render(self, apps)

    state.ModelState.render = counted_render  # type: ignore[method-assign]
    for name, cls in inspect.getmembers(operations, inspect.isclass):
        for method in ("state_forwards", "database_forwards"):
            real = cls.__dict__.get(method) if issubclass(cls, Operation) else None
            if real is None:
                continue

            def wrapped(self: Any, *args: Any, _real: Any = real, _label: str = f"{name}.{method}") -> Any:
                where.append(_label)
                try:
                    return _real(self, *args)
                finally:
                    where.pop()

            setattr(cls, method, wrapped)
    return counts


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from canbo import testdb

    testdb.quick_test_connections(settings.DATABASES["default"])
    pg = connection.vendor == "postgresql"
    if pg:
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = (
            f"test_{settings.DATABASES['default']['NAME']}_bench"
        )
    renders = _count_renders()
    t0 = _cpu()
    config = setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())  # type: ignore[arg-type]
    t1 = _cpu()
    pid = None
    if pg:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    b1 = _backend_cpu(pid)
    testdb.fingerprint(connection)
    t2, b2 = _cpu(), _backend_cpu(pid)
    connection.creation.serialize_db_to_string()
    t3 = _cpu()
    out = {
        "database": connection.vendor,
        "load": round(os.getloadavg()[0], 1),
        "migrate_cpu": round(t1 - t0, 2),
        "fingerprint_cpu": round(t2 - t1, 3),
        "fingerprint_server_cpu": round(b2 - b1, 3) if pg else None,
        "serialize_cpu": round(t3 - t2, 3),
        "model_renders": sum(renders.values()),
        "renders_by_operation": dict(renders.most_common()),
    }
    print(json.dumps(out))
    teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
