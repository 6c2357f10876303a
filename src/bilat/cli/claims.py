"""``bilat claims``: check a case's claims against the lake. One ``bilat.claims`` call."""

from __future__ import annotations

from typing import Annotated

import typer

from bilat.cli._common import (
    HomeOption,
    JsonOption,
    LakeOption,
    console,
    open_lake,
    print_json,
    print_table,
    synthetic_banner,
)

__all__ = ["register"]

claims_app = typer.Typer(
    name="claims",
    help="Official statements about a dyad, checked against the lake.",
    no_args_is_help=True,
)

CaseArg = Annotated[
    str,
    typer.Argument(
        help="Case folder holding claims.yaml (or a claims file, or a shipped case's name)."
    ),
]

_STYLE = {"supported": "green", "contradicted": "red", "undetermined": "yellow"}


@claims_app.command("check")
def check(
    case: CaseArg, as_json: JsonOption = False, home: HomeOption = None, lake: LakeOption = None
) -> None:
    """Give each claim a verdict: supported, contradicted, or undetermined with the reason."""
    from bilat.claims import check_claims, load_claims

    claims = load_claims(case)  # a bad case is reported before the lake is looked for
    the_lake = open_lake(lake, home=home)
    report = check_claims(the_lake, claims)
    if as_json:
        print_json(report.to_dict())
        return
    synthetic_banner(the_lake)
    rows = [
        {
            "claim": r.claim.id,
            "verdict": r.verdict,
            "measured": r.to_dict()["measured_text"],
            "stated": r.expected,
        }
        for r in report.results
    ]
    print_table(rows, title=f"Claims about {report.a}–{report.b} ({report.path})")
    for r in report.results:
        style = _STYLE[r.verdict]
        console.print(f"[bold {style}]{r.verdict}[/] {r.claim.id}: {r.reason}")
        console.print(f"    sources: {r.provenance.text()}")
    counts = report.counts()
    console.print(", ".join(f"{n} {v}" for v, n in counts.items()))


def register(app: typer.Typer) -> None:
    """Add ``bilat claims`` to the CLI."""
    app.add_typer(claims_app, name="claims")
