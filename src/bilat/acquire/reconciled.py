"""Reconcile into the lake: the lake's declarations in, reconciled flows stored as an entry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from bilat.codes.concordance import Concordance
from bilat.options import MarginSpec
from bilat.reconcile import MarginModel, Reconciliation, reconcile
from bilat.sources.fetch.config import FetchConfig
from bilat.sources.fetch.geodist import stored_geodist
from bilat.sources.geodist import Distance

if TYPE_CHECKING:
    from bilat.lake import IngestReport, Lake

__all__ = ["LakeReconciliation", "ReporterReliability", "reconcile_into_lake"]


@dataclass(frozen=True, slots=True)
class ReporterReliability:
    """How far one country's declarations can be trusted.

    Attributes
    ----------
    country
        ISO3.
    variance
        Error variance ``s`` of its log declarations (log points squared).
    reliability
        ``1 / s``.
    nobs
        Flows the estimate rests on (as exporter or importer).
    """

    country: str
    variance: float
    reliability: float
    nobs: int


@dataclass(frozen=True, slots=True)
class LakeReconciliation:
    """What reconciling a lake's declarations gave, and the entry that stores it.

    Attributes
    ----------
    level
        HS level reconciled (0 for totals).
    years
        The years asked for (empty: every year declared).
    flows
        Reconciled flows (rows).
    bases
        Flows per basis: ``reconciled`` (both sides declared), ``exporter``, ``importer``.
    margins
        The fitted CIF/FOB margin model.
    identified
        Whether the reporters' variances were identified (else equal weights).
    reliability
        Per reporter, most reliable first.
    geodist
        The GeoDist file read (``None`` when a table was given).
    ingested
        The lake's report of the new entry (source ``mirror``); ``None`` when not stored.
    """

    level: int
    years: tuple[int, ...]
    flows: int
    bases: Mapping[str, int]
    margins: MarginModel
    identified: bool
    reliability: tuple[ReporterReliability, ...]
    geodist: Path | None
    ingested: IngestReport | None


def reconcile_into_lake(
    lake: Lake,
    geodist: pd.DataFrame | str | Path | None = None,
    *,
    level: int = 6,
    years: Sequence[int] | None = None,
    ingest: bool = True,
    distance: Distance = "dist",
    convert_to: str | None = None,
    concordances: Sequence[Concordance] = (),
    config: FetchConfig | None = None,
    countries: pd.DataFrame | str | Path | None = None,
    specification: MarginSpec = "baci",
) -> LakeReconciliation:
    """Reconcile every flow of ``lake.declarations()`` (:func:`bilat.reconcile.reconcile`)
    and store the reconciled flows as a new entry (source ``mirror``, named by level and
    years) unless ``ingest=False``.

    ``geodist`` is a GeoDist table or file; by default the one
    :func:`~bilat.sources.fetch.fetch_geodist` stored in the download cache of ``config``
    (:func:`~bilat.sources.fetch.geodist.stored_geodist`, which raises
    :class:`~bilat.errors.NotFoundError` when there is none). ``countries`` and
    ``specification``: the margin regressors, as in :func:`bilat.reconcile.reconcile`.
    """
    source = stored_geodist(config) if geodist is None else geodist
    rec = reconcile(
        lake.declarations(),
        source,
        level=level,
        years=years,
        distance=distance,
        convert_to=convert_to,
        concordances=concordances,
        countries=countries,
        specification=specification,
    )
    wanted = tuple(sorted({int(y) for y in years})) if years else ()
    report = _store(lake, rec, wanted) if ingest else None
    return LakeReconciliation(
        level=level,
        years=wanted,
        flows=rec.flows.num_rows,
        bases={str(k): int(v) for k, v in rec.pairs["basis"].value_counts().items()},
        margins=rec.margins,
        identified=rec.identified,
        reliability=_reliability(rec.reliability),
        geodist=None if isinstance(source, pd.DataFrame) else Path(source),
        ingested=report,
    )


def _store(lake: Lake, rec: Reconciliation, years: tuple[int, ...]) -> IngestReport:
    span = f"{min(years)}-{max(years)}" if years else "all"
    return lake.ingest_arrow(
        rec.flows,
        kind="flows",
        source="mirror",
        name=f"mirror-L{rec.level}-{span}",
        synthetic=lake.is_synthetic,
    )


def _reliability(table: pd.DataFrame) -> tuple[ReporterReliability, ...]:
    rows = table.sort_values("variance")
    return tuple(
        ReporterReliability(str(c), float(v), float(r), int(n))
        for c, v, r, n in zip(
            rows["country"], rows["variance"], rows["reliability"], rows["nobs"], strict=True
        )
    )
