"""CIF/FOB margins on BACI's regressors: a SYNTHETIC world with known coefficients, and real
declarations (Thailand's crustaceans) against independent computations (numpy, pyfixest)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.reconcile.synthetic import BACI_TRUE, make_baci

from bilat.errors import InputError
from bilat.lake import Lake
from bilat.reconcile import fit_margins, mirror_pairs, reconcile, unit_values, with_distances
from bilat.sources.geodist import read_geo_countries

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def countries(shared_data: Path) -> pd.DataFrame:
    return read_geo_countries(shared_data / "geo" / "geo_cepii.csv")


@pytest.fixture(scope="module")
def world(geo: pd.DataFrame, countries: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, float]]:
    flags = dict(zip(countries["country"], countries["landlocked"], strict=True))
    return make_baci(geo, flags)


def test_geo_countries_are_read_as_pandas_reads_them(shared_data: Path) -> None:
    path = shared_data / "geo" / "geo_cepii.csv"
    ours = read_geo_countries(path).set_index("country")["landlocked"]
    raw = pd.read_csv(path, dtype={"iso3": str}).drop_duplicates("iso3").set_index("iso3")
    assert ours.loc[["KAZ", "AFG", "AUT"]].tolist() == [1.0, 1.0, 1.0]
    assert ours.loc[["DEU", "CHN"]].tolist() == [0.0, 0.0]
    # CEPII's file has Belarus as not landlocked (it is): read as given, documented
    assert ours.loc["BLR"] == 0.0
    common = ours.index.intersection(raw.index)
    assert len(common) >= 215
    assert (ours.loc[common] == raw.loc[common, "landlocked"]).all()
    with pytest.raises(InputError, match="does not exist"):
        read_geo_countries(path.with_name("missing.csv"))


def test_known_baci_coefficients_are_recovered(
    geo: pd.DataFrame, countries: pd.DataFrame, world: Any
) -> None:
    decl, uv = world
    rec = reconcile(decl, geo, countries=countries)
    m = rec.margins
    assert m.specification == "baci" and m.omitted == ()
    assert set(m.coefficients) == set(BACI_TRUE)
    for name, true in BACI_TRUE.items():
        assert m.coefficients[name] == pytest.approx(true, abs=2e-3 + 0.05 * abs(true)), name
    # the world median unit value is close to each product's own (declarations add noise)
    median = unit_values(decl).set_index("product")["ln_unit_value"].sort_index()
    assert len(median) == len(uv)
    assert np.allclose(median, np.log(pd.Series(uv)).sort_index(), atol=0.1)
    assert rec.pairs["margin"].between(0, 0.2).all()


def test_the_fit_equals_numpy_lstsq_on_the_same_frame(
    geo: pd.DataFrame, countries: pd.DataFrame, world: Any
) -> None:
    decl, _ = world
    pairs = with_distances(mirror_pairs(decl), geo, countries=countries)
    pairs = pairs.merge(unit_values(decl), on="product")
    ours = fit_margins(pairs)
    ln_d = np.log(pairs["dist_km"])
    design = np.column_stack([
        np.ones(len(pairs)), ln_d, ln_d**2, pairs["contig"], pairs["landlocked_exporter"],
        pairs["landlocked_importer"], pairs["ln_unit_value"], pairs["year"] == 2021,
    ]).astype(float)  # fmt: skip
    y = np.log(pairs["m_cif_usd"] / pairs["x_usd"]).to_numpy()
    beta = np.linalg.lstsq(design, y, rcond=None)[0]
    assert np.allclose(list(ours.coefficients.values()), beta, rtol=1e-9, atol=1e-12)
    assert ours.nobs == len(pairs)


def test_without_the_country_file_landlocked_is_left_out(geo: pd.DataFrame, world: Any) -> None:
    decl, _ = world
    rec = reconcile(decl, geo)
    assert rec.margins.omitted == ("landlocked_exporter", "landlocked_importer")
    old = reconcile(decl.drop(columns="net_kg"), geo, specification="distance")
    assert list(old.margins.coefficients) == ["const", "ln_dist", "contig"]
    assert old.margins.base_year is None
    with pytest.raises(InputError, match="specification must be one of"):
        reconcile(decl, geo, specification="gravity")  # type: ignore[arg-type]


def _thai(shared_data: Path, tmp_path: Path) -> pd.DataFrame:
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_comtrade(shared_data / "comtrade" / "tha-crustacean-imports-2007-2011.csv.gz")
    out: pd.DataFrame = lake.declarations().to_pandas()
    return out


def test_real_unit_values_equal_pandas(shared_data: Path, tmp_path: Path) -> None:
    raw = pd.read_csv(
        shared_data / "comtrade" / "tha-crustacean-imports-2007-2011.csv.gz",
        dtype={"cmdCode": str},
    )
    raw = raw[raw["flowCode"].isin(["X", "M"]) & (raw["netWgt"] > 0) & (raw["primaryValue"] > 0)]
    raw = raw[~raw["partnerISO"].isin(["W00"])]
    expected = (raw["primaryValue"] / raw["netWgt"]).groupby(raw["cmdCode"].str.zfill(6)).median()
    ours = unit_values(_thai(shared_data, tmp_path)).set_index("product")["ln_unit_value"]
    assert len(ours) == 4
    assert np.allclose(ours.sort_index(), np.log(expected.sort_index()), rtol=1e-12)


def test_real_regression_equals_pyfixest(
    shared_data: Path, tmp_path: Path, geo: pd.DataFrame, countries: pd.DataFrame
) -> None:
    """The file has Thailand's side only (no mirror declarations of the same flows), so the
    ratio here is Thailand's CIF imports from a partner over its FOB exports to it, product
    by product: real numbers, not a margin; the test checks the regression, not economics."""
    import pyfixest as pf

    decl = _thai(shared_data, tmp_path)
    pairs = mirror_pairs(decl)
    x = pairs[pairs["exporter"] == "THA"].rename(columns={"importer": "partner"})
    m = pairs[pairs["importer"] == "THA"].rename(columns={"exporter": "partner"})
    frame = x[["year", "partner", "product", "x_usd"]].merge(
        m[["year", "partner", "product", "m_cif_usd"]], on=["year", "partner", "product"]
    )
    frame = frame.assign(exporter=frame["partner"], importer="THA")
    frame = with_distances(frame, geo, countries=countries).merge(unit_values(decl), on="product")
    frame = frame.dropna(subset=["dist_km", "landlocked_exporter"])
    ours = fit_margins(frame, trim=1e9)
    df = frame.assign(
        y=np.log(frame["m_cif_usd"] / frame["x_usd"]), ln_dist=np.log(frame["dist_km"])
    ).assign(ln_dist2=lambda d: d["ln_dist"] ** 2)
    used = [n for n in ours.coefficients if n != "const" and not n.startswith("year_")]
    fit = pf.feols(f"y ~ {' + '.join(used)} | year", data=df)
    theirs = fit.coef()
    assert len(frame) > 30 and "ln_dist2" in used
    for name in used:
        assert ours.coefficients[name] == pytest.approx(theirs[name], rel=1e-7, abs=1e-10), name
