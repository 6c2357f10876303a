"""Verdicts as schema.org ``ClaimReview`` JSON-LD: one document per check.

The document is ``{"@context": "https://schema.org", "@graph": [...]}`` with one
``ClaimReview`` per claim. Its ``reviewRating`` is a ``Rating`` on this scale (written out
in every rating's ``ratingExplanation`` prefix and in ``docs/claims.md``):

====== ========================== ===================================================
value  alternateName              meaning
====== ========================== ===================================================
1      contradicted               the measured value misses the statement beyond every
                                  band the claim allows
2      roughly                    it misses by more than the tolerance, but within the
                                  claim's ``roughly`` band
3      supported within tolerance it misses by no more than the claim's tolerance
4      supported                  it meets the statement (``approximately``: equals the
                                  stated value at its own precision)
(none) undetermined               the data cannot decide: no ``ratingValue`` is given
====== ========================== ===================================================

``worstRating`` is 1 and ``bestRating`` 4 for every claim, so ratings of one check compare;
a claim whose file defines no band can only reach 1 or 4. An undetermined verdict has no number, since a
number would be a claim the data does not make. The review's ``author`` is the tool, as an
``Organization``; the reviewed ``Claim``'s author is the institution the case names
(``said_by``), also an ``Organization`` (no person is named where the case names none).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bilat.claims.check import ClaimResult, ClaimsReport

__all__ = ["BEST_RATING", "RATING_SCALE", "SCALE_TEXT", "claim_review"]

#: Verdict → ``ratingValue`` (undetermined has none).
RATING_SCALE: dict[str, int | None] = {
    "contradicted": 1,
    "roughly": 2,
    "supported within tolerance": 3,
    "supported": 4,
    "undetermined": None,
}
#: The best ``ratingValue``.
BEST_RATING = 4
#: The scale in words, as every rating states it.
SCALE_TEXT = (
    "Scale: 1 = contradicted (the data miss the statement beyond every band the claim "
    "allows), 2 = roughly (within the claim's roughly band), 3 = supported within tolerance "
    "(within the claim's tolerance), 4 = supported (the data meet the statement); "
    "undetermined = no rating value (the data cannot decide)."
)
_TOOL = {"@type": "Organization", "name": "bilat (automated check against trade data)"}


def claim_review(report: ClaimsReport, *, date: dt.date | dt.datetime) -> dict[str, Any]:
    """The verdicts of ``report`` as one schema.org JSON-LD document.

    Parameters
    ----------
    report
        The check.
    date
        The check's date (``datePublished`` of every review).

    Examples
    --------
    >>> doc = claim_review(check_claims(lake, "blr-kaz-2022"), date=dt.date.today())  # doctest: +SKIP
    >>> doc["@graph"][0]["@type"]                                                     # doctest: +SKIP
    'ClaimReview'
    """
    day = date.date() if isinstance(date, dt.datetime) else date
    return {
        "@context": "https://schema.org",
        "@graph": [_review(r, day, report.synthetic) for r in report.results],
    }


def _review(r: ClaimResult, day: dt.date, synthetic: bool) -> dict[str, Any]:
    rating: dict[str, Any] = {
        "@type": "Rating",
        "alternateName": r.verdict,
        "worstRating": 1,
        "bestRating": BEST_RATING,
        "ratingExplanation": f"{SCALE_TEXT} {r.reason}",
    }
    value = RATING_SCALE[r.verdict]
    if value is not None:
        rating["ratingValue"] = value
    body = f"{r.verdict}: {r.reason}. Sources: {r.provenance.text()}."
    if synthetic:
        body = "SYNTHETIC DATA: this verdict says nothing about the real world. " + body
    return {
        "@type": "ClaimReview",
        "identifier": r.claim.id,
        "claimReviewed": r.claim.statement,
        "author": dict(_TOOL),
        "datePublished": day.isoformat(),
        "reviewRating": rating,
        "reviewBody": body,
        "itemReviewed": _claim(r),
    }


def _claim(r: ClaimResult) -> dict[str, Any]:
    c = r.claim
    item: dict[str, Any] = {"@type": "Claim", "text": c.statement}
    if c.said_by:
        item["author"] = {"@type": "Organization", "name": c.said_by}
    if c.said_on:
        item["datePublished"] = c.said_on.isoformat()
    if c.source:
        key = "url" if c.source.startswith(("http://", "https://")) else "name"
        item["appearance"] = {"@type": "CreativeWork", key: c.source}
    return item
