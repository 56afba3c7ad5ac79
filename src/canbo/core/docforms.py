"""The registry of Word forms kept as templates (docxtpl), and the hook that fills one.

A form is data: a Word file shipped with the app that owns it, the names it may use (``fields``,
and the row fields of its repeated tables ``tables``) and a sample context that exercises every
name (an uploaded version is rendered with it before it is kept). The app that owns a form
registers it in its ``AppConfig.ready()`` (``register_forms``); the documents app keeps the
uploaded versions, checks them, lists them for the administrators and fills them
(``render``, registered by ``documents``). So the cases app, below documents in the layer
order, makes its ballot-count minutes and proposal through the same templates without importing
documents (docs/architecture.md, "Layers" and "Documents").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from canbo.core.hooks import Hook

# DocumentTemplate.form and DocumentRead.form hold the key.
MAX_KEY = 10


@dataclass(frozen=True)
class DocumentForm:
    key: str  # stable, stored with each uploaded version
    label: str  # as the administrators' page names it
    group: str  # the heading it is listed under ("Sơ yếu lý lịch", "Hồ sơ bổ nhiệm")
    shipped: Path  # the file CanBo ships: used while no version has been uploaded
    fields: dict[str, str]  # top-level name → what CanBo puts there (Vietnamese)
    tables: dict[str, tuple[str, ...]]  # repeated table → the fields of each row
    sample: Callable[[], dict[str, Any]]  # a context using every name, for checking uploads
    read_kind: str = ""  # the read log's kind (documents.DocumentKind) of a document made from it
    order: int = field(default=0, compare=False)


FORMS: dict[str, DocumentForm] = {}


def register_forms(*forms: DocumentForm) -> None:
    for form in forms:
        if len(form.key) > MAX_KEY:
            raise ImproperlyConfigured(f"Document form key {form.key!r} is longer than {MAX_KEY}.")
        known = FORMS.get(form.key)
        if known is not None and known != form:
            raise ImproperlyConfigured(f"Document form {form.key!r} registered twice.")
        FORMS[form.key] = form


def document_form(key: str) -> DocumentForm | None:
    return FORMS.get(key)


def forms_by_group() -> list[tuple[str, list[DocumentForm]]]:
    groups: dict[str, list[DocumentForm]] = {}
    for form in sorted(FORMS.values(), key=lambda f: (f.order, f.key)):
        groups.setdefault(form.group, []).append(form)
    return list(groups.items())


@dataclass(frozen=True)
class Rendered:
    content: bytes
    file_format: str  # "docx" or "pdf"
    content_type: str
    template_version: int  # 0: the shipped file


# render(form_key, context, *, file_format, acting_user, subject, as_of, count, person_ids) -> Rendered:
# fills the form's template in use, converts to PDF when asked, and records the read (one row
# per person the document is about).
render = Hook("core.docforms.render")


def vn_date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""
