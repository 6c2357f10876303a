"""``bilat air legs``: every flight leg of an SSIM file, every field."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bilat import formats
from bilat.cli._common import JsonOption, console, count, print_json, print_table
from bilat.errors import InputError

__all__ = ["register"]

#: Columns of the text table (every column is in --json, --csv and --parquet).
_SHOWN = ["line", "flight", "ivi", "leg_seq", "service_type", "period", "days", "dep", "std",
          "arr", "sta", "aircraft_type", "aircraft_config"]  # fmt: skip


def _hhmm(minutes: int | None) -> str:
    return "—" if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


def _row(leg: dict[str, object]) -> dict[str, object]:
    from bilat.air.groups import Period, day_names

    days = str(leg["days"] or "").replace(" ", "")
    period = Period(leg["period_from"], leg["period_to"], days)  # type: ignore[arg-type]
    return {
        "line": leg["line"],
        "flight": f"{leg['airline']} {leg['flight_number']}{leg['suffix']}",
        "ivi": leg["ivi"],
        "leg_seq": leg["leg_seq"],
        "service_type": leg["service_type"],
        "period": period.text(days=False),
        "days": day_names(days),
        "dep": leg["dep"],
        "std": _hhmm(leg["std"]),  # type: ignore[arg-type]
        "arr": leg["arr"],
        "sta": _hhmm(leg["sta"]),  # type: ignore[arg-type]
        "aircraft_type": leg["aircraft_type"],
        "aircraft_config": leg["aircraft_config"],
    }


def legs_cmd(
    file: Annotated[Path, typer.Argument(help="IATA SSIM Chapter 7 file.")],
    csv: Annotated[
        Path | None,
        typer.Option(
            "--csv", help="Write every column of every leg to this CSV (instead of the table)."
        ),
    ] = None,
    parquet: Annotated[
        Path | None,
        typer.Option(
            "--parquet", help="Write every column to this Parquet file (instead of the table)."
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", help="Legs shown in the text table (0: all).", min=0)
    ] = 20,
    as_json: JsonOption = False,
) -> None:
    """Print every flight leg of an SSIM schedule, each field of its record read."""
    from bilat.air.legs import legs_report, write_legs

    if csv is not None and parquet is not None:
        raise InputError("give one of --csv and --parquet")
    report = legs_report(file)
    target, fmt = (csv, "csv") if csv is not None else (parquet, "parquet")
    if target is not None:
        write_legs(report.legs, target, fmt)  # type: ignore[arg-type]
    if as_json:
        print_json(report)
        return
    for w in report.warnings:
        console.print(f"[yellow]warning:[/] {w}")
    if target is not None:  # the file replaces the table (as flights --csv, slots --csv)
        console.print(
            f"wrote {count(report.count, 'leg')}, {count(report.legs.num_columns, 'column')}, "
            f"to {target}"
        )
        return
    for m in report.time_modes:
        console.print(
            f"data set {m['dataset']} ({m['airline']}): times and dates in {m['times']} "
            f"(time mode {m['time_mode']})"
        )
    shown = report.legs.slice(0, limit or report.count).to_pylist()
    more = (
        f", first {formats.integer(len(shown))} shown (--limit 0: all)"
        if len(shown) < report.count
        else ""
    )
    print_table(
        [_row(leg) for leg in shown],
        title=f"{count(report.count, 'flight leg')} in {report.file}{more}",
        columns=_SHOWN,
    )


def register(air_app: typer.Typer) -> None:
    """Add ``bilat air legs``."""
    air_app.command("legs")(legs_cmd)
