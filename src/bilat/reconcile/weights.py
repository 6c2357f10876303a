"""Reporter reliability and the inverse-variance weights of the two declarations."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["fit_reliability", "reliability", "weigh"]


def fit_reliability(
    d: np.ndarray[Any, Any], exp: Sequence[str], imp: Sequence[str]
) -> tuple[pd.DataFrame, bool]:
    """Least-squares variances ``s`` with ``d² ≈ s_exporter + s_importer``; one per country.

    Returns the frame ``country, variance, reliability, nobs`` and whether every variance
    is identified (the normal equations have full rank).
    """
    countries = sorted(set(exp) | set(imp))
    index = {c: i for i, c in enumerate(countries)}
    ei = np.array([index[c] for c in exp], dtype=int)
    ii = np.array([index[c] for c in imp], dtype=int)
    n = len(countries)
    normal = np.zeros((n, n))
    rhs = np.zeros(n)
    d2 = d**2
    np.add.at(normal, (ei, ei), 1.0)
    np.add.at(normal, (ii, ii), 1.0)
    np.add.at(normal, (ei, ii), 1.0)
    np.add.at(normal, (ii, ei), 1.0)
    np.add.at(rhs, ei, d2)
    np.add.at(rhs, ii, d2)
    rank = int(np.linalg.matrix_rank(normal)) if n else 0
    solution = np.linalg.lstsq(normal, rhs, rcond=None)[0] if n else np.zeros(0)
    floor = max(float(np.mean(d2)) * 1e-3, 1e-12) if len(d2) else 1e-12
    variance = np.maximum(solution, floor)
    nobs = np.bincount(ei, minlength=n) + np.bincount(ii, minlength=n)
    table = pd.DataFrame(
        {"country": countries, "variance": variance, "reliability": 1.0 / variance, "nobs": nobs}
    )
    return table, bool(n > 0 and rank == n)


def reliability(pairs: pd.DataFrame, trim: float) -> tuple[pd.DataFrame, bool]:
    """:func:`fit_reliability` on ``d = ln(M_fob / X_fob)`` of the flows both sides declared,
    ratios within ``trim``."""
    both = ((pairs["x_usd"] > 0) & (pairs["m_fob_usd"] > 0)).to_numpy()
    d = np.log(pairs["m_fob_usd"].to_numpy()[both] / pairs["x_usd"].to_numpy()[both])
    inside = np.abs(d) <= math.log(trim)
    exp = pairs["exporter"].to_numpy()[both][inside]
    imp = pairs["importer"].to_numpy()[both][inside]
    return fit_reliability(d[inside], list(exp), list(imp))


def weigh(pairs: pd.DataFrame, table: pd.DataFrame, identified: bool) -> pd.DataFrame:
    """``pairs`` with ``w_exporter``, the reconciled ``value_usd`` and its ``basis``.

    ``w = s_importer / (s_exporter + s_importer)`` where both declared (0.5 when the
    variances are not identified); a flow one side declared keeps that side.
    """
    var = dict(zip(table["country"], table["variance"], strict=True))
    default = float(np.median(table["variance"])) if len(table) else 1.0
    s_x = pairs["exporter"].map(var).fillna(default).to_numpy()
    s_m = pairs["importer"].map(var).fillna(default).to_numpy()
    w = s_m / (s_x + s_m) if identified else np.full(len(pairs), 0.5)
    has_x = pairs["x_usd"].notna().to_numpy()
    has_m = pairs["m_fob_usd"].notna().to_numpy()
    w = np.where(has_x & has_m, w, np.where(has_x, 1.0, 0.0))
    value = (
        w * pairs["x_usd"].fillna(0.0).to_numpy()
        + (1 - w) * pairs["m_fob_usd"].fillna(0.0).to_numpy()
    )
    basis = np.where(has_x & has_m, "reconciled", np.where(has_x, "exporter", "importer"))
    return pairs.assign(w_exporter=w, value_usd=value, basis=basis)
