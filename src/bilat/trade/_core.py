"""The dyad's core indicators: summary, series, products, baskets, product events.

Each function reads the dyad's believed flows through the trade view (one Ibis query per
scope, level and years, cached), and shapes the (small) result with its coverage. No
backend-specific SQL: the same code runs on DuckDB and Spark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from bilat import formats
from bilat.codes.baskets import Basket
from bilat.codes.hs import describe
from bilat.trade._common import growth_pct, ordinal, ratio
from bilat.trade._figures import direction_rows, figure, frame_provenance, partner_values
from bilat.trade._sides import Side
from bilat.trade.results import (
    BasketsResult,
    EventsResult,
    ProductsResult,
    SeriesResult,
    Standing,
    Summary,
)
from bilat.tradeview import Figure, TradeView, levels_text

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = ["baskets", "events", "products", "series", "summary"]


def _standing(
    view: TradeView,
    frame: pd.DataFrame,
    reporter: Side,
    partner: Side,
    flow: str,
    year: int,
    intra: bool,
) -> Standing:
    pool = partner_values(frame, reporter, partner, flow, year, intra=intra)
    total = float(pool.sum())
    coverage = view.rank_coverage(year, reporter.members, flow, len(pool), total)
    role = "destination of the exports" if flow == "export" else "origin of the imports"
    thin = "" if coverage.complete else "; thin coverage: only the partners the lake holds"
    if not len(pool) and not coverage.complete:
        what = "exports" if flow == "export" else "imports"
        text = (
            f"no source the lake holds covers the {what} of {reporter.name} in {year}: "
            f"no rank for {partner.name} ({partner.code})"
        )
        return Standing(
            reporter.code, partner.code, flow, None, 0, 0.0, total, None, text, coverage
        )
    if partner.code not in pool.index:
        article = "a" if flow == "export" else "an"
        text = (
            f"{partner.name} ({partner.code}) is not {article} {role} of {reporter.name} in "
            f"{year} among the {_partners(len(pool))} present{thin}"
        )
        return Standing(
            reporter.code, partner.code, flow, None, len(pool), 0.0, total, None, text, coverage
        )
    value = float(pool[partner.code])
    rank = int((pool > value).sum()) + 1
    share = ratio(value * 100.0, total)
    text = (
        f"{partner.name} ({partner.code}) is the {ordinal(rank)} {role} of {reporter.name} "
        f"in {year} (share {formats.share(share)}, {rank} of {_partners(len(pool))} "
        f"present{thin})"
    )
    return Standing(
        reporter.code, partner.code, flow, rank, len(pool), value, total, share, text, coverage
    )


def _plus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _growth(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else growth_pct(now, before)


def _bases(fig: Figure) -> str:
    return ",".join(sorted({p.klass for p in fig.parts}))


def summary(
    lake: Lake, view: TradeView, a: Side, b: Side, year: int, intra: bool = False
) -> Summary:
    """Exports, imports, turnover, balance, growth and standings of a dyad in ``year``."""
    view.require(year)
    years = [year - 1, year]
    frame = view.frame(years, members=a.members + b.members, level=0)
    figs = {
        "exports": figure(view, frame, a, b, year),
        "imports": figure(view, frame, b, a, year),
        "previous_exports": figure(view, frame, a, b, year - 1),
        "previous_imports": figure(view, frame, b, a, year - 1),
    }
    ex, im = figs["exports"].value_usd, figs["imports"].value_usd
    pex, pim = figs["previous_exports"].value_usd, figs["previous_imports"].value_usd
    standings = tuple(
        _standing(view, frame, r, p, f, year, intra)
        for r, p in ((a, b), (b, a))
        for f in ("export", "import")
    )
    used = pd.concat(
        [direction_rows(frame, a, b, None), direction_rows(frame, b, a, None)], ignore_index=True
    )
    prov = frame_provenance(lake, used, levels_text(used.src_lvl, 0) if len(used) else "no data")
    return Summary(
        a=a.code,
        b=b.code,
        year=year,
        previous_year=year - 1,
        exports_usd=ex,
        imports_usd=im,
        turnover_usd=_plus(ex, im),
        balance_usd=_minus(ex, im),
        previous_exports_usd=pex,
        previous_imports_usd=pim,
        previous_turnover_usd=_plus(pex, pim),
        exports_growth_usd=_minus(ex, pex),
        imports_growth_usd=_minus(im, pim),
        turnover_growth_usd=_minus(_plus(ex, im), _plus(pex, pim)),
        exports_growth_pct=_growth(ex, pex),
        imports_growth_pct=_growth(im, pim),
        turnover_growth_pct=_growth(_plus(ex, im), _plus(pex, pim)),
        standings=standings,
        figure_bases={k: _bases(f) for k, f in figs.items()},
        provenance=prov,
        figures=figs,
    )


_SERIES_SCHEMA = pa.schema(
    [("year", pa.int32())]
    + [(c, pa.float64()) for c in ("exports_usd", "imports_usd", "turnover_usd", "balance_usd")]
    + [("exports_basis", pa.string()), ("imports_basis", pa.string())]
    + [("exports_coverage", pa.string()), ("imports_coverage", pa.string())]
)


def series(lake: Lake, view: TradeView, a: Side, b: Side, start: int, end: int) -> SeriesResult:
    """Yearly exports, imports, turnover and balance of a dyad (years the lake holds)."""
    years = [y for y in view.years() if start <= y <= end]
    cols: dict[str, list[Any]] = {name: [] for name in _SERIES_SCHEMA.names}
    used = []
    if years:
        frame = view.frame(years, members=a.members + b.members, level=0)
        used = [direction_rows(frame, a, b, None), direction_rows(frame, b, a, None)]
        for y in years:
            fx, fm = figure(view, frame, a, b, y), figure(view, frame, b, a, y)
            ex, im = fx.value_usd, fm.value_usd
            values = (
                y,
                ex,
                im,
                _plus(ex, im),
                _minus(ex, im),
                _bases(fx),
                _bases(fm),
                fx.coverage.status,
                fm.coverage.status,
            )
            for name, v in zip(cols, values, strict=True):
                cols[name].append(v)
    rows = pd.concat(used, ignore_index=True) if used else _EMPTY
    prov = frame_provenance(lake, rows, levels_text(rows.src_lvl, 0) if len(rows) else "no data")
    table = pa.table(cols, schema=_SERIES_SCHEMA)
    return SeriesResult(a.code, b.code, start, end, table, prov)


_EMPTY = pd.DataFrame(
    {
        "year": pd.Series([], dtype="int32"),
        "exporter": pd.Series([], dtype=object),
        "importer": pd.Series([], dtype=object),
        "klass": pd.Series([], dtype=object),
        "source": pd.Series([], dtype=object),
        "entry_id": pd.Series([], dtype=object),
        "src_lvl": pd.Series([], dtype="int32"),
        "product": pd.Series([], dtype=object),
        "value_usd": pd.Series([], dtype="float64"),
    }
)


_PRODUCTS_SCHEMA = pa.schema(
    [
        ("rank", pa.int32()),
        ("product", pa.string()),
        ("description", pa.string()),
        ("value_usd", pa.float64()),
        ("share_pct", pa.float64()),
        ("previous_usd", pa.float64()),
        ("growth_pct", pa.float64()),
        ("quantity", pa.float64()),
        ("quantity_unit", pa.string()),
        ("unit_value_usd", pa.float64()),
    ]
)


def _by_year(rows: pd.DataFrame) -> pd.DataFrame:
    """Value per product (rows) and year (columns), 0 where a product is absent."""
    return rows.pivot_table(
        index="product",
        columns="year",
        values="value_usd",
        aggfunc="sum",
        fill_value=0.0,
        observed=True,
    )


def _sides(a: Side, b: Side, flow: str) -> tuple[Side, Side]:
    return (a, b) if flow == "export" else (b, a)


def products(
    lake: Lake,
    view: TradeView,
    a: Side,
    b: Side,
    *,
    year: int,
    level: int,
    top: int | None,
    flow: str,
) -> ProductsResult:
    """Top products of one direction of the dyad's trade in ``year`` at HS ``level``."""
    view.require(year)
    src, dst = _sides(a, b, flow)
    frame = view.frame(
        [year - 1, year], members=a.members + b.members, level=level, by_product=True
    )
    rows = direction_rows(frame, src, dst, None)
    now = direction_rows(frame, src, dst, year)
    fig = figure(view, frame, src, dst, year, level=level, rows=now)
    by = _by_year(rows)
    current = by[year] if year in by.columns else pd.Series(dtype="float64")
    before = by[year - 1] if year - 1 in by.columns else None
    current = current[current > 0]
    order = sorted(current.index, key=lambda p: (-float(current[p]), str(p)))
    total = fig.value_usd
    shown = order if top is None else order[:top]
    cols: dict[str, list[Any]] = {name: [] for name in _PRODUCTS_SCHEMA.names}
    previous_covered = view.coverage(year - 1, src.members, dst.members).covered
    quantities = _quantities(view, a, b, src, dst, year, level, shown)
    for i, code in enumerate(shown, start=1):
        value = float(current[code])
        prev = float(before[code]) if before is not None and code in before.index else 0.0
        prev_value = prev if previous_covered else None
        values = (
            i,
            code,
            describe(code),
            value,
            ratio(value * 100, total),
            prev_value,
            _growth(value, prev_value),
            *quantities.get(code, (None, None, None)),
        )
        for name, v in zip(cols, values, strict=True):
            cols[name].append(v)
    level_words = levels_text(now.src_lvl, level) if len(now) else "no data"
    prov = frame_provenance(lake, rows, level_words)
    table = pa.table(cols, schema=_PRODUCTS_SCHEMA)
    return ProductsResult(
        src.code, dst.code, year, level, flow, total, len(order), table, prov, fig.coverage
    )


