"""Indicators on the small shared tree: spec validation, loaders, engine, grants, pages, CLI, API."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from canbo.careers.services import membership_add, tenure_start
from canbo.conftest import REASON_HEADERS, new_person
from canbo.core.errors import DomainError
from canbo.core.models import AccessLog, ObjectChange
from canbo.indicators import engine, selectors, services
from canbo.indicators.models import IndicatorDefinition, IndicatorTarget
from canbo.indicators.spec import SpecError, validate
from canbo.org.models import Title, Unit
from canbo.people.models import Qualification
from canbo.people.services import section_create
from canbo.plans.services import plan_create

D = dt.date(2020, 12, 11)
YOUNG = {
    "counted_for": ["huyen"],
    "population": {"source": "tenure", "title_level": ["huyen"], "is_leader": True},
    "numerator": {"age_below": 40},
}


# ---- spec ------------------------------------------------------------------------------------


def test_valid_spec_passes() -> None:
    assert validate("share", YOUNG) is YOUNG


@pytest.mark.parametrize(
    ("kind", "spec", "message"),
    [
        ("tile", YOUNG, "Loại chỉ tiêu “tile” không có"),
        ("share", {**YOUNG, "colour": 1}, "không có khóa “colour”"),
        (
            "share",
            {**YOUNG, "population": {"source": "tenure", "title_lvl": ["huyen"]}},
            "không có khóa “title_lvl”",
        ),
        (
            "share",
            {**YOUNG, "population": {"source": "tenure", "title_level": ["quan"]}},
            "không có mã “quan”",
        ),
        ("share", {**YOUNG, "population": {"source": "hồ sơ"}}, "population.source"),
        ("share", {**YOUNG, "numerator": {"age_below": "bốn mươi"}}, "số năm nguyên"),
        ("share", {**YOUNG, "numerator": {"sex": "female"}}, "numerator.sex"),
        (
            "share",
            {**YOUNG, "numerator": {"qualification": {"kind": "chuyen_mon", "min_rank": 45}}},
            "45 không phải thứ bậc",
        ),
        ("share", {**YOUNG, "numerator": {}}, "thiếu điều kiện"),
        ("renewal", {**YOUNG, "renewal": {"previous_years": 5}}, "tính trên “membership”"),
        ("unit_compliance", {**YOUNG, "numerator": None}, "compliance"),
        ("share", {**YOUNG, "counted_for": ["xã"]}, "không có mã “xã”"),
    ],
)
def test_invalid_spec_is_refused_in_vietnamese(kind: str, spec: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError) as exc:
        validate(kind, spec)
    assert any(message in m for m in exc.value.messages), exc.value.messages


# ---- loaders -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_loaders_are_idempotent_and_refuse_a_silent_change(tree: dict[str, Unit], tmp_path: Path) -> None:
    first = services.definitions_load()
    assert first["created"] == IndicatorDefinition.objects.count() > 20
    assert services.definitions_load() == {"created": 0, "unchanged": first["created"]}
    targets = services.targets_load()
    assert targets["plans"] == 2 and targets["created"] == IndicatorTarget.objects.count()
    again = services.targets_load()
    assert again["created"] == again["updated"] == 0 and again["unchanged"] == targets["created"]
    # Both seed plans, kept by the tree's root, with every row of the files.
    lc = IndicatorTarget.objects.filter(plan__code="lc-18-da-tu")
    assert set(lc.values_list("row", flat=True)) >= {
        "1a",
        "1b",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7a",
        "7b",
        "8a",
        "8b",
        "9",
    }
    one_a = lc.get(row="1a")
    assert (one_a.kind, one_a.low, one_a.high, one_a.text) == (
        "range",
        Decimal("0.0500"),
        Decimal("0.1000"),
        "5–10%",
    )
    assert one_a.plan.unit == tree["P"]
    bg = IndicatorTarget.objects.filter(plan__code="bg-nq-btv-can-bo")
    assert set(bg.values_list("term", flat=True)) == {"2020–2025", "2025–2030"}
    # Not computable yet: stored, with the reason.
    pending = lc.get(row="I.2-b").definition
    assert pending.pending.startswith("CanBo chưa có danh mục xã vùng dân tộc thiểu số")
    # The rows that waited for the planning lists use the version that reads them.
    assert (lc.get(row="I.2-c").definition.version, lc.get(row="I.2-d").definition.version) == (2, 2)
    assert not lc.get(row="I.2-d").definition.pending
    assert ObjectChange.objects.filter(content_type__model="indicatortarget").count() == targets["created"]

    # Version 1 edited in place in the file: refused, nothing written.
    changed = tmp_path / "indicators.toml"
    text = (services.DATA_DIR / "indicators.toml").read_text(encoding="utf-8")
    changed.write_text(
        text.replace("numerator = { age_below = 40 }", "numerator = { age_below = 41 }", 1), "utf-8"
    )
    with pytest.raises(DomainError, match="tăng số phiên bản"):
        services.definitions_load(path=changed)
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[indicator]]\ncode = "x"\nlabel = "X"\nkind = "share"\n'
        'population = { source = "tenure", foo = 1 }\n'
    )
    with pytest.raises(DomainError, match="không có khóa “foo”"):
        services.definitions_load(path=bad)
    assert not IndicatorDefinition.objects.filter(code="x").exists()


@pytest.mark.django_db
def test_load_command_without_a_tree_fails_cleanly() -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("indicators", "load", stderr=err, stdout=io.StringIO())
    assert exc.value.code == 2
    assert "Chưa có cây đơn vị" in err.getvalue()
    assert not IndicatorTarget.objects.exists()


# ---- engine, grants, pages -----------------------------------------------------------------------


@pytest.fixture
def world(tree: dict[str, Unit], title: Title, users: dict[str, Any]) -> dict[str, Any]:
    """Three district leaders (two under 40 on D) in A1, A and B; a district Party committee."""
    people = {
        "a1": new_person(tree["A1"], "Lê Thị Trẻ", sex="nu", born=dt.date(1990, 3, 1)),
        "a": new_person(tree["A"], "Phạm Văn Già", sex="nam", born=dt.date(1970, 3, 1)),
        "b": new_person(tree["B"], "Đỗ Thị Bê", sex="nu", born=dt.date(1992, 3, 1)),
    }
    for key, unit in (("a1", "A1"), ("a", "A"), ("b", "B")):
        tenure_start(
            acting_user=None,
            person=people[key],
            unit=tree[unit],
            title=title,
            kind="bo_nhiem",
            start_date=dt.date(2018, 1, 1),
        )
    for key in ("a1", "a"):
        membership_add(
            acting_user=None,
            person=people[key],
            body=tree["A"],
            kind="cap_uy",
            start_date=dt.date(2020, 8, 1),
        )
    young = services.definition_create(
        acting_user=None, code="lanh-dao-huyen-tre", label="Trẻ", kind="share", spec=YOUNG
    )
    women = services.definition_create(
        acting_user=None,
        code="nu-cap-uy",
        label="Nữ cấp ủy",
        kind="share",
        spec={"population": {"source": "membership", "body_kind": ["cap_uy"]}, "numerator": {"sex": "nu"}},
    )
    communes = services.definition_create(
        acting_user=None, code="xa-tre", label="Xã", kind="share", spec={**YOUNG, "counted_for": ["xa"]}
    )
    plan = plan_create(
        acting_user=None,
        unit=tree["P"],
        code="kh-thu",
        kind="ke_hoach",
        number="1/KH-TU",
        issued_on=dt.date(2020, 1, 1),
        issuer_name="Tỉnh ủy",
        title="Kế hoạch thử",
    )
    for i, (d, kind, low) in enumerate(
        ((young, "min", "0.5"), (women, "range", "0.2"), (communes, "min", "0.1")), 1
    ):
        IndicatorTarget.objects.create(
            plan=plan, definition=d, term="2020–2025", row=str(i), order=i, content=d.label, kind=kind,
            low=Decimal(low), high=Decimal("0.6") if kind == "range" else None, text=f"{low}",
        )  # fmt: skip
    return {"people": people, "plan": plan, "young": young, "women": women, "communes": communes, **users}


def _values(rows: list[selectors.Row]) -> dict[str, tuple[Any, Any, Any]]:
    return {r.definition.code: (r.result.numerator, r.result.population, r.met) for r in rows}


@pytest.mark.django_db
def test_engine_counts_by_unit_date_and_grants(world: dict[str, Any], tree: dict[str, Unit]) -> None:
    plan = world["plan"]
    every = _values(selectors.plan_table(plan, day=D, unit=tree["P"], user=None))
    assert every["lanh-dao-huyen-tre"] == (2, 3, True)
    assert every["nu-cap-uy"] == (1, 2, True)
    # No commune-level unit exists: no population, not 0%.
    assert every["xa-tre"] == (None, None, None)
    # Subtree A only; before the membership started; before anybody held a post.
    assert _values(selectors.plan_table(plan, day=D, unit=tree["A"], user=None))["lanh-dao-huyen-tre"] == (
        1,
        2,
        True,
    )
    assert _values(selectors.plan_table(plan, day=dt.date(2020, 7, 1), unit=None, user=None))["nu-cap-uy"][
        :2
    ] == (0, 0)
    # Age is read on the date: the person born 1/3/1990 is 40 on 1/3/2030.
    assert _values(selectors.plan_table(plan, day=dt.date(2030, 3, 1), unit=None, user=None))[
        "lanh-dao-huyen-tre"
    ][:2] == (1, 3)
    # The officer of B computing over the whole province sees only his own people.
    officer_b = world["officer_b"]
    assert _values(selectors.plan_table(plan, day=D, unit=None, user=officer_b))["lanh-dao-huyen-tre"] == (
        1,
        1,
        True,
    )
    # Breakdown by the units of the next level, one branch per district.
    rows = selectors.breakdown(plan.targets.get(row="1"), day=D, unit=tree["P"], user=None)
    assert {b.name: (b.result.numerator, b.result.population) for b in rows} == {
        "Huyện A": (1, 2),
        "Huyện B": (1, 1),
    }
    # The people behind a number are the people counted.
    tu = engine.people(world["young"], part="tu", day=D, unit=tree["P"], user=None)
    assert set(tu) == {world["people"]["a1"], world["people"]["b"]}


@pytest.mark.django_db
def test_dashboard_scoped_to_grants(world: dict[str, Any], tree: dict[str, Unit]) -> None:
    c = Client(headers=REASON_HEADERS)
    c.force_login(world["officer_a"])
    r = c.get("/chi-tieu/", {"ngay": "2020-12-11"})
    assert r.status_code == 200 and "1/KH-TU" in r.content.decode()
    r = c.get("/chi-tieu/kh-thu/", {"ngay": "2020-12-11"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Huyện A" in html and "50,00%" in html and "(1/2)" in html
    assert "Không có đơn vị" in html  # the commune row
    assert "<svg" in html
    # Another subtree: as missing.
    assert c.get("/chi-tieu/kh-thu/", {"don_vi": tree["B"].pk}).status_code == 404
    assert c.get("/chi-tieu/kh-thu/", {"don_vi": "x"}).status_code == 400
    assert c.get("/chi-tieu/kh-thu/", {"moc": "31/02/2020"}).status_code == 400
    assert c.get("/chi-tieu/khong-co/").status_code == 404
    # The number links to exactly the people it counts, with the same date.
    link = f"/can-bo/?chi_tieu={world['young'].pk}&phan=tu&ngay=2020-12-11&don_vi={tree['A'].pk}"
    assert link.replace("&", "&amp;") in html
    listed = c.get(link).content.decode()
    assert "Lê Thị Trẻ" in listed and "Phạm Văn Già" not in listed and "Đỗ Thị Bê" not in listed
    # The plan's tasks and its targets link to each other, for users who may open both: not this
    # district officer (the plan is kept by the province and gives his units no task).
    plan_page = f"/ke-hoach/{world['plan'].pk}/"
    assert f'href="{plan_page}"' not in html and c.get(plan_page).status_code == 404
    board = Client(headers=REASON_HEADERS)
    board.force_login(world["admin"])
    assert f'href="{plan_page}"' in board.get("/chi-tieu/kh-thu/").content.decode()
    assert 'href="/chi-tieu/kh-thu/"' in board.get(plan_page).content.decode()
    # A user without any grant sees no plan.
    nobody = Client(headers=REASON_HEADERS)
    nobody.force_login(world["nogrant"])
    assert nobody.get("/chi-tieu/kh-thu/").status_code == 404
    assert Client(headers=REASON_HEADERS).get("/chi-tieu/kh-thu/").status_code == 302


@pytest.mark.django_db
def test_exports_are_in_the_read_log(world: dict[str, Any]) -> None:
    """A plan's indicator table (Excel, Word) is a document made from dossiers: in the read log
    (issue 21), with no person named (figures of a unit)."""
    c = Client()
    c.force_login(world["officer_a"])
    for fmt in ("xlsx", "docx"):
        r = c.get(f"/chi-tieu/kh-thu/xuat.{fmt}", {"ngay": "2020-12-11"})
        assert r.status_code == 200
        read = AccessLog.objects.get(request_id=r["X-Request-Id"])
        assert read.kind == AccessLog.Kind.DOCUMENT and read.person_id is None
        assert read.user_id == world["officer_a"].pk and "kh-thu" in read.what


def test_api_and_cli(world: dict[str, Any], tree: dict[str, Unit], capsys: Any) -> None:
    c = Client(headers=REASON_HEADERS)
    c.force_login(world["officer_b"])
    r = c.get("/api/indicators/kh-thu/", {"ngay": "2020-12-11"})
    assert r.status_code == 200
    by_id = {o["id"]: o for o in r.json()}
    assert (by_id["lanh-dao-huyen-tre"]["numerator"], by_id["lanh-dao-huyen-tre"]["population"]) == (1, 1)
    assert by_id["xa-tre"]["population"] is None
    assert c.get("/api/indicators/kh-thu/", {"don_vi": "A"}).status_code == 400  # outside his grants
    assert c.get("/api/indicators/kh-thu/", {"ngay": "2020-02-30"}).status_code == 400
    assert c.get("/api/indicators/khong-co/").status_code == 404

    out = io.StringIO()
    call_command("indicators", "--plan", "kh-thu", "--as-of", "2020-12-11", "--json", stdout=out)
    data = json.loads(out.getvalue())
    first = data[0]
    assert set(first) >= {"id", "label", "numerator", "population", "value", "target", "met"}
    assert (first["id"], first["numerator"], first["population"], first["met"]) == (
        "lanh-dao-huyen-tre",
        2,
        3,
        True,
    )
    assert first["value"] == pytest.approx(2 / 3)
    out = io.StringIO()
    call_command(
        "indicators", "--plan", "kh-thu", "--unit", "B", "--as-of", "2020-12-11", "--json", stdout=out
    )
    assert json.loads(out.getvalue())[0]["population"] == 1
    for args, message in (
        (["--plan", "khong-co"], "Không có kế hoạch"),
        (["--plan", "kh-thu", "--as-of", "11/12/2020"], "YYYY-MM-DD"),
        (["--plan", "kh-thu", "--unit", "ZZ"], "Không có đơn vị"),
        ([], "Cần --plan"),
    ):
        err = io.StringIO()
        with pytest.raises(SystemExit) as exc:
            call_command("indicators", *args, stdout=io.StringIO(), stderr=err)
        assert exc.value.code == 2 and message in err.getvalue()
    # Arguments argparse refuses (read before the command's own streams are set).
    with pytest.raises(SystemExit) as exc:
        call_command("indicators", "nap")
    assert exc.value.code == 2 and "Tham số không hợp lệ" in capsys.readouterr().err


@pytest.mark.django_db
def test_admin_adds_a_definition_in_the_interface(users: dict[str, Any]) -> None:
    c = Client(headers=REASON_HEADERS)
    c.force_login(users["officer_a"])
    assert c.get("/chi-tieu/dinh-nghia/them/").status_code == 403
    c.force_login(users["admin"])
    form = {"code": "bi-thu-xa-tre", "label": "Bí thư xã trẻ", "kind": "share", "note": ""}
    bad = c.post(
        "/chi-tieu/dinh-nghia/them/",
        {**form, "spec": 'population = { source = "tenure", cap = ["xa"] }\nnumerator = { age_below = 35 }'},
    )
    assert bad.status_code == 400 and "không có khóa “cap”" in bad.content.decode()
    unreadable = c.post("/chi-tieu/dinh-nghia/them/", {**form, "spec": "population = {"})
    assert unreadable.status_code == 400 and "không đọc được" in unreadable.content.decode()
    assert not IndicatorDefinition.objects.exists()
    spec = (
        'counted_for = ["xa"]\n'
        'population = { source = "tenure", title_level = ["xa"], title_group = ["bi_thu"] }\n'
        "numerator = { age_below = 35 }"
    )
    ok = c.post("/chi-tieu/dinh-nghia/them/", {**form, "spec": spec})
    assert ok.status_code == 302
    again = c.post("/chi-tieu/dinh-nghia/them/", {**form, "spec": spec.replace("35", "40")})
    assert again.status_code == 302
    versions = list(IndicatorDefinition.objects.filter(code="bi-thu-xa-tre").values_list("version", "source"))
    assert sorted(versions) == [(1, "admin"), (2, "admin")]
    assert "bi-thu-xa-tre" in c.get("/chi-tieu/dinh-nghia/").content.decode()


@pytest.mark.browser
def test_dashboard_in_a_browser(browser: Any, live_server: Any, world: dict[str, Any]) -> None:
    """Open the plan, look back to 11/12/2020, follow a number to its people, open a district."""
    from playwright.sync_api import expect

    from canbo.conftest import browser_login

    page = browser.new_page(locale="vi-VN")
    browser_login(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/chi-tieu/")
    page.click("text=Kế hoạch 1/KH-TU")
    page.fill("#ngay", "11/12/2020")
    page.click(".asof button")
    expect(page.locator("h1")).to_contain_text("Huyện A")
    row = page.locator("table.indicators tr", has_text="Trẻ").first
    expect(row).to_contain_text("50,00%")
    expect(row).to_contain_text("Đạt")
    expect(page.locator(".chart svg")).to_be_visible()
    row.locator("a", has_text="1").first.click()
    expect(page.locator(".actions strong")).to_have_text("1 người")
    expect(page.locator("table.grid")).to_contain_text("Lê Thị Trẻ")
    expect(page.locator(".filters-desc")).to_contain_text("Chỉ tiêu: Trẻ – đạt điều kiện (tử số)")


@pytest.mark.django_db
def test_renewal_exists_and_unit_compliance(world: dict[str, Any], tree: dict[str, Unit]) -> None:
    # "a" sat on A's committee in the previous term too; "a1" is new.
    membership_add(
        acting_user=None,
        person=world["people"]["a"],
        body=tree["A"],
        kind="cap_uy",
        start_date=dt.date(2015, 8, 1),
        end_date=dt.date(2020, 7, 31),
    )
    renewal = services.definition_create(
        acting_user=None,
        code="doi-moi",
        label="Đổi mới",
        kind="renewal",
        spec={
            "population": {"source": "membership", "body_kind": ["cap_uy"]},
            "renewal": {"previous_years": 5},
        },
    )
    exists = services.definition_create(
        acting_user=None, code="co-nguoi-tre", label="Có người trẻ", kind="exists", spec=YOUNG
    )
    compliance = services.definition_create(
        acting_user=None,
        code="don-vi-nu",
        label="Đơn vị nữ",
        kind="unit_compliance",
        spec={
            "population": {"source": "tenure", "title_level": ["huyen"]},
            "compliance": {"eligible": {"sex": "nu"}, "min_share": 0.3, "leader": {"sex": "nu"}},
        },
    )
    out = engine.compute([renewal, exists, compliance], day=D, unit=tree["P"])
    assert (out["doi-moi"][""].numerator, out["doi-moi"][""].population) == (1, 2)
    assert out["co-nguoi-tre"][""].value is True
    older = engine.compute([exists], day=dt.date(2035, 1, 1), unit=tree["P"])["co-nguoi-tre"][""]
    assert older.value is False  # both young ones are over 40 by then
    units = out["don-vi-nu"][""]
    assert (units.numerator, units.population, units.unit_based) == (2, 2, True)  # A1 and B; A has no woman


@pytest.mark.django_db
def test_qualifications_counted_once_by_the_date_and_together(
    world: dict[str, Any], tree: dict[str, Unit]
) -> None:
    """Qualification conditions are joins in the single pass: two matching degrees do not count
    a person twice, a degree obtained after the date does not count, conditions of one
    numerator must all hold, and the people listed are the people counted."""
    a1, a, b = (world["people"][k] for k in ("a1", "a", "b"))
    for person, kind, level, obtained in (
        (a1, "chuyen_mon", "dai_hoc", dt.date(2012, 6, 1)),
        (a1, "chuyen_mon", "thac_si", dt.date(2016, 6, 1)),  # a second match: still one person
        (a1, "ly_luan_chinh_tri", "cao_cap", dt.date(2019, 6, 1)),
        (a, "chuyen_mon", "thac_si", dt.date(2021, 6, 1)),  # obtained after D
        (a, "ly_luan_chinh_tri", "trung_cap", dt.date(2010, 6, 1)),  # below the rank asked
        (b, "chuyen_mon", "dai_hoc", dt.date(2015, 6, 1)),  # no political theory
    ):
        section_create(
            acting_user=None,
            person=person,
            instance=Qualification(kind=kind, level=level, obtained_date=obtained),
        )
    degree = {"kind": "chuyen_mon", "min_rank": 40}
    theory = {"kind": "ly_luan_chinh_tri", "min_rank": 30}
    pop = YOUNG["population"]
    defs = [
        services.definition_create(
            acting_user=None, code=code, label=code, kind="share", spec={"population": pop, "numerator": num}
        )
        for code, num in (
            ("dai-hoc", {"qualification": degree}),
            ("cao-cap", {"qualification": theory}),
            ("ca-hai", {"qualification": [degree, theory]}),
            ("tre-dai-hoc", {"age_below": 40, "qualification": degree}),
        )
    ]
    for day, expected in (
        (D, {"dai-hoc": 2, "cao-cap": 1, "ca-hai": 1, "tre-dai-hoc": 2}),
        (dt.date(2021, 12, 31), {"dai-hoc": 3, "cao-cap": 1, "ca-hai": 1, "tre-dai-hoc": 2}),
        (dt.date(2018, 6, 1), {"dai-hoc": 2, "cao-cap": 0, "ca-hai": 0, "tre-dai-hoc": 2}),
    ):
        out = engine.compute(defs, day=day, unit=tree["P"])
        assert {c: (r[""].numerator, r[""].population) for c, r in out.items()} == {
            c: (n, 3) for c, n in expected.items()
        }
        for d in defs:
            listed = engine.people(d, part="tu", day=day, unit=tree["P"], user=None)
            assert listed.count() == expected[d.code]
    by_district = engine.compute(defs, day=D, unit=tree["P"], depth=2)["ca-hai"]
    assert {branch: (r.numerator, r.population) for branch, r in by_district.items()} == {
        tree["A"].path: (1, 2),
        tree["B"].path: (0, 1),
    }
