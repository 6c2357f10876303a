"""Claims: official statements about a dyad, written as data and checked against the lake.

A case's ``claims.yaml`` holds statements ("turnover exceeded one billion dollars in 2021")
with the metric, parameters, comparison and assumptions that make them checkable.
:func:`check_claims` gives each a verdict: **supported**, **contradicted**, or
**undetermined** with the reason, always with the measured value and its sources. Official
figures listed under ``published:`` are set beside the lake's, the gap split into its known
causes (:mod:`bilat.claims.published`).

>>> from bilat.claims import check_claims                              # doctest: +SKIP
>>> check_claims(lake, "src/bilat/cases/blr-kaz-2022").counts()        # doctest: +SKIP
"""

from __future__ import annotations

from bilat.claims.check import (
    VERDICTS,
    ClaimResult,
    ClaimsReport,
    Verdict,
    check_claim,
    check_claims,
)
from bilat.claims.claimreview import RATING_SCALE, SCALE_TEXT, claim_review
from bilat.claims.history import (
    HISTORY_FILE,
    CheckRecord,
    ClaimHistory,
    ClaimTurnover,
    HistoryPoint,
    LakeChange,
    LakeEntry,
    claim_history,
    compare_checks,
    read_history,
    record_check,
)
from bilat.claims.model import (
    CLAIMS_FILE,
    METRICS,
    OPERATORS,
    SCHEMA_TAG,
    Claim,
    ClaimSet,
    Comparison,
    Metric,
    Operator,
    format_value,
    load_claims,
    resolve_case,
)
from bilat.claims.published import (
    GapPart,
    PublishedFigure,
    PublishedResult,
    compare_published,
)

__all__ = [
    "CLAIMS_FILE",
    "HISTORY_FILE",
    "METRICS",
    "OPERATORS",
    "RATING_SCALE",
    "SCALE_TEXT",
    "SCHEMA_TAG",
    "VERDICTS",
    "CheckRecord",
    "Claim",
    "ClaimHistory",
    "ClaimResult",
    "ClaimSet",
    "ClaimTurnover",
    "ClaimsReport",
    "Comparison",
    "GapPart",
    "HistoryPoint",
    "LakeChange",
    "LakeEntry",
    "Metric",
    "Operator",
    "PublishedFigure",
    "PublishedResult",
    "Verdict",
    "check_claim",
    "check_claims",
    "claim_history",
    "claim_review",
    "compare_checks",
    "compare_published",
    "format_value",
    "load_claims",
    "read_history",
    "record_check",
    "resolve_case",
]
