"""The trade view: the flows the lake believes, one per (year, exporter, importer, product).

Every part reads trade numbers through :class:`TradeView`; nothing outside this package
reads ``lake.flows()`` or ``lake.declarations()`` for figures.

*Candidates.* Every stored row is a candidate for its flow, tagged with its source class:
flows with basis ``reconciled`` are ``reconciled``; other flows (national files) are
``national``; a Comtrade export declaration is ``exporter`` and an import declaration
``importer`` (re-exports and re-imports are left out).

*Precedence, per flow.* For each (year, exporter, importer, product code) the candidate of
the best class in the view's precedence wins (see :mod:`bilat.tradeview._precedence`). A
complete source (BACI) covers every flow of its year, listed or not, so in such a year it
wins over every class ranked after it even where it lists nothing (a zero).

*HS levels.* Totals and tables are built from the finest set of codes that does not count
anything twice: a code whose ancestor is also held for the same flow is left out; codes of
different levels that do not nest are added. A ``TOTAL`` row is the ancestor of everything.

*Coverage.* A flow is covered in a year by a complete source, or by a source holding that
exporter–importer pair that year; the chapters covered are those the declaring reporter's
file holds that year (every product when it holds a ``TOTAL`` row or at least
:data:`ALL_PRODUCTS_CHAPTERS` chapters).
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
from ibis import _

from bilat.codes.countries import COMTRADE_AREAS
from bilat.errors import NotFoundError
from bilat.tradeview._coverage import (
    NO_COVERAGE,
    Coverage,
    RankCoverage,
    chapters_reason,
)
from bilat.tradeview._precedence import PARTIAL_RECONCILED, Precedence, precedence

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = ["ALL_PRODUCTS_CHAPTERS", "AREAS", "TradeView", "trade_view"]

#: A reporter's file holding at least this many HS chapters in a year is taken to cover
#: every product (a full declaration lists most of the 97 chapters; an extract a few).
ALL_PRODUCTS_CHAPTERS = 50

#: Partner codes that are not countries (World, areas n.e.s.): never ranked as partners.
AREAS: tuple[str, ...] = tuple(sorted(COMTRADE_AREAS))

COLUMNS = (
    "year",
    "exporter",
    "importer",
    "product",
    "lvl",
    "value_usd",
    "klass",
    "source",
    "entry_id",
    "declarer",
    "complete",
    "quantity",
    "quantity_unit",
)
_SCHEMA = ibis.schema(
    {
        "year": "int32",
        "exporter": "string",
        "importer": "string",
        "product": "string",
        "lvl": "int32",
        "value_usd": "float64",
        "klass": "string",
        "source": "string",
        "entry_id": "string",
        "declarer": "string",
        "complete": "boolean",
        "quantity": "float64",
        "quantity_unit": "string",
    }
)
_KEYS = ["year", "exporter", "importer"]


def _level(product: ir.StringValue) -> ir.IntegerValue:
    return ibis.ifelse(product == "TOTAL", 0, product.length()).cast("int32")


def _quantity(t: ir.Table, qty: str, unit: str, kg: str | None) -> dict[str, ir.Value]:
    """A row's quantity and unit: net weight in tons when held (``kg``), else ``qty`` in its
    own unit (kilograms read as tons); nulls where the table has no such column (see
    docs/decisions.md, "Quantities in the read model")."""
    cols = set(t.columns)
    q = t[qty].cast("float64") if qty in cols else ibis.null().cast("float64")
    u = t[unit].cast("string") if unit in cols else ibis.null().cast("string")
    u = ibis.ifelse(q.isnull(), ibis.null().cast("string"), u)
    kilos = u == "kg"  # a weight in kilograms is read in tons, as BACI's and net weights
    q = ibis.ifelse(kilos, q / 1000.0, q)
    u = ibis.ifelse(kilos, ibis.literal("t"), u)
    if kg is not None and kg in cols:
        w = t[kg].cast("float64")
        q = ibis.ifelse(w.notnull(), w / 1000.0, q)
        u = ibis.ifelse(w.notnull(), ibis.literal("t"), u)
    return {"quantity": q, "quantity_unit": u}


def candidates(
    flows: ir.Table, decl: ir.Table, *, kinds: Iterable[str] = ("flows", "declarations")
) -> ir.Table:
    """Every stored row as a candidate for its flow (see the module docs).

    ``kinds``: the kinds the lake holds any entry of (an empty kind is not read at all).
    """
    held = set(kinds)
    reconciled = flows.basis == "reconciled"
    f = flows.select(
        year=flows.year.cast("int32"),
        exporter=flows.exporter,
        importer=flows.importer,
        product=flows.product,
        lvl=_level(flows.product),
        value_usd=flows.value_usd.cast("float64"),
        klass=ibis.ifelse(reconciled, "reconciled", "national"),
        source=flows.source,
        entry_id=flows.entry_id,
        declarer=ibis.ifelse(flows.basis == "importer", flows.importer, flows.exporter),
        complete=reconciled & ~flows.source.isin(sorted(PARTIAL_RECONCILED)),
        **_quantity(flows, "quantity", "quantity_unit", None),
    ).cast(_SCHEMA)

    def project(code: str, exporter: str, importer: str, klass: str) -> ir.Table:
        t = decl.filter(decl.flow == code)
        return t.select(
            year=t.year.cast("int32"),
            exporter=t[exporter],
            importer=t[importer],
            product=t.product,
            lvl=_level(t.product),
            value_usd=t.value_usd.cast("float64"),
            klass=ibis.literal(klass),
            source=t.source,
            entry_id=t.entry_id,
            declarer=t.reporter,
            complete=ibis.literal(False),
            **_quantity(t, "qty", "qty_unit", "net_kg"),
        ).cast(_SCHEMA)

    parts = [f] if "flows" in held or "declarations" not in held else []
    if "declarations" in held:
        parts += [
            project("X", "reporter", "partner", "exporter"),
            project("M", "partner", "reporter", "importer"),
        ]
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


@dataclass
class _Index:
    """What the lake holds, per year, computed once per lake version (small)."""

    version: str
    #: year → {class: {level: value}} over every candidate.
    levels: dict[int, dict[str, dict[int, float]]]
    #: year → sources of the complete (reconciled, whole-world) entries.
    complete: dict[int, set[str]]
    #: (year, exporter, importer) → classes holding that pair (non-complete sources).
    pairs: dict[tuple[int, str, str], set[str]]
    #: (year, class, declarer) → chapters held ("TOTAL" for a total row).
    chapters: dict[tuple[int, str, str], set[str]]
    #: (year, class, declarer, flow) → the declarer's own total with World, when held.
    world: dict[tuple[int, str, str], float]
    cands: Any = None
    scopes: dict[tuple[Any, ...], pa.Table] = field(default_factory=dict)
    tables: dict[tuple[Any, ...], ir.Table] = field(default_factory=dict)
    frames: dict[tuple[Any, ...], pd.DataFrame] = field(default_factory=dict)
    results: dict[Any, Any] = field(default_factory=dict)


_MAX_SCOPES = 8
_MAX_RESULTS = 64
_CACHE: weakref.WeakKeyDictionary[Any, _Index] = weakref.WeakKeyDictionary()


def _build_index(lake: Lake, cands: ir.Table) -> _Index:
    version = str(lake.version)
    sums = (
        cands.group_by(["year", "klass", "lvl", "complete", "source"])
        .aggregate(v=_.value_usd.sum())
        .execute()
    )
    levels: dict[int, dict[str, dict[int, float]]] = {}
    complete: dict[int, set[str]] = {}
    for r in sums.itertuples(index=False):
        year = int(r.year)
        by = levels.setdefault(year, {}).setdefault(str(r.klass), {})
        by[int(r.lvl)] = by.get(int(r.lvl), 0.0) + float(r.v)
        if bool(r.complete):
            complete.setdefault(year, set()).add(str(r.source))
    pairs: dict[tuple[int, str, str], set[str]] = {}
    chapters: dict[tuple[int, str, str], set[str]] = {}
    world: dict[tuple[int, str, str], float] = {}
    if sums.empty or bool(sums.complete.all()):  # only complete sources: nothing to index
        return _Index(version, levels, complete, pairs, chapters, world)
    partial = cands.filter(~cands.complete)
    got = partial.select("year", "exporter", "importer", "klass").distinct().to_pyarrow()
    for y, e, i, k in zip(*(got.column(c).to_pylist() for c in got.column_names), strict=True):
        pairs.setdefault((int(y), str(e), str(i)), set()).add(str(k))
    chapter = ibis.ifelse(partial.lvl == 0, "TOTAL", partial.product.substr(0, 2))
    got = partial.select("year", "klass", "declarer", chapter=chapter).distinct().to_pyarrow()
    for y, k, d, c in zip(*(got.column(n).to_pylist() for n in got.column_names), strict=True):
        chapters.setdefault((int(y), str(k), str(d)), set()).add(str(c))
    # A reporter's own total with World (Comtrade partner W00), for rank coverage.
    to_world = (partial.exporter == "W00") | (partial.importer == "W00")
    w = partial.filter((partial.lvl == 0) & to_world)
    got = w.group_by(["year", "klass", "declarer"]).aggregate(v=_.value_usd.sum()).to_pyarrow()
    for y, k, d, v in zip(*(got.column(n).to_pylist() for n in got.column_names), strict=True):
        world[(int(y), str(k), str(d))] = float(v)
    return _Index(version, levels, complete, pairs, chapters, world)


def _rank_expr(klass: ir.StringValue, prec: Precedence) -> ir.IntegerValue:
    cases = [(klass == k, i) for i, k in enumerate(prec.order)]
    return ibis.cases(*cases, else_=None).cast("int32")


class TradeView:
    """The lake's trade, as believed: one read model for every part.

    Parameters
    ----------
    lake
        The lake (or a converted lake) to read.
    order, basis
        Source precedence (see :func:`bilat.tradeview.precedence`): ``basis`` pins one
        class; ``order`` lists classes best first. Default: ``BILAT_PRECEDENCE`` or
        reconciled, national, exporter, importer.
    """

    def __init__(
        self,
        lake: Lake,
        *,
        order: str | Sequence[str] | None = None,
        basis: str | None = None,
    ) -> None:
        self.lake = lake
        self.precedence = precedence(order, basis=basis)
        self._index: _Index | None = None
        self._cands: ir.Table | None = None

    def __repr__(self) -> str:
        return f"TradeView({self.lake!r}, {self.precedence.text()})"

    # ---- what the lake holds ---------------------------------------------------------------

    def candidates(self) -> ir.Table:
        """Every stored row as a candidate (all classes, before precedence)."""
        self._refresh()
        assert self._cands is not None
        return self._cands

    def _refresh(self) -> _Index:
        version = str(self.lake.version)
        if self._index is not None and self._index.version == version:
            return self._index
        try:
            cached = _CACHE.get(self.lake)
        except TypeError:
            cached = None
        if cached is None or cached.version != version:
            cands = candidates(self.lake.flows(), self.lake.declarations(), kinds=self._kinds())
            cached = _build_index(self.lake, cands)
            cached.cands = cands
            with contextlib.suppress(TypeError):
                _CACHE[self.lake] = cached
        self._cands = cached.cands
        self._index = cached
        return cached

    def _kinds(self) -> set[str]:
        """The kinds the lake holds any entry of (adapters may list none: read both)."""
        listed = getattr(self.lake, "manifest", None)
        return {str(e.kind) for e in listed()} if callable(listed) else {"flows", "declarations"}

    @property
    def _idx(self) -> _Index:
        """The index as last refreshed (internal helpers; public methods refresh first)."""
        return self._index if self._index is not None else self._refresh()

    def _classes(self, year: int) -> list[str]:
        held = self._idx.levels.get(year, {})
        return [k for k in self.precedence.order if k in held]

    def years(self) -> list[int]:
        """Years for which the view reads any flow."""
        idx = self._refresh()
        return sorted(y for y in idx.levels if self._classes(y))

    def levels(self, year: int) -> set[int]:
        """HS levels held in ``year`` by the classes this view reads (0 = TOTAL)."""
        self._refresh()
        return self._levels(year)

    def _levels(self, year: int) -> set[int]:
        held = self._idx.levels.get(year, {})
        return {lv for k in self._classes(year) for lv in held[k]}

    def complete_year(self, year: int) -> bool:
        """Whether a complete source the view reads (BACI) holds ``year``."""
        self._refresh()
        return self._complete(year)

    def _complete(self, year: int) -> bool:
        return "reconciled" in self._classes(year) and year in self._idx.complete

    def require(self, year: int) -> None:
        """Raise :class:`NotFoundError` when the view holds nothing for ``year``."""
        if self._classes(year):
            return
        held = self.years()
        have = f"it holds {held[0]}-{held[-1]}" if held else "it is empty"
        raise NotFoundError(
            f"the lake holds no trade data for {year} ({have}); ingest that year first "
            "(bilat ingest ...) or choose another year",
            details={"value": year, "years": held},
        )

    # ---- rows -----------------------------------------------------------------------------

    def _live(self, year: int) -> list[str]:
        """The classes read in ``year``: a complete source shadows every class after it."""
        classes = self._classes(year)
        if not self._complete(year):
            return classes
        cut = self.precedence.order.index("reconciled")
        return [k for k in classes if self.precedence.order.index(k) <= cut]

    def _resolve(self, rows: ir.Table, years: Sequence[int]) -> ir.Table:
        """Precedence applied to candidate ``rows`` of ``years``."""
        prec = self.precedence
        rows = rows.filter(rows.klass.isin(list(prec.order)))
        for klass in prec.order:
            shadowed = [
                y for y in years if klass in self._classes(y) and klass not in self._live(y)
            ]
            if shadowed:
                rows = rows.filter(~((rows.klass == klass) & rows.year.isin(shadowed)))
        mixed = [y for y in years if len(self._live(y)) > 1]
        if not mixed:
            return rows
        keys = [*_KEYS, "product"]
        mix = rows.filter(rows.year.isin(mixed)).mutate(rank=_rank_expr(_.klass, prec))
        best = mix.group_by(keys).aggregate(best=_.rank.min())
        won = mix.join(best, keys).filter(_.rank == _.best).select(*COLUMNS)
        return rows.filter(~rows.year.isin(mixed)).union(won)

    def _scope(self, members: tuple[str, ...]) -> pa.Table:
        idx = self._refresh()
        key = (members, self.precedence.key())
        if key not in idx.scopes:
            resolved = self._resolve(self._scope_rows(members), self.years()).to_pyarrow()
            while len(idx.scopes) >= _MAX_SCOPES:
                idx.scopes.pop(next(iter(idx.scopes)))
            idx.scopes[key] = resolved
        return idx.scopes[key]

    def _scope_rows(self, members: tuple[str, ...]) -> ir.Table:
        """The candidates with a member as exporter or importer, in a shape that prunes.

        One part per member and side, added together: ``exporter == X`` over the flows
        (sorted by exporter once compacted), ``importer == X`` and no member as exporter over
        the copies sorted by importer (:meth:`bilat.lake.Lake.flows_by_importer`, the flows
        themselves before a compaction). Each row is in exactly one part, so the sum is
        ``exporter IN m OR importer IN m``; an ``OR`` (or one ``IN`` over both members)
        lets no row group be skipped, equalities on the sorted column do.
        """
        c = self.candidates()
        by_importer = getattr(self.lake, "flows_by_importer", None)
        if not callable(by_importer):  # an adapter without the compacted layout
            return c.filter(c.exporter.isin(list(members)) | c.importer.isin(list(members)))
        ci = candidates(by_importer(), self.lake.declarations(), kinds=self._kinds())
        parts = [c.filter(c.exporter == m) for m in members]
        others = list(members)
        parts += [ci.filter((ci.importer == m) & ~ci.exporter.isin(others)) for m in members]
        return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]

    def _scope_table(self, members: tuple[str, ...]) -> ir.Table:
        """The scope as a table of the lake's backend, registered once."""
        idx = self._refresh()
        key = ("table", members, self.precedence.key())
        if key not in idx.tables:
            while len(idx.tables) >= _MAX_SCOPES:
                idx.tables.pop(next(iter(idx.tables)))
            idx.tables[key] = ibis.memtable(self._scope(members))
        return idx.tables[key]

    def rows(self, years: Iterable[int], *, members: Iterable[str] | None = None) -> ir.Table:
        """The believed rows of ``years`` (every HS level, precedence applied).

        With ``members``, only the flows that have one of them as exporter or importer
        (pulled once and kept in memory, so later queries of the same dyad are fast).
        """
        wanted = sorted({int(y) for y in years})
        if members is not None:
            key = tuple(sorted(set(members)))
            scope = self._scope_table(key)
            if not wanted:
                return scope.limit(0)
            return scope.filter(scope.year.isin(wanted))
        c = self.candidates()
        return self._resolve(c.filter(c.year.isin(wanted or [-1])), wanted)

    def at_level(self, rows: ir.Table, level: int, years: Iterable[int] | None = None) -> ir.Table:
        """``rows`` read at HS ``level`` (0 = totals) without counting anything twice.

        Codes finer than ``level`` are truncated to it; codes coarser are left out (a
        chapter row cannot be split into headings). Adds ``src_lvl``, the level a value was
        held at.
        """
        self._refresh()
        held = set()
        for y in years if years is not None else self.years():
            held |= self._levels(int(y))
        rows = rows.mutate(src_lvl=rows.lvl)
        if level == 0:
            if 0 in held and held - {0}:
                totals = rows.filter(rows.lvl == 0)
                flows = totals.select(*_KEYS).distinct()
                rest = rows.filter(rows.lvl > 0).anti_join(flows, _KEYS)
                rows = totals.union(self._antichain(rest, 2, held))
            elif held - {0}:
                rows = self._antichain(rows, 2, held)
            return rows.mutate(product=ibis.literal("TOTAL"), lvl=ibis.literal(0).cast("int32"))
        rows = rows.filter(rows.lvl >= level)
        rows = self._antichain(rows, level, held)
        return rows.mutate(
            product=rows.product.substr(0, level), lvl=ibis.literal(level).cast("int32")
        )

    @staticmethod
    def _antichain(rows: ir.Table, floor: int, held: set[int]) -> ir.Table:
        """Drop rows whose ancestor at a level >= ``floor`` is held for the same flow."""
        ancestors = [lv for lv in (2, 4) if lv >= floor and lv in held]
        finer = [lv for lv in held if lv > min(ancestors, default=99)]
        if not ancestors or not finer:
            return rows
        out = rows
        for anc in ancestors:
            holders = rows.filter(rows.lvl == anc).select(*_KEYS, anc_code=_.product).distinct()
            deep = out.filter(out.lvl > anc).mutate(anc_code=_.product.substr(0, anc))
            kept = deep.anti_join(holders, [*_KEYS, "anc_code"]).drop("anc_code")
            out = out.filter(out.lvl <= anc).union(kept)
        return out

    def frame(
        self,
        years: Iterable[int],
        *,
        members: Iterable[str],
        level: int = 0,
        by_product: bool = False,
        quantities: bool = False,
    ) -> pd.DataFrame:
        """Believed values of a scope summed per flow, class, source and source level.

        Columns: ``year, exporter, importer, klass, source, entry_id, src_lvl, value_usd`` (and
        ``product`` with ``by_product``). With ``quantities``, also ``quantity_unit`` (a key:
        quantities of different units are never added) and ``quantity``, the sum of the
        quantities held in that unit; rows holding no quantity have both null. Cached per
        lake version.
        """
        wanted = tuple(sorted({int(y) for y in years}))
        key = tuple(sorted(set(members)))
        idx = self._refresh()
        cache_key = ("frame", key, wanted, level, by_product, quantities, self.precedence.key())
        if cache_key not in idx.frames:
            rows = self.at_level(self.rows(wanted, members=key), level, wanted)
            rows = rows.filter(rows.exporter != rows.importer)  # domestic flows are not trade
            keys = [*_KEYS, "klass", "source", "entry_id", "src_lvl"]
            keys += ["product"] if by_product else []
            sums: dict[str, Any] = {"value_usd": _.value_usd.sum()}
            if quantities:
                keys += ["quantity_unit"]
                sums["quantity"] = _.quantity.sum()
            self._keep(idx, cache_key, rows.group_by(keys).aggregate(**sums).execute())
        return idx.frames[cache_key]

    @staticmethod
    def _keep(idx: _Index, key: tuple[Any, ...], got: pd.DataFrame) -> None:
        for col in ("exporter", "importer", "klass", "source", "entry_id"):
            got[col] = got[col].astype("category")
        while len(idx.frames) >= 64:
            idx.frames.pop(next(iter(idx.frames)))
        idx.frames[key] = got

    def imports_frame(
        self,
        years: Iterable[int],
        *,
        importers: Iterable[str],
        chapters: Iterable[str] | None,
        level: int,
    ) -> pd.DataFrame:
        """The believed imports of ``importers`` in some HS ``chapters`` (``None``: all), by
        product at ``level``, with quantities: the columns of :meth:`frame` with
        ``by_product`` and ``quantities``, restricted to flows into ``importers``.

        Market-shaped: only those flows are read (the importer and the chapters filter the
        candidates before precedence; a flow's coarser codes share its chapter, so reading
        HS levels without double counting sees them). Cached per lake version.
        """
        wanted = tuple(sorted({int(y) for y in years}))
        imp = tuple(sorted(set(importers)))
        chs = None if chapters is None else tuple(sorted({str(c)[:2] for c in chapters}))
        idx = self._refresh()
        cache_key = ("imports", imp, chs, wanted, level, self.precedence.key())
        if cache_key not in idx.frames:
            c = self.candidates()
            rows = c.filter(c.importer.isin(list(imp)) & c.year.isin(list(wanted) or [-1]))
            if chs is not None:
                rows = rows.filter(rows["product"].substr(0, 2).isin(list(chs)))
            rows = self.at_level(self._resolve(rows, wanted), level, wanted)
            rows = rows.filter(rows.exporter != rows.importer)
            keys = [*_KEYS, "klass", "source", "entry_id", "src_lvl", "product", "quantity_unit"]
            sums = {"value_usd": _.value_usd.sum(), "quantity": _.quantity.sum()}
            self._keep(idx, cache_key, rows.group_by(keys).aggregate(**sums).execute())
        return idx.frames[cache_key]

    def fetch(self, expr: ir.Expr, *, copy: bool = True) -> Any:
        """``expr`` executed (a table to pandas, a scalar to its value), kept per lake
        version: the same query asked again (an equal expression, as a second briefing of
        the lake asks) is answered from memory. Tables come back as copies (``copy=False``:
        the kept frame itself, for a caller that only reads it)."""
        idx = self._refresh()
        key = expr.op()
        if key not in idx.results:
            while len(idx.results) >= _MAX_RESULTS:
                idx.results.pop(next(iter(idx.results)))
            idx.results[key] = expr.execute()
        got = idx.results[key]
        return got.copy() if copy and isinstance(got, pd.DataFrame) else got

    # ---- coverage -------------------------------------------------------------------------

    def _declared_chapters(self, year: int, klass: str, declarer: str) -> set[str] | None:
        """Chapters a declarer's file holds in ``year``; ``None`` for every product."""
        got = self._idx.chapters.get((year, klass, declarer), set())
        if "TOTAL" in got or len(got - {"TOTAL"}) >= ALL_PRODUCTS_CHAPTERS:
            return None
        return got

    def coverage(
        self,
        year: int,
        exporters: Iterable[str],
        importers: Iterable[str],
        *,
        chapters: Iterable[str] | None = None,
    ) -> Coverage:
        """Which sources cover the flows from ``exporters`` to ``importers`` in ``year``.

        ``chapters`` narrows to some HS chapters (``["44"]``); default: every product.
        """
        idx = self._refresh()
        year = int(year)
        pairs = [
            (e, i)
            for e in dict.fromkeys(exporters)
            for i in dict.fromkeys(importers)
            if e != i and e not in COMTRADE_AREAS and i not in COMTRADE_AREAS
        ]
        want = None if chapters is None else sorted({str(c)[:2] for c in chapters})
        if not pairs:
            return NO_COVERAGE
        if self._complete(year):
            return Coverage("full", ("reconciled",), None, len(pairs), len(pairs))
        order = self.precedence.order
        sides: set[str] = set()
        covered = full = 0
        union: set[str] = set()
        for e, i in pairs:
            classes = [k for k in order if k in idx.pairs.get((year, e, i), set())]
            sides.update(classes)
            every, held = self._pair_chapters(year, e, i, classes)
            hit = held if want is None else held & set(want)
            if every or hit:
                covered += 1
            if every or (want is not None and set(want) <= held):
                full += 1
            elif hit:
                union |= hit
        ordered = tuple(k for k in order if k in sides)
        if covered == 0:
            what = "these products" if want is not None else "this flow"
            reason = f"no source the lake holds covers {what} in {year}"
            return Coverage("none", ordered, None, len(pairs), 0, reason)
        if full == len(pairs):
            return Coverage("full", ordered, None, len(pairs), covered)
        reasons = []
        if covered < len(pairs):
            reasons.append(f"{covered} of {len(pairs)} pairs covered")
        shown = tuple(sorted(union - {"TOTAL"}))
        if shown:
            reasons.append(chapters_reason(shown))
        why = "; ".join(reasons) or "not every product is covered"
        return Coverage("partial", ordered, shown or None, len(pairs), covered, why)

    def _pair_chapters(
        self, year: int, exporter: str, importer: str, classes: Iterable[str]
    ) -> tuple[bool, set[str]]:
        """(every product covered, chapters covered) of one pair by the given classes."""
        idx = self._idx
        held: set[str] = set()
        for k in classes:
            # a national file may declare as exporter or as importer: either side's file
            declarers = (
                (exporter, importer)
                if k == "national"
                else ((importer,) if k == "importer" else (exporter,))
            )
            for d in declarers:
                if (year, k, d) not in idx.chapters:
                    continue
                got = self._declared_chapters(year, k, d)
                if got is None:
                    return True, set()
                held |= got
        return False, held

    def rank_coverage(
        self,
        year: int,
        reporter: Iterable[str],
        flow: str,
        partners_present: int,
        present_usd: float | None = None,
        *,
        chapters: Iterable[str] | None = None,
    ) -> RankCoverage:
        """Whether a ranking of ``reporter``'s partners in ``year`` rests on its whole trade.

        Complete when a complete source holds the year, or when every member of
        ``reporter`` declared every product of that flow itself (its own declaration lists
        all its partners). ``present_usd`` (the partners' total) gives the share of the
        reporter's declared world total, when the lake holds that total. With ``chapters``
        (a ranking within some HS chapters), the own declaration need cover only those.
        """
        idx = self._refresh()
        members = list(dict.fromkeys(reporter))
        if self._complete(year):
            return RankCoverage(partners_present, True)
        own = [k for k in (flow_class(flow), "national") if k in self.precedence.order]
        want = None if chapters is None else {str(c)[:2] for c in chapters}

        def declared(k: str, m: str) -> bool:
            if (year, k, m) not in idx.chapters:
                return False
            got = self._declared_chapters(year, k, m)
            return got is None or (want is not None and want <= got)

        full = members and all(any(declared(k, m) for k in own) for m in members)
        totals = [
            next((idx.world[(year, k, m)] for k in own if (year, k, m) in idx.world), None)
            for m in members
        ]
        share = None
        if present_usd is not None and totals and all(t is not None for t in totals):
            world = sum(t for t in totals if t is not None)
            share = present_usd * 100.0 / world if world > 0 else None
        if full:
            return RankCoverage(partners_present, True, share)
        role = "export" if flow == "export" else "import"
        reason = (
            f"the lake does not hold the reporter's own {role} declaration of every product, "
            f"so the rank is among the {partners_present} partners whose figures it holds "
            "(their mirror declarations or national files)"
        )
        return RankCoverage(partners_present, False, share, reason)


def flow_class(flow: str) -> str:
    """The class of a reporter's own declaration of ``flow`` (``export`` → ``exporter``)."""
    return "exporter" if flow == "export" else "importer"


def trade_view(
    lake: Lake, *, order: str | Sequence[str] | None = None, basis: str | None = None
) -> TradeView:
    """The :class:`TradeView` of ``lake`` (see there)."""
    return TradeView(lake, order=order, basis=basis)
