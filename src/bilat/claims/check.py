"""Checking claims against the lake: supported, contradicted, or undetermined with the reason.

Every result carries the measured value (when there is one), what the claim states, the
reason in words and the provenance of the figures (basis, manifest entries, files), so a
reader can see what the verdict rests on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, get_args

from bilat.claims._values import provenance_dict
from bilat.claims.model import (
    Claim,
    ClaimSet,
    Comparison,
    format_difference,
    format_value,
    load_claims,
)
from bilat.claims.published import PublishedResult, compare_published, earlier_values
from bilat.errors import BilatError, NotFoundError
from bilat.trade import Dyad, Provenance, Summary

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = ["VERDICTS", "ClaimResult", "ClaimsReport", "Verdict", "check_claim", "check_claims"]

#: The verdicts, best first. The two between are given only where the claim's ``compare``
#: defines a ``tolerance`` or a ``roughly`` band (see ``docs/claims.md``, the rating ladder).
Verdict = Literal[
    "supported", "supported within tolerance", "roughly", "contradicted", "undetermined"
]
VERDICTS: tuple[str, ...] = get_args(Verdict)

_NO_PROVENANCE = Provenance((), (), "no data")


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """The verdict on one claim.

    Attributes
    ----------
    claim
        The claim checked.
    verdict
        ``supported``, ``supported within tolerance``, ``roughly``, ``contradicted`` or
        ``undetermined`` (see :data:`VERDICTS`).
    measured
        The value measured in the lake, in ``unit``; ``None`` when nothing could be measured.
    unit
        ``usd`` (US dollars), ``pct`` (percent), ``rank`` (1 = largest) or ``multiplier``.
    expected
        What the claim states, as a comparison (``"> 1,000,000,000 USD"``).
    reason
        Why the verdict: the comparison made, or what is missing.
    details
        Other figures behind the measure (values of both years of a multiplier ...).
    provenance
        Basis, manifest entries and files of the figures.
    """

    claim: Claim
    verdict: Verdict
    measured: float | None
    unit: str
    expected: str
    reason: str
    details: Mapping[str, Any] = field(default_factory=dict)
    provenance: Provenance = _NO_PROVENANCE

    #: The document is the claim's own fields beside the verdict's (see :meth:`to_dict`): the
    #: web's generated response model reads these two to describe it.
    _document_omit_: ClassVar[tuple[str, ...]] = ("claim", "provenance")
    _document_extra_: ClassVar[dict[str, Any]] = {
        "id": str,
        "statement": str,
        "said_by": str | None,
        "said_on": str | None,
        "source": str | None,
        "metric": str,
        "params": dict[str, Any],
        "assumptions": list[str],
        "measured_text": str,
        "provenance": dict[str, Any],
    }

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        c = self.claim
        return {
            "id": c.id,
            "statement": c.statement,
            "said_by": c.said_by,
            "said_on": c.said_on.isoformat() if c.said_on else None,
            "source": c.source,
            "metric": c.metric,
            "params": c.params(),
            "expected": self.expected,
            "assumptions": list(c.assumptions),
            "verdict": self.verdict,
            "measured": self.measured,
            "measured_text": format_value(self.measured, self.unit),
            "unit": self.unit,
            "reason": self.reason,
            "details": {k: _clean(v) for k, v in self.details.items()},
            "provenance": provenance_dict(self.provenance),
        }


@dataclass(frozen=True, slots=True)
class ClaimsReport:
    """The verdicts on every claim of a file.

    Attributes
    ----------
    a, b
        The dyad.
    path
        The claims file.
    results
        One :class:`ClaimResult` per claim, in file order.
    synthetic
        True when the lake holds synthetic data: verdicts say nothing about the real world.
    published
        The case's published figures beside the lake's (:mod:`bilat.claims.published`).
    """

    a: str
    b: str
    path: str | None
    results: tuple[ClaimResult, ...]
    synthetic: bool = False
    published: tuple[PublishedResult, ...] = ()

    #: The keys :meth:`to_dict` adds or writes its own way (for the web's response model).
    _document_omit_: ClassVar[tuple[str, ...]] = ("published",)
    _document_extra_: ClassVar[dict[str, Any]] = {
        "counts": dict[str, int],
        "published": list[dict[str, Any]],
    }

    def counts(self) -> dict[str, int]:
        """Number of claims per verdict."""
        verdicts: list[str] = [r.verdict for r in self.results]
        return {v: verdicts.count(v) for v in VERDICTS}

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "a": self.a,
            "b": self.b,
            "path": self.path,
            "synthetic": self.synthetic,
            "counts": self.counts(),
            "results": [r.to_dict() for r in self.results],
            "published": [p.to_dict() for p in self.published],
        }


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def check_claims(
    lake: Lake, claims: ClaimSet | str | Path, *, geodist: Path | None = None
) -> ClaimsReport:
    """Check every claim of a case (folder or claims file, or a loaded :class:`ClaimSet`).

    The case's published figures are compared with the lake's too; ``geodist`` (a CEPII
    GeoDist file) lets the comparison fit CIF/FOB margins (see :mod:`bilat.claims.published`).

    Examples
    --------
    >>> report = check_claims(lake, "src/bilat/cases/blr-kaz-2022")   # doctest: +SKIP
    >>> report.counts()                                               # doctest: +SKIP
    """
    cs = claims if isinstance(claims, ClaimSet) else load_claims(claims)
    dyad = Dyad(lake, cs.a, cs.b)
    results = tuple(check_claim(dyad, c) for c in cs.claims)
    history = earlier_values(lake, cs.path, cs.claims, cs.published) if cs.published else {}
    published = compare_published(lake, dyad, cs.published, history=history, geodist=geodist)
    synthetic = bool(getattr(lake, "is_synthetic", False))
    return ClaimsReport(cs.a, cs.b, cs.path, results, synthetic, published)


def check_claim(dyad: Dyad, claim: Claim) -> ClaimResult:
    """Check one claim against the dyad's trade."""
    try:
        measured, details, prov, missing = _measure(dyad, claim)
    except NotFoundError as exc:
        return _undetermined(claim, None, f"no data: {exc.message}", {}, _NO_PROVENANCE)
    if missing is not None:
        return _undetermined(claim, measured, missing, details, prov)
    if measured is None:  # pragma: no cover - every measure sets `missing` instead
        return _undetermined(claim, None, "nothing could be measured", details, prov)
    bases = _year_bases(dyad, claim, prov)
    if bases == {"importer"} and not claim.accept_mirror:
        reason = (
            "the figures rest only on the importer's mirror declaration (the exporter "
            f"published nothing): {format_value(measured, claim.unit)} would be compared "
            f"with {claim.expected()}; set accept_mirror: true to judge on the mirror"
        )
        return _undetermined(claim, measured, reason, details, prov)
    if claim.metric == "product_resumed":
        verdict, why = _resumed(claim, details)
    else:
        assert claim.comparison is not None  # the loader requires it for every other metric
        verdict, why = _graded(claim.comparison, measured, claim.unit)
        if claim.metric == "basket_multiplier":
            why += f"; {_two_years(details)}"
    if "importer" in bases:
        why += " (partly on the importer's mirror declaration)"
    return ClaimResult(claim, verdict, measured, claim.unit, claim.expected(), why, details, prov)


