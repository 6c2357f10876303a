"""``bilat potential gravity|products|markets``: structural gravity and export potential."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from bilat import formats
from bilat.cli._common import (
    HomeOption,
    JsonOption,
    LakeOption,
    console,
    count,
    open_lake,
    print_json,
    print_table,
    synthetic_banner,
    synthetic_line,
)
from bilat.errors import EstimationError, InputError
from bilat.options import Cluster, Distance, GeModel, Level, Method, Separation, SmallSample

potential_app = typer.Typer(
    help="How much more trade is possible: structural gravity and product-level potential.",
    no_args_is_help=True,
)

SourceOption = Annotated[
    str | None,
    typer.Option("--source", help="Read flows of this source only (e.g. baci, comtrade)."),
]
BasisOption = Annotated[
    str | None,
    typer.Option(
        "--basis",
        help="Read one source class only: reconciled, national, exporter or importer.",
    ),
]
PrecedenceOption = Annotated[
    str | None,
    typer.Option(
        "--precedence",
        help="Source classes best first, comma-separated (default BILAT_PRECEDENCE or "
        "reconciled,national,exporter,importer).",
    ),
]
HsRevOption = Annotated[
    str | None, typer.Option("--hs-rev", help="Read flows of this HS revision only (e.g. HS17).")
]
LevelOption = Annotated[Level, typer.Option("--level", help="HS level of the products.")]


def _usd(value: float | None) -> str:
    return formats.money(value)


def _short(text: object, width: int = 48) -> str:
    s = "" if text is None or text != text else str(text)
    return s if len(s) <= width else s[: width - 1] + "…"


PanelOption = Annotated[
    Path | None,
    typer.Option(
        "--panel",
        help="Panel file (.csv, .tsv, .dlm, .txt, gzipped or not; .parquet; Stata .dta): "
        "exporter, importer, year, trade [+ covariates], or columns named by --map. "
        "Default: aggregate the lake's flows.",
    ),
]
GeoDistOption = Annotated[
    Path | None,
    typer.Option("--geodist", "--covariates", help="CEPII GeoDist file (dist_cepii.csv[.gz])."),
]
ExtraOption = Annotated[
    Path | None,
    typer.Option(
        "--extra-covariates",
        help="User covariates: exporter, importer[, year] and numeric columns (e.g. eaeu).",
    ),
]
GravityYears = Annotated[
    str | None,
    typer.Option(
        "--years",
        metavar="YEARS",
        help="Years: 2021, 2017-2023, 1986,1990 or 1986-2006/4 (every 4th).",
    ),
]
TermsOption = Annotated[
    str | None,
    typer.Option(
        "--terms",
        help="Regressors of the default specification, comma-separated; ln_X is the log of "
        "column X (default ln_dist,cntg,lang,clny).",
    ),
]
ClusterOption = Annotated[
    Cluster | None,
    typer.Option("--cluster", help="Older name of --vcov pair or --vcov directed_pair."),
]
FormulaOption = Annotated[
    str | None,
    typer.Option(
        "--formula",
        metavar="FORMULA",
        help="Any specification in pyfixest's syntax: 'DEPVAR ~ TERMS | FE1 + FE2', e.g. "
        "'Euros ~ log(dist_km) | Origin + Destination + Product + Year' (exporter^year "
        "interacts). Default: trade ~ --terms | exporter^year + importer^year.",
    ),
]
MethodOption = Annotated[
    Method,
    typer.Option("--method", help="ppml (Poisson, levels) or ols (least squares on logs)."),
]
VcovOption = Annotated[
    str | None,
    typer.Option(
        "--vcov",
        metavar="VCOV",
        help="Standard errors: pair (default), directed_pair, hetero, iid, cluster:COL or "
        "twoway:COL1+COL2.",
    ),
]
MapOption = Annotated[
    str | None,
    typer.Option(
        "--map",
        metavar="ROLE=COL,...",
        help="The panel's column for each role: exporter=Origin,importer=Destination,"
        "year=Year,trade=Euros,product=Product. A formula may use either name.",
    ),
]
MaxiterOption = Annotated[
    int,
    typer.Option(
        "--maxiter", min=1, metavar="N", help="Most PPML iterations (pyfixest's default 25)."
    ),
]
SeparationOption = Annotated[
    Separation,
    typer.Option(
        "--separation",
        help="Separation checks before PPML: both (default), fe (all-zero fixed effects), "
        "ir (iterative rectifier, for regressors) or none.",
    ),
]
SmallSampleOption = Annotated[
    SmallSample,
    typer.Option("--small-sample", help="fixest (pyfixest default) or stata (G/(G-1), as ppml)."),
]
DistanceOption = Annotated[
    Distance, typer.Option("--distance", help="GeoDist distance measure to use as dist.")
]
DyadOption = Annotated[
    str | None,
    typer.Option("--dyad", help="Two countries, e.g. BLR,KAZ: fitted vs actual both ways."),
]


@potential_app.command("gravity")
def gravity(
    panel: PanelOption = None,
    geodist: GeoDistOption = None,
    extra_covariates: ExtraOption = None,
    years: GravityYears = None,
    formula: FormulaOption = None,
    method: MethodOption = "ppml",
    vcov: VcovOption = None,
    columns: MapOption = None,
    terms: TermsOption = None,
    cluster: ClusterOption = None,
    small_sample: SmallSampleOption = "fixest",
    maxiter: MaxiterOption = 25,
    separation: SeparationOption = "both",
    distance: DistanceOption = "distw",
    domestic: Annotated[
        bool, typer.Option("--domestic", help="Keep domestic flows (exporter == importer).")
    ] = False,
    dyad: DyadOption = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Year of the dyad comparison (default: last).")
    ] = None,
    level: LevelOption = 6,
    source: SourceOption = None,
    basis: BasisOption = None,
    hs_rev: HsRevOption = None,
    precedence: PrecedenceOption = None,
    lake: LakeOption = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Estimate a gravity equation: by default PPML with exporter-year and importer-year
    fixed effects, clustered by pair; any other specification with --formula."""
    options = {
        "panel": panel,
        "geodist": geodist,
        "extra_covariates": extra_covariates,
        "distance": distance,
        "years": years,
        "formula": formula,
        "method": method,
        "vcov": vcov,
        "columns": columns,
        "terms": terms,
        "cluster": cluster,
        "small_sample": small_sample,
        "maxiter": maxiter,
        "separation": separation,
        "domestic": domestic,
        "dyad": dyad,
        "year": year,
        "level": level,
        "source": source,
        "basis": basis,
        "hs_rev": hs_rev,
        "order": precedence,
    }
    run = _gravity(open_lake(lake, home=home) if panel is None else None, options)
    synthetic_banner(run.synthetic)
    if as_json:
        print_json(run)
        return
    _print_gravity(run.fit, run.dyads, money=_usd if run.unit == "USD" else _plain)


