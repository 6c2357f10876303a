"""Value checks shared by the ``agenda.yaml`` reader and :meth:`Agenda.add_item`.

Each check takes plain values and returns the normalised value or raises an
:class:`~bilat.errors.InputError` (``UnknownCodeError`` for unknown codes) whose ``details``
hold ``field``, ``reason``, ``value``, ``expected`` and ``hint`` (and ``index`` for an entry
of a list). The YAML reader turns those details into an error pointing at the file, line and
field (:func:`bilat.agenda.caseio`); ``add_item`` raises them as they are.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from bilat.codes.baskets import Basket
from bilat.codes.countries import to_iso3
from bilat.codes.hs import in_nomenclature, normalise
from bilat.errors import BilatError, InputError, UnknownCodeError

__all__ = [
    "air_clause",
    "amount",
    "bad",
    "baskets",
    "choice",
    "count",
    "country",
    "currency",
    "hs_codes",
    "ident",
    "optional",
    "party",
    "required",
    "text",
    "texts",
]

_T = TypeVar("_T")

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_AIR = re.compile(r"^[A-Za-z0-9._-]+#[A-Za-z0-9._-]+$")


def file_parts(exc: InputError) -> tuple[str, str | None]:
    """The reason and what was expected of a value check's error, to point at a file's node.

    A choice refused by :func:`bilat.options.choice` carries the allowed values as a list
    and its whole sentence as the message; a file's error says "unknown NAME" and lists
    them once (not the message, then the list again as Python writes it).
    """
    d = exc.details
    expected = d.get("expected")
    if isinstance(expected, list | tuple):
        listed = "one of " + ", ".join(str(v) for v in expected)
        return (str(d.get("reason") or f"unknown {d.get('option') or 'value'}"), listed)
    return str(d.get("reason") or exc.message), None if expected is None else str(expected)


def bad(
    field: str,
    reason: str,
    *,
    value: object = None,
    expected: str | None = None,
    hint: str | None = None,
    index: int | None = None,
    closest: Sequence[str] = (),
    cls: type[InputError] = InputError,
) -> InputError:
    """An error naming the field, the reason, the value found and what was expected."""
    text = f"{field}: {reason}"
    if value is not None:
        text += f" (found {value!r}" + (f", expected {expected})" if expected else ")")
    elif expected:
        text += f" (expected {expected})"
    if hint:
        text += f". {hint}"
    details: dict[str, object] = {
        "field": field,
        "reason": reason,
        "value": None if value is None else str(value),
        "expected": expected,
        "hint": hint,
        "index": index,
    }
    if closest:
        details["closest"] = list(closest)
    return cls(text, details=details)


def text(value: object) -> str | None:
    """Stripped text, ``None`` for absent or blank (form fields arrive as ``""``)."""
    if value is None:
        return None
    out = str(value).strip()
    if "\x00" in out:
        raise InputError("text must not contain NUL characters (\\x00)", details={"value": out})
    return out or None


def required(value: object, field: str) -> str:
    """Text that must be given (not blank)."""
    out = text(value)
    if out is None:
        raise bad(field, "a value is required")
    return out


def texts(values: Iterable[str] | str) -> list[str]:
    """The non-blank entries of a list (a single text counts as a list of one)."""
    items = [values] if isinstance(values, str) else values
    return [t for t in (text(v) for v in items) if t is not None]


def optional(value: object, fn: Callable[[str], _T]) -> _T | None:
    """``fn`` on the stripped text of ``value``; ``None`` when absent or blank."""
    out = text(value)
    return None if out is None else fn(out)


def _did_you_mean(value: str, known: Iterable[str]) -> list[str]:
    return difflib.get_close_matches(value, list(known), n=3, cutoff=0.5)


def ident(text: str, *, field: str = "id") -> str:
    """An identifier: lower-case letters, digits, ``.``, ``_``, ``-``; at most 80."""
    if not _ID.match(text):
        raise bad(
            field,
            "bad identifier",
            value=text,
            expected="lower-case letters, digits, '.', '_' or '-' (at most 80)",
        )
    return text


def choice(text: str, allowed: Sequence[str], *, field: str, what: str, where: str = "") -> str:
    """A value that must be one of ``allowed`` (``where`` says where they are defined)."""
    if text not in allowed:
        close = _did_you_mean(text, allowed)
        raise bad(
            field,
            f"unknown {what}",
            value=text,
            expected="one of " + (", ".join(allowed) or "none") + where,
            hint=f"did you mean {', '.join(close)}?" if close else None,
            closest=close,
        )
    return text


def country(text: str, *, field: str) -> str:
    """A country as ISO3 (``UnknownCodeError`` when not known)."""
    try:
        return to_iso3(text)
    except BilatError as exc:
        raise bad(
            field, f"unknown country: {exc.message}", value=text, cls=UnknownCodeError
        ) from None


def party(text: str, dyad: Sequence[str], *, field: str = "party") -> str:
    """The responsible party: a country of the dyad, as ISO3."""
    iso = country(text, field=field)
    if iso not in dyad:
        raise bad(
            field,
            "the responsible party must be one of the dyad",
            value=iso,
            expected=" or ".join(dyad),
        )
    return iso


def currency(text: str, *, field: str = "currency") -> str:
    """An ISO 4217 currency code (``USD``)."""
    if not _CURRENCY.match(text):
        raise bad(field, "bad currency", value=text, expected="an ISO 4217 code such as USD")
    return text


def amount(value: float | str, *, field: str = "value") -> float:
    """A finite number ≥ 0, from a number or its text (``25_000_000`` allowed)."""
    try:
        number = float(str(value).strip().replace("_", "")) if isinstance(value, str) else value
        number = float(number)
    except (TypeError, ValueError):
        raise bad(
            field, "not a number", value=value, expected="a number such as 25000000"
        ) from None
    if not math.isfinite(number) or number < 0:
        raise bad(field, "must be a finite number ≥ 0", value=value)
    return number


def count(value: int | str, *, field: str = "count") -> int:
    """A whole number ≥ 0, from an int or its text."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise bad(field, "not a whole number ≥ 0", value=value, expected="e.g. 12")
    return int(text)


