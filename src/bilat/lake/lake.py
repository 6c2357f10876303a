"""The trade lake: Parquet files under a root folder, a manifest, and Ibis to read them.

Layout::

    ROOT/manifest.json                 what is in the lake (replaced atomically)
    ROOT/data/flows/<entry>/part-0.parquet
    ROOT/data/declarations/<entry>/part-0.parquet
    ROOT/staging/                      ingests in progress (never read)
    ROOT/rejects/<entry>.csv           rows refused under skip_bad_rows=True
    ROOT/.writer.lock                  one writer at a time

An ingest writes into ``staging/``, validates there, moves the folder into ``data/`` and
only then replaces the manifest. Readers see only what the manifest lists, so a crash at
any point leaves the previous lake intact; the next writer sweeps the leftovers.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from bilat._config import EngineSettings, engine_settings, lake_path
from bilat.errors import InputError, LakeNotFoundError, NotFoundError
from bilat.lake._compact import ROW_GROUP, CompactReport, compact, companion
from bilat.lake._writer import WriterLock, ingest_all, sweep
from bilat.lake.engine import connect, read_parquet
from bilat.lake.manifest import MANIFEST, Manifest, ManifestEntry, ManifestStore
from bilat.lake.report import IngestReport, ProgressFn
from bilat.sources.arrow import read_arrow
from bilat.sources.base import SourceFile
from bilat.sources.registry import read
from bilat.sources.schema import stored_schema

if TYPE_CHECKING:
    import ibis
    import ibis.expr.types as ir

__all__ = ["CompactReport", "IngestReport", "Lake"]
#: What a lake folder holds (a first ingest that crashed leaves these without a manifest).
_LAYOUT = frozenset({MANIFEST, "data", "staging", "rejects", ".writer.lock", ".writer.pid"})


def _create(root: Path) -> None:
    """Make ``root`` an empty lake: write a manifest with no entries, unless one appears first.

    The manifest is linked into place (never replaced), so a writer that created the lake and
    committed in the meantime keeps its manifest.
    """
    if root.is_dir():
        foreign = sorted(
            p.name for p in root.iterdir() if p.name not in _LAYOUT and not p.name.startswith(".")
        )
        if foreign:
            shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
            raise InputError(
                f"{root} is a folder holding other files ({shown}) and no lake ({MANIFEST}); "
                "give a new or empty folder for the lake",
                details={"path": str(root), "found": foreign[:20]},
            )
    root.mkdir(parents=True, exist_ok=True)
    fresh = root / f".{MANIFEST}.{os.getpid()}.new"
    Manifest().save(fresh)
    try:
        os.link(fresh, root / MANIFEST)
    except FileExistsError:  # another writer created the lake first: keep its manifest
        pass
    finally:
        fresh.unlink(missing_ok=True)


@dataclass
class _Cache:
    generation: int = -1
    mtime: float = -1.0
    manifest: Manifest = field(default_factory=Manifest)
    tables: dict[str, Any] = field(default_factory=dict)


def _files(m: Manifest, kind: str) -> tuple[list[str], list[str] | None]:
    """The files the active entries of ``kind`` list (each once), and the active entry ids
    to keep when one of them also holds rows of a replaced entry (a compacted file the
    replaced entry shares; see :mod:`bilat.lake._compact`), else ``None``."""
    active = [e for e in m.active() if e.kind == kind]
    files = list(dict.fromkeys(f for e in active for f in e.files))
    shared = {f for e in m.entries if not e.active and e.kind == kind for f in e.files}
    only = [e.entry_id for e in active] if shared.intersection(files) else None
    return files, only


class Lake:
    """A trade lake rooted at a folder.

    Open it with :meth:`open`; read with :meth:`flows` and :meth:`declarations` (Ibis tables);
    add data with :meth:`ingest` (any source kind of :data:`bilat.sources.READERS`).
    Indicators of a dyad are :class:`bilat.trade.Dyad` (``Dyad(lake, "BLR", "KAZ")``).

    >>> lake = Lake.open("/tmp/my-lake")            # doctest: +SKIP
    >>> lake.flows().filter(lambda t: t.year == 2021).value_usd.sum().execute()  # doctest: +SKIP
    """

    def __init__(
        self, root: Path, *, backend: Any = None, settings: EngineSettings | None = None
    ) -> None:
        self.root = root
        self._backend = backend
        self._settings = settings
        self._cache = _Cache()
        self._store = ManifestStore(root)

    # ---- opening and reading -------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | Path | None = None, *, create: bool = False, backend: Any = None
    ) -> Lake:
        """Open the lake at ``path`` (default ``$BILAT_LAKE``, else ``$BILAT_HOME/lake``).

        A lake is a folder holding ``manifest.json``. Opening reads nothing else, so it is
        cheap; a lake with no entries yet is a lake (its reads hold no rows).

        Parameters
        ----------
        path
            The lake folder. Default: ``$BILAT_LAKE`` when set, else ``$BILAT_HOME/lake``
            (see :func:`bilat._config.resolve_lake`).
        create
            Make an empty lake when there is none at ``path`` (writers pass it: ingest, fetch,
            sample building). The folder must be new, empty, or hold only a lake's own files.
        backend
            An Ibis backend to read with (e.g. ``ibis.pyspark.connect(spark)``). Default: the
            engine ``BILAT_BACKEND`` or the config file names (see
            :func:`bilat._config.engine_settings`; DuckDB in memory unless set), made on the
            first read.

        Raises
        ------
        LakeNotFoundError
            No lake at ``path`` and ``create`` is false (a typo must not become an empty lake).
        InputError
            ``path`` is a file, or (with ``create``) a folder holding files that are not a lake's;
            or the engine settings are wrong (an unknown backend, a bad config file).
        """
        settings = engine_settings() if backend is None else None
        root = lake_path(path)
        if root.exists() and not root.is_dir():
            raise InputError(
                f"{root} is a file, not a lake folder; give a folder path",
                details={"path": str(root)},
            )
        if not (root / MANIFEST).is_file():
            if not create:
                where = "does not exist" if not root.exists() else f"holds no {MANIFEST}"
                raise LakeNotFoundError(
                    f"no lake at {root} (the folder {where}); ingest a file into it first, "
                    "or open it with create=True to start an empty lake",
                    details={"path": str(root)},
                )
            _create(root)
        return cls(root.resolve(), backend=backend, settings=settings)

    @property
    def con(self) -> ibis.BaseBackend:
        """The Ibis backend the lake is read with."""
        if self._backend is None:
            self._backend = connect(self._settings or engine_settings())
        return self._backend

    @property
    def _manifest_path(self) -> Path:
        return self._store.path

    def _load(self) -> Manifest:
        try:
            mtime = self._manifest_path.stat().st_mtime_ns
        except FileNotFoundError:
            mtime = 0
        if mtime != self._cache.mtime:
            m = Manifest.load(self._manifest_path)
            if m.generation != self._cache.generation:
                self._cache = _Cache(generation=m.generation, mtime=mtime, manifest=m)
            else:
                self._cache.mtime = mtime
        return self._cache.manifest

    def manifest(self, *, include_replaced: bool = False) -> list[ManifestEntry]:
        """Entries in the lake, oldest first; replaced releases only on request."""
        m = self._load()
        return list(m.entries) if include_replaced else m.active()

    def entry(self, entry_id: str) -> ManifestEntry:
        """One manifest entry by id."""
        for e in self._load().entries:
            if e.entry_id == entry_id:
                return e
        raise NotFoundError(f"no entry {entry_id!r} in the lake at {self.root}")

    @property
    def version(self) -> str:
        """Changes whenever the lake's content changes: a cache key for derived results."""
        m = self._load()
        ids = ",".join(e.entry_id for e in m.active())
        return f"{m.generation}-{hashlib.sha1(ids.encode()).hexdigest()[:10]}"

    @property
    def is_synthetic(self) -> bool:
        """True when any active entry holds generated sample data."""
        return any(e.synthetic for e in self.manifest())

    def _table(self, kind: str, *, by_importer: bool = False) -> ir.Table:
        self._load()
        key = f"{kind}:importer" if by_importer else kind
        cached = self._cache.tables.get(key)
        if cached is not None:
            return cached
        import ibis

        files, only = _files(self._load(), kind)
        if by_importer:
            twins = [companion(f) for f in files]
            if not files or not all(t and (self.root / t).is_file() for t in twins):
                return self._table(kind)
            files = [str(t) for t in twins]
        s = self._settings
        base = s.lake_url.rstrip("/") if s and s.lake_url and s.backend != "duckdb" else self.root
        paths = [f"{base}/{f}" for f in files]
        if not paths:
            table = ibis.memtable(stored_schema(kind).empty_table())
        else:  # a name per lake and generation: Spark's temporary views are session-wide
            root_key = hashlib.sha1(str(self.root).encode()).hexdigest()[:8]
            name = f"bilat_{key.replace(':', '_')}_{self._cache.generation}_{root_key}"
            table = read_parquet(self.con, paths, name)
            if only is not None:  # a compacted file still holds rows of a replaced entry
                table = table.filter(table.entry_id.isin(only))
        self._cache.tables[key] = table
        return table

    def compact(
        self,
        *,
        kinds: Sequence[str] = ("flows", "declarations"),
        row_group_size: int = ROW_GROUP,
        by_importer: bool = True,
    ) -> CompactReport:
        """Rewrite the active rows per kind and year, sorted for pruning (one atomic step).

        Each year becomes one file sorted by exporter, importer and product (declarations:
        reporter, partner, flow, product) in row groups of ``row_group_size`` rows, so a
        dyad's reads skip the row groups of other countries. Entries keep their ids, sources
        and checksums and list the compacted files holding their rows; a year already
        compacted with the same entries is left as it is. Readers see the old files or the
        new ones; the old files are removed after the manifest commit. ``by_importer``: also
        write each flows file's copy sorted by importer (:meth:`flows_by_importer`; twice the
        disk of the flows).
        See :mod:`bilat.lake._compact`.
        """
        with WriterLock(self.root):
            sweep(self.root, self._store.load())
            try:
                return compact(
                    self._store,
                    kinds=kinds,
                    row_group_size=row_group_size,
                    by_importer=by_importer,
                )
            finally:
                self._cache = _Cache()

    def flows(self) -> ir.Table:
        """Bilateral flows (``FLOW_SCHEMA`` plus ``entry_id``) as an Ibis table."""
        return self._table("flows")

    def flows_by_importer(self) -> ir.Table:
        """The rows of :meth:`flows`, read from the copies sorted by importer first.

        :meth:`compact` writes, next to each year's flows file (sorted by exporter), the same
        rows sorted by importer, so a filter on ``importer`` skips row groups as one on
        ``exporter`` does on :meth:`flows`. A reader of one country's both sides takes the
        exporter side from :meth:`flows` and the importer side from here. Until every active
        flows file has its copy (before a compaction, after a later ingest) this is
        :meth:`flows` itself: the same rows, only slower to filter by importer.
        """
        return self._table("flows", by_importer=True)

    def declarations(self) -> ir.Table:
        """Reporters' declarations (``DECLARATION_SCHEMA`` plus ``entry_id``) as an Ibis table."""
        return self._table("declarations")

    # ---- ingest ------------------------------------------------------------------------

    def ingest(
        self,
        kind: str,
        paths: str | Path | Iterable[str | Path] = (),
        *,
        skip_bad_rows: bool = False,
        synthetic: bool = False,
        replace: bool = False,
        progress: ProgressFn | None = None,
        **options: Any,
    ) -> list[IngestReport]:
        """Ingest the files at ``paths`` read as source ``kind``, in one atomic step.

        >>> lake.ingest("baci", "BACI_HS17_V202401.zip")                      # doctest: +SKIP
        >>> lake.ingest("csv", "belstat.csv", mapping={...}, source="belstat")  # doctest: +SKIP

        Parameters
        ----------
        kind
            A source kind of :data:`bilat.sources.READERS` (``baci``, ``comtrade``, ``csv``).
            Callers that read files themselves give the readers' files to :meth:`ingest_files`.
        paths
            One path or several; all land together or none does.
        skip_bad_rows
            Load the good rows and write the bad ones, with reasons, to a rejects file.
        synthetic
            The files hold generated sample data: outputs built on them say so.
        replace
            A file whose rows repeat keys already in the lake supersedes the entries it
            overlaps (a newer download); without it such a file is refused.
        progress
            Called with the number of rows staged, as the ingest goes.
        options
            The source kind's own options (``release``, ``mapping`` ...: see its registry entry).

        Returns one :class:`IngestReport` per file read (a release zip holds one per year).
        A file already in the lake (same SHA-256) is reported ``unchanged``.
        """
        files = read(kind, paths, **options)
        return self.ingest_files(
            files,
            skip_bad_rows=skip_bad_rows,
            synthetic=synthetic,
            replace=replace,
            progress=progress,
        )

    def ingest_baci(
        self,
        path: str | Path,
        *,
        release: str | None = None,
        hs_rev: str | None = None,
        skip_bad_rows: bool = False,
        synthetic: bool = False,
        replace: bool = False,
        progress: ProgressFn | None = None,
    ) -> list[IngestReport]:
        """``ingest("baci", path, ...)``: a BACI release zip or one BACI CSV, a report per year.

        ``synthetic=True`` marks generated files (``bilat.sample.write_baci_csv``) so every
        output built on them carries the synthetic-data banner.
        """
        return self.ingest(
            "baci",
            path,
            release=release,
            hs_rev=hs_rev,
            skip_bad_rows=skip_bad_rows,
            synthetic=synthetic,
            replace=replace,
            progress=progress,
        )

    def ingest_comtrade(
        self,
        paths: str | Path | Iterable[str | Path],
        *,
        skip_bad_rows: bool = False,
        replace: bool = False,
        progress: ProgressFn | None = None,
    ) -> list[IngestReport]:
        """``ingest("comtrade", paths, ...)``: Comtrade API JSON or CSV/TSV as declarations."""
        return self.ingest(
            "comtrade", paths, skip_bad_rows=skip_bad_rows, replace=replace, progress=progress
        )

    def ingest_csv(
        self,
        path: str | Path,
        *,
        mapping: Mapping[str, str],
        source: str,
        basis: str = "exporter",
        hs_rev: str = "HS",
        value_scale: float = 1.0,
        delimiter: str | None = None,
        skip_bad_rows: bool = False,
        replace: bool = False,
        progress: ProgressFn | None = None,
    ) -> IngestReport:
        """``ingest("csv", path, ...)[0]``: a national CSV of flows through a column map."""
        return self.ingest(
            "csv",
            path,
            mapping=mapping,
            source=source,
            basis=basis,
            hs_rev=hs_rev,
            value_scale=value_scale,
            delimiter=delimiter,
            skip_bad_rows=skip_bad_rows,
            replace=replace,
            progress=progress,
        )[0]

    def ingest_arrow(
        self,
        table: pa.Table,
        *,
        kind: str,
        source: str,
        name: str,
        release: str | None = None,
        synthetic: bool = False,
        replace: bool = False,
    ) -> IngestReport:
        """Ingest an Arrow table already in the canonical schema of ``kind``.

        Used for generated sample data and by other parts that build flows (reconciliation).
        The content's checksum makes it idempotent like a file (see
        :func:`bilat.sources.read_arrow`).
        """
        sf = read_arrow(table, kind=kind, source=source, name=name, release=release)
        return self.ingest_files([sf], synthetic=synthetic, replace=replace)[0]

    def ingest_files(
        self,
        files: Sequence[SourceFile],
        *,
        skip_bad_rows: bool = False,
        synthetic: bool = False,
        replace: bool = False,
        progress: ProgressFn | None = None,
    ) -> list[IngestReport]:
        """Ingest readers' files in one atomic step, under the writer lock.

        The files land together or not at all (one manifest commit after all passed): the
        yearly files of a release zip are one call, so a bad member leaves none of the
        others behind. A file already in the lake (same SHA-256) is reported ``unchanged``;
        a BACI file is recognised by hashing it before anything is written.

        A file whose rows repeat keys already in the lake (another download of the same
        declarations) is refused, since readers would add both; with ``replace=True`` it
        supersedes the entries it overlaps (they stay in the manifest as replaced).
        """
        with WriterLock(self.root):
            sweep(self.root, self._store.load())
            try:
                return ingest_all(
                    self._store,
                    files,
                    strict=not skip_bad_rows,
                    synthetic=synthetic,
                    progress=progress,
                    supersede=replace,
                )
            finally:
                self._cache = _Cache()