def _gravity(lk: Any, options: dict[str, Any]) -> Any:
    """:func:`bilat.potential.run_gravity`, its messages about options in CLI flags."""
    from bilat.potential import run_gravity

    try:
        return run_gravity(lk, **options)
    except InputError as exc:
        if "columns" in exc.details:
            flags = "--map ROLE=COL, --covariates GEODIST_FILE or --extra-covariates FILE"
        elif exc.details.get("option") == "columns":
            flags = "--map ROLE=COL,... for columns="
        else:
            raise
        raise exc.with_message(f"{exc.message} (on the command line: {flags})") from None
    except EstimationError as exc:
        if exc.details.get("option") != "maxiter":
            raise
        raise exc.with_message(
            f"{exc.message} (on the command line: --maxiter N, --separation both)"
        ) from None


def _plain(value: float | None) -> str:
    return "—" if value is None else f"{formats.number(value, digits=1)} (panel units)"


def _num(value: float | None, digits: int) -> str:
    return formats.number(value, digits=digits)


def _print_gravity(fit: Any, pairs: Sequence[Any], *, money: Any) -> None:
    rows = [
        {
            "term": c.term,
            "estimate": _num(c.estimate, 3),
            "std. error": f"({_num(c.std_error, 3)})",
            "p-value": _num(c.p_value, 4),
        }
        for c in fit.coefficients
    ]
    cfg = fit.config
    fe = ", ".join(f"{f.name} ({formats.integer(f.count)})" for f in fit.fixed_effects) or "none"
    clusters = ", ".join(f"{formats.integer(c.count)} {c.name}" for c in fit.clusters)
    vcov = cfg.vcov.text + (f" ({clusters} clusters)" if clusters else "")
    fit_stat = f"R² {_num(fit.r2, 3)}"
    if fit.pseudo_r2 is not None:
        fit_stat += f", pseudo R² {_num(fit.pseudo_r2, 3)}"
    print_table(
        rows,
        title=f"{cfg.method.upper()} gravity: {fit.formula}",
        caption=(
            f"N = {formats.integer(fit.n_obs)} ({formats.integer(fit.n_dropped)} dropped)"
            + (f", {_years(fit.years)}" if fit.years else "")
            + f"; fixed effects {fe}; vcov {vcov}, small-sample {cfg.small_sample}; {fit_stat}"
        ),
    )
    if fit.dropped:
        dropped = "; ".join(f"{d.reason} {formats.integer(d.rows)}" for d in fit.dropped)
        console.print("Rows dropped: " + dropped)
    for w in fit.warnings:
        console.print(f"Warning: {w}")
    if any("columns=" in w for w in fit.warnings):
        console.print("  (on the command line, columns= is --map ROLE=COL,...)")
    for d in pairs:
        when = "" if d.year is None else f" {d.year}"
        console.print(
            f"{d.exporter} → {d.importer}{when}: actual {money(d.actual_usd)}, gravity "
            f"{money(d.fitted_usd)}, gap {money(d.gap_usd)} (actual/fitted {_num(d.ratio, 2)})"
        )
    if pairs:
        console.print("Caveats:")
        for c in pairs[0].caveats:
            console.print(f"  - {c}")


