"""Market analysis: who supplies a market with a product, and a third-market view.

``market(lake, "FIN", product="44", year=2021, exporter="BLR")`` is Trade Map's core view:
the market's imports of a product (an HS code at any level) or a basket, by supplier, with
value, quantity and unit, unit value, share, rank, and growth over 1 and 5 years; the
named exporter is flagged even outside the top rows. ``opportunities`` lists a market's
fastest-growing imports where an exporter is absent or small. ``third_market`` puts two (or more)
exporters side by side in one market (their shares, ranks, combined position and gap to
the leader). Definitions: ``docs/indicators.md``, "Market analysis".
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from bilat.codes.baskets import basket as find_basket
from bilat.codes.countries import country_name
from bilat.codes.hs import describe, normalise
from bilat.errors import BilatError, InputError, NotFoundError
from bilat.options import Level, check_top, check_year, choice
from bilat.trade._common import growth_pct, quantity_of, ratio
from bilat.trade._figures import frame_provenance
from bilat.trade._sides import AREAS, Side, side
from bilat.trade.results import Provenance, _Result
from bilat.tradeview import RankCoverage, TradeView, levels_text

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = [
    "MarketResult",
    "Opportunities",
    "ThirdMarket",
    "market",
    "opportunities",
    "third_market",
]

_SCHEMA = pa.schema(
    [
        ("rank", pa.int32()),
        ("supplier", pa.string()),
        ("name", pa.string()),
        ("value_usd", pa.float64()),
        ("share_pct", pa.float64()),
        ("quantity", pa.float64()),
        ("quantity_unit", pa.string()),
        ("unit_value_usd", pa.float64()),
        ("quantity_note", pa.string()),
        ("growth_1y_pct", pa.float64()),
        ("growth_5y_pct", pa.float64()),
        ("highlighted", pa.bool_()),
    ]
)


@dataclass(frozen=True, slots=True)
class MarketResult(_Result):
    """A market's imports of a product (or basket) by supplier, in one year.

    ``rows``: ``rank`` (1 = largest supplier), ``supplier`` (ISO3), ``name``, ``value_usd``,
    ``share_pct`` (of ``total_usd``), ``quantity`` and ``quantity_unit`` (``None`` where no
    source reports one, or units differ: ``quantity_note`` says which), ``unit_value_usd``
    (value per unit over the flows that report a quantity), ``growth_1y_pct`` and
    ``growth_5y_pct`` (``None`` when the earlier year is not covered or was zero),
    ``highlighted`` (the named exporter, shown even beyond ``top``).
    ``exporter_world_share_pct``: the exporter's share of the world's exports of the
    product, "world" being every flow the lake believes that year.
    """

    market: str
    product: str
    year: int
    level: int
    total_usd: float
    n_suppliers: int
    exporter: str | None
    exporter_rank: int | None
    exporter_share_pct: float | None
    exporter_world_share_pct: float | None
    rows: pa.Table
    provenance: Provenance
    coverage: RankCoverage | None = None

    def title(self) -> str:
        return f"{self.market}: imports of {self.product} by supplier, {self.year}"


@dataclass(frozen=True, slots=True)
class ThirdMarket(_Result):
    """Several exporters side by side in one market's imports of a product or basket.

    ``rows``: one per exporter (``exporter``, ``name``, ``value_usd``, ``share_pct``,
    ``rank``; rank ``None`` when it supplies nothing). ``combined_rank``: the position
    their summed value would take among the other suppliers; ``gap_to_leader_pct``: the
    leading other supplier's share minus the combined share (negative: they lead).
    """

    market: str
    product: str
    year: int
    level: int
    total_usd: float
    n_suppliers: int
    combined_usd: float
    combined_share_pct: float | None
    combined_rank: int
    leader: str | None
    leader_share_pct: float | None
    gap_to_leader_pct: float | None
    rows: pa.Table
    provenance: Provenance
    coverage: RankCoverage | None = None

    def title(self) -> str:
        return f"{self.market}: {', '.join(self.rows.column('exporter').to_pylist())}"


@dataclass(frozen=True, slots=True)
class _Ask:
    """A market question, checked: the market, the HS prefixes read, their label and level."""

    market: Side
    prefixes: tuple[str, ...]
    label: str
    level: int
    year: int

    @classmethod
    def make(cls, market: str, product: str | None, basket: str | None, year: int) -> _Ask:
        who = side(market)
        if (product is None) == (basket is None):
            raise InputError(
                "give product= (an HS code) or basket= (a basket name), not both and not neither",
                details={"option": "product", "expected": "product='44' or basket='...'"},
            )
        if product is not None:
            code = normalise(product)
            if code == "TOTAL":
                raise InputError(
                    "product= must be an HS code of 2, 4 or 6 digits, not the total",
                    details={"option": "product", "value": product, "expected": "e.g. 44"},
                )
            return cls(who, (code,), code, len(code), check_year(year))
        found = find_basket(str(basket))
        lvl = max(len(c) for c in found.codes)
        return cls(who, found.codes, found.name, lvl, check_year(year))


def _require(tv: TradeView, year: int) -> None:
    """The year must be held: asking for another is bad input (exit 2), said plainly."""
    try:
        tv.require(year)
    except NotFoundError as exc:
        details = {**exc.details, "option": "year", "expected": "a year the lake holds"}
        raise InputError(str(exc), details=details) from exc


def _name(code: str) -> str:
    try:
        return country_name(code)
    except BilatError:
        return code


def _imports(tv: TradeView, q: _Ask, years: Sequence[int]) -> pd.DataFrame:
    """The market's imports under the asked prefixes, from countries, in ``years``."""
    chapters = None if q.prefixes == ("",) else [p[:2] for p in q.prefixes]
    f = tv.imports_frame(years, importers=q.market.members, chapters=chapters, level=q.level)
    keep = f.importer.isin(q.market.members) & ~f.exporter.isin(q.market.members)
    keep &= ~f.exporter.isin(AREAS)
    keep &= f["product"].astype(str).str.startswith(q.prefixes)
    out = f[keep].copy()
    out["exporter"] = out.exporter.astype(str)
    return out


