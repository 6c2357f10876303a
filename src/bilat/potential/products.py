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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import ibis
import pandas as pd

from bilat import formats
from bilat.codes.baskets import load_baskets
from bilat.codes.hs import describe
from bilat.document import to_document
from bilat.errors import InputError, NotFoundError
from bilat.options import check_top, check_year
from bilat.potential.epi_inputs import (
    DEFAULT_INCOME_ELASTICITY,
    DEFAULT_POPULATION_ELASTICITY,
    DEFAULT_TARIFF_ELASTICITY,
    MarketGrowth,
    country_code,
    demand_factor,
    read_market_growth,
    read_tariffs,
)
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

    from bilat.tradeview import TradeView

__all__ = [
    "ExportPotential",
    "ProductPotential",
    "country_code",
    "export_potential",
    "market_potential",
    "potential_expr",
]

_VALUES = ("actual_usd", "potential_usd", "unrealised_usd")
_BASIS = {"importer": "importer (mirror)", "exporter": "exporter"}


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
    actual_years: int = 5
    held: tuple[int, ...] = ()
    market_factors: Mapping[str, float] | None = None
    tariffs: pd.DataFrame | None = None
    tariff_elasticity: float = DEFAULT_TARIFF_ELASTICITY
    income_elasticity: float = DEFAULT_INCOME_ELASTICITY
    population_elasticity: float = DEFAULT_POPULATION_ELASTICITY


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
    if q.market_factors is not None:
        rates = ibis.memtable(
            {"g_market": list(q.market_factors), "g_factor": list(q.market_factors.values())}
        )
        joined = demand.left_join(rates, demand.market == rates.g_market)
        return joined.select(
            *[joined[c] for c in demand.columns],
            factor=joined.g_factor.fill_null(1.0),
            projected=joined.g_factor.notnull(),
        )
    if q.growth is None or q.horizon == 0:
        return demand.mutate(factor=ibis.literal(1.0), projected=ibis.literal(False))
    if not isinstance(q.growth, Mapping):
        return demand.mutate(
            factor=ibis.literal((1.0 + q.growth) ** q.horizon), projected=ibis.literal(True)
        )
    rates = ibis.memtable(
        {
            "g_product": list(q.growth),
            "g_factor": [(1.0 + r) ** q.horizon for r in q.growth.values()],
        }
    )
    joined = demand.left_join(rates, demand.product == rates.g_product)
    return joined.select(
        *[joined[c] for c in demand.columns],
        factor=joined.g_factor.fill_null(1.0),
        projected=joined.g_factor.notnull(),
    )


