"""What an import run did (``ImportResult``) and how it reports its progress (``Progress``).

Shared by ``apply`` (which makes them) and ``engine``/views/jobs (which hand them on); imports
only ``errors``, so the import modules import each other in no circle (issue 15).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from canbo.imports.errors import CellError

Progress = Callable[[int, int, str], None]


@dataclass
class ImportResult:
    """What a run did: ``ok`` with counts, or every error and nothing written."""

    ok: bool
    errors: list[CellError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    section_rows: int = 0
    dry_run: bool = False
    skipped: int = 0  # section rows left out as duplicates (same natural key, nothing new)
    section_updates: int = 0  # existing section records changed (same natural key, other values)

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable form, stored in ``ImportJob.result``."""
        data = asdict(self)
        data["errors"] = [asdict(e) for e in self.errors]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportResult:
        return cls(
            ok=bool(data.get("ok")),
            errors=[CellError(**e) for e in data.get("errors", [])],
            created=int(data.get("created", 0)),
            updated=int(data.get("updated", 0)),
            section_rows=int(data.get("section_rows", 0)),
            dry_run=bool(data.get("dry_run", False)),
            skipped=int(data.get("skipped", 0)),
            section_updates=int(data.get("section_updates", 0)),
        )


WRITING = "Đang ghi vào hồ sơ"
"""The progress label given once, just before the write transaction opens (``apply._write``):
from then on the progress is not stored where another process sees it (``jobs.py``)."""