def _by_supplier(f: pd.DataFrame, year: int) -> pd.Series:
    """Positive values by supplier in ``year``, largest first."""
    now = f[f.year == year].groupby("exporter").value_usd.sum()
    return now[now > 0].sort_values(ascending=False, kind="stable")


def _ranking(tv: TradeView, q: _Ask, now: pd.Series) -> RankCoverage:
    """Whether the ranking of the market's suppliers rests on its whole imports."""
    chapters = sorted({p[:2] for p in q.prefixes})
    total = float(now.sum())
    return tv.rank_coverage(q.year, q.market.members, "import", len(now), total, chapters=chapters)


def _growth(tv: TradeView, q: _Ask, past: pd.Series, code: str, now: float, y0: int) -> Any:
    """Growth since ``y0``: ``None`` when no source covers the flow that year."""
    if y0 not in tv.years():
        return None
    cov = tv.coverage(y0, [code], q.market.members, chapters=[p[:2] for p in q.prefixes])
    if not cov.covered:
        return None
    return growth_pct(now, float(past.get(code, 0.0)))


def _table(
    tv: TradeView, q: _Ask, f: pd.DataFrame, top: int | None, exporter: str | None
) -> tuple[pa.Table, pd.Series]:
    now_rows = f[f.year == q.year]
    now = _by_supplier(f, q.year)
    by_year = {k: f[f.year == q.year - k].groupby("exporter").value_usd.sum() for k in (1, 5)}
    total = float(now.sum())
    cols: dict[str, list[Any]] = {name: [] for name in _SCHEMA.names}
    for i, (code, value) in enumerate(now.items()):
        if top is not None and i >= top and code != exporter:
            continue
        qty, unit, uv, note = quantity_of(now_rows[now_rows.exporter == code])
        g1, g5 = (_growth(tv, q, by_year[k], str(code), float(value), q.year - k) for k in (1, 5))
        values = (
            int((now > value).sum()) + 1, str(code), _name(str(code)), float(value),
            ratio(float(value) * 100, total), qty, unit, uv, note, g1, g5, code == exporter,
        )  # fmt: skip
        for name, v in zip(cols, values, strict=True):
            cols[name].append(v)
    return pa.table(cols, schema=_SCHEMA), now


