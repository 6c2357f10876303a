"""Economic complexity against the Growth Lab's ``ecomplexity`` (the reference, dev extra).

Worlds here are SYNTHETIC (seeded random matrices, labelled); the real case is the shared
Comtrade file's EU27 import matrix (importer × HS4 product, one year), skipped when
``../shared`` is absent.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from bilat.codes.countries import COMTRADE_AREAS
from bilat.errors import InputError, NotFoundError
from bilat.potential.complexity import complexity

ecomplexity = pytest.importorskip("ecomplexity").ecomplexity
TOL = 1e-6
COLS = {"time": "year", "loc": "country", "prod": "product", "val": "value"}


def synthetic_world(countries: int, products: int, seed: int, fill: float = 0.5) -> pd.DataFrame:
    """SYNTHETIC: log-normal exports, a share ``fill`` of the cells non-zero."""
    rng = np.random.default_rng(seed)
    x = rng.lognormal(10, 2, (countries, products)) * (rng.random((countries, products)) < fill)
    c, p = np.nonzero(x)
    return pd.DataFrame({
        "year": 2020,
        "country": [f"C{i:03d}" for i in c],
        "product": [f"{1000 + j}" for j in p],
        "value": x[c, p],
    })  # fmt: skip


def reference(frame: pd.DataFrame, **options: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ecomplexity(frame, COLS, check_logsupermodularity=False, verbose=False, **options)
    return out.dropna(subset=["mcp"])


def ours_long(cx) -> pd.DataFrame:
    cells = cx.cells()
    cells = cells.merge(cx.countries[["country", "eci", "coi", "diversity"]], on="country")
    return cells.merge(cx.products[["product", "pci", "ubiquity"]], on="product")


def assert_same(cx, ref: pd.DataFrame, names=("eci", "pci", "density", "coi", "cog")) -> None:
    ours = ours_long(cx)
    both = ours.merge(ref, on=["country", "product"], suffixes=("", "_ref"))
    assert len(both) == len(ours) == len(ref)
    for name in names:
        np.testing.assert_allclose(both[name], both[f"{name}_ref"], atol=TOL, rtol=0, err_msg=name)
    np.testing.assert_allclose(both["distance"], 1 - both["density_ref"], atol=TOL, rtol=0)
    assert (both["mcp"] == both["mcp_ref"]).all()
    assert (both["diversity"] == both["diversity_ref"]).all()
    assert (both["ubiquity"] == both["ubiquity_ref"]).all()


@pytest.mark.parametrize(("countries", "products"), [(30, 150), (80, 25)])
def test_random_world_equals_ecomplexity(countries, products):
    # more products than countries, and fewer: both eigen spaces
    frame = synthetic_world(countries, products, seed=countries)
    cx = complexity(frame, year=2020)
    assert_same(cx, reference(frame))
    np.testing.assert_allclose(cx.cells()["rca"], reference(frame).sort_values(["country", "product"])["rca"], atol=TOL)  # fmt: skip


def test_threshold_and_continuous_equal_ecomplexity():
    frame = synthetic_world(40, 90, seed=7, fill=0.8)
    assert_same(
        complexity(frame, year=2020, rca_threshold=0.8), reference(frame, rca_mcp_threshold=0.8)
    )
    assert_same(complexity(frame, year=2020, continuous=True), reference(frame, continuous=True))  # fmt: skip


def test_rpop_equals_ecomplexity():
    frame = synthetic_world(30, 60, seed=3, fill=0.7)
    rng = np.random.default_rng(5)
    pop = pd.DataFrame({"year": 2020, "country": sorted(frame["country"].unique())})
    pop["population"] = rng.lognormal(15, 1, len(pop))
    cx = complexity(frame, year=2020, presence="rpop", population=pop)
    assert_same(cx, reference(frame, presence_test="rpop", pop=pop))
    assert cx.cells()["rpop"].notna().all()


def test_eu27_import_matrix_equals_ecomplexity(comtrade_eu_raw):
    raw = comtrade_eu_raw
    raw = raw[(raw["refYear"] == 2021) & (raw["cmdCode"].str.len() == 4)]
    raw = raw[~raw["partnerISO"].isin(list(COMTRADE_AREAS))]
    frame = (
        raw.groupby(["refYear", "reporterISO", "cmdCode"], as_index=False)["primaryValue"].sum()
        .rename(columns={"refYear": "year", "reporterISO": "country", "cmdCode": "product",
                         "primaryValue": "value"})
    )  # fmt: skip
    assert frame["country"].nunique() == 27
    cx = complexity(frame, year=2021, level=4)
    assert cx.n_countries == 27 and not cx.notes
    assert_same(cx, reference(frame))


def test_a_country_with_no_product_over_the_threshold():
    frame = synthetic_world(25, 60, seed=11)
    flat = frame.groupby("product", as_index=False)["value"].sum().assign(year=2020, country="FLAT")
    frame = pd.concat([frame, flat.assign(value=flat["value"] * 1e-3)], ignore_index=True)
    cx = complexity(frame, year=2020, rca_threshold=1.3)
    row = cx.countries.set_index("country").loc["FLAT"]
    assert row["diversity"] == 0 and np.isnan(row["eci"])
    # the reference for the others: ecomplexity on the same M given as it is ("manual")
    m = cx.cells()[["country", "product", "mcp"]].rename(columns={"mcp": "value"})
    ref = reference(m.assign(year=2020, value=m["value"].astype(float)), presence_test="manual")
    ours = ours_long(cx)
    both = ours.merge(ref, on=["country", "product"], suffixes=("", "_ref"))
    assert set(both["country"]) == set(cx.countries["country"]) - {"FLAT"}
    for name in ("eci", "pci", "density", "cog"):
        np.testing.assert_allclose(both[name], both[f"{name}_ref"], atol=TOL, rtol=0)


def test_disconnected_components_have_no_eci():
    a, b = synthetic_world(10, 20, seed=1, fill=0.9), synthetic_world(10, 20, seed=2, fill=0.9)
    b = b.assign(country="D" + b["country"], product="9" + b["product"])
    frame = pd.concat([a, b], ignore_index=True)
    cx = complexity(frame, year=2020)
    assert cx.countries["eci"].isna().all() and cx.products["pci"].isna().all()
    assert any("unconnected" in n for n in cx.notes)
    ref = reference(frame)  # the eigenvector is arbitrary there; density is not
    both = cx.cells().merge(ref, on=["country", "product"], suffixes=("", "_ref"))
    np.testing.assert_allclose(both["density"], both["density_ref"], atol=TOL, rtol=0)
    assert cx.to_dict()["top_countries"][0]["eci"] is None


def test_a_single_product():
    frame = pd.DataFrame({"country": ["A", "B", "C"], "product": "0101", "value": [1.0, 2.0, 3.0]})
    cx = complexity(frame, year=2020)
    assert cx.n_products == 1 and cx.countries["eci"].isna().all()
    assert cx.notes and "at least two" in cx.notes[0]
    assert (cx.cells()["mcp"] == 1).all()


def test_document_lists_top_rows_and_the_focus_country():
    frame = synthetic_world(30, 80, seed=4)
    cx = complexity(frame, year=2020, country="c005", top=4)
    doc = cx.to_dict()
    assert [r["country"] for r in doc["top_countries"]] == list(cx.countries["country"][:4])
    assert doc["country"]["country"] == "C005"
    ranks = cx.countries.reset_index()
    assert doc["country"]["eci_rank"] == int(ranks.index[ranks["country"] == "C005"][0]) + 1
    near = doc["nearby_products"]
    assert len(near) == 4 and all(r["rca"] < 1 for r in near)
    assert [r["density"] for r in near] == sorted((r["density"] for r in near), reverse=True)
    assert cx.to_arrow("C005").num_rows == cx.n_products
    assert len(cx.cells()) == cx.n_countries * cx.n_products


def test_floors_leave_countries_and_products_out():
    frame = synthetic_world(30, 80, seed=9)
    totals = frame.groupby("country")["value"].sum()
    floor = float(totals.median())
    cx = complexity(frame, year=2020, min_exports=floor)
    assert set(cx.countries["country"]) == set(totals[totals >= floor].index)
    kept = frame[frame["country"].isin(totals[totals >= floor].index)]
    assert_same(cx, reference(kept))
    pop = {c: (5e5 if c < "C010" else 5e6) for c in totals.index}
    small = complexity(frame, year=2020, population=pop, min_population=1e6)
    assert set(small.countries["country"]) == {c for c in totals.index if c >= "C010"}


@pytest.mark.parametrize("which", ["demo_lake_2021", "comtrade_eu_lake"])
def test_lake_reads_the_believed_flows(which, request):
    from bilat.potential.panel import believed_flows, drop_areas

    lake = request.getfixturevalue(which)
    t = drop_areas(believed_flows(lake, level=4, years=[2021]))
    flows = t.to_pandas()
    flows = flows[flows["exporter"] != flows["importer"]]
    frame = (
        flows.groupby(["year", "exporter", "product"], as_index=False)["value_usd"].sum()
        .rename(columns={"exporter": "country", "value_usd": "value"})
    )  # fmt: skip
    cx = complexity(lake, year=2021, level=4)
    if which == "demo_lake_2021":
        assert cx.synthetic and "reconciled" in cx.sources
    else:  # the partners of EU27 importers, as the importers declare them
        assert not cx.synthetic and set(cx.sources) == {"importer"}
    assert_same(cx, reference(frame))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"rca_threshold": 0}, "rca_threshold"),
        ({"presence": "both"}, "presence"),
        ({"presence": "rpop"}, "population"),
        ({"min_population": 1e6}, "population"),
        ({"level": 3}, "level"),
        ({"min_exports": -1.0}, "min_exports"),
    ],
)
def test_bad_options_are_refused(options, message):
    frame = synthetic_world(5, 8, seed=1)
    with pytest.raises(InputError, match=message):
        complexity(frame, year=2020, **options)


def test_bad_tables_are_refused():
    frame = synthetic_world(5, 8, seed=1)
    with pytest.raises(InputError, match="non-negative"):
        complexity(frame.assign(value=-frame["value"]), year=2020)
    with pytest.raises(InputError, match="no country or exporter column"):
        complexity(frame.drop(columns="country"), year=2020)
    with pytest.raises(NotFoundError, match="2019"):
        complexity(frame, year=2019)
    with pytest.raises(NotFoundError, match="not among"):
        complexity(frame, year=2020, country="ZZZ")
    with pytest.raises(InputError, match="reads a Lake"):
        complexity([1, 2, 3], year=2020)


@pytest.fixture(scope="module")
def demo_lake_2021(tmp_path_factory):
    """The SYNTHETIC demo world (2019-2021) in a real lake."""
    from bilat.lake import Lake
    from bilat.sample import build_sample_lake, preset

    lake = Lake.open(tmp_path_factory.mktemp("cx") / "lake", create=True)
    build_sample_lake(lake, preset("demo").with_(years=(2019, 2020, 2021)))
    return lake


def test_cli_text_and_flags(cli, demo_lake_2021):
    lake = str(demo_lake_2021.root)
    out = cli(
        "potential",
        "complexity",
        "--year",
        "2021",
        "--country",
        "BLR",
        "--top",
        "3",
        "--lake",
        lake,
    )
    assert out.exit_code == 0, out.stderr
    cx = complexity(demo_lake_2021, year=2021, country="BLR")
    rank = int(cx.countries.index[cx.countries["country"] == "BLR"][0]) + 1
    assert f"rank {rank} of {cx.n_countries}" in out.stdout and "SYNTHETIC" in out.stderr
    out = cli(
        "potential", "promising", "BLR", "KAZ", "--year", "2021", "--top", "3", "--lake", lake
    )
    assert out.exit_code == 0 and "Promising products, by imports" in out.stdout
    bad = cli("potential", "complexity", "--year", "2021", "--presence", "rpop", "--lake", lake)
    assert bad.exit_code == 2 and "population" in bad.stderr


def test_population_file(tmp_path):
    frame = synthetic_world(12, 30, seed=8, fill=0.7)
    codes = sorted(frame["country"].unique())
    pops = {c: 1e6 * (k + 1) for k, c in enumerate(codes)}
    path = tmp_path / "pop.csv"
    pd.DataFrame({"iso3": codes, "population": list(pops.values())}).to_csv(path, index=False)
    from_file = complexity(frame, year=2020, presence="rpop", population=path)
    from_map = complexity(frame, year=2020, presence="rpop", population=pops)
    pd.testing.assert_frame_equal(from_file.countries, from_map.countries)
    path.write_text("iso3,population\nC000,-5\n")
    with pytest.raises(InputError, match="positive"):
        complexity(frame, year=2020, presence="rpop", population=path)


def test_flows_frame_leaves_out_areas_domestic_rows_and_other_years():
    base = synthetic_world(10, 20, seed=12, fill=0.8)
    rng = np.random.default_rng(0)
    partners = np.array(["C000", "C001", "W00", "C005"])
    flows = base.rename(columns={"country": "exporter", "value": "value_usd"}).assign(
        importer=rng.choice(partners, len(base))
    )
    extra = flows.head(30).assign(year=2019)
    world = flows.head(5).assign(exporter="W00")
    full = pd.concat([flows, extra, world], ignore_index=True)
    kept = flows[(flows["importer"] != "W00") & (flows["importer"] != flows["exporter"])]
    expected = kept.rename(columns={"exporter": "country", "value_usd": "value"})
    expected = expected.groupby(["year", "country", "product"], as_index=False)["value"].sum()
    cx = complexity(full, year=2020)
    assert "W00" not in set(cx.countries["country"])
    assert_same(cx, reference(expected))
