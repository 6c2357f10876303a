"""Values of a claims file read the same way for claims and published figures.

Each reader takes the file's reader (anything with ``fail``, which builds a
:class:`~bilat.errors.ValidationError` naming the file, line and key) and the keys of the
value, so a bad value is reported where it stands. Also the plain-data form of a
provenance, as claims and published figures both write it.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bilat.errors import ValidationError
    from bilat.trade import Provenance

__all__ = ["Fails", "provenance_dict", "read_date", "read_number", "read_text", "read_year"]


class Fails(Protocol):
    """What the readers need of a file's reader."""

    def fail(
        self, keys: tuple[str | int, ...], message: str, value: object, expected: str
    ) -> ValidationError: ...


def read_year(r: Fails, keys: tuple[str | int, ...], value: Any) -> int:
    """A year from 1900 to 2100."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise r.fail(keys, "not a year", value, "a year such as 2021")
    return value


def read_number(r: Fails, keys: tuple[str | int, ...], value: Any) -> float:
    """A finite number (not a boolean)."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise r.fail(keys, "not a number", value, "a number") from None
    if isinstance(value, bool) or not math.isfinite(out):
        raise r.fail(keys, "not a finite number", value, "a number")
    return out


def read_text(r: Fails, keys: tuple[str | int, ...], value: Any) -> str | None:
    """Text with its runs of white space made single (``None`` when absent)."""
    if value is None:
        return None
    if not isinstance(value, str | int | float | dt.date):
        raise r.fail(keys, "not text", value, "text")
    return " ".join(str(value).split())


def read_date(r: Fails, keys: tuple[str | int, ...], value: Any) -> dt.date | None:
    """A date written YYYY-MM-DD (``None`` when absent)."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise r.fail(keys, "not a date", value, "YYYY-MM-DD") from None


def provenance_dict(p: Provenance) -> dict[str, Any]:
    """A provenance as plain data: bases, level, synthetic, the sources read, one line."""
    return {
        "bases": list(p.bases),
        "level": p.level,
        "synthetic": p.synthetic,
        "sources": [
            {"entry_id": s.entry_id, "path": s.path, "source": s.source} for s in p.sources
        ],
        "text": p.text(),
    }
