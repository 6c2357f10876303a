"""``bilat claims history CLAIM``: every recorded verdict on one claim. One library call."""

from __future__ import annotations

from typing import Annotated

import typer

from bilat.cli._common import (
    HomeOption,
    JsonOption,
    LakeOption,
    open_lake,
    print_json,
    print_table,
)

__all__ = ["register"]


def history(
    claim: Annotated[str, typer.Argument(help="The claim's id (as in the case's claims.yaml).")],
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
) -> None:
    """Every recorded check of a claim on the lake: verdict, value and the lake's change."""
    from bilat.claims import claim_history

    result = claim_history(open_lake(lake, home=home), claim)
    if as_json:
        print_json(result)
        return
    rows = [
        {
            "checked at (UTC)": p.checked_at,
            "case": p.case,
            "verdict": p.verdict,
            "measured": p.measured_text,
            "lake version": p.lake_version,
            "lake change": p.change,
        }
        for p in result.points
    ]
    print_table(rows, title=f"Claim {result.claim} on the lake at {result.lake}")


def register(claims_app: typer.Typer) -> None:
    """Add ``bilat claims history`` to ``bilat claims``."""
    claims_app.command("history")(history)
