"""The dyad's core indicators: summary, series, products, baskets, product events.

Each function builds one Ibis expression over the lake's flow view, runs it once, and
shapes the (small) result. No backend-specific SQL: the same code runs on DuckDB and Spark.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis import _

from bilat.codes.baskets import Basket
from bilat.codes.hs import describe
from bilat.trade._common import (
    direction,
    growth_pct,
    level_text,
    num,
    ordinal,
    provenance,
    ratio,
)
from bilat.trade._sides import AREAS, Side
from bilat.trade._source import Catalog, plan_level, read_at, require
from bilat.trade.results import (
    BasketsResult,
    EventsResult,
    ProductsResult,
    SeriesResult,
    Standing,
    Summary,
)

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = ["baskets", "events", "products", "series", "summary"]


def _roles(rows: ir.Table, who: Side, other: Side) -> list[ir.Table]:
    """``who``'s exports by destination and imports by origin; ``other`` counted as one.

    A group's own members count as its partners (each on its own), as in "the EU27's
    suppliers": the sum over the members' declarations.
    """
    out = []
    for flow, own, partner in (
        ("export", "exporter", "importer"),
        ("import", "importer", "exporter"),
    ):
        t = rows.filter(
            rows[own].isin(who.members)
            & (rows.exporter != rows.importer)
            & ~rows[partner].isin(AREAS)
        )
        label = ibis.ifelse(t[partner].isin(other.members), other.code, t[partner])
        out.append(
            t.select(
                reporter=ibis.literal(who.code),
                flow=ibis.literal(flow),
                year=t.year,
                partner=label,
                value_usd=t.value_usd,
            )
        )
    return out


def _pair(a: Side, b: Side) -> dict[str, tuple[str, ...]]:
    both = a.members + b.members
    return {"exporters": both, "importers": both}


def _tags(
    cat: Catalog, a: Side, b: Side, flow: str, years: Iterable[int]
) -> tuple[set[str], set[str]]:
    src, dst = (a, b) if flow == "export" else (b, a)
    return cat.tags(a.members + b.members, years, exporters=src.members, importers=dst.members)


def _ranked(rows: ir.Table, a: Side, b: Side) -> ir.Table:
    """Partners of A and B ranked by value, per reporter, flow and year."""
    rows = rows.group_by(["year", "exporter", "importer"]).aggregate(value_usd=_.value_usd.sum())
    parts = _roles(rows, a, b) + _roles(rows, b, a)
    union = parts[0].union(*parts[1:])
    keys = ["reporter", "flow", "year"]
    g = union.group_by([*keys, "partner"]).aggregate(value_usd=_.value_usd.sum())
    g = g.filter(_.value_usd > 0)
    return g.mutate(
        rank=(ibis.rank().over(group_by=keys, order_by=ibis.desc("value_usd")) + 1),
        total_usd=_.value_usd.sum().over(group_by=keys),
        n_partners=_.value_usd.count().over(group_by=keys),
    )


def _standing(frame: Any, reporter: Side, partner: Side, flow: str, year: int) -> Standing:
    hit = frame[
        (frame.reporter == reporter.code)
        & (frame.partner == partner.code)
        & (frame.flow == flow)
        & (frame.year == year)
    ]
    pool = frame[(frame.reporter == reporter.code) & (frame.flow == flow) & (frame.year == year)]
    total = num(pool.value_usd.sum())
    role = "destination of the exports" if flow == "export" else "origin of the imports"
    if hit.empty:
        article = "a" if flow == "export" else "an"
        text = (
            f"{partner.name} ({partner.code}) is not {article} {role} of {reporter.name} in {year}"
        )
        return Standing(reporter.code, partner.code, flow, None, len(pool), 0.0, total, None, text)
    row = hit.iloc[0]
    rank, value = int(row["rank"]), num(row.value_usd)
    share = ratio(value * 100.0, total)
    text = (
        f"{partner.name} ({partner.code}) is the {ordinal(rank)} {role} of {reporter.name} "
        f"in {year} (share {share:.1f}%, {rank} of {len(pool)} partners)"
    )
    return Standing(reporter.code, partner.code, flow, rank, len(pool), value, total, share, text)


def summary(lake: Lake, cat: Catalog, a: Side, b: Side, year: int) -> Summary:
    """Exports, imports, turnover, balance, growth and standings of a dyad in ``year``."""
    years = [year - 1, year]
    plan = plan_level(cat, years, 0)
    require(cat, plan, year)
    rows = read_at(cat.view(years, members=a.members + b.members, totals=True), plan)
    frame = _ranked(rows, a, b).execute()

    def value(reporter: Side, partner: Side, y: int) -> float:
        hit = frame[
            (frame.reporter == reporter.code)
            & (frame.partner == partner.code)
            & (frame.flow == "export")
            & (frame.year == y)
        ]
        return num(hit.value_usd.sum())

    ex, im = value(a, b, year), value(b, a, year)
    if year - 1 in plan.source:
        pex, pim = value(a, b, year - 1), value(b, a, year - 1)
    else:  # the lake does not hold the previous year: no growth rather than a false one
        pex = pim = math.nan
    standings = tuple(
        _standing(frame, r, p, f, year) for r, p in ((a, b), (b, a)) for f in ("export", "import")
    )
    bases, entries = cat.tags(a.members + b.members, plan.source)
    prov = provenance(lake, bases, entries, level_text(plan))
    return Summary(
        a=a.code,
        b=b.code,
        year=year,
        previous_year=year - 1,
        exports_usd=ex,
        imports_usd=im,
        turnover_usd=ex + im,
        balance_usd=ex - im,
        previous_exports_usd=pex,
        previous_imports_usd=pim,
        previous_turnover_usd=pex + pim,
        exports_growth_usd=ex - pex,
        imports_growth_usd=im - pim,
        turnover_growth_usd=(ex + im) - (pex + pim),
        exports_growth_pct=growth_pct(ex, pex),
        imports_growth_pct=growth_pct(im, pim),
        turnover_growth_pct=growth_pct(ex + im, pex + pim),
        standings=standings,
        figure_bases={
            "exports": _basis(cat, a, b, year),
            "imports": _basis(cat, b, a, year),
            "previous_exports": _basis(cat, a, b, year - 1),
            "previous_imports": _basis(cat, b, a, year - 1),
        },
        provenance=prov,
    )


_SERIES_SCHEMA = pa.schema(
    [("year", pa.int32())]
    + [(c, pa.float64()) for c in ("exports_usd", "imports_usd", "turnover_usd", "balance_usd")]
    + [("exports_basis", pa.string()), ("imports_basis", pa.string())]
)


def _basis(cat: Catalog, src: Side, dst: Side, year: int) -> str:
    """The bases of one direction's rows in a year, comma-separated (``""`` when none)."""
    members = src.members + dst.members
    bases, _entries = cat.tags(members, [year], exporters=src.members, importers=dst.members)
    return ",".join(sorted(bases))


