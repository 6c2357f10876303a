"""``bilat air diff``: what an amendment changed between two versions of an agreement."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bilat.cli._common import console, print_json, print_table

if TYPE_CHECKING:
    from bilat.air import LiberalizationIndex

__all__ = ["register"]


def register(air_app: typer.Typer) -> None:
    """Add ``bilat air diff`` to ``bilat air``."""
    air_app.command("diff")(diff_cmd)


def diff_cmd(
    before: Annotated[
        Path,
        typer.Argument(metavar="BEFORE", help="The agreement YAML file before the amendment."),
    ],
    after: Annotated[
        Path, typer.Argument(metavar="AFTER", help="The agreement YAML file after it.")
    ],
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print the result as JSON (the document POST /api/air/diff returns)."
        ),
    ] = False,
) -> None:
    """Say what changed between two versions of one agreement, clause by clause."""
    from bilat.air import diff_agreements, load_agreement

    result = diff_agreements(
        load_agreement(before, argument="BEFORE"), load_agreement(after, argument="AFTER")
    )
    if as_json:
        print_json(result)
        return
    rows = result.rows()
    print_table(
        rows,
        title=f"{result.before} -> {result.after}: {len(rows)} changes",
        columns=["family", "clause", "change", "before", "after", "source"],
    )
    console.print(
        f"Air Liberalization Index: {result.ali_before.describe()} -> {result.ali_after.describe()}"
    )
    for line in _feature_changes(result.ali_before, result.ali_after):
        console.print(f"  {line}")


def _feature_changes(old: LiberalizationIndex, new: LiberalizationIndex) -> list[str]:
    from bilat.air.liberalization import words

    out = []
    for a, b in zip(old.features, new.features, strict=True):
        if (a.level, a.points) != (b.level, b.points):
            out.append(
                f"{words(a.feature)}: {words(a.level or 'not coded')} ({_pts(a.points)}) -> "
                f"{words(b.level or 'not coded')} ({_pts(b.points)})"
            )
    return out


def _pts(points: int | None) -> str:
    return "-" if points is None else f"{points} pts"
