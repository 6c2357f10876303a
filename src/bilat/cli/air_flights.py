"""``bilat air flights|capacity|compare``: dated flights, seats and ASK, two seasons compared."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bilat import formats
from bilat.cli._common import JsonOption, console, count, print_json, print_table
from bilat.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa

    from bilat.air import CapacityCoverage, CapacityReport, ScheduleComparison

__all__ = ["register"]

FileArg = Annotated[Path, typer.Argument(help="IATA SSIM Chapter 7 file.")]
FromOpt = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="YYYY-MM-DD",
        help="First flight date (default: the file's first date of operation).",
        show_default=False,
    ),
]
ToOpt = Annotated[
    str | None,
    typer.Option(
        "--to",
        metavar="YYYY-MM-DD",
        help="Last flight date, inclusive (default: the file's last; open periods end at "
        "the data set's validity end).",
        show_default=False,
    ),
]
CarrierOpt = Annotated[
    list[str] | None, typer.Option("--carrier", help="Only this carrier (repeatable).")
]


def flights_cmd(
    file: FileArg,
    start: FromOpt = None,
    end: ToOpt = None,
    carriers: CarrierOpt = None,
    csv_path: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            metavar="PATH",
            help="Write every column of every flight to this CSV file (instead of the table).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List every dated flight of an SSIM file: one row per leg per operating date."""
    from bilat.air import flights_report

    report = flights_report(file, start, end, carriers=carriers)
    if csv_path is not None:
        _write_csv(report.flights, csv_path)
    if as_json:
        print_json(report)
        return
    for w in report.warnings:
        console.print(f"[yellow]warning:[/] {w}")
    if csv_path is not None:  # the file replaces the table (as legs --csv, slots --csv)
        n, k = report.flights.num_rows, report.flights.num_columns
        console.print(f"wrote {count(n, 'flight')}, {count(k, 'column')}, to {csv_path}")
        return
    cols = ["airline", "flight_number", "leg_seq", "dep", "arr", "date", "departure_utc",
            "arrival_utc", "departure_local", "arrival_local", "aircraft_type"]  # fmt: skip
    rows = [
        {
            k: (v.strftime("%Y-%m-%d %H:%M") if hasattr(v, "hour") else v) for k, v in r.items()
        }  # not-a-figure: SSIM times as ISO
        for r in report.flights.select(cols).to_pylist()
    ]
    print_table(
        rows,
        title=f"{report.file}: {count(len(rows), 'flight')} of {count(report.legs, 'leg')}, "
        f"{report.start} to {report.end} (dates {'/'.join(report.time_modes) or '-'})",
        columns=cols,
    )


def _write_csv(table: pa.Table, path: Path) -> None:
    import pyarrow as pa

    from bilat.air.legs import write_legs

    plain = pa.table(
        {
            n: c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c
            for n, c in zip(table.column_names, table.columns, strict=True)
        }
    )
    try:
        write_legs(plain, path, "csv")  # atomic: a failure leaves what was there
    except OSError as exc:
        raise InputError(
            f"cannot write --csv {path}: {exc.strerror or exc}; check the folder is writable",
            details={"option": "--csv", "value": str(path)},
        ) from None
    except InputError as exc:
        raise InputError(
            f"cannot write --csv {path}: {exc}", details={**exc.details, "option": "--csv"}
        ) from None


def _coverage_line(c: CapacityCoverage) -> str:
    n = formats.integer
    return (
        f"{count(c.flights, 'flight')} of {count(c.legs, 'leg')}; seats from the configuration "
        f"{n(c.seats_from_configuration)}, from the type table {n(c.seats_from_type_table)}, "
        f"unknown {n(c.seats_unknown)}; distance unknown {n(c.distance_unknown)}"
    )


def capacity_cmd(
    file: FileArg,
    start: FromOpt = None,
    end: ToOpt = None,
    carriers: CarrierOpt = None,
    as_json: JsonOption = False,
) -> None:
    """Weekly flights, seats and available seat-km per carrier and airport pair."""
    from bilat.air import capacity_report

    report = capacity_report(file, start, end, carriers=carriers)
    if as_json:
        print_json(report)
        return
    _print_capacity(report)


def _print_capacity(report: CapacityReport) -> None:
    for w in report.warnings:
        console.print(f"[yellow]warning:[/] {w}")
    cols = ["carrier", "dep", "arr", "distance_km", "weekly_flights", "weekly_seats",
            "weekly_ask", "flights_seats_unknown", "seats_source"]  # fmt: skip
    print_table(
        report.pairs.select(cols).to_pylist(),
        title=f"{report.file}: capacity per week, {report.start} to {report.end} "
        f"({report.days} days)",
        columns=cols,
        caption=_coverage_line(report.coverage),
    )


def compare_cmd(
    season_a: Annotated[Path, typer.Argument(help="The base SSIM file (e.g. last season).")],
    season_b: Annotated[Path, typer.Argument(help="The SSIM file compared with it.")],
    as_json: JsonOption = False,
) -> None:
    """Compare two SSIM schedules: weekly flights, seats and ASK per carrier and pair."""
    from bilat.air import compare_schedules, read_ssim

    result = compare_schedules(read_ssim(season_a), read_ssim(season_b))
    if as_json:
        print_json(result)
        return
    _print_compare(result)


def _print_compare(c: ScheduleComparison) -> None:
    for w in c.warnings:
        console.print(f"[yellow]warning:[/] {w}")
    cols = ["carrier", "dep", "arr", "status", "weekly_flights_a", "weekly_flights_b",
            "weekly_flights_delta", "weekly_seats_a", "weekly_seats_b", "weekly_seats_delta",
            "weekly_ask_delta"]  # fmt: skip
    print_table(
        c.pairs.select(cols).to_pylist(),
        title=f"A = {c.file_a} ({c.span_a[0]} to {c.span_a[1]}), "
        f"B = {c.file_b} ({c.span_b[0]} to {c.span_b[1]})",
        columns=cols,
    )
    console.print(f"A: {_coverage_line(c.coverage_a)}")
    console.print(f"B: {_coverage_line(c.coverage_b)}")


def register(air_app: typer.Typer) -> None:
    """Add ``flights``, ``capacity`` and ``compare`` to ``bilat air``."""
    air_app.command("flights")(flights_cmd)
    air_app.command("capacity")(capacity_cmd)
    air_app.command("compare")(compare_cmd)
