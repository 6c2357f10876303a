"""``bilat air slots``: read an SSIM Chapter 6 slot message (SCR, SIR), optionally dated."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bilat.cli._common import JsonOption, console, count, print_json, print_table

if TYPE_CHECKING:
    from bilat.air.slots import SlotLine, SlotReport

__all__ = ["register"]

_LINE_COLUMNS = [
    "line", "action", "arrival", "departure", "period", "days", "rate", "seats", "type",
    "from", "arr", "dep", "to", "service",
]  # fmt: skip


def register(air_app: typer.Typer) -> None:
    """Add ``bilat air slots`` to ``bilat air``."""
    air_app.command("slots")(slots_cmd)


def slots_cmd(
    file: Annotated[Path, typer.Argument(help="SSIM Chapter 6 slot message (SCR or SIR).")],
    dated: Annotated[
        bool,
        typer.Option(
            "--dated", help="Expand each line to one row per date, arrivals and departures apart."
        ),
    ] = False,
    csv: Annotated[
        Path | None,
        typer.Option(
            "--csv", help="Also write the lines (or, with --dated, the slots) to this CSV file."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Read an SCR/SIR slot message: its header, data lines and, with --dated, dated slots."""
    from bilat.air.slots import slot_lines_table, slot_report

    report = slot_report(file, dated=dated)
    if csv is not None:
        import pyarrow.csv as pacsv

        table = report.slots if report.slots is not None else slot_lines_table(report.message)
        pacsv.write_csv(table, csv)
        if not as_json:
            console.print(f"wrote {count(table.num_rows, 'row')} to {csv}")
    if as_json:
        print_json(report)
        return
    _print(report)


def _print(report: SlotReport) -> None:
    m = report.message
    console.print(
        f"{m.kind} season {m.season}, airport {' '.join(m.airports)}, message of "
        f"{m.message_date} (year not stated), creator reference "
        f"{m.creator_reference or '—'}"
        + (f", in reply to {m.incoming_reference}" if m.incoming_reference else "")
    )
    for w in m.warnings:
        console.print(f"[yellow]warning:[/] {w}")
    if report.slots is not None:
        rows = report.slots.to_pylist()
        print_table(rows, title=f"Dated slots ({len(rows)}, UTC)")
    else:
        print_table(
            [_line_row(x) for x in m.lines], title=f"Data lines ({len(m.lines)})",
            columns=_LINE_COLUMNS,
        )  # fmt: skip
    for x in m.lines:
        for info in x.info:
            console.print(f"line {x.line}: / {info} /")
    for kind, texts in (("SI", m.supplementary), ("GI", m.general), ("", m.acknowledgements)):
        for t in texts:
            console.print(f"{kind} {t}".strip())


def _line_row(x: SlotLine) -> dict[str, object]:
    period = f"{x.period_from:%d%b}–{x.period_to:%d%b}".upper()
    return {
        "line": x.line,
        "action": x.action,
        "arrival": x.arrival_flight or "",
        "departure": x.departure_flight or "",
        "period": period,
        "days": x.days,
        "rate": x.frequency_rate,
        "seats": x.seats,
        "type": x.aircraft_type,
        "from": "-".join(s for s in (x.origin, x.previous) if s),
        "arr": x.arrival_time or "",
        "dep": (x.departure_time or "") + (f" +{x.overnight}" if x.overnight else ""),
        "to": "-".join(s for s in (x.next_station, x.destination) if s),
        "service": (x.arrival_service or "") + (x.departure_service or ""),
    }
