"""The generating model: traits, calibration, and flows one exporter-year at a time.

For exporter ``i``, importer ``j`` (``j ≠ i``), HS6 product ``k`` of chapter ``c`` and year
``t`` the expected log flow is

    m = x_i,t + n_j,t − δ·ln d_ij + a_ic,t + b_ik + e_jc + s_k,t

(``x``, ``n``: log mass plus export / import openness, growing by yearly lognormal shocks;
``d``: great-circle distance; ``a``: exporter advantage by chapter, a random walk over years;
``b``: exporter advantage by product; ``e``: importer demand by chapter; ``s``: product market
size with a trend). A latent ``L = m + σ(√λ·u + √(1−λ)·w_t)``, with ``u`` fixed and ``w_t`` an
AR(1) over years, decides whether the flow exists (``L > τ``): flows appear and cease. An
existing flow is worth ``K·exp(m + v + ε_t)`` US dollars, ``v`` a fixed value-only term and
``ε_t`` yearly noise. ``τ`` gives the spec's density (a quantile of ``L`` on a seeded sample
of a million cells) and ``K`` its total value (the sample's expected total), both computed
over the whole world whatever countries the spec keeps. Then :mod:`bilat.sample.shape` shifts
``x``, ``n`` and ``b`` of the profiled countries to their public facts (sizes of trade,
documented export headings) and the calibration runs again. A landlocked exporter's cells of
sea fish (HS 0302-0308) have ``m = −∞``: no flow (:mod:`bilat.sample.facts`).

Country traits are keyed by ISO numeric code and product traits by code, so one country or
product draws the same traits in every spec with the same seed. Cell terms are drawn from one
random stream per exporter-importer pair, so the flows between two countries are the same
whichever other countries a spec keeps.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bilat.sample.facts import (
    ANCHOR_YEAR,
    LANDLOCKED,
    PROFILES,
    SEA_FISH_HEADINGS,
    WORLD_EXPORTS_USD,
    expand,
)
from bilat.sample.shape import Shaping, normal_cdf, shape_levels
from bilat.sample.spec import (
    FIRST_YEAR,
    LAST_YEAR,
    SampleSpec,
    WorldCountry,
    hs6_universe,
    resolve_products,
    select_countries,
    world_countries,
)

__all__ = ["Block", "World", "blocks", "build_world"]

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
BOOL = npt.NDArray[np.bool_]

_N_YEARS = LAST_YEAR - FIRST_YEAR + 1
_N_CHAPTERS = 100
_EARTH_RADIUS_KM = 6371.0088
_MIN_DISTANCE_KM = 50.0
_CALIBRATION_CELLS = 1_000_000
_TREND_BASE_YEAR = 2010

# Random streams: each is a separate SeedSequence key after the seed.
_S_COUNTRY, _S_PRODUCT, _S_CELL, _S_CALIBRATE = 1, 2, 3, 5


@dataclass(frozen=True, slots=True)
class World:
    """Everything year- and cell-independent about a spec's world (arrays indexed by position).

    Attributes
    ----------
    spec
        The spec it was built from.
    countries
        Every country of the world, in BACI code order (traits and calibration cover them all).
    members
        Positions of the spec's countries in ``countries``: the flows generated are the whole
        world's flows among these.
    products
        HS6 codes, sorted.
    log_distance
        ``ln`` great-circle distance in km between country centroids, ``(n, n)``.
    export_level, import_level
        Log mass plus export / import openness for every year of 1990-2049, ``(n, years)``.
    chapter_advantage
        Exporter advantage by chapter for every year, ``(n, years, 100)``.
    product_advantage
        Exporter advantage by product, ``(n, p)``.
    demand
        Importer demand for each product's chapter, ``(n, p)``.
    product_size
        Product market size for every year, ``(years, p)``.
    log_unit_value
        Product median unit value, ``ln`` USD per ton, ``(p,)``.
    chapter_index
        HS chapter number of each product, ``(p,)``.
    landlocked
        Whether each country has no sea coast, ``(n,)``.
    sea_fish
        Whether each product is sea fish or seafood (HS 0302-0308), ``(p,)``: a landlocked
        exporter's cells of these carry no flow.
    threshold
        ``τ``: the latent level above which a flow exists.
    scale
        ``K``: US dollars per unit of ``exp(L)``.
    """

    spec: SampleSpec
    countries: tuple[WorldCountry, ...]
    members: I64
    products: tuple[str, ...]
    log_distance: F64
    export_level: F64
    import_level: F64
    chapter_advantage: F64
    product_advantage: F32
    demand: F32
    product_size: F64
    log_unit_value: F64
    chapter_index: I64
    landlocked: BOOL
    sea_fish: BOOL
    threshold: float
    scale: float


@dataclass(frozen=True, slots=True)
class Block:
    """The flows of one exporter in one year, sorted by importer (BACI order) then product.

    Attributes
    ----------
    year
        The year.
    exporter
        Position of the exporter in ``World.countries``.
    importer
        Positions of the importers.
    product
        Positions of the products in ``World.products``.
    value_usd
        Whole US dollars (at least 1), so thousands with three decimals are exact.
    quantity_kg
        Kilograms (at least 1), so tons with three decimals are exact; ``-1`` where missing.
    """

    year: int
    exporter: int
    importer: I64
    product: I64
    value_usd: F64
    quantity_kg: I64


def _distances(countries: tuple[WorldCountry, ...]) -> F64:
    lat = np.radians([c.lat for c in countries])
    lon = np.radians([c.lon for c in countries])
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    km = 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return np.asarray(np.log(np.maximum(km, _MIN_DISTANCE_KM)), dtype=np.float64)


def _country_traits(
    spec: SampleSpec, countries: tuple[WorldCountry, ...], universe_pos: I64, chapters: I64
) -> tuple[F64, F64, F64, F32, F32]:
    p = spec.params
    n = len(countries)
    export_level = np.empty((n, _N_YEARS))
    import_level = np.empty((n, _N_YEARS))
    chapter_adv = np.empty((n, _N_YEARS, _N_CHAPTERS))
    product_adv = np.empty((n, len(universe_pos)), dtype=np.float32)
    demand = np.empty((n, len(universe_pos)), dtype=np.float32)
    n_universe = len(hs6_universe())
    for pos, country in enumerate(countries):
        rng = np.random.default_rng([spec.seed, _S_COUNTRY, country.iso_numeric])
        proxy = p.mass_airports * np.log(country.airports) + p.mass_g20 * country.g20
        mass = proxy + p.mass_oecd * country.oecd + rng.normal(0.0, p.mass_sigma)
        open_x, open_m = rng.normal(0.0, p.openness_sigma, size=2)
        growth = np.cumsum(rng.normal(p.growth_mean, p.growth_sigma, size=_N_YEARS))
        export_level[pos] = mass + open_x + growth
        import_level[pos] = mass + open_m + growth
        base = rng.normal(0.0, p.chapter_sigma, size=_N_CHAPTERS)
        walk = np.cumsum(rng.normal(0.0, p.chapter_shock_sigma, size=(_N_YEARS, _N_CHAPTERS)), 0)
        chapter_adv[pos] = base[None, :] + walk
        wants = rng.normal(0.0, p.demand_sigma, size=_N_CHAPTERS)
        demand[pos] = wants[chapters]
        product_adv[pos] = rng.normal(0.0, p.product_sigma, size=n_universe)[universe_pos]
    return export_level, import_level, chapter_adv, product_adv, demand


def _product_traits(spec: SampleSpec, products: tuple[str, ...]) -> tuple[F64, F64]:
    p = spec.params
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1) - _TREND_BASE_YEAR
    size = np.empty((_N_YEARS, len(products)))
    unit_value = np.empty(len(products))
    for pos, code in enumerate(products):
        rng = np.random.default_rng([spec.seed, _S_PRODUCT, int(code)])
        level, trend = rng.normal(0.0, p.product_size_sigma), rng.normal(0.0, p.product_trend_sigma)
        size[:, pos] = level + trend * years
        unit_value[pos] = np.log(p.unit_value_usd_t) + rng.normal(0.0, p.unit_value_sigma)
    return size, unit_value


@functools.lru_cache(maxsize=8)
def build_world(spec: SampleSpec) -> World:
    """Draw the traits of a spec's world, calibrate ``τ`` and ``K``, shape it (cached)."""
    countries = world_countries()
    chosen = {c.iso3 for c in select_countries(spec)}
    members = np.array([k for k, c in enumerate(countries) if c.iso3 in chosen], dtype=np.int64)
    products = resolve_products(spec)
    index = {code: pos for pos, code in enumerate(hs6_universe())}
    universe_pos = np.array([index[c] for c in products], dtype=np.int64)
    chapters = np.array([int(c[:2]) for c in products], dtype=np.int64)
    ex, im, ch, pa_, dem = _country_traits(spec, countries, universe_pos, chapters)
    size, unit_value = _product_traits(spec, products)
    landlocked = np.array([c.iso3 in LANDLOCKED for c in countries], dtype=bool)
    sea_fish = np.array([c[:4] in SEA_FISH_HEADINGS for c in products], dtype=bool)
    world = World(
        spec, countries, members, products, _distances(countries), ex, im, ch, pa_, dem, size,
        unit_value, chapters, landlocked, sea_fish, threshold=0.0, scale=1.0,
    )  # fmt: skip
    # Calibrate, shape, calibrate again and shape again: the second shaping starts from the
    # first's levels, so it moves little and the density and total stay near the spec's.
    for rounds in (2, 1):
        threshold, scale = _calibrate(world)
        shaping = _shaping(world, threshold, scale)
        shape_levels(shaping, ex, im, ch, pa_, dem, world.log_distance, chapters, size, rounds)
    return World(
        spec, countries, members, products, world.log_distance, ex, im, ch, pa_, dem, size,
        unit_value, chapters, landlocked, sea_fish, threshold=threshold, scale=scale,
    )  # fmt: skip


