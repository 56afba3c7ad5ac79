"""Filling a Word template (docxtpl) safely, and checking an uploaded one.

Templates are data that an administrator uploads, so they are treated as untrusted input:

- the file is refused before docxtpl opens it when it is not a plain .docx (macro-enabled, other
  content types), when its archive announces too much (a zip bomb: total size, ratio, entries);
- the Jinja environment is sandboxed (no attribute tricks), has no ``range`` and only harmless
  filters, and every list the template loops over counts its iterations, so no template can
  loop a million times; the output's size is checked after rendering;
- a placeholder CanBo does not know (a top-level name, or a field of a table row) is refused
  with its name.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from jinja2 import StrictUndefined, Undefined, UndefinedError
from jinja2.exceptions import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from canbo.core.errors import DomainError

# An uploaded template (a few dozen KB in practice) and what its archive may hold.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 30 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 500
# What a rendered résumé may be: the sample context (40 rows per table) gives about 0.3 MB of
# document XML and 20 pages; a template beyond these is refused, and so is a generation.
MAX_LOOP_ITERATIONS = 20_000
MAX_DOCUMENT_XML_BYTES = 8 * 1024 * 1024
MAX_PAGE_BREAKS = 200

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MARKERS = ("vbaproject", "macroenabled", "vbadata", "activex")

SAFE_FILTERS = (
    "default",
    "upper",
    "lower",
    "title",
    "capitalize",
    "trim",
    "join",
    "length",
    "first",
    "last",
    "e",
    "escape",
    "string",
)


class TooLarge(DomainError):
    pass


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_LOOP_ITERATIONS


class CountedList(list[Any]):
    """A list whose iterations are counted against the render's budget."""

    budget: _Budget

    def __iter__(self) -> Iterator[Any]:
        for item in super().__iter__():
            self.budget.left -= 1
            if self.budget.left < 0:
                raise TooLarge(
                    "Mẫu lặp quá nhiều lần (có thể tạo tài liệu hàng nghìn trang): không dùng được."
                )
            yield item


