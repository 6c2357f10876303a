"""The trade and potential routes: each is its command, ``bilat trade X`` → ``/api/trade/X``.

A route takes its command's arguments and options as query parameters of the same names
(``bilat trade summary BLR KAZ --year 2021`` is ``GET /api/trade/summary?a=BLR&b=KAZ&year=
2021``), makes the command's one library call (cached per lake version), and answers with
the result's document, which is what the command prints with ``--json``. Each declares the
response model generated from its result dataclass (:func:`bilat.web.models.model_for`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from bilat.options import FlowDirection, Presence, ProductSort, PromisingSort, SortOrder
from bilat.potential import ExportPotential, GravityRun, ProductPotential, ScenarioResult
from bilat.potential.complexity import Complexity
from bilat.potential.promising import PromisingProducts
from bilat.trade import (
    BasketsResult,
    Complementarity,
    Concentration,
    EventsResult,
    Intensity,
    MirrorGap,
    Overview,
    PartnersResult,
    ProductListing,
    RcaResult,
    SeriesResult,
    Summary,
)
from bilat.trade.iit import IntraIndustry
from bilat.trade.market import MarketResult, Opportunities, ThirdMarket
from bilat.trade.mirror import MirrorReport
from bilat.web.api import app_state, save_upload
from bilat.web.models import document_response, model_for
from bilat.web.security import check_csrf, current_user

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["trade"])

Country = Annotated[
    str,
    Query(
        pattern=r"^[A-Za-z0-9_]{2,16}$", description="A country (ISO3, e.g. BLR) or group (EU27)."
    ),
]
YearQ = Annotated[int, Query(ge=1950, le=2100, description="The year, e.g. 2021.")]
MaybeYear = Annotated[int | None, Query(ge=1950, le=2100, description="One year only.")]
YearsQ = Annotated[
    str | None,
    Query(
        pattern=r"^\d{4}(\s*-\s*\d{4})?$",
        description="Years as FIRST-LAST, e.g. 2017-2023 (default: every year held).",
    ),
]
LevelQ = Annotated[int, Query(description="HS level: 2, 4 or 6.")]
FlowQ = Annotated[FlowDirection, Query(description="export (A→B) or import (A←B).")]
BasisQ = Annotated[
    str | None,
    Query(pattern=r"^[a-z]{1,16}$", description="One source class only, e.g. importer."),
]
PrecedenceQ = Annotated[
    str | None,
    Query(pattern=r"^[a-z, ]{1,64}$", description="Source classes best first, comma-separated."),
]
TopQ = Annotated[int, Query(ge=1, le=10_000, description="Number of rows.")]


def _answer(request: Request, key: tuple[Any, ...], compute: Callable[[], Any]) -> Response:
    current_user(request)
    return document_response(app_state(request).trade.cached(key, compute))


def _dyad(request: Request, a: str, b: str, basis: str | None, precedence: str | None) -> Any:
    from bilat.trade import Dyad
    from bilat.tradeview import precedence as check_precedence

    check_precedence(precedence, basis=basis)
    return Dyad(app_state(request).lake, a, b, order=precedence, basis=basis)


def _span(years: str | None, year: int | None) -> tuple[int | None, int | None]:
    from bilat.errors import InputError
    from bilat.options import parse_years

    if years is not None and year is not None:
        raise InputError("give years or year, not both", details={"option": "years"})
    if year is not None:
        return year, year
    return parse_years(years) if years is not None else (None, None)


# ------------------------------------------------------------------------------ trade


@router.get("/trade/overview", response_model=model_for(Overview))
async def trade_overview(
    request: Request,
    a: Country,
    b: Country,
    year: Annotated[int | None, Query(ge=1950, le=2100, description="Default: latest.")] = None,
    basis: BasisQ = None,
    precedence: PrecedenceQ = None,
) -> Response:
    """Headline figures, series, top products, baskets and events of a dyad in a year.

    Cached answers are sent from the event loop without touching a thread or the lake.
    """
    from starlette.concurrency import run_in_threadpool

    current_user(request)
    trade = app_state(request).trade
    if basis is not None or precedence is not None:
        return await run_in_threadpool(_overview_with, request, a, b, year, basis, precedence)
    y = await run_in_threadpool(trade.held_year, year)
    body = trade.cached_overview_json(a.upper(), b.upper(), y)
    if body is None:
        body = await run_in_threadpool(trade.overview_json, a.upper(), b.upper(), y)
    return Response(body, media_type="application/json")


def _overview_with(
    request: Request, a: str, b: str, year: int | None, basis: str | None, precedence: str | None
) -> Response:
    from bilat.trade import overview

    lake = app_state(request).lake
    key = ("overview-by", a, b, year, basis, precedence)
    return _answer(
        request, key, lambda: overview(lake, a, b, year=year, order=precedence, basis=basis)
    )


@router.get("/trade/summary", response_model=model_for(Summary))
def trade_summary(
    request: Request,
    a: Country,
    b: Country,
    year: YearQ,
    basis: BasisQ = None,
    precedence: PrecedenceQ = None,
) -> Response:
    """Exports, imports, turnover, balance, growth and where each side ranks."""
    key = ("summary", a, b, year, basis, precedence)
    return _answer(request, key, lambda: _dyad(request, a, b, basis, precedence).summary(year))


@router.get("/trade/series", response_model=model_for(SeriesResult))
def trade_series(request: Request, a: Country, b: Country, years: YearsQ = None) -> Response:
    """Yearly exports, imports and turnover (default: every year the lake holds)."""
    start, end = _span(years, None)
    key = ("series", a, b, start, end)
    return _answer(request, key, lambda: _dyad(request, a, b, None, None).series(start, end))


@router.get("/trade/products", response_model=model_for(ProductListing))
def trade_products(
    request: Request,
    a: Country,
    b: Country,
    year: YearQ,
    level: LevelQ = 4,
    top: TopQ = 20,
    flow: FlowQ = "export",
    basket: Annotated[
        str | None, Query(pattern=r"^[a-z0-9_]{0,64}$", description="Basket name (empty: all).")
    ] = None,
    sort: Annotated[ProductSort, Query(description="Column to sort by.")] = "rank",
    order: Annotated[SortOrder, Query(description="Sort order.")] = "asc",
    basis: BasisQ = None,
    precedence: PrecedenceQ = None,
) -> Response:
    """Products with value, share, growth and HS description, by basket, sorted."""
    current_user(request)
    trade = app_state(request).trade
    if basis is not None or precedence is not None:
        from bilat.trade import list_products

        key = ("listing", a, b, year, level, flow, basket, sort, order, top, basis, precedence)
        return _answer(request, key, lambda: list_products(
            trade.lake, a, b, year=year, level=level, flow=flow, basket=basket, sort=sort,
            order=order, top=top, precedence=precedence, basis=basis,
        ))  # fmt: skip
    listing = trade.products(
        a, b, year=year, level=level, flow=flow, basket=basket, sort=sort, order=order, top=top
    )
    return document_response(listing)


@router.get("/trade/baskets", response_model=model_for(BasketsResult))
def trade_baskets(
    request: Request,
    a: Country,
    b: Country,
    years: YearsQ = None,
    year: MaybeYear = None,
    flow: FlowQ = "export",
    basket: Annotated[list[str] | None, Query(description="Basket names (repeat).")] = None,
) -> Response:
    """Each basket's value in two years and the multiplier (one year Y: Y-1 against Y)."""
    start, end = _span(years, year)
    if start is not None and start == end:
        start = start - 1
    names = tuple(basket) if basket else None
    key = ("baskets", a, b, start, end, flow, names)
    return _answer(
        request,
        key,
        lambda: _dyad(request, a, b, None, None).baskets(start, end, flow=flow, names=names),
    )


