"""Structure and relationship indicators: concentration, RCA, complementarity, intensity,
mirror gaps. Formulas and sources: ``docs/indicators.md``.

World aggregates are over what the lake holds: countries only (World and "not elsewhere
specified" areas left out), so with a partial lake "world" means the lake's coverage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis import _

from bilat.codes.hs import describe
from bilat.trade._common import direction, level_text, merge, num, provenance, ratio
from bilat.trade._sides import AREAS, Side
from bilat.trade._source import Catalog, plan_level, read_at
from bilat.trade.results import Complementarity, Concentration, Intensity, MirrorGap, RcaResult

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = ["complementarity", "concentration", "intensity", "mirror_gap", "rca"]


def _tags(rows: ir.Table) -> ir.Table:
    return rows.aggregate(
        bases=rows.basis.collect(distinct=True), entries=rows.entry_id.collect(distinct=True)
    )


def _countries(rows: ir.Table) -> ir.Table:
    return rows.filter(
        ~rows.exporter.isin(AREAS) & ~rows.importer.isin(AREAS) & (rows.exporter != rows.importer)
    )


def concentration(
    lake: Lake, cat: Catalog, a: Side, b: Side, *, year: int, level: int, flow: str
) -> Concentration:
    """Herfindahl-Hirschman index and number of products of one direction in ``year``."""
    plan = plan_level(cat, [year], level)
    rows = direction(read_at(cat.view([year], members=a.members + b.members), plan), a, b, flow)
    g = rows.group_by("product").aggregate(v=_.value_usd.sum()).filter(_.v > 0)
    stats = g.aggregate(total=g.v.sum(), squares=(g.v * g.v).sum(), n=g.v.count())
    got = stats.cross_join(_tags(rows)).execute().iloc[0]
    total, n = num(got.total), int(num(got.n))
    hhi = ratio(num(got.squares), total * total)
    normalised = None if hhi is None or n < 2 else (hhi - 1 / n) / (1 - 1 / n)
    prov = provenance(lake, merge([got.bases]), merge([got.entries]), level_text(plan))
    exporter, importer = (a.code, b.code) if flow == "export" else (b.code, a.code)
    return Concentration(
        exporter, importer, year, level, hhi, normalised, n, ratio(1.0, hhi), total, prov
    )


_RCA_SCHEMA = pa.schema(
    [
        ("product", pa.string()),
        ("description", pa.string()),
        ("exports_usd", pa.float64()),
        ("share_pct", pa.float64()),
        ("world_share_pct", pa.float64()),
        ("rca", pa.float64()),
    ]
)


def rca(lake: Lake, cat: Catalog, a: Side, *, year: int, level: int) -> RcaResult:
    """Balassa's revealed comparative advantage of ``a``'s exports, by product."""
    plan = plan_level(cat, [year], level)
    rows = _countries(read_at(cat.view([year]), plan))
    g = rows.group_by("product").aggregate(
        world=_.value_usd.sum(),
        own=_.value_usd.sum(where=_.exporter.isin(a.members) & ~_.importer.isin(a.members)),
    )
    g = g.mutate(
        own=g.own.coalesce(0.0), own_total=g.own.sum().over(), world_total=g.world.sum().over()
    )
    g = g.mutate(rca=(g.own / g.own_total) / (g.world / g.world_total))
    frame = g.filter(_.own > 0).order_by([ibis.desc("rca"), "product"]).execute()
    tags = _tags(rows.filter(rows.exporter.isin(a.members))).execute().iloc[0]
    prov = provenance(lake, merge([tags.bases]), merge([tags.entries]), level_text(plan))
    cols: dict[str, list[Any]] = {name: [] for name in _RCA_SCHEMA.names}
    for r in frame.itertuples(index=False):
        values = (
            r.product,
            describe(r.product),
            num(r.own),
            num(r.own) / num(r.own_total) * 100,
            num(r.world) / num(r.world_total) * 100,
            num(r.rca),
        )
        for name, v in zip(cols, values, strict=True):
            cols[name].append(v)
    exports = num(frame.own_total.iloc[0]) if len(frame) else 0.0
    world = num(frame.world_total.iloc[0]) if len(frame) else 0.0
    n_adv = int((frame.rca > 1).sum())
    table = pa.table(cols, schema=_RCA_SCHEMA)
    return RcaResult(a.code, year, level, exports, world, n_adv, table, prov)


def complementarity(
    lake: Lake, cat: Catalog, a: Side, b: Side, *, year: int, level: int
) -> Complementarity:
    """Trade complementarity index between ``a``'s exports and ``b``'s imports (0..100)."""
    plan = plan_level(cat, [year], level)
    rows = _countries(read_at(cat.view([year]), plan))
    g = rows.group_by("product").aggregate(
        x=_.value_usd.sum(where=_.exporter.isin(a.members) & ~_.importer.isin(a.members)),
        m=_.value_usd.sum(where=_.importer.isin(b.members) & ~_.exporter.isin(b.members)),
    )
    g = g.mutate(x=g.x.coalesce(0.0), m=g.m.coalesce(0.0))
    g = g.mutate(xt=g.x.sum().over(), mt=g.m.sum().over())
    g = g.mutate(gap=(g.m / g.mt - g.x / g.xt).abs())
    stats = g.aggregate(gap=g.gap.sum(), xt=g.xt.max(), mt=g.mt.max())
    tags = _tags(rows.filter(rows.exporter.isin(a.members) | rows.importer.isin(b.members)))
    got = stats.cross_join(tags).execute().iloc[0]
    xt, mt = num(got.xt), num(got.mt)
    index = 100.0 * (1.0 - num(got.gap) / 2.0) if xt > 0 and mt > 0 else None
    prov = provenance(lake, merge([got.bases]), merge([got.entries]), level_text(plan))
    return Complementarity(a.code, b.code, year, level, index, xt, mt, prov)


def intensity(lake: Lake, cat: Catalog, a: Side, b: Side, *, year: int) -> Intensity:
    """Trade intensity index of ``a``'s exports to ``b``."""
    plan = plan_level(cat, [year], 0)
    rows = _countries(read_at(cat.view([year]), plan))
    from_a = rows.exporter.isin(a.members) & ~rows.importer.isin(a.members)
    to_b = rows.importer.isin(b.members) & ~rows.exporter.isin(b.members)
    stats = rows.aggregate(
        ab=rows.value_usd.sum(where=from_a & rows.importer.isin(b.members)),
        a=rows.value_usd.sum(where=from_a),
        b=rows.value_usd.sum(where=to_b),
        w=rows.value_usd.sum(),
    )
    tags = _tags(rows.filter(from_a | to_b))
    got = stats.cross_join(tags).execute().iloc[0]
    ab, xa, mb, w = num(got.ab), num(got.a), num(got.b), num(got.w)
    index = ratio(ratio(ab, xa), ratio(mb, w))
    prov = provenance(lake, merge([got.bases]), merge([got.entries]), level_text(plan))
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


