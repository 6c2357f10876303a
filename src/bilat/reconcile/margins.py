"""CIF/FOB margins: ``ln(M_cif / X_fob)`` fitted on BACI's regressors (or on distance alone).

BACI (Gaulier & Zignago 2010, section 2.3) regresses the log ratio of the importer's CIF
value to the exporter's FOB value on the log distance and its square, contiguity, whether
the exporter and the importer are landlocked, the product's world median unit value (log)
and year effects, and takes the fitted value as the margin. ``specification="distance"``
keeps the simpler model (log distance and contiguity). A regressor the data cannot give
(no country file for ``landlocked``, no net weights for unit values, one year only) or that
does not vary is left out, and the model says which ones it used.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bilat.errors import EstimationError, ParseError
from bilat.options import MarginSpec, choice
from bilat.sources.geodist import Distance, distance_column, read_geo_countries, read_geodist

__all__ = [
    "REGRESSOR_COLUMNS",
    "MarginModel",
    "apply_margins",
    "fit_margins",
    "flat_margins",
    "with_distances",
]

#: Columns :func:`with_distances` and the unit values add to the pairs (dropped afterwards).
REGRESSOR_COLUMNS = (
    "dist_km",
    "contig",
    "landlocked_exporter",
    "landlocked_importer",
    "ln_unit_value",
)


@dataclass(frozen=True, slots=True)
class MarginModel:
    """The fitted CIF/FOB margin: ``ln(1 + m) = Σ coefficient · regressor``, bounded.

    Attributes
    ----------
    const, b_dist, b_contig
        The constant and the coefficients of ``ln(dist_km)`` and contiguity (0 when not
        used); the others are in :attr:`coefficients`.
    nobs
        Flows the fit used (both sides declared, regressors known, ratio within the trim);
        0 for a flat margin (:func:`flat_margins`).
    r2
        Share of the variance of ``ln(M_cif/X_fob)`` explained.
    max_margin
        Upper bound applied to fitted margins (fraction of the FOB value); the lower is 0.
    fallback
        Margin of flows whose regressors are not all known (the median fitted margin).
    specification
        ``baci``, ``distance`` or ``flat``.
    coefficients
        Every regressor used and its coefficient: ``const``, ``ln_dist``, ``ln_dist2``,
        ``contig``, ``landlocked_exporter``, ``landlocked_importer``, ``ln_unit_value``
        (USD per kg), ``year_YYYY`` (relative to the first year).
    omitted
        Regressors of the specification left out (not in the data, or not varying).
    base_year
        The year the year effects are relative to (``None``: no year effects).
    """

    const: float
    b_dist: float
    b_contig: float
    nobs: int
    r2: float
    max_margin: float
    fallback: float
    specification: str = "distance"
    coefficients: Mapping[str, float] = field(default_factory=dict)
    omitted: tuple[str, ...] = ()
    base_year: int | None = None

    @property
    def regressors(self) -> tuple[str, ...]:
        """The regressors used, in the order of :attr:`coefficients`."""
        return tuple(self.coefficients)

    def predict(self, frame: pd.DataFrame) -> np.ndarray[Any, Any]:
        """Fitted margin (fraction of the FOB value) of each row; NaN where a regressor the
        model uses is unknown (a year it was not fitted on counts as unknown)."""
        coefs = self.coefficients or {
            "const": self.const, "ln_dist": self.b_dist, "contig": self.b_contig
        }  # fmt: skip
        columns = _candidates(frame, "baci")
        log1p = np.zeros(len(frame))
        for name, b in coefs.items():
            if name.startswith("year_"):
                continue
            log1p = log1p + b * (1.0 if name == "const" else columns[name])
        log1p = log1p + _year_effects(frame, self)
        out: np.ndarray[Any, Any] = np.clip(np.expm1(log1p), 0.0, self.max_margin)
        return out


def flat_margins(margin: float, *, max_margin: float) -> MarginModel:
    """One margin for every flow (``nobs`` 0), when too few flows allow a fit."""
    return MarginModel(
        math.log1p(margin), 0.0, 0.0, 0, 0.0, max(max_margin, margin), margin, "flat"
    )


def with_distances(
    pairs: pd.DataFrame,
    geodist: pd.DataFrame | str | Path,
    *,
    distance: Distance = "dist",
    countries: pd.DataFrame | str | Path | None = None,
) -> pd.DataFrame:
    """``pairs`` with ``dist_km`` and ``contig`` from GeoDist (missing for unknown pairs),
    and ``landlocked_exporter``/``landlocked_importer`` when ``countries`` is given.

    ``geodist`` is a frame from :func:`bilat.sources.geodist.read_geodist` or the path of a
    GeoDist file; ``distance`` names the measure (``dist``, between the main cities, is the
    BACI choice). ``countries`` is CEPII's ``geo_cepii`` (path or the frame of
    :func:`~bilat.sources.geodist.read_geo_countries`). Pairs without a positive distance
    get none (they take the fallback margin).
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
    out = pairs.merge(table, on=["exporter", "importer"], how="left")
    if countries is None:
        return out
    land = countries if isinstance(countries, pd.DataFrame) else read_geo_countries(countries)
    flag = dict(zip(land["country"], land["landlocked"], strict=True))
    for role in ("exporter", "importer"):  # in place: ``out`` is the merge's new frame
        out[f"landlocked_{role}"] = out[role].map(flag).astype(float)
    return out


