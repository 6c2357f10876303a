"""What the lake holds: its manifest entries and the years the trade view reads.

>>> contents(lake).years             # doctest: +SKIP
(2019, 2020, 2021)

``bilat sources`` and the Sources page show this; the years are the trade view's (flows and
declarations alike), not a count of manifest entries of one kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bilat.tradeview._view import TradeView

if TYPE_CHECKING:
    from bilat.lake import Lake
    from bilat.lake.manifest import ManifestEntry

__all__ = ["LakeContents", "contents"]


@dataclass(frozen=True, slots=True)
class LakeContents:
    """The files a lake holds, with provenance.

    Attributes
    ----------
    lake
        The lake's folder.
    version
        Changes whenever the lake's content changes (:attr:`bilat.lake.Lake.version`).
    synthetic
        True when any active entry holds generated sample data.
    years
        Years the trade view reads any flow for (flows or declarations), ascending.
    entries
        The manifest entries, oldest first (replaced releases only when asked for).
    """

    lake: str
    version: str
    synthetic: bool
    years: tuple[int, ...]
    entries: tuple[ManifestEntry, ...]

    @property
    def empty(self) -> bool:
        """True when the lake holds no entry."""
        return not self.entries


def contents(lake: Lake, *, include_replaced: bool = False) -> LakeContents:
    """What ``lake`` holds; ``include_replaced`` lists releases replaced by newer ones too."""
    return LakeContents(
        lake=str(lake.root),
        version=str(lake.version),
        synthetic=bool(lake.is_synthetic),
        years=tuple(TradeView(lake).years()),
        entries=tuple(lake.manifest(include_replaced=include_replaced)),
    )