def air_clause(
    text: str, known: Mapping[str, frozenset[str]] | None, *, field: str = "air_clause"
) -> str:
    """An air clause reference ``AGREEMENT#CLAUSE``, checked against ``known`` when given."""
    if not _AIR.match(text):
        raise bad(
            field,
            "bad air clause reference",
            value=text,
            expected="AGREEMENT#CLAUSE, e.g. blr-kaz#BLR-5-KAZ-beyond",
        )
    if known is None:
        return text
    name, clause = text.split("#", 1)
    if name not in known:
        raise bad(
            field,
            "unknown air agreement",
            value=name,
            expected="a file air/NAME.yaml in the case folder: " + (", ".join(known) or "none"),
            cls=UnknownCodeError,
        )
    if clause not in known[name]:
        raise bad(
            field,
            f"no clause with this id in air/{name}.yaml",
            value=clause,
            expected="one of " + ", ".join(sorted(known[name])),
            closest=_did_you_mean(clause, known[name]),
            cls=UnknownCodeError,
        )
    return text


def baskets(
    names: Iterable[str], known: Mapping[str, Basket], *, field: str = "baskets"
) -> tuple[str, ...]:
    """Basket names, each known and listed once (unknown: closest names in the error)."""
    out: list[str] = []
    for i, name in enumerate(names):
        if name not in known:
            close = _did_you_mean(name, known)
            raise bad(
                field,
                "unknown basket",
                value=name,
                expected="one of " + ", ".join(sorted(known)),
                hint=f"did you mean {', '.join(close)}?" if close else None,
                index=i,
                closest=close,
                cls=UnknownCodeError,
            )
        if name in out:
            raise bad(field, "basket listed twice", value=name, index=i)
        out.append(name)
    return tuple(out)


def hs_codes(codes: Iterable[str], *, field: str = "hs") -> tuple[str, ...]:
    """HS codes normalised (2, 4 or 6 digits), each listed once, never ``TOTAL``."""
    out: list[str] = []
    for i, code in enumerate(codes):
        try:
            norm = normalise(code)
        except BilatError as exc:
            raise bad(
                field,
                exc.message,
                value=code,
                expected="HS code of 2, 4 or 6 digits",
                hint="quote codes with a leading zero ('0401')",
                index=i,
                cls=UnknownCodeError,
            ) from None
        if norm == "TOTAL" or norm in out:
            raise bad(field, "HS code is TOTAL or listed twice", value=code, index=i)
        if not in_nomenclature(norm):
            raise bad(
                field,
                "not a code of the Harmonized System",
                value=code,
                expected="a code in HS chapters 01-97 (77 is reserved; 98 and 99 are national)",
                index=i,
                cls=UnknownCodeError,
            )
        out.append(norm)
    return tuple(out)