#: The columns of the pairs that the fit, its weights and its fallback read.
_FIT_COLUMNS = (
    "year", "exporter", "importer", "dist_km", "contig", "landlocked_exporter",
    "landlocked_importer", "ln_unit_value",
)  # fmt: skip


def fit_margins(
    pairs: pd.DataFrame,
    *,
    max_margin: float = 0.2,
    trim: float = 10.0,
    variance: Mapping[str, float] | None = None,
    specification: MarginSpec = "baci",
) -> MarginModel:
    """Fit ``ln(M_cif/X_fob)`` on the ``specification``'s regressors, ratios within ``trim``.

    ``pairs`` holds :func:`~bilat.reconcile.mirror_pairs` columns plus ``dist_km`` and
    ``contig`` (:func:`with_distances`), and, for BACI's regressors,
    ``landlocked_exporter``, ``landlocked_importer`` and ``ln_unit_value`` where known. A
    regressor is used when it is known for at least half the usable flows, varies, and is
    not collinear with those before it; flows missing a used regressor are left out of the
    fit. With ``variance`` (country → error variance) the fit is weighted by
    ``1/(s_i + s_j)`` (feasible GLS), else ordinary least squares.

    Raises
    ------
    EstimationError
        Fewer than three usable flows, or distances that do not vary.
    """
    specification = choice(MarginSpec, specification, "specification")
    x, m = pairs["x_usd"].to_numpy(dtype=float), pairs["m_cif_usd"].to_numpy(dtype=float)
    usable = (x > 0) & (m > 0) & pairs["dist_km"].notna().to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.log(m / x)
    usable &= np.abs(ratio) <= math.log(trim)
    # one copy of the columns the fit reads, not of the whole pairs frame
    both = pairs.loc[usable, [c for c in _FIT_COLUMNS if c in pairs.columns]]
    y = ratio[usable]
    names, design, omitted = _design(y, _candidates(both, specification), both, specification)
    keep = np.isfinite(design).all(axis=1)
    y, design, both = y[keep], design[keep], both[keep]
    _check_identified(y, design)
    weight = _weights(both, variance)
    root = np.sqrt(weight)
    beta, *_ = np.linalg.lstsq(design * root[:, None], y * root, rcond=None)
    resid = y - design @ beta
    mean = float(np.average(y, weights=weight))
    ss_tot = float((weight * (y - mean) ** 2).sum())
    r2 = 1.0 - float((weight * resid**2).sum()) / ss_tot if ss_tot > 0 else 0.0
    coefs = {n: float(b) for n, b in zip(names, beta, strict=True)}
    base = int(both["year"].min()) if any(n.startswith("year_") for n in names) else None
    model = MarginModel(
        coefs["const"], coefs["ln_dist"], coefs.get("contig", 0.0), len(y), r2,
        max_margin, 0.0, specification, coefs, omitted, base,
    )  # fmt: skip
    fallback = float(np.median(model.predict(both)))
    return dataclasses.replace(model, fallback=fallback)


