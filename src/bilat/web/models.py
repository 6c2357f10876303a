"""Response models generated from the library's result dataclasses, and the routes' answer.

A route declares ``response_model=model_for(Result)`` so that ``/api/openapi.json`` describes
its result, and answers with :func:`document_response` (the one serialiser,
:func:`bilat.document.to_document`), so the API and ``bilat ... --json`` give one document.
The models are written nowhere by hand: :func:`model_for` reads the dataclass fields and their
types. A result whose ``to_dict`` adds keys declares them in ``_document_extra_`` (name →
type) and leaves fields out with ``_document_omit_``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import sys
import types
import typing
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import PurePath
from typing import Any, Literal, Union, get_args, get_origin

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, create_model

from bilat.document import to_document

__all__ = ["document_response", "model_for"]

#: A row of a table (Arrow or pandas) in a document.
Row = dict[str, Any]


def document_response(result: Any, *, status_code: int = 200) -> JSONResponse:
    """``result``'s document as the route's JSON answer."""
    return JSONResponse(to_document(result), status_code=status_code)


@cache
def model_for(cls: type) -> type[BaseModel]:
    """A pydantic model of the document of dataclass ``cls`` (nested results included)."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    hints = _hints(cls)
    omit = frozenset(getattr(cls, "_document_omit_", ()))
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in omit:
            fields[_safe(f.name)] = _field(f.name, _type(hints.get(f.name, Any)))
    for name, tp in dict(getattr(cls, "_document_extra_", {})).items():
        fields[_safe(name)] = _field(name, _type(tp))
    doc = (cls.__doc__ or "").strip().split("\n\n")[0]
    model: type[BaseModel] = create_model(  # type: ignore[call-overload]
        cls.__name__,
        __config__=ConfigDict(extra="forbid", populate_by_name=True),
        __doc__=doc or None,
        **fields,
    )
    return model


def _safe(name: str) -> str:
    return f"{name}_" if name.startswith(("model_", "_")) or hasattr(BaseModel, name) else name


def _field(name: str, tp: Any) -> tuple[Any, Any]:
    return (tp, Field(alias=name) if _safe(name) != name else ...)


def _hints(cls: type) -> dict[str, Any]:
    module = sys.modules.get(cls.__module__)
    space = dict(vars(module)) if module else {}
    try:
        return typing.get_type_hints(cls, globalns=space)
    except Exception:  # a name imported only for type checking: resolve field by field
        out: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            try:
                out[f.name] = eval(f.type, space) if isinstance(f.type, str) else f.type
            except Exception:
                out[f.name] = Any
        return out


def _type(tp: Any) -> Any:
    """The JSON-side type of a field typed ``tp``."""
    origin, args = get_origin(tp), get_args(tp)
    if tp is Any or tp is object:
        return Any
    if origin is Literal:
        return tp
    if origin in (Union, types.UnionType):
        mapped = tuple(_type(a) for a in args)
        return Union[mapped]  # noqa: UP007
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return model_for(tp)
    if origin is not None:
        return _generic(origin, args)
    return _simple(tp)


def _generic(origin: Any, args: tuple[Any, ...]) -> Any:
    if isinstance(origin, type) and issubclass(origin, Mapping):
        return dict[str, _type(args[1]) if len(args) == 2 else Any]  # type: ignore[misc]
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        return tuple.__class_getitem__(tuple(_type(a) for a in args)) if args else list[Any]
    if isinstance(origin, type) and issubclass(origin, Sequence | set | frozenset):
        return list[_type(args[0]) if args else Any]  # type: ignore[misc]
    return Any


def _simple(tp: Any) -> Any:
    if tp is type(None) or tp is None:
        return type(None)
    if not isinstance(tp, type):
        return Any
    if tp is bool or tp is int or tp is str:
        return tp
    if tp is float:
        return float | None  # a non-finite value is null in a document
    if issubclass(tp, dt.datetime | dt.date):
        return tp
    if issubclass(tp, PurePath):
        return str
    if issubclass(tp, enum.Enum):
        return tp
    module = tp.__module__
    if module.startswith(("pyarrow", "pandas")):
        return list[Row]
    return Any