def series(lake: Lake, cat: Catalog, a: Side, b: Side, start: int, end: int) -> SeriesResult:
    """Yearly exports, imports, turnover and balance of a dyad."""
    years = list(range(start, end + 1))
    plan = plan_level(cat, years, 0)
    rows = read_at(cat.view(years, members=a.members + b.members, totals=True), plan)
    both = direction(rows, a, b, "export").union(direction(rows, a, b, "import"))
    frame = (
        both.group_by("year")
        .aggregate(
            exports=_.value_usd.sum(where=_.exporter.isin(a.members)),
            imports=_.value_usd.sum(where=_.exporter.isin(b.members)),
        )
        .execute()
    )
    by_year = {int(r.year): r for r in frame.itertuples(index=False)}
    cols: dict[str, list[Any]] = {name: [] for name in _SERIES_SCHEMA.names}
    for y in sorted(plan.source):
        r = by_year.get(y)
        ex, im = (num(r.exports), num(r.imports)) if r is not None else (0.0, 0.0)
        values = (y, ex, im, ex + im, ex - im, _basis(cat, a, b, y), _basis(cat, b, a, y))
        for name, v in zip(cols, values, strict=True):
            cols[name].append(v)
    bases, entries = cat.tags(a.members + b.members, plan.source, **_pair(a, b))
    prov = provenance(lake, bases, entries, level_text(plan))
    table = pa.table(cols, schema=_SERIES_SCHEMA)
    return SeriesResult(a.code, b.code, start, end, table, prov)