def _graded(c: Comparison, measured: float, unit: str) -> tuple[Verdict, str]:
    """The rung of the ladder ``measured`` reaches on ``c``, and why in words."""
    grade = c.grade(measured)
    shown = f"measured {format_value(measured, unit)}"
    miss = format_difference(c.miss(measured), unit)
    if c.op == "approximately":
        off = f"{miss} from {format_value(c.value, unit)}"
        if grade == "supported":
            return (
                grade,
                f"{shown}, which is {format_value(c.value, unit)} at the precision "
                f"stated (within {format_difference(c.exact_width(), unit)})",
            )
    else:
        if grade == "supported":
            return grade, f"{shown}, which meets {c.text(unit)}"
        off = f"missing {c.op} {format_value(c.value, unit)} by {miss}"
    tol, rough = c.band_text(c.tolerance, unit), c.band_text(c.roughly, unit)
    if grade == "supported within tolerance":
        return grade, f"{shown}, {off}: within the claim's tolerance of {tol}"
    if grade == "roughly":
        beyond = "" if c.tolerance is None else f"beyond the tolerance ({tol}) but "
        return grade, f"{shown}, {off}: {beyond}within the roughly band of {rough}"
    if c.tolerance is None and c.roughly is None:
        return grade, f"{shown}, which does not meet {c.text(unit)}"
    widest = rough if c.roughly is not None else tol
    return grade, f"{shown}, {off}: beyond the widest band the claim allows ({widest})"