@router.get("/trade/events", response_model=model_for(EventsResult))
def trade_events(
    request: Request,
    a: Country,
    b: Country,
    year: YearQ,
    level: LevelQ = 6,
    flow: FlowQ = "export",
    min_value: Annotated[float, Query(ge=0, description="Minimum value (USD).")] = 0.0,
) -> Response:
    """Products that appeared, ceased or resumed."""
    key = ("events", a, b, year, level, flow, min_value)
    return _answer(request, key, lambda: _dyad(request, a, b, None, None).events(
        year, level=level, flow=flow, min_value_usd=min_value
    ))  # fmt: skip


@router.get("/trade/partners", response_model=model_for(PartnersResult))
def trade_partners(
    request: Request,
    country: Country,
    year: YearQ,
    flow: FlowQ = "export",
    top: TopQ = 10,
    level: Annotated[int | None, Query(description="HS level with products.")] = None,
    products: Annotated[
        str | None, Query(pattern=r"^\d{2,6}$", description="Only products under this HS code.")
    ] = None,
    intra: Annotated[bool, Query(description="For a group: count trade among members.")] = False,
    basis: BasisQ = None,
    precedence: PrecedenceQ = None,
) -> Response:
    """A country's partners ranked by value, with shares and growth."""
    from bilat.trade import partners
    from bilat.tradeview import TradeView
    from bilat.tradeview import precedence as check_precedence

    check_precedence(precedence, basis=basis)
    lake = app_state(request).lake
    key = ("partners", country, year, flow, top, level, products, intra, basis, precedence)
    return _answer(request, key, lambda: partners(
        lake, country, flow=flow, year=year, top=top, level=level, products=products,
        intra=intra, view=TradeView(lake, order=precedence, basis=basis),
    ))  # fmt: skip


