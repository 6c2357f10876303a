"""An Arrow table already in a canonical schema, read like a file (sample data, reconciled flows).

The content's checksum (over its Arrow IPC stream) stands for a file's, so ingesting the same
table twice is reported ``unchanged`` like a file.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa

from bilat.errors import InputError
from bilat.sources._convert import check_duplicates
from bilat.sources.base import Reading, ReadLog, SourceFile
from bilat.sources.schema import KEYS, KINDS, stored_schema

__all__ = ["read_arrow"]


def read_arrow(
    table: pa.Table, *, kind: str, source: str, name: str, release: str | None = None
) -> SourceFile:
    """``table`` as a :class:`SourceFile` of ``kind`` (``flows`` or ``declarations``).

    Parameters
    ----------
    table
        Rows in the canonical schema of ``kind`` (extra columns are dropped, types cast).
    source
        The source the rows come from (``synthetic``, ``reconciled:comtrade`` ...).
    name
        What the manifest shows as the entry's path.
    release
        Release tag, when the rows have one.

    Raises
    ------
    InputError
        ``kind`` is unknown, or the table lacks a column of the schema or cannot be cast.
    """
    if kind not in KINDS:
        raise InputError(
            f"kind must be one of {', '.join(KINDS)}, not {kind!r}",
            details={"value": kind, "expected": list(KINDS)},
        )
    base = stored_schema(kind).remove(stored_schema(kind).get_field_index("entry_id"))
    try:
        rows = table.select(base.names).cast(base)
    except (KeyError, pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise InputError(
            f"table for {name!r} is not in the {kind} schema: {exc}",
            details={"expected": base.names, "found": table.column_names},
        ) from None
    revs = rows.column("hs_rev").unique().to_pylist() if rows.num_rows else ["HS"]

    def reader(strict: bool) -> Reading:
        log = ReadLog(name, strict)
        lines = np.arange(1, rows.num_rows + 1, dtype=np.int64)
        check_duplicates(rows, KEYS[kind], lines, path=name, what="row", unit="rows")
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, rows.schema) as w:
            w.write_table(rows)
        digest = hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()
        yield from rows.to_batches(max_chunksize=1 << 20)
        return log.result(digest, size=None, hs_rev=str(revs[0]))

    return SourceFile(
        kind=kind, source=source, path=name, release=release, hs_rev=str(revs[0]), reader=reader
    )
