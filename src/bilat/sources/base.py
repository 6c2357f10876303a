"""What every reader hands to the lake: one :class:`SourceFile` per ingestible file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import pyarrow as pa

from bilat.sources._convert import Problems

__all__ = ["SourceFile"]


@dataclass
class SourceFile:
    """One file (or one member of a zip) ready to ingest.

    ``batches()`` streams validated Arrow record batches in the canonical schema of ``kind``;
    rows that failed validation are left out of the batches and recorded in ``problems``.
    Once the batches are exhausted, ``sha256()`` is the checksum of the bytes read and
    ``notes`` holds anything the reader left out on purpose (breakdown rows, other flows).

    Attributes
    ----------
    kind
        ``"flows"`` or ``"declarations"``.
    source
        ``"baci"``, ``"comtrade"``, ``"synthetic"`` or ``"csv:<name>"``.
    path
        Display path; a zip member is ``archive.zip::member.csv``.
    release
        Release tag when the source has releases (BACI ``V202401``), else ``None``.
    hs_rev
        HS revision of the products (``HS17``), ``HS`` when the source does not say.
    open_raw
        Opens the bytes ``sha256()`` covers (decompressed), without parsing them, when the
        reader can: the lake hashes them first to recognise a file it already holds before
        writing anything. ``None``: the lake knows the checksum only after reading.
    raw_size
        The length of those bytes when known without reading them (a file's size, a zip
        member's), else ``None``.
    """

    kind: str
    source: str
    path: str
    release: str | None
    hs_rev: str
    open_batches: Callable[[SourceFile], Iterator[pa.RecordBatch]]
    problems: Problems
    notes: list[str] = field(default_factory=list)
    digest: str | None = None
    strict: bool = True
    bytes_read: int = 0
    #: Readers whose keys pack into integers fill these while streaming (one array per batch
    #: of good rows: the packed key and its line), so the lake can find duplicated keys
    #: without a second pass over the data.
    key_chunks: list[Any] = field(default_factory=list)
    line_chunks: list[Any] = field(default_factory=list)
    key_names: tuple[str, ...] = ()
    open_raw: Callable[[], IO[bytes]] | None = None
    raw_size: int | None = None

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Stream the file's validated batches (may be called again to re-read)."""
        self.problems.items.clear()
        self.notes.clear()
        self.key_chunks.clear()
        self.line_chunks.clear()
        return self.open_batches(self)

    def sha256(self) -> str:
        if self.digest is None:
            raise RuntimeError("sha256() is known only after the batches were read")
        return self.digest
