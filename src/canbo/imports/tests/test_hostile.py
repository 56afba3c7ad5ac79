"""Hostile files: refused with a clear Vietnamese message, or reported per cell; never a crash."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from canbo.conftest import reference_data
from canbo.imports import engine, reader
from canbo.imports.engine import RefusedFile
from canbo.imports.tests.helpers import PERSON_HEADERS, make_xlsx
from canbo.people.models import Person
from canbo.people.validators import make_personal_id

pytestmark = pytest.mark.django_db

PID = make_personal_id(province_prefix="010", sex="nu", birth_year=1980, serial=4242)
ROW = [PID, "Nguyễn Thị Hoa", "Nữ", "17/05/1980", "Kinh", "Không", "Công chức", "A1"]


@pytest.fixture
def ready(tree: Any) -> Any:
    reference_data()
    return tree


def refused(path: Path) -> str:
    with pytest.raises(RefusedFile) as exc:
        engine.run_import(path=path, acting_user=None)
    with pytest.raises(RefusedFile):
        engine.inspect_workbook(path)
    return exc.value.message


def test_text_file_named_xlsx(ready: Any, tmp_path: Path) -> None:
    path = tmp_path / "ds.xlsx"
    path.write_text("Số định danh cá nhân,Họ và tên\n010180000001,Nguyễn Văn A\n", encoding="utf-8")
    assert "tệp văn bản" in refused(path)


def test_csv_and_old_xls(ready: Any, tmp_path: Path) -> None:
    csv = tmp_path / "ds.csv"
    csv.write_bytes(b"\xef\xbb\xbfa;b\n1;2\n")
    assert "CSV" in refused(csv)
    xls = tmp_path / "ds.xls"
    xls.write_bytes(reader.OLE_SIGNATURE + b"\0" * 600)
    assert "97–2003 (.xls)" in refused(xls)


def test_empty_binary_damaged_and_other_zip(ready: Any, tmp_path: Path) -> None:
    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(b"")
    assert refused(empty) == "Tệp rỗng."
    binary = tmp_path / "anh.xlsx"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert "không phải bảng tính" in refused(binary)
    damaged = tmp_path / "hong.xlsx"
    damaged.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert "bị hỏng" in refused(damaged)
    other = tmp_path / "nen.xlsx"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "xin chào")
    assert "không phải bảng tính Excel" in refused(other)


def test_zip_bomb_ratio_and_total(ready: Any, tmp_path: Path, monkeypatch: Any) -> None:
    path = make_xlsx(tmp_path / "bom.xlsx", {"Cán bộ": [PERSON_HEADERS, ROW]})
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * (reader.RATIO_FLOOR_BYTES + 1024 * 1024))
    assert "bom nén" in refused(path)
    small = make_xlsx(tmp_path / "nho.xlsx", {"Cán bộ": [PERSON_HEADERS, ROW]})
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED_BYTES", 2000)
    assert "vượt giới hạn" in refused(small)
    assert not Person.objects.exists()


def test_xml_entity_bomb(ready: Any, tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "xml.xlsx", {"Cán bộ": [PERSON_HEADERS, ROW]})
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol3;</workbook>'
    )
    rebuilt = tmp_path / "xml2.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rebuilt, "w") as dst:
        for item in src.infolist():
            data = laughs.encode() if item.filename == "xl/workbook.xml" else src.read(item.filename)
            dst.writestr(item, data)
    assert "Không đọc được tệp" in refused(rebuilt)


def test_macros_refused(ready: Any, tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "macro.xlsx", {"Cán bộ": [PERSON_HEADERS, ROW]})
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 fake vba")
    assert "macro" in refused(path)
    xlsm = tmp_path / "macro2.xlsm"
    plain = make_xlsx(tmp_path / "plain.xlsx", {"Cán bộ": [PERSON_HEADERS, ROW]})
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(xlsm, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"spreadsheetml.sheet.main+xml", b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
                )
            dst.writestr(item, data)
    assert "macro" in refused(xlsm)


def test_formula_cells_are_errors(ready: Any, tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "ct.xlsx",
        {"Cán bộ": [PERSON_HEADERS, [PID, '=HYPERLINK("http://x","Nguyễn Thị Hoa")', *ROW[2:]]]},
    )
    result = engine.run_import(path=path, acting_user=None)
    assert not result.ok
    assert [str(e) for e in result.errors] == [
        "Sheet Cán bộ, dòng 2, cột B (Họ và tên): Ô chứa công thức; hãy chép và dán dạng giá trị "
        "(Paste Special → Values) rồi tải lên lại."
    ]
    assert not Person.objects.exists()


def test_ten_megabytes_in_one_cell(ready: Any, tmp_path: Path) -> None:
    big = "Nguyễn " * (10 * 1024 * 1024 // 8)
    path = make_xlsx(tmp_path / "to.xlsx", {"Cán bộ": [PERSON_HEADERS, [PID, big, *ROW[2:]]]})
    result = engine.run_import(path=path, acting_user=None)
    assert not result.ok
    (error,) = result.errors
    assert error.row == 2 and error.column == "B (Họ và tên)"
    assert "vượt giới hạn 2.000 ký tự" in error.message
    # the error workbook does not give the 10 MB back
    assert len(engine.error_workbook(path, result.errors)) < 2 * 1024 * 1024


def test_too_many_rows_and_columns(ready: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(reader, "MAX_ROWS_PER_SHEET", 3)
    rows = [
        [make_personal_id(province_prefix="010", sex="nam", birth_year=1980, serial=i), *ROW[1:]]
        for i in range(5)
    ]
    path = make_xlsx(tmp_path / "dai.xlsx", {"Cán bộ": [PERSON_HEADERS, *rows]})
    with pytest.raises(RefusedFile, match="quá 3 dòng"):
        engine.run_import(path=path, acting_user=None)
    wide = make_xlsx(
        tmp_path / "rong.xlsx", {"Cán bộ": [[f"Cột {i}" for i in range(reader.MAX_COLUMNS + 5)]]}
    )
    assert "quá nhiều cột" in refused(wide)


def test_renamed_copy_of_good_file_is_fine(ready: Any, tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "tot.xlsx", {"Cán bộ": [PERSON_HEADERS, ROW]})
    copy = tmp_path / "TOT.XLSX"
    shutil.copy(path, copy)
    assert engine.run_import(path=copy, acting_user=None).ok


def _million_row_xlsx(path: Path, rows: int = 1_048_576) -> Path:
    """A real workbook whose one sheet has ``rows`` one-cell rows (Excel's maximum by default),
    its XML written straight into the ZIP in chunks (openpyxl would take minutes)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            f'ContentType="{ct}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{ct}.worksheet+xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship '
            f'Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets>'
            '<sheet name="Cán bộ" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship '
            f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>'.encode())
            for start in range(1, rows + 1, 65_536):
                out.write(
                    "".join(
                        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'
                        for r in range(start, min(start + 65_536, rows + 1))
                    ).encode()
                )
            out.write(b"</sheetData></worksheet>")
    return path


def test_million_rows_refused_before_parsing(ready: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """Issue 21: a sheet of 1,048,576 rows (one cell each: under the cell limit) is refused by the
    pre-scan, with a Vietnamese message; calamine never opens the file."""
    import python_calamine

    path = _million_row_xlsx(tmp_path / "trieu-dong.xlsx")
    with zipfile.ZipFile(path) as zf:
        assert zf.read("xl/worksheets/sheet1.xml")[-100:].count(b'<row r="1048576">') == 1
    opened: list[str] = []
    real = python_calamine.CalamineWorkbook.from_path

    def recording(p: str, *a: Any, **k: Any) -> Any:
        opened.append(p)
        return real(p, *a, **k)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", staticmethod(recording))
    message = refused(path)
    assert message == (
        "Sheet Cán bộ có dữ liệu quá dòng 300.010, vượt giới hạn 300.000 dòng dữ liệu. Hãy chia "
        "thành nhiều tệp, hoặc xóa các ô có dữ liệu nằm xa bên dưới bảng."
    )
    assert opened == []
    assert not Person.objects.exists()