#: Per lake: (lake version, precedence, year, level, prefixes) → exports by exporter.
_WORLD: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], pd.Series]] = (
    weakref.WeakKeyDictionary()
)


def _world_products(tv: TradeView, year: int, level: int) -> pd.DataFrame:
    """Every believed export of the year at ``level``, by exporter and product (countries
    only), read once per lake version (:meth:`TradeView.fetch`): every market question of
    that year and level (any product, any market) is answered from it."""
    rows = tv.at_level(tv.rows([year]), level, [year])
    rows = rows.filter(
        ~rows.exporter.isin(AREAS) & ~rows.importer.isin(AREAS) & (rows.exporter != rows.importer)
    )
    got: pd.DataFrame = tv.fetch(
        rows.group_by(["exporter", "product"]).aggregate(v=rows.value_usd.sum()), copy=False
    )
    return got


def _world_exports(tv: TradeView, q: _Ask) -> pd.Series:
    """Every believed export of the product in the year, by exporter (countries only),
    kept per lake and version (a market question asks it for any market)."""
    key = (str(tv.lake.version), tv.precedence.key(), q.year, q.level, q.prefixes)
    try:
        cache = _WORLD.setdefault(tv.lake, {})
    except TypeError:  # a lake that cannot be weakly referenced: not kept
        cache = {}
    if key not in cache:
        got = _world_products(tv, q.year, q.level)
        mine = got[got["product"].astype(str).str.startswith(q.prefixes)]
        while len(cache) >= 64:
            cache.pop(next(iter(cache)))
        cache[key] = mine.groupby("exporter", sort=False).v.sum()
    return cache[key]


def _world_share(tv: TradeView, q: _Ask, exporter: str) -> float | None:
    """The exporter's share of every believed export of the product in the year."""
    world = _world_exports(tv, q)
    total = float(world.sum())
    if not total > 0:
        return None
    return float(world.get(exporter, 0.0)) * 100.0 / total


def _provenance(lake: Lake, f: pd.DataFrame, level: int) -> Provenance:
    words = levels_text(f.src_lvl, level) if len(f) else "no data"
    return frame_provenance(lake, f, words)


def market(
    lake: Lake,
    market: str,
    *,
    year: int,
    product: str | None = None,
    basket: str | None = None,
    exporter: str | None = None,
    top: int | None = 20,
    view: TradeView | None = None,
) -> MarketResult:
    """``market``'s imports of ``product`` (an HS code) or ``basket`` by supplier in ``year``.

    ``exporter`` (ISO3) is flagged (``highlighted``) and shown even beyond ``top``; its
    share of the world's exports of the product is given. Ranks and shares are over all
    suppliers (countries; World and areas left out). Growth compares with 1 and 5 years
    earlier, ``None`` where no source covers that year.

    >>> market(lake, "FIN", product="44", year=2021, exporter="BLR")  # doctest: +SKIP
    """
    q = _Ask.make(market, product, basket, year)
    who = side(exporter).code if exporter is not None else None
    limit = check_top(top)
    tv = view if view is not None else TradeView(lake)
    _require(tv, q.year)
    f = _imports(tv, q, [q.year - 5, q.year - 1, q.year])
    table, now = _table(tv, q, f, limit, who)
    total = float(now.sum())
    cov = _ranking(tv, q, now)
    rank = int((now > now[who]).sum()) + 1 if who is not None and who in now.index else None
    share = ratio(float(now[who]) * 100, total) if rank is not None and who is not None else None
    if who is not None and rank is None:
        share = 0.0 if total > 0 else None
    world = _world_share(tv, q, who) if who is not None else None
    prov = _provenance(lake, f[f.year == q.year], q.level)
    return MarketResult(
        q.market.code, q.label, q.year, q.level, total, len(now), who, rank, share, world,
        table, prov, cov,
    )  # fmt: skip


_THIRD = pa.schema(
    [
        ("exporter", pa.string()),
        ("name", pa.string()),
        ("value_usd", pa.float64()),
        ("share_pct", pa.float64()),
        ("rank", pa.int32()),
    ]
)


