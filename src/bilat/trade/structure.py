"""Structure and relationship indicators: concentration, RCA, complementarity, intensity,
mirror gaps. Formulas and sources: ``docs/indicators.md``.

World aggregates are over what the lake believes (the trade view): countries only (World
and "not elsewhere specified" areas left out), so with a partial lake "world" means the
lake's coverage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis import _

from bilat.codes.hs import describe
from bilat.trade._common import merge, num, provenance, ratio
from bilat.trade._figures import direction_rows, frame_provenance
from bilat.trade._sides import AREAS, Side
from bilat.trade.results import Complementarity, Concentration, Intensity, MirrorGap, RcaResult
from bilat.tradeview import TradeView, levels_text

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = ["complementarity", "concentration", "intensity", "mirror_gap", "rca"]


def _tags(rows: ir.Table) -> ir.Table:
    return rows.aggregate(
        bases=rows.klass.collect(distinct=True),
        entries=rows.entry_id.collect(distinct=True),
        levels=rows.src_lvl.collect(distinct=True),
    )


def _world(view: TradeView, year: int, level: int) -> ir.Table:
    view.require(year)
    return _countries(view.at_level(view.rows([year]), level, [year]))


def _level_words(got: Any, level: int) -> str:
    held = [int(v) for v in (got.levels if got.levels is not None else [])]
    return levels_text(held, level) if held else "no data"


def _countries(rows: ir.Table) -> ir.Table:
    return rows.filter(
        ~rows.exporter.isin(AREAS) & ~rows.importer.isin(AREAS) & (rows.exporter != rows.importer)
    )


def concentration(
    lake: Lake, view: TradeView, a: Side, b: Side, *, year: int, level: int, flow: str
) -> Concentration:
    """Herfindahl-Hirschman index and number of products of one direction in ``year``."""
    view.require(year)
    src, dst = (a, b) if flow == "export" else (b, a)
    frame = view.frame([year], members=a.members + b.members, level=level, by_product=True)
    rows = direction_rows(frame, src, dst, year)
    g = rows.groupby("product").value_usd.sum()
    g = g[g > 0]
    total, n = float(g.sum()), len(g)
    hhi = ratio(float((g * g).sum()), total * total)
    normalised = None if hhi is None or n < 2 else (hhi - 1 / n) / (1 - 1 / n)
    words = levels_text(rows.src_lvl, level) if len(rows) else "no data"
    prov = frame_provenance(lake, rows, words)
    cov = view.coverage(year, src.members, dst.members)
    return Concentration(
        src.code, dst.code, year, level, hhi, normalised, n, ratio(1.0, hhi), total, prov, cov
    )


_RCA_SCHEMA = pa.schema(
    [
        ("product", pa.string()),
        ("description", pa.string()),
        ("exports_usd", pa.float64()),
        ("share_pct", pa.float64()),
        ("world_share_pct", pa.float64()),
        ("rca", pa.float64()),
        ("exports_to_partner_usd", pa.float64()),
        ("partner_rca", pa.float64()),
    ]
)


def _rca_groups(rows: ir.Table, a: Side, b: Side | None) -> ir.Table:
    """By product: world exports, A's exports, and with a partner B, A's exports to B and
    B's imports from everyone (``to_b``, ``b_imp``), each with its total over products."""
    from_a = rows.exporter.isin(a.members) & ~rows.importer.isin(a.members)
    sums: dict[str, Any] = {"world": rows.value_usd.sum(), "own": rows.value_usd.sum(where=from_a)}
    if b is not None:
        into_b = rows.importer.isin(b.members) & ~rows.exporter.isin(b.members)
        sums["to_b"] = rows.value_usd.sum(where=from_a & rows.importer.isin(b.members))
        sums["b_imp"] = rows.value_usd.sum(where=into_b)
    g = rows.group_by("product").aggregate(**sums)
    g = g.mutate(
        own=g.own.coalesce(0.0), own_total=g.own.sum().over(), world_total=g.world.sum().over()
    )
    g = g.mutate(rca=(g.own / g.own_total) / (g.world / g.world_total))
    if b is None:
        none = ibis.null("float64")
        return g.mutate(to_b=none, partner_rca=none)
    g = g.mutate(to_b=g.to_b.coalesce(0.0), to_b_total=g.to_b.sum().over(),
                 b_imp_total=g.b_imp.sum().over())  # fmt: skip
    share_b = g.to_b / g.to_b_total.nullif(0)
    return g.mutate(partner_rca=share_b / (g.b_imp / g.b_imp_total.nullif(0)).nullif(0))


