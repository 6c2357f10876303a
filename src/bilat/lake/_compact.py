"""Compaction: the lake's active rows rewritten per kind and year, sorted for pruning.

An ingest writes one Parquet file per file ingested, in the order the source gave its rows
(BACI: by numeric country code), in row groups of a million rows. The minimum and maximum
ISO3 code of such a row group span nearly the whole alphabet, so a reader cannot skip any
of them for one country. Compaction rewrites the rows of the active entries into one file
per kind and year, sorted by exporter, importer and product (declarations: reporter,
partner, flow, product), in row groups of :data:`ROW_GROUP` rows with statistics: a reader
filtering ``exporter = 'BLR'`` reads the footer of each file and the one or two row groups
that hold BLR.

*The manifest stays the one truth.* The compacted files live under
``data/segments/<segment>/`` (``flows-2021.parquet``); every entry lists the compacted
files holding its rows, and every row still carries its ``entry_id``. So provenance per
entry, ``replace=True`` (the replaced entry's rows, left in a shared file, are filtered out
by ``entry_id`` when the lake is read), unchanged-file detection (by SHA-256, untouched) and
reading only active entries keep working. See docs/decisions.md, "Issue 20: a lake laid
out for history".

*Atomic and durable like an ingest.* Under the writer lock the files are written into
``staging/``, synced, moved into ``data/segments/`` with one ``os.replace`` (synced), then
the manifest is replaced once. A crash before that commit leaves the previous lake (the
moved folder is not listed; the next compaction removes it); files no longer listed are
removed only after the commit.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyarrow.parquet as pq

from bilat.lake.manifest import Manifest, ManifestEntry, ManifestStore, fsync_path
from bilat.sources.schema import DICTIONARY_COLUMNS, dictionary_schema, stored_schema

__all__ = [
    "BY_IMPORTER",
    "ROW_GROUP",
    "SEGMENTS",
    "SORT",
    "CompactReport",
    "compact",
    "companion",
    "remove_unlisted",
]

#: Rows per row group of a compacted file (measured in benchmarks/history.py: small enough
#: that one country's rows of a year sit in a few row groups, large enough that footers and
#: per-group overheads stay small; see docs/performance.md, "History layout (issue 20)").
ROW_GROUP = 128 * 1024
#: Where compacted files live, relative to the lake root.
SEGMENTS = Path("data") / "segments"
#: The sort order of a compacted file of each kind (``entry_id`` last: a stable order).
SORT: dict[str, tuple[str, ...]] = {
    "flows": ("exporter", "importer", "product", "hs_rev", "basis", "entry_id"),
    "declarations": ("reporter", "partner", "flow", "product", "hs_rev", "entry_id"),
}
#: The order of a flows file's companion sorted by importer (see :func:`companion`).
BY_IMPORTER = ("importer", "exporter", "product", "hs_rev", "basis", "entry_id")
_NAME = re.compile(r"^(flows|declarations)-(\d{4})\.parquet$")
_COMPANION = ".by-importer.parquet"
_DUCKDB_MEMORY = "1GB"


@dataclass(frozen=True, slots=True)
class CompactReport:
    """What one compaction did.

    ``rewritten``: (kind, year) pairs written anew; ``kept``: pairs already compacted with
    the same entries, left as they were. Sizes are the bytes of the files the active entries
    list, before and after; ``bytes_by_importer`` those of the flows files' companions
    (sorted by importer, see :func:`companion`).
    """

    segment: str | None
    rewritten: tuple[tuple[str, int], ...]
    kept: tuple[tuple[str, int], ...]
    rows: int
    files_before: int
    files_after: int
    bytes_before: int
    bytes_after: int
    removed: int
    seconds: float
    row_group_size: int
    bytes_by_importer: int = 0


@dataclass
class _Year:
    """One (kind, year) to compact: the active entries holding it and the files to read."""

    kind: str
    year: int
    entries: list[str]
    sources: list[str]
    keep: bool = False


@dataclass
class _Plan:
    years: list[_Year] = field(default_factory=list)


def _file_years(entry: ManifestEntry, path: str) -> set[int]:
    """Years the file ``path`` of ``entry`` may hold: a compacted file holds its own year."""
    m = _NAME.match(Path(path).name)
    if m and Path(path).parts[:2] == SEGMENTS.parts:
        return {int(m.group(2))}
    return set(entry.years)


def _plan(manifest: Manifest, kinds: Sequence[str]) -> _Plan:
    """Per kind and year, the active entries and the files holding their rows of it.

    A year already in one compacted file that no replaced entry lists is kept as it is.
    """
    plan = _Plan()
    for kind in kinds:
        active = [e for e in manifest.active() if e.kind == kind]
        shared = {f for e in manifest.entries if not e.active and e.kind == kind for f in e.files}
        for year in sorted({y for e in active for y in e.years}):
            holders = [e for e in active if year in e.years]
            sources = list(
                dict.fromkeys(f for e in holders for f in e.files if year in _file_years(e, f))
            )
            keep = (
                len(sources) == 1
                and Path(sources[0]).parts[:2] == SEGMENTS.parts
                and sources[0] not in shared
            )
            plan.years.append(_Year(kind, year, [e.entry_id for e in holders], sources, keep))
    return plan


def companion(path: str) -> str | None:
    """The companion of a compacted flows file: the same rows sorted by importer first, so
    a reader filtering ``importer = 'BLR'`` skips row groups too; ``None`` for any other file.

    It is derived data, not listed in the manifest (a read of ``flows()`` never sees it
    twice): it lives and goes with its segment.
    """
    p = Path(path)
    if (
        p.parts[:2] != SEGMENTS.parts
        or not p.name.startswith("flows-")
        or p.suffixes != [".parquet"]
    ):
        return None
    return str(p.with_name(p.name.removesuffix(".parquet") + _COMPANION))


def _write_year(
    root: Path, item: _Year, target: Path, row_group_size: int, sort: Sequence[str]
) -> int:
    """Write the active rows of one kind and year, in ``sort`` order, to ``target``; the rows
    written."""
    import duckdb

    schema = dictionary_schema(stored_schema(item.kind), item.kind)
    cols = ", ".join(f'"{c}"' for c in schema.names)
    order = ", ".join(f'"{c}"' for c in sort)
    con = duckdb.connect()
    try:
        con.execute(f"SET memory_limit = '{_DUCKDB_MEMORY}'")
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")
        con.execute(f"SET temp_directory = '{target.parent / '.spill'}'")
        reader = con.sql(
            f"SELECT {cols} FROM read_parquet($files) WHERE year = $year "
            f"AND list_contains($entries, entry_id) ORDER BY {order}",
            params={
                "files": [str(root / f) for f in item.sources],
                "year": item.year,
                "entries": item.entries,
            },
        ).to_arrow_reader(row_group_size)
        rows = 0
        writer = pq.ParquetWriter(
            target,
            schema,
            compression="snappy",
            use_dictionary=[*DICTIONARY_COLUMNS[item.kind], "entry_id"],
            write_statistics=True,
            store_schema=False,
        )
        try:
            for batch in reader:
                writer.write_batch(batch.cast(schema), row_group_size=row_group_size)
                rows += batch.num_rows
        finally:
            writer.close()
    finally:
        con.close()
    shutil.rmtree(target.parent / ".spill", ignore_errors=True)
    if rows == 0:
        target.unlink()
    return rows


def _listed(manifest: Manifest) -> set[str]:
    return {f for e in manifest.entries for f in e.files}


def _size(root: Path, files: set[str]) -> int:
    return sum((root / f).stat().st_size for f in files if (root / f).exists())


def remove_unlisted(root: Path, manifest: Manifest) -> int:
    """Remove data folders no manifest entry lists a file of (after a commit); how many.

    Ingest folders ``data/<kind>/<entry>`` whose rows now live in compacted files, and
    segments no entry lists any more (or that a crashed compaction moved in, uncommitted).
    """
    keep = {Path(f).parts[:3] for f in _listed(manifest)}
    removed = 0
    for folder in (root / "data" / "flows", root / "data" / "declarations", root / SEGMENTS):
        if not folder.is_dir():
            continue
        for child in folder.iterdir():
            if child.relative_to(root).parts[:3] not in keep:
                shutil.rmtree(child, ignore_errors=True)
                removed += 1
    if removed:
        for folder in (root / "data" / "flows", root / "data" / "declarations", root / SEGMENTS):
            if folder.is_dir():
                fsync_path(folder)
    return removed


def _new_manifest(
    manifest: Manifest, kinds: Sequence[str], written: dict[tuple[str, int], str]
) -> Manifest:
    """The manifest with every active entry of ``kinds`` listing its compacted files.

    Replaced entries of those kinds list no file: their rows are not in any compacted file.
    """
    entries = []
    for e in manifest.entries:
        if e.kind not in kinds:
            entries.append(e)
        elif not e.active:
            entries.append(replace(e, files=()))
        else:
            files = tuple(written[(e.kind, y)] for y in e.years if (e.kind, y) in written)
            entries.append(replace(e, files=files))
    return Manifest(generation=manifest.generation, entries=entries)


def compact(
    store: ManifestStore,
    *,
    kinds: Sequence[str] = ("flows", "declarations"),
    row_group_size: int = ROW_GROUP,
    by_importer: bool = True,
) -> CompactReport:
    """Rewrite the active rows of ``kinds`` per year, sorted; one manifest commit.

    ``by_importer``: also write each flows file's :func:`companion` sorted by importer.

    The caller holds the writer lock and has swept the leftovers of a crashed writer.
    """
    start = time.perf_counter()
    root = store.root
    manifest = store.load()
    before = {f for e in manifest.active() if e.kind in kinds for f in e.files}
    bytes_before = _size(root, before)
    plan = _plan(manifest, kinds)
    segment = uuid.uuid4().hex[:16]
    staging = root / "staging" / f"compact-{segment}"
    final = root / SEGMENTS / segment
    for item in plan.years:  # a year compacted without its companion is written again
        twin = companion(item.sources[0]) if item.keep and by_importer else None
        if twin is not None and not (root / twin).exists():
            item.keep = False
    todo = [y for y in plan.years if not y.keep]
    written = {(y.kind, y.year): y.sources[0] for y in plan.years if y.keep}
    rows = 0
    try:
        if todo:
            staging.mkdir(parents=True)
            for item in todo:
                rows += _write_one(root, item, staging, final, written, row_group_size, by_importer)
            _move(staging, final)
        after = _new_manifest(manifest, kinds, written)
        if todo:
            store.commit(after)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    removed = remove_unlisted(root, after if todo else manifest)
    now = {f for e in after.active() if e.kind in kinds for f in e.files}
    return CompactReport(
        segment=segment if todo else None,
        rewritten=tuple((y.kind, y.year) for y in todo),
        kept=tuple((y.kind, y.year) for y in plan.years if y.keep),
        rows=rows,
        files_before=len(before),
        files_after=len(now),
        bytes_before=bytes_before,
        bytes_after=_size(root, now),
        removed=removed,
        seconds=time.perf_counter() - start,
        row_group_size=row_group_size,
        bytes_by_importer=_size(root, {t for f in now if (t := companion(f)) is not None}),
    )


def _write_one(
    root: Path,
    item: _Year,
    staging: Path,
    final: Path,
    written: dict[tuple[str, int], str],
    row_group_size: int,
    by_importer: bool,
) -> int:
    """Stage one kind and year (and its companion), synced; record it in ``written``."""
    name = f"{item.kind}-{item.year}.parquet"
    got = _write_year(root, item, staging / name, row_group_size, SORT[item.kind])
    if not got:
        return 0
    written[(item.kind, item.year)] = str(final.relative_to(root) / name)
    fsync_path(staging / name)
    if by_importer and item.kind == "flows":
        twin = Path(str(companion(written[(item.kind, item.year)]))).name
        _write_year(root, item, staging / twin, row_group_size, BY_IMPORTER)
        fsync_path(staging / twin)
    return got


def _move(staging: Path, final: Path) -> None:
    """Move the staged segment into ``data/segments/`` with one synced rename."""
    fsync_path(staging)
    final.parent.mkdir(parents=True, exist_ok=True)
    fsync_path(final.parent.parent)
    os.replace(staging, final)
    fsync_path(final.parent)
