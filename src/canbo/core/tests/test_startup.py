"""Start-up: the heavy libraries are imported where they are used, not by ``django.setup()``
(docs/architecture.md, "Start-up: heavy libraries imported when used").

Every command (``./canbo backup``, the worker, ``preflight``, the tests' subprocesses) runs
``django.setup()``, whose apps' ``ready()`` import the modules that register hooks (the forms of
``cases`` and ``documents``, the statistics subcommand of ``reports``, the posts of ``careers``).
Those modules used to import python-docx, openpyxl, XlsxWriter, Jinja2 and Django REST
framework's serializers (with requests, PyYAML, Pygments and ``django.contrib.postgres``) at
their top: about 0.4 s of CPU in every process that needed none of them.

The check runs in a fresh interpreter (this one has imported everything already).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]

# Imported by the code that writes a Word or Excel file, renders a template or answers the API;
# not by django.setup(). The test tools are listed too: no running code may import them.
NOT_AT_START = [
    "docx",
    "lxml",
    "openpyxl",
    "xlsxwriter",
    "jinja2",
    "python_calamine",
    "rest_framework.serializers",
    "requests",
    "yaml",
    "pygments",
    "django.contrib.postgres.fields",
    "hypothesis",
    "schemathesis",
    "playwright",
]

SCRIPT = """
import json, os, sys
sys.path.insert(0, os.path.join(sys.argv[1], "src"))
import django
django.setup()
from canbo.core.management.commands import backup, restore, worker  # commands the tests run
print(json.dumps(sorted(set(sys.modules))))
"""


def modules_after_setup() -> set[str]:
    """The modules a fresh interpreter holds after ``django.setup()`` (on the database this run's
    settings name: no connection is opened) and the import of the commands the tests run."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(REPO)],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "canbo.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout))


def test_django_setup_imports_no_heavy_library() -> None:
    modules = modules_after_setup()
    assert "canbo.cases.documents" in modules and "canbo.reports.statistics_cli" in modules  # ready() ran
    assert "canbo.careers.api" in modules and "canbo.documents.services" in modules
    loaded = [name for name in NOT_AT_START if name in modules]
    assert loaded == [], f"imported by django.setup(): {loaded}"


def test_the_heavy_libraries_are_still_there_when_used() -> None:
    """The lazy imports are the same libraries: a Word page, a statistics export, a template and
    the posts' serializer work after start-up (in this process, where they were imported lazily)."""
    from docx import Document

    from canbo.careers.api import tenure_brief_serializer
    from canbo.core.wordpage import FONT, apply_official_page
    from canbo.documents.services import _render

    document = apply_official_page(Document())
    assert document.styles["Normal"].font.name == FONT
    assert document.sections[0].page_width is not None
    assert _render().environment().from_string("{{ a }}").render(a="Hà") == "Hà"
    assert tenure_brief_serializer() is tenure_brief_serializer()  # one class, made once
    assert list(tenure_brief_serializer()().fields) == [
        "id",
        "title",
        "unit",
        "kind",
        "is_primary",
        "start_date",
        "end_date",
    ]
