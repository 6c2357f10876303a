"""The trade view: one read model of the lake (``TradeView``).

Every part reads trade numbers through it: ``trade``, ``potential``, ``claims``, ``brief``,
``agenda`` progress and ``web``. It chooses, per flow (year, exporter, importer, product),
which source the lake believes (source precedence), builds totals and tables from HS codes
without counting anything twice, and says for every figure what it rests on and how
complete that is (:class:`Figure`, :class:`Coverage`). See ``docs/indicators.md``, "Which
numbers the lake believes".
"""

from __future__ import annotations

from bilat.tradeview._coverage import (
    Coverage,
    CoverageStatus,
    Figure,
    Part,
    RankCoverage,
    levels_text,
    parts_of,
)
from bilat.tradeview._precedence import (
    CLASSES,
    DEFAULT_PRECEDENCE,
    PARTIAL_RECONCILED,
    Precedence,
    SourceClass,
    class_label,
    precedence,
)
from bilat.tradeview._view import ALL_PRODUCTS_CHAPTERS, AREAS, TradeView, flow_class, trade_view
from bilat.tradeview.contents import LakeContents, contents

__all__ = [
    "ALL_PRODUCTS_CHAPTERS",
    "AREAS",
    "CLASSES",
    "DEFAULT_PRECEDENCE",
    "PARTIAL_RECONCILED",
    "Coverage",
    "CoverageStatus",
    "Figure",
    "LakeContents",
    "Part",
    "Precedence",
    "RankCoverage",
    "SourceClass",
    "TradeView",
    "class_label",
    "contents",
    "flow_class",
    "levels_text",
    "parts_of",
    "precedence",
    "trade_view",
]
