"""A generated world of bilateral trade for the demo, the tests and the benchmarks.

Real BACI and Comtrade files cannot ship with bilat, so the demo runs on flows generated
from a gravity model: real ISO3 countries and HS 2022 subheadings, heavy-tailed country
sizes, distance between real places, product specialisation, year-to-year noise, products
appearing and ceasing. The same :class:`SampleSpec` (and seed) always gives the same flows.
None of it is real or calibrated to any real figure: every output built on it must show
:data:`SYNTHETIC_BANNER`. See ``docs/sample.md``.
"""

from __future__ import annotations

from bilat.sample.output import (
    SOURCE,
    SYNTHETIC_BANNER,
    SampleLake,
    baci_file_name,
    build_sample_lake,
    generate,
    generate_table,
    write_baci_csv,
)
from bilat.sample.spec import (
    HS_REV,
    PRESETS,
    GravityParams,
    Preset,
    SampleSpec,
    WorldCountry,
    hs6_universe,
    preset,
    resolve_products,
    world_countries,
)

__all__ = [
    "HS_REV",
    "PRESETS",
    "SOURCE",
    "SYNTHETIC_BANNER",
    "GravityParams",
    "Preset",
    "SampleLake",
    "SampleSpec",
    "WorldCountry",
    "baci_file_name",
    "build_sample_lake",
    "generate",
    "generate_table",
    "hs6_universe",
    "preset",
    "resolve_products",
    "world_countries",
    "write_baci_csv",
]