def _years(years: Sequence[int]) -> str:
    return ("year " if len(years) == 1 else "years ") + ", ".join(map(str, years))


def _growth(
    growth: float | None, horizon: int, market_growth: Path | None = None
) -> tuple[float | None, int]:
    if growth is None and market_growth is None and horizon:
        raise InputError(
            "--horizon needs --growth (an annual rate such as 0.05) or --market-growth (a file)"
        )
    if (growth is not None or market_growth is not None) and not horizon:
        raise InputError(
            "--growth and --market-growth project demand --horizon years ahead; with no "
            "--horizon (0) nothing would be projected: give --horizon YEARS (e.g. 3)"
        )
    return growth, horizon if growth is not None or market_growth is not None else 0


ActualYearsOption = Annotated[
    int,
    typer.Option(
        "--actual-years",
        help="Actual sales: the average over this many years ending at --year (ITC: 5).",
    ),
]
MarketGrowthOption = Annotated[
    Path | None,
    typer.Option(
        "--market-growth",
        help="CSV market,gdp_growth,population_growth (annual rates): project each market's "
        "demand --horizon years with the elasticities.",
    ),
]
IncomeElasticityOption = Annotated[
    float, typer.Option("--income-elasticity", help="Of import demand to income per head.")
]
PopulationElasticityOption = Annotated[
    float, typer.Option("--population-elasticity", help="Of import demand to population.")
]
TariffsOption = Annotated[
    Path | None,
    typer.Option(
        "--tariffs",
        help="CSV market,product,partner,tariff (applied, percent): the exporter's tariff "
        "advantage over competitors enters ease of trade.",
    ),
]
TariffElasticityOption = Annotated[
    float, typer.Option("--tariff-elasticity", help="Exponent of the tariff factor.")
]


def _epi_flags(
    actual_years: int,
    market_growth: Path | None,
    income_elasticity: float,
    population_elasticity: float,
    tariffs: Path | None,
    tariff_elasticity: float,
) -> dict[str, Any]:
    return {
        "actual_years": actual_years,
        "market_growth": market_growth,
        "income_elasticity": income_elasticity,
        "population_elasticity": population_elasticity,
        "tariffs": tariffs,
        "tariff_elasticity": tariff_elasticity,
    }


