"""The lake's single writer: the lock, the staging area, the checks across files, the swap.

The writer knows the lake only by its folder and its :class:`ManifestStore`: what a file holds
and whether its own rows repeat a key is the reader's to say (:mod:`bilat.sources.base`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import queue
import shutil
import threading
import time
import uuid
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bilat.errors import BilatError, InputError, LakeLockedError, ValidationError
from bilat.lake.manifest import TMP_GLOB, Manifest, ManifestEntry, ManifestStore, fsync_path
from bilat.lake.report import IngestReport, ProgressFn
from bilat.sources.base import ReadResult, SourceFile
from bilat.sources.problems import first_error, write_rejects
from bilat.sources.schema import DICTIONARY_COLUMNS, KEYS, dictionary_schema, stored_schema

__all__ = ["WriterLock", "ingest_all", "sweep"]

_HASH_BLOCK = 1 << 22


class WriterLock:
    """One writer per lake: a second one gets :class:`LakeLockedError` at once."""

    def __init__(self, root: Path) -> None:
        import filelock

        self.root = root
        self._lock = filelock.FileLock(str(root / ".writer.lock"), timeout=0)
        self._owner = root / ".writer.pid"

    def __enter__(self) -> WriterLock:
        import filelock

        try:
            self._lock.acquire()
        except filelock.Timeout:
            who = self._owner.read_text().strip() if self._owner.exists() else "another process"
            raise LakeLockedError(
                f"the lake at {self.root} is being written by {who}; wait for it to finish "
                "and try again (readers are not blocked)",
                details={"lake": str(self.root), "holder": who},
            ) from None
        self._owner.write_text(f"process {os.getpid()}")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._owner.unlink(missing_ok=True)
        self._lock.release()


def sweep(root: Path, manifest: Manifest) -> None:
    """Remove what a crashed writer left: staging folders, data the manifest does not list
    and temporary manifests (``.manifest.json.*.tmp``, from a kill during the rename)."""
    shutil.rmtree(root / "staging", ignore_errors=True)
    for tmp in root.glob(TMP_GLOB):
        tmp.unlink(missing_ok=True)
    listed = {e.entry_id for e in manifest.entries}
    for kind in ("flows", "declarations"):
        folder = root / "data" / kind
        if not folder.is_dir():
            continue
        for child in folder.iterdir():
            if child.name not in listed:
                shutil.rmtree(child, ignore_errors=True)


_DONE = object()

#: How the lake writes every Parquet part (ingest and, later, compaction): the one place.
#: ``store_schema=False``: plain Parquet strings for every engine, not Arrow dictionaries.
#: ``write_batch_size``: rows the writer encodes (and takes statistics of) at a time; 1,024
#: by default, which spends a fifth of the write on per-call overhead of the statistics of
#: dictionary columns. Pages are still cut at the default 1 MiB.
WRITE_OPTIONS: dict[str, Any] = {
    "compression": "snappy",
    "write_statistics": True,
    "store_schema": False,
    "write_batch_size": 1 << 15,
}
#: Rows per row group at most (a longer batch is split; a shorter one is a row group alone).
ROW_GROUP_ROWS = 1 << 20


class _ParquetSink:
    """One Parquet file written by a thread of its own, fed batches through a short queue.

    Reading and converting run in the caller's thread while this one compresses and writes
    (both release the GIL in Arrow's C++ code), so a two-core machine keeps both cores busy.
    A write error is kept and raised by :meth:`close` in the caller's thread.
    """

    def __init__(self, target: Path, kind: str) -> None:
        self.schema = dictionary_schema(stored_schema(kind), kind)
        self._writer = pq.ParquetWriter(
            target,
            self.schema,
            use_dictionary=[*DICTIONARY_COLUMNS[kind], "entry_id"],
            **WRITE_OPTIONS,
        )
        self._jobs: queue.Queue[object] = queue.Queue(maxsize=4)
        self.failure: list[BaseException] = []
        self._thread = threading.Thread(
            target=self._write, name="bilat-parquet-writer", daemon=True
        )
        self._thread.start()

    def _write(self) -> None:
        while (item := self._jobs.get()) is not _DONE:
            if not self.failure:
                try:
                    batch = cast(pa.RecordBatch, item)
                    self._writer.write_batch(batch, row_group_size=ROW_GROUP_ROWS)
                except BaseException as exc:  # surfaced in the reading thread
                    self.failure.append(exc)

    def put(self, batch: pa.RecordBatch) -> None:
        self._jobs.put(batch.cast(self.schema))

    def close(self) -> None:
        self._jobs.put(_DONE)
        self._thread.join()
        self._writer.close()


def _stage(
    sf: SourceFile, strict: bool, staging: Path, entry_id: str, progress: ProgressFn | None
) -> _Staged:
    """Read the file and write its batches, tagged with ``entry_id``, to ``staging``."""
    target = staging / "part-0.parquet"
    sink = _ParquetSink(target, sf.kind)
    rows, years = 0, set()
    entry_dict = pa.array([entry_id], pa.string())
    reading = sf.read(strict=strict)
    result: ReadResult | None = None
    try:
        while not sink.failure:
            try:
                batch = next(reading)
            except StopIteration as done:
                result = cast(ReadResult, done.value)
                break
            ids = pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(batch.num_rows, dtype=np.int32)), entry_dict
            )
            sink.put(batch.append_column("entry_id", ids))
            rows += batch.num_rows
            years.update(pc.unique(batch.column("year")).to_pylist())
            if progress is not None:
                progress(batch.num_rows)
    finally:
        reading.close()
        sink.close()
    if sink.failure:
        raise sink.failure[0]
    if result is None:  # the loop ends by StopIteration or by a failure, raised above
        raise RuntimeError(f"the read of {sf.path} ended without its result")
    return _Staged(target, rows, tuple(sorted(int(y) for y in years)), result)


@dataclass(frozen=True, slots=True)
class _Staged:
    """A file read and written to staging: its Parquet part, rows, years and what was read."""

    part: Path
    rows: int
    years: tuple[int, ...]
    read: ReadResult


def _replacements(manifest: Manifest, sf: SourceFile, staged: _Staged) -> list[ManifestEntry]:
    """Active entries this file supersedes: same source, kind and revision, a release, shared years."""
    if sf.release is None:
        return []
    out = []
    for e in manifest.active():
        years = staged.years
        same = (e.kind, e.source, e.hs_rev) == (sf.kind, sf.source, staged.read.hs_rev)
        if not same or e.release is None or not set(e.years) & set(years):
            continue
        if e.release > sf.release:
            raise InputError(
                f"the lake already holds {e.source} release {e.release} for "
                f"{', '.join(map(str, sorted(set(e.years) & set(years))))} (entry {e.entry_id}); "
                f"{sf.path} is the older release {sf.release}. Nothing was written.",
                details={"entry": e.entry_id, "release": e.release, "given": sf.release},
            )
        out.append(e)
    return out


def _overlaps(
    root: Path,
    manifest: Manifest,
    sf: SourceFile,
    staged: _Staged,
    already: list[ManifestEntry],
) -> list[tuple[ManifestEntry, int]]:
    """Active entries of the same kind holding rows with the same key as this file.

    Two files that share keys would be added together by every reader (a Comtrade file and a
    revised download of it, say), so a shared key must be settled at ingest.
    """
    import duckdb

    keys = KEYS[sf.kind]
    gone = {e.entry_id for e in already}
    out = []
    con = duckdb.connect()
    try:
        for e in manifest.active():
            if e.kind != sf.kind or e.entry_id in gone or not set(e.years) & set(staged.years):
                continue
            files = [str(root / f) for f in e.files]
            on = " AND ".join(f"a.{k} = b.{k}" for k in keys)
            row = con.execute(  # a compacted file holds other entries' rows too
                f"SELECT count(*) FROM read_parquet(?) a JOIN read_parquet(?) b ON {on} "
                "WHERE b.entry_id = ?",
                [str(staged.part), files, e.entry_id],
            ).fetchone()
            shared = int(row[0]) if row else 0
            if shared:
                out.append((e, shared))
    finally:
        con.close()
    return out


def _superseded(
    root: Path, manifest: Manifest, sf: SourceFile, staged: _Staged, supersede: bool
) -> list[ManifestEntry]:
    """The entries this file replaces: older releases, and with ``supersede`` the overlapping.

    Without ``supersede`` an overlap is refused: adding the file would count rows twice.
    """
    replaced = _replacements(manifest, sf, staged)
    overlapping = _overlaps(root, manifest, sf, staged, replaced)
    if overlapping and not supersede:
        listed = "; ".join(f"{n:,} with entry {e.entry_id} ({e.path})" for e, n in overlapping)
        raise InputError(
            f"{sf.path} repeats rows already in the lake (same "
            f"{', '.join(KEYS[sf.kind])}): {listed}. Adding it would count them twice. "
            "If it is a newer version of that data, ingest it again with replace=True: it "
            "supersedes the entries it overlaps. Nothing was written.",
            details={
                "path": sf.path,
                "overlaps": [{"entry": e.entry_id, "rows": n} for e, n in overlapping],
                "retry_with": {"replace": True},
            },
        )
    return replaced + [e for e, _ in overlapping]


@dataclass
class _Batch:
    """One ingest call: entries moved into ``data/`` but not yet in the manifest.

    ``manifest`` is the lake's manifest with those entries added in memory, so the checks of
    a later file in the batch (unchanged, releases, overlaps) see the earlier ones.
    """

    root: Path
    manifest: Manifest
    staged: list[ManifestEntry] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # data folders and rejects files


def ingest_all(
    store: ManifestStore,
    files: Sequence[SourceFile],
    *,
    strict: bool,
    synthetic: bool,
    progress: ProgressFn | None,
    supersede: bool = False,
) -> list[IngestReport]:
    """Ingest ``files`` whole or not at all: one manifest commit after every file passed.

    A release zip is one call with a file per year, so a bad 2019 member leaves no 2018 rows
    behind. Each file is staged, validated and moved into ``data/`` (synced); the manifest
    is replaced once at the end. On any failure the moved folders are removed again, and
    the manifest was never touched (a kill leaves them unlisted: the next writer sweeps them).
    The caller holds the :class:`WriterLock`.
    """
    batch = _Batch(store.root, store.load())
    reports: list[IngestReport] = []
    try:
        for sf in files:
            reports.append(_ingest_one(batch, sf, strict, synthetic, progress, supersede))
        if batch.staged:
            store.commit(batch.manifest)
    except BilatError as exc:
        if not _roll_back(store, batch) or not batch.staged:
            raise
        earlier = ", ".join(e.path for e in batch.staged)
        raise exc.with_message(
            f"{exc.message} Nothing else from this ingest was written either (one ingest "
            f"lands whole or not at all; rolled back: {earlier}).",
            rolled_back=[e.path for e in batch.staged],
        ) from exc
    except BaseException:
        _roll_back(store, batch)
        raise
    staged = {e.entry_id for e in batch.staged}
    for e in batch.manifest.entries:
        if e.replaced_by in staged:
            shutil.rmtree(store.root / "data" / e.kind / e.entry_id, ignore_errors=True)
    return reports


def _roll_back(store: ManifestStore, batch: _Batch) -> bool:
    """Remove what the batch moved into the lake, unless the manifest already lists it.

    Returns whether it was removed (False: the commit's rename happened, a later sync failed).
    """
    if batch.staged and store.lists(batch.staged[-1].entry_id):
        return False
    for path in batch.written:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return True


def _unchanged(sf: SourceFile, entry: ManifestEntry, start: float, how: str) -> IngestReport:
    return IngestReport(
        path=sf.path,
        status="unchanged",
        entry_id=entry.entry_id,
        kind=entry.kind,
        source=entry.source,
        rows=0,
        years=entry.years,
        notes=(f"already in the lake as entry {entry.entry_id} ({how}); nothing added",),
        seconds=time.perf_counter() - start,
    )


def _holding(manifest: Manifest, kind: str, digest: str) -> ManifestEntry | None:
    return next((e for e in manifest.active() if e.sha256 == digest and e.kind == kind), None)


def _known_before_writing(manifest: Manifest, sf: SourceFile) -> ManifestEntry | None:
    """The active entry holding exactly this file's bytes, found by hashing them first.

    Only files whose reader can open their bytes unparsed are checked, and only when an
    entry of the same kind has the same length (or records none: older manifests), so a new
    file costs nothing extra. The checksum is the one the reader computes while streaming
    (over the decompressed bytes), so entries written before this check still match.
    """
    if sf.open_raw is None:
        return None
    if not any(
        e.kind == sf.kind and (e.size is None or sf.raw_size is None or e.size == sf.raw_size)
        for e in manifest.active()
    ):
        return None
    digest = hashlib.sha256()
    try:
        with sf.open_raw() as fh:
            while chunk := fh.read(_HASH_BLOCK):
                digest.update(chunk)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error):
        return None  # a damaged file: the read proper reports it, naming file and line
    return _holding(manifest, sf.kind, digest.hexdigest())


def _ingest_one(
    batch: _Batch,
    sf: SourceFile,
    strict: bool,
    synthetic: bool,
    progress: ProgressFn | None,
    supersede: bool,
) -> IngestReport:
    """Stage, check and move one file into ``data/``; add its entry to the batch's manifest."""
    start = time.perf_counter()
    known = _known_before_writing(batch.manifest, sf)
    if known is not None:
        return _unchanged(sf, known, start, "same SHA-256, checked before reading")
    entry_id = uuid.uuid4().hex[:16]
    staging = batch.root / "staging" / entry_id
    staging.mkdir(parents=True)
    try:
        staged = _stage(sf, strict, staging, entry_id, progress)
        _check_read(sf, staged, strict)
        held = _holding(batch.manifest, sf.kind, staged.read.sha256)
        if held is not None:
            return _unchanged(sf, held, start, "same SHA-256")
        replaced = _superseded(batch.root, batch.manifest, sf, staged, supersede)
        rejects_path = _write_rejects(batch, sf, staged.read, entry_id)
        _move_in(batch, staging, sf.kind, entry_id)
        entry = _entry(sf, staged, entry_id, synthetic=synthetic, rejects_path=rejects_path)
        gone = {e.entry_id for e in replaced}
        batch.manifest.entries = [
            replace(e, replaced_by=entry_id) if e.entry_id in gone else e
            for e in batch.manifest.entries
        ] + [entry]
        batch.staged.append(entry)
        return IngestReport(
            path=sf.path,
            status="ingested",
            entry_id=entry_id,
            kind=sf.kind,
            source=entry.source,
            rows=staged.rows,
            rejected=entry.rejected,
            rejects_path=rejects_path,
            replaced=tuple(sorted(gone)),
            years=staged.years,
            notes=entry.notes,
            seconds=time.perf_counter() - start,
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_read(sf: SourceFile, staged: _Staged, strict: bool) -> None:
    """Refuse a strict read that met a bad value, and a file with no rows at all."""
    problems = staged.read.problems
    if problems and strict:
        raise first_error(sf.path, problems)
    if staged.rows == 0 and not problems:
        raise ValidationError(
            "the file has no data rows",
            path=sf.path,
            hint="Check that it is the file you meant; nothing was written",
        )


def _write_rejects(batch: _Batch, sf: SourceFile, read: ReadResult, entry_id: str) -> str | None:
    """The rejects file of a read under ``skip_bad_rows`` (``None`` when nothing was refused)."""
    if not read.problems:
        return None
    target = batch.root / "rejects" / f"{entry_id}.csv"
    batch.written.append(target)
    path = str(write_rejects(sf.path, read.problems, target))
    fsync_path(target)
    fsync_path(target.parent)
    return path


def _move_in(batch: _Batch, staging: Path, kind: str, entry_id: str) -> None:
    """Move the staged folder into ``data/KIND/ENTRY``, synced so it survives a power loss."""
    final = batch.root / "data" / kind / entry_id
    _make_dirs(final.parent, batch.root)
    for part in staging.iterdir():
        fsync_path(part)
    fsync_path(staging)
    batch.written.append(final)
    os.replace(staging, final)
    fsync_path(final.parent)


def _entry(
    sf: SourceFile, staged: _Staged, entry_id: str, *, synthetic: bool, rejects_path: str | None
) -> ManifestEntry:
    read = staged.read
    return ManifestEntry(
        entry_id=entry_id,
        kind=sf.kind,
        source=sf.source,
        release=sf.release,
        path=sf.path,
        sha256=read.sha256,
        rows=staged.rows,
        years=staged.years,
        hs_rev=read.hs_rev,
        ingested_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        synthetic=synthetic or sf.source == "synthetic",
        rejected=len({p.line for p in read.problems}),
        rejects_path=rejects_path,
        files=(str(Path("data") / sf.kind / entry_id / staged.part.name),),
        notes=read.notes,
        size=read.size,
    )


def _make_dirs(folder: Path, root: Path) -> None:
    """``mkdir -p`` that syncs each parent whose list of names changed."""
    if folder.is_dir():
        return
    _make_dirs(folder.parent, root)
    folder.mkdir(exist_ok=True)
    fsync_path(folder.parent)