@router.get("/trade/concentration", response_model=model_for(Concentration))
def trade_concentration(
    request: Request, a: Country, b: Country, year: YearQ, level: LevelQ = 6, flow: FlowQ = "export"
) -> Response:
    """Product concentration (HHI) and number of products."""
    key = ("concentration", a, b, year, level, flow)
    return _answer(request, key, lambda: _dyad(request, a, b, None, None).concentration(
        year, level=level, flow=flow
    ))  # fmt: skip


@router.get("/trade/rca", response_model=model_for(RcaResult))
def trade_rca(
    request: Request,
    a: Country,
    b: Country,
    year: YearQ,
    level: LevelQ = 6,
    top: TopQ = 20,
    min_exports: Annotated[
        float, Query(ge=0, description="List products A exports at least this much of (USD).")
    ] = 100_000.0,
) -> Response:
    """Revealed comparative advantage (Balassa) of A's exports, by product, and to B.

    ``top`` only cuts the command's table; the document lists every product, as ``--json``.
    """
    key = ("rca", a, b, year, level, min_exports)
    return _answer(
        request,
        key,
        lambda: _dyad(request, a, b, None, None).rca(
            year, level=level, min_exports_usd=min_exports
        ),
    )


@router.get("/trade/complementarity", response_model=model_for(Complementarity))
def trade_complementarity(
    request: Request, a: Country, b: Country, year: YearQ, level: LevelQ = 6
) -> Response:
    """Trade complementarity index between A's exports and B's imports (0-100)."""
    key = ("complementarity", a, b, year, level)
    return _answer(
        request, key, lambda: _dyad(request, a, b, None, None).complementarity(year, level=level)
    )


@router.get("/trade/intensity", response_model=model_for(Intensity))
def trade_intensity(request: Request, a: Country, b: Country, year: YearQ) -> Response:
    """Trade intensity index of A's exports to B."""
    key = ("intensity", a, b, year)
    return _answer(request, key, lambda: _dyad(request, a, b, None, None).intensity(year))


@router.get("/trade/mirror", response_model=model_for(MirrorGap))
def trade_mirror(
    request: Request,
    a: Country,
    b: Country,
    years: YearsQ = None,
    year: MaybeYear = None,
    level: Annotated[int, Query(description="0 for totals, or 2, 4, 6.")] = 0,
) -> Response:
    """Mirror gap: A's declared exports to B against B's declared imports from A."""
    start, end = _span(years, year)
    key = ("mirror", a, b, start, end, level)
    return _answer(
        request, key, lambda: _dyad(request, a, b, None, None).mirror(start, end, level=level)
    )


# ------------------------------------------------------------------------------ potential

