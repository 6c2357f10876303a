"""``bilat air``: check flights and SSIM schedules against air services agreements."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bilat.cli._common import JsonOption, console, print_json, print_table
from bilat.errors import InputError

__all__ = ["register"]

air_app = typer.Typer(
    help="Air services agreements: traffic rights, flight checks, SSIM schedule compliance.",
    no_args_is_help=True,
)

AgreementsArg = Annotated[
    Path, typer.Argument(help="Folder of agreement YAML files (one per pair of states).")
]
CarrierStateOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--carrier-state",
        help="State of a carrier no agreement designates, as XX=ISO3 (repeatable).",
    ),
]


def _states(values: list[str] | None) -> dict[str, str]:
    out = {}
    for v in values or []:
        code, _, state = v.partition("=")
        if not code or len(state) != 3:
            raise InputError(
                f"Cannot read --carrier-state {v!r}: expected XX=ISO3, e.g. IQ=KAZ",
                details={"value": v, "expected": "XX=ISO3"},
            )
        out[code.strip().upper()] = state.strip().upper()
    return out


@air_app.command("agreements")
def agreements_cmd(folder: AgreementsArg, json: JsonOption = False) -> None:
    """Summarise the rights in every agreement of a folder."""
    from bilat.air import load_agreements

    summaries = [a.summary() for a in load_agreements(folder)]
    if json:
        print_json(summaries)
        return
    rows = []
    for s in summaries:
        for party, p in s["by_party"].items():
            for r in p["rights"]:
                rows.append(
                    {
                        "agreement": s["id"],
                        "carriers of": party,
                        "carriers": " ".join(p["carriers"]),
                        "freedoms": ",".join(map(str, r["freedoms"])),
                        "from": r["from"],
                        "to": r["to"],
                        "source": r["source"],
                    }
                )
    print_table(rows, title="Rights granted")


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
    carrier_state: CarrierStateOpt = None,
    json: JsonOption = False,
) -> None:
    """Classify each segment of a flight and say which agreement grants it, or why not."""
    from bilat.air import check_flight, load_agreements

    result = check_flight(
        load_agreements(folder),
        flight,
        local_traffic=local_traffic,
        no_traffic=no_traffic,
        carrier_states=_states(carrier_state),
    )
    if json:
        print_json({**_plain(result), "permitted": result.permitted})
    else:
        rows = [
            {
                "segment": f"{s.board}-{s.off}",
                "via": "-".join(s.via) or "",
                "freedom": s.freedom,
                "kind": s.kind,
                "verdict": s.verdict,
                "reason": s.reason,
            }
            for s in result.segments
        ]
        print_table(
            rows, title=f"{result.carrier} ({result.carrier_state}) {'-'.join(result.stations)}"
        )
        console.print("permitted" if result.permitted else "refused: at least one segment")


def _plain(obj: Any) -> Any:
    from bilat.document import to_document

    return to_document(obj)


@air_app.command("schedule")
def schedule_cmd(
    folder: AgreementsArg,
    file: Annotated[Path, typer.Argument(help="IATA SSIM Chapter 7 file.")],
    carrier: Annotated[
        list[str] | None, typer.Option("--carrier", help="Only this carrier (repeatable).")
    ] = None,
    carrier_state: CarrierStateOpt = None,
    json: JsonOption = False,
) -> None:
    """Check every flight of an SSIM schedule and the weekly frequency caps."""
    from bilat.air import check_schedule, load_agreements, read_ssim

    schedule = read_ssim(file)
    report = check_schedule(
        load_agreements(folder), schedule, carriers=carrier, carrier_states=_states(carrier_state)
    )
    if json:
        print_json(
            {
                "file": str(file),
                "record_counts": schedule.record_counts,
                "ssim_warnings": list(schedule.warnings),
                "by_carrier": report.by_carrier(),
                "segments": report.segments.to_pylist(),
                "frequencies": report.frequencies.to_pylist(),
                "caps": [{**_plain(c), "exceeded": c.exceeded} for c in report.caps],
                "violations": report.violations.to_pylist(),
                "warnings": list(report.warnings),
            }
        )
        return
    for w in (*schedule.warnings, *report.warnings):
        console.print(f"[yellow]warning:[/] {w}")
    seg = report.segments.select(
        ["carrier", "flight_number", "board", "off", "via", "freedom", "verdict", "reason"]
    ).to_pylist()
    print_table(seg, title=f"Segments ({len(seg)})")
    caps = [
        {
            "agreement": c.agreement,
            "cap": c.cap,
            "subject": c.subject,
            "week": c.week,
            "flights": c.flights,
            "weekly cap": c.weekly,
            "exceeded": "yes" if c.exceeded else "",
        }
        for c in report.caps
    ]
    print_table(caps, title="Weekly frequencies against caps")
    viol = [
        {
            "kind": v.kind,
            "flight": v.flight,
            "segment": v.segment,
            "week": v.week or "",
            "line": v.line,
            "detail": v.detail,
        }
        for v in report.violation_list()
    ]
    print_table(viol, title=f"Violations ({len(viol)})")


@air_app.command("routes")
def routes_cmd(
    folder: AgreementsArg,
    carrier: Annotated[str, typer.Option("--carrier", help="IATA airline code, e.g. KC.")],
    schedule: Annotated[
        Path | None, typer.Option("--schedule", help="SSIM file: mark the routes it flies.")
    ] = None,
    json: JsonOption = False,
) -> None:
    """List every city pair and routing the agreements permit a carrier."""
    from bilat.air import load_agreements, permitted_routes, read_ssim, routes_table

    sched = read_ssim(schedule) if schedule is not None else None
    routes = permitted_routes(load_agreements(folder), carrier.upper(), schedule=sched)
    if not routes:
        raise InputError(
            f"No agreement in {str(folder)!r} designates carrier {carrier.upper()!r}: check the "
            "code or the designation section of the agreement files",
            details={"value": carrier, "expected": "a designated carrier"},
        )
    rows = routes_table(routes).to_pylist()
    if json:
        print_json(rows)
    else:
        print_table(rows, title=f"Routes permitted to {carrier.upper()} ({len(rows)})")


def register(app: typer.Typer) -> None:
    """Add ``bilat air`` to the main app."""
    app.add_typer(air_app, name="air")
