"""``bilat lake compact``: rewrite the lake for history (per year, sorted, row groups to skip)."""

from __future__ import annotations

from typing import Annotated

import typer

from bilat import formats
from bilat.cli._common import (
    HomeOption,
    JsonOption,
    LakeOption,
    console,
    count,
    open_lake,
    print_json,
)
from bilat.lake import ROW_GROUP

lake_app = typer.Typer(help="Maintain the lake (compaction).", no_args_is_help=True)


@lake_app.command("compact")
def compact(
    lake: LakeOption = None,
    home: HomeOption = None,
    row_group: Annotated[
        int,
        typer.Option(
            "--row-group",
            min=1024,
            help="Rows per row group of the compacted files (smaller: finer skipping).",
        ),
    ] = ROW_GROUP,
    by_importer: Annotated[
        bool,
        typer.Option(
            "--by-importer/--no-by-importer",
            help="Also write each year's flows sorted by importer (twice the disk, both "
            "sides of a country skip row groups).",
        ),
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Rewrite the active entries per year, sorted by exporter and importer (atomic).

    A dyad's reads then skip the row groups of other countries; entries keep their ids,
    sources and checksums. Years already compacted with the same entries are left as they are.
    """
    report = open_lake(lake, home=home).compact(row_group_size=row_group, by_importer=by_importer)
    if as_json:
        print_json(report)
        return
    if not report.rewritten:
        kept = count(len(report.kept), "year-file")
        console.print(f"Nothing to compact: {kept} already compacted.")
        return
    mb = 1 << 20
    console.print(
        f"Compacted {count(report.rows, 'row')} into {count(report.files_after, 'file')} "
        f"(from {count(report.files_before, 'file')}; "
        f"{formats.number(report.bytes_before / mb, digits=1)} MB → "
        f"{formats.number(report.bytes_after / mb, digits=1)} MB) in "
        f"{formats.number(report.seconds, digits=1)} s; "
        f"{count(len(report.kept), 'year-file')} kept as they were, "
        f"{count(report.removed, 'old folder')} removed."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(lake_app, name="lake")
