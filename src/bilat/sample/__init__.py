"""A generated world of bilateral trade for the demo, the tests and the benchmarks.

Real BACI and Comtrade files cannot ship with bilat, so the demo runs on flows generated
from a gravity model: real ISO3 countries and HS 2022 subheadings, heavy-tailed country
sizes, distance between real places, product specialisation, year-to-year noise, products
appearing and ceasing. Its structure follows public facts (:mod:`bilat.sample.facts`):
landlocked countries export no sea fish, profiled countries' totals are of the order of their
real trade and their exports concentrated in the headings they are known for. The same
:class:`SampleSpec` (and seed) always gives the same flows. No flow is real and nothing is
tuned to a claim: every output built on it must show :data:`SYNTHETIC_BANNER`, and
:func:`compare_with_real` says how far the demo is from the real figures. See
``docs/sample.md``.
"""

from __future__ import annotations

from bilat.sample.facts import LANDLOCKED, PROFILES, REAL_TURNOVER, CountryProfile, RealFigure
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
from bilat.sample.reality import RealityCheck, compare_with_real
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
    "LANDLOCKED",
    "PRESETS",
    "PROFILES",
    "REAL_TURNOVER",
    "SOURCE",
    "SYNTHETIC_BANNER",
    "CountryProfile",
    "GravityParams",
    "Preset",
    "RealFigure",
    "RealityCheck",
    "SampleLake",
    "SampleSpec",
    "WorldCountry",
    "baci_file_name",
    "build_sample_lake",
    "compare_with_real",
    "generate",
    "generate_table",
    "hs6_universe",
    "preset",
    "resolve_products",
    "world_countries",
    "write_baci_csv",
]