SourceQ = Annotated[
    str | None, Query(pattern=r"^[A-Za-z0-9_:.-]{1,64}$", description="One source only.")
]
HsRevQ = Annotated[
    str | None, Query(pattern=r"^HS\d{2}$", description="One HS revision only (e.g. HS17).")
]

ActualYearsQ = Annotated[
    int, Query(ge=1, le=20, description="Actual sales: average over this many years (ITC: 5).")
]


ProductQ = Annotated[
    str | None, Query(pattern=r"^[0-9. ]{1,8}$", description="An HS code at any level (44).")
]
BasketQ = Annotated[
    str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="A product basket.")
]


@router.get("/trade/market", response_model=model_for(MarketResult))
def trade_market(
    request: Request,
    market: Country,
    year: YearQ,
    product: ProductQ = None,
    basket: BasketQ = None,
    exporter: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_]{2,16}$")] = None,
    top: TopQ = 20,
) -> Response:
    """A market's imports of a product or basket by supplier."""
    from bilat.trade.market import market as market_table

    lake = app_state(request).lake
    key = ("market", market, year, product, basket, exporter, top)
    return _answer(request, key, lambda: market_table(
        lake, market, year=year, product=product, basket=basket, exporter=exporter, top=top
    ))  # fmt: skip


@router.get("/trade/third-market", response_model=model_for(ThirdMarket))
def trade_third_market(
    request: Request,
    market: Country,
    year: YearQ,
    exporters: Annotated[str, Query(pattern=r"^[A-Za-z0-9_, ]{2,200}$")],
    product: ProductQ = None,
    basket: BasketQ = None,
) -> Response:
    """Several exporters side by side in one market."""
    from bilat.trade.market import third_market

    lake = app_state(request).lake
    who = [e.strip() for e in exporters.split(",") if e.strip()]
    key = ("third-market", market, year, tuple(who), product, basket)
    return _answer(request, key, lambda: third_market(
        lake, market, exporters=who, year=year, product=product, basket=basket
    ))  # fmt: skip


@router.get("/trade/opportunities", response_model=model_for(Opportunities))
def trade_opportunities(
    request: Request,
    market: Country,
    year: YearQ,
    exporter: Country,
    level: LevelQ = 4,
    span: Annotated[int, Query(ge=1, le=20, description="Years of growth.")] = 5,
    max_share: Annotated[float, Query(ge=0, description="Exporter's share below (%).")] = 5.0,
    min_value: Annotated[float, Query(ge=0, description="Imports at least (USD).")] = 0.0,
    top: TopQ = 20,
) -> Response:
    """A market's fastest-growing imports where the exporter is absent or small."""
    from bilat.trade.market import opportunities

    lake = app_state(request).lake
    key = ("opportunities", market, year, exporter, level, span, max_share, min_value, top)
    return _answer(request, key, lambda: opportunities(
        lake, market, exporter=exporter, year=year, level=level, span=span,
        max_share_pct=max_share, min_value_usd=min_value, top=top,
    ))  # fmt: skip


@router.get("/potential/products", response_model=model_for(ProductPotential))
def potential_products(
    request: Request,
    exporter: Country,
    market: Country,
    year: YearQ,
    top: TopQ = 20,
    level: LevelQ = 6,
    growth: Annotated[float | None, Query(description="Annual demand growth (0.05).")] = None,
    horizon: Annotated[int, Query(ge=0, le=50, description="Years to project ahead.")] = 0,
    source: SourceQ = None,
    basis: BasisQ = None,
    hs_rev: HsRevQ = None,
    precedence: PrecedenceQ = None,
    actual_years: ActualYearsQ = 5,
) -> Response:
    """Export potential of EXPORTER in MARKET by product: potential, actual, untapped."""
    from bilat.errors import InputError
    from bilat.potential import market_potential

    if growth is None and horizon:
        raise InputError("horizon needs growth (an annual rate such as 0.05)")
    lake = app_state(request).lake
    key = ("potential", exporter, market, year, top, level, growth, horizon, source, basis,
           hs_rev, precedence, actual_years)  # fmt: skip
    return _answer(request, key, lambda: market_potential(
        lake, exporter, market, year=year, level=level, demand_growth=growth,
        horizon=horizon, source=source, basis=basis,
        hs_rev=hs_rev, order=precedence, top=top, actual_years=actual_years,
    ))  # fmt: skip


