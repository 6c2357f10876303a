"""Claims: official statements about a dyad, written as data and checked against the lake.

A case's ``claims.yaml`` holds statements ("turnover exceeded one billion dollars in 2021")
with the metric, parameters, comparison and assumptions that make them checkable.
:func:`check_claims` gives each a verdict on a ladder: **supported**, **supported within
tolerance** and **roughly** (where the claim's ``compare`` defines those bands),
**contradicted**, or **undetermined** with the reason, always with the measured value and
its sources. Official figures listed under ``published:`` are set beside the lake's, the gap
split into its known causes (:mod:`bilat.claims.published`).

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
from bilat.claims.claimreview import BEST_RATING, RATING_SCALE, SCALE_TEXT, claim_review
from bilat.claims.history import (
    HISTORY_FILE,
    NOT_ASKED,
    CheckRecord,
    ClaimHistory,
    ClaimTurnover,
    HistoryPoint,
    LakeChange,
    LakeEntry,
    changes_since_last,
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
    Band,
    Claim,
    ClaimSet,
    Comparison,
    Grade,
    Metric,
    Operator,
    format_difference,
    format_value,
    load_claims,
    precision_step,
    resolve_case,
)
from bilat.claims.published import (
    GapPart,
    PublishedFigure,
    PublishedResult,
    compare_published,
)
from bilat.claims.recorded import ClaimsCheck, check_and_record

__all__ = [
    "BEST_RATING",
    "CLAIMS_FILE",
    "HISTORY_FILE",
    "METRICS",
    "NOT_ASKED",
    "OPERATORS",
    "RATING_SCALE",
    "SCALE_TEXT",
    "SCHEMA_TAG",
    "VERDICTS",
    "Band",
    "CheckRecord",
    "Claim",
    "ClaimHistory",
    "ClaimResult",
    "ClaimSet",
    "ClaimTurnover",
    "ClaimsCheck",
    "ClaimsReport",
    "Comparison",
    "GapPart",
    "Grade",
    "HistoryPoint",
    "LakeChange",
    "LakeEntry",
    "Metric",
    "Operator",
    "PublishedFigure",
    "PublishedResult",
    "Verdict",
    "changes_since_last",
    "check_and_record",
    "check_claim",
    "check_claims",
    "claim_history",
    "claim_review",
    "compare_checks",
    "compare_published",
    "format_difference",
    "format_value",
    "load_claims",
    "precision_step",
    "read_history",
    "record_check",
    "resolve_case",
]
