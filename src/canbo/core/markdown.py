"""Markdown documents of docs/ shown as pages (the import guide): rendered on the server with
markdown-it-py (CommonMark plus tables), raw HTML in the source escaped, no script or CDN."""

from __future__ import annotations

import functools
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def render(text: str) -> SafeString:
    """HTML of ``text``; HTML written in the text is shown as text, never interpreted."""
    # Safe: with "html" off, markdown-it escapes every "<" and "&" of the text itself.
    return mark_safe(_MD.render(text))  # noqa: S308 (see the line above)


@functools.lru_cache(maxsize=8)
def _render_file(path: Path, mtime_ns: int) -> SafeString:
    return render(path.read_text(encoding="utf-8"))


def render_file(path: Path) -> SafeString:
    """``render`` of a file, kept until the file changes."""
    return _render_file(path, path.stat().st_mtime_ns)
