"""CIF/FOB margins: ``ln(M_cif / X_fob)`` fitted on distance and contiguity."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bilat.errors import EstimationError, ParseError
from bilat.sources.geodist import Distance, distance_column, read_geodist

__all__ = ["MarginModel", "apply_margins", "fit_margins", "flat_margins", "with_distances"]


@dataclass(frozen=True, slots=True)
class MarginModel:
    """The fitted CIF/FOB margin: ``ln(1 + m) = const + b_dist·ln(dist_km) + b_contig·contig``.

    Attributes
    ----------
    const, b_dist, b_contig
        Coefficients (unitless; distance in kilometres).
    nobs
        Flows the fit used (both sides declared, covariates known, ratio within the trim);
        0 for a flat margin (:func:`flat_margins`).
    r2
        Share of the variance of ``ln(M_cif/X_fob)`` explained.
    max_margin
        Upper bound applied to fitted margins (fraction of the FOB value).
    fallback
        Margin used for pairs without distance data (the median fitted margin).
    """

    const: float
    b_dist: float
    b_contig: float
    nobs: int
    r2: float
    max_margin: float
    fallback: float

    def margin(self, dist_km: Any, contig: Any) -> Any:
        """Fitted margin ``m`` (fraction of the FOB value) for distances and contiguity."""
        log1p = self.const + self.b_dist * np.log(dist_km) + self.b_contig * np.asarray(contig)
        return np.clip(np.expm1(log1p), 0.0, self.max_margin)


def flat_margins(margin: float, *, max_margin: float) -> MarginModel:
    """One margin for every flow (``nobs`` 0), when too few flows allow a fit."""
    return MarginModel(math.log1p(margin), 0.0, 0.0, 0, 0.0, max(max_margin, margin), margin)


def with_distances(
    pairs: pd.DataFrame, geodist: pd.DataFrame | str | Path, *, distance: Distance = "dist"
) -> pd.DataFrame:
    """``pairs`` with ``dist_km`` and ``contig`` from GeoDist (missing for unknown pairs).

    ``geodist`` is a frame from :func:`bilat.sources.geodist.read_geodist` or the path of a
    GeoDist file; ``distance`` names the measure (``dist``, between the main cities, is the
    BACI choice). Pairs without a positive distance get none (they take the fallback margin).
    """
    geo = geodist if isinstance(geodist, pd.DataFrame) else read_geodist(geodist)
    table = pd.DataFrame(
        {
            "exporter": geo["exporter"],
            "importer": geo["importer"],
            "dist_km": distance_column(geo, distance),
            "contig": geo["cntg"].fillna(0).astype(int),
        }
    )
    table = table[table["dist_km"] > 0]
    if table.empty:
        raise ParseError(f"no positive distance in GeoDist column {distance!r}")
    return pairs.merge(table, on=["exporter", "importer"], how="left")


def fit_margins(
    pairs: pd.DataFrame,
    *,
    max_margin: float = 0.2,
    trim: float = 10.0,
    variance: Mapping[str, float] | None = None,
) -> MarginModel:
    """Fit ``ln(M_cif/X_fob)`` on ``ln(distance)`` and contiguity, ratios within ``trim``.

    ``pairs`` holds :func:`~bilat.reconcile.mirror_pairs` columns plus ``dist_km`` and
    ``contig`` (:func:`with_distances`). With ``variance`` (country → error variance) the
    fit is weighted by ``1/(s_i + s_j)`` (feasible GLS), else ordinary least squares.

    Raises
    ------
    EstimationError
        Fewer than three usable flows, or distances that do not vary.
    """
    both = pairs[(pairs["x_usd"] > 0) & (pairs["m_cif_usd"] > 0) & pairs["dist_km"].notna()]
    y = np.log(both["m_cif_usd"].to_numpy() / both["x_usd"].to_numpy())
    ok = np.abs(y) <= math.log(trim)
    y = y[ok]
    ln_dist = np.log(both["dist_km"].to_numpy()[ok])
    contig = both["contig"].to_numpy()[ok].astype(float)
    design = _design(y, ln_dist, contig)
    weight = np.ones_like(y)
    if variance is not None:
        s_x = both["exporter"].map(variance).to_numpy(dtype=float)[ok]
        s_m = both["importer"].map(variance).to_numpy(dtype=float)[ok]
        weight = 1.0 / np.nan_to_num(s_x + s_m, nan=float(np.nanmedian(s_x + s_m)))
    root = np.sqrt(weight)
    beta, *_ = np.linalg.lstsq(design * root[:, None], y * root, rcond=None)
    resid = y - design @ beta
    mean = float(np.average(y, weights=weight))
    ss_tot = float((weight * (y - mean) ** 2).sum())
    r2 = 1.0 - float((weight * resid**2).sum()) / ss_tot if ss_tot > 0 else 0.0
    b_contig = float(beta[2]) if design.shape[1] == 3 else 0.0
    model = MarginModel(float(beta[0]), float(beta[1]), b_contig, len(y), r2, max_margin, 0.0)
    fallback = float(np.median(model.margin(np.exp(ln_dist), contig)))
    return MarginModel(model.const, model.b_dist, b_contig, len(y), r2, max_margin, fallback)


def _design(
    y: np.ndarray[Any, Any], ln_dist: np.ndarray[Any, Any], contig: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """Constant, ln(distance) and, when it varies, contiguity; refused when not identified."""
    cols = [np.ones_like(y), ln_dist]
    if len(contig) and contig.min() != contig.max():
        cols.append(contig)
    design = np.column_stack(cols) if len(y) else np.empty((0, len(cols)))
    if len(y) < 3 or np.linalg.matrix_rank(design) < design.shape[1]:
        raise EstimationError(
            f"cannot fit CIF/FOB margins on {len(y)} flow(s) declared by both sides with "
            "distinct distances; ingest more declarations (both reporters, several partners)"
        )
    return design


def apply_margins(pairs: pd.DataFrame, margins: MarginModel) -> pd.DataFrame:
    """``pairs`` with ``margin`` and ``m_fob_usd = m_cif_usd / (1 + margin)``."""
    known = pairs["dist_km"].notna().to_numpy()
    margin = np.full(len(pairs), margins.fallback)
    margin[known] = margins.margin(
        pairs["dist_km"].to_numpy()[known], pairs["contig"].to_numpy()[known]
    )
    return pairs.assign(margin=margin, m_fob_usd=pairs["m_cif_usd"] / (1.0 + margin))