_PRODUCTS_SCHEMA = pa.schema(
    [
        ("rank", pa.int32()),
        ("product", pa.string()),
        ("description", pa.string()),
        ("value_usd", pa.float64()),
        ("share_pct", pa.float64()),
        ("previous_usd", pa.float64()),
        ("growth_pct", pa.float64()),
    ]
)


def _by_product(rows: ir.Table, years: dict[str, int]) -> ir.Table:
    """One row per product with its value in each named year, bases and entries."""
    sums = {name: _.value_usd.sum(where=_.year == y).coalesce(0.0) for name, y in years.items()}
    return rows.group_by("product").aggregate(**sums)


def products(
    lake: Lake,
    cat: Catalog,
    a: Side,
    b: Side,
    *,
    year: int,
    level: int,
    top: int | None,
    flow: str,
) -> ProductsResult:
    """Top products of one direction of the dyad's trade in ``year`` at HS ``level``."""
    years = [year - 1, year]
    plan = plan_level(cat, years, level)
    require(cat, plan, year)
    rows = direction(read_at(cat.view(years, members=a.members + b.members), plan), a, b, flow)
    frame = _by_product(rows, {"now": year, "before": year - 1}).execute()
    prov = provenance(lake, *_tags(cat, a, b, flow, plan.source), level_text(plan))
    frame = frame[frame.now > 0].sort_values(["now", "product"], ascending=[False, True])
    total = num(frame.now.sum())
    shown = frame if top is None else frame.head(top)
    cols: dict[str, list[Any]] = {name: [] for name in _PRODUCTS_SCHEMA.names}
    for i, r in enumerate(shown.itertuples(index=False), start=1):
        values = (
            i,
            r.product,
            describe(r.product),
            num(r.now),
            ratio(num(r.now) * 100, total),
            num(r.before),
            growth_pct(num(r.now), num(r.before)),
        )
        for name, v in zip(cols, values, strict=True):
            cols[name].append(v)
    exporter, importer = (a.code, b.code) if flow == "export" else (b.code, a.code)
    table = pa.table(cols, schema=_PRODUCTS_SCHEMA)
    return ProductsResult(exporter, importer, year, level, flow, total, len(frame), table, prov)


def _basket_level(item: Basket) -> int:
    return max(len(c) for c in item.codes)


def _basket_sums(rows: ir.Table, links: dict[str, list[Any]]) -> ir.Table:
    """Value per (basket, year): rows joined to basket codes on the code's prefix.

    ``links`` lists (year, source level, code, basket index); one equi-join per code length
    (a product matches a code when the code is its prefix), so no row is counted twice
    within a basket as long as the basket's codes do not nest.
    """
    schema = {"b_year": "int32", "b_lvl": "int32", "b_code": "string", "b_idx": "int32"}
    codes = ibis.memtable(links, schema=schema)
    parts = []
    for width in sorted({len(c) for c in links["b_code"]}):
        m = codes.filter(codes.b_code.length() == width)
        keyed = rows.mutate(prefix=rows.product.substr(0, width))
        joined = keyed.join(
            m,
            [keyed.year == m.b_year, keyed.lvl == m.b_lvl, keyed.prefix == m.b_code],
        )
        parts.append(joined.select("b_idx", "b_year", "value_usd"))
    if not parts:
        return codes.select("b_idx", "b_year", v=ibis.literal(0.0)).limit(0)
    union = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    return union.group_by(["b_idx", "b_year"]).aggregate(v=_.value_usd.sum())


_BASKETS_SCHEMA = pa.schema(
    [
        ("basket", pa.string()),
        ("title", pa.string()),
        ("level", pa.int32()),
        ("value_from_usd", pa.float64()),
        ("value_to_usd", pa.float64()),
        ("multiplier", pa.float64()),
        ("text", pa.string()),
    ]
)


