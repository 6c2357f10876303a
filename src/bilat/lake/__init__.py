"""The trade lake: Parquet datasets, a manifest, atomic ingest, read through Ibis."""

from __future__ import annotations

from bilat.lake.lake import IngestReport, Lake
from bilat.lake.manifest import ManifestEntry

__all__ = ["IngestReport", "Lake", "ManifestEntry"]