def _cells(base: ir.Table, q: _Query) -> ir.Table:
    """``market, product, demand, world, exports`` for products the exporter sells.

    Two aggregations of the base year's flows: world and exporter totals by product (few
    groups), and demand by market and product. ``sum(where=...)`` is NULL when no row
    matches, which tells "not traded" from "traded at zero". (Measured on DuckDB: this shape
    is several times faster than window totals by product or a table referenced twice.)
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
        demand=markets.value.sum()
    )
    joined = agg.join(totals, agg.product == totals.t_product)
    return joined.select("market", "product", "demand", "world", "exports")


def _window(flows: ir.Table, q: _Query) -> ir.Table:
    """The flows of the ``actual_years`` ending at the base year, at the level asked, with
    the class of source each rests on (``klass`` from a lake, ``basis`` from a raw table)."""
    t = flows.filter(
        flows.year.between(q.year - q.actual_years + 1, q.year)
        & (flows.product.length() == q.level)
        & (flows.exporter != flows.importer)
    )
    cols = t.columns
    klass = t.klass if "klass" in cols else t.basis if "basis" in cols else ibis.literal("?")
    return t.select(
        "exporter",
        "importer",
        "product",
        year=t.year.cast("int64"),
        value=t.value_usd.cast("float64"),
        klass=klass.cast("string"),
    )


def _actuals(win: ir.Table, q: _Query) -> ir.Table:
    """The exporter's sales by market and product over the window: total, the years with a
    flow, and the source classes they rest on."""
    mine = win.filter((win.exporter == q.exporter) & (win.importer != q.exporter))
    if q.market is not None:
        mine = mine.filter(mine.importer == q.market)
    return mine.group_by(a_market=mine.importer, a_product=mine.product).aggregate(
        a_total=mine.value.sum(),
        a_years=mine.year.nunique(),
        a_basis=mine.klass.collect(distinct=True),
    )


def _tariff_terms(base: ir.Table, cells: ir.Table, q: _Query) -> ir.Table:
    """``tariff_own_pct``, ``tariff_competitors_pct`` (the average tariff competitors pay,
    weighted by their base-year sales to the market), ``tariff_advantage_pp`` and
    ``tariff_factor = ((1 + t_c) / (1 + t_own)) ** tariff_elasticity`` (1 without both)."""
    if q.tariffs is None:
        none = ibis.null("float64")
        return cells.mutate(
            tariff_own_pct=none,
            tariff_competitors_pct=none,
            tariff_advantage_pp=none,
            tariff_factor=ibis.literal(1.0),
        )
    tt = ibis.memtable(q.tariffs)
    comp = base.filter((base.exporter != q.exporter) & (base.importer != q.exporter))
    if q.market is not None:
        comp = comp.filter(comp.importer == q.market)
    j = comp.join(
        tt,
        (comp.importer == tt.t_market)
        & (comp.product == tt.t_product)
        & (comp.exporter == tt.t_partner),
    )
    w = j.group_by(c_market=j.importer, c_product=j.product).aggregate(
        c_paid=(j.value * j.tariff).sum(), c_value=j.value.sum()
    )
    own = tt.filter(tt.t_partner == q.exporter).select(
        o_market=tt.t_market, o_product=tt.t_product, o_tariff=tt.tariff
    )
    x = cells.left_join(w, (cells.market == w.c_market) & (cells.product == w.c_product))
    x = x.left_join(own, (x.market == own.o_market) & (x.product == own.o_product))
    tc = ibis.ifelse(x.c_value > 0, x.c_paid / x.c_value, ibis.null("float64"))
    x = x.select(
        *[x[c] for c in cells.columns], tariff_own_pct=x.o_tariff, tariff_competitors_pct=tc
    )
    ratio = (1.0 + x.tariff_competitors_pct / 100.0) / (1.0 + x.tariff_own_pct / 100.0)
    return x.mutate(
        tariff_advantage_pp=x.tariff_competitors_pct - x.tariff_own_pct,
        tariff_factor=(ratio**q.tariff_elasticity).fill_null(1.0),
    )


def potential_expr(flows: ir.Table, q: _Query) -> ir.Table:
    """The export-potential table as an Ibis expression (one row per market and product).

    Columns: ``market, product, supply_share, market_demand_usd, demand_factor,
    demand_projected, actual_usd, actual_years_traded, actual_basis, tariff_own_pct,
    tariff_competitors_pct, tariff_advantage_pp, tariff_factor, ease_pair, ease,
    potential_usd, unrealised_usd, above_potential_usd``.
    """
    win = _window(flows, q)
    base = win.filter(win.year == q.year)
    cells = _cells(base, q)
    cells = cells.mutate(
        supply_share=ibis.ifelse(cells.world > 0, cells.exports / cells.world, 0.0)
    )
    cells = _tariff_terms(base, _growth_factor(cells, q), q)
    acts = _actuals(win, q)
    cells = cells.left_join(
        acts, (cells.market == acts.a_market) & (cells.product == acts.a_product)
    )
    n_years = float(max(len(q.held), 1))
    cells = cells.select(
        *[cells[c] for c in ("market", "product", "supply_share", "factor", "projected")],
        *[cells[c] for c in ("tariff_own_pct", "tariff_competitors_pct", "tariff_advantage_pp")],
        "tariff_factor",
        base_demand=cells.demand,
        actual_usd=cells.a_total.fill_null(0.0) / n_years,
        actual_years_traded=cells.a_years.fill_null(0),
        actual_basis=cells.a_basis,
        expected=cells.supply_share * cells.demand * cells.tariff_factor,
    )
    return _scaled(cells)


def _scaled(cells: ir.Table) -> ir.Table:
    """Ease of trade calibrated on actual sales, then potential and its gap to actual."""
    by_market = ibis.window(group_by=cells.market)
    e_actual = cells.actual_usd.sum().over(by_market)
    e_expected = cells.expected.sum().over(by_market)
    out = cells.mutate(
        ease_pair=ibis.ifelse(e_expected > 0, e_actual / e_expected, ibis.null("float64"))
    )
    out = out.mutate(ease=out.ease_pair * out.tariff_factor)
    out = out.select(
        "market",
        "product",
        "supply_share",
        market_demand_usd=out.base_demand * out.factor,
        demand_factor=out.factor,
        demand_projected=out.projected,
        actual_usd=out.actual_usd,
        actual_years_traded=out.actual_years_traded,
        actual_basis=out.actual_basis,
        tariff_own_pct=out.tariff_own_pct,
        tariff_competitors_pct=out.tariff_competitors_pct,
        tariff_advantage_pp=out.tariff_advantage_pp,
        tariff_factor=out.tariff_factor,
        ease_pair=out.ease_pair,
        ease=out.ease,
        potential_usd=out.expected * out.factor * out.ease_pair.fill_null(0.0),
    )
    gap = out.potential_usd - out.actual_usd
    zero = ibis.literal(0.0)
    return out.mutate(
        unrealised_usd=ibis.greatest(gap, zero), above_potential_usd=ibis.greatest(-gap, zero)
    )


def _basis_text(value: Any) -> str:
    """What an actual rests on: the source classes of its flows (``importer (mirror)`` when
    only the market declared them), or ``no sales`` in the years averaged."""
    if value is None or (not isinstance(value, str) and len(value) == 0):
        return "no sales"
    names = [value] if isinstance(value, str) else sorted(str(v) for v in value)
    return " + ".join(_BASIS.get(n, n) for n in names)


def _annotate(table: pd.DataFrame) -> pd.DataFrame:
    codes = table["product"].astype(str)
    table = table.assign(
        description=codes.map(describe),
        chapter=codes.str[:2],
        section=codes.map(section),
        actual_basis=table["actual_basis"].map(_basis_text),
    )
    front = ["market", "product", "description", "chapter", "section", "supply_share"]
    rest = ["market_demand_usd", "actual_usd", "potential_usd", "unrealised_usd", "ease"]
    more = [c for c in table.columns if c not in front + rest]
    return table[front + rest + more].sort_values(
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
    actual_years: list[int] = field(default_factory=list)
    above_potential_usd: float = 0.0
    demand_projection: str = "none"
    income_elasticity: float = DEFAULT_INCOME_ELASTICITY
    population_elasticity: float = DEFAULT_POPULATION_ELASTICITY
    tariffs: bool = False
    tariff_elasticity: float = DEFAULT_TARIFF_ELASTICITY

    # What to_dict lists instead of the table (the response model reads these).
    _document_omit_: ClassVar[tuple[str, ...]] = ("table", "shown")
    _document_extra_: ClassVar[dict[str, Any]] = {
        "n_products": int,
        "top_products": list[dict[str, Any]],
        "sections": list[dict[str, Any]],
        "chapters": list[dict[str, Any]],
        "baskets": list[dict[str, Any]],
        "summary": str,
    }

    @classmethod
    def _from_table(cls, q: _Query, market: str, table: pd.DataFrame) -> ProductPotential:
        ease = table["ease_pair"].dropna()
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
            table=table.drop(columns=["market", "ease_pair"]).reset_index(drop=True),
            shown=q.shown,
            synthetic=q.synthetic,
            actual_years=list(q.held),
            above_potential_usd=float(table["above_potential_usd"].sum()),
            demand_projection=_projection_text(q),
            income_elasticity=q.income_elasticity,
            population_elasticity=q.population_elasticity,
            tariffs=q.tariffs is not None,
            tariff_elasticity=q.tariff_elasticity,
        )

    def summary(self) -> str:
        """The totals in one line, with the identity that links them."""
        years = self.actual_years
        span = (
            f"the average of {len(years)} year{'s' if len(years) != 1 else ''} "
            f"({years[0]}-{years[-1]})"
            if years
            else "no year"
        )
        return (
            f"potential {_money(self.potential_usd)}, actual {_money(self.actual_usd)} "
            f"({span}), untapped {_money(self.unrealised_usd)}: untapped is the sum of "
            "potential − actual over the products that fall short; the products that sell "
            f"above their potential add {_money(self.above_potential_usd)}, so untapped − "
            "above = potential − actual = "
            f"{_money(self.potential_usd - self.actual_usd)}"
            + (
                " (0 by construction: ease scales potential to actual sales)"
                if self.demand_projection == "none"
                else f" (demand projected: {self.demand_projection})"
            )
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
            "actual_years": self.actual_years,
            "above_potential_usd": self.above_potential_usd,
            "demand_projection": self.demand_projection,
            "income_elasticity": self.income_elasticity,
            "population_elasticity": self.population_elasticity,
            "tariffs": self.tariffs,
            "tariff_elasticity": self.tariff_elasticity,
            "summary": self.summary(),
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


def _money(value: float) -> str:
    """:func:`bilat.formats.money` (``$17``, ``$22.7M``); below a cent, 0 (the sums of doubles
    differ in the last bits from one run to the next, and ``-$0`` would show it)."""
    return formats.money(0.0 if abs(value) < 0.005 else value)


def _projection_text(q: _Query) -> str:
    if q.market_factors is not None and q.horizon:
        return (
            f"{q.horizon} years from GDP and population growth of {len(q.market_factors)} "
            f"markets, income elasticity {q.income_elasticity:g}, population elasticity "
            f"{q.population_elasticity:g}"
        )
    if q.growth is not None and q.horizon:
        return f"{q.horizon} years at the demand growth given"
    return "none"


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


def _require_demand(table: ir.Table, q: _Query, view: TradeView) -> None:
    """``NotFoundError`` when no source the lake holds covers the market's imports: its
    demand is then unknown, not 0 (a complete source such as BACI lists every import)."""
    if int(view.fetch(table.filter(table.importer == q.market).count())):
        return
    raise NotFoundError(
        f"no source the lake holds covers the imports of {q.market} in {q.year}, so its "
        "demand is not known (not 0) and there is no potential to measure; ingest its "
        "import declarations or a reconciled source (BACI) for that year",
        details={"market": q.market, "year": q.year},
    )


def _require_named(table: ir.Table, q: _Query, view: TradeView) -> None:
    """``NotFoundError`` when no flow of a complete year names the market at all: a code
    no source knows (``XYZ``) has no potential to measure, rather than one of 0."""
    named = (table.importer == q.market) | (table.exporter == q.market)
    if int(view.fetch(table.filter(named).count())):
        return
    raise NotFoundError(
        f"{q.market} appears in no flow the lake holds for {q.year}, neither as exporter nor "
        "as importer: check the country code (an ISO3 code such as KAZ)",
        details={"market": q.market, "year": q.year},
    )


def _window_years(q: _Query) -> list[int]:
    return list(range(q.year - q.actual_years + 1, q.year + 1))


def _run(flows: Any, q: _Query, origin: Mapping[str, Any]) -> tuple[pd.DataFrame, _Query]:
    """The potential table of ``q`` (and ``q`` with the years averaged): from a lake through
    the trade view, or a raw table."""
    raw: ir.Table | None = None
    view: TradeView | None = None
    if reads_a_lake(flows):
        view = view_for(flows, **origin)
        believed_flows(view, level=q.level, years=[q.year])  # the base year must be held
        held = [y for y in _window_years(q) if y in set(view.years())]
        table = believed_flows(view, level=q.level, years=held)
        if q.market is not None and not view.complete_year(q.year):
            _require_demand(drop_areas(table.filter(table.year == q.year)), q, view)
        elif q.market is not None:
            _require_named(table.filter(table.year == q.year), q, view)
    else:
        raw = flows_table(flows)
        raw = raw.filter(raw.year.between(q.year - q.actual_years + 1, q.year))
        table = one_origin(raw, **{k: v for k, v in origin.items() if k != "order"})
        years = table.select(y=table.year.cast("int64")).distinct().to_pandas()["y"]
        held = sorted(int(y) for y in years)
    q = dataclasses.replace(q, held=tuple(held))
    scoped = drop_areas(table)
    expr = potential_expr(scoped, q)
    frame: pd.DataFrame = expr.to_pandas() if view is None else view.fetch(expr)
    if frame.empty:
        if raw is not None and q.year not in held:
            raise NotFoundError(
                f"no flows for {q.year}; ingest that year into the lake first",
                details={"year": q.year},
            )
        sold = scoped.filter(
            (scoped.exporter == q.exporter)
            & (scoped.product.length() == q.level)
            & (scoped.year == q.year)
        )
        if not int(sold.count().execute()):
            raise NotFoundError(
                f"{q.exporter} has no exports at level {q.level} in {q.year}; check the "
                "country code and the level (a lake of import declarations holds the "
                "exports of the reporters' partners only)",
                details={"exporter": q.exporter, "year": q.year, "level": q.level},
            )
    return frame, q


def _epi_query(q: _Query, flows: Any, epi: Mapping[str, Any]) -> _Query:
    """``q`` with the options of the published method checked and the files read."""
    n = epi["actual_years"]
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 20:
        raise InputError(
            f"actual_years must be a whole number of years from 1 to 20, got {n!r}",
            details={"value": n},
        )
    elasticities = {k: epi[k] for k in ("income_elasticity", "population_elasticity",
                                         "tariff_elasticity")}  # fmt: skip
    for name, v in elasticities.items():
        if not isinstance(v, int | float) or not math.isfinite(v):
            raise InputError(f"{name} must be a finite number, got {v!r}", details={"value": v})
    growth = epi["market_growth"]
    if growth is not None and q.growth is not None:
        raise InputError(
            "give either market_growth (a file of GDP and population growth by market) or "
            "demand_growth (a rate), not both"
        )
    factors = None
    if growth is not None:
        rates = growth if isinstance(growth, Mapping) else read_market_growth(growth)
        factors = {
            country_code(m): demand_factor(
                g if isinstance(g, MarketGrowth) else MarketGrowth(*g),
                q.horizon,
                float(elasticities["income_elasticity"]),
                float(elasticities["population_elasticity"]),
            )
            for m, g in rates.items()
        }
    tariffs = epi["tariffs"]
    if tariffs is not None and not isinstance(tariffs, pd.DataFrame):
        tariffs = read_tariffs(tariffs, level=q.level)
    return dataclasses.replace(
        q,
        actual_years=n,
        market_factors=factors,
        tariffs=tariffs,
        income_elasticity=float(elasticities["income_elasticity"]),
        population_elasticity=float(elasticities["population_elasticity"]),
        tariff_elasticity=float(elasticities["tariff_elasticity"]),
        synthetic=_synthetic(flows),
    )


_EPI_DEFAULTS: dict[str, Any] = {
    "actual_years": 5,
    "market_growth": None,
    "income_elasticity": DEFAULT_INCOME_ELASTICITY,
    "population_elasticity": DEFAULT_POPULATION_ELASTICITY,
    "tariffs": None,
    "tariff_elasticity": DEFAULT_TARIFF_ELASTICITY,
}


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
    **epi: Any,
) -> ProductPotential:
    """Export potential of ``exporter`` in ``market``, by product (method: ``docs/potential.md``).

    Parameters
    ----------
    flows
        The lake's flows table (Ibis) or a ``Lake``.
    exporter, market
        Countries (ISO3, or anything :func:`bilat.codes.to_iso3` reads).
    year
        Base year: supply shares and market demand are this year's.
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
    actual_years
        Actual sales are the average over this many years ending at ``year`` (default 5),
        over the years the data holds; a held year without a flow counts as 0.
    market_growth, income_elasticity, population_elasticity
        A CSV path (:mod:`bilat.potential.epi_inputs`) or ``{market: (gdp_growth,
        population_growth)}``: demand of each market listed is projected ``horizon`` years
        with these elasticities (defaults 1 and 1); instead of ``demand_growth``.
    tariffs, tariff_elasticity
        A CSV path or frame (``t_market, t_product, t_partner, tariff``) of applied tariffs:
        ease is multiplied by ``((1 + t_competitors) / (1 + t_exporter)) ** tariff_elasticity``
        (default 5).

    Examples
    --------
    >>> pp = market_potential(lake, "BLR", "KAZ", year=2021)      # doctest: +SKIP
    >>> pp.top(20)                                                # doctest: +SKIP
    """
    q = _query(flows, exporter, market, year, level, demand_growth, horizon, basis, top, epi)
    frame, q = _run(flows, q, {"source": source, "basis": basis, "hs_rev": hs_rev, "order": order})
    return ProductPotential._from_table(q, q.market or "", _annotate(frame))


def _query(
    flows: Any,
    exporter: str,
    market: str | None,
    year: int,
    level: int,
    demand_growth: float | Mapping[str, float] | None,
    horizon: int,
    basis: str | None,
    top: int,
    epi: Mapping[str, Any],
) -> _Query:
    """Every option checked (and the user's files read) before anything is computed."""
    q = _validate(
        exporter, market, year=year, level=level, demand_growth=demand_growth, horizon=horizon
    )
    check_basis(basis)
    return _epi_query(dataclasses.replace(q, shown=check_top(top) or 20), flows, _epi(epi))


def _epi(given: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(given) - set(_EPI_DEFAULTS))
    if unknown:
        raise TypeError(f"unexpected keyword argument {unknown[0]!r}")
    return {**_EPI_DEFAULTS, **given}


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
    **epi: Any,
) -> ExportPotential:
    """Export potential of ``exporter`` in every market it could sell to.

    Same parameters as :func:`market_potential`, without ``market``; ``top`` is how many
    markets the result's document lists.
    """
    q = _query(flows, exporter, None, year, level, demand_growth, horizon, basis, top, epi)
    frame, q = _run(flows, q, {"source": source, "basis": basis, "hs_rev": hs_rev, "order": order})
    markets = (
        frame.groupby("market")
        .agg(
            ease=("ease_pair", "first"),
            actual_usd=("actual_usd", "sum"),
            potential_usd=("potential_usd", "sum"),
            unrealised_usd=("unrealised_usd", "sum"),
            above_potential_usd=("above_potential_usd", "sum"),
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
