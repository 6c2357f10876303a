"""``bilat claims``: check a case's claims against the lake. One ``bilat.claims`` call."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bilat import formats
from bilat.cli._common import (
    HomeOption,
    JsonOption,
    LakeOption,
    console,
    err_console,
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

#: The ladder's colours: supported and within tolerance green, roughly yellow, contradicted
#: red, undetermined the terminal's own (it is no grade).
_STYLE = {
    "supported": "bold green",
    "supported within tolerance": "bold green",
    "roughly": "bold yellow",
    "contradicted": "bold red",
    "undetermined": "bold",
}
_PUBLISHED_STYLE = {"consistent": "green", "inconsistent": "red", "undetermined": "yellow"}


ClaimReviewOption = Annotated[
    Path | None,
    typer.Option(
        "--claimreview",
        help="Also write the verdicts as schema.org ClaimReview JSON-LD to this file.",
        dir_okay=False,
        show_default=False,
    ),
]
GeodistOption = Annotated[
    Path | None,
    typer.Option(
        "--geodist",
        help="CEPII dist_cepii file: fit CIF/FOB margins (bilat mirror's model) to explain the "
        "gaps of published figures where the importer declared no FOB value.",
        dir_okay=False,
        show_default=False,
    ),
]
RecordOption = Annotated[
    bool,
    typer.Option(
        "--record/--no-record",
        help="Record the check in the lake's claims history (claims-history.jsonl).",
    ),
]


@claims_app.command("check")
def check(
    case: CaseArg,
    as_json: JsonOption = False,
    home: HomeOption = None,
    lake: LakeOption = None,
    claimreview: ClaimReviewOption = None,
    record: RecordOption = True,
    geodist: GeodistOption = None,
) -> None:
    """Give each claim a verdict: supported, supported within tolerance, roughly,
    contradicted, or undetermined with the reason.

    Each check is recorded with the lake's version, and the verdicts that changed since the
    previous check of the same claims on the same lake are reported. A lake whose history
    cannot be written is checked all the same, with a warning that the check was not recorded.
    The case's published figures (``published:``) are set beside the lake's, the gap split
    into its known causes.
    """
    import datetime as dt

    from bilat.claims import check_and_record, load_claims

    claims = load_claims(case)  # a bad case is reported before the lake is looked for
    the_lake = open_lake(lake, home=home)
    now = dt.datetime.now(dt.UTC)
    done = check_and_record(the_lake, claims, record=record, now=now, geodist=geodist)
    report, changes = done.report, done.turnover
    if record and not changes.recorded:
        err_console.print(
            f"[yellow]warning:[/] the check was not recorded: {changes.not_recorded_because}"
        )
    if claimreview is not None:
        _write_claimreview(report, claimreview, now)
    if as_json:
        print_json(done)
        return
    synthetic_banner(the_lake)
    _print_report(report)
    _print_published(report)
    if record or changes.previous_at is not None:
        console.print(f"Changes since the previous check (lake version now {the_lake.version}):")
        for line in changes.lines():
            if not line.startswith("not recorded: "):  # said on stderr, or asked for
                console.print(f"    {line}")


def _write_claimreview(report: Any, path: Path, now: Any) -> None:
    import json

    from bilat._files import write_atomic
    from bilat.claims import claim_review
    from bilat.errors import InputError

    doc = claim_review(report, date=now)
    try:
        write_atomic(path, (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode())
    except OSError as exc:
        raise InputError(
            f"cannot write the ClaimReview file {path} ({exc.strerror or exc}); give a "
            "writable path to --claimreview",
            details={"path": str(path)},
        ) from None
    err_console.print(f"ClaimReview JSON-LD: {len(doc['@graph'])} reviews written to {path}")


def _where(path: str | None) -> str:
    """The claims file as a reader knows it: relative to here, or the shipped case's name."""
    if path is None:
        return "claims given in code"
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        pass
    from importlib import resources

    shipped = Path(str(resources.files("bilat.cases"))).resolve()
    if p.resolve().parent.parent == shipped:
        return f"shipped case {p.resolve().parent.name}"
    return str(p)


def _print_report(report: Any) -> None:
    rows = [
        {
            "claim": r.claim.id,
            "verdict": r.verdict,
            "measured": r.to_dict()["measured_text"],
            "stated": r.expected,
        }
        for r in report.results
    ]
    print_table(rows, title=f"Claims about {report.a}–{report.b} ({_where(report.path)})")
    for r in report.results:
        style = _STYLE[r.verdict]
        console.print(f"[{style}]{r.verdict}[/] {r.claim.id}: {r.reason}")
        console.print(f"    rests on: {r.provenance.text()}")
    counts = report.counts()
    console.print(", ".join(f"{n} {v}" for v, n in counts.items()))


def _print_published(report: Any) -> None:
    if not report.published:
        return
    console.print(f"Published figures ({len(report.published)}):")
    for p in report.published:
        d = p.to_dict()
        style = _PUBLISHED_STYLE[p.verdict]
        by = ", ".join(x for x in (d["source"], d["published_on"]) if x)
        console.print(f"[bold {style}]{p.verdict}[/] {d['id']}: {d['what']} {d['year']} "
                      f"{d['published']}, published by {d['published_by']} ({by})")  # fmt: skip
        of = "the published value" if d["bound"] == "value" else "the bound"
        gap = "not computed" if d["gap_usd"] is None else formats.money(d["gap_usd"])
        pct = "" if d["gap_pct"] is None else f" ({formats.percent(d['gap_pct'])} of {of})"
        console.print(f"    lake: {d['lake_text']}; gap (published − lake): {gap}{pct}")
        for flow in d["flows"]:
            console.print(f"    flow {flow}")
        for part in d["parts"]:
            console.print(f"    {part['cause']}: {part['value_text']}: {part['text']}")
        if d["unexplained_usd"] is not None:
            console.print(f"    unexplained: {_unexplained(d, p.figure.holds)}")
        console.print(f"    {p.reason}")
        console.print(f"    rests on: {d['provenance']['text']}")


def _unexplained(d: dict[str, Any], holds: Any) -> str:
    """The residual in words: a bound the lake figure meets leaves nothing to explain."""
    rest, tol = d["unexplained_usd"], d["tolerance_usd"]
    money = formats.money
    if d["bound"] != "value" and holds(d["value_usd"] - rest):
        return f"none: the lake figure meets the bound, with {money(abs(rest))} to spare"
    if d["bound"] != "value":
        return f"{money(abs(rest))} on the wrong side of the bound (tolerance {money(tol)})"
    return f"{money(rest)} (tolerance {money(tol)})"


def register(app: typer.Typer) -> None:
    """Add ``bilat claims`` to the CLI."""
    from bilat.cli.claims_history import register as register_history

    register_history(claims_app)
    app.add_typer(claims_app, name="claims")
