"""The trade lake: Parquet datasets, a manifest, atomic ingest, read through Ibis."""

from __future__ import annotations

from bilat.lake._compact import ROW_GROUP, CompactReport
from bilat.lake.lake import Lake
from bilat.lake.manifest import ManifestEntry
from bilat.lake.report import IngestReport

__all__ = ["ROW_GROUP", "CompactReport", "IngestReport", "Lake", "ManifestEntry"]