def baskets(
    lake: Lake,
    cat: Catalog,
    a: Side,
    b: Side,
    *,
    start: int,
    end: int,
    flow: str,
    items: list[Basket],
) -> BasketsResult:
    """Each basket's value in ``start`` and ``end`` and the multiplier between them."""
    years = [start, end]
    rows = direction(cat.view(years, members=a.members + b.members), a, b, flow)
    links: dict[str, list[Any]] = {"b_year": [], "b_lvl": [], "b_code": [], "b_idx": []}
    levels: dict[str, str] = {}
    for i, item in enumerate(items):
        plan = plan_level(cat, years, _basket_level(item))
        levels[item.name] = level_text(plan)
        for y, src in plan.source.items():
            for code in item.codes:
                for name, v in zip(links, (y, src, code, i), strict=True):
                    links[name].append(v)
    frame = _basket_sums(rows, links).execute()
    got: dict[tuple[int, int], float] = {
        (int(r.b_idx), int(r.b_year)): num(r.v) for r in frame.itertuples(index=False)
    }
    held = {(i, y) for i, y in zip(links["b_idx"], links["b_year"], strict=True)}
    cols: dict[str, list[Any]] = {name: [] for name in _BASKETS_SCHEMA.names}
    for i, item in enumerate(items):
        before = got.get((i, start), 0.0) if (i, start) in held else None
        after = got.get((i, end), 0.0) if (i, end) in held else None
        mult = ratio(after, before)
        if mult is not None:
            text = f"{item.title} x{mult:.1f}"
        elif before is None:
            text = f"{item.title}: no HS{_basket_level(item)} data for {start}"
        else:
            text = f"{item.title}: not traded in {start}"
        values = (item.name, item.title, _basket_level(item), before, after, mult, text)
        for name, v in zip(cols, values, strict=True):
            cols[name].append(v)
    level = "; ".join(sorted({f"{k}: {v}" for k, v in levels.items()}))
    prov = provenance(lake, *_tags(cat, a, b, flow, years), level)
    exporter, importer = (a.code, b.code) if flow == "export" else (b.code, a.code)
    table = pa.table(cols, schema=_BASKETS_SCHEMA)
    return BasketsResult(exporter, importer, start, end, flow, table, prov)


_EVENTS_SCHEMA = pa.schema(
    [
        ("product", pa.string()),
        ("description", pa.string()),
        ("event", pa.string()),
        ("value_usd", pa.float64()),
        ("previous_usd", pa.float64()),
        ("two_back_usd", pa.float64()),
    ]
)


def events(
    lake: Lake,
    cat: Catalog,
    a: Side,
    b: Side,
    *,
    year: int,
    level: int,
    flow: str,
    min_value_usd: float,
) -> EventsResult:
    """Products that appeared, resumed or ceased in ``year`` (see :class:`EventsResult`)."""
    years = [year - 2, year - 1, year]
    plan = plan_level(cat, years, level)
    require(cat, plan, year)
    rows = direction(read_at(cat.view(years, members=a.members + b.members), plan), a, b, flow)
    g = _by_product(rows, {"now": year, "before": year - 1, "back": year - 2})
    event = ibis.cases(
        ((g.now > 0) & (g.before <= 0) & (g.back <= 0), "appeared"),
        ((g.now > 0) & (g.before <= 0) & (g.back > 0), "resumed"),
        ((g.now <= 0) & (g.before > 0), "ceased"),
    )
    frame = g.mutate(event=event).execute()
    prov = provenance(lake, *_tags(cat, a, b, flow, plan.source), level_text(plan))
    threshold = ((frame.event == "ceased") & (frame.before >= min_value_usd)) | (
        (frame.event != "ceased") & (frame.now >= min_value_usd)
    )
    hits = frame[frame.event.notna() & threshold].copy()
    hits["size"] = hits[["now", "before"]].max(axis=1)
    hits = hits.sort_values(["event", "size", "product"], ascending=[True, False, True])
    cols: dict[str, list[Any]] = {name: [] for name in _EVENTS_SCHEMA.names}
    for r in hits.itertuples(index=False):
        values = (r.product, describe(r.product), r.event, num(r.now), num(r.before), num(r.back))
        for name, v in zip(cols, values, strict=True):
            cols[name].append(v)
    exporter, importer = (a.code, b.code) if flow == "export" else (b.code, a.code)
    table = pa.table(cols, schema=_EVENTS_SCHEMA)
    return EventsResult(exporter, importer, year, level, flow, min_value_usd, table, prov)
