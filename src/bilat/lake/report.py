"""What an ingest reports, file by file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["IngestReport", "ProgressFn"]

#: Called with the number of rows just staged, as an ingest goes.
ProgressFn = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one ingest did.

    Attributes
    ----------
    path
        The file (or zip member) read.
    status
        ``ingested``; ``unchanged`` when the same file was already in the lake (nothing added).
    entry_id
        The manifest entry holding the rows (the existing one when ``unchanged``).
    kind
        ``flows`` or ``declarations``.
    source
        The source of the rows (``baci``, ``comtrade``, ``csv:<name>`` ...).
    rows
        Rows stored.
    rejected
        Rows refused under ``skip_bad_rows``; listed in ``rejects_path``.
    replaced
        Entries this ingest replaced (an older release of the same years).
    years
        Years in the file.
    notes
        What the reader left out on purpose.
    seconds
        Wall time of the ingest.
    """

    path: str
    status: str
    entry_id: str
    kind: str
    source: str
    rows: int
    rejected: int = 0
    rejects_path: str | None = None
    replaced: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "entry_id": self.entry_id,
            "kind": self.kind,
            "source": self.source,
            "rows": self.rows,
            "rejected": self.rejected,
            "rejects_path": self.rejects_path,
            "replaced": list(self.replaced),
            "years": list(self.years),
            "notes": list(self.notes),
            "seconds": round(self.seconds, 3),
        }