def _quantities(
    view: TradeView,
    a: Side,
    b: Side,
    src: Side,
    dst: Side,
    year: int,
    level: int,
    codes: list[str],
) -> dict[str, tuple[float | None, str | None, float | None]]:
    """(quantity, unit, unit value) of each product shown, where its flows report one unit."""
    if not codes:
        return {}
    frame = view.frame([year], members=a.members + b.members, level=level, by_product=True,
                       quantities=True)  # fmt: skip
    rows = direction_rows(frame, src, dst, year)
    held = rows[rows["product"].isin(codes) & rows["quantity"].notna()]
    if held.empty:
        return {}
    # vectorised quantity_of: one unit per product (a quantity without a unit, or two
    # units, gives none); the unit value rests on the value that reports a quantity
    g = held.groupby("product", observed=True)
    units, unit = g["quantity_unit"].nunique(dropna=False), g["quantity_unit"].first()
    qty, value = g["quantity"].sum(), g["value_usd"].sum()
    out: dict[str, tuple[float | None, str | None, float | None]] = {}
    for code in qty.index:
        if units[code] == 1 and isinstance(unit[code], str):
            q = float(qty[code])
            out[str(code)] = (q, unit[code], ratio(float(value[code]), q))
    return out


def _basket_level(item: Basket) -> int:
    return max(len(c) for c in item.codes)


