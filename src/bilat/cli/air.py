"""``bilat air``: check flights and SSIM schedules against air services agreements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from bilat.cli._common import JsonOption, console, print_json, print_table
from bilat.cli.air_openflights import AirlinesOpt, AirportsOpt, routes_with_schedule
from bilat.errors import InputError, UnknownCodeError

__all__ = ["register"]

air_app = typer.Typer(
    help="Air services agreements: traffic rights, flight checks, SSIM schedule compliance.",
    no_args_is_help=True,
)

AgreementsArg = Annotated[
    Path,
    typer.Argument(
        metavar="FOLDER", help="Folder of agreement YAML files (one per pair of states)."
    ),
]
CarrierStateOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--carrier-state",
        help="State of a carrier no agreement designates, as XX=ISO3 (repeatable, or "
        "comma-separated: XX=FRA,YY=DEU). For a carrier an agreement designates, the "
        "designation is used and a warning says so.",
    ),
]


def _states(values: list[str] | None) -> dict[str, str]:
    from bilat.air.reports import parse_carrier_states

    try:
        return parse_carrier_states(values)
    except InputError as exc:
        why = "expected XX=ISO3, e.g. IQ=KAZ"
        if exc.details.get("expected") == "ISO3":
            why = str(exc).split(": ", 1)[-1]
        raise InputError(
            f"Cannot read --carrier-state {exc.details['value']!r}: {why}",
            details={**exc.details, "option": "--carrier-state"},
        ) from None


@contextmanager
def _carrier_state_flag() -> Iterator[None]:
    """Say how to name an undesignated carrier's state in this front's terms."""
    from bilat.air.check import unknown_carrier_text

    try:
        yield
    except UnknownCodeError as exc:
        if exc.details.get("argument") != "carrier_states":
            raise
        carrier = str(exc.details["value"])
        raise UnknownCodeError(
            f"{unknown_carrier_text(carrier, int(exc.details['agreements']))}: pass its state "
            f"with --carrier-state {carrier}=ISO3, e.g. --carrier-state {carrier}=KAZ",
            details={**exc.details, "argument": "--carrier-state"},
        ) from None


@air_app.command("agreements")
def agreements_cmd(
    folder: AgreementsArg,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the result as JSON (the document GET /api/air/agreements returns).",
        ),
    ] = False,
) -> None:
    """Summarise every agreement of a folder: designation, route schedules, rights, point
    clauses, caps, WASA/QUASAR clauses, and what each rests on."""
    from bilat.air import agreements_report, load_agreements

    report = agreements_report(load_agreements(folder))
    if as_json:
        print_json(report)
        return
    print_table(report.designation_rows(), title="Designation and route schedules")
    print_table(report.rights_rows(), title="Rights granted")
    points = report.point_clause_rows()
    if points:
        print_table(points, title="Co-terminalisation, stopover, change of gauge")
    else:
        console.print("No co-terminalisation, stopover or change-of-gauge clause in the files.")
    caps = report.cap_rows()
    if caps:
        print_table(caps, title="Frequency caps (round trips per week)")
    else:
        console.print("No frequency cap in the files.")
    print_table(
        [row for s in report.agreements for row in s.clause_rows()],
        title="Clauses (WASA/QUASAR families)",
    )
    for s in report.agreements:
        if s.liberalization is not None:
            console.print(f"{s.id} Air Liberalization Index: {s.liberalization.describe()}")
            for note in s.liberalization.notes:
                console.print(f"  note: {note}")
    caveats = report.caveats()
    if caveats:
        console.print("Not from a treaty text (what these rest on):")
        for line in caveats:
            console.print(f"  {line}")


@air_app.command("check")
def check_cmd(
    folder: AgreementsArg,
    flight: Annotated[
        str, typer.Option("--flight", help='Carrier and points, e.g. "B2 MSQ-NQZ-ALA".')
    ],
    local_traffic: Annotated[
        list[str] | None,
        typer.Option(
            "--local-traffic",
            help="Segment inside one foreign state that carries local traffic, e.g. NQZ-ALA "
            "(repeatable).",
        ),
    ] = None,
    no_traffic: Annotated[
        list[str] | None,
        typer.Option(
            "--no-traffic", help="Segment that carries no traffic of its own (repeatable)."
        ),
    ] = None,
    carrier_states: CarrierStateOpt = None,
    as_json: JsonOption = False,
) -> None:
    """Classify each segment of a flight and say which agreement grants it, or why not."""
    from bilat.air import check_flight, load_agreements

    with _carrier_state_flag(), _segment_flags():
        result = check_flight(
            load_agreements(folder),
            flight,
            local_traffic=local_traffic,
            no_traffic=no_traffic,
            carrier_states=_states(carrier_states),
        )
    if as_json:
        print_json(result)
        return
    for w in result.warnings:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)
    from bilat.air.airports import airport_label
    from bilat.air.freedoms import segment_words

    rows = [
        {
            "segment": f"{airport_label(s.board)}-{airport_label(s.off)}",
            "via": "-".join(s.via) or "",
            "freedom": segment_words(s.kind, s.freedom),
            "verdict": s.verdict,
            "reason": s.reason,
        }
        for s in result.segments
    ]
    print_table(
        rows, title=f"{result.carrier} ({result.carrier_state}) {'-'.join(result.stations)}"
    )
    console.print(_FLIGHT_VERDICT[result.verdict], highlight=False)


#: The last line of ``bilat air check``, by the flight's verdict.
_FLIGHT_VERDICT = {
    "permitted": "[green]permitted[/] (every segment granted or not regulated)",
    "refused": "[red]refused[/]: at least one segment is refused by an agreement held",
    "undetermined": "[yellow]undetermined[/]: no segment is refused, but at least one is "
    "outside the agreements held or not checked",
}


@contextmanager
def _segment_flags() -> Iterator[None]:
    """Name a stray ``--no-traffic``/``--local-traffic`` segment by its option."""
    try:
        yield
    except InputError as exc:
        arg = str(exc.details.get("argument", ""))
        if arg not in ("no_traffic", "local_traffic"):
            raise
        option = "--" + arg.replace("_", "-")
        raise InputError(
            str(exc).replace(arg, option, 1), details={**exc.details, "option": option}
        ) from None


@air_app.command("schedule")
def schedule_cmd(
    folder: AgreementsArg,
    file: Annotated[Path, typer.Argument(help="IATA SSIM Chapter 7 file.")],
    carriers: Annotated[
        list[str] | None, typer.Option("--carrier", help="Only this carrier (repeatable).")
    ] = None,
    carrier_states: CarrierStateOpt = None,
    detail: Annotated[
        bool,
        typer.Option("--detail", "--all", help="Also list every segment row and violation row."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Check every flight of an SSIM schedule and the weekly frequency caps."""
    from bilat.air import check_ssim, load_agreements

    with _carrier_state_flag():
        result = check_ssim(
            load_agreements(folder),
            file,
            carriers=carriers,
            carrier_states=_states(carrier_states),
        )
    if as_json:
        print_json(result)
        return
    from bilat.cli.air_compliance import print_schedule

    print_schedule(result, detail=detail)


