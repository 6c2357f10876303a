"""Where a dyad's numbers come from: one Ibis view over the lake, and the level plan.

The view has one row per flow: ``year, exporter, importer, product, lvl, value_usd, basis,
entry_id``. ``lvl`` is the HS level of ``product`` (0 for ``TOTAL``, else 2, 4 or 6).

*Basis.* A year the lake holds flows for (BACI, basis ``reconciled``, or flows loaded with
another basis) is read from the flows. Any other year is derived from declarations: for each
exporter, importer and HS level, the exporter's export declaration (``X``) where the exporter
declared anything at that level to that importer that year, else the importer's import
declaration (``M``), its mirror. Re-exports and re-imports are left out.

*Levels.* Codes of different levels are never added up. Every query reads each year from
one source level: a product table at level L reads level L where the year has it, else the
nearest finer level truncated to L; a total reads ``TOTAL`` where the year has it, else the
level holding the largest value that year (the most complete one), and says which.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
from ibis import _

from bilat.errors import NotFoundError

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = ["Catalog", "LevelPlan", "catalog", "plan_level", "read_at", "require"]

_VIEW_COLUMNS = ("year", "exporter", "importer", "product", "lvl", "value_usd", "basis", "entry_id")
_VIEW_SCHEMA = ibis.schema(
    {
        "year": "int32",
        "exporter": "string",
        "importer": "string",
        "product": "string",
        "lvl": "int32",
        "value_usd": "float64",
        "basis": "string",
        "entry_id": "string",
    }
)


def _level_expr(product: ir.StringValue) -> ir.IntegerValue:
    return ibis.ifelse(product == "TOTAL", 0, product.length()).cast("int32")


def _from_flows(flows: ir.Table) -> ir.Table:
    return flows.select(
        year=_.year.cast("int32"),
        exporter=_.exporter,
        importer=_.importer,
        product=_.product,
        lvl=_level_expr(_.product),
        value_usd=_.value_usd.cast("float64"),
        basis=_.basis,
        entry_id=_.entry_id,
    ).cast(_VIEW_SCHEMA)


def _from_declarations(decl: ir.Table) -> ir.Table:
    def project(flow: str, exporter: str, importer: str, basis: str) -> ir.Table:
        t = decl.filter(_.flow == flow)
        return t.select(
            year=t.year.cast("int32"),
            exporter=t[exporter],
            importer=t[importer],
            product=t.product,
            lvl=_level_expr(t.product),
            value_usd=t.value_usd.cast("float64"),
            basis=ibis.literal(basis),
            entry_id=t.entry_id,
        ).cast(_VIEW_SCHEMA)

    exported = project("X", "reporter", "partner", "exporter")
    imported = project("M", "partner", "reporter", "importer")
    keys = ["year", "exporter", "importer", "lvl"]
    declared = exported.select(*keys).distinct()
    mirror = imported.anti_join(declared, keys).select(*_VIEW_COLUMNS)
    return exported.union(mirror)


#: How many dyad scopes a catalog keeps in memory (oldest dropped first).
_MAX_SCOPES = 8


@dataclass
class Catalog:
    """What the lake holds, per year: which source serves it and the value at each level.

    Built once per lake version (one pass over each table), then reused by every query.
    A dyad's queries read its *scope* (every row with a member of either side as exporter
    or importer), pulled once from the lake and kept as an in-memory table of the same
    backend: the first query of a dyad pays one pass over the lake, the next ones read
    only the scope.
    """

    version: str
    flows: ir.Table
    declarations: ir.Table
    flow_years: frozenset[int]
    #: year → {level: total value} over the whole view (all exporters and importers).
    levels: dict[int, dict[int, float]] = field(default_factory=dict)
    _chapters: dict[str, dict[int, dict[int, float]]] = field(default_factory=dict)
    _scopes: dict[tuple[str, ...], tuple[ir.Table, ir.Table]] = field(default_factory=dict)
    _pairs: dict[tuple[str, ...], tuple[ir.Table, ir.Table]] = field(default_factory=dict)
    _arrow: dict[tuple[str, ...], pa.Table] = field(default_factory=dict)

    def view(
        self, years: Iterable[int], *, members: Iterable[str] | None = None, totals: bool = False
    ) -> ir.Table:
        """The flow view restricted to ``years``; each year from flows or declarations.

        With ``members``, only the rows that have one of them as exporter or importer. With
        ``totals`` as well, one row per year, exporter, importer, level, basis and entry: the
        sum of that level's codes, enough to read totals (:func:`read_at` at level 0).
        """
        wanted = sorted(set(years))
        from_flows = [y for y in wanted if y in self.flow_years]
        from_decl = [y for y in wanted if y not in self.flow_years]
        if members is None:
            flows, decl = self.flows, self.declarations
        else:
            key = tuple(sorted(set(members)))
            self._scope(key)
            flows, decl = self._pairs[key] if totals else self._scopes[key]
        parts: list[ir.Table] = []
        if from_flows:
            parts.append(flows.filter(_.year.isin(from_flows)))
        if from_decl:
            parts.append(decl.filter(_.year.isin(from_decl)))
        if not parts:
            raise NotFoundError("no years asked")
        return parts[0] if len(parts) == 1 else parts[0].union(parts[1])

    def _scope(self, members: Iterable[str]) -> tuple[ir.Table, ir.Table]:
        key = tuple(sorted(set(members)))
        if key not in self._scopes:
            held = sorted(self.flow_years)
            cuts = []
            for table, keep in ((self.flows, True), (self.declarations, False)):
                rows = table.filter(table.exporter.isin(key) | table.importer.isin(key))
                if held:
                    rows = rows.filter(rows.year.isin(held) if keep else ~rows.year.isin(held))
                cuts.append(rows.to_pyarrow())
            while len(self._scopes) >= _MAX_SCOPES:
                oldest = next(iter(self._scopes))
                self._scopes.pop(oldest)
                self._pairs.pop(oldest, None)
                self._arrow.pop(oldest, None)
            self._scopes[key] = (ibis.memtable(cuts[0]), ibis.memtable(cuts[1]))
            self._pairs[key] = (
                ibis.memtable(_pair_sums(cuts[0])),
                ibis.memtable(_pair_sums(cuts[1])),
            )
            keys = ["year", "exporter", "importer", "basis", "entry_id"]
            self._arrow[key] = pa.concat_tables(cuts).group_by(keys).aggregate([])
        return self._scopes[key]

    def tags(
        self,
        members: Iterable[str],
        years: Iterable[int],
        *,
        exporters: Iterable[str] | None = None,
        importers: Iterable[str] | None = None,
    ) -> tuple[set[str], set[str]]:
        """Bases and manifest entries of a dyad scope's rows in ``years`` (read in memory).

        ``exporters``/``importers`` narrow to one direction. Rows of every HS level count.
        """
        key = tuple(sorted(set(members)))
        self._scope(key)
        rows = self._arrow[key]
        mask = pc.is_in(rows.column("year"), pa.array(sorted(set(years)), pa.int32()))
        for column, values in (("exporter", exporters), ("importer", importers)):
            if values is not None:
                wanted = pa.array(sorted(set(values)), pa.string())
                mask = pc.and_(mask, pc.is_in(rows.column(column), wanted))
        picked = rows.filter(mask)
        bases = {str(b) for b in pc.unique(picked.column("basis")).to_pylist()}
        entries = {str(e) for e in pc.unique(picked.column("entry_id")).to_pylist()}
        return bases, entries

    def years(self) -> list[int]:
        """Years the lake holds any flow or declaration for."""
        return sorted(self.levels)

    def chapter_levels(self, chapter: str) -> dict[int, dict[int, float]]:
        """year → {level: value} for one HS chapter (which levels the chapter is held at)."""
        if chapter not in self._chapters:
            out: dict[int, dict[int, float]] = {}
            for table, flows in ((self.flows, True), (self.declarations, False)):
                rows = table.filter(table.product.startswith(chapter))
                sums = rows.group_by(["year", "lvl"]).aggregate(v=_.value_usd.sum()).execute()
                for row in sums.itertuples(index=False):
                    if (int(row.year) in self.flow_years) == flows:
                        out.setdefault(int(row.year), {})[int(row.lvl)] = float(row.v)
            self._chapters[chapter] = out
        return self._chapters[chapter]


def _pair_sums(rows: pa.Table) -> pa.Table:
    """Scope rows summed over products, per year, exporter, importer, level, basis, entry."""
    keys = ["year", "exporter", "importer", "lvl", "basis", "entry_id"]
    sums = rows.group_by(keys).aggregate([("value_usd", "sum")])
    product = pa.array(["TOTAL"] * sums.num_rows, pa.string())
    columns = {"product": product, "value_usd": sums.column("value_usd_sum")}
    return pa.table(
        [columns.get(name, sums.column(name) if name in keys else None) for name in _VIEW_COLUMNS],
        names=list(_VIEW_COLUMNS),
    ).cast(rows.schema)


_CACHE: weakref.WeakKeyDictionary[Any, Catalog] = weakref.WeakKeyDictionary()


def catalog(lake: Lake) -> Catalog:
    """The :class:`Catalog` of ``lake``, rebuilt when the lake's version changes."""
    version = str(lake.version)
    try:
        cached = _CACHE.get(lake)
    except TypeError:  # a lake type that cannot be weakly referenced
        cached = None
    if cached is not None and cached.version == version:
        return cached
    flows = _from_flows(lake.flows())
    decl = _from_declarations(lake.declarations())
    levels: dict[int, dict[int, float]] = {}
    flow_years: frozenset[int] = frozenset()
    for table, from_flows in ((flows, True), (decl, False)):
        sums = table.group_by(["year", "lvl"]).aggregate(v=_.value_usd.sum()).execute()
        for row in sums.itertuples(index=False):
            year = int(row.year)
            if not from_flows and year in flow_years:  # declarations serve years without flows
                continue
            levels.setdefault(year, {})[int(row.lvl)] = float(row.v)
        if from_flows:
            flow_years = frozenset(levels)
    built = Catalog(version, flows, decl, flow_years, levels)
    with contextlib.suppress(TypeError):  # a lake type that cannot be weakly referenced
        _CACHE[lake] = built
    return built