@router.get("/potential/markets", response_model=model_for(ExportPotential))
def potential_markets(
    request: Request,
    exporter: Country,
    year: YearQ,
    top: TopQ = 20,
    level: LevelQ = 6,
    source: SourceQ = None,
    basis: BasisQ = None,
    hs_rev: HsRevQ = None,
    precedence: PrecedenceQ = None,
    actual_years: ActualYearsQ = 5,
) -> Response:
    """Export potential of EXPORTER in every market, largest untapped first."""
    from bilat.potential import export_potential

    lake = app_state(request).lake
    key = ("markets", exporter, year, top, level, source, basis, hs_rev, precedence, actual_years)
    return _answer(request, key, lambda: export_potential(
        lake, exporter, year=year, level=level, source=source, basis=basis, hs_rev=hs_rev,
        order=precedence, top=top, actual_years=actual_years,
    ))  # fmt: skip


@router.get("/potential/complexity", response_model=model_for(Complexity))
def potential_complexity(
    request: Request,
    year: YearQ,
    level: LevelQ = 4,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_]{2,16}$")] = None,
    top: TopQ = 20,
    rca_threshold: Annotated[float, Query(gt=0, description="M = 1 where RCA >= this.")] = 1.0,
    presence: Annotated[Presence, Query(description="rca (rpop needs a population file).")] = "rca",
    continuous: bool = False,
    min_exports: Annotated[float | None, Query(ge=0)] = None,
    min_product_exports: Annotated[float | None, Query(ge=0)] = None,
    source: SourceQ = None,
    basis: BasisQ = None,
    hs_rev: HsRevQ = None,
    precedence: PrecedenceQ = None,
) -> Response:
    """Economic complexity of one year: ECI and COI by country, PCI by product (the Atlas)."""
    from bilat.potential.complexity import complexity

    lake = app_state(request).lake
    key = ("complexity", year, level, country, top, rca_threshold, presence, continuous,
           min_exports, min_product_exports, source, basis, hs_rev, precedence)  # fmt: skip
    return _answer(request, key, lambda: complexity(
        lake, year=year, level=level, country=country, top=top, rca_threshold=rca_threshold,
        presence=presence, continuous=continuous, min_exports=min_exports,
        min_product_exports=min_product_exports, source=source, basis=basis, hs_rev=hs_rev,
        order=precedence,
    ))  # fmt: skip


@router.get("/potential/promising", response_model=model_for(PromisingProducts))
def potential_promising(
    request: Request,
    exporter: Country,
    market: Country,
    year: YearQ,
    level: LevelQ = 4,
    top: TopQ = 20,
    sort: Annotated[
        PromisingSort, Query(description="imports, growth, density, cog, pci.")
    ] = "imports",
    max_rca: Annotated[float | None, Query(gt=0)] = None,
    density_quantile: Annotated[float, Query(ge=0, lt=1)] = 0.75,
    growth_years: Annotated[int, Query(ge=1, le=20)] = 5,
    rca_threshold: Annotated[float, Query(gt=0)] = 1.0,
    min_exports: Annotated[float | None, Query(ge=0)] = None,
    source: SourceQ = None,
    basis: BasisQ = None,
    hs_rev: HsRevQ = None,
    precedence: PrecedenceQ = None,
) -> Response:
    """Products EXPORTER is close to exporting (high density, little export) and MARKET buys."""
    from bilat.potential.promising import promising_products

    lake = app_state(request).lake
    key = ("promising", exporter, market, year, level, top, sort, max_rca, density_quantile,
           growth_years, rca_threshold, min_exports, source, basis, hs_rev, precedence)  # fmt: skip
    return _answer(request, key, lambda: promising_products(
        lake, exporter, market, year=year, level=level, top=top, sort=sort, max_rca=max_rca,
        density_quantile=density_quantile, growth_years=growth_years,
        rca_threshold=rca_threshold, min_exports=min_exports, source=source, basis=basis,
        hs_rev=hs_rev, order=precedence,
    ))  # fmt: skip


