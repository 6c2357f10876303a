"""``bilat trade``: trade indicators for a dyad. Each command is one ``bilat.trade`` call."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bilat import formats
from bilat.cli._common import (
    HomeOption,
    JsonOption,
    LakeOption,
    YearsOption,
    console,
    count,
    err_console,
    open_lake,
    print_json,
    print_table,
    synthetic_banner,
)
from bilat.errors import InputError
from bilat.options import FlowDirection, Level, ProductSort, SortOrder, parse_years

__all__ = ["register"]

trade_app = typer.Typer(
    name="trade",
    help="Trade indicators for a pair of countries: summary, series, products, baskets ...",
    no_args_is_help=True,
)

A = Annotated[str, typer.Argument(help="First country (ISO3, e.g. BLR) or group (EU27).")]
B = Annotated[str, typer.Argument(help="Second country (ISO3, e.g. KAZ) or group.")]
Year = Annotated[int, typer.Option("--year", help="The year, e.g. 2021.")]
Years = YearsOption
FlowOpt = Annotated[FlowDirection, typer.Option("--flow", help="export (A→B) or import (A←B).")]
LevelOpt = Annotated[Level, typer.Option("--level", help="HS level: 2, 4 or 6.")]
BasisOpt = Annotated[
    str | None,
    typer.Option(
        "--basis",
        help="Read one source class only: reconciled, national, exporter or importer.",
    ),
]
PrecedenceOpt = Annotated[
    str | None,
    typer.Option(
        "--precedence",
        help="Source classes best first, comma-separated (default BILAT_PRECEDENCE or "
        "reconciled,national,exporter,importer).",
    ),
]


def _lake(home: Path | None, lake: Path | None = None) -> Any:
    return open_lake(lake, home=home)


def _dyad(
    home: Path | None,
    lake: Path | None,
    a: str,
    b: str,
    basis: str | None = None,
    precedence: str | None = None,
) -> Any:
    from bilat.trade import Dyad

    _check(precedence, basis)
    return Dyad(_lake(home, lake), a, b, order=precedence, basis=basis)


def _check(precedence: str | None, basis: str | None) -> None:
    from bilat.tradeview import precedence as check_precedence

    check_precedence(precedence, basis=basis)  # bad options fail before the lake is opened


def _span(years: str | None, year: int | None = None) -> tuple[int | None, int | None]:
    """``--years FIRST-LAST`` (or ``--year Y``) as (start, end); ``None``: the years held."""
    if years is not None and year is not None:
        raise InputError(
            "give --years or --year, not both",
            details={"option": "--years", "value": years, "expected": "one of them"},
        )
    if year is not None:
        return year, year
    return parse_years(years, name="--years") if years is not None else (None, None)


def _compared(years: str | None, year: int | None) -> tuple[int | None, int | None]:
    """The two years a basket comparison reads: one year Y is Y-1 against Y."""
    start, end = _span(years, year)
    if start is not None and start == end:
        return start - 1, end
    return start, end


def _show(result: Any, as_json: bool, *, columns: list[str] | None = None) -> None:
    if as_json:
        print_json(result)
        return
    synthetic_banner(bool(result.provenance.synthetic))
    rows = result.to_pandas().astype(object).where(lambda f: f.notna(), None)
    if rows.empty:
        console.print(f"{result.title()}: no data for these countries, years and level")
        console.print(result.provenance.text(), soft_wrap=True)
        return
    print_table(
        rows.to_dict("records"),
        title=result.title(),
        columns=columns,
        caption=result.provenance.text(),
    )
    cov = getattr(result, "coverage", None)
    if cov is not None and (
        getattr(cov, "status", "full") != "full" or getattr(cov, "thin", False)
    ):
        console.print(f"coverage {cov.text()}", soft_wrap=True)


def _pct_text(v: float | None) -> str:
    return "not available" if v is None else formats.share(v)


def _market_head(r: Any) -> None:
    """The market table's figures, above its rows (text output only)."""
    console.print(f"{r.market}'s imports of {r.product}, {r.year}: {formats.money(r.total_usd)} "
                  f"from {count(r.n_suppliers, 'supplier')}.", soft_wrap=True)  # fmt: skip
    if r.exporter is None:
        return
    world = f"; {_pct_text(r.exporter_world_share_pct)} of world exports of the product"
    if r.exporter_rank is None:
        console.print(f"{r.exporter} does not supply it (a measured 0 % share){world}.")
    else:
        console.print(f"{r.exporter}: rank {r.exporter_rank} of {r.n_suppliers}, "
                      f"{_pct_text(r.exporter_share_pct)} of the market{world}.")  # fmt: skip


