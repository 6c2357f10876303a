"""``bilat air slots``: read an SSIM Chapter 6 slot message (SCR, SIR), optionally dated."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bilat import formats
from bilat.cli._common import JsonOption, console, count, print_json, print_table

if TYPE_CHECKING:
    from bilat.air.slots import SlotLine, SlotMessage, SlotReport

__all__ = ["register"]

_LINE_COLUMNS = [
    "line", "action", "arrival", "departure", "period", "days", "every", "seats", "type",
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
            "--dated",
            help="Expand each line to one row per slot (date, arrival or departure), with "
            "what the line does to it, and total the slots per effect.",
        ),
    ] = False,
    csv: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            help="Write the lines (or, with --dated, the slots) to this CSV file instead of "
            "printing the table.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Read an SCR/SIR slot message: its header, data lines and, with --dated, dated slots."""
    from bilat.air.legs import write_legs
    from bilat.air.slots import slot_lines_table, slot_report

    report = slot_report(file, dated=dated)
    if csv is not None:
        table = report.slots if report.slots is not None else slot_lines_table(report.message)
        write_legs(table, csv, "csv")
    if as_json:
        print_json(report)
        return
    _print_header(report.message)
    if csv is not None:  # the file replaces the table (as legs --csv, flights --csv)
        what = "slots" if report.slots is not None else "data lines"
        console.print(f"wrote {count(table.num_rows, 'row')} ({what}) to {csv}")
        return
    _print(report)


def _print_header(m: SlotMessage) -> None:
    console.print(
        f"{m.kind} season {m.season}, airport {' '.join(m.airports)}, message of "
        f"{m.message_date} (year not stated), creator reference "
        f"{m.creator_reference or '—'}"
        + (f", in reply to {m.incoming_reference}" if m.incoming_reference else ""),
        highlight=False,
    )
    for w in m.warnings:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)


def _print(report: SlotReport) -> None:
    m = report.message
    if report.slots is not None:
        rows = [_slot_row(r) for r in report.slots.to_pylist()]
        print_table(rows, title=f"Slots named by the lines ({count(len(rows), 'row')}, UTC)")
        console.print(_totals_line(report), highlight=False)
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


def _signed(n: int) -> str:
    return ("+" if n > 0 else "") + formats.integer(n)


def _totals_line(report: SlotReport) -> str:
    totals = report.totals or {}
    parts = ", ".join(f"{e} {formats.integer(n)}" for e, n in totals.items()) or "none"
    net = report.net_requested
    tail = "" if net is None else f"; net change asked for if all is granted: {_signed(net)} slots"
    return f"slots by effect: {parts}{tail}"


def _action(code: str) -> str:
    from bilat.air.slots import ACTION_WORDS

    return f"{code} {ACTION_WORDS[code]}" if code in ACTION_WORDS else f"{code} (not interpreted)"


def _slot_row(r: dict[str, object]) -> dict[str, object]:
    from bilat.air.slots import direction_word

    return {
        "line": r["line"],
        "action": _action(str(r["action"])),
        "effect": r["effect"],
        "airport": r["airport"],
        "direction": direction_word(str(r["direction"])),
        "date": r["date"],
        "time": r["time"],
        "flight": r["flight"],
        "station": r["station"],
        "via": r["via"],
        "seats": r["seats"],
        "type": r["aircraft_type"],
        "service": r["service_type"],
        "every": _rate(int(r["frequency_rate"])),  # type: ignore[call-overload]
        "day +": r["date_variation"],
    }


def _rate(n: int) -> str:
    return "week" if n == 1 else "2nd week" if n == 2 else f"{n}th week"


def _line_row(x: SlotLine) -> dict[str, object]:
    from bilat.air.groups import Period, day_names

    days = x.days.replace("0", "")
    return {
        "line": x.line,
        "action": _action(x.action),
        "arrival": x.arrival_flight or "",
        "departure": x.departure_flight or "",
        "period": Period(x.period_from, x.period_to, days).text(days=False),
        "days": day_names(days),
        "every": _rate(x.frequency_rate),
        "seats": x.seats,
        "type": x.aircraft_type,
        "from": "-".join(s for s in (x.origin, x.previous) if s),
        "arr": x.arrival_time or "",
        "dep": (x.departure_time or "") + (f" +{x.overnight}" if x.overnight else ""),
        "to": "-".join(s for s in (x.next_station, x.destination) if s),
        "service": (x.arrival_service or "") + (x.departure_service or ""),
    }
