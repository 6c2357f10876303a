"""``bilat mirror report|reconcile``: a dyad's mirror gaps, and reconciliation into the lake."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
)
from bilat.cli.fetch import parse_years
from bilat.errors import InputError, NotFoundError
from bilat.options import MarginSpec

if TYPE_CHECKING:
    from bilat.acquire import LakeReconciliation

mirror_app = typer.Typer(
    help="Exporter's against importer's declarations: CIF/FOB margins, reconciled flows, "
    "the gaps of a dyad and their suspected causes.",
    no_args_is_help=True,
)

GeoOption = Annotated[
    Path | None,
    typer.Option(
        "--geodist",
        envvar="BILAT_GEODIST_FILE",
        help="CEPII dist_cepii file: .csv, .csv.gz, .dta or the .zip CEPII distributes "
        "(default: the one `bilat fetch geodist` stored).",
        show_default=False,
    ),
]
CountriesOption = Annotated[
    Path | None,
    typer.Option(
        "--countries",
        envvar="BILAT_GEO_COUNTRIES_FILE",
        help="CEPII geo_cepii file (country table, for the landlocked regressors; "
        "without it they are left out).",
        show_default=False,
    ),
]
MarginModelOption = Annotated[
    MarginSpec,
    typer.Option(
        "--margin-model",
        help="CIF/FOB margin regressors: baci (distance, distance², contiguity, landlocked, "
        "the product's median unit value, year effects) or distance (distance, contiguity).",
    ),
]
YearsOption = Annotated[
    str | None,
    typer.Option("--years", metavar="YEARS", help="Years: 2017-2023 or 2017,2019 (default: all)."),
]
LevelOption = Annotated[int, typer.Option("--level", help="HS level: 0 (totals), 2, 4 or 6.")]
ConvertOption = Annotated[
    str | None,
    typer.Option("--convert-to", help="Convert declarations to this HS revision first (HS17)."),
]
ConcordanceOption = Annotated[
    list[Path] | None,
    typer.Option("--concordance", help="UNSD correlation table (xlsx/csv); repeatable."),
]

_TOTALS = ["year", "exporter", "importer", "exports_declared_usd", "imports_declared_usd",
           "imports_fob_usd", "gap_usd", "gap_cif_fob_usd", "gap_other_usd", "reconciled_usd",
           "products", "both_declared"]  # fmt: skip
_GAPS = ["year", "exporter", "product", "exports_declared_usd", "imports_declared_usd",
         "gap_usd", "gap_other_usd", "causes"]  # fmt: skip


def _concordances(paths: list[Path] | None, convert_to: str | None) -> list[Any]:
    from bilat.codes.concordance import load_concordance

    if convert_to is not None and not paths:
        raise InputError(
            f"--convert-to {convert_to} needs the correlation tables that reach it: "
            "give --concordance FILE (repeatable)"
        )
    return [load_concordance(p) for p in paths or []]


def _geodist(path: Path | None) -> Path:
    from bilat.sources.fetch.geodist import stored_geodist

    if path is not None:
        return path
    try:
        return stored_geodist()
    except NotFoundError as exc:
        raise InputError(
            "no GeoDist file: give --geodist FILE (CEPII dist_cepii) or run "
            "`bilat fetch geodist` first",
            details=exc.details,
        ) from None


@mirror_app.command("report")
def mirror_report_cmd(
    a: Annotated[str, typer.Argument(help="One country of the dyad (ISO3).")],
    b: Annotated[str, typer.Argument(help="The other country (ISO3).")],
    years: YearsOption = None,
    level: LevelOption = 6,
    geodist: GeoOption = None,
    top: Annotated[int, typer.Option("--top", help="Products listed (largest gaps).")] = 15,
    convert_to: ConvertOption = None,
    concordance: ConcordanceOption = None,
    countries: CountriesOption = None,
    margin_model: MarginModelOption = "baci",
    lake: LakeOption = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Declared exports against declared imports of a dyad, gap by product, suspected causes."""
    from bilat.trade.mirror import mirror_report

    concordances = _concordances(concordance, convert_to)
    geo = _geodist(geodist)
    rep = mirror_report(
        open_lake(lake, home=home).declarations(),
        a,
        b,
        geo,
        level=level,
        years=parse_years(years) if years else None,
        convert_to=convert_to,
        concordances=concordances,
        countries=countries,
        specification=margin_model,
    )
    if as_json:
        print_json(rep)
        return
    print_table(_rows(rep.totals, _TOTALS), title=f"Mirror: {rep.a} ↔ {rep.b}, HS level {level}")
    print_table(_rows(rep.largest_gaps(top), _GAPS), title=f"Largest gaps (top {top})")
    print_table(
        [{"cause": k, "value_usd": v} for k, v in rep.causes.items()],
        title="Suspected causes (|gap| flagged)",
    )
    for note in rep.notes:
        console.print(f"note: {note}")


