"""The data sources bilat reads: one :class:`~bilat.sources.base.ReaderSpec` per source kind.

The registry drives ``Lake.ingest(kind, path, **options)``, the ``bilat ingest KIND``
commands, the web upload's kinds and the table of sources in ``docs/ingest.md``. A new
source is one module holding its reader and its ``SPEC``, plus its import and one entry in
:data:`READERS` here (CONTRIBUTING.md, "Add a data source").

>>> sorted(READERS)
['baci', 'comtrade', 'csv']
>>> READERS["comtrade"].kind
'declarations'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bilat.errors import InputError
from bilat.sources.baci import SPEC as BACI
from bilat.sources.base import ReaderSpec, SourceFile
from bilat.sources.comtrade import SPEC as COMTRADE
from bilat.sources.table import SPEC as NATIONAL_CSV

__all__ = ["READERS", "read", "reader", "upload_kinds"]

READERS: Mapping[str, ReaderSpec] = MappingProxyType(
    {
        spec.name: spec
        for spec in (
            BACI,
            COMTRADE,
            NATIONAL_CSV,
        )
    }
)


def reader(name: str) -> ReaderSpec:
    """The source kind ``name``; an :class:`InputError` listing the kinds when unknown."""
    try:
        return READERS[name]
    except (KeyError, TypeError):
        raise InputError(
            f"source kind must be one of {', '.join(READERS)}, not {name!r}",
            details={"value": name, "expected": list(READERS)},
        ) from None


def read(name: str, paths: str | Path | Iterable[str | Path], **options: Any) -> list[SourceFile]:
    """The files at ``paths`` read by source kind ``name`` with its ``options``.

    Raises
    ------
    InputError
        An unknown kind, an option the kind does not take, or a required option missing.
    """
    spec = reader(name)
    known = {o.name for o in spec.options}
    unknown = sorted(set(options) - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "no options"
        raise InputError(
            f"source kind {name!r} takes {takes}, not {', '.join(unknown)}",
            details={"value": unknown, "expected": sorted(known)},
        )
    missing = [o.name for o in spec.options if o.required and options.get(o.name) is None]
    if missing:
        raise InputError(
            f"source kind {name!r} needs {', '.join(missing)}",
            details={"missing": missing},
        )
    given = {k: v for k, v in options.items() if v is not None}
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    out: list[SourceFile] = []
    for p in items:
        got = spec.read(p, **given)
        out.extend(got if isinstance(got, list) else [got])
    return out


def upload_kinds() -> tuple[str, ...]:
    """Source kinds a file can be ingested as with no option (the web's upload form)."""
    return tuple(name for name, spec in READERS.items() if not spec.needs_options)