def _show_products(pp: Any, top: int) -> None:
    """The text of ``bilat potential products``: the headline, then products, sections, baskets."""
    ease = formats.number(pp.ease)
    console.print(f"{pp.exporter} → {pp.market} {pp.year} (HS{pp.level}): {pp.summary()}.")
    console.print(
        f"Per product: potential = supply (the exporter's share of world exports) × demand "
        f"(the market's imports{', projected' if pp.demand_projection != 'none' else ''}) × "
        f"ease (the pair's ease of trade {ease}"
        f"{' × the tariff factor' if pp.tariffs else ''}); untapped = potential − actual "
        "where positive."
    )
    print_table(
        [
            {
                "product": r["product"],
                "description": _short(r["description"], 36),
                "supply %": round(100 * r["supply_share"], 2),
                "demand": r["market_demand_usd"],
                "ease": None if r["ease"] is None else round(r["ease"], 3),
                "potential": r["potential_usd"],
                "actual": r["actual_usd"],
                "untapped": r["unrealised_usd"],
                "actual rests on": f"{r['actual_basis']}, {r['actual_years_traded']} y",
            }
            for r in pp.top(top).to_dict(orient="records")
        ],
        title=f"Top {top} products by untapped potential (USD)",
        money=("demand", "potential", "actual", "untapped"),
    )
    sections = pp.by_section()
    print_table(
        [
            {
                "section": r["section"] or "?",
                "title": _short(r["title"], 40),
                "untapped": r["unrealised_usd"],
            }
            for r in sections[sections["unrealised_usd"] > 0].to_dict(orient="records")
        ],
        title="By HS section",
        money=("untapped",),
    )
    baskets = pp.by_basket()
    if not baskets.empty:
        print_table(
            [
                {"basket": r["title"], "actual": r["actual_usd"], "untapped": r["unrealised_usd"]}
                for r in baskets.to_dict(orient="records")
            ],
            title="Baskets (areas of cooperation)",
            money=("actual", "untapped"),
        )


@potential_app.command("products")
def products(
    exporter: Annotated[str, typer.Argument(help="Exporting country (ISO3 or name).")],
    market: Annotated[str, typer.Argument(help="Market (ISO3 or name).")],
    year: Annotated[int, typer.Option("--year", help="Base year.")],
    top: Annotated[int, typer.Option("--top", help="How many products to list.")] = 20,
    level: LevelOption = 6,
    growth: Annotated[
        float | None,
        typer.Option("--growth", help="Project market demand at this annual rate (0.05 = 5%)."),
    ] = None,
    horizon: Annotated[int, typer.Option("--horizon", help="Years to project ahead.")] = 0,
    source: SourceOption = None,
    basis: BasisOption = None,
    hs_rev: HsRevOption = None,
    precedence: PrecedenceOption = None,
    lake: LakeOption = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
    actual_years: ActualYearsOption = 5,
    market_growth: MarketGrowthOption = None,
    income_elasticity: IncomeElasticityOption = 1.0,
    population_elasticity: PopulationElasticityOption = 1.0,
    tariffs: TariffsOption = None,
    tariff_elasticity: TariffElasticityOption = 5.0,
) -> None:
    """Export potential of EXPORTER in MARKET by product: potential, actual, untapped."""
    from bilat.potential.products import market_potential

    rate, years_ahead = _growth(growth, horizon, market_growth)
    pp = market_potential(
        open_lake(lake, home=home),
        exporter,
        market,
        year=year,
        level=level,
        demand_growth=rate,
        horizon=years_ahead,
        source=source,
        basis=basis,
        hs_rev=hs_rev,
        order=precedence,
        top=top,
        **_epi_flags(
            actual_years,
            market_growth,
            income_elasticity,
            population_elasticity,
            tariffs,
            tariff_elasticity,
        ),
    )
    synthetic_banner(pp.synthetic)
    if as_json:
        print_json(pp)
        return
    synthetic_line(pp.synthetic)
    _show_products(pp, top)


@potential_app.command("markets")
def markets(
    exporter: Annotated[str, typer.Argument(help="Exporting country (ISO3 or name).")],
    year: Annotated[int, typer.Option("--year", help="Base year.")],
    top: Annotated[int, typer.Option("--top", help="How many markets to list.")] = 20,
    level: LevelOption = 6,
    source: SourceOption = None,
    basis: BasisOption = None,
    hs_rev: HsRevOption = None,
    precedence: PrecedenceOption = None,
    lake: LakeOption = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
    actual_years: ActualYearsOption = 5,
    horizon: Annotated[int, typer.Option("--horizon", help="Years to project ahead.")] = 0,
    market_growth: MarketGrowthOption = None,
    income_elasticity: IncomeElasticityOption = 1.0,
    population_elasticity: PopulationElasticityOption = 1.0,
    tariffs: TariffsOption = None,
    tariff_elasticity: TariffElasticityOption = 5.0,
) -> None:
    """Export potential of EXPORTER in every market, largest untapped first."""
    from bilat.potential.products import export_potential

    _, years_ahead = _growth(None, horizon, market_growth)
    ep = export_potential(
        open_lake(lake, home=home),
        exporter,
        year=year,
        level=level,
        horizon=years_ahead,
        source=source,
        basis=basis,
        hs_rev=hs_rev,
        order=precedence,
        top=top,
        **_epi_flags(
            actual_years,
            market_growth,
            income_elasticity,
            population_elasticity,
            tariffs,
            tariff_elasticity,
        ),
    )
    synthetic_banner(ep.synthetic)
    if as_json:
        print_json(ep)
        return
    synthetic_line(ep.synthetic)
    _show_markets(ep, top)


