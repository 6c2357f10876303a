"""The one JSON serialiser: a result, or an error, as the document both fronts print.

``bilat X ... --json`` prints :func:`dumps` of the library's result and ``GET /api/X``
answers with the same bytes' data; an error is :func:`error_document` on both. What a
result's document holds is its dataclass fields (or its ``to_dict()`` where it defines one),
made plain by :func:`to_document`:

- dataclasses → objects of their fields; mappings → objects with text keys;
- Arrow tables and pandas frames → lists of row objects;
- tuples, lists, sets (sorted) → arrays; dates → ISO 8601 text; paths → text;
- non-finite floats (NaN, ±inf), pandas' NA and NaT → ``null``; numpy scalars → numbers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

from bilat.errors import (
    BilatError,
    ConflictError,
    EstimationError,
    FetchError,
    InputError,
    NotFoundError,
    ParseError,
)

__all__ = ["dumps", "error_document", "fields_document", "http_status", "to_document"]


def to_document(obj: Any) -> Any:
    """``obj`` as plain JSON data (see the module's docstring for the rules)."""
    if obj is None or isinstance(obj, bool | int | str):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict) and not isinstance(obj, type) and _own_to_dict(obj):
        return to_document(to_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return fields_document(obj)
    return _other(obj)


def _own_to_dict(obj: Any) -> bool:
    # pandas frames and series have a to_dict of their own that is not a document.
    module = type(obj).__module__
    return not module.startswith(("pandas", "pyarrow", "numpy"))


def fields_document(obj: Any) -> dict[str, Any]:
    """A dataclass instance as an object of its fields, each made plain (for ``to_dict``)."""
    return {f.name: to_document(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


def _other(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return {str(k): to_document(v) for k, v in obj.items()}
    if isinstance(obj, bytes):
        return obj.decode("utf-8", errors="replace")
    if isinstance(obj, dt.datetime | dt.date | dt.time):
        return None if _is_nat(obj) else obj.isoformat()
    if isinstance(obj, PurePath):
        return str(obj)
    if isinstance(obj, enum.Enum):
        return to_document(obj.value)
    table = _rows_of(obj)
    if table is not None:
        return table
    if isinstance(obj, set | frozenset):
        return [to_document(v) for v in sorted(obj, key=str)]
    if isinstance(obj, Iterable):
        return [to_document(v) for v in obj]
    if hasattr(obj, "item"):  # numpy scalar
        return to_document(obj.item())
    if _is_na(obj):
        return None
    return str(obj)


def _rows_of(obj: Any) -> list[Any] | None:
    module = type(obj).__module__
    if module.startswith("pyarrow") and hasattr(obj, "to_pylist") and hasattr(obj, "schema"):
        return [to_document(row) for row in obj.to_pylist()]
    if module.startswith("pandas") and hasattr(obj, "to_dict") and hasattr(obj, "columns"):
        return [to_document(row) for row in obj.to_dict(orient="records")]
    return None


def _is_nat(value: Any) -> bool:
    return type(value).__name__ == "NaTType"


def _is_na(value: Any) -> bool:
    return type(value).__name__ in {"NAType", "NaTType"}


def dumps(obj: Any, *, indent: int | None = 2) -> str:
    """``obj``'s document as JSON text (UTF-8 characters kept, no NaN)."""
    return json.dumps(to_document(obj), indent=indent, ensure_ascii=False, allow_nan=False)


def http_status(exc: BaseException) -> int:
    """The HTTP status of an error: its own ``status`` if it has one, else by class."""
    own = getattr(exc, "status", None)
    if isinstance(own, int):
        return own
    if isinstance(exc, ParseError | EstimationError):
        return 422
    if isinstance(exc, InputError):
        return 400
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ConflictError):
        return 409
    if isinstance(exc, FetchError):
        return 502
    return 500


#: The error class named for an HTTP status when no library error was raised.
_KIND_OF_STATUS = {404: "NotFoundError", 405: "InputError", 409: "ConflictError"}
_EXIT_OF_KIND = {
    "NotFoundError": NotFoundError.exit_code,
    "InputError": InputError.exit_code,
    "ConflictError": ConflictError.exit_code,
    "BilatError": BilatError.exit_code,
}


def error_document(
    exc: BaseException | None = None,
    *,
    status: int | None = None,
    message: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The one error shape of both fronts.

    ``{"error": class name, "status": HTTP status, "exit_code": CLI exit code, "message":
    text, "details": {...}}``. Give a :class:`BilatError` (its fields fill the rest), or a
    status and message for an error of the HTTP layer itself.
    """
    if isinstance(exc, BilatError):
        kind, code = type(exc).__name__, exc.exit_code
        status = http_status(exc) if status is None else status
        message = exc.message if message is None else message
        details = exc.details if details is None else details
    else:
        status = 500 if status is None else int(status)
        kind = _KIND_OF_STATUS.get(status, "InputError" if 400 <= status < 500 else "BilatError")
        code = _EXIT_OF_KIND.get(kind, 1)
        message = message if message is not None else "internal error"
    return {
        "error": kind,
        "status": int(status),
        "exit_code": int(code),
        "message": str(message),
        "details": to_document(dict(details or {})),
    }
