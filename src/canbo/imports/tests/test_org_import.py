"""The organisation workbook (issue 16): units, titles and posts with the import's rules."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from openpyxl import load_workbook

from canbo.core.models import ObjectChange
from canbo.imports.org_import import build_org_template, run_org_import
from canbo.imports.org_schema import ORG_SHEETS
from canbo.imports.tests.helpers import make_xlsx
from canbo.org.models import AdminArea, Post, Title, Unit

pytestmark = pytest.mark.django_db

UNIT_HEADERS = [f.label for f in ORG_SHEETS["don_vi"].fields]
TITLE_HEADERS = [f.label for f in ORG_SHEETS["chuc_danh"].fields]
POST_HEADERS = [f.label for f in ORG_SHEETS["vi_tri"].fields]

ROOT = ["T", "Tỉnh Thử", None, "Địa phương", "Nhà nước", "Cấp tỉnh", None, "01/01/2020", "QĐ 1"]
DISTRICT = ["T.H", "Huyện Một", "T", "Địa phương", "Nhà nước", "Cấp huyện", None, "01/01/2020", "QĐ 2"]
DIVISION = ["T.H.NV", "Phòng Nội vụ", "T.H", "Phòng", "Nhà nước", "Cấp huyện", None, "01/02/2020", ""]
TITLE_HEAD = ["TP_H", "Trưởng phòng huyện", "Cấp huyện", "Nhà nước", "Trưởng phòng và tương đương",
              "Cấp trưởng", "Không", "Ban Thường vụ Huyện ủy quản lý", 30, "0,4"]  # fmt: skip
TITLE_PROV = ["GD", "Giám đốc Sở", "Cấp tỉnh", "Nhà nước", "Người đứng đầu cơ quan, đơn vị",
              "Cấp trưởng", "Có", "Ban Thường vụ Tỉnh ủy quản lý", 60, "1"]  # fmt: skip


def book(
    tmp_path: Path,
    units: list[list[Any]],
    titles: list[list[Any]],
    posts: list[list[Any]],
    name: str = "tc.xlsx",
) -> Path:
    return make_xlsx(
        tmp_path / name,
        {
            "Đơn vị": [UNIT_HEADERS, *units],
            "Chức danh": [TITLE_HEADERS, *titles],
            "Vị trí": [POST_HEADERS, *posts],
        },
    )


def good(tmp_path: Path) -> Path:
    # The division comes before its parent: rows are ordered by dependency, not by position.
    return book(
        tmp_path,
        [DIVISION, ROOT, DISTRICT],
        [TITLE_HEAD, TITLE_PROV],
        [["T.H.NV", "TP_H", 1, None], ["T.H", "TP_H", 2, "01/03/2020"]],
    )


def test_small_tree_titles_and_posts_import(tmp_path: Path) -> None:
    result = run_org_import(path=good(tmp_path), acting_user=None)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.units_created, result.titles_created, result.posts_created) == (3, 2, 2)
    root = Unit.objects.get(code="T")
    district = Unit.objects.get(code="T.H")
    division = Unit.objects.get(code="T.H.NV")
    assert Unit.objects.get_parent(district) == root and Unit.objects.get_parent(division) == district
    assert division.kind == "phong" and division.level == "huyen"
    title = Title.objects.get(code="TP_H")
    assert title.head_kind == "truong" and title.management_scope == "btv_huyen_uy"
    assert str(title.allowance_coefficient) == "0.40" and title.rank == 30 and title.is_leader
    assert Title.objects.get(code="GD").is_key
    post = Post.objects.get(unit=division, title=title)
    assert post.seats == 1 and post.valid_from == division.valid_from
    assert Post.objects.get(unit=district).seats == 2
    # every write is in the change log, with the file as its reason
    logged = ObjectChange.objects.filter(reason__startswith="Nhập từ tệp tc.xlsx")
    assert logged.filter(action=ObjectChange.Action.CREATE).count() == 7


def messages(result: Any) -> list[str]:
    return [str(e) for e in result.errors]


def test_bad_rows_reject_the_whole_file_with_cell_messages(tmp_path: Path) -> None:
    path = book(
        tmp_path,
        [
            ROOT,
            DISTRICT,
            ["T.X", "Xã Lạc", "T.KHONG", "Địa phương", "Nhà nước", "Cấp xã", None, "01/01/2021", ""],
            ["T.H", "Huyện trùng", "T", "Địa phương", "Nhà nước", "Cấp huyện", None, "01/01/2020", ""],
            ["T.Y", "Xã Sai cấp", "T", "Địa phương", "Nhà nước", "Cấp thôn", None, "01/01/2021", ""],
            ["T.Z", "Xã Z", "T", "Địa phương", "Nhà nước", "Cấp xã", None, "31/02/2021", "Q" * 201],
            DIVISION,
        ],
        [TITLE_HEAD, TITLE_PROV],
        [["T.H.NV", "GD", 1, None], ["T.H.NV", "TP_H", 1, None]],
    )
    result = run_org_import(path=path, acting_user=None)
    assert not result.ok
    assert messages(result) == [
        "Sheet Đơn vị, dòng 4, cột C (Mã đơn vị cấp trên): Không có đơn vị mã “T.KHONG” trong sheet "
        "này hay trong hệ thống.",
        "Sheet Đơn vị, dòng 5, cột A (Mã đơn vị): Mã đơn vị “T.H” đã có ở dòng 3 của sheet này.",
        "Sheet Đơn vị, dòng 6, cột F (Cấp): Cấp không hợp lệ: “Cấp thôn”. Dùng một trong: Trung ương; "
        "Cấp tỉnh; Cấp huyện; Cấp xã.",
        "Sheet Đơn vị, dòng 7, cột H (Hiệu lực từ ngày): Ngày không có thật: “31/02/2021”.",
        "Sheet Đơn vị, dòng 7, cột I (Quyết định thành lập): Dài quá 200 ký tự.",
        "Sheet Vị trí, dòng 2, cột B (Mã chức danh): Chức danh “GD” thuộc cấp tỉnh, còn đơn vị "
        "“T.H.NV” thuộc cấp huyện; không thể tạo vị trí.",
    ]
    assert not Unit.objects.exists() and not Title.objects.exists() and not Post.objects.exists()
    assert not ObjectChange.objects.exists()


def test_reimport_updates_by_code(tmp_path: Path) -> None:
    assert run_org_import(path=good(tmp_path), acting_user=None).ok
    renamed = [*DISTRICT]
    renamed[1] = "Huyện Một (đính chính)"
    title = [*TITLE_HEAD]
    title[8] = 35
    path = book(
        tmp_path,
        [ROOT, renamed, DIVISION],
        [title, TITLE_PROV],
        [["T.H.NV", "TP_H", 3, None], ["T.H", "TP_H", 2, None]],
        name="lan2.xlsx",
    )
    result = run_org_import(path=path, acting_user=None)
    assert result.ok, messages(result)
    assert (result.units_created, result.units_updated) == (0, 1)
    assert (result.titles_created, result.titles_updated) == (0, 1)
    assert (result.posts_created, result.posts_updated) == (0, 1)
    assert result.unchanged == 4
    district = Unit.objects.get(code="T.H")
    assert district.name == "Huyện Một (đính chính)" and Unit.objects.count() == 3
    assert Title.objects.get(code="TP_H").rank == 35
    assert Post.objects.get(unit__code="T.H.NV").seats == 3
    change = ObjectChange.objects.get(
        action=ObjectChange.Action.UPDATE, object_id=district.pk, content_type__model="unit"
    )
    assert change.reason.startswith("Nhập từ tệp lan2.xlsx")
    # a second run of the same file changes nothing
    again = run_org_import(path=path, acting_user=None)
    assert again.ok and again.units_updated == again.titles_updated == again.posts_updated == 0


def test_change_of_parent_is_refused_and_points_to_the_move(tmp_path: Path) -> None:
    assert run_org_import(path=good(tmp_path), acting_user=None).ok
    moved = [*DIVISION]
    moved[2] = "T"
    result = run_org_import(path=book(tmp_path, [moved], [], [], name="move.xlsx"), acting_user=None)
    assert not result.ok
    (error,) = messages(result)
    assert error.startswith("Sheet Đơn vị, dòng 2, cột C (Mã đơn vị cấp trên): Đơn vị “Phòng Nội vụ” đã có")
    assert "Chuyển đơn vị cấp trên" in error
    assert Unit.objects.get_parent(Unit.objects.get(code="T.H.NV")).code == "T.H"


def test_cycle_and_parent_dates(tmp_path: Path) -> None:
    early = [*DIVISION]
    early[7] = "01/01/2019"
    result = run_org_import(
        path=book(
            tmp_path,
            [
                ROOT,
                DISTRICT,
                early,
                ["C1", "Vòng 1", "C2", "Phòng", "Nhà nước", "Cấp tỉnh", None, "2021", ""],
                ["C2", "Vòng 2", "C1", "Phòng", "Nhà nước", "Cấp tỉnh", None, "2021", ""],
            ],
            [],
            [],
        ),
        acting_user=None,
    )
    assert messages(result) == [
        "Sheet Đơn vị, dòng 4, cột H (Hiệu lực từ ngày): Đơn vị cấp trên “T.H” chỉ có hiệu lực từ "
        "01/01/2020; đơn vị trực thuộc không thể có hiệu lực trước ngày đó.",
        "Sheet Đơn vị, dòng 5, cột C (Mã đơn vị cấp trên): Đơn vị cấp trên tạo thành vòng: C1 → C2 → C1.",
        "Sheet Đơn vị, dòng 6, cột C (Mã đơn vị cấp trên): Đơn vị cấp trên tạo thành vòng: C2 → C1 → C2.",
    ]
    assert not Unit.objects.exists()


def test_units_outside_the_users_grants_are_refused_per_row(
    tree: dict[str, Unit], users: dict[str, User], tmp_path: Path
) -> None:
    """Other subtree: an officer of district A imports a division under A and one under B."""
    path = book(
        tmp_path,
        [
            ["A2", "Phòng mới A", "A", "Phòng", "Nhà nước", "Cấp huyện", None, "01/01/2020", ""],
            ["B2", "Phòng mới B", "B", "Phòng", "Nhà nước", "Cấp huyện", None, "01/01/2020", ""],
            ["B", "Huyện B sửa tên", "P", "Địa phương", "Nhà nước", "Cấp huyện", None, "01/01/2015", ""],
            ["R", "Gốc mới", None, "Địa phương", "Nhà nước", "Cấp tỉnh", None, "01/01/2020", ""],
        ],
        [],
        [],
    )
    result = run_org_import(path=path, acting_user=users["officer_a"])
    assert messages(result) == [
        "Sheet Đơn vị, dòng 3, cột C (Mã đơn vị cấp trên): Đơn vị cấp trên “Huyện B” nằm ngoài phạm vi "
        "bạn được giao.",
        "Sheet Đơn vị, dòng 4, cột A (Mã đơn vị): Đơn vị “Huyện B” nằm ngoài phạm vi bạn được giao.",
        "Sheet Đơn vị, dòng 5, cột C (Mã đơn vị cấp trên): Chỉ quản trị hệ thống được tạo đơn vị gốc.",
    ]
    assert not Unit.objects.filter(code__in=["A2", "B2", "R"]).exists()
    # the same officer's own subtree imports
    ok = book(
        tmp_path,
        [["A2", "Phòng mới A", "A", "Phòng", "Nhà nước", "Cấp huyện", None, "01/01/2020", ""]],
        [],
        [],
        name="a.xlsx",
    )
    result = run_org_import(path=ok, acting_user=users["officer_a"])
    assert result.ok and Unit.objects.get_parent(Unit.objects.get(code="A2")) == tree["A"]
    # posts: in the officer's subtree yes, in the other subtree no
    Title.objects.create(code="CV", name="Chuyên viên", level="huyen", group="truong_phong", block="nha_nuoc",
                         head_kind="nhan_vien", management_scope="co_quan")  # fmt: skip
    result = run_org_import(
        path=book(tmp_path, [], [], [["A2", "CV", 2, None], ["B", "CV", 1, None]], name="p.xlsx"),
        acting_user=users["officer_a"],
    )
    assert messages(result) == [
        "Sheet Vị trí, dòng 3, cột A (Mã đơn vị): Đơn vị “Huyện B” nằm ngoài phạm vi bạn được giao."
    ]
    assert not Post.objects.exists()
    result = run_org_import(
        path=book(tmp_path, [], [], [["A2", "CV", 2, None]], name="p2.xlsx"), acting_user=users["officer_a"]
    )
    assert result.ok and Post.objects.get().unit.code == "A2"
    # titles are the province's catalogue: only an administrator edits them
    result = run_org_import(
        path=book(tmp_path, [], [TITLE_HEAD], [], name="t.xlsx"), acting_user=users["officer_a"]
    )
    assert messages(result) == [
        "Sheet Chức danh, dòng 2, cột A (Mã chức danh): Chỉ quản trị hệ thống được sửa danh mục chức danh."
    ]


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    result = run_org_import(path=good(tmp_path), acting_user=None, dry_run=True)
    assert result.ok and result.units_created == 3
    assert not Unit.objects.exists() and not ObjectChange.objects.exists()


def test_the_template_imports_as_is(tmp_path: Path) -> None:
    AdminArea.objects.create(
        dataset=AdminArea.Dataset.CURRENT, code="15", name="Tỉnh Lào Cai", kind="tinh", level="tinh"
    )
    content = build_org_template()
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Hướng dẫn", "Đơn vị", "Chức danh", "Vị trí"]
    assert [c.value for c in wb["Đơn vị"][1]] == UNIT_HEADERS
    path = tmp_path / "mau.xlsx"
    path.write_bytes(content)
    result = run_org_import(path=path, acting_user=None)
    assert result.ok, messages(result)
    assert Unit.objects.get_parent(Unit.objects.get(code="LC.SNV.TCBC")).code == "LC.SNV"
    assert Unit.objects.get(code="LC").area is not None


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_org", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_command(tmp_path: Path) -> None:
    code, out, _ = run_cli(str(good(tmp_path)), "--dry-run")
    assert code == 0 and "chưa ghi gì" in out and not Unit.objects.exists()
    code, out, _ = run_cli(str(good(tmp_path)))
    assert code == 0 and out.startswith("Đã nhập: 3 đơn vị mới")
    bad = book(
        tmp_path, [["X", "Lạc", "KHONG", "Phòng", "Nhà nước", "Cấp tỉnh", None, "2021", ""]], [], [], "x.xlsx"
    )
    errors = tmp_path / "loi.xlsx"
    code, out, err = run_cli(str(bad), "--error-file", str(errors))
    assert code == 1
    assert out.splitlines() == [
        "Sheet Đơn vị, dòng 2, cột C (Mã đơn vị cấp trên): Không có đơn vị mã “KHONG” trong sheet này "
        "hay trong hệ thống."
    ]
    assert "chưa ghi gì" in err
    given_back = load_workbook(errors)
    assert given_back["Đơn vị"]["J2"].value.startswith("Cột C (Mã đơn vị cấp trên): Không có đơn vị")
    code, _, _ = run_cli(str(tmp_path / "khong-co.xlsx"))
    assert code == 2
    (tmp_path / "a.csv").write_text("a,b\n")
    code, _, err = run_cli(str(tmp_path / "a.csv"))
    assert code == 2 and "Tệp bị từ chối" in err


def upload(client: Any, path: Path, **data: Any) -> Any:
    with path.open("rb") as fh:
        return client.post("/nhap-du-lieu/co-cau-to-chuc/", {"file": fh, **data})


def test_page_imports_and_gives_the_workbook_back(
    client: Any, tree: dict[str, Unit], users: dict[str, User], tmp_path: Path
) -> None:
    client.force_login(users["officer_a"])
    response = client.get("/nhap-du-lieu/co-cau-to-chuc/mau.xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames[1:] == ["Đơn vị", "Chức danh", "Vị trí"]
    bad = book(
        tmp_path,
        [
            ["A2", "Phòng mới A", "A", "Phòng", "Nhà nước", "Cấp huyện", None, "01/01/2020", ""],
            ["B2", "Phòng mới B", "B", "Phòng", "Nhà nước", "Cấp huyện", None, "01/01/2020", ""],
        ],
        [],
        [],
    )
    response = upload(client, bad)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Sheet Đơn vị, dòng 3, cột C (Mã đơn vị cấp trên): Đơn vị cấp trên “Huyện B” nằm ngoài" in text
    assert not Unit.objects.filter(code="A2").exists()
    sha = response.context["sha"]
    given_back = client.get(f"/nhap-du-lieu/co-cau-to-chuc/{sha}/tep-loi.xlsx")
    assert given_back.status_code == 200
    sheet = load_workbook(io.BytesIO(given_back.content))["Đơn vị"]
    assert sheet["J3"].value.startswith("Cột C (Mã đơn vị cấp trên): Đơn vị cấp trên “Huyện B”")
    assert sheet["J2"].value is None
    # another user does not get it
    client.force_login(users["officer_b"])
    assert client.get(f"/nhap-du-lieu/co-cau-to-chuc/{sha}/tep-loi.xlsx").status_code == 404
    client.force_login(users["officer_a"])
    ok = book(
        tmp_path,
        [["A2", "Phòng mới A", "A", "Phòng", "Nhà nước", "Cấp huyện", None, "2020", ""]],
        [],
        [],
        "ok.xlsx",
    )
    response = upload(client, ok, dry_run="on")
    assert response.status_code == 200 and "chưa ghi gì" in response.content.decode()
    assert not Unit.objects.filter(code="A2").exists()
    response = upload(client, ok)
    assert response.status_code == 200 and "1 đơn vị mới" in response.content.decode()
    assert Unit.objects.get(code="A2").basis == ""
    # without a grant that allows changes the page does not exist
    client.force_login(users["leader_a"])
    assert client.get("/nhap-du-lieu/co-cau-to-chuc/").status_code == 404
    (tmp_path / "x.csv").write_text("a,b\n")
    client.force_login(users["officer_a"])
    response = upload(client, tmp_path / "x.csv")
    assert response.status_code == 400
