"""What a figure rests on and how complete that is: :class:`Figure`, :class:`Coverage`."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from bilat import formats
from bilat.tradeview._precedence import class_label

__all__ = ["Coverage", "CoverageStatus", "Figure", "Part", "RankCoverage", "levels_text"]

#: ``none``: no source covers the figure (it is not available, never 0); ``partial``: some
#: pairs or some HS chapters only; ``full``: every pair and every product is covered.
CoverageStatus = Literal["none", "partial", "full"]


def _chapters_text(chapters: Sequence[str]) -> str:
    return "HS " + ", ".join(chapters)


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which sources cover a figure.

    Attributes
    ----------
    status
        ``none``, ``partial`` or ``full`` (see :data:`CoverageStatus`).
    sides
        The source classes that declared the flow that year (``reconciled``, ``national``,
        ``exporter``, ``importer``), whether or not they were chosen.
    chapters
        The HS chapters the covering sources hold; ``None`` when they cover every product.
    pairs, pairs_covered
        Exporter–importer pairs the figure adds up (more than one for a group) and how many
        of them some source covers.
    reason
        Why the coverage is not full, in words (``""`` when it is).
    """

    _document_extra_: ClassVar[dict[str, Any]] = {"text": str}

    status: CoverageStatus
    sides: tuple[str, ...] = ()
    chapters: tuple[str, ...] | None = None
    pairs: int = 1
    pairs_covered: int = 0
    reason: str = ""

    @property
    def covered(self) -> bool:
        """Whether any source covers the figure."""
        return self.status != "none"

    @property
    def full(self) -> bool:
        """Whether every pair and product is covered."""
        return self.status == "full"

    def text(self) -> str:
        """``"full"``, ``"partial: HS 44, 47 only"``, ``"none: no source covers ..."``."""
        if self.status == "full":
            return "full"
        return f"{self.status}: {self.reason}" if self.reason else self.status

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "sides": list(self.sides),
            "chapters": None if self.chapters is None else list(self.chapters),
            "pairs": self.pairs,
            "pairs_covered": self.pairs_covered,
            "reason": self.reason,
            "text": self.text(),
        }


NO_COVERAGE = Coverage("none", reason="no source covers this")


@dataclass(frozen=True, slots=True)
class Part:
    """One source's share of a figure."""

    _document_omit_: ClassVar[frozenset[str]] = frozenset({"klass"})
    _document_extra_: ClassVar[dict[str, Any]] = {"class": str, "label": str}

    klass: str
    source: str
    value_usd: float
    share_pct: float | None

    @property
    def label(self) -> str:
        return class_label(self.klass, self.source)

    def to_dict(self) -> dict[str, Any]:
        share = self.share_pct
        return {
            "class": self.klass,
            "source": self.source,
            "label": self.label,
            "value_usd": self.value_usd,
            "share_pct": None if share is None or not math.isfinite(share) else share,
        }


def parts_of(values: Mapping[tuple[str, str], float]) -> tuple[Part, ...]:
    """Parts from ``{(class, source): value}``, largest first, with their shares."""
    total = sum(values.values())
    out = [
        Part(k, s, v, (v * 100.0 / total) if total > 0 else None)
        for (k, s), v in values.items()
        if v != 0 or total == 0
    ]
    return tuple(sorted(out, key=lambda p: (-p.value_usd, p.klass, p.source)))


def levels_text(levels: Iterable[int], target: int) -> str:
    """``"HS4 and HS6 codes summed to TOTAL (none counted twice)"``, ``"HS6"``."""
    held = sorted({int(v) for v in levels})
    name = "TOTAL" if target == 0 else f"HS{target}"
    if not held:
        return "no data"
    words = ["TOTAL" if lv == 0 else f"HS{lv}" for lv in held]
    if held == [target]:
        return name
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    tail = " (none counted twice)" if len(held) > 1 else ""
    return f"{joined} summed to {name}{tail}"


@dataclass(frozen=True, slots=True)
class Figure:
    """One number and what it rests on.

    Attributes
    ----------
    value_usd
        The value in US dollars; ``None`` when no source covers it (never 0 for "unknown").
    coverage
        Which sources cover it and how completely.
    parts
        The sources its value was added up from, with their shares.
    levels
        The HS levels it was built from (``"HS2, HS4 and HS6 summed to TOTAL ..."``).
    """

    _document_extra_: ClassVar[dict[str, Any]] = {"available": bool, "basis": str, "text": str}

    value_usd: float | None
    coverage: Coverage
    parts: tuple[Part, ...] = ()
    levels: str = ""

    @property
    def available(self) -> bool:
        return self.value_usd is not None

    def basis_text(self) -> str:
        """``"100.0% importer declarations (comtrade)"``; ``"not available"`` when uncovered."""
        if self.value_usd is None:
            return "not available"
        if not self.parts:
            return "no trade recorded"
        return "; ".join(
            f"{formats.share(p.share_pct)} {p.label}" if p.share_pct is not None else p.label
            for p in self.parts
        )

    def text(self) -> str:
        """``"$289.2M (100.0% importer declarations (comtrade); partial: HS 44 only)"``."""
        if self.value_usd is None:
            return f"not available ({self.coverage.reason or 'no source covers this'})"
        extra = "" if self.coverage.full else f"; {self.coverage.text()}"
        return f"{formats.money(self.value_usd)} ({self.basis_text()}{extra})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "value_usd": self.value_usd,
            "available": self.available,
            "coverage": self.coverage.to_dict(),
            "parts": [p.to_dict() for p in self.parts],
            "basis": self.basis_text(),
            "levels": self.levels,
            "text": self.text(),
        }


@dataclass(frozen=True, slots=True)
class RankCoverage:
    """How far a rank among partners can be trusted.

    Attributes
    ----------
    partners_present
        Partners with a covered, positive flow: the rank is among these.
    complete
        True when the lake holds the reporter's whole trade for the year (a reconciled,
        complete source, or the reporter's own declaration of every product).
    world_share_pct
        The share of the reporter's world total (its own declaration to World) that the
        partners present account for, when the lake holds that total.
    reason
        Why the rank is thin, in words (``""`` when it is complete).
    """

    _document_extra_: ClassVar[dict[str, Any]] = {"thin": bool, "text": str}

    partners_present: int
    complete: bool
    world_share_pct: float | None = None
    reason: str = ""

    @property
    def thin(self) -> bool:
        return not self.complete

    def text(self) -> str:
        share = (
            f"; the partners present hold {formats.percent(self.world_share_pct, digits=0)} "
            "of its world total"
            if self.world_share_pct is not None
            else ""
        )
        noun = "partner" if self.partners_present == 1 else "partners"
        base = f"{self.partners_present} {noun} present{share}"
        return base if self.complete else f"{base}; thin coverage: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "partners_present": self.partners_present,
            "complete": self.complete,
            "thin": self.thin,
            "world_share_pct": self.world_share_pct,
            "reason": self.reason,
            "text": self.text(),
        }


def chapters_reason(chapters: Sequence[str]) -> str:
    return f"{_chapters_text(chapters)} only"
