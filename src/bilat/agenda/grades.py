"""Compliance grades: an item's grade as of a date, with its evidence, and the summary.

The scale is the G20 Research Group's: ``full`` (+1), ``partial`` (0), ``none`` (−1), and
``too_early`` (no score: the commitment's deadline is after the date assessed). A grade
rests on evidence (a source, and the figure it reports); ``too_early`` rests on the due
date. Grades are appended, never overwritten, so an item's rows are its grade history.
:class:`~bilat.agenda.Agenda` wraps :func:`apply_grade` in a transaction with optimistic
locking (see ``Agenda.grade``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bilat.agenda import _checks as check
from bilat.agenda.models import Grade, Item
from bilat.agenda.views import ComplianceSummary, Evidence, GradeView, ItemView
from bilat.options import GRADE_SCORES, GRADES, ComplianceGrade, choice

__all__ = [
    "apply_grade",
    "checked_evidence",
    "checked_grade",
    "grade_at",
    "grade_view",
    "parse_evidence",
    "summary",
]


def parse_evidence(text: str) -> Evidence:
    """One ``SOURCE[::FIGURE]`` of the command line as evidence (``InputError`` if blank)."""
    source, _, figure = text.partition("::")
    if not source.strip():
        raise check.bad(
            "evidence",
            "evidence needs a source",
            value=text,
            expected="SOURCE or SOURCE::FIGURE (a URL or document, then the figure it reports)",
        )
    return Evidence(source.strip(), figure.strip() or None)


def checked_evidence(entries: Iterable[Evidence | Mapping[str, Any] | str]) -> list[Evidence]:
    """Evidence entries checked: each names a source; ``figure`` and ``note`` are optional."""
    out: list[Evidence] = []
    for i, e in enumerate(entries):
        if isinstance(e, str):
            out.append(parse_evidence(e))
            continue
        raw = (
            e
            if isinstance(e, Mapping)
            else {"source": e.source, "figure": e.figure, "note": e.note}
        )
        unknown = sorted(set(raw) - {"source", "figure", "note"})
        if unknown:
            raise check.bad(
                f"evidence[{i}]",
                "unknown key in evidence",
                value=unknown[0],
                expected="source, figure, note",
            )
        source = check.text(raw.get("source"))
        if source is None:
            raise check.bad(
                f"evidence[{i}].source",
                "evidence needs a source (where the figure or fact is reported)",
                expected="a URL, a document, a minute",
            )
        out.append(Evidence(source, check.text(raw.get("figure")), check.text(raw.get("note"))))
    return out


def checked_grade(
    grade: str,
    as_of: dt.date,
    evidence: Sequence[Evidence],
    *,
    meeting_date: dt.date,
    due_date: dt.date | None,
    due: str | None,
    check_due: bool = True,
) -> str:
    """The grade, after the rules that need the item: its meeting and its due date.

    ``full``, ``partial`` and ``none`` need evidence; ``too_early`` needs a due date after
    ``as_of``; no grade is dated before the meeting that agreed the item. ``check_due``
    false skips the due date's rule (a file whose edits changed the due date since).
    """
    g: ComplianceGrade = choice(GRADES, grade, "grade")
    if as_of < meeting_date:
        raise check.bad(
            "as_of",
            f"a grade cannot be dated before the meeting that agreed the item ({meeting_date})",
            value=as_of.isoformat(),
            expected=f"on or after {meeting_date.isoformat()}",
        )
    if g == "too_early":
        if not check_due:
            return g
        if due_date is None:
            raise check.bad(
                "grade",
                "too_early needs the item's due date, and this item has none",
                value=g,
                hint="set a due date (agenda edit --due) or grade full, partial or none",
            )
        if due_date <= as_of:
            raise check.bad(
                "grade",
                f"too early no longer: the deadline has passed (due {due}, ended "
                f"{due_date.isoformat()}, on or before {as_of.isoformat()})",
                value=g,
                expected="full, partial or none, with the evidence",
            )
    elif not evidence:
        raise check.bad(
            "evidence",
            f"a grade of {g} needs at least one piece of evidence with its source",
            expected="SOURCE or SOURCE::FIGURE",
            hint="a press report of the commitment is not evidence that it was kept",
        )
    return g


def apply_grade(
    row: Item,
    grade: str,
    as_of: dt.date,
    evidence: Sequence[Evidence],
    *,
    note: str | None,
    author: str | None,
) -> None:
    """Append a checked grade to ``row`` (which bumps the item's version)."""
    now = dt.datetime.now(dt.UTC)
    row.grades.append(
        Grade(
            as_of=as_of,
            grade=grade,
            score=GRADE_SCORES[grade],
            evidence=[{"source": e.source, "figure": e.figure, "note": e.note} for e in evidence],
            note=note,
            author=author,
            recorded_at=now,
        )
    )
    row.updated_by, row.updated_at = author, now


def grade_view(g: Grade) -> GradeView:
    """The record of a grade row."""
    t = g.recorded_at
    return GradeView(
        as_of=g.as_of,
        grade=g.grade,
        score=g.score,
        evidence=tuple(
            Evidence(str(e["source"]), e.get("figure"), e.get("note")) for e in g.evidence
        ),
        note=g.note,
        author=g.author,
        recorded_at=t.replace(tzinfo=dt.UTC) if t is not None and t.tzinfo is None else t,
    )


def grade_at(
    grades: Sequence[GradeView], day: dt.date, due_date: dt.date | None = None
) -> GradeView | None:
    """The grade as of ``day``: the latest assessed on or before it (last recorded wins).

    A ``too_early`` grade lapses once the due date has passed: past ``due_date`` it is no
    longer true, so the item is not graded until somebody grades it on evidence.
    """
    past = [g for g in grades if g.as_of <= day]
    if not past:
        return None
    last = past[-1]
    if last.grade == "too_early" and due_date is not None and due_date < day:
        return None
    return last


def summary(items: Iterable[ItemView], day: dt.date) -> ComplianceSummary:
    """The compliance of ``items`` as of ``day`` (their ``grade`` must be as of ``day``).

    Average score over the scored items (``too_early`` and ungraded left out), and the
    same on 0–100 as the G20 Research Group reports it: ``(average + 1) / 2 · 100``.
    """
    listed = list(items)
    counts = dict.fromkeys(GRADES, 0) | {"not_graded": 0}
    scores: list[int] = []
    for it in listed:
        if it.grade is None:
            counts["not_graded"] += 1
            continue
        counts[it.grade.grade] += 1
        if it.grade.score is not None:
            scores.append(it.grade.score)
    average = sum(scores) / len(scores) if scores else None
    return ComplianceSummary(
        as_of=day,
        items=len(listed),
        graded=len(scores),
        counts=counts,
        average=None if average is None else round(average, 4),
        percent=None if average is None else round((average + 1) / 2 * 100, 2),
    )