def _year_bases(dyad: Dyad, claim: Claim, prov: Provenance) -> set[str]:
    """Whose declarations the claimed year's dyad figures rest on.

    A summary's provenance also covers the year before (for growth); the claimed year's own
    basis decides whether a figure rests only on the mirror.
    """
    if claim.metric in ("turnover", "exports", "imports", "growth", "partner_rank"):
        try:
            return set(dyad.series(claim.year, claim.year).provenance.bases)
        except NotFoundError:
            return set(prov.bases)
    return set(prov.bases)


def _undetermined(
    claim: Claim, measured: float | None, reason: str, details: Mapping[str, Any], prov: Provenance
) -> ClaimResult:
    return ClaimResult(
        claim, "undetermined", measured, claim.unit, claim.expected(), reason, details, prov
    )


_Measure = tuple[float | None, dict[str, Any], Provenance, str | None]


def _measure(dyad: Dyad, claim: Claim) -> _Measure:
    if claim.metric in ("turnover", "exports", "imports", "growth"):
        return _summary_measure(dyad, claim)
    if claim.metric == "partner_rank":
        return _rank(dyad, claim)
    return _basket_measure(dyad, claim)


def _coverage_gap(s: Summary, keys: list[str]) -> str | None:
    """Why the figures ``keys`` of ``s`` are not fully covered, or ``None`` when they are."""
    names = {
        "exports": f"{s.a}→{s.b} {s.year}",
        "imports": f"{s.b}→{s.a} {s.year}",
        "previous_exports": f"{s.a}→{s.b} {s.previous_year}",
        "previous_imports": f"{s.b}→{s.a} {s.previous_year}",
    }
    gaps = []
    for k in keys:
        fig = s.figures.get(k)
        if fig is None or fig.coverage.full:
            continue
        what = "not covered" if not fig.coverage.covered else "partly covered"
        gaps.append(f"{names[k]} is {what} ({fig.coverage.reason})")
    if not gaps:
        return None
    return "the lake does not cover what the claim is about: " + "; ".join(gaps)


def _shown(value: float | None, unit: str) -> str:
    return "not available" if value is None else format_value(value, unit)


def _summary_measure(dyad: Dyad, claim: Claim) -> _Measure:
    s = dyad.summary(claim.year)
    needs = {"turnover": ["exports", "imports"], "exports": ["exports"], "imports": ["imports"]}
    if claim.metric != "growth":
        value = {"turnover": s.turnover_usd, "exports": s.exports_usd, "imports": s.imports_usd}[
            claim.metric
        ]
        details: dict[str, Any] = {"year": s.year, "value_usd": value}
        details.update({k: s.figures[k].text() for k in needs[claim.metric] if k in s.figures})
        gap = _coverage_gap(s, needs[claim.metric])
        if gap is not None:
            shown = {k: _shown(s.figures[k].value_usd, "usd") for k in needs[claim.metric]}
            measured = ", ".join(f"{k} {v}" for k, v in shown.items())
            return value, details, s.provenance, f"{gap}; measured: {measured}"
        if value is None or value <= 0:
            return value, details, s.provenance, _nothing(dyad, claim.year)
        return value, details, s.provenance, None
    now, before, pct = {
        "turnover": (s.turnover_usd, s.previous_turnover_usd, s.turnover_growth_pct),
        "exports": (s.exports_usd, s.previous_exports_usd, s.exports_growth_pct),
        "imports": (s.imports_usd, s.previous_imports_usd, s.imports_growth_pct),
    }[claim.measure]
    details = {"year": s.year, "value_usd": now, "previous_year": s.previous_year}
    details["previous_usd"] = before
    keys = needs[claim.measure]
    gap = _coverage_gap(s, keys + [f"previous_{k}" for k in keys])
    if gap is not None:
        return pct, details, s.provenance, gap
    if pct is None:
        why = (
            f"no {claim.measure} in {s.previous_year} to compare with (the lake holds no trade "
            f"of the dyad that year)"
        )
        return None, details, s.provenance, why
    return pct, details, s.provenance, None


def _nothing(dyad: Dyad, year: int) -> str:
    return f"the lake holds no trade between {dyad.a.code} and {dyad.b.code} in {year}"


