"""``bilat brief``: the briefing for a dyad and a year, as HTML and JSON (and PDF with
``--pdf``), in English or Russian (``--lang``). Builds it, writes it; nothing else."""

from __future__ import annotations

import dataclasses
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
from bilat.errors import InputError
from bilat.i18n import gettext as _

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
    Path,
    typer.Option(
        "--out",
        "-o",
        help="Folder for briefing.html, .json (and .pdf), or a file name ending in .html: "
        "then NAME.html, NAME.json (and NAME.pdf) are written beside each other.",
    ),
]
Pdf = Annotated[
    bool, typer.Option("--pdf", help="Also write the briefing as PDF (A4, page numbers).")
]
Lang = Annotated[
    str | None,
    typer.Option("--lang", help="Language of the briefing: en (default) or ru."),
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
    pdf: Pdf = False,
    lang: Lang = None,
    home: HomeOption = None,
    lake: LakeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the briefing: one self-contained HTML page (print-ready), the same as JSON, and
    with --pdf as PDF (A4), in English or Russian (--lang)."""
    from bilat import i18n
    from bilat.brief import build_briefing, write_briefing, write_pdf
    from bilat.cases import resolve_case

    language = i18n.language(lang)  # checked, like the case, before the lake is opened
    target, name = _output_target(out)
    folder = None if case is None else resolve_case(case)
    the_lake = open_lake(lake, home=home)
    with i18n.use(language):
        briefing = build_briefing(the_lake, a, b, year=year, case=folder, agenda=agenda_url,
                                  as_of=as_of, ge_baseline=ge_baseline)  # fmt: skip
        files = write_briefing(briefing, target, name=name)
        if pdf:
            path = write_pdf(briefing, target / f"{name}.pdf", html=files.html.read_text("utf-8"))
            files = dataclasses.replace(files, pdf=path)
    if as_json:
        print_json(files)
        return
    synthetic_banner(the_lake)
    console.print(f"Briefing written: {files.html}")
    console.print(f"Same content as JSON: {files.json}")
    if files.pdf is not None:
        console.print(_("As PDF: %(path)s") % {"path": files.pdf})
    for s in briefing.sections:
        console.print(
            f"  {s.title}: {s.status.replace('_', ' ')}" + (f" — {s.message}" if s.message else "")
        )


def _output_target(out: Path) -> tuple[Path, str]:
    """The folder and the file name (without extension) ``--out`` names.

    An existing folder, or a path without a ``.html`` ending, is the folder of
    ``briefing.html`` / ``.json`` / ``.pdf``; a path ending in ``.html`` names the HTML file,
    and the JSON and PDF are written beside it with the same stem. A path ending in
    ``.json`` or ``.pdf`` is refused (exit 2) rather than made into a folder of that name.
    """
    if out.is_dir():
        return out, "briefing"
    suffix = out.suffix.lower()
    if suffix in (".html", ".htm"):
        return out.parent, out.stem
    if suffix in (".json", ".pdf"):
        raise InputError(
            _(
                "--out %(value)s ends in %(suffix)s: give a folder, or the HTML file's name "
                "(%(html)s); the .json and .pdf are written beside it"
            )
            % {"value": repr(str(out)), "suffix": suffix, "html": out.with_suffix(".html")},
            details={"option": "--out", "value": str(out), "expected": "a folder or NAME.html"},
        )
    return out, "briefing"


def register(app: typer.Typer) -> None:
    """Add ``bilat brief`` to the CLI."""
    app.command("brief")(brief)