def third_market(
    lake: Lake,
    market: str,
    *,
    exporters: Sequence[str],
    year: int,
    product: str | None = None,
    basket: str | None = None,
    view: TradeView | None = None,
) -> ThirdMarket:
    """Several ``exporters`` in ``market``'s imports of a product or basket in ``year``.

    Each exporter's value, share and rank; their combined share, the rank the combined
    value would take among the other suppliers, and the gap to the leading other supplier.

    >>> third_market(lake, "CHN", exporters=["BLR", "KAZ"], basket="food", year=2021)  # doctest: +SKIP
    """
    q = _Ask.make(market, product, basket, year)
    who = list(dict.fromkeys(side(e).code for e in exporters))
    if len(who) < 2:
        raise InputError(
            "give at least two exporters in exporters= (e.g. ['BLR', 'KAZ'])",
            details={"option": "exporters", "value": ",".join(who), "expected": "e.g. BLR,KAZ"},
        )
    tv = view if view is not None else TradeView(lake)
    _require(tv, q.year)
    f = _imports(tv, q, [q.year])
    now = _by_supplier(f, q.year)
    if now.empty:  # no covered supplier: shares and ranks are not known, not 0
        raise NotFoundError(
            f"no source the lake holds covers {q.market.code}'s imports of {q.label} in "
            f"{q.year}; ingest its import declarations or a reconciled source (BACI)",
            details={"market": q.market.code, "product": q.label, "year": q.year},
        )
    total = float(now.sum())
    cols: dict[str, list[Any]] = {name: [] for name in _THIRD.names}
    for code in who:
        value = float(now.get(code, 0.0))
        rank = int((now > value).sum()) + 1 if value > 0 else None
        for name, v in zip(
            cols, (code, _name(code), value, ratio(value * 100, total), rank), strict=True
        ):
            cols[name].append(v)
    combined = float(now[now.index.isin(who)].sum())
    others = now[~now.index.isin(who)]
    leader = str(others.index[0]) if len(others) else None
    lead = ratio(float(others.iloc[0]) * 100, total) if len(others) else None
    mine = ratio(combined * 100, total)
    gap = lead - mine if lead is not None and mine is not None else None
    cov = _ranking(tv, q, now)
    return ThirdMarket(
        q.market.code, q.label, q.year, q.level, total, len(now), combined, mine,
        int((others > combined).sum()) + 1, leader, lead, gap, pa.table(cols, schema=_THIRD),
        _provenance(lake, f, q.level), cov,
    )  # fmt: skip


_OPPS = pa.schema(
    [
        ("rank", pa.int32()),
        ("product", pa.string()),
        ("description", pa.string()),
        ("value_usd", pa.float64()),
        ("earlier_usd", pa.float64()),
        ("growth_pct", pa.float64()),
        ("exporter_usd", pa.float64()),
        ("exporter_share_pct", pa.float64()),
    ]
)


@dataclass(frozen=True, slots=True)
class Opportunities(_Result):
    """A market's fastest-growing imports where an exporter is absent or small.

    ``rows``: products (HS ``level``) whose imports grew from ``year - span`` to ``year``,
    the exporter's share of them below ``max_share_pct``, fastest growth first (``rank``);
    ``earlier_usd`` the imports ``span`` years before; ``exporter_share_pct`` its share of
    the market's imports of the product. Products whose earlier year is not covered, or was
    zero, have no growth and are not ranked (``n_not_comparable`` counts them).
    """

    market: str
    exporter: str
    year: int
    span: int
    level: int
    max_share_pct: float
    min_value_usd: float
    n_products: int
    n_not_comparable: int
    rows: pa.Table
    provenance: Provenance

    def title(self) -> str:
        return (
            f"{self.market}: fastest-growing imports, {self.exporter} below {self.max_share_pct} %"
        )


def _comparable(tv: TradeView, market: Side, year: int, chapter: str) -> bool:
    """Whether the market's imports of ``chapter`` are covered in ``year`` (complete source
    or the market's own declaration of that chapter)."""
    if year not in tv.years():
        return False
    return tv.rank_coverage(year, market.members, "import", 0, chapters=[chapter]).complete


