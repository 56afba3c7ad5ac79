"""A reader that cannot store its snapshots because SQLite's write lock is held past its timeout
(a long import): the numbers are served all the same, nothing is kept, and the next
computation, once the lock is gone, stores them. A real second SQLite connection holds the
lock, in a Django process of its own database (as ``core/tests/test_operations.py`` does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from canbo import testdb
from canbo.core.tests.test_operations import _run


@pytest.mark.own_database
def test_snapshots_not_stored_while_sqlite_is_busy_are_stored_after(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite3"
    # Under `./canbo test` the file starts as a copy of the run's migrated test database (equal to
    # a migration's, canbo/testdb.py), so the process's `migrate` below has nothing left to do.
    testdb.copy_of_the_migrated_sqlite(path)
    env = {
        "CANBO_DB": "sqlite",
        "CANBO_SQLITE_PATH": str(path),
        "CANBO_VAR_DIR": str(tmp_path),
        "CANBO_SQLITE_BUSY_SECONDS": "0.2",
    }
    out = _run(
        f"""
        import datetime as dt, logging, sqlite3
        from django.core.management import call_command
        # The tables the indicators write and read, not the whole project's (a few seconds)
        call_command("migrate", "contenttypes", verbosity=0)
        call_command("migrate", "core", verbosity=0)
        call_command("migrate", "indicators", verbosity=0)
        from canbo.indicators import services, snapshots
        from canbo.indicators.models import IndicatorSnapshot
        warnings = []
        handler = logging.Handler()
        handler.emit = lambda record: warnings.append(record.getMessage())
        logging.getLogger("canbo.indicators.snapshots").addHandler(handler)
        spec = {{"population": {{"source": "tenure", "is_leader": True}}, "numerator": {{"sex": "nu"}}}}
        defn = services.definition_create(acting_user=None, code="nu", label="Nữ", kind="share", spec=spec)
        days = [dt.date(2020, 1, 1), dt.date(2024, 1, 1)]
        other = sqlite3.connect({str(path)!r}, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another writer, holding the lock
        busy = [snapshots.compute([defn], day=d)["nu"][""].status for d in days]
        stored_busy = IndicatorSnapshot.objects.count()  # WAL: reading goes on
        other.execute("ROLLBACK")
        free = [snapshots.compute([defn], day=d)["nu"][""].status for d in days]
        out = {{"busy": busy, "stored_busy": stored_busy, "free": free,
                "stored_free": IndicatorSnapshot.objects.count(), "warnings": warnings}}
        print(json.dumps(out, ensure_ascii=False))
        """,
        env,
    )
    assert out["busy"] == out["free"] == ["empty", "empty"]  # served, busy or not
    assert out["stored_busy"] == 0
    assert out["warnings"] == ["Không lưu được kết quả chỉ tiêu đã tính (cơ sở dữ liệu đang bận)."] * 2
    assert out["stored_free"] == 2
