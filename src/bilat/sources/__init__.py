"""Readers for official trade formats; each yields validated Arrow batches in the canonical schema.

:data:`~bilat.sources.registry.READERS` lists them by source kind (``baci``, ``comtrade``,
``csv``).
"""

from __future__ import annotations

from bilat.sources.arrow import read_arrow
from bilat.sources.baci import read_baci
from bilat.sources.base import ReaderOption, ReaderSpec, ReadResult, SourceFile
from bilat.sources.comtrade import read_comtrade
from bilat.sources.registry import READERS
from bilat.sources.schema import DECLARATION_SCHEMA, FLOW_SCHEMA
from bilat.sources.table import parse_mapping, read_table

__all__ = [
    "DECLARATION_SCHEMA",
    "FLOW_SCHEMA",
    "READERS",
    "ReadResult",
    "ReaderOption",
    "ReaderSpec",
    "SourceFile",
    "parse_mapping",
    "read_arrow",
    "read_baci",
    "read_comtrade",
    "read_table",
]