def mirror_gap(lake: Lake, a: Side, b: Side, *, start: int, end: int, level: int) -> MirrorGap:
    """A's export declarations to B against B's import declarations from A.

    ``level`` 0 compares the declared totals (``TOTAL`` rows); 2, 4 or 6 compares the codes
    declared at that level by both sides. Only (year, product) pairs both declared appear.
    """
    decl = lake.declarations().filter(_.year.between(start, end))
    lvl = ibis.ifelse(decl.product == "TOTAL", 0, decl.product.length())
    decl = decl.filter(lvl == level)

    def side_of(flow: str, rep: Side, par: Side, name: str) -> ir.Table:
        t = decl.filter(
            (_.flow == flow) & _.reporter.isin(rep.members) & _.partner.isin(par.members)
        )
        return t.group_by(year=t.year.cast("int32"), product=t.product).aggregate(
            **{name: t.value_usd.sum()}, **{f"{name}_e": t.entry_id.collect(distinct=True)}
        )

    xs = side_of("X", a, b, "x")
    ms = side_of("M", b, a, "m")
    joined = xs.join(ms, ["year", "product"]).order_by(["year", "product"]).execute()
    cols: dict[str, list[Any]] = {name: [] for name in _MIRROR_SCHEMA.names}
    for r in joined.itertuples(index=False):
        x, m = num(r.x), num(r.m)
        for name, v in zip(cols, (int(r.year), r.product, x, m, m - x, ratio(m, x)), strict=True):
            cols[name].append(v)
    entries = merge(joined.x_e) | merge(joined.m_e)
    what = "TOTAL" if level == 0 else f"HS{level}"
    prov = provenance(lake, ["exporter", "importer"] if len(joined) else [], entries, what)
    table = pa.table(cols, schema=_MIRROR_SCHEMA)
    return MirrorGap(a.code, b.code, level, table, prov)