def _third_head(r: Any) -> None:
    """The joint position, above the exporters' rows (text output only)."""
    console.print(f"{r.market}'s imports of {r.product}, {r.year}: {formats.money(r.total_usd)} "
                  f"from {count(r.n_suppliers, 'supplier')}.", soft_wrap=True)  # fmt: skip
    lead = (f"; the leading other supplier, {r.leader}, holds {_pct_text(r.leader_share_pct)} "
            f"(a gap of {formats.number(r.gap_to_leader_pct, digits=1)} points)"
            if r.leader is not None
            and r.gap_to_leader_pct is not None else "")  # fmt: skip
    console.print(f"Together: {formats.money(r.combined_usd)}, "
                  f"{_pct_text(r.combined_share_pct)} of "
                  f"the market, rank {r.combined_rank} among the other suppliers{lead}.",
                  soft_wrap=True)  # fmt: skip


@trade_app.command("summary")
def summary(
    a: A,
    b: B,
    year: Year,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
    basis: BasisOpt = None,
    precedence: PrecedenceOpt = None,
) -> None:
    """Exports, imports, turnover, balance, growth and where each side ranks.

    Each figure says what it rests on (the share of each source) and how complete that is;
    a flow no source covers is "not available", never 0.
    """
    result = _dyad(home, lake, a, b, basis, precedence).summary(year)
    _show(result, as_json)
    if not as_json:
        names = {
            "exports": f"Exports {result.a}→{result.b} {result.year}",
            "imports": f"Imports {result.a}←{result.b} {result.year}",
            "previous_exports": f"Exports {result.a}→{result.b} {result.previous_year}",
            "previous_imports": f"Imports {result.a}←{result.b} {result.previous_year}",
        }
        for key, fig in result.figures.items():
            console.print(f"{names[key]}: {fig.text()}", soft_wrap=True)
        for line in result.lines():
            console.print(line, soft_wrap=True)


@trade_app.command("overview")
def overview(
    a: A,
    b: B,
    year: Annotated[
        int | None, typer.Option("--year", help="The year (default: the last the lake holds).")
    ] = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
    basis: BasisOpt = None,
    precedence: PrecedenceOpt = None,
) -> None:
    """The first look at a dyad: headline figures, series, top products, baskets, events."""
    from bilat.trade import overview as dyad_overview

    _check(precedence, basis)
    result = dyad_overview(_lake(home, lake), a, b, year=year, order=precedence, basis=basis)
    if as_json:
        print_json(result)
        return
    synthetic_banner(result.synthetic)
    _print_overview(result)


def _print_overview(ov: Any) -> None:
    console.print(ov.title(), style="bold")
    for h in ov.headline:
        value = formats.money(h.value_usd) if h.available else f"not available ({h.note})"
        growth = (
            f", {formats.percent(h.growth_pct, signed=True)} on {formats.year(ov.year - 1)}"
            if h.growth_pct is not None
            else ""
        )
        console.print(f"{h.label}: {value}{growth}", soft_wrap=True)
    for line in ov.summary.lines():
        console.print(line, soft_wrap=True)
    for part in (ov.top_exports, ov.top_imports, ov.baskets, ov.events):
        if part is not None:
            _show(part, False)