def _shaping(world: World, threshold: float, scale: float) -> Shaping:
    """The facts as arrays: targets of profiled countries, their headings' product groups."""
    p, total = world.spec.params, world.spec.total_value_usd
    n = len(world.countries)
    export_target, import_target = np.full(n, np.nan), np.full(n, np.nan)
    groups: dict[int, list[tuple[I64, float]]] = {}
    codes = np.array(world.products)
    for pos, country in enumerate(world.countries):
        profile = PROFILES.get(country.iso3)
        if profile is None:
            continue
        export_target[pos] = profile.exports_bn * 1e9 / WORLD_EXPORTS_USD * total
        import_target[pos] = profile.imports_bn * 1e9 / WORLD_EXPORTS_USD * total
        found: list[tuple[I64, float]] = []
        for rank, heading in enumerate(profile.headings):
            hit = np.zeros(len(codes), dtype=bool)
            for prefix in expand(heading):
                hit |= np.char.startswith(codes, prefix)
            if world.landlocked[pos]:
                hit &= ~world.sea_fish
            if hit.any():
                found.append((np.flatnonzero(hit), p.profile_decay**rank))
        weight = sum(w for _idx, w in found)
        groups[pos] = [(idx, p.profile_share * w / weight) for idx, w in found]
    return Shaping(
        t=ANCHOR_YEAR - FIRST_YEAR, export_target=export_target, import_target=import_target,
        groups=groups, landlocked=world.landlocked, sea_fish=world.sea_fish,
        threshold=threshold, scale=scale, sigma=p.cell_sigma,
        noise=float(np.exp((p.measure_sigma**2 + p.value_sigma**2) / 2)),
        delta=p.distance_elasticity,
    )  # fmt: skip