GRAVITY_TYPES = (".csv", ".tsv", ".dlm", ".txt", ".gz", ".parquet", ".pq", ".dta", ".zip")


@router.post("/potential/gravity", response_model=model_for(GravityRun))
async def potential_gravity(
    request: Request,
    panel: Annotated[UploadFile | None, File(description="Panel file (else: the lake).")] = None,
    geodist: Annotated[UploadFile | None, File(description="CEPII GeoDist file.")] = None,
    extra_covariates: Annotated[UploadFile | None, File(description="User covariates.")] = None,
    years: Annotated[str | None, Form(max_length=200)] = None,
    formula: Annotated[str | None, Form(max_length=2000, description="pyfixest formula.")] = None,
    method: Annotated[str, Form(max_length=8, description="ppml or ols.")] = "ppml",
    vcov: Annotated[str | None, Form(max_length=400, description="e.g. cluster:COL.")] = None,
    columns: Annotated[
        str | None, Form(max_length=400, description="Column roles: exporter=COL,...")
    ] = None,
    terms: Annotated[str | None, Form(max_length=400)] = None,
    cluster: Annotated[str | None, Form(max_length=20)] = None,
    small_sample: Annotated[str, Form(max_length=20)] = "fixest",
    maxiter: Annotated[int, Form(ge=1, le=10_000)] = 25,
    separation: Annotated[str, Form(max_length=8)] = "both",
    distance: Annotated[str, Form(max_length=20)] = "distw",
    domestic: Annotated[bool, Form()] = False,
    dyad: Annotated[str | None, Form(max_length=40)] = None,
    year: Annotated[int | None, Form(ge=1950, le=2100)] = None,
    level: Annotated[int, Form()] = 6,
    source: Annotated[str | None, Form(max_length=64)] = None,
    basis: Annotated[str | None, Form(max_length=16)] = None,
    hs_rev: Annotated[str | None, Form(max_length=8)] = None,
    precedence: Annotated[str | None, Form(max_length=64)] = None,
) -> JSONResponse:
    """Estimate a gravity equation (the textbook PPML, or any formula) on the lake or on an
    uploaded panel (a POST: it receives files; it writes nothing)."""
    from starlette.concurrency import run_in_threadpool

    from bilat.potential import run_gravity

    current_user(request)
    check_csrf(request)
    st = app_state(request)
    options: dict[str, Any] = {"years": years, "formula": formula, "method": method,
               "vcov": vcov, "columns": columns, "terms": terms, "cluster": cluster,
               "small_sample": small_sample, "maxiter": maxiter, "separation": separation,
               "distance": distance, "domestic": domestic, "dyad": dyad, "year": year,
               "level": level, "source": source, "basis": basis, "hs_rev": hs_rev,
               "order": precedence}  # fmt: skip
    limit = st.settings.max_upload_bytes
    with tempfile.TemporaryDirectory(prefix="bilat-gravity-") as tmp:
        files: dict[str, Any] = {}
        for name, upload in (("panel", panel), ("geodist", geodist), ("extra_covariates",
                             extra_covariates)):  # fmt: skip
            if upload is not None:
                files[name] = await save_upload(
                    upload, FsPath(tmp), allowed=GRAVITY_TYPES, max_bytes=limit
                )
        lake = None if "panel" in files else st.lake

        def run() -> Any:
            with st.trade.lock:
                return run_gravity(lake, **files, **options)

        result = await run_in_threadpool(run)
    return document_response(result)


#: What a scenario route receives: tables (and the coefficients' JSON).
SCENARIO_TYPES = (".csv", ".tsv", ".txt", ".dlm", ".gz", ".parquet", ".dta", ".json")


