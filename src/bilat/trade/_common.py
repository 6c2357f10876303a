"""Helpers shared by the indicator modules: provenance, growth, ordinals, dyad filters."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from bilat import formats
from bilat.errors import BilatError
from bilat.trade.results import Provenance, Source

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = ["growth_pct", "merge", "ordinal", "provenance", "quantity_of", "ratio"]


def merge(values: Iterable[Any]) -> set[str]:
    """The union of collected arrays (lists or arrays of strings, or nulls)."""
    out: set[str] = set()
    for value in values:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        out.update(str(v) for v in value if v is not None)
    return out


def provenance(lake: Lake, bases: Iterable[str], entries: Iterable[str], level: str) -> Provenance:
    """Provenance from the bases and manifest entry ids a query read."""
    sources = []
    for entry_id in sorted(set(entries)):
        try:
            entry = lake.entry(entry_id)
        except BilatError:
            sources.append(Source(entry_id, "", ""))
            continue
        sources.append(Source(entry_id, str(entry.path), str(entry.source)))
    synthetic = bool(getattr(lake, "is_synthetic", False))
    conversion = getattr(lake, "conversion", None)
    return Provenance(tuple(sorted(set(bases))), tuple(sources), level, synthetic, conversion)


def growth_pct(now: float, before: float) -> float | None:
    """Percentage change from ``before`` to ``now``; ``None`` when ``before`` is not positive."""
    if before is None or not before > 0 or now is None:
        return None
    return (now / before - 1.0) * 100.0


def ratio(num: float | None, den: float | None) -> float | None:
    """``num / den``, or ``None`` when either is missing or ``den`` is zero."""
    if num is None or den is None or den == 0:
        return None
    return num / den


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``21st`` ..."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def num(value: Any) -> float:
    """A float from a query value (null/NaN → 0.0)."""
    if value is None:
        return 0.0
    out = float(value)
    return 0.0 if math.isnan(out) else out


def quantity_of(rows: pd.DataFrame) -> tuple[float | None, str | None, float | None, str | None]:
    """(quantity, unit, unit value, note) of the rows of one flow or supplier.

    ``rows`` hold ``value_usd``, ``quantity`` and ``quantity_unit`` (a trade view frame read
    with ``quantities=True``). Quantities are added only within one unit; the unit value is
    the value of the rows that report a quantity over that quantity, and the note says what
    share of the value it rests on when some rows report none.
    """
    held = rows[rows.quantity.notna()]
    if held.empty:
        return None, None, None, "no source reports a quantity"
    units = sorted({str(u) for u in held.quantity_unit.dropna()})
    if held.quantity_unit.isna().any():
        return None, None, None, "a quantity is reported without its unit"
    if len(units) > 1:
        return None, None, None, f"units differ ({', '.join(units)}): not added"
    qty = float(held.quantity.sum())
    value = float(held.value_usd.sum())
    total = float(rows.value_usd.sum())
    note = None
    if value < total:
        note = f"quantity reported for {formats.share(value * 100 / total)} of the value"
    return qty, units[0], ratio(value, qty), note
