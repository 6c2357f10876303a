"""``bilat air routes --schedule FILE``: a route list (SSIM or OpenFlights) against the case.

The ``air routes`` command itself lives in :mod:`bilat.cli.air`; with ``--schedule`` it hands
over to :func:`routes_with_schedule`, which makes one library call
(:func:`bilat.air.check_route_file`) and prints its :class:`~bilat.air.RouteListCheck`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bilat.cli._common import console, print_json, print_table

if TYPE_CHECKING:
    from bilat.air import RouteListCheck

__all__ = ["AirlinesOpt", "AirportsOpt", "print_route_check", "routes_with_schedule"]

AirlinesOpt = Annotated[
    Path | None,
    typer.Option(
        "--airlines",
        help="OpenFlights airlines.dat: resolves airline IDs and gives carriers their "
        "country's state (after the agreements' designation and --carrier-state).",
    ),
]
AirportsOpt = Annotated[
    Path | None,
    typer.Option(
        "--airports",
        help="OpenFlights airports.dat: resolves airport IDs and ICAO codes to IATA codes.",
    ),
]

_FLOWN = ["carrier", "board", "off", "freedom", "verdict", "agreements", "reason", "source"]


def routes_with_schedule(
    folder: Path,
    schedule: Path,
    *,
    airlines: Path | None,
    airports: Path | None,
    carrier: str | None,
    carrier_states: dict[str, str],
    as_json: bool,
) -> None:
    """Check the route list ``schedule`` against the agreements of ``folder`` and print it."""
    from bilat.air import (
        check_route_file,
        load_agreements,
        read_openflights_airlines,
        read_openflights_airports,
    )

    report = check_route_file(
        load_agreements(folder),
        schedule,
        airlines=read_openflights_airlines(airlines) if airlines else None,
        airports=read_openflights_airports(airports) if airports else None,
        carrier=carrier,
        carrier_states=carrier_states,
    )
    if as_json:
        print_json(report)
        return
    print_route_check(report)


def print_route_check(report: RouteListCheck) -> None:
    """The text form: permitted routings (flown or not), routes under the agreements, tally."""
    from bilat.air import routes_table
    from bilat.air.freedoms import freedoms_words, segment_words

    for w in report.warnings:
        console.print(f"[yellow]warning:[/] {w}")
    rows = [
        {**r, "freedoms": freedoms_words(f.freedoms), "flown": "yes" if r["flown"] else "no"}
        for r, f in zip(routes_table(report.routes).to_pylist(), report.routes, strict=True)
    ]
    print_table(rows, title=f"Routes permitted to {', '.join(report.carriers)} ({len(rows)})")
    flown = [
        {**r, "freedom": segment_words(r["kind"], r["freedom"]) if r["kind"] else ""}
        for r in report.flown.to_pylist()
    ]
    governed = [r for r in flown if r["agreements"]]
    print_table(
        [{c: r[c] for c in _FLOWN} for r in governed],
        title=f"Routes of {report.file} under the agreements ({len(governed)})",
        columns=_FLOWN,
    )
    refused = [r for r in flown if r["verdict"] == "refused"]
    print_table(
        [{c: r[c] for c in _FLOWN} for r in refused],
        title=f"Flown but not permitted ({len(refused)})",
        columns=_FLOWN,
    )
    tally = ", ".join(f"{n} {v}" for v, n in report.counts.items())
    console.print(
        f"{report.route_count} routes read ({report.format}), {report.flown.num_rows} listed: "
        f"{tally}"
    )