@trade_app.command("series")
def series(
    a: A,
    b: B,
    years: Years = None,
    convert_to: Annotated[
        str | None,
        typer.Option(
            "--convert-to",
            help="Convert products and values to this HS revision first (e.g. HS17).",
        ),
    ] = None,
    concordance: Annotated[
        list[Path] | None,
        typer.Option(
            "--concordance",
            help="UNSD correlation table (xlsx or csv) for --convert-to; repeat to chain.",
        ),
    ] = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
) -> None:
    """Yearly exports, imports and turnover (optionally converted to one HS revision)."""
    from bilat.trade import Dyad
    from bilat.trade.convert import converted

    start, end = _span(years)
    source = _lake(home, lake)
    if convert_to is not None:
        source = converted(source, to=convert_to, concordances=list(concordance or []))
        if not as_json:
            err_console.print(f"values {source.conversion}")
    _show(Dyad(source, a, b).series(start, end), as_json)


@trade_app.command("products")
def products(
    a: A,
    b: B,
    year: Year,
    level: LevelOpt = 4,
    top: Annotated[int, typer.Option("--top", help="Number of products.")] = 20,
    flow: FlowOpt = "export",
    basket: Annotated[
        str | None, typer.Option("--basket", help="Only the products of this basket.")
    ] = None,
    sort: Annotated[ProductSort, typer.Option("--sort", help="Column to sort by.")] = "rank",
    order: Annotated[SortOrder, typer.Option("--order", help="Sort order.")] = "asc",
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
    basis: BasisOpt = None,
    precedence: PrecedenceOpt = None,
) -> None:
    """Products with value, share, growth and HS description (largest first by default)."""
    from bilat.trade import list_products

    _check(precedence, basis)
    result = list_products(_lake(home, lake), a, b, year=year, level=level, flow=flow,
                           basket=basket, sort=sort, order=order, top=top,
                           precedence=precedence, basis=basis)  # fmt: skip
    _show(result, as_json)


@trade_app.command("baskets")
def baskets(
    a: A,
    b: B,
    years: Annotated[
        str | None,
        typer.Option(
            "--years",
            metavar="FIRST-LAST",
            help="Base year and year compared, e.g. 2017-2021; one year Y compares Y-1 with Y "
            "(default: the last year the lake holds).",
        ),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Compare this year with the one before.")
    ] = None,
    flow: FlowOpt = "export",
    basket: Annotated[
        list[str] | None, typer.Option("--basket", help="Basket name (repeatable).")
    ] = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
) -> None:
    """Each basket's value in both years and the multiplier ("confectionery x2.0")."""
    start, end = _compared(years, year)
    result = _dyad(home, lake, a, b).baskets(start, end, flow=flow, names=basket or None)
    _show(result, as_json)


@trade_app.command("events")
def events(
    a: A,
    b: B,
    year: Year,
    level: LevelOpt = 6,
    flow: FlowOpt = "export",
    min_value: Annotated[
        float, typer.Option("--min-value", help="Keep events worth at least this (USD).")
    ] = 0.0,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
) -> None:
    """Products that appeared, ceased or resumed."""
    result = _dyad(home, lake, a, b).events(year, level=level, flow=flow, min_value_usd=min_value)
    _show(result, as_json)


@trade_app.command("partners")
def partners(
    country: Annotated[str, typer.Argument(help="Country (ISO3) or group (EU27).")],
    year: Year,
    flow: FlowOpt = "export",
    top: Annotated[int, typer.Option("--top", help="Number of partners.")] = 10,
    level: Annotated[int | None, typer.Option("--level", help="HS level with --products.")] = None,
    products: Annotated[
        str | None, typer.Option("--products", help="Only products under this HS code.")
    ] = None,
    intra: Annotated[
        bool, typer.Option("--intra", help="For a group: count trade among its members too.")
    ] = False,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
    basis: BasisOpt = None,
    precedence: PrecedenceOpt = None,
) -> None:
    """A country's partners ranked by value, with shares and growth.

    A group's partners are the rest of the world (extra-EU for EU27) unless --intra.
    """
    from bilat.trade import partners as rank_partners
    from bilat.tradeview import TradeView

    _check(precedence, basis)
    source = _lake(home, lake)
    result = rank_partners(
        source,
        country,
        flow=flow,
        year=year,
        top=top,
        level=level,
        products=products,
        intra=intra,
        view=TradeView(source, order=precedence, basis=basis),
    )
    _show(result, as_json)
    if not as_json and result.coverage is not None:
        console.print(result.coverage.text(), soft_wrap=True)


