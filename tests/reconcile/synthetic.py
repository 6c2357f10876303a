"""Synthetic declarations with known CIF/FOB margins and known reporter noise.

Shared by ``tests/reconcile`` (the method) and ``tests/mirror`` (the gap report).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

COUNTRIES = ["DEU", "FRA", "POL", "BLR", "KAZ", "RUS", "CHN", "USA", "BRA", "JPN", "ITA", "ESP"]
#: ln(1 + margin) = CONST + B_DIST·ln(dist_km) + B_CONTIG·contig
CONST, B_DIST, B_CONTIG = 0.02, 0.006, -0.015
#: each country's reporting noise (standard deviation of log errors), both roles
SIGMA = dict(zip(COUNTRIES, np.linspace(0.03, 0.40, len(COUNTRIES)), strict=True))


@dataclass
class Synthetic:
    declarations: pd.DataFrame
    truth: pd.DataFrame  # year, exporter, importer, product, value_usd (true FOB), margin


def make(
    geo: pd.DataFrame,
    *,
    products: int = 60,
    years: tuple[int, ...] = (2020, 2021),
    noise: float = 1.0,
    seed: int = 7,
) -> Synthetic:
    """Every ordered pair of COUNTRIES declares ``products`` codes each year, both sides.

    ``noise`` scales SIGMA (0.01 gives nearly exact declarations).
    """
    rng = np.random.default_rng(seed)
    dist = geo.set_index(["exporter", "importer"])
    rows, truth = [], []
    codes = [f"{8400 + i // 10:04d}{i % 10:02d}" for i in range(products)]
    for year in years:
        for i in COUNTRIES:
            for j in COUNTRIES:
                if i == j:
                    continue
                d, contig = dist.loc[(i, j), ["dist", "cntg"]]
                margin = np.expm1(CONST + B_DIST * np.log(d) + B_CONTIG * contig)
                value = rng.lognormal(12, 1.5, products)
                x = value * np.exp(rng.normal(0, noise * SIGMA[i], products))
                m = value * (1 + margin) * np.exp(rng.normal(0, noise * SIGMA[j], products))
                for k, code in enumerate(codes):
                    rows.append((year, i, j, "X", code, x[k]))
                    rows.append((year, j, i, "M", code, m[k]))
                    truth.append((year, i, j, code, value[k], margin))
    decl = pd.DataFrame(
        rows, columns=["year", "reporter", "partner", "flow", "product", "value_usd"]
    )
    decl["cif_usd"] = np.where(decl["flow"] == "M", decl["value_usd"], np.nan)
    true = pd.DataFrame(
        truth, columns=["year", "exporter", "importer", "product", "value_usd", "margin"]
    )
    return Synthetic(decl, true)


def namespace() -> SimpleNamespace:
    """The generator and its true parameters: ``syn.make(geo)``, ``syn.B_DIST``, ``syn.SIGMA``."""
    return SimpleNamespace(
        make=make, COUNTRIES=COUNTRIES, CONST=CONST, B_DIST=B_DIST, B_CONTIG=B_CONTIG, SIGMA=SIGMA
    )


def declarations_table(decl: Any) -> Any:
    """The generated declarations (a pandas frame) as the lake's declarations schema."""
    import numpy as np
    import pyarrow as pa

    from bilat.sources.schema import DECLARATION_SCHEMA

    n = len(decl)
    return pa.table(
        {
            "year": pa.array(decl["year"], pa.int16()),
            "reporter": decl["reporter"],
            "partner": decl["partner"],
            "flow": decl["flow"],
            "product": decl["product"],
            "hs_rev": ["HS17"] * n,
            "value_usd": decl["value_usd"],
            "cif_usd": pa.array(decl["cif_usd"].replace({np.nan: None}), pa.float64()),
            "fob_usd": pa.nulls(n, pa.float64()),
            "qty": pa.nulls(n, pa.float64()),
            "qty_unit": pa.nulls(n, pa.string()),
            "net_kg": pa.nulls(n, pa.float64()),
            "source": ["synthetic"] * n,
        },
        schema=DECLARATION_SCHEMA,
    )


# ------------------------------------------------------------------ SYNTHETIC: BACI regressors
#: SYNTHETIC true margin model on BACI's regressors: ln(1 + m) = Σ b · regressor.
BACI_TRUE = {
    "const": -0.15,
    "ln_dist": 0.04,
    "ln_dist2": -0.0015,
    "contig": -0.01,
    "landlocked_exporter": 0.02,
    "landlocked_importer": 0.015,
    "ln_unit_value": -0.005,
    "year_2021": 0.01,
}


def make_baci(
    geo: pd.DataFrame,
    landlocked: dict[str, float],
    *,
    products: int = 40,
    noise: float = 0.05,
    seed: int = 11,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """SYNTHETIC declarations (both sides, 2020-2021) whose CIF/FOB margins follow BACI_TRUE.

    Each product has a unit value (USD per kg, log-uniform 0.5-200); net weights are the
    true value / unit value, so declared unit values scatter around it by the noise and the
    margin. Returns the
    declarations and the true unit value of each product.
    """
    rng = np.random.default_rng(seed)
    dist = geo.set_index(["exporter", "importer"])
    codes = [f"{8400 + i // 10:04d}{i % 10:02d}" for i in range(products)]
    uv = dict(zip(codes, np.exp(rng.uniform(np.log(0.5), np.log(200), products)), strict=True))
    rows = []
    for year in (2020, 2021):
        for i in COUNTRIES:
            for j in COUNTRIES:
                if i == j:
                    continue
                d, contig = dist.loc[(i, j), ["dist", "cntg"]]
                base = (
                    BACI_TRUE["const"] + BACI_TRUE["ln_dist"] * np.log(d)
                    + BACI_TRUE["ln_dist2"] * np.log(d) ** 2 + BACI_TRUE["contig"] * contig
                    + BACI_TRUE["landlocked_exporter"] * landlocked[i]
                    + BACI_TRUE["landlocked_importer"] * landlocked[j]
                    + BACI_TRUE["year_2021"] * (year == 2021)
                )  # fmt: skip
                for code in codes:
                    log1p = base + BACI_TRUE["ln_unit_value"] * np.log(uv[code])
                    value = rng.lognormal(12, 1.5)
                    x = value * np.exp(rng.normal(0, noise * SIGMA[i]))
                    m = value * np.exp(log1p) * np.exp(rng.normal(0, noise * SIGMA[j]))
                    rows.append((year, i, j, "X", code, x, np.nan, x / uv[code]))
                    rows.append((year, j, i, "M", code, m, m, value / uv[code]))
    cols = ["year", "reporter", "partner", "flow", "product", "value_usd", "cif_usd", "net_kg"]
    return pd.DataFrame(rows, columns=cols), uv