@dataclass(frozen=True)
class LevelPlan:
    """The source level each year is read from, to give values at ``level``.

    Attributes
    ----------
    level
        The level asked for: 0 (totals), 2, 4 or 6.
    source
        year → the level read for that year (``level`` itself, or a finer one truncated).
    """

    level: int
    source: dict[int, int]

    def describe(self) -> str:
        """One line for a result: ``"HS6 summed to totals"``, ``"HS4"``, ``"TOTAL"``."""
        target = "TOTAL" if self.level == 0 else f"HS{self.level}"
        srcs = sorted(set(self.source.values()))
        parts = []
        for src in srcs:
            name = "TOTAL" if src == 0 else f"HS{src}"
            years = [y for y, s in self.source.items() if s == src]
            how = name if src == self.level else f"{name} summed to {target}"
            parts.append(how + (f" ({_years(years)})" if len(srcs) > 1 else ""))
        return "; ".join(parts)


def _years(years: Sequence[int]) -> str:
    ys = sorted(years)
    return str(ys[0]) if len(ys) == 1 else f"{ys[0]}-{ys[-1]}"


def plan_level(
    cat: Catalog, years: Iterable[int], level: int, *, within: str | None = None
) -> LevelPlan:
    """Choose each year's source level for reading values at ``level`` (0 = totals).

    With ``within`` (an HS code), only the levels that code's chapter is held at count:
    a lake may hold one chapter at HS4 and another at HS2 only. Years the lake does not
    hold are left out of the plan (their values are missing).
    """
    source: dict[int, int] = {}
    for year in sorted(set(years)):
        have = cat.levels.get(year) if within is None else cat.chapter_levels(within[:2]).get(year)
        if not have:
            continue
        if level == 0:
            if 0 in have:
                source[year] = 0
            else:  # the most complete level: the largest value; ties go to the coarser
                source[year] = max(have, key=lambda lv: (have[lv], -lv))
        else:
            finer = sorted(lv for lv in have if lv >= level)
            if finer:
                source[year] = finer[0]
    return LevelPlan(level, source)