class _Env(SandboxedEnvironment):
    """Jinja sandbox without ``range`` and with a short list of filters; ``*`` and ``**`` are
    checked so that "x" * 10**9 cannot be written."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise TooLarge("Mẫu dùng phép lũy thừa: không được phép trong mẫu tài liệu.")
        if isinstance(left, str | list) or isinstance(right, str | list):
            count = right if isinstance(left, str | list) else left
            if not isinstance(count, int) or count > 100:
                raise TooLarge("Mẫu nhân chuỗi quá lớn: không dùng được.")
        return super().call_binop(context, operator, left, right)


def environment(strict: bool = False) -> SandboxedEnvironment:
    env = _Env(undefined=StrictUndefined if strict else Undefined, autoescape=True)
    env.globals.clear()
    env.filters = {name: env.filters[name] for name in SAFE_FILTERS if name in env.filters}
    env.tests = {
        name: env.tests[name]
        for name in ("defined", "undefined", "none", "string", "number")
        if name in env.tests
    }
    return env


def _counted(context: dict[str, Any], budget: _Budget) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in context.items():
        if isinstance(value, list):
            lst = CountedList(value)
            lst.budget = budget
            out[key] = lst
        else:
            out[key] = value
    return out


def check_archive(data: bytes) -> None:
    """Refuse a file that is not a plain Word document before any library parses it."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(f"Tệp mẫu quá lớn (tối đa {MAX_UPLOAD_BYTES // (1024 * 1024)} MB).")
    if not data.startswith(b"PK"):
        raise DomainError("Tệp không phải tài liệu Word (.docx).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DomainError("Tệp .docx bị hỏng, không đọc được.") from exc
    if len(infos) > MAX_ENTRIES:
        raise DomainError("Tệp .docx chứa quá nhiều thành phần: có thể là tệp nén độc hại (zip bomb).")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED_BYTES or (total / packed > MAX_RATIO and total > 1024 * 1024):
        raise DomainError("Tệp .docx giải nén ra quá lớn: có thể là tệp nén độc hại (zip bomb).")
    names = [i.filename.lower() for i in infos]
    if any(marker in name for name in names for marker in MACRO_MARKERS):
        raise DomainError(
            "Tệp mẫu có macro (VBA) hoặc điều khiển ActiveX: không nhận tệp .docm, hãy lưu lại dạng .docx."
        )
    if "[content_types].xml" not in names or "word/document.xml" not in names:
        raise DomainError("Tệp không phải tài liệu Word (.docx).")
    try:
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace").lower()
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise DomainError("Tệp .docx bị hỏng, không đọc được.") from exc
    if "macroenabled" in types or DOCX_MAIN.lower() not in types:
        raise DomainError(
            "Tệp mẫu có macro hoặc không phải dạng .docx: hãy lưu lại dạng “Word Document (.docx)”."
        )


_TABLE_FIELD = re.compile(r"\b([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b")


def check_placeholders(data: bytes, fields: dict[str, str], tables: dict[str, tuple[str, ...]]) -> None:
    """Refuse a template that uses a name CanBo does not fill, naming it."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(data))
    env = environment()
    try:
        names = tpl.get_undeclared_template_variables(jinja_env=env)
    except TemplateError as exc:
        raise DomainError(f"Mẫu có lỗi cú pháp trường trộn: {exc.message or exc}.") from exc
    unknown = sorted(n for n in names if n not in fields and n not in tables)
    if unknown:
        raise DomainError("Mẫu dùng trường CanBo không biết: " + ", ".join(f"“{n}”" for n in unknown) + ".")
    # Fields of table rows ("r.truong"): rendered below with a strict environment, which names
    # an unknown one.


def render_docx(data: bytes, context: dict[str, Any], *, strict: bool = False) -> bytes:
    """Fill the template ``data`` with ``context``; refuse an output of absurd size."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(data))
    budget = _Budget()
    context = {k: _picture(tpl, v) for k, v in context.items()}
    try:
        tpl.render(_counted(context, budget), jinja_env=environment(strict), autoescape=True)
    except UndefinedError as exc:
        raise DomainError(f"Mẫu dùng trường CanBo không biết: {_undefined_name(str(exc))}.") from exc
    except TooLarge:
        raise
    except TemplateError as exc:
        raise DomainError(f"Mẫu có lỗi trường trộn: {exc}.") from exc
    out = io.BytesIO()
    tpl.save(out)
    result = out.getvalue()
    check_output(result)
    return result


def _picture(tpl: Any, value: Any) -> Any:
    """A ``resume.Photo`` becomes docxtpl's picture, 30 mm wide (a 3 × 4 portrait in the 4 × 6 box)."""
    path = getattr(value, "path", None)
    if not isinstance(path, str):
        return value
    from docx.image.image import Image
    from docx.shared import Mm
    from docxtpl import InlineImage

    try:
        Image.from_file(path)  # a scan python-docx cannot read leaves the box empty, not a 500
    except Exception:
        return "Ảnh màu\n(4 × 6 cm)"
    return InlineImage(tpl, path, width=Mm(30))


def _undefined_name(message: str) -> str:
    found = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return f"“{found.group(1)}”" if found else message


def check_output(docx_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > MAX_DOCUMENT_XML_BYTES:
            raise TooLarge("Tài liệu tạo ra quá lớn (hàng nghìn trang): mẫu không dùng được.")
        xml = archive.read("word/document.xml")
    if xml.count(b'w:type="page"') + xml.count(b"<w:pageBreakBefore") > MAX_PAGE_BREAKS:
        raise TooLarge("Tài liệu tạo ra có quá nhiều trang: mẫu không dùng được.")


def validate_template(
    data: bytes, fields: dict[str, str], tables: dict[str, tuple[str, ...]], sample: dict[str, Any]
) -> None:
    """Every check an uploaded template goes through; raises DomainError with a Vietnamese message."""
    check_archive(data)
    try:
        check_placeholders(data, fields, tables)
    except DomainError:
        raise
    except Exception as exc:  # a .docx docxtpl cannot read at all
        raise DomainError("Tệp .docx bị hỏng hoặc không phải mẫu Word đọc được.") from exc
    render_docx(data, sample, strict=True)
