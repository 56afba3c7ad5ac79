"""Read the sheets of a large workbook in a second process while this one validates them.

openpyxl's XML parsing is about half of a large import and runs on one core. Every sheet is
parsed by a child process on the other core and streamed back in chunks, in the order the
validator consumes them (the person sheet first: section rows refer to the persons of the file),
so that this process only checks rows (the person sheet used to be parsed here; in the child
it shortens the validation of a large file: docs/performance.md, "Import").

The child is started with the ``spawn`` method (never ``fork``: the web server runs imports in a
thread, and forking a threaded process is unsafe) and imports only this module and openpyxl —
no Django. A ``multiprocessing.Queue`` buffers on the child's side, so the child never waits for
the parent and the two really overlap. The file has already passed ``reader.check_file`` before
anything is prefetched.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Iterator
from typing import Any

CHUNK_ROWS = 2000
# Below this many data rows in the sheets to prefetch, starting a process costs more than it saves.
MIN_ROWS = 20_000
# How long the parent waits for the next chunk before giving up on a stuck child (seconds).
CHUNK_TIMEOUT = 600

Row = tuple[int, tuple[Any, ...], tuple[str, ...]]


def sheet_rows(ws: Any, start: int, width: int) -> Iterator[Row]:
    """(Excel row number, values, data types) of every non-empty row of ``ws`` from ``start``:
    the one reading loop, used in this process (``reader.Sheet``) and in the child."""
    for offset, row in enumerate(ws.iter_rows(min_row=start, max_col=width)):
        values = tuple(c.value for c in row)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        yield start + offset, values, tuple(getattr(c, "data_type", "n") for c in row)


def _read(path: str, plan: list[tuple[str, int, int]], out: Any) -> None:
    """Child process: for each (sheet, first data row, width), send its non-empty rows."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception:
        out.put(("error", "", None))
        return
    try:
        for name, start, width in plan:
            chunk: list[Row] = []
            try:
                for item in sheet_rows(book[name], start, width):
                    chunk.append(item)
                    if len(chunk) >= CHUNK_ROWS:
                        out.put(("rows", name, chunk))
                        chunk = []
            except Exception:
                out.put(("error", name, None))
                return
            if chunk:
                out.put(("rows", name, chunk))
            out.put(("end", name, None))
    finally:
        book.close()


class Prefetcher:
    """A child process reading the given sheets in order; ``rows(name)`` streams one of them.

    Sheets must be consumed in the order given. ``close()`` stops the child (also when the
    parent gave up half-way, e.g. on a row limit).
    """

    def __init__(self, path: str, plan: list[tuple[str, int, int]]) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.queue: Any = ctx.Queue()
        self.order = [name for name, _start, _width in plan]
        self.process = ctx.Process(target=_read, args=(path, plan, self.queue), daemon=True)
        self.process.start()

    def handles(self, name: str) -> bool:
        return name in self.order

    def rows(self, name: str) -> Iterator[Row]:
        """The non-empty data rows of sheet ``name``; raises ``PrefetchError`` if the child failed."""
        while True:
            try:
                kind, sheet, payload = self.queue.get(timeout=CHUNK_TIMEOUT)
            except queue.Empty:
                raise PrefetchError(name) from None
            if kind == "error":
                raise PrefetchError(sheet or name)
            if sheet != name:  # consumed out of order: a programming error, fail loudly
                raise RuntimeError(f"prefetched sheet {sheet!r} arrived while reading {name!r}")
            if kind == "end":
                return
            yield from payload

    def close(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(timeout=5)
        self.queue.close()
        self.queue.cancel_join_thread()


class PrefetchError(Exception):
    """The child could not read a sheet (the caller turns it into a Vietnamese RefusedFile)."""

    def __init__(self, sheet: str) -> None:
        super().__init__(sheet)
        self.sheet = sheet
