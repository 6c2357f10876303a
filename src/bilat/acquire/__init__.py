"""Acquire: fetch, then ingest; reconcile, then store. The layer that composes the others.

Fetchers (:mod:`bilat.sources.fetch`) only download; the lake (:mod:`bilat.lake`) only
stores; reconciliation (:mod:`bilat.reconcile`) only computes. This part puts them together
for the fronts and for notebook users:

- :func:`acquire_comtrade`: fetch a dyad's UN Comtrade declarations, ingest what arrived.
- :func:`acquire_baci`: download a CEPII BACI release, ingest it (or some of its years).
- :func:`reconcile_into_lake`: reconcile the lake's declarations (the BACI method) and
  store the reconciled flows as a new entry.

Each returns a frozen result that keeps the download's or the estimate's report next to the
lake's ingest reports.
"""

from __future__ import annotations

from bilat.acquire.fetch import (
    BaciAcquisition,
    ComtradeAcquisition,
    acquire_baci,
    acquire_comtrade,
)
from bilat.acquire.reconciled import (
    LakeReconciliation,
    ReporterReliability,
    reconcile_into_lake,
)

__all__ = [
    "BaciAcquisition",
    "ComtradeAcquisition",
    "LakeReconciliation",
    "ReporterReliability",
    "acquire_baci",
    "acquire_comtrade",
    "reconcile_into_lake",
]