def _mean_log(world: World, i: I64, j: I64, k: I64, year: int) -> F64:
    """``m`` for cells given as parallel position arrays (the calibration sample); ``−∞`` for
    the cells that carry no flow (a landlocked exporter's sea fish)."""
    t = year - FIRST_YEAR
    delta = world.spec.params.distance_elasticity
    barred = np.where(world.landlocked[i] & world.sea_fish[k], -np.inf, 0.0)
    return np.asarray(
        barred
        + world.export_level[i, t]
        + world.import_level[j, t]
        - delta * world.log_distance[i, j]
        + world.chapter_advantage[i, t, world.chapter_index[k]]
        + world.product_advantage[i, k]
        + world.demand[j, k]
        + world.product_size[t, k],
        dtype=np.float64,
    )


def _calibrate(world: World) -> tuple[float, float]:
    """``τ`` from the density and ``K`` from the total value, on a seeded sample of cells."""
    spec = world.spec
    n, p_count = len(world.countries), len(world.products)
    rng = np.random.default_rng([spec.seed, _S_CALIBRATE])
    size = _CALIBRATION_CELLS
    i = rng.integers(0, n, size=size)
    j = (i + rng.integers(1, n, size=size)) % n  # uniform over importers other than i
    k = rng.integers(0, p_count, size=size)
    m = _mean_log(world, i, j, k, spec.years[0])
    sigma = spec.params.cell_sigma
    latent = m + sigma * rng.standard_normal(size)
    threshold = float(np.quantile(latent, 1.0 - spec.density))
    # E[exp(m + value noise) 1{L > τ}] for L ~ N(m, σ²), over cells, times the cell count.
    per_cell = np.exp(m) * normal_cdf((m - threshold) / sigma)
    noise = np.exp((spec.params.measure_sigma**2 + spec.params.value_sigma**2) / 2)
    expected = float(per_cell.mean()) * noise * n * (n - 1) * p_count
    return threshold, spec.total_value_usd / expected