def _rank(dyad: Dyad, claim: Claim) -> _Measure:
    s = dyad.summary(claim.year)
    reporter = claim.reporter or dyad.a.code
    flow = claim.flow
    standing = next((x for x in s.standings if x.reporter == reporter and x.flow == flow), None)
    if standing is None:  # pragma: no cover - the loader checks reporter is a side
        return None, {}, s.provenance, f"{reporter} is not a side of the dyad"
    details = {
        "year": claim.year,
        "reporter": reporter,
        "partner": standing.partner,
        "flow": flow,
        "n_partners": standing.n_partners,
        "share_pct": standing.share_pct,
        "text": standing.text,
    }
    measured = None if standing.rank is None else float(standing.rank)
    if standing.coverage is not None and standing.coverage.thin:
        details["coverage"] = standing.coverage.text()
        why = (
            f"a rank among partners needs {reporter}'s whole {flow} trade, but "
            f"{standing.coverage.reason}; measured: {standing.text}"
        )
        return measured, details, s.provenance, why
    if standing.rank is None:
        return None, details, s.provenance, f"{standing.text}: no rank to compare"
    return float(standing.rank), details, s.provenance, None


def _basket_measure(dyad: Dyad, claim: Claim) -> _Measure:
    assert claim.basket is not None  # the loader requires a basket for these metrics
    start = claim.base_year if claim.base_year is not None else claim.year - 1
    res = dyad.baskets(start, claim.year, flow=claim.direction, names=[claim.basket])
    row = res.rows.to_pylist()[0]
    before, after = row["value_from_usd"], row["value_to_usd"]
    details = {
        "basket": claim.basket,
        "title": row["title"],
        "direction": claim.direction,
        "exporter": res.exporter,
        "importer": res.importer,
        "from": start,
        "to": claim.year,
        "value_from_usd": before,
        "value_to_usd": after,
        "multiplier": row["multiplier"],
        "level": res.provenance.level,
    }
    prov = res.provenance
    title = f"{row['title']} ({res.exporter}→{res.importer})"
    # An empty basket means "none of these goods" only where the dyad traded something else.
    traded = {
        r["year"]
        for r in dyad.series(start, claim.year).rows.to_pylist()
        if r["exports_usd"] or r["imports_usd"]
    }
    for y in (start, claim.year):
        if y not in traded:
            return None, details, prov, _nothing(dyad, y)
    for y, status, value in (
        (start, row["coverage_from"], before),
        (claim.year, row["coverage_to"], after),
    ):
        needed = claim.metric != "basket_value" or y == claim.year
        if needed and status != "full":
            what = "does not cover" if status == "none" else "covers only part of"
            return (
                value if y == claim.year else None,
                details,
                prov,
                f"the lake {what} {title} trade in {y}: {row['text']}",
            )
    if after is None:
        return None, details, prov, f"no data for {claim.year} at the basket's HS level"
    if claim.metric == "basket_value":
        return after, details, prov, None
    if claim.metric == "product_resumed":
        if before is None:
            return after, details, prov, f"no data for {start} to see whether supplies had stopped"
        return after, details, prov, None
    if before is None:
        return None, details, prov, f"no data for {start} at the basket's HS level"
    if before <= 0:
        return None, details, prov, f"basket empty: no {title} trade in {start} to multiply"
    return row["multiplier"], details, prov, None


def _two_years(details: Mapping[str, Any]) -> str:
    """``414 USD in 2020, 0 USD in 2021``: the values a multiplier divides."""
    before, after = details["value_from_usd"] or 0.0, details["value_to_usd"] or 0.0
    return (
        f"{format_value(before, 'usd')} in {details['from']}, "
        f"{format_value(after, 'usd')} in {details['to']}"
    )


def _resumed(claim: Claim, details: Mapping[str, Any]) -> tuple[Verdict, str]:
    floor = claim.min_value_usd
    before, after = details["value_from_usd"] or 0.0, details["value_to_usd"] or 0.0
    start, year, title = details["from"], details["to"], details["title"]
    shown = _two_years(details)
    if after <= floor:
        return "contradicted", f"no {title} supplies in {year} ({shown})"
    if before <= floor:
        return "supported", f"{title} supplies resumed in {year} after none in {start} ({shown})"
    return (
        "undetermined",
        f"{title} supplies did not stop in {start} ({shown}); annual data cannot show a pause "
        "and resumption within a year",
    )


def safe_check(lake: Lake, case: str | Path) -> ClaimsReport | BilatError:
    """:func:`check_claims`, or the error that stopped it (for the briefing)."""
    try:
        return check_claims(lake, case)
    except BilatError as exc:
        return exc