_BASKETS_SCHEMA = pa.schema(
    [
        ("basket", pa.string()),
        ("title", pa.string()),
        ("level", pa.int32()),
        ("value_from_usd", pa.float64()),
        ("value_to_usd", pa.float64()),
        ("multiplier", pa.float64()),
        ("text", pa.string()),
        ("coverage_from", pa.string()),
        ("coverage_to", pa.string()),
    ]
)


def _basket_value(
    view: TradeView,
    frames: dict[int, pd.DataFrame],
    item: Basket,
    src: Side,
    dst: Side,
    year: int,
) -> tuple[float | None, str]:
    """A basket's value in ``year`` and why it is missing (``""`` when it is not).

    ``frames``: the direction's rows at each code width (2 always), all years.
    """
    chapters = sorted({c[:2] for c in item.codes})
    cov = view.coverage(year, src.members, dst.members, chapters=chapters)
    if not cov.covered:
        return None, cov.reason
    total = 0.0
    coarse = frames[2][frames[2].year == year]
    for width in sorted({len(c) for c in item.codes}):
        rows = frames[width]
        rows = rows[rows.year == year]
        codes = [c for c in item.codes if len(c) == width]
        total += float(rows[rows["product"].isin(codes)].value_usd.sum())
        if width > 2 and len(coarse):
            held = coarse[coarse["product"].isin({c[:2] for c in codes})]
            if len(held) and int(held.src_lvl.max()) < width:
                return None, f"no HS{width} data for {year} (the lake holds these chapters coarser)"
    return total, "" if cov.full else cov.reason


