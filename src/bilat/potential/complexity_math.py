"""The arithmetic of economic complexity on a country × product matrix (NumPy, SciPy sparse).

Everything here takes a matrix of export values ``X`` (countries × products, SciPy sparse
or dense, US dollars) and returns arrays; :mod:`bilat.potential.complexity` reads the trade
and names the rows. The conventions are those of the Growth Lab's ``ecomplexity`` package
(the Atlas of Economic Complexity), which the tests use as the reference:

- ``RCA_cp = (X_cp / X_c) / (X_p / X)`` (Balassa); with a population vector, ``RPOP_cp =
  (X_cp / pop_c) / (X_p / Σ pop)``; ``M_cp = 1`` where the chosen ratio is ``>= threshold``;
- diversity ``k_c = Σ_p M_cp``, ubiquity ``k_p = Σ_c M_cp``;
- ECI and PCI from the eigenvector of the second largest eigenvalue of
  ``M̃_pp' = Σ_c M_cp M_cp' / (k_c k_p)`` (``kc = M kp / k_c``), signed so that ECI
  correlates positively with diversity, then ECI standardised and PCI standardised with
  ECI's mean and standard deviation (population standard deviation);
- proximity ``φ_pp' = min(P(p | p'), P(p' | p)) = Σ_c M_cp M_cp' / max(k_p, k_p')``;
- density ``ω_cp = Σ_p' M_cp' φ_pp' / Σ_p' φ_pp'``, distance ``1 − ω_cp``;
- COI ``Σ_p ω_cp (1 − M_cp) PCI_p`` (standardised), COG ``(1 − M_cp) Σ_p' (1 − M_cp')
  φ_pp' PCI_p' / Σ_p'' φ_p'p''`` divided by the standard deviation of the raw ECI (both
  with the unstandardised PCI, as ``ecomplexity`` does).

The eigenvector is found in the smaller of the two spaces (countries or products) from a
symmetric matrix similar to ``M̃`` (``numpy.linalg.eigh``), not from the dense
non-symmetric product matrix: the same vector, found in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from bilat.errors import InputError

__all__ = ["Measures", "measures"]


@dataclass(frozen=True)
class Measures:
    """The arrays of one year (rows: countries, columns: products; see the module)."""

    rca: np.ndarray
    mcp: sp.csr_matrix
    diversity: np.ndarray
    ubiquity: np.ndarray
    eci: np.ndarray  # NaN where not defined
    pci: np.ndarray
    density: np.ndarray
    coi: np.ndarray
    cog: np.ndarray
    rpop: np.ndarray | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def distance(self) -> np.ndarray:
        """``1 − density``."""
        out: np.ndarray = 1.0 - self.density
        return out


def _ratios(
    x: sp.csr_matrix, population: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Balassa's RCA (dense) and, with a population, RPOP."""
    dense = x.toarray()
    rows = np.asarray(x.sum(axis=1)).ravel()
    cols = np.asarray(x.sum(axis=0)).ravel()
    total = cols.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        rca = (dense / rows[:, None]) / (cols / total)[None, :]
        rpop = None
        if population is not None:
            rpop = (dense / population[:, None]) / (cols / population.sum())[None, :]
    return np.nan_to_num(rca, nan=0.0, posinf=0.0), rpop


def _eigenvector(m: sp.csr_matrix, div: np.ndarray, ubi: np.ndarray) -> np.ndarray:
    """``kp``: the product eigenvector of the second largest eigenvalue of ``M̃``, unit norm.

    ``M̃ = D_u⁻¹ Mᵀ D_d⁻¹ M`` is similar to ``S = D_u^-½ Mᵀ D_d⁻¹ M D_u^-½`` (products) and
    shares its non-zero eigenvalues with ``T = D_d^-½ M D_u⁻¹ Mᵀ D_d^-½`` (countries); the
    smaller one is decomposed."""
    inv_d = sp.diags(1.0 / div)
    if m.shape[1] <= m.shape[0]:
        half = sp.diags(1.0 / np.sqrt(ubi))
        s = (half @ m.T @ inv_d @ m @ half).toarray()
        _, vectors = np.linalg.eigh(s)
        kp = vectors[:, -2] / np.sqrt(ubi)
    else:
        half = sp.diags(1.0 / np.sqrt(div))
        t = (half @ m @ sp.diags(1.0 / ubi) @ m.T @ half).toarray()
        _, vectors = np.linalg.eigh(t)
        kc = vectors[:, -2] / np.sqrt(div)
        kp = (m.T @ kc) / ubi
    out: np.ndarray = kp / np.linalg.norm(kp)
    return out


