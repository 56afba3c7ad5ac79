"""CPU of a request with the old and the new request path, interleaved in one process (issue 15,
session 15, docs/performance.md "Session 15: the suite (the request path)").

Usage: CANBO_DB=sqlite REQ_REPEAT=60 ./canbo bench request_ab
(or CANBO_DB=sqlite REQ_REPEAT=60 .venv/bin/pytest -p no:xdist -s bench/request_ab.py)

A pytest run (on the suite's rows: ``canbo.conftest``'s tree, users and two persons) that is not part of
the suite. The old paths are those of ``fed3a30``: the rulebook parsed from the TOML files at
each load, the grants' statement compiled at each load; they are patched over the new ones and
the two are requested one after the other, REQ_REPEAT times; the medians of
``time.process_time()`` are printed. No figure is asserted.
"""

import os
import statistics
import time
import tomllib
from collections.abc import Callable
from typing import Any

REPEAT = int(os.environ.get("REQ_REPEAT", "60"))


def old_load_rulebook(data_dir: Any = None) -> Any:
    from canbo.rules.engine import rulebook as R

    data_dir = data_dir or R.DATA_DIR

    def rd(p: Any) -> Any:
        with p.open("rb") as fh:
            return tomllib.load(fh)

    return R.Rulebook(
        R.versions_from_data(rd(data_dir / "rules.toml")),
        R.holidays_from_data(rd(data_dir / "holidays.toml")),
    )


def old_load_grants(self: Any, user: Any) -> Any:
    from canbo.accounts import backends
    from canbo.accounts.models import Grant

    return backends.GrantSet(
        [backends.grant_info(g) for g in Grant.objects.filter(user=user).select_related("unit")], user
    )


def test_request_ab(db: None, monkeypatch: Any) -> None:
    import datetime as dt

    from django.contrib.auth.models import User
    from django.test import Client

    from canbo.accounts import backends
    from canbo.conftest import make_title, make_tree, make_users, new_person
    from canbo.rules import selectors
    from canbo.rules.engine import rulebook as R
    from canbo.rules.selectors import rulebook_reset

    new_grants = backends.GrantBackend.load_grants  # the new method, kept before patching

    tree = make_tree()
    person_a = new_person(tree["A1"], "Nguyễn Thị Hoa")
    new_person(tree["B"], "Trần Văn Bình", sex="nam", born=dt.date(1975, 1, 1))
    make_title()
    users = make_users(tree, person_a)
    rulebook_reset()

    out = [f"load at start {os.getloadavg()}"]
    # operations
    u = User.objects.get(username="officer_a")
    ops: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
        "load_rulebook()": (old_load_rulebook, R.load_rulebook),
        "load_grants(officer_a)": (
            lambda: old_load_grants(backends.GrantBackend(), u),
            lambda: new_grants(backends.GrantBackend(), u),
        ),
    }
    for name, (old, new) in ops.items():
        new(), old()
        t_old, t_new = [], []
        for _ in range(REPEAT):
            t = time.process_time()
            old()
            t_old.append(time.process_time() - t)
            t = time.process_time()
            new()
            t_new.append(time.process_time() - t)
        mo, mn = statistics.median(t_old), statistics.median(t_new)
        out.append(f"{name:36s} old {1000 * mo:7.3f} ms  new {1000 * mn:7.3f} ms")
    c = Client()
    c.force_login(users["officer_a"])
    pages = {
        "login form": ("/dang-nhap/", False),
        "person list": ("/can-bo/", False),
        "person page": (f"/can-bo/{person_a.pk}/", False),
        "person page, first after reset": (f"/can-bo/{person_a.pk}/", True),
        "rule check page": (f"/quy-dinh/kiem-tra/?nguoi={person_a.pk}", False),
        "rulebook page": ("/quy-dinh/", False),
        "API persons": ("/api/persons/", False),
        "API person": (f"/api/persons/{person_a.pk}/", False),
    }

    def use(old_paths: bool) -> None:
        monkeypatch.setattr(selectors, "load_rulebook", old_load_rulebook if old_paths else R.load_rulebook)
        monkeypatch.setattr(
            backends.GrantBackend, "load_grants", old_load_grants if old_paths else new_grants
        )

    for name, (url, reset) in pages.items():
        res: dict[bool, list[float]] = {True: [], False: []}
        for old_paths in (True, False):
            use(old_paths)
            assert c.get(url).status_code == 200
        for _ in range(REPEAT):
            for old_paths in (True, False):
                use(old_paths)
                if reset:
                    rulebook_reset()
                t = time.process_time()
                c.get(url)
                res[old_paths].append(time.process_time() - t)
        mo, mn = statistics.median(res[True]), statistics.median(res[False])
        out.append(
            f"{name:36s} old {1000 * mo:7.2f} ms  new {1000 * mn:7.2f} ms  ({100 * (mn - mo) / mo:+.0f}%)"
        )
    out.append(f"load at end {os.getloadavg()}")
    print("\n" + "\n".join(out))


if __name__ == "__main__":  # ./canbo bench request_ab
    import sys

    import pytest

    os.environ.setdefault("CANBO_DB", "sqlite")
    sys.exit(pytest.main(["-p", "no:xdist", "-s", __file__]))