def _show_markets(ep: Any, top: int) -> None:
    """The text of ``bilat potential markets``: one row per market, then the identity."""
    print_table(
        [
            {
                "market": r["market"],
                "ease": r["ease"],
                "potential": r["potential_usd"],
                "actual": r["actual_usd"],
                "untapped": r["unrealised_usd"],
                "above potential": r["above_potential_usd"],
                "products": r["n_products"],
            }
            for r in ep.markets.head(top).to_dict(orient="records")
        ],
        title=f"{ep.exporter} {ep.year}: untapped potential by market (USD; actual = average "
        f"of {', '.join(map(str, ep._query.held))})",
        money=("potential", "actual", "untapped", "above potential"),
    )
    console.print(
        "Untapped = Σ (potential − actual) over products that fall short; above potential = "
        "Σ (actual − potential) over the others; untapped − above = potential − actual."
    )


YearOptionGE = Annotated[
    int | None,
    typer.Option("--year", metavar="YEAR", help="Year of the data, when it holds several."),
]


ScenarioData = Annotated[
    Path,
    typer.Argument(
        help="Baseline table (CSV, TSV, .dlm, gzip, Parquet, .dta): every exporter-importer "
        "pair of one year, domestic flows included: exporter, importer, trade, the cost "
        "variables [, year, output (Y), expenditure (E)].",
        show_default=False,
    ),
]


