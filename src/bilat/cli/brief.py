"""``bilat brief``: the briefing for a dyad and a year, as HTML and JSON. One library call."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bilat.cli._common import (
    JsonOption,
    LakeOption,
    console,
    open_lake,
    print_json,
    synthetic_banner,
)

__all__ = ["register"]


def brief(
    a: Annotated[str, typer.Argument(help="First country (ISO3, e.g. BLR); exports are A→B.")],
    b: Annotated[str, typer.Argument(help="Second country (ISO3, e.g. KAZ).")],
    year: Annotated[int, typer.Option("--year", help="The trade year of the briefing.")],
    case: Annotated[
        str | None,
        typer.Option(
            "--case",
            help="Case folder (claims, agenda, air) or a shipped case's name (blr-kaz-2022).",
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for briefing.html and briefing.json.")
    ] = Path("out"),
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Day commitments are evaluated at (YYYY-MM-DD; default today)."
        ),
    ] = None,
    agenda_url: Annotated[
        str | None,
        typer.Option(
            "--agenda-url",
            help="Read commitments from this agenda database instead of the case's agenda.yaml.",
        ),
    ] = None,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home", help="bilat home folder (the lake is HOME/lake); default BILAT_HOME."
        ),
    ] = None,
    lake: LakeOption = None,
    json: JsonOption = False,
) -> None:
    """Write the briefing: one self-contained HTML page (print-ready) and the same as JSON."""
    from bilat.brief import build_briefing, write_briefing
    from bilat.cases import resolve_case

    folder = None if case is None else resolve_case(case)  # checked before the lake is opened
    the_lake = open_lake(lake, home=home)
    agenda = None
    if agenda_url is not None:
        from bilat.agenda import Agenda

        agenda = Agenda.open(agenda_url)
    try:
        briefing = build_briefing(
            the_lake, a, b, year=year, case=folder, agenda=agenda, as_of=as_of
        )
    finally:
        if agenda is not None:
            agenda.close()
    files = write_briefing(briefing, out)
    statuses = {s.id: s.status for s in briefing.sections}
    if json:
        print_json(
            {
                "html": str(files.html),
                "json": str(files.json),
                "synthetic": briefing.synthetic,
                "banner": briefing.banner,
                "sections": statuses,
            }
        )
        return
    synthetic_banner(the_lake)
    console.print(f"Briefing written: {files.html}")
    console.print(f"Same content as JSON: {files.json}")
    for s in briefing.sections:
        console.print(
            f"  {s.title}: {s.status.replace('_', ' ')}" + (f" — {s.message}" if s.message else "")
        )


def register(app: typer.Typer) -> None:
    """Add ``bilat brief`` to the CLI."""
    app.command("brief")(brief)
