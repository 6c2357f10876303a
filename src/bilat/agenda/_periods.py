"""Due dates and periods as written in the agenda (``2022``, ``2022-09``, ``2022-Q3`` ...)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from bilat.errors import InputError

__all__ = ["due_end"]

_DUE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-([QH])([1-4]))?$")


def due_end(due: str) -> dt.date:
    """The last day of a due date or period: ``2022`` → 2022-12-31, ``2022-Q3`` → 2022-09-30.

    Accepted forms: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Qn`` (quarter), ``YYYY-Hn``
    (half year). Anything else raises ``InputError``.
    """
    m = _DUE.match(due.strip())
    if not m:
        raise InputError(
            f"bad due date or period {due!r}; expected YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn or "
            "YYYY-Hn",
            details={"value": due},
        )
    year, month, day, part, n = m.groups()
    y = int(year)
    try:
        if day:
            return dt.date(y, int(month), int(day))
        if month:
            mo = int(month)
            return dt.date(y, mo, calendar.monthrange(y, mo)[1])
        if part:
            k = int(n)
            if part == "H" and k > 2:
                raise ValueError("a year has two halves")
            last = k * 3 if part == "Q" else k * 6
            return dt.date(y, last, calendar.monthrange(y, last)[1])
        return dt.date(y, 12, 31)
    except ValueError as exc:
        raise InputError(f"bad due date or period {due!r}: {exc}", details={"value": due}) from None
