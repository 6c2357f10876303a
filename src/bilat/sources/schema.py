"""The canonical schemas every reader produces and the lake stores.

``FLOW_SCHEMA``: bilateral flows by product and year (BACI, generic CSV, reconciled data),
values in US dollars. ``basis`` says whose declaration a value rests on: ``reconciled``
(BACI), ``exporter`` or ``importer``.

``DECLARATION_SCHEMA``: what one reporter declared, as UN Comtrade publishes it. ``flow`` is
``X`` (export), ``M`` (import), ``RX`` (re-export) or ``RM`` (re-import).

The lake adds ``entry_id``, the manifest entry a row came from, to both.
"""

from __future__ import annotations

from typing import Literal, get_args

import pyarrow as pa

__all__ = [
    "BASES",
    "DECLARATION_SCHEMA",
    "DICTIONARY_COLUMNS",
    "DICT_FLOW_SCHEMA",
    "FLOWS",
    "FLOW_SCHEMA",
    "KEYS",
    "KINDS",
    "Basis",
    "FlowCode",
    "Kind",
    "dictionary_schema",
    "stored_schema",
]

Basis = Literal["reconciled", "exporter", "importer"]
BASES: tuple[str, ...] = get_args(Basis)

FlowCode = Literal["X", "M", "RX", "RM"]
FLOWS: tuple[str, ...] = get_args(FlowCode)

Kind = Literal["flows", "declarations"]
KINDS: tuple[str, ...] = get_args(Kind)

FLOW_SCHEMA = pa.schema(
    [
        pa.field("year", pa.int16(), nullable=False),
        pa.field("exporter", pa.string(), nullable=False),
        pa.field("importer", pa.string(), nullable=False),
        pa.field("product", pa.string(), nullable=False),
        pa.field("hs_rev", pa.string(), nullable=False),
        pa.field("value_usd", pa.float64(), nullable=False),
        pa.field("quantity", pa.float64()),
        pa.field("quantity_unit", pa.string()),
        pa.field("source", pa.string(), nullable=False),
        pa.field("basis", pa.string(), nullable=False),
    ]
)

DECLARATION_SCHEMA = pa.schema(
    [
        pa.field("year", pa.int16(), nullable=False),
        pa.field("reporter", pa.string(), nullable=False),
        pa.field("partner", pa.string(), nullable=False),
        pa.field("flow", pa.string(), nullable=False),
        pa.field("product", pa.string(), nullable=False),
        pa.field("hs_rev", pa.string(), nullable=False),
        pa.field("value_usd", pa.float64(), nullable=False),
        pa.field("cif_usd", pa.float64()),
        pa.field("fob_usd", pa.float64()),
        pa.field("qty", pa.float64()),
        pa.field("qty_unit", pa.string()),
        pa.field("net_kg", pa.float64()),
        pa.field("source", pa.string(), nullable=False),
    ]
)


#: Columns with few distinct values; readers may hand them over dictionary-encoded
#: (``dictionary<int32, string>``), and the lake writes them as Parquet dictionaries.
#: The key of each kind: no two rows of one file share it, and two files that share one
#: would be added together by every reader (so the lake refuses, or replaces, such a file).
KEYS: dict[str, tuple[str, ...]] = {
    "flows": ("year", "exporter", "importer", "product", "hs_rev", "basis"),
    "declarations": ("year", "reporter", "partner", "flow", "product", "hs_rev"),
}

DICTIONARY_COLUMNS = {
    "flows": ("exporter", "importer", "product", "hs_rev", "quantity_unit", "source", "basis"),
    "declarations": ("reporter", "partner", "flow", "product", "hs_rev", "qty_unit", "source"),
}


def dictionary_schema(schema: pa.Schema, kind: str) -> pa.Schema:
    """``schema`` with the kind's low-cardinality string columns dictionary-encoded."""
    cols = set(DICTIONARY_COLUMNS[kind]) | {"entry_id"}
    return pa.schema(
        [
            f.with_type(pa.dictionary(pa.int32(), pa.string())) if f.name in cols else f
            for f in schema
        ]
    )


def stored_schema(kind: str) -> pa.Schema:
    """The schema of a kind as stored in the lake: the canonical one plus ``entry_id``."""
    base = FLOW_SCHEMA if kind == "flows" else DECLARATION_SCHEMA
    return base.append(pa.field("entry_id", pa.string(), nullable=False))


DICT_FLOW_SCHEMA = dictionary_schema(FLOW_SCHEMA, "flows")