def rca(
    lake: Lake,
    view: TradeView,
    a: Side,
    b: Side | None = None,
    *,
    year: int,
    level: int,
    min_exports_usd: float = 0.0,
) -> RcaResult:
    """Balassa's revealed comparative advantage of ``a``'s exports, by product; with a
    partner ``b``, also the RCA of A's exports to B against the world's exports to B
    (``partner_rca``). Products whose exports by A are below ``min_exports_usd`` are not
    listed (the totals still count them)."""
    rows = _world(view, year, level)
    # A→B not covered by any source: the partner columns are not known, not 0
    known = b is not None and view.coverage(year, a.members, b.members).covered
    g = _rca_groups(rows, a, b if known else None)
    listed = g.filter((_.own > 0) & (_.own >= float(min_exports_usd)))
    expr = listed.select(
        "product",
        exports_usd=_.own,
        share_pct=_.own / _.own_total * 100,
        world_share_pct=_.world / _.world_total * 100,
        rca=_.rca,
        exports_to_partner_usd=_.to_b,
        partner_rca=_.partner_rca,
    ).order_by([ibis.desc("rca"), "product"])
    frame = view.fetch(expr)
    totals = view.fetch(g.aggregate(own=g.own_total.max(), world=g.world_total.max())).iloc[0]
    tags = view.fetch(_tags(rows.filter(rows.exporter.isin(a.members)))).iloc[0]
    prov = provenance(lake, merge([tags.bases]), merge([tags.entries]), _level_words(tags, level))
    frame.insert(1, "description", frame["product"].map(describe))
    table = pa.Table.from_pandas(frame[_RCA_SCHEMA.names], schema=_RCA_SCHEMA, preserve_index=False)
    n_adv = int((frame.rca > 1).sum())
    return RcaResult(
        a.code, year, level, num(totals.own),
        num(totals.world), n_adv, table, prov, expr=expr,
        partner=b.code if b is not None else None, min_exports_usd=float(min_exports_usd),
    )  # fmt: skip


def complementarity(
    lake: Lake, view: TradeView, a: Side, b: Side, *, year: int, level: int
) -> Complementarity:
    """Trade complementarity index between ``a``'s exports and ``b``'s imports (0..100)."""
    rows = _world(view, year, level)
    g = rows.group_by("product").aggregate(
        x=_.value_usd.sum(where=_.exporter.isin(a.members) & ~_.importer.isin(a.members)),
        m=_.value_usd.sum(where=_.importer.isin(b.members) & ~_.exporter.isin(b.members)),
    )
    g = g.mutate(x=g.x.coalesce(0.0), m=g.m.coalesce(0.0))
    g = g.mutate(xt=g.x.sum().over(), mt=g.m.sum().over())
    g = g.mutate(gap=(g.m / g.mt - g.x / g.xt).abs())
    stats = g.aggregate(gap=g.gap.sum(), xt=g.xt.max(), mt=g.mt.max())
    tags = _tags(rows.filter(rows.exporter.isin(a.members) | rows.importer.isin(b.members)))
    got = view.fetch(stats.cross_join(tags)).iloc[0]
    xt, mt = num(got.xt), num(got.mt)
    index = 100.0 * (1.0 - num(got.gap) / 2.0) if xt > 0 and mt > 0 else None
    prov = provenance(lake, merge([got.bases]), merge([got.entries]), _level_words(got, level))
    return Complementarity(a.code, b.code, year, level, index, xt, mt, prov)


