"""The lake's single writer: the lock, the staging area, validation and the swap."""

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
from typing import TYPE_CHECKING, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bilat.errors import BilatError, InputError, LakeLockedError, ValidationError
from bilat.lake.manifest import TMP_GLOB, Manifest, ManifestEntry, fsync_path
from bilat.sources.base import SourceFile
from bilat.sources.schema import DICTIONARY_COLUMNS, dictionary_schema, stored_schema

if TYPE_CHECKING:
    from bilat.lake.lake import IngestReport, Lake, ProgressFn

__all__ = ["WriterLock", "ingest_all", "sweep"]

_HASH_BLOCK = 1 << 22

_KEYS = {
    "flows": ("year", "exporter", "importer", "product", "hs_rev", "basis"),
    "declarations": ("year", "reporter", "partner", "flow", "product", "hs_rev"),
}


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


def _stage(
    sf: SourceFile, staging: Path, entry_id: str, progress: ProgressFn | None
) -> tuple[Path, int, tuple[int, ...]]:
    """Write the file's batches to one Parquet file in ``staging``.

    Reading and converting run in this thread while a second thread compresses and writes
    (both release the GIL in Arrow's C++ code), so a two-core machine keeps both cores busy.
    """
    schema = dictionary_schema(stored_schema(sf.kind), sf.kind)
    target = staging / "part-0.parquet"
    writer = pq.ParquetWriter(
        target,
        schema,
        compression="snappy",
        use_dictionary=[*DICTIONARY_COLUMNS[sf.kind], "entry_id"],
        write_statistics=True,
        store_schema=False,  # plain Parquet strings for every engine, not Arrow dictionaries
    )
    jobs: queue.Queue[object] = queue.Queue(maxsize=4)
    failure: list[BaseException] = []

    def write() -> None:
        while (item := jobs.get()) is not _DONE:
            if not failure:
                try:
                    writer.write_batch(cast(pa.RecordBatch, item), row_group_size=1 << 20)
                except BaseException as exc:  # surfaced in the reading thread
                    failure.append(exc)

    thread = threading.Thread(target=write, name="bilat-parquet-writer", daemon=True)
    thread.start()
    rows, years = 0, set()
    entry_dict = pa.array([entry_id], pa.string())
    try:
        for batch in sf.batches():
            if failure:
                break
            ids = pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(batch.num_rows, dtype=np.int32)), entry_dict
            )
            batch = batch.append_column("entry_id", ids)
            jobs.put(batch.cast(schema))
            rows += batch.num_rows
            years.update(pc.unique(batch.column("year")).to_pylist())
            if progress is not None:
                progress(batch.num_rows)
    finally:
        jobs.put(_DONE)
        thread.join()
        writer.close()
    if failure:
        raise failure[0]
    return target, rows, tuple(sorted(int(y) for y in years))


def _duplicate_from_keys(sf: SourceFile) -> None:
    keys = np.concatenate(sf.key_chunks)
    if len(keys) < 2 or bool((keys[1:] > keys[:-1]).all()):
        return  # BACI files come sorted by (t, i, j, k): strictly increasing keys, no sort needed
    lines = np.concatenate(sf.line_chunks)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    same = np.flatnonzero(ordered[1:] == ordered[:-1])
    if not len(same):
        return
    first, second = lines[order[same[0]]], lines[order[same[0] + 1]]
    packed = int(ordered[same[0]])
    t, rest = divmod(packed, 10**12)
    i, rest = divmod(rest, 10**9)
    j, k = divmod(rest, 10**6)
    key = dict(zip(sf.key_names, (t, i, j, k), strict=True))
    raise ValidationError(
        f"duplicated key {key}: the same flow is on lines {first} and {second}",
        path=sf.path,
        line=int(second),
        expected="one row per " + ", ".join(sf.key_names),
        hint="Remove the repeated row (or aggregate) and ingest again; nothing was written",
    )