@mirror_app.command("reconcile")
def mirror_reconcile_cmd(
    years: YearsOption = None,
    level: LevelOption = 6,
    geodist: GeoOption = None,
    ingest: Annotated[
        bool, typer.Option("--ingest", help="Store the reconciled flows in the lake.")
    ] = False,
    convert_to: ConvertOption = None,
    concordance: ConcordanceOption = None,
    countries: CountriesOption = None,
    margin_model: MarginModelOption = "baci",
    lake: LakeOption = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reconcile every flow both sides declared (BACI method) and show the estimates."""
    from bilat.acquire import reconcile_into_lake

    concordances = _concordances(concordance, convert_to)
    geo = _geodist(geodist)
    result = reconcile_into_lake(
        open_lake(lake, home=home),
        geo,
        level=level,
        years=parse_years(years) if years else None,
        ingest=ingest,
        convert_to=convert_to,
        concordances=concordances,
        countries=countries,
        specification=margin_model,
    )
    if as_json:
        print_json(result)
        return
    _print_reconciliation(result)


def _coef(b: float) -> str:
    """A coefficient of the margin model, signed, five decimals at most (``+0.05123``)."""
    return ("+" if b >= 0 else "") + formats.number(b, digits=5)


def _print_reconciliation(result: LakeReconciliation) -> None:
    m = result.margins
    bases = ", ".join(f"{count(n, 'flow')} {basis}" for basis, n in result.bases.items())
    terms = " ".join(
        _coef(b) if name == "const" else f"{_coef(b)}·{name}" for name, b in m.coefficients.items()
    )
    if m.specification == "flat":
        console.print(
            f"{count(result.flows, 'flow')} ({bases}). No flow is declared by both sides, so "
            f"no margin can be fitted: a flat {formats.percent(100 * m.fallback, digits=0)} "
            "CIF/FOB margin is used (the IMF "
            "DOTS convention)."
        )
    else:
        console.print(
            f"{count(result.flows, 'flow')} ({bases}). ln(1+margin) = {terms or m.const} "
            f"({m.specification} model, fitted on {count(m.nobs, 'flow')}, "
            f"R² {formats.number(m.r2, digits=3)})"
        )
    if m.omitted:
        console.print(f"left out (not in the data or not varying): {', '.join(m.omitted)}")
    print_table(
        [dataclasses.asdict(r) for r in result.reliability],
        title="Reporter reliability (error variance of log declarations)",
    )
    report = result.ingested
    if report is not None:
        console.print(f"ingested {count(report.rows, 'reconciled flow')} (entry {report.entry_id})")


def _rows(frame: Any, cols: list[str]) -> list[dict[str, Any]]:
    rows = frame[cols].to_dict("records")
    return [{str(k): str(v) if k == "year" else v for k, v in r.items()} for r in rows]


def register(app: typer.Typer) -> None:
    """Add ``bilat mirror ...`` to the CLI."""
    app.add_typer(mirror_app, name="mirror")
