"""The lake's manifest: what was ingested, from which file, and which entries are active.

The manifest is one JSON file, replaced atomically (write a temporary file, fsync, rename),
so a reader always sees a whole manifest: the previous one or the next one.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bilat._files import fsync_path, write_atomic
from bilat.errors import BilatError

__all__ = [
    "MANIFEST",
    "TMP_GLOB",
    "Manifest",
    "ManifestEntry",
    "ManifestStore",
    "fsync_path",
    "write_atomic",
]

FORMAT = 1
#: The file that makes a folder a lake.
MANIFEST = "manifest.json"
#: Temporary files :func:`write_atomic` leaves when killed mid-write (swept by the next writer).
TMP_GLOB = ".manifest.json.*.tmp"


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One ingested file.

    Attributes
    ----------
    entry_id
        Stable id of the entry (the first 16 hex digits of ``sha256`` and the kind).
    kind
        ``flows`` or ``declarations``.
    source
        ``baci``, ``comtrade``, ``synthetic`` or ``csv:<name>``.
    release
        Source release (BACI ``V202401``) or ``None``.
    path
        The original file as given (a zip member is ``archive.zip::member``).
    sha256
        Checksum of the file's bytes (the decompressed bytes for a ``.gz`` file or a zip
        member: the content read, not the container).
    rows
        Rows stored.
    rejected
        Rows refused (only with ``skip_bad_rows=True``); listed in ``rejects_path``.
    years
        Years present in the stored rows.
    hs_rev
        HS revision tag of the products.
    ingested_at
        UTC time of the ingest.
    synthetic
        True for generated sample data: outputs built on it must say so.
    files
        Parquet files of the entry, relative to the lake root.
    replaced_by
        Entry id that replaced this one (a newer release of the same years), else ``None``.
    notes
        What the reader left out on purpose (e.g. breakdown rows), one line each.
    size
        Length of the bytes ``sha256`` covers, when the reader counted them (``None`` in
        entries written before it was recorded). A re-ingest hashes the file before writing
        anything only when some entry of the same kind has this length (or none recorded).
    """

    entry_id: str
    kind: str
    source: str
    release: str | None
    path: str
    sha256: str
    rows: int
    years: tuple[int, ...]
    hs_rev: str
    ingested_at: dt.datetime
    synthetic: bool = False
    rejected: int = 0
    rejects_path: str | None = None
    files: tuple[str, ...] = ()
    replaced_by: str | None = None
    notes: tuple[str, ...] = ()
    size: int | None = None

    @property
    def active(self) -> bool:
        return self.replaced_by is None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ingested_at"] = self.ingested_at.isoformat()
        d["years"] = list(self.years)
        d["files"] = list(self.files)
        d["notes"] = list(self.notes)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ManifestEntry:
        return cls(
            entry_id=d["entry_id"],
            kind=d["kind"],
            source=d["source"],
            release=d.get("release"),
            path=d["path"],
            sha256=d["sha256"],
            rows=int(d["rows"]),
            years=tuple(int(y) for y in d.get("years", ())),
            hs_rev=d.get("hs_rev", "HS"),
            ingested_at=dt.datetime.fromisoformat(d["ingested_at"]),
            synthetic=bool(d.get("synthetic", False)),
            rejected=int(d.get("rejected", 0)),
            rejects_path=d.get("rejects_path"),
            files=tuple(d.get("files", ())),
            replaced_by=d.get("replaced_by"),
            notes=tuple(d.get("notes", ())),
            size=int(d["size"]) if d.get("size") is not None else None,
        )


@dataclass
class Manifest:
    """All entries, active and replaced, and a generation counter bumped on every change."""

    generation: int = 0
    entries: list[ManifestEntry] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise BilatError(
                f"the lake manifest {path} cannot be read ({exc}); restore it from a backup "
                "or ingest again into a new lake",
                details={"path": str(path)},
            ) from None
        return cls(
            generation=int(data.get("generation", 0)),
            entries=[ManifestEntry.from_dict(e) for e in data.get("entries", [])],
        )

    def save(self, path: Path) -> None:
        body = {
            "format": FORMAT,
            "generation": self.generation,
            "entries": [e.to_dict() for e in self.entries],
        }
        write_atomic(path, json.dumps(body, indent=1).encode("utf-8"))

    def active(self) -> list[ManifestEntry]:
        return [e for e in self.entries if e.active]


class ManifestStore:
    """The manifest of the lake at ``root``: what the writer loads and commits through.

    The writer holds the lake's lock while it uses the store; readers load the manifest
    file themselves (through :class:`~bilat.lake.lake.Lake`), and see a commit as soon as
    its rename is done.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / MANIFEST

    def load(self) -> Manifest:
        """The manifest as on disk now."""
        return Manifest.load(self.path)

    def commit(self, manifest: Manifest) -> None:
        """Replace the manifest with ``manifest``, one generation later (atomic, synced)."""
        manifest.generation += 1
        manifest.save(self.path)

    def lists(self, entry_id: str) -> bool:
        """True when the manifest on disk lists ``entry_id`` (False when it cannot be read)."""
        try:
            return entry_id in {e.entry_id for e in self.load().entries}
        except BilatError:
            return False
