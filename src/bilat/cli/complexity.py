"""``bilat potential complexity|promising``: economic complexity and promising products."""

from __future__ import annotations

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
from bilat.cli.potential import (
    BasisOption,
    HsRevOption,
    PrecedenceOption,
    SourceOption,
    _short,
    potential_app,
)
from bilat.options import Level, Presence, PromisingSort

__all__ = ["complexity_command", "promising_command", "register"]

YearOption = Annotated[int, typer.Option("--year", help="The year.")]
ComplexityLevel = Annotated[Level, typer.Option("--level", help="HS level of the products.")]
TopOption = Annotated[int, typer.Option("--top", help="How many rows to list.")]
ThresholdOption = Annotated[
    float, typer.Option("--rca-threshold", help="M = 1 where RCA (or RPOP) >= this.")
]
MinExportsOption = Annotated[
    float | None,
    typer.Option("--min-exports", help="Leave out countries exporting less (USD)."),
]


@potential_app.command("complexity")
def complexity_command(
    year: YearOption,
    level: ComplexityLevel = 4,
    country: Annotated[
        str | None, typer.Option("--country", help="Show this country and its nearest products.")
    ] = None,
    top: TopOption = 20,
    rca_threshold: ThresholdOption = 1.0,
    presence: Annotated[
        Presence, typer.Option("--presence", help="rca, or rpop (needs --population).")
    ] = "rca",
    continuous: Annotated[
        bool, typer.Option("--continuous", help="Proximity from RCA correlations.")
    ] = False,
    min_exports: MinExportsOption = None,
    min_product_exports: Annotated[
        float | None,
        typer.Option("--min-product-exports", help="Leave out products traded less (USD)."),
    ] = None,
    population: Annotated[
        Path | None,
        typer.Option(
            "--population", help="CSV of population by ISO3 (country, population[, year])."
        ),
    ] = None,
    min_population: Annotated[
        float | None,
        typer.Option("--min-population", help="Leave out countries with fewer inhabitants."),
    ] = None,
    source: SourceOption = None,
    basis: BasisOption = None,
    hs_rev: HsRevOption = None,
    precedence: PrecedenceOption = None,
    lake: LakeOption = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Economic complexity of one year: ECI and COI by country, PCI by product (the Atlas)."""
    from bilat.potential.complexity import complexity

    cx = complexity(
        open_lake(lake, home=home), year=year, level=level, rca_threshold=rca_threshold,
        presence=presence, continuous=continuous, min_exports=min_exports,
        population=population, min_population=min_population,
        min_product_exports=min_product_exports, country=country, source=source,
        basis=basis, hs_rev=hs_rev, order=precedence, top=top,
    )  # fmt: skip
    synthetic_banner(cx.synthetic)
    if as_json:
        print_json(cx)
        return
    synthetic_line(cx.synthetic)
    _show_complexity(cx, top)


def _show_complexity(cx: Any, top: int) -> None:
    doc = cx.to_dict(top=top)
    console.print(
        f"Economic complexity {cx.year}, HS{cx.level}: "
        f"{count(cx.n_countries, 'country', 'countries')}, {count(cx.n_products, 'product')}, "
        f"M = 1 where {cx.presence.upper()} >= {formats.number(cx.rca_threshold)}"
    )
    console.print(f"Rests on: {cx.basis}")
    for note in cx.notes:
        console.print(f"  note: {note}")
    if doc["country"]:
        c = doc["country"]
        console.print(
            f"{c['country']}: ECI {formats.number(c['eci'], digits=3)} (rank {c['eci_rank']} "
            f"of {cx.n_countries}), diversity {formats.integer(c['diversity'])}, "
            f"COI {formats.number(c['coi'], digits=3)}"
        )
        print_table(
            [{"product": r["product"], "description": _short(r["description"], 40),
              "rca": r["rca"], "density": r["density"], "pci": r["pci"], "cog": r["cog"]}
             for r in doc["nearby_products"]],
            title=f"Nearest products {c['country']} does not export with RCA >= threshold",
        )  # fmt: skip
        return
    print_table(doc["top_countries"], title=f"Top {top} countries by ECI")
    print_table(
        [{"product": r["product"], "description": _short(r["description"], 40),
          "ubiquity": r["ubiquity"], "pci": r["pci"]} for r in doc["top_products"]],
        title=f"Top {top} products by PCI",
    )  # fmt: skip


@potential_app.command("promising")
def promising_command(
    exporter: Annotated[str, typer.Argument(help="Exporting country A (ISO3 or name).")],
    market: Annotated[str, typer.Argument(help="Market B (ISO3 or name).")],
    year: YearOption,
    level: ComplexityLevel = 4,
    top: TopOption = 20,
    sort: Annotated[
        PromisingSort,
        typer.Option("--sort", help="Rank by imports (of B), growth, density, cog or pci."),
    ] = "imports",
    max_rca: Annotated[
        float | None,
        typer.Option("--max-rca", help="A's RCA below this (default: the RCA threshold)."),
    ] = None,
    density_quantile: Annotated[
        float,
        typer.Option("--density-quantile", help="A's density at least this quantile (0.75)."),
    ] = 0.75,
    growth_years: Annotated[
        int, typer.Option("--growth-years", help="B's import growth over this many years.")
    ] = 5,
    rca_threshold: ThresholdOption = 1.0,
    min_exports: MinExportsOption = None,
    source: SourceOption = None,
    basis: BasisOption = None,
    hs_rev: HsRevOption = None,
    precedence: PrecedenceOption = None,
    lake: LakeOption = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Products EXPORTER is close to exporting (high density, little export) and MARKET buys."""
    from bilat.potential.promising import promising_products

    pp = promising_products(
        open_lake(lake, home=home), exporter, market, year=year, level=level, top=top,
        sort=sort, max_rca=max_rca, density_quantile=density_quantile,
        growth_years=growth_years, rca_threshold=rca_threshold, min_exports=min_exports,
        source=source, basis=basis, hs_rev=hs_rev, order=precedence,
    )  # fmt: skip
    synthetic_banner(pp.synthetic)
    if as_json:
        print_json(pp)
        return
    synthetic_line(pp.synthetic)
    _show_promising(pp, top)


def _show_promising(pp: Any, top: int) -> None:
    console.print(
        f"{pp.exporter} → {pp.market} {pp.year} (HS{pp.level}): "
        f"{count(pp.n_candidates, 'product')} "
        f"with {pp.exporter}'s RCA < {formats.number(pp.max_rca)} and density >= "
        f"{formats.number(pp.density_floor, digits=3)} "
        f"(its {formats.number(100 * pp.density_quantile)}th percentile) that {pp.market} imports"
    )
    for note in pp.notes:
        console.print(f"  note: {note}")
    growth = f"growth %/yr since {pp.base_year}" if pp.base_year else "growth %/yr"
    print_table(
        [{"product": r["product"], "description": _short(r["description"], 36),
          "density": r["density"], "pci": r["pci"], "cog": r["cog"], "rca": r["a_rca"],
          f"{pp.market} imports": r["b_imports_usd"],
          growth: None if r["b_import_growth"] is None else 100 * r["b_import_growth"],
          f"from {pp.exporter}": r["a_exports_to_b_usd"]}
         for r in pp.to_dict(top=top)["products"]],
        title=f"Promising products, by {pp.sort}",
    )  # fmt: skip


def register(app: typer.Typer) -> None:
    """Nothing to add to the main app: the commands are ``bilat potential``'s (added to
    :data:`bilat.cli.potential.potential_app` when this module is imported)."""