def _row_terms(world: World, exporter: int, year: int) -> tuple[F32, F32]:
    t = year - FIRST_YEAR
    delta = world.spec.params.distance_elasticity
    rows = world.export_level[exporter, t] + world.import_level[:, t]
    rows = rows - delta * world.log_distance[exporter]
    cols = (
        world.chapter_advantage[exporter, t, world.chapter_index]
        + world.product_advantage[exporter]
        + world.product_size[t]
    )
    return rows.astype(np.float32), cols.astype(np.float32)


def blocks(world: World, *, years: tuple[int, ...] | None = None) -> Iterator[Block]:
    """Flows exporter by exporter (BACI order), each exporter's years in order.

    Every exporter-importer pair draws from its own random stream, so the flows between two
    countries are the same whichever other countries the spec holds. ``years`` restricts
    which years are yielded; the AR(1) still runs from the spec's first year, so a year's
    flows do not depend on which years are asked for.
    """
    spec = world.spec
    wanted = set(spec.years if years is None else years)
    run = [y for y in spec.years if y <= max(wanted)]
    for exporter in world.members:
        importers = world.members[world.members != exporter]
        origin = world.countries[exporter].iso_numeric
        rngs = [
            np.random.default_rng([spec.seed, _S_CELL, origin, world.countries[j].iso_numeric])
            for j in importers
        ]
        state = _DyadState.start(world, rngs)
        for year in run:
            if year != spec.years[0]:
                state.step(world, rngs)
            block = _block(world, int(exporter), importers, year, state, rngs)
            if year in wanted:
                yield block


@dataclass(slots=True)
class _DyadState:
    """Per-cell random terms of one exporter's rows: fixed, AR(1) and value-only."""

    persistent: F32
    walk: F32
    size: F32

    @classmethod
    def start(cls, world: World, rngs: list[np.random.Generator]) -> _DyadState:
        p, count = world.spec.params, len(world.products)
        draws = np.empty((len(rngs), 3, count), dtype=np.float32)
        for row, rng in enumerate(rngs):
            rng.standard_normal((3, count), dtype=np.float32, out=draws[row])
        size = draws[:, 2] * np.float32(p.value_sigma)
        return cls(draws[:, 0], draws[:, 1].copy(), size)

    def step(self, world: World, rngs: list[np.random.Generator]) -> None:
        p, count = world.spec.params, len(world.products)
        shocks = np.empty_like(self.walk)
        for row, rng in enumerate(rngs):
            rng.standard_normal(count, dtype=np.float32, out=shocks[row])
        self.walk *= np.float32(p.cell_rho)
        self.walk += np.float32(np.sqrt(1 - p.cell_rho**2)) * shocks


def _block(
    world: World,
    exporter: int,
    importers: I64,
    year: int,
    state: _DyadState,
    rngs: list[np.random.Generator],
) -> Block:
    spec, p = world.spec, world.spec.params
    rows, cols = _row_terms(world, exporter, year)
    mean = world.demand[importers] + cols[None, :]
    mean += rows[importers][:, None]
    fixed, moving = np.sqrt(p.cell_persistence), np.sqrt(1 - p.cell_persistence)
    latent = np.float32(p.cell_sigma * fixed) * state.persistent
    latent += np.float32(p.cell_sigma * moving) * state.walk
    latent += mean
    if world.landlocked[exporter]:
        latent[:, world.sea_fish] = -np.inf
    flat = np.flatnonzero(latent > np.float32(world.threshold))
    local, product = np.divmod(flat, len(world.products))
    draws = _row_draws(local, rngs)
    level = mean.ravel()[flat].astype(np.float64) + state.size.ravel()[flat]
    value = world.scale * np.exp(level + p.measure_sigma * draws[0])
    value = np.maximum(np.rint(value), 1.0)
    unit_value = world.log_unit_value[product] + p.unit_value_sigma / 2 * draws[1]
    kg = np.maximum(np.rint(value / np.exp(unit_value) * 1000.0), 1.0).astype(np.int64)
    kg[draws[2] < spec.quantity_missing] = -1
    return Block(year, exporter, importers[local], product.astype(np.int64), value, kg)


def _row_draws(local: I64, rngs: list[np.random.Generator]) -> F64:
    """Value noise, unit-value noise and a uniform (for missing quantities) per flow."""
    out = np.empty((3, len(local)))
    bounds = np.searchsorted(local, np.arange(len(rngs) + 1))
    for row, rng in enumerate(rngs):
        lo, hi = bounds[row], bounds[row + 1]
        if hi > lo:
            out[:2, lo:hi] = rng.standard_normal((2, hi - lo))
            out[2, lo:hi] = rng.random(hi - lo)
    return out
