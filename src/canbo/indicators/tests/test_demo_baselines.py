"""The bar of issue 5: on the demo province, plan 18-ĐA/TU as of 11/12/2020 reproduces every row
of Phụ lục 1 (INDICATORS.md §2) from the records and the definitions; as of 2026 the district
rows have no population. One demo build (minimum size), checked through the engine, the CLI,
the API, the dashboard, the people lists and both exports.

Not a test module of its own any more: the checks run inside ``test_demo_province``, on the one
demo build per database (the build is the suite's longest step)."""

from __future__ import annotations

import io
import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from canbo.accounts.models import Grant, Role
from canbo.conftest import REASON_HEADERS
from canbo.core.models import AccessLog
from canbo.demo.tests.test_generator import EXPECTED
from canbo.org.models import Unit

PLAN = "lc-18-da-tu"
DISTRICT_ROWS = {"1b", "7a", "8a"}


def _cli(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("indicators", "--plan", PLAN, *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def check_18_da_tu_on_the_demo_province() -> None:
    """Run by ``demo/tests/test_generator.py::test_demo_province`` on its build, right after the
    generator (the suite builds the demo province once per database; issue 15)."""
    out = io.StringIO()
    call_command("indicators", "load", stdout=out)
    assert "Định nghĩa chỉ tiêu" in out.getvalue()

    # Every row of Phụ lục 1, numerator and population, from the CLI's JSON.
    rows = {o["row"]: o for o in _cli("--as-of", "2020-12-11")}
    assert {r: (rows[r]["numerator"], rows[r]["population"]) for r in EXPECTED} == EXPECTED
    assert rows["1b"]["value"] == pytest.approx(10 / 127)
    assert rows["7b"]["percent"] == "72,37%"  # correctly rounded, not cut as printed
    assert rows["1b"]["percent"] == "7,87%"
    assert (rows["3"]["met"], rows["8a"]["met"], rows["5"]["met"]) == (True, True, False)
    # Read from the planning lists: the demo build keeps none (``planning seed_demo`` adds them).
    assert (rows["I.2-c"]["status"], rows["I.2-c"]["numerator"]) == ("ok", 0)
    assert rows["I.2-c"]["population"] > 0 and rows["I.2-c"]["counts"] == "don_vi"
    assert (rows["I.2-d"]["status"], rows["I.2-d"]["population"]) == ("empty", 0)

    # 2026: two-tier structure, the district rows have no population (not 0%).
    later = {o["row"]: o for o in _cli("--as-of", "2026-01-01")}
    for r in DISTRICT_ROWS:
        assert (later[r]["population"], later[r]["value"], later[r]["status"]) == (None, None, "absent")
    assert later["7b"]["population"] and later["5"]["population"]

    # The API gives the same objects to the provincial organisation officer.
    tochuc = User.objects.create_user("tochuc-test", password="x")
    Grant.objects.create(user=tochuc, role=Role.OFFICER, unit=Unit.objects.get(code="LC"))
    c = Client(headers=REASON_HEADERS)
    c.force_login(tochuc)
    api = {o["row"]: o for o in c.get(f"/api/indicators/{PLAN}/", {"ngay": "2020-12-11"}).json()}
    assert {r: (api[r]["numerator"], api[r]["population"]) for r in EXPECTED} == EXPECTED

    # The dashboard shows fraction and share; each number links to the list of those people.
    html = c.get(f"/chi-tieu/{PLAN}/", {"ngay": "2020-12-11"}).content.decode()
    assert "7,87%" in html and "(10/127)" in html and "(750/3.199)" in html
    links = [unescape(u) for u in re.findall(r'href="(/can-bo/\?chi_tieu=[^"]+)"', html)]
    assert len(links) >= 2 * len(EXPECTED)
    for link in links[:4]:  # 1a numerator and population, 1b numerator and population
        count = re.search(r"<strong>([\d.]+) người</strong>", c.get(link).content.decode())
        assert count is not None
        assert int(count[1].replace(".", "")) in {11, 428, 10, 127}

    # Another subtree: a 2025 commune's officer sees the plan computed over his commune and
    # the people whose dossiers he keeps; the province is not his.
    commune = Unit.objects.get(code="LC.XM02683")
    xa = User.objects.create_user("xa-test", password="x")
    Grant.objects.create(user=xa, role=Role.OFFICER, unit=commune)
    c2 = Client(headers=REASON_HEADERS)
    c2.force_login(xa)
    mine = {o["row"]: o for o in c2.get(f"/api/indicators/{PLAN}/", {"ngay": "2026-01-01"}).json()}
    system = {o["row"]: o for o in _cli("--as-of", "2026-01-01", "--unit", "LC.XM02683")}
    for r in ("3", "4", "5", "6", "7b", "8b"):
        assert mine[r]["population"] <= system[r]["population"]
    assert 0 < mine["5"]["population"] <= system["5"]["population"] < later["5"]["population"]
    assert mine["1a"]["status"] == "absent"  # no provincial unit in a commune's subtree
    root = Unit.objects.get(code="LC")
    assert c2.get(f"/chi-tieu/{PLAN}/", {"ngay": "2026-01-01", "don_vi": root.pk}).status_code == 404
    assert c2.get(f"/api/indicators/{PLAN}/", {"don_vi": "LC"}).status_code == 400

    # Exports in the layout of Phụ lục 1.
    xlsx = c.get(f"/chi-tieu/{PLAN}/xuat.xlsx", {"ngay": "2020-12-11"})
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws is not None
    values = [[c.value for c in r] for r in ws.iter_rows()]
    header = values.index(["STT", "Nội dung", "Hiện trạng", "Mục tiêu", "Ghi chú"])
    body = {r[0]: r for r in values[header + 1 :] if r[0] in EXPECTED}
    assert body["1b"][2:] == ["7,87%", "15%", "10/127 người. Phần thứ hai ghi “trên 15%”."]
    assert body["3"][2:4] == ["23,44%", "20–25%"] and body["3"][4] == "750/3.199 người"
    docx = c.get(f"/chi-tieu/{PLAN}/xuat.docx", {"ngay": "2020-12-11"})
    # Both exports are in the read log (issue 21): a plan's figures, no person named.
    for response in (xlsx, docx):
        read = AccessLog.objects.get(request_id=response["X-Request-Id"])
        assert read.kind == AccessLog.Kind.DOCUMENT and read.person_id is None and PLAN in read.what
    table = Document(io.BytesIO(docx.content)).tables[1]  # [0]: the NĐ 30 header
    cells = {r.cells[0].text: [x.text for x in r.cells] for r in table.rows}
    assert cells["STT"] == ["STT", "Nội dung", "Hiện trạng", "Mục tiêu", "Ghi chú"]
    assert cells["9"][2:] == ["18,37%", "30%", "280/1.524 người"]
    assert cells["7a"][2] == "88,89%" and cells["7a"][4] == "8/9 người"

    # Leave the demo as the generator made it: the rest of test_demo_province rebuilds it.
    Grant.objects.filter(user__username__in=["tochuc-test", "xa-test"]).delete()
    User.objects.filter(username__in=["tochuc-test", "xa-test"]).delete()
