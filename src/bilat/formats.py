"""The one formatter of numbers, money, percentages, years and dates (Babel's CLDR data).

Every number the CLI, the web app and the briefing show goes through here, in the current
language of :mod:`bilat.i18n`; ``tests/test_formats.py`` greps the fronts for ad-hoc format
strings. The rules, one per kind:

- **money**: compact with one decimal from a thousand up (``$22.7M``, ``$1.2B``; Russian
  ``22,7 млн $``), whole units below (``$414``); never three ways.
- **number**: grouped, at most two decimals, no trailing zeros (``414``, ``0.31``,
  ``1,492.43``); **integer**: grouped, no decimals (``1,234``).
- **percent**: the value is already in percent (``31.2`` is 31.2 %), one decimal
  (``31.2%``; Russian ``31,2 %``); ``signed=True`` for changes (``+31.2%``). Below 0.1 in
  magnitude it keeps two significant digits (``-0.054%``), so a small change never reads 0.
- **multiplier**: ``×2.5``; **year**: ``2021`` (never ``2,021``); **date**: CLDR medium.
- nothing (``None``, NaN): :data:`MISSING`, never 0.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from collections.abc import Callable
from typing import Any

from bilat import i18n

__all__ = [
    "FILTERS",
    "MISSING",
    "counted",
    "date",
    "integer",
    "money",
    "multiplier",
    "number",
    "percent",
    "share",
    "value",
    "vega_locale",
    "year",
]

#: What a figure no source covers reads as (never 0).
MISSING = "—"


def _finite(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _locale() -> str:
    return i18n.current()


def money(v: Any, *, currency: str = "USD") -> str:
    """An amount of money: ``$22.7M``, ``$1.23B``... compact from a thousand up, else whole."""
    from babel.numbers import format_compact_currency, format_currency

    f = _finite(v)
    if f is None:
        return MISSING
    if abs(f) >= 1000:
        digits = 2 if abs(f) >= 1e9 else 1
        return str(format_compact_currency(f, currency, locale=_locale(), fraction_digits=digits))
    return str(
        format_currency(
            f, currency, format=_whole(_locale()), locale=_locale(), currency_digits=False
        )
    )


@functools.cache
def _whole(loc: str) -> str:
    """The locale's currency pattern without decimals (``¤#,##0``; Russian ``#,##0 ¤``)."""
    from babel import Locale

    pattern = str(Locale.parse(loc).currency_formats["standard"].pattern)
    return pattern.replace(".00", "")


def number(v: Any, *, digits: int = 2) -> str:
    """A quantity, grouped, with at most ``digits`` decimals and no trailing zeros."""
    from babel.numbers import format_decimal

    f = _finite(v)
    if f is None:
        return MISSING
    if isinstance(v, int) and not isinstance(v, bool):
        return integer(v)
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return str(format_decimal(f, format=pattern, locale=_locale()))


def integer(v: Any) -> str:
    """A count, grouped, no decimals (``1,234``)."""
    from babel.numbers import format_decimal

    f = _finite(v)
    if f is None:
        return MISSING
    return str(format_decimal(round(f), format="#,##0", locale=_locale()))


def percent(v: Any, *, signed: bool = False, digits: int = 1) -> str:
    """A value in percent (``31.2`` → ``31.2%``); ``signed`` prefixes ``+`` to gains."""
    from babel.numbers import format_percent

    f = _finite(v)
    if f is None:
        return MISSING
    decimals = digits
    if f != 0 and abs(f) < 10.0**-digits:
        decimals = max(digits, 1 - math.floor(math.log10(abs(f))))
    body = _percent_base(_locale()).replace(
        "#,##0", "#,##0" + ("." + "0" * decimals if decimals else "")
    )
    pattern = f"+{body};-{body}" if signed else body
    return str(format_percent(f / 100, format=pattern, locale=_locale()))


@functools.cache
def _percent_base(loc: str) -> str:
    """The locale's percent pattern, positive part (``#,##0%``; Russian ``#,##0 %``)."""
    from babel import Locale

    return str(Locale.parse(loc).percent_formats[None].pattern).split(";")[0]


def share(v: Any) -> str:
    """A share in percent (``4.1%``), unsigned."""
    return percent(v)


def multiplier(v: Any) -> str:
    """A ratio read as "times": ``×2.5``."""
    from babel.numbers import format_decimal

    f = _finite(v)
    if f is None:
        return MISSING
    return "×" + str(format_decimal(f, format="#,##0.0#", locale=_locale()))


def year(v: Any) -> str:
    """A year or other label that is not a quantity: ``2021``."""
    if v is None:
        return MISSING
    return str(v)


def date(v: Any) -> str:
    """A date in the current language's medium form (``2 Jun 2022``; ``2 июн. 2022 г.``)."""
    from babel.dates import format_date

    if v is None:
        return MISSING
    if isinstance(v, str):
        try:
            v = _dt.date.fromisoformat(v[:10])
        except ValueError:
            return str(v)
    if isinstance(v, _dt.datetime):
        v = v.date()
    if not isinstance(v, _dt.date):
        return str(v)
    return str(format_date(v, format="medium", locale=_locale()))


def counted(n: int, singular: str, plural: str) -> str:
    """``1 item``, ``3 items`` (Russian: three forms), through the catalog's plural rules.

    ``singular`` and ``plural`` carry ``%(n)s``: ``counted(3, "%(n)s item", "%(n)s items")``;
    they are extracted as a message pair (``babel.cfg`` lists ``counted`` as a keyword).
    """
    return i18n.ngettext(singular, plural, n) % {"n": integer(n)}


#: A figure's unit (``bilat.brief.model.Unit``) → its formatter.
_BY_UNIT: dict[str, Callable[[Any], str]] = {
    "usd": money,
    "pct": lambda v: percent(v, signed=True),
    "share": share,
    "multiplier": multiplier,
    "index": number,
    "rank": integer,
    "int": integer,
    "km": lambda v: number(v, digits=0) + " km" if _finite(v) is not None else MISSING,
    "year": year,
}


def value(v: Any, unit: str) -> str:
    """A value in its unit (``usd``, ``pct`` (a change), ``share``, ``multiplier``,
    ``index``, ``rank``, ``int``, ``km``, ``year``); text as itself; nothing as
    :data:`MISSING`."""
    fn = _BY_UNIT.get(unit)
    if fn is not None:
        return fn(v)
    return MISSING if v is None else str(v)


def vega_locale() -> dict[str, Any]:
    """The current language's d3 number locale, for a Vega-Lite chart's ``config.locale``.

    Axes then group digits the way the text does (``24 000 000`` in Russian); pair it with
    the axis format ``"$~s"`` (``$24M``) for money.
    """
    from babel.numbers import get_decimal_symbol, get_group_symbol

    loc = _locale()
    return {
        "number": {
            "decimal": get_decimal_symbol(loc),
            "thousands": get_group_symbol(loc),
            "grouping": [3],
            "currency": ["$", ""] if loc == i18n.DEFAULT else ["", "\u00a0$"],
        }
    }


#: The Jinja2 filters every template has (:func:`bilat.i18n.jinja_env`).
FILTERS: dict[str, Callable[..., str]] = {
    "money": money,
    "number": number,
    "integer": integer,
    "percent": percent,
    "share": share,
    "multiplier": multiplier,
    "year": year,
    "date": date,
    "value": value,
}