@air_app.command("routes")
def routes_cmd(
    folder: AgreementsArg,
    carrier: Annotated[
        str | None,
        typer.Option("--carrier", help="IATA airline code, e.g. KC (default: every designated)."),
    ] = None,
    schedule: Annotated[
        Path | None,
        typer.Option(
            "--schedule",
            help="SSIM schedule or OpenFlights routes file (told by content): mark the "
            "routings it flies and give each of its routes a verdict.",
        ),
    ] = None,
    airlines: AirlinesOpt = None,
    airports: AirportsOpt = None,
    carrier_states: CarrierStateOpt = None,
    as_json: JsonOption = False,
) -> None:
    """List every city pair and routing the agreements permit a carrier."""
    from bilat.air import load_agreements, routes_report, routes_table

    if schedule is not None:
        with _carrier_state_flag():
            routes_with_schedule(
                folder,
                schedule,
                airlines=airlines,
                airports=airports,
                carrier=carrier,
                carrier_states=_states(carrier_states),
                as_json=as_json,
            )
        return
    report = routes_report(load_agreements(folder), carrier)
    if as_json:
        print_json(report)
        return
    from bilat.air.freedoms import freedoms_words

    rows = [  # no schedule given: nothing says what is flown, so no "flown" column
        {**{k: v for k, v in r.items() if k != "flown"}, "freedoms": freedoms_words(f.freedoms)}
        for r, f in zip(routes_table(report.routes).to_pylist(), report.routes, strict=True)
    ]
    print_table(rows, title=f"Routes permitted to {', '.join(report.carriers)} ({len(rows)})")


def register(app: typer.Typer) -> None:
    """Add ``bilat air`` to the main app."""
    from bilat.cli import air_diff

    air_diff.register(air_app)  # issue 17: agreements
    app.add_typer(air_app, name="air")


from bilat.cli import air_slots  # noqa: E402  (issue 17: slots)

air_slots.register(air_app)
from bilat.cli import air_legs  # noqa: E402  (issue 17: SSIM legs)

air_legs.register(air_app)
from bilat.cli import air_flights  # noqa: E402  (issue 17: flights, capacity, compare)

air_flights.register(air_app)
