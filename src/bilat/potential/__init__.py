"""Potential: gravity (the textbook PPML, or any specification), general-equilibrium
scenarios and product-level export potential.

>>> from bilat.potential import estimate, read_panel, market_potential   # doctest: +SKIP
>>> fit = estimate(read_panel("panel.csv"), small_sample="stata")       # doctest: +SKIP
>>> estimate(read_table("trade.dta"), formula="trade ~ log(dist) | exporter^year + importer^year",
...          vcov="cluster:pair_id")                                     # doctest: +SKIP
>>> fit.dyad("BLR", "KAZ").gap_usd                                       # doctest: +SKIP
>>> market_potential(lake, "BLR", "KAZ", year=2021).top(20)             # doctest: +SKIP
"""

from __future__ import annotations

from bilat.potential.gravity import (
    Coefficient,
    DyadGravity,
    GravityConfig,
    GravityFit,
    estimate,
)
from bilat.potential.panel import (
    join_covariates,
    join_geodist,
    panel_from_flows,
    read_geodist,
    read_panel,
    read_table,
)
from bilat.potential.products import (
    ExportPotential,
    ProductPotential,
    export_potential,
    market_potential,
)
from bilat.potential.run import GravityRun, run_gravity
from bilat.potential.scenario import ScenarioResult, run_scenario
from bilat.potential.section import PotentialSection, potential_section

__all__ = [
    "Coefficient",
    "DyadGravity",
    "ExportPotential",
    "GravityConfig",
    "GravityFit",
    "GravityRun",
    "PotentialSection",
    "ProductPotential",
    "ScenarioResult",
    "estimate",
    "export_potential",
    "join_covariates",
    "join_geodist",
    "market_potential",
    "panel_from_flows",
    "potential_section",
    "read_geodist",
    "read_panel",
    "read_table",
    "run_gravity",
    "run_scenario",
]