def _opportunity_rows(
    tv: TradeView, who: Side, f: pd.DataFrame, exporter: str, year: int, span: int
) -> tuple[pd.DataFrame, int]:
    now = f[f.year == year].groupby("product").value_usd.sum()
    before = f[f.year == year - span].groupby("product").value_usd.sum()
    own = f[(f.year == year) & (f.exporter == exporter)].groupby("product").value_usd.sum()
    t = pd.DataFrame({"value_usd": now}).join(before.rename("earlier_usd")).fillna(0.0)
    t = t[t.value_usd > 0]
    t["exporter_usd"] = own.reindex(t.index).fillna(0.0)
    t["exporter_share_pct"] = t.exporter_usd / t.value_usd * 100.0
    ok = {c: _comparable(tv, who, year - span, c) for c in {str(p)[:2] for p in t.index}}
    good = [ok[str(p)[:2]] and e > 0 for p, e in zip(t.index, t.earlier_usd, strict=True)]
    t["growth_pct"] = [
        growth_pct(v, e) if g else None
        for v, e, g in zip(t.value_usd, t.earlier_usd, good, strict=True)
    ]
    return t, int(len(t) - sum(good))


def opportunities(
    lake: Lake,
    market: str,
    *,
    exporter: str,
    year: int,
    level: int = 4,
    span: int = 5,
    max_share_pct: float = 5.0,
    min_value_usd: float = 0.0,
    top: int | None = 20,
    view: TradeView | None = None,
) -> Opportunities:
    """``market``'s fastest-growing import products (HS ``level``) over ``span`` years where
    ``exporter``'s share is below ``max_share_pct`` (absent counts as 0 %), imports of at
    least ``min_value_usd`` in ``year``.

    >>> opportunities(lake, "FIN", exporter="BLR", year=2022, span=1)  # doctest: +SKIP
    """
    who, own = side(market), side(exporter).code
    lvl = choice(Level, level, "level")
    if not 1 <= int(span) <= 20:
        raise InputError(
            "span= must be between 1 and 20 years",
            details={"option": "span", "value": span, "expected": "1..20"},
        )
    if not 0 < float(max_share_pct) <= 100 or float(min_value_usd) < 0:
        raise InputError(
            "max_share_pct= must be a share in (0, 100] and min_value_usd= at least 0, got "
            f"{max_share_pct} and {min_value_usd}",
            details={"option": "max_share_pct", "value": max_share_pct, "expected": "(0, 100]"},
        )
    tv = view if view is not None else TradeView(lake)
    _require(tv, check_year(year))
    if int(year) - int(span) not in tv.years():
        held = tv.years()
        raise InputError(
            f"growth over {span} years (span=) needs {int(year) - int(span)}, which the lake does "
            f"not hold (it holds {held[0]}–{held[-1]}); choose a span of at most "
            f"{int(year) - held[0]} years",
            details={"option": "span", "value": span, "held": held},
        )
    q = _Ask(who, ("",), "all", lvl, int(year))
    f = _imports(tv, q, [q.year - int(span), q.year])
    t, n_bad = _opportunity_rows(tv, who, f, own, q.year, int(span))
    t = t[(t.exporter_share_pct < max_share_pct) & (t.value_usd >= min_value_usd)]
    ranked = t[t.growth_pct.notna()].sort_values(["growth_pct"], ascending=False, kind="stable")
    limit = check_top(top)
    shown = ranked if limit is None else ranked.head(limit)
    cols = {
        "rank": list(range(1, len(shown) + 1)),
        "product": [str(p) for p in shown.index],
        "description": [describe(str(p)) for p in shown.index],
        **{c: [float(v) for v in shown[c]] for c in _OPPS.names[3:]},
    }
    return Opportunities(
        who.code, own, q.year, int(span), lvl, float(max_share_pct), float(min_value_usd),
        len(ranked), n_bad, pa.table(cols, schema=_OPPS),
        _provenance(lake, f[f.year == q.year], lvl),
    )  # fmt: skip
