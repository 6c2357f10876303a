"""The trade lake: Parquet datasets, a manifest, atomic ingest, read through Ibis."""

from __future__ import annotations

from bilat.lake.lake import Lake
from bilat.lake.manifest import ManifestEntry
from bilat.lake.report import IngestReport

__all__ = ["IngestReport", "Lake", "ManifestEntry"]
