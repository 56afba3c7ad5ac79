"""Forms of the import pages: the upload, and the mapping of each sheet's columns to fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from canbo.imports import engine
from canbo.imports import mapping as mapping_mod
from canbo.imports.mapping import SHEETS_KEY
from canbo.imports.models import SavedMapping
from canbo.imports.parsers import key as header_key

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SKIP = ""


def max_upload_bytes() -> int:
    return int(getattr(settings, "CANBO_MAX_IMPORT_BYTES", MAX_UPLOAD_BYTES))


def size_text(n: int) -> str:
    """A byte count as people read it ("20 MB", "1,5 MB", "500 KB")."""
    mib = n / (1024 * 1024)
    if mib >= 1:
        return f"{mib:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"
    return f"{max(1, n // 1024)} KB"


class UploadForm(forms.Form):
    """One .xlsx file. Only its name and size are checked here; the content (signature, password,
    zip bomb, macros, formulas, oversized cells) is the engine's reader's job, when the stored
    file is inspected, so that a refused file is recorded as a REFUSED job."""

    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        error_messages={
            "required": "Hãy chọn một tệp Excel (.xlsx) để tải lên.",
            "empty": "Tệp rỗng: không có dữ liệu nào.",
            "invalid": "Không đọc được tệp tải lên; hãy chọn lại tệp.",
            "missing": "Không nhận được tệp; hãy chọn lại tệp.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = (
            f"Tối đa {size_text(max_upload_bytes())}. Theo mẫu của CanBo hoặc bảng tính riêng của đơn vị."
        )
        self.fields["file"].widget.attrs["accept"] = (
            ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not upload.size:
            raise forms.ValidationError("Tệp rỗng: không có dữ liệu nào.")
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                f"Tệp quá lớn ({size_text(upload.size)}): tối đa {size_text(max_upload_bytes())}. "
                "Hãy chia thành nhiều tệp nhỏ hơn."
            )
        if name.endswith(".xls") or name.endswith(".xlsm") or name.endswith(".xlsb"):
            raise forms.ValidationError(
                "Chỉ nhận tệp Excel dạng .xlsx. Hãy mở tệp bằng Excel và lưu lại dạng "
                "“Excel Workbook (.xlsx)” (không có macro)."
            )
        if not name.endswith(".xlsx"):
            raise forms.ValidationError("Tệp này không phải bảng tính Excel (.xlsx).")
        return upload


def kind_choices() -> list[tuple[str, str]]:
    return [(SKIP, "— Bỏ qua sheet này —"), *engine.sheet_kinds()]


def column_choices(kind: str | None) -> list[tuple[str, str]]:
    fields = engine.field_choices(kind) if kind else []
    return [(SKIP, "— Không nhập cột này —"), *fields]


def apply_saved(sheets: list[engine.SheetInfo], saved: dict[str, Any]) -> list[engine.SheetInfo]:
    """The sheets as a saved mapping reads them: its sheet kinds and its columns win over the
    proposal, header by header (accents, case and punctuation ignored)."""
    out = []
    for sheet in sheets:
        kind = mapping_mod.detect_kind(sheet.name, sheet.headers, saved)
        proposed = mapping_mod.propose(kind, sheet.headers, saved) if kind else dict.fromkeys(sheet.headers)
        out.append(engine.SheetInfo(sheet.name, kind, sheet.headers, sheet.rows, proposed))
    return out


def as_kind(sheet: engine.SheetInfo, kind: str) -> engine.SheetInfo:
    """The sheet read as another kind (chosen by the officer), its columns proposed afresh."""
    proposed = mapping_mod.propose(kind, sheet.headers) if kind else dict.fromkeys(sheet.headers)
    return engine.SheetInfo(sheet.name, kind or None, sheet.headers, sheet.rows, proposed)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class MappingForm(forms.Form):
    """Per sheet, its kind (or skip); per column, the field it fills (or skip).

    Fields are named ``kind_<sheet>`` and ``col_<sheet>_<column>`` by position, so headers with
    any characters are safe; a posted field name not offered for the sheet's kind is refused.
    """

    save_as = forms.CharField(
        label="Lưu cách ghép cột này với tên",
        max_length=100,
        required=False,
        help_text="Để trống nếu không cần dùng lại cho các tệp sau.",
    )

    def __init__(self, *args: Any, sheets: list[engine.SheetInfo], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheets = sheets
        valid_kinds = {k for k, _ in kind_choices()}
        for i, sheet in enumerate(sheets):
            kind_name = f"kind_{i}"
            self.fields[kind_name] = forms.ChoiceField(
                label=f"Loại dữ liệu của sheet {sheet.name}",
                choices=kind_choices(),
                required=False,
                initial=sheet.kind or SKIP,
                error_messages={"invalid_choice": "Loại sheet không hợp lệ."},
            )
            kind = self.data.get(kind_name, SKIP) if self.is_bound else (sheet.kind or SKIP)
            kind = kind if kind in valid_kinds else SKIP
            if not kind:
                continue  # a skipped sheet's columns are not read (nor checked)
            choices = column_choices(kind)
            for j, header in enumerate(sheet.headers):
                self.fields[f"col_{i}_{j}"] = forms.ChoiceField(
                    label=header or f"(cột {column_letter(j)} không có tiêu đề)",
                    choices=choices,
                    required=False,
                    initial=(sheet.proposed.get(header) or SKIP) if kind == sheet.kind else SKIP,
                    error_messages={"invalid_choice": "Trường “%(value)s” không có trong loại sheet này."},
                )

    def clean_save_as(self) -> str:
        name = " ".join(self.cleaned_data.get("save_as", "").split())
        if name and SavedMapping.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(f"Đã có cách ghép cột tên “{name}”; hãy chọn tên khác.")
        return name

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        # Several sheets may be of one kind (one per district, say); the mapping is per kind, so
        # a header they share must go to the same field in each.
        by_kind: dict[str, dict[str, tuple[str, int, str]]] = {}
        any_sheet = False
        for i, sheet in enumerate(self.sheets):
            kind = data.get(f"kind_{i}") or SKIP
            if not kind:
                continue
            any_sheet = True
            shared = by_kind.setdefault(kind, {})
            labels = dict(column_choices(kind))
            seen: dict[str, str] = {}
            for j, header in enumerate(sheet.headers):
                name = f"col_{i}_{j}"
                value = data.get(name) or SKIP
                if value and value in seen:
                    self.add_error(
                        name,
                        f"Cột {seen[value]} cũng được ghép vào “{labels[value]}”; mỗi trường chỉ một cột.",
                    )
                elif value:
                    seen[value] = column_letter(j)
                hk = header_key(header)
                other = shared.get(hk)
                if hk and other is not None and other[1] != i and other[0] != value:
                    self.add_error(
                        name,
                        f"Sheet {other[2]} cùng loại có cột “{header}” ghép khác; hãy ghép giống nhau.",
                    )
                shared.setdefault(hk, (value, i, sheet.name))
        if not any_sheet:
            raise forms.ValidationError("Hãy chọn loại dữ liệu cho ít nhất một sheet.")
        return data

    def sheet_rows(self) -> list[dict[str, Any]]:
        """Per sheet: the sheet, its kind field and its (letter, header, field) rows, for the page."""
        rows = []
        for i, sheet in enumerate(self.sheets):
            columns = [
                {"letter": column_letter(j), "header": header, "field": self[f"col_{i}_{j}"]}
                for j, header in enumerate(sheet.headers)
                if f"col_{i}_{j}" in self.fields
            ]
            rows.append({"index": i, "sheet": sheet, "kind": self[f"kind_{i}"], "columns": columns})
        return rows

    def mapping(self) -> dict[str, Any]:
        """The engine's mapping: ``{sheet_kind: {header: field or ""}}`` ("" ignores the column),
        plus ``"_sheets": {sheet name: kind or ""}`` fixing each sheet's kind ("" ignores it)."""
        result: dict[str, Any] = {SHEETS_KEY: {}}
        for i, sheet in enumerate(self.sheets):
            kind = self.cleaned_data.get(f"kind_{i}") or SKIP
            result[SHEETS_KEY][sheet.name] = kind
            if not kind:
                continue
            result[kind] = {
                header: (self.cleaned_data.get(f"col_{i}_{j}") or SKIP)
                for j, header in enumerate(sheet.headers)
                if header
            }
        return result