@potential_app.command("scenario")
def scenario(
    data: ScenarioData,
    coefficients: Annotated[
        Path,
        typer.Option(
            "--coefficients",
            help="Cost coefficients: a table var,beta[,stderr] or the JSON of bilat potential "
            "gravity --json.",
            show_default=False,
        ),
    ],
    change: Annotated[
        list[str],
        typer.Option(
            "--change",
            metavar="VAR=VALUE@PAIRS",
            help="A change, e.g. pta=1@CAN-JPN,JPN-CAN (A~B both ways, * any country, += "
            "adds, ad_valorem=0.1@A-B a 10 % cost equivalent); repeatable.",
            show_default=False,
        ),
    ],
    sigma: Annotated[
        float,
        typer.Option("--sigma", help="Elasticity of substitution (> 1).", show_default=False),
    ],
    reference_importer: Annotated[
        str | None,
        typer.Option(
            "--reference-importer",
            help="Country whose inward resistance is the numeraire (default: largest expenditure).",
        ),
    ] = None,
    year: YearOptionGE = None,
    columns: Annotated[
        str | None,
        typer.Option(
            "--map",
            metavar="ROLE=COLUMN,...",
            help="Columns for roles exporter, importer, year, trade, output, expenditure.",
        ),
    ] = None,
    model: Annotated[
        GeModel,
        typer.Option("--model", help="full (full endowment) or gegravity's formulation."),
    ] = "full",
    draws: Annotated[
        int, typer.Option("--draws", help="Monte Carlo draws of the coefficients (0: none).")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the Monte Carlo draws.")] = 0,
    covariance: Annotated[
        Path | None,
        typer.Option("--covariance", help="Covariance matrix of the coefficients (var, ...)."),
    ] = None,
    dyad: Annotated[
        str | None,
        typer.Option("--dyad", metavar="A,B", help="A pair to report first, e.g. BLR,KAZ."),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Countries and pairs to list.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """General-equilibrium effects of a change in trade costs (conditional and full)."""
    from bilat.options import check_top, parse_dyad
    from bilat.potential.scenario import run_scenario

    pair = parse_dyad(dyad) if dyad else None
    check_top(top)
    try:
        result = run_scenario(
            data, coefficients=coefficients, changes=change, sigma=sigma,
            reference_importer=reference_importer, year=year, columns=columns, model=model,
            draws=draws, seed=seed, covariance=covariance,
        )  # fmt: skip
    except InputError as exc:  # the library's keywords, in this command's flags
        if type(exc) is not InputError:
            raise
        raise InputError(_flags(exc.message), details=exc.details) from None
    if as_json:
        print_json(result)
        return
    _print_scenario(result, pair, top)


_SCENARIO_FLAGS = {
    "columns=": "--map",
    "year=": "--year",
    "draws=": "--draws",
    "covariance=": "--covariance",
    "reference_importer names": "--reference-importer names",
    "changes names": "--change names",
    "a stderr column in coefficients": "a stderr column in --coefficients",
}


def _flags(message: str) -> str:
    for word, flag in _SCENARIO_FLAGS.items():
        message = message.replace(word, flag)
    return message


def _pc(value: float | None, digits: int = 3) -> str:
    return formats.percent(value, signed=True, digits=digits)


def _print_scenario_head(r: Any, pair: tuple[str, str] | None) -> None:
    """The model, the changes and, for a dyad, its trade and welfare changes."""
    console.print(
        f"GE scenario, {r.model} model, σ = {formats.number(r.sigma)}, reference importer "
        f"{r.reference_importer}" + (f", {r.year}" if r.year is not None else "")
    )
    console.print(
        "  full endowment: prices, incomes and the resistances adjust; --model gegravity "
        "gives gegravity's formulation (shares held in the resistances)"
        if r.model == "full"
        else "  gegravity's formulation; the default full-endowment model lets the output "
        "and expenditure shares move too"
    )
    for ch in r.changes:
        console.print(f"  change {ch.text}: {count(ch.pairs_changed, 'pair')} changed")
    if pair is not None:
        a, b = pair
        for x, y in ((a, b), (b, a)):
            p = r.pair(x, y)
            console.print(
                f"{x} → {y}: trade {_pc(p.change_pct)} (conditional {_pc(p.conditional_change_pct)})"
            )
        for c in (a, b):
            e = r.country(c)
            console.print(
                f"{c}: real GDP {_pc(e.gdp_change_pct)}, welfare {_pc(e.welfare_change_pct)}"
            )


def _print_scenario(r: Any, pair: tuple[str, str] | None, top: int) -> None:
    """The text of ``bilat potential scenario``: the head, the tables, the solver, the caveats."""
    _print_scenario_head(r, pair)
    ranked = sorted(r.countries, key=lambda c: -abs(c.gdp_change_pct))[:top]
    print_table(
        [
            {
                "country": c.country,
                "real GDP": _pc(c.gdp_change_pct),
                "welfare": _pc(c.welfare_change_pct),
                "factory-gate price": _pc(c.factory_gate_price_change_pct),
                "foreign exports": _pc(c.foreign_exports_change_pct),
                "foreign imports": _pc(c.foreign_imports_change_pct),
                "domestic trade": _pc(c.intranational_trade_change_pct),
            }
            for c in ranked
        ],
        title=f"Countries most affected (of {len(r.countries)})",
        caption="Changes from the model's baseline to the counterfactual, in percent.",
    )
    moved = sorted(r.pairs, key=lambda p: -abs(p.change_pct))[:top]
    print_table(
        [
            {
                "pair": f"{p.exporter} → {p.importer}",
                "baseline (model)": formats.number(p.trade_baseline, digits=1),
                "counterfactual": formats.number(p.trade_counterfactual, digits=1),
                "change": _pc(p.change_pct),
                "conditional": _pc(p.conditional_change_pct),
            }
            for p in moved
        ],
        title="Trade flows that change most (data units)",
    )
    for iv in r.intervals:
        if pair is not None and iv.subject in pair and iv.measure == "gdp_change_pct":
            console.print(
                f"{iv.subject} real GDP, 95 % of {r.draws - r.draws_failed} draws: "
                f"{_pc(iv.low)} to {_pc(iv.high)}"
            )
    console.print(f"Output and expenditure: {r.output_source}.")
    for s in r.solver:
        console.print(
            f"Solver, {s.system}: "
            + (
                f"{count(s.iterations, 'iteration')}, residual {s.residual:.1e}"  # not-a-figure: a solver tolerance in scientific notation
                if s.iterations
                else s.method
            )
        )
    console.print("Caveats:")
    for c in r.caveats:
        console.print(f"  - {c}")


def register(app: typer.Typer) -> None:
    """Add ``bilat potential ...`` to the main app."""
    app.add_typer(potential_app, name="potential")
