"""A SYNTHETIC general-equilibrium baseline for the sample world (labelled, for the demo).

A GE scenario needs every pair of a year *including domestic flows*, which no trade file
holds. For a lake of generated sample data, :func:`synthetic_ge_baseline` completes the
lake's international totals into such a table: international trade as the lake holds it
(0 where it holds none), domestic flows generated as a seeded multiple (1.5 to 3.5) of
each country's exports, and the cost variables the founding case's scenarios use:

- ``dist``: great-circle km between the countries' centroids (the sample world's airport
  centroids); a domestic distance of a quarter of the distance to the nearest other country;
- ``cntg``: 1 when two centroids are less than 700 km apart (a stand-in for a common border);
- ``intl_brdr``: 1 for every international pair;
- ``rta``: 1 when both belong to the Eurasian Economic Union (ARM, BLR, KAZ, KGZ, RUS) or
  both to the EU-27.

Every value is as synthetic as the world it completes; the frame carries
``attrs["synthetic"] = True`` and the briefing says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bilat.errors import InputError
from bilat.sample.spec import world_countries

__all__ = ["EAEU", "EU27", "synthetic_ge_baseline"]

#: Members of the Eurasian Economic Union.
EAEU = frozenset({"ARM", "BLR", "KAZ", "KGZ", "RUS"})
#: Members of the European Union (27).
EU27 = frozenset(
    [
        "AUT",
        "BEL",
        "BGR",
        "HRV",
        "CYP",
        "CZE",
        "DNK",
        "EST",
        "FIN",
        "FRA",
        "DEU",
        "GRC",
        "HUN",
        "IRL",
        "ITA",
        "LVA",
        "LTU",
        "LUX",
        "MLT",
        "NLD",
        "POL",
        "PRT",
        "ROU",
        "SVK",
        "SVN",
        "ESP",
        "SWE",
    ]
)


def _km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(lon2 - lon1)
    c = np.sin(p1) * np.sin(p2) + np.cos(p1) * np.cos(p2) * np.cos(dl)
    out: np.ndarray = 6371.0 * np.arccos(np.clip(c, -1.0, 1.0))  # type: ignore[type-arg]
    return out


def synthetic_ge_baseline(
    international: pd.DataFrame, *, year: int, seed: int = 2022
) -> pd.DataFrame:
    """Complete ``international`` (``exporter, importer, trade``: one year of the sample
    lake's totals) into a square GE baseline; see the module docstring. Labelled synthetic."""
    known = {c.iso3: c for c in world_countries()}
    frame = international[international["exporter"] != international["importer"]]
    codes = sorted((set(frame["exporter"]) | set(frame["importer"])) & set(known))
    if len(codes) < 2:
        raise InputError(
            "the lake's flows name fewer than two countries of the sample world",
            details={"countries": codes},
        )
    n = len(codes)
    pos = {c: k for k, c in enumerate(codes)}
    trade = np.zeros((n, n))
    keep = frame[frame["exporter"].isin(pos) & frame["importer"].isin(pos)]
    np.add.at(trade, (keep["exporter"].map(pos).to_numpy(), keep["importer"].map(pos).to_numpy()),
              keep["trade"].to_numpy(dtype="float64"))  # fmt: skip
    rng = np.random.default_rng(seed)
    exports = trade.sum(axis=1)
    scale = float(np.median(exports[exports > 0])) if (exports > 0).any() else 1.0
    np.fill_diagonal(trade, np.maximum(exports, 0.01 * scale) * rng.uniform(1.5, 3.5, n))
    lat = np.array([known[c].lat for c in codes])
    lon = np.array([known[c].lon for c in codes])
    dist = _km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    off = ~np.eye(n, dtype=bool)
    nearest = np.where(off, dist, np.inf).min(axis=1)
    np.fill_diagonal(dist, np.maximum(0.25 * nearest, 10.0))
    grid = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    i, j = grid[0].ravel(), grid[1].ravel()
    a, b = np.array(codes)[i], np.array(codes)[j]
    bloc = [
        (x in EAEU and y in EAEU) or (x in EU27 and y in EU27) for x, y in zip(a, b, strict=True)
    ]
    out = pd.DataFrame(
        {
            "exporter": a,
            "importer": b,
            "year": int(year),
            "trade": trade.ravel(),
            "dist": dist.ravel(),
            "cntg": ((dist.ravel() < 700.0) & (i != j)).astype(float),
            "intl_brdr": (i != j).astype(float),
            "rta": (np.array(bloc) & (i != j)).astype(float),
        }
    )
    out.attrs["synthetic"] = True
    return out
