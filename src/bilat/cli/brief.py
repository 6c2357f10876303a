"""``bilat brief``: the briefing for a dyad and a year, as HTML and JSON. One library call."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bilat.cli._common import (
    HomeOption,
    JsonOption,
    LakeOption,
    console,
    open_lake,
    print_json,
    synthetic_banner,
)

__all__ = ["register"]


A = Annotated[str, typer.Argument(help="First country (ISO3, e.g. BLR); exports are A→B.")]
B = Annotated[str, typer.Argument(help="Second country (ISO3, e.g. KAZ).")]
Year = Annotated[int, typer.Option("--year", help="The trade year of the briefing.")]
Case = Annotated[
    str | None,
    typer.Option(
        "--case", help="Case folder (claims, agenda, air) or a shipped case's name (blr-kaz-2022)."
    ),
]
Out = Annotated[
    Path, typer.Option("--out", "-o", help="Folder for briefing.html and briefing.json.")
]
AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Day commitments are evaluated at (YYYY-MM-DD; default today)."),
]
AgendaUrl = Annotated[
    str | None,
    typer.Option(
        "--agenda-url",
        help="Read commitments from this agenda database instead of the case's agenda.yaml.",
    ),
]
GeBaseline = Annotated[
    Path | None,
    typer.Option(
        "--ge-baseline",
        help="Baseline of the case's GE scenarios: every pair of one year with domestic flows "
        "(default $BILAT_GE_BASELINE, then the file the case names).",
    ),
]


def brief(
    a: A,
    b: B,
    year: Year,
    case: Case = None,
    out: Out = Path("out"),
    as_of: AsOf = None,
    agenda_url: AgendaUrl = None,
    ge_baseline: GeBaseline = None,
    home: HomeOption = None,
    lake: LakeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the briefing: one self-contained HTML page (print-ready) and the same as JSON."""
    from bilat.brief import build_briefing, write_briefing
    from bilat.cases import resolve_case

    folder = None if case is None else resolve_case(case)  # checked before the lake is opened
    the_lake = open_lake(lake, home=home)
    briefing = build_briefing(the_lake, a, b, year=year, case=folder, agenda=agenda_url,
                              as_of=as_of, ge_baseline=ge_baseline)  # fmt: skip
    files = write_briefing(briefing, out)
    if as_json:
        print_json(files)
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