def _eci_pci(
    m: sp.csr_matrix, div: np.ndarray, ubi: np.ndarray
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Raw (signed, unstandardised) ``kc`` and ``kp``, NaN where diversity or ubiquity is 0,
    and the reasons they are not defined (empty when they are)."""
    rows, cols = div > 0, ubi > 0
    kc = np.full(m.shape[0], np.nan)
    kp = np.full(m.shape[1], np.nan)
    sub = m[rows][:, cols]
    if sub.shape[0] < 2 or sub.shape[1] < 2:
        what = "country" if sub.shape[0] < 2 else "product"
        return kc, kp, (f"ECI and PCI need at least two of each; one {what} has M = 1",)
    graph = sp.bmat([[None, sub], [sub.T, None]])
    n, _ = connected_components(graph, directed=False)
    if n > 1:
        return (
            kc,
            kp,
            (
                f"the country–product network falls into {n} unconnected groups, so the "
                "ECI eigenvector is not unique: ECI, PCI, COI and COG are not available",
            ),
        )
    vp = _eigenvector(sub, div[rows], ubi[cols])
    vc = (sub @ vp) / div[rows]
    sign = np.sign(np.corrcoef(div[rows], vc)[0, 1]) or 1.0
    kc[rows], kp[cols] = sign * vc, sign * vp
    return kc, kp, ()


def _proximity(m: sp.csr_matrix, ubi: np.ndarray, presence: np.ndarray | None) -> np.ndarray:
    """Discrete proximity (co-occurrence over the larger ubiquity), or, given the RCA or
    RPOP matrix as ``presence``, the continuous one ``(1 + corr) / 2``."""
    if presence is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.asarray((1.0 + np.corrcoef(presence.T)) / 2.0, dtype=np.float64)
        return out
    dense = m.toarray()
    phi: np.ndarray = dense.T @ dense
    step = 1024
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(0, phi.shape[0], step):
            block = phi[i : i + step]
            block /= np.maximum(ubi[i : i + step, None], ubi[None, :])
    np.nan_to_num(phi, copy=False, nan=0.0)
    return phi


def _check(x: sp.spmatrix | np.ndarray, threshold: float, population: np.ndarray | None) -> None:
    if not np.isfinite(threshold) or threshold <= 0:
        raise InputError(
            f"rca_threshold must be a positive number, got {threshold!r}",
            details={"option": "rca_threshold", "value": threshold},
        )
    data = np.asarray(x.data if sp.issparse(x) else x, dtype=np.float64)
    if data.size and (not bool(np.isfinite(data).all()) or bool((data < 0).any())):
        raise InputError("export values must be finite and non-negative")
    if population is not None and (
        population.shape != (x.shape[0],)
        or not np.isfinite(population).all()
        or (population <= 0).any()
    ):
        raise InputError("population must give a positive number for every country")


def measures(
    x: sp.spmatrix | np.ndarray,
    *,
    rca_threshold: float = 1.0,
    population: np.ndarray | None = None,
    presence: str = "rca",
    continuous: bool = False,
) -> Measures:
    """ECI, PCI, density, COI, COG of the export matrix ``x`` (countries × products).

    Rows and columns must have positive totals (the caller drops empty ones, as
    ``ecomplexity`` does). ``presence`` is ``"rca"`` or ``"rpop"`` (needs ``population``,
    one positive value per row). ``continuous`` uses the correlation of the RCA (or RPOP)
    columns as proximity and the RCA (or RPOP) itself in the density, as ``ecomplexity``'s
    ``continuous=True``.
    """
    _check(x, rca_threshold, population)
    xs = sp.csr_matrix(x, dtype=np.float64)
    if xs.shape[0] == 0 or xs.shape[1] == 0:
        raise InputError("no exports to measure: the country × product matrix is empty")
    rca, rpop = _ratios(xs, population if presence == "rpop" else None)
    ratio = rpop if presence == "rpop" and rpop is not None else rca
    m = sp.csr_matrix((np.nan_to_num(ratio) >= rca_threshold).astype(np.float64))
    div = np.asarray(m.sum(axis=1)).ravel()
    ubi = np.asarray(m.sum(axis=0)).ravel()
    kc, kp, notes = _eci_pci(m, div, ubi)
    phi = _proximity(m, ubi, ratio if continuous else None)
    return _finish(m, rca, rpop, div, ubi, kc, kp, phi, continuous, ratio, notes)


def _finish(
    m: sp.csr_matrix,
    rca: np.ndarray,
    rpop: np.ndarray | None,
    div: np.ndarray,
    ubi: np.ndarray,
    kc: np.ndarray,
    kp: np.ndarray,
    phi: np.ndarray,
    continuous: bool,
    ratio: np.ndarray,
    notes: tuple[str, ...],
) -> Measures:
    """Density, COI, COG and the standardisation of ``ecomplexity``."""
    rowsum = np.nansum(phi, axis=1) if continuous else phi.sum(axis=1)
    present = m.toarray()
    weight = ratio if continuous else present
    pci0 = np.nan_to_num(kp)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.nan_to_num(pci0 / rowsum)
    # one BLAS product for both: M φ (density) and M diag(w) φ (COG: Σ_p' M_cp' φ_p'p w_p')
    both = np.vstack([weight, present * w[None, :]]) @ phi
    n = present.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        density = both[:n] / rowsum[None, :]
    absent = 1.0 - present
    coi = (density * absent * pci0[None, :]).sum(axis=1)
    cog = absent * ((w @ phi)[None, :] - both[n:])
    valid = ~np.isnan(kc)
    if valid.any():
        mean, std = kc[valid].mean(), kc[valid].std()
        eci, pci, cog = (kc - mean) / std, (kp - mean) / std, cog / std
        coi = (coi - coi.mean()) / coi.std() if coi.std() > 0 else np.zeros_like(coi)
    else:
        eci, pci = kc, kp
        cog = np.full_like(cog, np.nan)
        coi = np.full_like(coi, np.nan)
    return Measures(rca, m, div, ubi, eci, pci, density, coi, cog, rpop, notes)
