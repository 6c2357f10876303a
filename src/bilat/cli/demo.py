"""``bilat demo``: the sample world, the founding case and its briefing, in a fresh folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bilat import formats
from bilat.cli._common import JsonOption, console, err_console, print_json

__all__ = ["register"]


def demo(
    out: Annotated[
        Path,
        typer.Option("--out", help="The demo folder (its own BILAT_HOME; created fresh)."),
    ] = Path("bilat-demo"),
    as_json: JsonOption = False,
) -> None:
    """Build the synthetic sample world, import the founding case, write its briefing."""
    from bilat.brief import run_demo

    def step(text: str) -> None:
        err_console.print(f"[dim]…[/] {text}")

    report = run_demo(out, on_step=step)
    s = report.summary()
    if as_json:
        print_json(s)
        return
    if s["banner"]:
        console.print(f"[bold black on yellow] {s['banner']} [/]")
    console.print(f"Briefing: {s['html']}")
    console.print(f"PDF:      {s['pdf']}")
    console.print(f"JSON:     {s['json']}")
    for lang, files in s["translations"].items():
        console.print(f"In {lang}:    {files['html']} and {files['pdf']}")
    growth = s["turnover_growth_pct"]
    growth_text = (
        f", {formats.percent(growth, signed=True)} on {formats.year(s['year'] - 1)}"
        if growth is not None
        else ""
    )
    console.print(
        f"{s['dyad'][0]}–{s['dyad'][1]} turnover {s['year']}: {s['turnover_text']}{growth_text}"
    )
    if s["reality"]:
        console.print(s["reality"]["text"])
    console.print("Claims of the case, checked against this synthetic world:")
    for c in s["claims"]:
        console.print(f"  {c['verdict']:<13} {c['id']} (measured {c['measured']})")
    console.print(
        f"Done in {formats.number(s['seconds'], digits=1)} s ({formats.integer(s['rows'])} flows). "
        "Open the HTML file in a browser, or the PDF."
    )


def register(app: typer.Typer) -> None:
    """Add ``bilat demo`` to the CLI."""
    app.command("demo")(demo)
