"""Option sets of the trade indicators, named once, with one validator each."""

from __future__ import annotations

from typing import Literal, get_args

from bilat.errors import InputError

__all__ = [
    "EVENTS",
    "FLOW_DIRECTIONS",
    "LEVELS",
    "EventKind",
    "FlowDirection",
    "Level",
    "check_flow",
    "check_level",
    "check_top",
    "check_year",
    "check_years",
]

#: Which way goods move, seen from the first country: ``export`` A→B, ``import`` A←B.
FlowDirection = Literal["export", "import"]
FLOW_DIRECTIONS: tuple[str, ...] = get_args(FlowDirection)

#: HS aggregation levels a product table can be read at: chapter, heading, subheading.
Level = Literal[2, 4, 6]
LEVELS: tuple[int, ...] = get_args(Level)

#: What happened to a product between years: new, stopped, or back after a year's absence.
EventKind = Literal["appeared", "ceased", "resumed"]
EVENTS: tuple[str, ...] = get_args(EventKind)


def check_flow(flow: str) -> FlowDirection:
    """Validate a flow direction (``export`` or ``import``, case-insensitive)."""
    text = str(flow).strip().lower()
    if text == "export":
        return "export"
    if text == "import":
        return "import"
    raise InputError(
        f"flow must be one of {', '.join(FLOW_DIRECTIONS)} but got {flow!r}",
        details={"value": str(flow), "expected": list(FLOW_DIRECTIONS)},
    )


def check_level(level: int | str) -> Level:
    """Validate an HS level (2, 4 or 6)."""
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = -1
    if value == 2:
        return 2
    if value == 4:
        return 4
    if value == 6:
        return 6
    raise InputError(
        f"HS level must be one of 2, 4, 6 but got {level!r}",
        details={"value": str(level), "expected": list(LEVELS)},
    )


def check_year(year: int | str, *, name: str = "year") -> int:
    """Validate a year (an integer between 1950 and 2100)."""
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = -1
    if not 1950 <= value <= 2100:
        raise InputError(
            f"{name} must be a year between 1950 and 2100 but got {year!r}",
            details={"value": str(year), "expected": "a year such as 2021"},
        )
    return value


def check_years(start: int | str, end: int | str) -> tuple[int, int]:
    """Validate a year range; ``start`` must not come after ``end``."""
    first, last = check_year(start, name="from"), check_year(end, name="to")
    if first > last:
        raise InputError(
            f"the range {first}..{last} is empty: 'from' must not come after 'to'",
            details={"value": f"{first}..{last}", "expected": "from <= to"},
        )
    return first, last


def check_top(top: int | None) -> int | None:
    """Validate a row limit (a positive integer, or ``None`` for all rows)."""
    if top is None:
        return None
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise InputError(
            f"top must be a positive integer but got {top!r}",
            details={"value": str(top), "expected": "an integer >= 1"},
        )
    return top