def read_at(view: ir.Table, plan: LevelPlan) -> ir.Table:
    """Rows of ``view`` read at ``plan.level``: one source level a year, codes truncated."""
    if not plan.source:
        return view.filter(ibis.literal(False))
    by_level: dict[int, list[int]] = {}
    for year, src in plan.source.items():
        by_level.setdefault(src, []).append(year)
    cond = ibis.or_(*[(_.lvl == src) & _.year.isin(ys) for src, ys in by_level.items()])
    rows = view.filter(cond)
    if plan.level == 0:
        return rows.mutate(product=ibis.literal("TOTAL"), lvl=ibis.literal(0).cast("int32"))
    return rows.mutate(
        product=rows.product.substr(0, plan.level), lvl=ibis.literal(plan.level).cast("int32")
    )


def require(cat: Catalog, plan: LevelPlan, year: int) -> None:
    """Raise :class:`NotFoundError` when ``year`` cannot be read at the plan's level."""
    if year in plan.source:
        return
    held = cat.years()
    what = "TOTAL" if plan.level == 0 else f"HS{plan.level} or finer"
    have = f"it holds {held[0]}-{held[-1]}" if held else "it is empty"
    raise NotFoundError(
        f"the lake holds no {what} trade data for {year} ({have}); ingest that year first "
        "(bilat ingest ...) or choose another year",
        details={"value": year, "years": held},
    )
