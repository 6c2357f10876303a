"""``bilat agenda grade ITEM`` and ``bilat agenda grades [ITEM]``: compliance grades (issue 18).

A grade is ``full`` (+1), ``partial`` (0), ``none`` (−1) or ``too_early`` (no score), as of a
date, on evidence (``--evidence SOURCE::FIGURE``); the G20 Research Group's scale. The
summary averages the scores and gives the same on 0–100.
"""

from __future__ import annotations

from typing import Annotated

import typer

from bilat import formats
from bilat.agenda import ComplianceSummary, GradeReport, GradeView
from bilat.cli import agenda as base
from bilat.cli._common import JsonOption, console, count, print_json, print_table
from bilat.options import GRADES

GradeAsOf = Annotated[str, base._opt("--as-of", "The date assessed at (YYYY-MM-DD).")]
EvidenceOpt = Annotated[
    list[str] | None,
    base._opt(
        "--evidence",
        "SOURCE or SOURCE::FIGURE (repeat): where the fact is reported, and the figure. "
        "Required unless too_early.",
    ),
]
Version = Annotated[
    int | None,
    base._opt("--expect-version", "The item's version you read; refused if it changed since."),
]


def grade(
    item_id: base.ItemId,
    as_of: GradeAsOf,
    grade_: Annotated[str, typer.Option("--grade", help=f"One of {', '.join(GRADES)}.")],
    evidence: EvidenceOpt = None,
    note: Annotated[str | None, base._opt("--note", "Why this grade.")] = None,
    by: Annotated[str | None, base._opt("--by", "Who assesses it.")] = None,
    expect_version: Version = None,
    db: base.DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Grade an item's compliance as of a date, on evidence (kept in its grade history)."""
    with base._agenda(db) as ag:
        view = ag.grade(
            item_id,
            as_of=as_of,
            grade=grade_,
            evidence=list(evidence or ()),
            note=note,
            author=by,
            expected_version=expect_version,
        )
    if as_json:
        print_json(view)
        return
    g = view.grades[-1]
    console.print(
        f"{view.id}: graded {_grade_text(g)} as of {g.as_of} on "
        f"{count(len(g.evidence), 'piece')} of evidence (version {view.version})"
    )


def _grade_text(g: GradeView | None) -> str:
    if g is None:
        return "not graded"
    score = "no score" if g.score is None else _signed(g.score)
    return f"{g.grade.replace('_', ' ')} ({score})"


def _sources(g: GradeView | None) -> str | None:
    if g is None or not g.evidence:
        return None
    return "; ".join(e.source + (f" ({e.figure})" if e.figure else "") for e in g.evidence)


def _signed(v: float) -> str:
    """The average score, signed (``+0.5``, ``-0.25``, ``0``)."""
    text = formats.number(v)
    return text if v <= 0 or text == formats.number(0) else "+" + text


def summary_text(s: ComplianceSummary) -> str:
    """The compliance summary in a line: average, percent and counts per grade."""
    counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in s.counts.items())
    if s.average is None:
        return f"compliance as of {s.as_of}: no item scored ({counts})"
    return (
        f"compliance as of {s.as_of}: average {_signed(s.average)} on −1..+1, "
        f"{formats.percent(s.percent)} "
        f"over {count(s.graded, 'scored item')} ({counts}; too early and not graded left out)"
    )


def grades(
    item_id: Annotated[str | None, typer.Argument(help="One item: its grade history.")] = None,
    as_of: base.AsOfOption = None,
    commission: Annotated[str | None, base._opt("--commission", "Only this commission.")] = None,
    db: base.DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Each item's grade as of a date (default today) with its evidence, and the summary."""
    with base._agenda(db) as ag:
        report = ag.grades(item_id, commission=commission, as_of=as_of)
    if as_json:
        print_json(report)
        return
    _print_report(report)


def _print_report(report: GradeReport) -> None:
    print_table(
        [
            {
                "item": v.id,
                "grade": _grade_text(v.grade),
                "as of": v.grade.as_of if v.grade else None,
                "evidence": _sources(v.grade),
            }
            for v in report.items
        ],
        title=f"Grades as of {report.as_of}",
    )
    if report.history:
        print_table(
            [
                {
                    "as of": g.as_of,
                    "grade": _grade_text(g),
                    "evidence": _sources(g),
                    "note": g.note,
                    "by": g.author,
                }
                for g in report.history
            ],
            title=f"Grade history of {report.items[0].id}",
        )
    console.print(summary_text(report.summary))


def register(app: typer.Typer) -> None:
    """Add ``bilat agenda grade`` and ``bilat agenda grades`` to the group ``agenda`` holds."""
    del app  # the commands join `bilat agenda`, which bilat.cli.agenda added to the root
    base.agenda_app.command("grade")(grade)
    base.agenda_app.command("grades")(grades)
