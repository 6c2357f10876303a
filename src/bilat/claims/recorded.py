"""A check and its place in the lake's history (``bilat claims check``'s whole document).

:func:`check_and_record` checks a case's claims (:mod:`bilat.claims.check`), records the check
in the lake's history unless told not to (:mod:`bilat.claims.history`) and says what changed
since the previous one. It lives apart from both so that neither imports the other: the check
reads the history for the revisions of published figures.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from bilat.claims.check import ClaimsReport, check_claims
from bilat.claims.history import ClaimTurnover, changes_since_last, record_check
from bilat.claims.model import ClaimSet

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = ["ClaimsCheck", "check_and_record"]


def _report_fields() -> dict[str, Any]:
    """The names and types of :class:`ClaimsReport`'s document (for :class:`ClaimsCheck`)."""
    hints = typing.get_type_hints(ClaimsReport)
    omit = set(getattr(ClaimsReport, "_document_omit_", ()))
    out = {f.name: hints[f.name] for f in dataclasses.fields(ClaimsReport) if f.name not in omit}
    return {**out, **dict(getattr(ClaimsReport, "_document_extra_", {}))}


@dataclass(frozen=True, slots=True)
class ClaimsCheck:
    """A check and its place in the lake's history: the report, recorded or not, and what
    changed since the previous recorded check (``bilat claims check --json``'s document).

    Attributes
    ----------
    report
        The verdicts.
    turnover
        Whether the check was recorded (and why not), and what changed.
    """

    report: ClaimsReport
    turnover: ClaimTurnover

    _document_omit_: ClassVar[tuple[str, ...]] = ("report", "turnover")
    _document_extra_: ClassVar[dict[str, Any]] = {
        **_report_fields(),
        "recorded": bool,
        "not_recorded_because": str | None,
        "previous_check": str | None,
        "changes": list[dict[str, str | None]],
        "lake_change": dict[str, Any],
    }

    def to_dict(self) -> dict[str, Any]:
        """The report's document, with the history's keys added."""
        t = self.turnover
        texts = t.change_lines()
        return {
            **self.report.to_dict(),
            "recorded": t.recorded,
            "not_recorded_because": t.not_recorded_because,
            "previous_check": t.previous_at,
            "changes": [
                {"claim": cid, "from": old, "to": new, "text": texts[cid]}
                for cid, (old, new) in t.changed.items()
            ],
            "lake_change": {
                "ingested": list(t.lake.ingested),
                "removed": list(t.lake.removed),
                "text": t.lake.text(),
            },
        }


def check_and_record(
    lake: Lake,
    claims: ClaimSet | str | Path,
    *,
    record: bool = True,
    now: dt.datetime | None = None,
    geodist: Path | None = None,
) -> ClaimsCheck:
    """Check the claims, record the check unless ``record`` is false, and say what changed.

    ``geodist`` is a GeoDist file for the fitted CIF/FOB margins of published figures (see
    :func:`bilat.claims.check_claims`). A lake whose history cannot be written is checked all the same: the result says
    ``recorded=False`` and why (see :func:`record_check`).

    Examples
    --------
    >>> done = check_and_record(lake, "blr-kaz-2022")     # doctest: +SKIP
    >>> done.turnover.recorded, done.to_dict()["changes"]  # doctest: +SKIP
    (True, [])
    """
    report = check_claims(lake, claims, geodist=geodist)
    when = now or dt.datetime.now(dt.UTC)
    if record:
        return ClaimsCheck(report, record_check(lake, report, now=when)[1])
    return ClaimsCheck(report, changes_since_last(lake, report, now=when))
