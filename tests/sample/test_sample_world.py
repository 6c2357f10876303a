"""The generated world: determinism, schema, density, gravity shape, tails, dynamics."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bilat.sample.model
import bilat.sample.spec
from bilat.codes.baskets import load_baskets
from bilat.errors import InputError, UnknownCodeError
from bilat.sample import (
    HS_REV,
    SampleSpec,
    generate,
    generate_table,
    hs6_universe,
    preset,
    resolve_products,
    world_countries,
)
from bilat.sources.schema import FLOW_SCHEMA


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2  # fmt: skip
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# ---- the world ---------------------------------------------------------------------------


def test_world_has_about_220_real_countries_with_unique_codes() -> None:
    world = world_countries()
    iso3 = [c.iso3 for c in world]
    assert 210 <= len(world) <= 230
    assert {"BLR", "KAZ", "CHN", "DEU", "USA", "GBR", "GRC"} <= set(iso3)
    assert len(set(iso3)) == len(iso3)
    assert len({c.baci_code for c in world}) == len(world)
    by = {c.iso3: c for c in world}
    assert (by["BLR"].iso_numeric, by["KAZ"].iso_numeric) == (112, 398)
    assert (by["FRA"].baci_code, by["USA"].baci_code, by["FRA"].iso_numeric) == (251, 842, 250)


def test_centroids_put_countries_where_they_are() -> None:
    by = {c.iso3: c for c in world_countries()}
    # Minsk is at 53.9N 27.6E, Astana 51.2N 71.4E: airport centroids are within a few degrees.
    assert abs(by["BLR"].lat - 53.9) < 3 and abs(by["BLR"].lon - 27.6) < 3
    assert abs(by["KAZ"].lat - 51.2) < 5 and abs(by["KAZ"].lon - 71.4) < 5
    assert abs(by["FJI"].lon) > 170  # a country across the antimeridian stays there


@pytest.mark.shared
def test_centroid_distances_track_cepii_capital_distances(shared_data: Path) -> None:
    import csv
    import gzip

    by = {c.iso3: c for c in world_countries()}
    ours, cepii = [], []
    with gzip.open(shared_data / "geo" / "dist_cepii.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            a, b = row["iso_o"], row["iso_d"]
            if a < b and a in by and b in by:
                ours.append(_haversine_km((by[a].lat, by[a].lon), (by[b].lat, by[b].lon)))
                cepii.append(float(row["distcap"]))
    x, y = np.log(np.maximum(ours, 50.0)), np.log(np.maximum(cepii, 50.0))
    assert len(ours) > 15_000
    assert np.corrcoef(x, y)[0, 1] > 0.9
    blr_kaz = _haversine_km((by["BLR"].lat, by["BLR"].lon), (by["KAZ"].lat, by["KAZ"].lon))
    assert 2_000 < blr_kaz < 4_000  # CEPII: 2,945 km between the capitals


def test_products_are_real_hs2022_subheadings() -> None:
    universe = hs6_universe()
    assert len(universe) > 5_000
    codes = resolve_products(preset("benchmark"))
    assert len(codes) == 5_000
    assert set(codes) <= set(universe)
    assert all(len(c) == 6 and c.isdigit() for c in codes)


def test_presets_hold_every_shipped_basket() -> None:
    products = resolve_products(preset("demo"))
    assert products == resolve_products(preset("benchmark"))
    assert len(products) == 5_000
    for name, basket in load_baskets().items():
        assert any(basket.matches(p) for p in products), name


def test_demo_is_the_dyad_and_its_documented_partners() -> None:
    from bilat.sample.facts import DEMO_COUNTRIES

    demo = preset("demo")
    assert demo.countries is not None and len(demo.countries) == 24
    assert demo.countries == DEMO_COUNTRIES == tuple(sorted(DEMO_COUNTRIES))
    assert {"BLR", "KAZ", "RUS", "CHN", "UKR", "POL", "LTU", "UZB", "KGZ"} <= set(demo.countries)
    assert "USA" not in demo.countries  # the dyad's partners and region, not the world
    assert demo.with_(countries=None) == preset("benchmark").with_(years=demo.years)


def test_model_never_names_belarus_or_kazakhstan() -> None:
    text = Path(str(bilat.sample.model.__file__)).read_text("utf-8")
    assert "BLR" not in text and "KAZ" not in text
    assert not any("blr" in f or "kaz" in f for f in bilat.sample.spec.GravityParams.__slots__)


# ---- determinism and schema ----------------------------------------------------------------


def test_same_seed_same_flows_other_seed_other_flows(
    small_spec: SampleSpec, small_table: pa.Table
) -> None:
    again = generate_table(small_spec)
    assert again.equals(small_table)
    few = small_spec.with_(countries=("BLR", "KAZ", "POL", "CHN", "DEU", "IND"))
    one, other = generate_table(few), generate_table(few.with_(seed=8))
    assert one.num_rows > 0 and not other.equals(one)
    assert other.num_rows != one.num_rows or not np.array_equal(
        other.column("value_usd").to_numpy(), one.column("value_usd").to_numpy()
    )


def test_schema_and_constant_columns(small_table: pa.Table) -> None:
    t = small_table
    assert t.schema == FLOW_SCHEMA
    assert pc.unique(t.column("source")).to_pylist() == ["synthetic"]
    assert pc.unique(t.column("basis")).to_pylist() == ["reconciled"]
    assert pc.unique(t.column("hs_rev")).to_pylist() == [HS_REV]
    assert sorted(pc.unique(t.column("year")).to_pylist()) == [2019, 2020, 2021]
    has_q = pc.is_valid(t.column("quantity"))
    assert pc.all(pc.equal(pc.is_valid(t.column("quantity_unit")), has_q)).as_py()
    assert pc.unique(pc.drop_null(t.column("quantity_unit"))).to_pylist() == ["t"]
    missing = 1 - pc.mean(pc.cast(has_q, pa.int8())).as_py()
    assert 0.003 < missing < 0.03  # spec: 1% of quantities are NA
    value = t.column("value_usd").to_numpy()
    assert value.min() >= 1 and np.array_equal(value, np.rint(value))
    assert not pc.any(pc.equal(t.column("exporter"), t.column("importer"))).as_py()


def test_each_cell_appears_once(small_table: pa.Table) -> None:
    keys = small_table.group_by(["year", "exporter", "importer", "product"]).aggregate([])
    assert keys.num_rows == small_table.num_rows


def test_density_gives_the_row_count(small_spec: SampleSpec, small_table: pa.Table) -> None:
    n = len(world_countries())
    cells = n * (n - 1) * 60
    first = pc.sum(pc.equal(small_table.column("year"), 2019)).as_py()
    assert 0.9 * 0.05 * cells < first < 1.1 * 0.05 * cells


def test_benchmark_preset_is_a_baci_sized_year() -> None:
    spec = preset("benchmark")
    n = len(world_countries())
    expected_rows = spec.density * n * (n - 1) * 5_000
    assert 10.5e6 < expected_rows < 11.5e6
    assert spec.years == (2021,)


def test_total_value_sets_the_scale_and_nothing_else() -> None:
    spec = SampleSpec(seed=3, countries=("BLR", "KAZ", "POL", "CHN", "DEU"), products=80)
    base = generate_table(spec)
    double = generate_table(spec.with_(total_value_usd=2 * spec.total_value_usd))
    assert double.num_rows == base.num_rows > 0
    ratio = double.column("value_usd").to_numpy() / base.column("value_usd").to_numpy()
    big = base.column("value_usd").to_numpy() > 1_000
    assert np.allclose(ratio[big], 2.0, rtol=1e-3)


# ---- economics -----------------------------------------------------------------------------


def _dyad_totals(table: pa.Table, year: int) -> tuple[list[str], list[str], np.ndarray]:
    t = table.filter(pc.equal(table.column("year"), year))
    g = t.group_by(["exporter", "importer"]).aggregate([("value_usd", "sum")])
    return (
        g.column("exporter").to_pylist(),
        g.column("importer").to_pylist(),
        g.column("value_usd_sum").to_numpy(),
    )


def test_gravity_shape_holds(small_table: pa.Table) -> None:
    """Log dyad totals on log exporter, importer totals and log distance (computed here)."""
    ex, im, value = _dyad_totals(small_table, 2021)
    by = {c.iso3: c for c in world_countries()}
    out_tot: dict[str, float] = {}
    in_tot: dict[str, float] = {}
    for e, i, v in zip(ex, im, value, strict=True):
        out_tot[e] = out_tot.get(e, 0.0) + v
        in_tot[i] = in_tot.get(i, 0.0) + v
    dist = [_haversine_km((by[e].lat, by[e].lon), (by[i].lat, by[i].lon)) for e, i in zip(ex, im, strict=True)]  # fmt: skip
    x = np.column_stack(
        [
            np.ones(len(ex)),
            np.log([out_tot[e] for e in ex]),
            np.log([in_tot[i] for i in im]),
            np.log(np.maximum(dist, 50.0)),
        ]
    )
    beta, *_ = np.linalg.lstsq(x, np.log(value), rcond=None)
    assert len(ex) > 20_000
    assert 0.3 < beta[1] < 1.5 and 0.3 < beta[2] < 1.5
    assert -1.6 < beta[3] < -0.5

    # With exporter and importer fixed effects (within transformation by alternating
    # projections), the distance slope stays negative.
    e_codes = np.unique(ex, return_inverse=True)[1]
    i_codes = np.unique(im, return_inverse=True)[1]

    def within(v: np.ndarray) -> np.ndarray:
        out = v.copy()
        for _ in range(200):
            out -= (np.bincount(e_codes, out) / np.bincount(e_codes))[e_codes]
            out -= (np.bincount(i_codes, out) / np.bincount(i_codes))[i_codes]
        return out

    y, d = within(np.log(value)), within(x[:, 3])
    assert -1.6 < float(d @ y / (d @ d)) < -0.5


def test_values_are_heavy_tailed(small_table: pa.Table) -> None:
    t = small_table.filter(pc.equal(small_table.column("year"), 2021))
    v = np.sort(t.column("value_usd").to_numpy())[::-1]
    assert v[: len(v) // 100].sum() / v.sum() > 0.4  # top 1% of flows
    assert v.mean() / np.median(v) > 10
    exports = np.sort(
        t.group_by("exporter").aggregate([("value_usd", "sum")]).column(1).to_numpy()
    )[::-1]
    assert exports[: len(exports) // 10].sum() / exports.sum() > 0.5  # top 10% of exporters


def test_flows_appear_and_cease_but_mostly_persist(small_table: pa.Table) -> None:
    def cells(year: int) -> set[tuple[str, str, str]]:
        t = small_table.filter(pc.equal(small_table.column("year"), year))
        cols = [t.column(c).to_pylist() for c in ("exporter", "importer", "product")]
        return set(zip(*cols, strict=True))

    a, b = cells(2020), cells(2021)
    kept = len(a & b) / len(a)
    assert 0.4 < kept < 0.95
    assert len(b - a) > 0.05 * len(b)  # new flows
    assert len(a - b) > 0.05 * len(a)  # ceased flows


def test_values_move_year_to_year_without_jumping_wildly(small_table: pa.Table) -> None:
    totals = small_table.group_by("year").aggregate([("value_usd", "sum")]).sort_by("year")
    v = totals.column("value_usd_sum").to_numpy()
    growth = v[1:] / v[:-1]
    assert np.all(growth != 1.0)
    assert np.all((growth > 0.6) & (growth < 1.7))


# ---- validation ----------------------------------------------------------------------------


def test_unknown_country_is_named() -> None:
    with pytest.raises(UnknownCodeError, match="XYZ"):
        list(generate(SampleSpec(countries=("BLR", "XYZ"), products=5)))


def test_unknown_product_is_named() -> None:
    with pytest.raises(UnknownCodeError, match="7777"):
        list(generate(SampleSpec(countries=("BLR", "KAZ"), products=("7777",))))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"years": (2020, 2022)}, "years"),
        ({"years": (1980,)}, "years"),
        ({"density": 0.0}, "density"),
        ({"total_value_usd": -1.0}, "total_value_usd"),
        ({"products": 0}, "products"),
        ({"seed": -3}, "seed"),
        ({"countries": ("BLR",)}, "countries"),
    ],
)
def test_bad_spec_fields_are_refused(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InputError, match=f"{field}="):
        SampleSpec(**changes)  # type: ignore[arg-type]


def test_unknown_preset_lists_the_presets() -> None:
    with pytest.raises(InputError, match="demo, benchmark"):
        preset("huge")


def test_years_outside_the_spec_are_refused(small_spec: SampleSpec) -> None:
    with pytest.raises(InputError, match="2019-2021"):
        list(generate(small_spec, years=(2018,)))


def test_a_country_subset_is_an_exact_restriction_of_the_world(
    small_spec: SampleSpec, small_table: pa.Table
) -> None:
    codes = ("BLR", "KAZ", "POL", "CHN", "FJI", "USA")
    part = generate_table(small_spec.with_(countries=codes))
    mask = pc.and_(
        pc.is_in(small_table.column("exporter"), pa.array(codes)),
        pc.is_in(small_table.column("importer"), pa.array(codes)),
    )
    assert part.num_rows > 100
    assert part.equals(small_table.filter(mask))


def test_one_year_of_a_spec_equals_that_year_of_all_years(small_spec: SampleSpec) -> None:
    part = small_spec.with_(countries=tuple(c.iso3 for c in world_countries()[::10]))
    every = generate_table(part)
    one = generate_table(part, years=(2020,))
    assert one.num_rows > 0
    assert one.equals(every.filter(pc.equal(every.column("year"), 2020)))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    k=st.integers(2, 8),
    products=st.integers(1, 40),
    density=st.floats(0.01, 0.5),
)
def test_any_small_world_keeps_the_invariants(
    seed: int, k: int, products: int, density: float
) -> None:
    codes = tuple(c.iso3 for c in world_countries()[::20][:k])
    spec = SampleSpec(
        seed=seed, years=(2020, 2021), countries=codes, products=products, density=density
    )
    t = generate_table(spec)
    assert t.schema == FLOW_SCHEMA
    assert set(t.column("exporter").to_pylist()) <= set(codes)
    assert not pc.any(pc.equal(t.column("exporter"), t.column("importer"))).as_py() or not t.num_rows  # fmt: skip
    assert t.group_by(["year", "exporter", "importer", "product"]).aggregate([]).num_rows == t.num_rows  # fmt: skip
    assert t.equals(generate_table(spec.with_(total_value_usd=spec.total_value_usd)))


def test_in_the_demo_belarus_and_kazakhstan_trade_both_ways_every_year() -> None:
    # A country subset is an exact restriction, so the pair alone shows the demo's flows.
    demo = preset("demo")
    pair = generate_table(demo.with_(countries=("BLR", "KAZ")))
    for exporter in ("BLR", "KAZ"):
        rows = pair.filter(pc.equal(pair.column("exporter"), exporter))
        years = set(rows.column("year").to_pylist())
        assert years == set(demo.years), exporter
        assert rows.num_rows > 10 * len(demo.years)