@trade_app.command("concentration")
def concentration(
    a: A,
    b: B,
    year: Year,
    level: LevelOpt = 6,
    flow: FlowOpt = "export",
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
) -> None:
    """Product concentration (HHI) and number of products."""
    _show(_dyad(home, lake, a, b).concentration(year, level=level, flow=flow), as_json)


@trade_app.command("rca")
def rca(
    a: A,
    b: B,
    year: Year,
    level: LevelOpt = 6,
    top: Annotated[int, typer.Option("--top", help="Number of products.")] = 20,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
    min_exports: Annotated[
        float,
        typer.Option("--min-exports", help="List products A exports at least this much of (USD)."),
    ] = 100_000.0,
) -> None:
    """Revealed comparative advantage (Balassa) of A's exports by product, and of A's exports
    to B against the world's exports to B (partner_rca)."""
    result = _dyad(home, lake, a, b).rca(year, level=level, min_exports_usd=min_exports)
    if as_json:
        print_json(result)
        return
    rows = result.to_pandas().head(top).to_dict("records")
    if not rows:
        floor = (
            f" of at least {formats.money(result.min_exports_usd)}"
            if result.min_exports_usd
            else ""
        )
        console.print(f"RCA of {result.exporter}, {year}: no product with exports{floor}"
                      + (" (--min-exports 0 lists every product)" if floor else ""))  # fmt: skip
        console.print(result.provenance.text(), soft_wrap=True)
        return
    print_table(rows, title=f"RCA of {result.exporter}, {year}", caption=result.provenance.text())


@trade_app.command("complementarity")
def complementarity(
    a: A,
    b: B,
    year: Year,
    level: LevelOpt = 6,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
) -> None:
    """Trade complementarity index between A's exports and B's imports (0-100)."""
    _show(_dyad(home, lake, a, b).complementarity(year, level=level), as_json)


@trade_app.command("intensity")
def intensity(
    a: A,
    b: B,
    year: Year,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
) -> None:
    """Trade intensity index of A's exports to B."""
    _show(_dyad(home, lake, a, b).intensity(year), as_json)


@trade_app.command("mirror")
def mirror(
    a: A,
    b: B,
    years: Years = None,
    year: Annotated[int | None, typer.Option("--year", help="One year only.")] = None,
    level: Annotated[int, typer.Option("--level", help="0 for totals, or 2, 4, 6.")] = 0,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
) -> None:
    """Mirror gap: A's declared exports to B against B's declared imports from A."""
    start, end = _span(years, year)
    _show(_dyad(home, lake, a, b).mirror(start, end, level=level), as_json)


MarketArg = Annotated[str, typer.Argument(help="The importing market (ISO3, e.g. FIN) or group.")]
ProductOpt = Annotated[
    str | None, typer.Option("--product", help="An HS code at any level (44, 4407, 440710).")
]
#: The market functions' keywords, as this command line's flags.
_MARKET_FLAGS = {
    "product=": "--product",
    "basket=": "--basket",
    "exporters=": "--exporters",
    "span=": "--span",
    "max_share_pct=": "--max-share",
    "min_value_usd=": "--min-value",
    "['BLR', 'KAZ']": "BLR,KAZ",
}


