"""The one exception tree of bilat.

Every error a user can act on is a :class:`BilatError`. The command line turns it into a
message and exit code (2 for bad input or usage, 1 for anything else); the web app turns it
into the one JSON error shape. Nothing else should escape to a user without ``--debug``.

::

    BilatError                      base; ``exit_code`` 1
    ├── InputError                  bad input the user can fix; ``exit_code`` 2
    │   ├── UnknownCodeError        a country, product, basket or airport code we do not know
    │   ├── ParseError              a file that does not read: names file, line, column, value
    │   ├── SchemaError             a file that reads but has the wrong columns or keys
    │   ├── ValidationError         values that read but break a rule (negative, duplicate ...)
    │   └── LakeNotFoundError       no lake at the path named (also a NotFoundError)
    ├── NotFoundError               something asked for is not there (no data, no such item)
    ├── ConflictError               a concurrent change won (optimistic locking, lake writer)
    │   └── LakeLockedError         another process is writing to the lake
    ├── FetchError                  a remote source failed after retries
    │   └── HostUnreachableError    a host that does not resolve or refuses; ``exit_code`` 2
    └── EstimationError             a model could not be estimated on the data given
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self

__all__ = [
    "BilatError",
    "ConflictError",
    "EstimationError",
    "FetchError",
    "HostUnreachableError",
    "InputError",
    "LakeLockedError",
    "LakeNotFoundError",
    "NotFoundError",
    "ParseError",
    "SchemaError",
    "UnknownCodeError",
    "ValidationError",
    "shorten",
]


_SHOWN = 80


def shorten(value: object, limit: int = _SHOWN) -> str:
    """``value`` as text of at most ``limit`` characters, saying how long it was.

    A value in an error can be a 20 MB run of digits or a binary blob: the message shows its
    start and its length, never the whole of it.
    """
    text = str(value)
    if len(text) <= limit:
        return text
    tail = f"… ({len(text):,} characters)"
    return text[: max(limit - len(tail), 8)] + tail


class BilatError(Exception):
    """Base of every error bilat raises on purpose.

    Parameters
    ----------
    message
        One or two sentences: what was wrong, what was expected, what to do next.
    details
        Machine-readable context (file, line, column, value ...), shown by ``--json`` and the
        web API's error shape.
    """

    exit_code: int = 1

    def __init__(self, message: str, *, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})

    def with_message(self, message: str, **details: Any) -> Self:
        """A copy of this error saying ``message`` (with ``details`` added); this one is unchanged.

        A caller that knows more (the command line's flags, what landed before) re-raises the
        copy: ``raise exc.with_message(exc.message + " ...") from exc``.
        """
        new = copy.copy(self)
        new.message = message
        new.args = (message,)
        new.details = {**self.details, **details}
        return new

    def to_dict(self) -> dict[str, Any]:
        """The error as plain data: ``{"error": class name, "message": ..., "details": ...}``."""
        return {"error": type(self).__name__, "message": self.message, "details": self.details}


class InputError(BilatError):
    """Input the user can correct: a bad option, file, code or value."""

    exit_code = 2


class UnknownCodeError(InputError):
    """A code (country, product, basket, airport, carrier) that is not known.

    The message names the code and the closest known matches.
    """


class ParseError(InputError):
    """A file that cannot be read as its format requires.

    ``details`` holds ``path``, ``line`` (1-based, counting the header), ``column``, ``value``
    and ``expected`` where they are known.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: str | None = None,
        value: object = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        text = (", ".join(where) + ": " if where else "") + message
        if value is not None:
            text += f" (found {shorten(value)!r}"
            text += f", expected {expected})" if expected else ")"
        elif expected:
            text += f" (expected {expected})"
        if hint:
            text += f". {hint}"
        details: dict[str, Any] = {
            "path": str(path) if path is not None else None,
            "line": line,
            "column": column,
            "value": None if value is None else shorten(value),
            "expected": expected,
        }
        super().__init__(text, details=details)
        self.path = path
        self.line = line
        self.column = column
        self.value = value
        self.expected = expected


class SchemaError(ParseError):
    """A file whose columns, headers or keys are not the ones its format needs."""


class ValidationError(ParseError):
    """Values that parse but break a rule: negative, non-finite, duplicated keys, unknown codes."""


class NotFoundError(BilatError):
    """Something asked for does not exist: no data for a year, no such agenda item."""


class LakeNotFoundError(InputError, NotFoundError):
    """No lake at the path named (no folder, or a folder without ``manifest.json``).

    Bad input (exit code 2): the path is the user's to correct, or the lake theirs to create
    (``bilat ingest ...``, ``Lake.open(path, create=True)``). ``details["path"]`` names it.
    """


class ConflictError(BilatError):
    """A change lost to a concurrent one; nothing was written. Reload and try again."""


class LakeLockedError(ConflictError):
    """Another process holds the lake's writer lock."""


class FetchError(BilatError):
    """A remote source did not deliver after the configured retries."""


class HostUnreachableError(FetchError):
    """A host whose name does not resolve, or that refuses the connection: not retried.

    Offline, or a wrong address in the ``BILAT_*_URL`` settings: the user can fix either, so
    the command line exits 2. ``details`` holds ``url``, ``host`` and ``reason``.
    """

    exit_code = 2


class EstimationError(BilatError):
    """A model could not be estimated on the data given (too few observations, no variation)."""
