"""Readers for official trade formats; each yields validated Arrow batches in the canonical schema."""

from __future__ import annotations

from bilat.sources.baci import read_baci
from bilat.sources.base import SourceFile
from bilat.sources.comtrade import read_comtrade
from bilat.sources.schema import DECLARATION_SCHEMA, FLOW_SCHEMA
from bilat.sources.table import parse_mapping, read_table

__all__ = [
    "DECLARATION_SCHEMA",
    "FLOW_SCHEMA",
    "SourceFile",
    "parse_mapping",
    "read_baci",
    "read_comtrade",
    "read_table",
]