def _candidates(frame: pd.DataFrame, specification: str) -> dict[str, np.ndarray[Any, Any]]:
    """The specification's regressors (NaN where unknown), year effects aside."""
    ln_dist = np.log(frame["dist_km"].to_numpy(dtype=float))
    cols = {"ln_dist": ln_dist}
    if specification == "baci":
        cols["ln_dist2"] = ln_dist**2
    cols["contig"] = frame["contig"].to_numpy(dtype=float)
    if specification == "baci":
        for name in ("landlocked_exporter", "landlocked_importer", "ln_unit_value"):
            cols[name] = (
                frame[name].to_numpy(dtype=float)
                if name in frame.columns
                else np.full(len(frame), np.nan)
            )
    return cols


def _design(
    y: np.ndarray[Any, Any],
    cols: dict[str, np.ndarray[Any, Any]],
    frame: pd.DataFrame,
    specification: str,
) -> tuple[list[str], np.ndarray[Any, Any], tuple[str, ...]]:
    """Constant, then each regressor that is known often enough, varies and adds rank."""
    if specification == "baci":
        years = [int(v) for v in np.unique(frame["year"].to_numpy())]
        for year in years[1:]:
            cols[f"year_{year}"] = (frame["year"].to_numpy() == year).astype(float)
    keep = [
        name
        for name, v in cols.items()
        if name == "ln_dist"
        or (len(y) and np.isfinite(v).mean() >= 0.5 and np.nanmin(v) != np.nanmax(v))
    ]
    matrix = np.column_stack([np.ones_like(y), *(cols[n] for n in keep)])
    rows = np.isfinite(matrix).all(axis=1)
    gram = _scaled_gram(matrix[rows])
    names, index = ["const"], [0]
    for i, name in enumerate(keep, start=1):
        trial = [*index, i]
        if name == "ln_dist" or _rank(gram[np.ix_(trial, trial)]) == len(trial):
            names.append(name)
            index.append(i)
    omitted = tuple(n for n in cols if n not in names)
    return names, matrix[:, index], omitted


def _scaled_gram(design: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The cross-product of the design's columns scaled to unit length (0 where empty)."""
    gram = design.T @ design  # k × k by BLAS; no scaled copy of the n × k design
    norms = np.sqrt(np.diag(gram))
    norms = np.where(norms > 0, norms, 1.0)
    out: np.ndarray[Any, Any] = gram / np.outer(norms, norms)
    return out


def _rank(gram: np.ndarray[Any, Any]) -> int:
    return int(np.linalg.matrix_rank(gram, hermitian=True)) if gram.size else 0


def _check_identified(y: np.ndarray[Any, Any], design: np.ndarray[Any, Any]) -> None:
    if len(y) < 3 or np.linalg.matrix_rank(design) < design.shape[1]:
        raise EstimationError(
            f"cannot fit CIF/FOB margins on {len(y)} flow(s) declared by both sides with "
            "distinct distances; ingest more declarations (both reporters, several partners)"
        )


def _weights(both: pd.DataFrame, variance: Mapping[str, float] | None) -> np.ndarray[Any, Any]:
    if variance is None:
        return np.ones(len(both))
    s_x = both["exporter"].map(variance).to_numpy(dtype=float)
    s_m = both["importer"].map(variance).to_numpy(dtype=float)
    total = s_x + s_m
    fill = float(np.nanmedian(total)) if np.isfinite(total).any() else 1.0
    return 1.0 / np.nan_to_num(total, nan=fill)


def _year_effects(frame: pd.DataFrame, model: MarginModel) -> np.ndarray[Any, Any]:
    """Each row's year effect: 0 in the base year, NaN in a year the fit did not see."""
    effects = {int(n[5:]): b for n, b in model.coefficients.items() if n.startswith("year_")}
    if model.base_year is None:
        return np.zeros(len(frame))
    effects[model.base_year] = 0.0
    out: np.ndarray[Any, Any] = frame["year"].astype(int).map(effects).to_numpy(dtype=float)
    return out


def apply_margins(pairs: pd.DataFrame, margins: MarginModel) -> pd.DataFrame:
    """``pairs`` with ``margin`` and ``m_fob_usd = m_cif_usd / (1 + margin)``; a flow whose
    regressors are not all known takes the model's fallback."""
    known = pairs["dist_km"].notna().to_numpy()
    margin = np.full(len(pairs), margins.fallback)
    if margins.nobs:
        fitted = margins.predict(pairs[known])
        margin[known] = np.where(np.isnan(fitted), margins.fallback, fitted)
    return pairs.assign(margin=margin, m_fob_usd=pairs["m_cif_usd"] / (1.0 + margin))
