"""Shaping the drawn world to public facts: sizes of trade and concentrated export baskets.

After the threshold ``τ`` and the scale ``K`` are calibrated, each profiled country
(:data:`bilat.sample.facts.PROFILES`) has its log export and import levels shifted so that
its *expected* exports and imports in :data:`~bilat.sample.facts.ANCHOR_YEAR`, over the whole
world, are its real share of world trade times the spec's total; and its product advantage
shifted on its documented headings so that these hold ``profile_share`` of its expected
exports, split by rank (weights ``profile_decay**rank``). Expected values are exact sums over
every cell (no sampling): ``K·exp(m + (σ_v² + σ_ε²)/2)·Φ((m − τ)/σ)``, binned on a 0.02 grid
of ``m`` to solve for each shift. Exports and imports are solved in turn (imports move other
countries' exports), ending with exports. No random draw is involved and no country is
named: the facts come in as arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Shaping", "normal_cdf", "shape_levels"]

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

_BIN = 0.02


def normal_cdf(x: F64) -> F64:
    """Φ by Abramowitz & Stegun 7.1.26 for erfc (absolute error < 1.5e-7)."""
    z = np.abs(x) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))  # fmt: skip
    erfc = poly * np.exp(-z * z)
    return np.asarray(np.where(x >= 0, 1.0 - erfc / 2.0, erfc / 2.0), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Shaping:
    """The inputs of :func:`shape_levels` (arrays by country position and product position).

    ``export_target``/``import_target``: expected US dollars, NaN for unprofiled countries.
    ``groups``: per country, (product positions, share of its exports) of each documented
    heading present in the spec's products. ``barred``: (landlocked exporters, sea-fish
    products) whose cells carry no flow. ``t``: the anchor year's index.
    """

    t: int
    export_target: F64
    import_target: F64
    groups: dict[int, list[tuple[I64, float]]]
    landlocked: B
    sea_fish: B
    threshold: float
    scale: float
    sigma: float
    noise: float
    delta: float


def _binned(m: F32) -> tuple[F64, F64]:
    """The finite cells of ``m`` as (values, weights): exact when few, else on a fine grid."""
    finite = m[np.isfinite(m)]
    if finite.size <= 4096:
        values = finite.astype(np.float64)
        return values, np.ones_like(values)
    lo = float(finite.min())
    counts = np.bincount(((finite - np.float32(lo)) * np.float32(1 / _BIN)).astype(np.int64))
    keep = np.flatnonzero(counts)
    values = np.asarray(lo + (keep + 0.5) * _BIN, dtype=np.float64)
    return values, counts[keep].astype(np.float64)


def _solve(m: F32, target: float, s: Shaping) -> float:
    """The shift Δ with Σ K·noise·exp(m+Δ)·Φ((m+Δ−τ)/σ) = target (0 if nothing can trade).

    Newton's method on the log of the sum (increasing in Δ, slope at least 1), from Δ = 0.
    """
    values, weights = _binned(m)
    if not values.size or not target > 0:
        return 0.0
    goal = np.log(target / (s.scale * s.noise))
    d = 0.0
    for _ in range(50):
        x = values + d
        z = (x - s.threshold) / s.sigma
        top = float(x.max())
        e = weights * np.exp(x - top)
        total = float(np.sum(e * normal_cdf(z))) + 1e-300
        slope = float(np.sum(e * np.exp(-z * z / 2) / np.sqrt(2 * np.pi))) / s.sigma / total
        step = (top + np.log(total) - goal) / (1.0 + slope)
        d -= float(np.clip(step, -5.0, 5.0))
        if abs(step) < 1e-7:
            break
    return d


def _export_cells(
    s: Shaping, i: int, ex: F64, im: F64, ch: F64, pa_: F32, dem: F32, ld: F64, chap: I64, size: F64
) -> F32:
    rows = (ex[i, s.t] + im[:, s.t] - s.delta * ld[i]).astype(np.float32)
    cols = (ch[i, s.t, chap] + pa_[i] + size[s.t]).astype(np.float32)
    m: F32 = np.asarray(dem + cols[None, :], dtype=np.float32)
    m += rows[:, None]
    m[i] = -np.inf
    if s.landlocked[i]:
        m[:, s.sea_fish] = -np.inf
    return m


def _export_pass(
    s: Shaping, ex: F64, im: F64, ch: F64, pa_: F32, dem: F32, ld: F64, chap: I64, size: F64
) -> None:
    for i in np.flatnonzero(np.isfinite(s.export_target)):
        m = _export_cells(s, int(i), ex, im, ch, pa_, dem, ld, chap, size)
        groups = [(idx, w, m[:, idx]) for idx, w in s.groups.get(int(i), [])]
        for idx, _w, _cells in groups:
            m[:, idx] = -np.inf  # what is left is the rest of the basket
        documented = sum(w for _idx, w, _cells in groups)
        base = _solve(m, s.export_target[i] * (1.0 - documented), s)
        ex[i] += base
        for idx, w, cells in groups:
            pa_[i, idx] += np.float32(_solve(cells, s.export_target[i] * w, s) - base)


def _import_pass(
    s: Shaping, ex: F64, im: F64, ch: F64, pa_: F32, dem: F32, ld: F64, chap: I64, size: F64
) -> None:
    cols = (ch[:, s.t, :][:, chap] + pa_ + size[s.t][None, :]).astype(np.float32)
    cols[np.ix_(s.landlocked, s.sea_fish)] = -np.inf
    for j in np.flatnonzero(np.isfinite(s.import_target)):
        rows = (ex[:, s.t] + im[j, s.t] - s.delta * ld[:, j]).astype(np.float32)
        m = cols + dem[j][None, :]
        m += rows[:, None]
        m[j] = -np.inf
        im[j] += _solve(m, s.import_target[j], s)


def shape_levels(
    s: Shaping,
    ex: F64,
    im: F64,
    ch: F64,
    pa_: F32,
    dem: F32,
    ld: F64,
    chap: I64,
    size: F64,
    rounds: int = 2,
) -> None:
    """Shift export and import levels and documented product advantages in place: ``rounds``
    of exports then imports, and exports last."""
    if not np.isfinite(s.export_target).any():
        return
    for _ in range(rounds):
        _export_pass(s, ex, im, ch, pa_, dem, ld, chap, size)
        _import_pass(s, ex, im, ch, pa_, dem, ld, chap, size)
    _export_pass(s, ex, im, ch, pa_, dem, ld, chap, size)
