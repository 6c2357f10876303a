"""bilat: the evidence behind a bilateral economic relationship, in one place.

What a notebook needs is here: the lake and a dyad's indicators, the read model, the
commission's agenda, the briefing, and the error tree. The names load on first use, so
``import bilat`` stays quick; ``bilat.Lake`` imports the lake (and its engine) when read.

>>> from bilat import Dyad, Lake                                # doctest: +SKIP
>>> Dyad(Lake.open(), "BLR", "KAZ").summary(2021)               # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bilat._config import __version__
from bilat.errors import (
    BilatError,
    ConflictError,
    EstimationError,
    FetchError,
    HostUnreachableError,
    InputError,
    LakeLockedError,
    LakeNotFoundError,
    NotFoundError,
    ParseError,
    SchemaError,
    UnknownCodeError,
    ValidationError,
)

if TYPE_CHECKING:
    from bilat.agenda import Agenda
    from bilat.brief import build_briefing
    from bilat.lake import Lake
    from bilat.trade import Dyad
    from bilat.tradeview import TradeView

__all__ = [
    "Agenda",
    "BilatError",
    "ConflictError",
    "Dyad",
    "EstimationError",
    "FetchError",
    "HostUnreachableError",
    "InputError",
    "Lake",
    "LakeLockedError",
    "LakeNotFoundError",
    "NotFoundError",
    "ParseError",
    "SchemaError",
    "TradeView",
    "UnknownCodeError",
    "ValidationError",
    "__version__",
    "build_briefing",
]

# Each lazily loaded name and the public module that exports it.
_LAZY = {
    "Agenda": "bilat.agenda",
    "Dyad": "bilat.trade",
    "Lake": "bilat.lake",
    "TradeView": "bilat.tradeview",
    "build_briefing": "bilat.brief",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'bilat' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