def _basket_text(
    title: str, before: tuple[int, float | None, str], after: tuple[int, float | None, str]
) -> str:
    """``"Confectionery ×2.0"``, or why there is no multiplier; each side is (year, value,
    why the value is missing)."""
    (start, was, why_before), (end, now, why_after) = before, after
    mult = ratio(now, was)
    if mult is not None:
        return f"{title} {formats.multiplier(mult)}"
    if was is None:
        return f"{title}: not available for {start} ({why_before})"
    if now is None:
        return f"{title}: not available for {end} ({why_after})"
    return f"{title}: not traded in {start}"


def baskets(
    lake: Lake,
    view: TradeView,
    a: Side,
    b: Side,
    *,
    start: int,
    end: int,
    flow: str,
    items: list[Basket],
) -> BasketsResult:
    """Each basket's value in ``start`` and ``end`` and the multiplier between them."""
    src, dst = _sides(a, b, flow)
    years = [start, end]
    widths = sorted({len(c) for item in items for c in item.codes} | {2})
    frames = {
        w: direction_rows(
            view.frame(years, members=a.members + b.members, level=w, by_product=True),
            src,
            dst,
            None,
        )
        for w in widths
    }
    cols: dict[str, list[Any]] = {name: [] for name in _BASKETS_SCHEMA.names}
    for item in items:
        before, why_before = _basket_value(view, frames, item, src, dst, start)
        after, why_after = _basket_value(view, frames, item, src, dst, end)
        mult = ratio(after, before)
        text = _basket_text(item.title, (start, before, why_before), (end, after, why_after))
        cov_before = view.coverage(
            start, src.members, dst.members, chapters=[c[:2] for c in item.codes]
        )
        cov_after = view.coverage(
            end, src.members, dst.members, chapters=[c[:2] for c in item.codes]
        )
        values = (
            item.name,
            item.title,
            _basket_level(item),
            before,
            after,
            mult,
            text,
            "none" if before is None else cov_before.status,
            "none" if after is None else cov_after.status,
        )
        for name, v in zip(cols, values, strict=True):
            cols[name].append(v)
    used = frames[widths[-1]]
    level = "; ".join(sorted({f"{i.name}: HS{_basket_level(i)}" for i in items}))
    prov = frame_provenance(lake, used, level)
    table = pa.table(cols, schema=_BASKETS_SCHEMA)
    return BasketsResult(src.code, dst.code, start, end, flow, table, prov)


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
    view: TradeView,
    a: Side,
    b: Side,
    *,
    year: int,
    level: int,
    flow: str,
    min_value_usd: float,
) -> EventsResult:
    """Products that appeared, resumed or ceased in ``year`` (see :class:`EventsResult`).

    Only years a source covers count: a year no source covers is not read as "not traded".
    """
    view.require(year)
    src, dst = _sides(a, b, flow)
    years = [year - 2, year - 1, year]
    frame = view.frame(years, members=a.members + b.members, level=level, by_product=True)
    rows = direction_rows(frame, src, dst, None)
    cov = view.coverage(year, src.members, dst.members)
    covered = {y: view.coverage(y, src.members, dst.members).covered for y in years}
    by = _by_year(rows)
    cols: dict[str, list[Any]] = {name: [] for name in _EVENTS_SCHEMA.names}
    found = []
    for code in by.index:
        now, before, back = (
            float(by[y][code]) if y in by.columns else 0.0 for y in (year, year - 1, year - 2)
        )
        event = None
        if covered[year] and covered[year - 1]:
            if now > 0 and before <= 0:
                if covered[year - 2]:
                    event = "resumed" if back > 0 else "appeared"
            elif now <= 0 and before > 0:
                event = "ceased"
        if event is None:
            continue
        size = before if event == "ceased" else now
        if size < min_value_usd:
            continue
        found.append((event, -max(now, before), str(code), now, before, back))
    for event, _size, code, now, before, back in sorted(found):
        values = (code, describe(code), event, now, before, back if covered[year - 2] else None)
        for name, v in zip(cols, values, strict=True):
            cols[name].append(v)
    level_words = levels_text(rows.src_lvl, level) if len(rows) else "no data"
    prov = frame_provenance(lake, rows, level_words)
    table = pa.table(cols, schema=_EVENTS_SCHEMA)
    return EventsResult(src.code, dst.code, year, level, flow, min_value_usd, table, prov, cov)


def _partners(n: int) -> str:
    return f"{n} partner" if n == 1 else f"{n} partners"