def _check_duplicates(sf: SourceFile, part: Path) -> None:
    if sf.key_chunks:
        _duplicate_from_keys(sf)
        return
    import duckdb

    keys = ", ".join(_KEYS[sf.kind])
    con = duckdb.connect()
    try:
        dup = con.execute(
            f"SELECT {keys}, count(*) AS n FROM read_parquet(?) GROUP BY ALL HAVING n > 1 LIMIT 1",
            [str(part)],
        ).fetchone()
    finally:
        con.close()
    if dup is not None:
        key = dict(zip(_KEYS[sf.kind], dup[:-1], strict=True))
        raise ValidationError(
            f"duplicated key: {dup[-1]} rows share {key}",
            path=sf.path,
            expected="one row per " + ", ".join(_KEYS[sf.kind]),
            hint="Remove the repeated rows (or aggregate them) and ingest again; nothing was written",
        )


def _replacements(
    manifest: Manifest, sf: SourceFile, years: tuple[int, ...]
) -> list[ManifestEntry]:
    """Active entries this file supersedes: same source, kind and revision, a release, shared years."""
    if sf.release is None:
        return []
    out = []
    for e in manifest.active():
        same = (e.kind, e.source, e.hs_rev) == (sf.kind, sf.source, sf.hs_rev)
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
    lake: Lake,
    manifest: Manifest,
    sf: SourceFile,
    part: Path,
    years: tuple[int, ...],
    already: list[ManifestEntry],
) -> list[tuple[ManifestEntry, int]]:
    """Active entries of the same kind holding rows with the same key as this file.

    Two files that share keys would be added together by every reader (a Comtrade file and a
    revised download of it, say), so a shared key must be settled at ingest.
    """
    import duckdb

    keys = _KEYS[sf.kind]
    gone = {e.entry_id for e in already}
    out = []
    con = duckdb.connect()
    try:
        for e in manifest.active():
            if e.kind != sf.kind or e.entry_id in gone or not set(e.years) & set(years):
                continue
            files = [str(lake.root / f) for f in e.files]
            on = " AND ".join(f"a.{k} = b.{k}" for k in keys)
            row = con.execute(
                f"SELECT count(*) FROM read_parquet(?) a JOIN read_parquet(?) b ON {on}",
                [str(part), files],
            ).fetchone()
            shared = int(row[0]) if row else 0
            if shared:
                out.append((e, shared))
    finally:
        con.close()
    return out


@dataclass
class _Batch:
    """One ``Lake.ingest`` call: entries moved into ``data/`` but not yet in the manifest.

    ``manifest`` is the lake's manifest with those entries added in memory, so the checks of
    a later file in the batch (unchanged, releases, overlaps) see the earlier ones.
    """

    manifest: Manifest
    staged: list[ManifestEntry] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # data folders and rejects files


def ingest_all(
    lake: Lake,
    files: Sequence[SourceFile],
    *,
    synthetic: bool,
    progress: ProgressFn | None,
    supersede: bool = False,
) -> list[IngestReport]:
    """Ingest ``files`` whole or not at all: one manifest commit after every file passed.

    A release zip is one call with a file per year, so a bad 2019 member leaves no 2018 rows
    behind. Each file is staged, validated and moved into ``data/`` (synced); the manifest
    is replaced once at the end. On any failure the moved folders are removed again, and
    the manifest was never touched (a kill leaves them unlisted: the next writer sweeps them).
    """
    batch = _Batch(lake._load_fresh())
    reports: list[IngestReport] = []
    try:
        for sf in files:
            reports.append(_ingest_one(lake, batch, sf, synthetic, progress, supersede))
        if batch.staged:
            lake._commit(batch.manifest)
    except BaseException as exc:
        if batch.staged and _listed(lake, batch.staged):
            raise  # the manifest's rename happened (a later sync failed): keep what it lists
        for path in batch.written:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        if batch.staged and isinstance(exc, BilatError):
            earlier = ", ".join(e.path for e in batch.staged)
            exc.message += (
                f" Nothing else from this ingest was written either (one ingest lands whole "
                f"or not at all; rolled back: {earlier})."
            )
            exc.args = (exc.message,)
        raise
    staged = {e.entry_id for e in batch.staged}
    for e in batch.manifest.entries:
        if e.replaced_by in staged:
            shutil.rmtree(lake.root / "data" / e.kind / e.entry_id, ignore_errors=True)
    return reports


