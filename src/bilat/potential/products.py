"""Product-level export potential: supply × demand × ease of trade.

For exporter ``i``, market ``j`` and product ``k`` in one year, at one HS level::

    s_ik  = X_ik / W_k                     i's share of world exports of k
    M_jk                                   j's imports of k (optionally projected)
    b_ij  = Σ_k x_ijk / Σ_k s_ik · M_jk    bilateral ease of trade (base-year demand)
    v_ijk = s_ik · M_jk · b_ij             potential
    u_ijk = max(v_ijk − x_ijk, 0)          unrealised potential

Without a projection, ``Σ_k v_ijk = Σ_k x_ijk`` by construction of ``b_ij``: the method
redistributes what ``i`` already sells to ``j`` across products in proportion to ``i``'s
world supply and ``j``'s demand, and points at the products where actual sales fall short.
The lineage (ITC's Export Potential Indicator, Decreux & Spies 2016) and the limits are in
``docs/potential.md``.

From a lake, the flows are the ones the trade view believes at the level asked (one source
per flow and product, codes summed up to the level without double counting: see
:func:`bilat.potential.panel.believed_flows`), so a lake of Comtrade declarations only works;
the world totals are then the world as the lake holds it. Everything up to the final table is
one Ibis expression over those flows, so it runs on DuckDB (the default) and on any other Ibis backend. Products with no world exports or no
demand in the market get no potential; nothing is divided by zero. UN Comtrade's areas
(``W00`` world, ``EUR``, ``_X`` and the other "not elsewhere specified" codes of
:data:`bilat.codes.countries.COMTRADE_AREAS`) are neither exporters, markets nor part of
world totals: ``W00`` and ``EUR`` would double-count.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import ibis
import pandas as pd

from bilat.codes.baskets import load_baskets
from bilat.codes.countries import to_iso3
from bilat.codes.hs import describe
from bilat.document import to_document
from bilat.errors import InputError, NotFoundError
from bilat.options import check_top, check_year
from bilat.potential.panel import (
    believed_flows,
    check_basis,
    drop_areas,
    flows_table,
    one_origin,
    reads_a_lake,
    view_for,
)
from bilat.potential.sections import section, section_title

if TYPE_CHECKING:
    import altair as alt
    import ibis.expr.types as ir

__all__ = [
    "ExportPotential",
    "ProductPotential",
    "country_code",
    "export_potential",
    "market_potential",
    "potential_expr",
]

_VALUES = ("actual_usd", "potential_usd", "unrealised_usd")
_CODE = re.compile(r"[A-Z_][A-Z0-9_]{2}")


@dataclass(frozen=True, slots=True)
class _Query:
    exporter: str
    market: str | None
    year: int
    level: int
    growth: float | Mapping[str, float] | None
    horizon: int
    shown: int = 20
    synthetic: bool = False


def country_code(value: str) -> str:
    """A country as the data writes it: a 3-character code passes as it is (upper-cased;
    Comtrade areas such as ``W00`` included); a name is converted with
    :func:`bilat.codes.to_iso3`."""
    text = value.strip().upper()
    if _CODE.fullmatch(text):
        return text
    return to_iso3(value)


def _validate(
    exporter: str,
    market: str | None,
    *,
    year: int,
    level: int,
    demand_growth: float | Mapping[str, float] | None,
    horizon: int,
) -> _Query:
    if level not in (2, 4, 6):
        raise InputError(f"level must be 2, 4 or 6, got {level!r}", details={"value": level})
    if horizon < 0:
        raise InputError(f"horizon must be >= 0 years, got {horizon}", details={"value": horizon})
    rates = (
        demand_growth.values()
        if isinstance(demand_growth, Mapping)
        else [demand_growth]
        if demand_growth is not None
        else []
    )
    for r in rates:
        if not math.isfinite(r) or r <= -1:
            raise InputError(
                f"demand growth rate {r!r} must be a finite annual rate above -1 (0.05 = 5%)",
                details={"value": r},
            )
    if isinstance(demand_growth, Mapping):
        bad = [k for k in demand_growth if len(k) != level or not k.isdigit()]
        if bad:
            raise InputError(
                f"growth rates must be given for {level}-digit products; got {', '.join(bad[:5])}",
                details={"value": bad[:5]},
            )
    exp = country_code(exporter)
    mkt = country_code(market) if market is not None else None
    if mkt == exp:
        raise InputError(f"exporter and market are both {exp}; choose two different countries")
    return _Query(exp, mkt, check_year(year), level, demand_growth, int(horizon))


def _growth_factor(demand: ir.Table, q: _Query) -> ir.Table:
    if q.growth is None or q.horizon == 0:
        return demand.mutate(factor=ibis.literal(1.0))
    if not isinstance(q.growth, Mapping):
        return demand.mutate(factor=ibis.literal((1.0 + q.growth) ** q.horizon))
    rates = ibis.memtable(
        {
            "g_product": list(q.growth),
            "g_factor": [(1.0 + r) ** q.horizon for r in q.growth.values()],
        }
    )
    joined = demand.left_join(rates, demand.product == rates.g_product)
    return joined.select(
        *[joined[c] for c in demand.columns], factor=joined.g_factor.fill_null(1.0)
    )


def _cells(base: ir.Table, q: _Query) -> ir.Table:
    """``market, product, demand, sold, world, exports`` for products the exporter sells.

    Two aggregations of the flows: world and exporter totals by product (few groups), and
    demand and sales by market and product. ``sum(where=...)`` is NULL when no row matches,
    which tells "not traded" from "traded at zero". (Measured on DuckDB: this shape is
    several times faster than window totals by product or a table referenced twice.)
    """
    own = base.exporter == q.exporter
    totals = base.group_by(t_product=base.product).aggregate(
        world=base.value.sum(), exports=base.value.sum(where=own)
    )
    totals = totals.filter(totals.exports.notnull())
    markets = base.filter(base.importer != q.exporter)
    if q.market is not None:
        markets = markets.filter(markets.importer == q.market)
    agg = markets.group_by(market=markets.importer, product=markets.product).aggregate(
        demand=markets.value.sum(), sold=markets.value.sum(where=markets.exporter == q.exporter)
    )
    joined = agg.join(totals, agg.product == totals.t_product)
    return joined.select("market", "product", "demand", "sold", "world", "exports")


def potential_expr(flows: ir.Table, q: _Query) -> ir.Table:
    """The export-potential table as an Ibis expression (one row per market and product).

    Columns: ``market, product, supply_share, actual_usd, ease, market_demand_usd,
    potential_usd, unrealised_usd``.
    """
    base = flows.filter(
        (flows.year == q.year)
        & (flows.product.length() == q.level)
        & (flows.exporter != flows.importer)
    ).select("exporter", "importer", "product", value=flows.value_usd.cast("float64"))
    cells = _cells(base, q)
    cells = cells.mutate(
        supply_share=ibis.ifelse(cells.world > 0, cells.exports / cells.world, 0.0)
    )
    cells = _growth_factor(cells, q)
    cells = cells.select(
        "market",
        "product",
        "supply_share",
        "factor",
        base_demand=cells.demand,
        actual_usd=cells.sold.fill_null(0.0),
        expected=cells.supply_share * cells.demand,
    )
    by_market = ibis.window(group_by=cells.market)
    e_actual = cells.actual_usd.sum().over(by_market)
    e_expected = cells.expected.sum().over(by_market)
    out = cells.mutate(
        ease=ibis.ifelse(e_expected > 0, e_actual / e_expected, ibis.null("float64"))
    )
    out = out.select(
        "market",
        "product",
        "supply_share",
        "actual_usd",
        "ease",
        market_demand_usd=out.base_demand * out.factor,
        potential_usd=out.expected * out.factor * out.ease.fill_null(0.0),
    )
    return out.mutate(
        unrealised_usd=ibis.greatest(out.potential_usd - out.actual_usd, ibis.literal(0.0))
    )


def _annotate(table: pd.DataFrame) -> pd.DataFrame:
    codes = table["product"].astype(str)
    table = table.assign(
        description=codes.map(describe),
        chapter=codes.str[:2],
        section=codes.map(section),
    )
    front = ["market", "product", "description", "chapter", "section", "supply_share"]
    rest = ["market_demand_usd", "actual_usd", "potential_usd", "unrealised_usd", "ease"]
    return table[front + rest].sort_values(
        ["unrealised_usd", "potential_usd", "product"],
        ascending=[False, False, True],
        ignore_index=True,
    )


@dataclass(frozen=True)
class ProductPotential:
    """Export potential of one exporter in one market, by product.

    Attributes
    ----------
    exporter, market
        ISO3 codes.
    year, level
        Base year and HS level (2, 4, 6) of the products.
    ease
        ``b_ij``: actual sales over sales expected from supply shares and market demand
        (``None`` when the market has no demand for anything the exporter sells).
    actual_usd, potential_usd, unrealised_usd
        Sums over products, US dollars.
    demand_growth, horizon
        The demand projection used (annual rate, or rates by product; years ahead).
    shown
        How many products (and chapters) the document lists (``to_dict``).
    synthetic
        True when the flows come from a lake of generated sample data.
    table
        One row per product the exporter sells anywhere and the market imports, sorted by
        unrealised potential: ``product, description, chapter, section, supply_share,
        market_demand_usd, actual_usd, potential_usd, unrealised_usd`` (pandas).
    """

    exporter: str
    market: str
    year: int
    level: int
    ease: float | None
    actual_usd: float
    potential_usd: float
    unrealised_usd: float
    demand_growth: float | dict[str, float] | None
    horizon: int
    table: pd.DataFrame = field(repr=False, compare=False)
    shown: int = 20
    synthetic: bool = False

    # What to_dict lists instead of the table (the response model reads these).
    _document_omit_: ClassVar[tuple[str, ...]] = ("table", "shown")
    _document_extra_: ClassVar[dict[str, Any]] = {
        "n_products": int,
        "top_products": list[dict[str, Any]],
        "sections": list[dict[str, Any]],
        "chapters": list[dict[str, Any]],
        "baskets": list[dict[str, Any]],
    }

    @classmethod
    def _from_table(cls, q: _Query, market: str, table: pd.DataFrame) -> ProductPotential:
        ease = table["ease"].dropna()
        growth = dict(q.growth) if isinstance(q.growth, Mapping) else q.growth
        return cls(
            exporter=q.exporter,
            market=market,
            year=q.year,
            level=q.level,
            ease=float(ease.iloc[0]) if len(ease) else None,
            actual_usd=float(table["actual_usd"].sum()),
            potential_usd=float(table["potential_usd"].sum()),
            unrealised_usd=float(table["unrealised_usd"].sum()),
            demand_growth=growth,
            horizon=q.horizon,
            table=table.drop(columns=["market", "ease"]).reset_index(drop=True),
            shown=q.shown,
            synthetic=q.synthetic,
        )

    def top(self, n: int = 20) -> pd.DataFrame:
        """The ``n`` products with the largest unrealised potential (those with any)."""
        t = self.table
        return t[t["unrealised_usd"] > 0].head(n).reset_index(drop=True)

    def by_section(self) -> pd.DataFrame:
        """Sums by HS section: ``section, title, actual_usd, potential_usd, unrealised_usd``."""
        g = self.table.groupby("section", dropna=False)[list(_VALUES)].sum().reset_index()
        g["title"] = g["section"].map(
            lambda s: section_title(s) if isinstance(s, str) else "(code not in HS 2022)"
        )
        g = g.sort_values("unrealised_usd", ascending=False, kind="stable", ignore_index=True)
        return g[["section", "title", *_VALUES]]

    def by_chapter(self) -> pd.DataFrame:
        """Sums by HS chapter: ``chapter, description, actual_usd, potential_usd,
        unrealised_usd``, largest unrealised first."""
        g = self.table.groupby("chapter")[list(_VALUES)].sum().reset_index()
        g.insert(1, "description", g["chapter"].map(describe))
        return g.sort_values("unrealised_usd", ascending=False, ignore_index=True)

    def by_basket(self) -> pd.DataFrame:
        """Sums by basket ("promising areas of cooperation"): ``basket, title,
        n_products, actual_usd, potential_usd, unrealised_usd``. A product counts in every
        basket it matches; baskets with no product at this level are left out."""
        rows = []
        for b in load_baskets().values():
            mask = self.table["product"].map(b.matches)
            if not mask.any():
                continue
            sums = self.table.loc[mask, list(_VALUES)].sum()
            rows.append({"basket": b.name, "title": b.title, "n_products": int(mask.sum()), **sums})
        cols = ["basket", "title", "n_products", *_VALUES]
        out = pd.DataFrame(rows, columns=cols)
        return out.sort_values("unrealised_usd", ascending=False, ignore_index=True)

    def to_pandas(self) -> pd.DataFrame:
        """The product table (see ``table``)."""
        return self.table.copy()

    def to_dict(self, *, top: int | None = None) -> dict[str, Any]:
        """Plain data: totals, the ``top`` products (default ``shown``), sections, chapters
        and baskets."""
        top = self.shown if top is None else top
        return {
            "exporter": self.exporter,
            "market": self.market,
            "year": self.year,
            "level": self.level,
            "ease": self.ease,
            "actual_usd": self.actual_usd,
            "potential_usd": self.potential_usd,
            "unrealised_usd": self.unrealised_usd,
            "demand_growth": self.demand_growth,
            "horizon": self.horizon,
            "synthetic": self.synthetic,
            "n_products": len(self.table),
            "top_products": _records(self.top(top)),
            "sections": _records(self.by_section()),
            "chapters": _records(self.by_chapter().head(top)),
            "baskets": _records(self.by_basket()),
        }

    def chart(self, *, top: int = 20) -> alt.Chart:
        """Top products by unrealised potential, with actual sales (Altair bar chart)."""
        import altair as alt

        data = self.top(top)
        data = data.assign(
            label=data["product"] + " " + data["description"].fillna("").str.slice(0, 40)
        )
        long = data.melt(
            id_vars=["label"], value_vars=["actual_usd", "unrealised_usd"], var_name="part"
        )
        long["part"] = long["part"].map({"actual_usd": "actual", "unrealised_usd": "unrealised"})
        chart: alt.Chart = (
            alt.Chart(
                long, title=f"{self.exporter} → {self.market} {self.year}: unrealised potential"
            )
            .mark_bar()
            .encode(
                y=alt.Y("label:N", sort=list(data["label"]), title=None),
                x=alt.X("value:Q", stack="zero", title="US dollars"),
                color=alt.Color("part:N", title=None),
            )
        )
        return chart

    def areas_chart(self) -> alt.Chart:
        """Unrealised potential by HS section (Altair bar chart)."""
        import altair as alt

        data = self.by_section()
        data = data[data["unrealised_usd"] > 0].assign(
            label=lambda d: d["section"].fillna("?") + " " + d["title"].str.slice(0, 40)
        )
        chart: alt.Chart = (
            alt.Chart(
                data, title=f"{self.exporter} → {self.market}: unrealised potential by section"
            )
            .mark_bar()
            .encode(
                y=alt.Y("label:N", sort="-x", title=None),
                x=alt.X("unrealised_usd:Q", title="US dollars"),
            )
        )
        return chart


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = to_document(frame)
    return rows


@dataclass(frozen=True)
class ExportPotential:
    """Export potential of one exporter in every market.

    Attributes
    ----------
    exporter, year, level
        As in :class:`ProductPotential`.
    markets
        One row per market: ``market, ease, actual_usd, potential_usd, unrealised_usd,
        n_products``, largest unrealised potential first (pandas).
    products
        One row per market and product, columns as :attr:`ProductPotential.table` plus
        ``market`` and ``ease`` (pandas).
    shown
        How many markets the document lists (``to_dict``).
    synthetic
        True when the flows come from a lake of generated sample data.
    """

    exporter: str
    year: int
    level: int
    markets: pd.DataFrame = field(repr=False, compare=False)
    products: pd.DataFrame = field(repr=False, compare=False)
    _query: _Query = field(repr=False, compare=False)
    shown: int = 20
    synthetic: bool = False

    _document_omit_: ClassVar[tuple[str, ...]] = ("products", "_query", "shown")
    _document_extra_: ClassVar[dict[str, Any]] = {"n_markets": int}

    def market(self, market: str) -> ProductPotential:
        """The :class:`ProductPotential` for one market."""
        code = country_code(market)
        rows = self.products[self.products["market"] == code]
        if rows.empty:
            raise NotFoundError(
                f"no potential for {self.exporter} in {code} in {self.year}: the market "
                "imports nothing the exporter sells at this level",
                details={"market": code},
            )
        return ProductPotential._from_table(self._query, code, _annotate(rows))

    def to_pandas(self) -> pd.DataFrame:
        """The market table (see ``markets``)."""
        return self.markets.copy()

    def to_dict(self, *, top: int | None = None) -> dict[str, Any]:
        """Plain data: the ``top`` markets (default ``shown``) by unrealised potential."""
        top = self.shown if top is None else top
        return {
            "exporter": self.exporter,
            "year": self.year,
            "level": self.level,
            "synthetic": self.synthetic,
            "n_markets": len(self.markets),
            "markets": _records(self.markets.head(top)),
        }

    def chart(self, *, top: int = 20) -> alt.Chart:
        """Markets with the largest unrealised potential (Altair bar chart)."""
        import altair as alt

        chart: alt.Chart = (
            alt.Chart(
                self.markets.head(top),
                title=f"{self.exporter} {self.year}: unrealised potential by market",
            )
            .mark_bar()
            .encode(
                y=alt.Y("market:N", sort="-x", title=None),
                x=alt.X("unrealised_usd:Q", title="US dollars"),
            )
        )
        return chart


def _require_demand(table: ir.Table, q: _Query) -> None:
    """``NotFoundError`` when no source the lake holds covers the market's imports: its
    demand is then unknown, not 0 (a complete source such as BACI lists every import)."""
    if int(table.filter(table.importer == q.market).count().execute()):
        return
    raise NotFoundError(
        f"no source the lake holds covers the imports of {q.market} in {q.year}, so its "
        "demand is not known (not 0) and there is no potential to measure; ingest its "
        "import declarations or a reconciled source (BACI) for that year",
        details={"market": q.market, "year": q.year},
    )


def _run(flows: Any, q: _Query, origin: Mapping[str, Any]) -> pd.DataFrame:
    """The potential table of ``q``: from a lake through the trade view, or a raw table."""
    raw: ir.Table | None = None
    if reads_a_lake(flows):
        view = view_for(flows, **origin)
        table = believed_flows(view, level=q.level, years=[q.year])
        if q.market is not None and not view.complete_year(q.year):
            _require_demand(drop_areas(table), q)
    else:
        raw = flows_table(flows)
        raw = raw.filter(raw.year == q.year)
        table = one_origin(raw, **{k: v for k, v in origin.items() if k != "order"})
    scoped = drop_areas(table)
    frame: pd.DataFrame = potential_expr(scoped, q).to_pandas()
    if frame.empty:
        if raw is not None and not int(raw.count().execute()):
            raise NotFoundError(
                f"no flows for {q.year}; ingest that year into the lake first",
                details={"year": q.year},
            )
        sold = scoped.filter((scoped.exporter == q.exporter) & (scoped.product.length() == q.level))
        if not int(sold.count().execute()):
            raise NotFoundError(
                f"{q.exporter} has no exports at level {q.level} in {q.year}; check the "
                "country code and the level (a lake of import declarations holds the "
                "exports of the reporters' partners only)",
                details={"exporter": q.exporter, "year": q.year, "level": q.level},
            )
    return frame


def market_potential(
    flows: ir.Table | Any,
    exporter: str,
    market: str,
    *,
    year: int,
    level: int = 6,
    demand_growth: float | Mapping[str, float] | None = None,
    horizon: int = 0,
    source: str | None = None,
    basis: str | None = None,
    hs_rev: str | None = None,
    order: str | Sequence[str] | None = None,
    top: int = 20,
) -> ProductPotential:
    """Export potential of ``exporter`` in ``market``, by product.

    Parameters
    ----------
    flows
        The lake's flows table (Ibis) or a ``Lake``.
    exporter, market
        Countries (ISO3, or anything :func:`bilat.codes.to_iso3` reads).
    year
        Base year.
    level
        HS level of the products (2, 4 or 6); only codes of that length are used.
    demand_growth, horizon
        Project market demand ``horizon`` years ahead at an annual rate (one rate, or a
        rate per product code of ``level`` digits; others stay flat). Ease of trade is
        measured on base-year demand.
    source, basis, hs_rev, order
        From a lake (or a :class:`bilat.tradeview.TradeView`), flows are the ones the lake
        believes (source precedence per flow, :func:`bilat.potential.panel.believed_flows`):
        ``source`` and ``hs_rev`` read one source or revision only, ``basis`` pins one source
        class, ``order`` changes the precedence. From a raw Ibis table, they choose among
        several origins (see :func:`bilat.potential.panel.one_origin`).
    top
        How many products (and chapters) the result's document lists.

    Examples
    --------
    >>> pp = market_potential(lake, "BLR", "KAZ", year=2021)      # doctest: +SKIP
    >>> pp.top(20)                                                # doctest: +SKIP
    """
    q = _validate(
        exporter, market, year=year, level=level, demand_growth=demand_growth, horizon=horizon
    )
    check_basis(basis)
    q = dataclasses.replace(q, shown=check_top(top) or 20, synthetic=_synthetic(flows))
    frame = _run(flows, q, {"source": source, "basis": basis, "hs_rev": hs_rev, "order": order})
    return ProductPotential._from_table(q, q.market or "", _annotate(frame))


def export_potential(
    flows: ir.Table | Any,
    exporter: str,
    *,
    year: int,
    level: int = 6,
    demand_growth: float | Mapping[str, float] | None = None,
    horizon: int = 0,
    source: str | None = None,
    basis: str | None = None,
    hs_rev: str | None = None,
    order: str | Sequence[str] | None = None,
    top: int = 20,
) -> ExportPotential:
    """Export potential of ``exporter`` in every market it could sell to.

    Same parameters as :func:`market_potential`, without ``market``; ``top`` is how many
    markets the result's document lists.
    """
    q = _validate(
        exporter, None, year=year, level=level, demand_growth=demand_growth, horizon=horizon
    )
    check_basis(basis)
    q = dataclasses.replace(q, shown=check_top(top) or 20, synthetic=_synthetic(flows))
    frame = _run(flows, q, {"source": source, "basis": basis, "hs_rev": hs_rev, "order": order})
    markets = (
        frame.groupby("market")
        .agg(
            ease=("ease", "first"),
            actual_usd=("actual_usd", "sum"),
            potential_usd=("potential_usd", "sum"),
            unrealised_usd=("unrealised_usd", "sum"),
            n_products=("product", "size"),
        )
        .reset_index()
        .sort_values(["unrealised_usd", "market"], ascending=[False, True], ignore_index=True)
    )
    products = frame.sort_values(
        ["market", "unrealised_usd"], ascending=[True, False], ignore_index=True
    )
    return ExportPotential(
        q.exporter, q.year, q.level, markets, products, q, shown=q.shown, synthetic=q.synthetic
    )


def _synthetic(flows: Any) -> bool:
    lake = getattr(flows, "lake", flows)  # a trade view reads a lake
    return bool(getattr(lake, "is_synthetic", False))