def intensity(lake: Lake, view: TradeView, a: Side, b: Side, *, year: int) -> Intensity:
    """Trade intensity index of ``a``'s exports to ``b``."""
    rows = _world(view, year, 0)
    from_a = rows.exporter.isin(a.members) & ~rows.importer.isin(a.members)
    to_b = rows.importer.isin(b.members) & ~rows.exporter.isin(b.members)
    stats = rows.aggregate(
        ab=rows.value_usd.sum(where=from_a & rows.importer.isin(b.members)),
        a=rows.value_usd.sum(where=from_a),
        b=rows.value_usd.sum(where=to_b),
        w=rows.value_usd.sum(),
    )
    tags = _tags(rows.filter(from_a | to_b))
    got = view.fetch(stats.cross_join(tags)).iloc[0]
    ab, xa, mb, w = num(got.ab), num(got.a), num(got.b), num(got.w)
    index = ratio(ratio(ab, xa), ratio(mb, w))
    prov = provenance(lake, merge([got.bases]), merge([got.entries]), _level_words(got, 0))
    return Intensity(a.code, b.code, year, index, ab, xa, mb, w, prov)


_MIRROR_SCHEMA = pa.schema(
    [
        ("year", pa.int32()),
        ("product", pa.string()),
        ("exporter_declared_usd", pa.float64()),
        ("importer_declared_usd", pa.float64()),
        ("difference_usd", pa.float64()),
        ("ratio", pa.float64()),
    ]
)


def mirror_gap(
    lake: Lake, view: TradeView, a: Side, b: Side, *, start: int, end: int, level: int
) -> MirrorGap:
    """A's export declarations to B against B's import declarations from A.

    Each side's declarations are read at ``level`` (0: totals) the way every figure is:
    from the finest codes it declared that do not count anything twice, so a side that
    declared HS6 only still has totals. Only (year, product) pairs both declared appear.
    """
    c = view.candidates()
    c = c.filter(c.year.between(start, end))

    def side_of(klass: str, name: str) -> ir.Table:
        mine = c.filter(
            (c.klass == klass) & c.exporter.isin(a.members) & c.importer.isin(b.members)
        )
        t = view.at_level(mine.select(*mine.columns), level, range(start, end + 1))
        return t.group_by(year=t.year, product=t.product).aggregate(
            **{name: t.value_usd.sum()},
            **{f"{name}_e": t.entry_id.collect(distinct=True)},
            **{f"{name}_l": t.src_lvl.collect(distinct=True)},
        )

    xs = side_of("exporter", "x")  # A's export declarations of A→B
    ms = side_of("importer", "m")  # B's import declarations of the same flows
    both = xs.join(ms, ["year", "product"]).order_by(["year", "product"])
    joined = view.fetch(both)
    expr = both.select(
        year=_.year.cast("int32"),
        product=_.product,
        exporter_declared_usd=_.x,
        importer_declared_usd=_.m,
        difference_usd=_.m - _.x,
        ratio=_.m / _.x.nullif(0),
    )
    cols: dict[str, list[Any]] = {name: [] for name in _MIRROR_SCHEMA.names}
    for r in joined.itertuples(index=False):
        x, m = num(r.x), num(r.m)
        for name, v in zip(cols, (int(r.year), r.product, x, m, m - x, ratio(m, x)), strict=True):
            cols[name].append(v)
    entries = merge(joined.x_e) | merge(joined.m_e)
    held = {int(v) for v in merge(joined.x_l) | merge(joined.m_l)}
    what = levels_text(held, level) if held else ("TOTAL" if level == 0 else f"HS{level}")
    prov = provenance(lake, ["exporter", "importer"] if len(joined) else [], entries, what)
    table = pa.table(cols, schema=_MIRROR_SCHEMA)
    return MirrorGap(a.code, b.code, level, table, prov, expr=expr)