def _market_call(call: Any, *args: Any, **kwargs: Any) -> Any:
    """``call(*args, **kwargs)``, its bad-input messages speaking of flags, not keywords."""
    try:
        return call(*args, **kwargs)
    except InputError as exc:
        if type(exc) is not InputError:
            raise
        text = exc.message
        for keyword, flag in _MARKET_FLAGS.items():
            text = text.replace(keyword, flag)
        raise exc.with_message(text) from None


BasketOpt = Annotated[
    str | None, typer.Option("--basket", help="A product basket (see bilat.codes.baskets).")
]


@trade_app.command("market")
def market(
    market: MarketArg,
    year: Year,
    product: ProductOpt = None,
    basket: BasketOpt = None,
    exporter: Annotated[
        str | None, typer.Option("--exporter", help="Flag this supplier (ISO3), even beyond --top.")
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Number of suppliers.")] = 20,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
) -> None:
    """A market's imports of a product or basket by supplier: value, quantity, unit value,
    share, rank, growth over 1 and 5 years."""
    from bilat.trade.market import market as market_table

    result = _market_call(
        market_table, _lake(home, lake), market, year=year, product=product, basket=basket,
        exporter=exporter, top=top,
    )  # fmt: skip
    if not as_json:
        _market_head(result)
    _show(result, as_json)


@trade_app.command("third-market")
def third_market(
    market: MarketArg,
    year: Year,
    exporters: Annotated[
        str, typer.Option("--exporters", help="Two or more exporters, comma-separated (BLR,KAZ).")
    ],
    product: ProductOpt = None,
    basket: BasketOpt = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
) -> None:
    """Several exporters in one market: shares, ranks, combined position, gap to the leader."""
    from bilat.trade.market import third_market as third

    who = [e.strip() for e in exporters.split(",") if e.strip()]
    result = _market_call(
        third, _lake(home, lake), market, exporters=who, year=year, product=product, basket=basket
    )
    if not as_json:
        _third_head(result)
    _show(result, as_json)


@trade_app.command("opportunities")
def opportunities(
    market: MarketArg,
    year: Year,
    exporter: Annotated[str, typer.Option("--exporter", help="The exporter (ISO3), e.g. BLR.")],
    level: LevelOpt = 4,
    span: Annotated[int, typer.Option("--span", help="Years over which growth is read.")] = 5,
    max_share: Annotated[
        float,
        typer.Option(
            "--max-share", help="Keep products where the exporter's share is below this %."
        ),
    ] = 5.0,
    min_value: Annotated[
        float,
        typer.Option("--min-value", help="Keep products the market imports at least this (USD)."),
    ] = 0.0,
    top: Annotated[int, typer.Option("--top", help="Number of products.")] = 20,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
) -> None:
    """A market's fastest-growing imports where the exporter is absent or small."""
    from bilat.trade.market import opportunities as find

    result = _market_call(
        find, _lake(home, lake), market, exporter=exporter, year=year, level=level, span=span,
        max_share_pct=max_share, min_value_usd=min_value, top=top,
    )  # fmt: skip
    _show(result, as_json)


def register(app: typer.Typer) -> None:
    """Add the ``trade`` commands to the ``bilat`` app."""
    app.add_typer(trade_app, name="trade")


@trade_app.command("iit")
def iit(
    a: A,
    b: B,
    year: Year,
    end: Annotated[
        int | None, typer.Option("--end", help="Last year of a series (default: --year only).")
    ] = None,
    level: Annotated[Level, typer.Option("--level", help="HS level of the groups: 2, 4 or 6.")] = 4,
    basket: Annotated[
        str | None, typer.Option("--basket", help="Only the groups of this basket.")
    ] = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
) -> None:
    """Intra-industry trade (Grubel–Lloyd) of A and B by product group, for a year or a series."""
    years = range(year, (end if end is not None else year) + 1)
    result = _dyad(home, lake, a, b).iit(years, level=level, basket=basket)
    _show(result, as_json)
    if not as_json:
        for y, gl in result.gl.items():
            gl_text = "not available" if gl is None else formats.number(gl, digits=3)
            console.print(f"{y}: aggregate GL {gl_text}")