@router.post("/potential/scenario", response_model=model_for(ScenarioResult))
async def potential_scenario(
    request: Request,
    data: Annotated[UploadFile, File(description="Baseline table: every pair, one year.")],
    coefficients: Annotated[UploadFile, File(description="Cost coefficients var,beta,stderr.")],
    change: Annotated[list[str], Form(description="Changes, e.g. pta=1@CAN-JPN,JPN-CAN.")],
    sigma: Annotated[float, Form(gt=1)],
    covariance: Annotated[UploadFile | None, File(description="Covariance matrix.")] = None,
    reference_importer: Annotated[str | None, Form(max_length=8)] = None,
    year: Annotated[int | None, Form(ge=1900, le=2100)] = None,
    columns: Annotated[str | None, Form(max_length=400)] = None,
    model: Annotated[str, Form(max_length=20)] = "full",
    draws: Annotated[int, Form(ge=0, le=10_000)] = 0,
    seed: Annotated[int, Form()] = 0,
) -> JSONResponse:
    """General-equilibrium effects of a change in trade costs (a POST: it receives files; it
    writes nothing)."""
    from starlette.concurrency import run_in_threadpool

    from bilat.potential import run_scenario

    current_user(request)
    check_csrf(request)
    limit = app_state(request).settings.max_upload_bytes
    options: dict[str, Any] = {"changes": change, "sigma": sigma, "year": year,
               "reference_importer": reference_importer, "columns": columns, "model": model,
               "draws": draws, "seed": seed}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bilat-scenario-") as tmp:
        files: dict[str, Any] = {}
        for name, upload in (("data", data), ("coefficients", coefficients),
                             ("covariance", covariance)):  # fmt: skip
            if upload is not None:
                files[name] = await save_upload(
                    upload, FsPath(tmp), allowed=SCENARIO_TYPES, max_bytes=limit
                )
        result = await run_in_threadpool(lambda: run_scenario(**files, **options))
    return document_response(result)


# ------------------------------------------------------------------------------ mirror


@router.get("/mirror/report", response_model=model_for(MirrorReport))
def mirror_report_route(
    request: Request,
    a: Country,
    b: Country,
    years: Annotated[
        str | None,
        Query(
            pattern=r"^[\d,\s-]{4,200}$",
            description="Years as FIRST-LAST or Y1,Y2 (default: every year held).",
        ),
    ] = None,
    level: Annotated[int, Query(description="HS level: 0 (totals), 2, 4 or 6.")] = 6,
    top: Annotated[int, Query(ge=1, le=10_000, description="Largest gaps listed.")] = 15,
) -> Response:
    """Declared exports against declared imports of a dyad, gap by product, suspected causes.

    GeoDist is the server's: ``$BILAT_GEODIST_FILE``, else the file ``bilat fetch geodist``
    stored. ``top`` shortens the CLI's table only; the document lists every product.
    """
    from bilat.options import parse_year_list
    from bilat.trade.mirror import mirror_report

    st = app_state(request)
    span = None if years is None else list(parse_year_list(years))

    def compute() -> Any:
        return mirror_report(
            st.lake.declarations(), a, b, server_geodist(), level=level, years=span
        )

    return _answer(request, ("mirror-report", a.upper(), b.upper(), years, level), compute)


def server_geodist() -> FsPath:
    """The GeoDist file of this server: ``$BILAT_GEODIST_FILE``, else the stored download."""
    import os

    from bilat.sources.fetch.geodist import stored_geodist

    named = os.environ.get("BILAT_GEODIST_FILE")
    return FsPath(named) if named else stored_geodist()


@router.get("/trade/iit", response_model=model_for(IntraIndustry))
def trade_iit(
    request: Request,
    a: Country,
    b: Country,
    year: YearQ,
    end: Annotated[int | None, Query(description="Last year of a series.")] = None,
    level: LevelQ = 4,
    basket: Annotated[str | None, Query(description="Only this basket's groups.")] = None,
) -> Response:
    """Intra-industry trade (Grubel–Lloyd) of A and B by product group."""
    key = ("iit", a, b, year, end, level, basket)
    years = range(year, (end if end is not None else year) + 1)
    return _answer(request, key, lambda: _dyad(request, a, b, None, None).iit(
        years, level=level, basket=basket
    ))  # fmt: skip