def _listed(lake: Lake, entries: list[ManifestEntry]) -> bool:
    try:
        on_disk = {e.entry_id for e in Manifest.load(lake._manifest_path).entries}
    except BilatError:
        return False
    return entries[-1].entry_id in on_disk


def _unchanged(sf: SourceFile, entry: ManifestEntry, start: float, how: str) -> IngestReport:
    from bilat.lake.lake import IngestReport

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
    lake: Lake,
    batch: _Batch,
    sf: SourceFile,
    synthetic: bool,
    progress: ProgressFn | None,
    supersede: bool,
) -> IngestReport:
    from bilat.lake.lake import IngestReport

    start = time.perf_counter()
    manifest = batch.manifest
    known = _known_before_writing(manifest, sf)
    if known is not None:
        return _unchanged(sf, known, start, "same SHA-256, checked before reading")
    entry_id = uuid.uuid4().hex[:16]
    staging = lake.root / "staging" / entry_id
    staging.mkdir(parents=True)
    try:
        part, rows, years = _stage(sf, staging, entry_id, progress)
        if sf.problems and sf.strict:
            raise sf.problems.first_error()
        digest = sf.sha256()
        held = _holding(manifest, sf.kind, digest)
        if held is not None:
            return _unchanged(sf, held, start, "same SHA-256")
        if rows == 0 and not sf.problems:
            raise ValidationError(
                "the file has no data rows",
                path=sf.path,
                hint="Check that it is the file you meant; nothing was written",
            )
        if rows:
            _check_duplicates(sf, part)
        replaced = _replacements(manifest, sf, years)
        overlapping = _overlaps(lake, manifest, sf, part, years, replaced)
        if overlapping and not supersede:
            listed = "; ".join(f"{n:,} with entry {e.entry_id} ({e.path})" for e, n in overlapping)
            raise InputError(
                f"{sf.path} repeats rows already in the lake (same "
                f"{', '.join(_KEYS[sf.kind])}): {listed}. Adding it would count them twice. "
                "If it is a newer version of that data, ingest it again with --replace: it "
                "supersedes the entries it overlaps. Nothing was written.",
                details={
                    "path": sf.path,
                    "overlaps": [{"entry": e.entry_id, "rows": n} for e, n in overlapping],
                },
            )
        replaced += [e for e, _ in overlapping]
        rejects_path = None
        if sf.problems:
            target = lake.root / "rejects" / f"{entry_id}.csv"
            batch.written.append(target)
            rejects_path = str(sf.problems.write_rejects(target))
            fsync_path(target)
            fsync_path(target.parent)
        final = lake.root / "data" / sf.kind / entry_id
        _make_dirs(final.parent, lake.root)
        fsync_path(part)
        fsync_path(staging)
        batch.written.append(final)
        os.replace(staging, final)
        fsync_path(final.parent)
        entry = ManifestEntry(
            entry_id=entry_id,
            kind=sf.kind,
            source=sf.source,
            release=sf.release,
            path=sf.path,
            sha256=digest,
            rows=rows,
            years=years,
            hs_rev=sf.hs_rev,
            ingested_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
            synthetic=synthetic or sf.source == "synthetic",
            rejected=len(sf.problems.bad_lines()),
            rejects_path=rejects_path,
            files=(str(Path("data") / sf.kind / entry_id / part.name),),
            notes=tuple(sf.notes),
            size=sf.bytes_read or None,
        )
        gone = {e.entry_id for e in replaced}
        manifest.entries = [
            replace(e, replaced_by=entry_id) if e.entry_id in gone else e for e in manifest.entries
        ] + [entry]
        batch.staged.append(entry)
        return IngestReport(
            path=sf.path,
            status="ingested",
            entry_id=entry_id,
            kind=sf.kind,
            source=sf.source,
            rows=rows,
            rejected=entry.rejected,
            rejects_path=rejects_path,
            replaced=tuple(sorted(gone)),
            years=years,
            notes=entry.notes,
            seconds=time.perf_counter() - start,
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _make_dirs(folder: Path, root: Path) -> None:
    """``mkdir -p`` that syncs each parent whose list of names changed."""
    if folder.is_dir():
        return
    _make_dirs(folder.parent, root)
    folder.mkdir(exist_ok=True)
    fsync_path(folder.parent)
