"""Gravity: the textbook Table 1 (published numbers), PPML identities, options and errors."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bilat.errors import EstimationError, InputError, NotFoundError, SchemaError, ValidationError
from bilat.potential import GravityConfig, estimate, read_panel
from bilat.potential.gravity import formula, prepare

# Yotov, Piermartini, Monteiro & Larch (2016), An Advanced Guide to Trade Policy Analysis,
# Chapter 1, Application 1, Table 1, column PPML: estimate (clustered standard error).
TABLE1_PPML = {
    "ln_dist": (-0.841, 0.032),
    "cntg": (0.437, 0.083),
    "lang": (0.247, 0.077),
    "clny": (-0.222, 0.116),
}


@pytest.mark.shared
@pytest.mark.parametrize("term", list(TABLE1_PPML))
def test_textbook_table1_ppml_column(textbook_fit, term: str) -> None:  # type: ignore[no-untyped-def]
    c = textbook_fit.coefficient(term)
    assert (round(c.estimate, 3), round(c.std_error, 3)) == TABLE1_PPML[term]


@pytest.mark.shared
def test_textbook_sample(textbook_fit) -> None:  # type: ignore[no-untyped-def]
    assert textbook_fit.n_obs == 28_152
    assert textbook_fit.n_clusters == 2_346  # the book's pair_id: unordered pairs of 69 countries
    assert textbook_fit.n_exporter_years == textbook_fit.n_importer_years == 69 * 6
    assert textbook_fit.years == (1986, 1990, 1994, 1998, 2002, 2006)


@pytest.mark.shared
def test_fixest_convention_scales_variance_by_n_minus_k(agtpa_path: Path, textbook_fit) -> None:  # type: ignore[no-untyped-def]
    # fixest's default counts the fixed effects not nested in the clusters: 4 slopes, 414
    # exporter-year and 414 importer-year effects, one of them redundant.
    fixest = estimate(read_panel(agtpa_path), years=range(1986, 2007, 4))
    n, k = fixest.n_obs, 4 + 414 + 414 - 1
    for a, b in zip(fixest.coefficients, textbook_fit.coefficients, strict=True):
        assert a.estimate == pytest.approx(b.estimate, rel=1e-9)
        assert (a.std_error / b.std_error) ** 2 == pytest.approx((n - 1) / (n - k), rel=1e-9)


@pytest.mark.shared
def test_ppml_adds_up_by_exporter_and_importer_year(textbook_fit) -> None:  # type: ignore[no-untyped-def]
    # With exporter-year and importer-year effects, PPML's first-order conditions make
    # fitted flows sum to actual flows for every exporter-year and importer-year.
    f = textbook_fit.fitted
    for keys in (["exporter", "year"], ["importer", "year"]):
        sums = f.groupby(keys)[["trade", "fitted"]].sum()
        np.testing.assert_allclose(sums["fitted"], sums["trade"], rtol=1e-5)


@pytest.mark.shared
def test_textbook_dyad_gap(textbook_fit) -> None:  # type: ignore[no-untyped-def]
    d = textbook_fit.dyad("deu", "FRA")
    assert d.year == 2006
    row = textbook_fit.fitted.query("exporter == 'DEU' and importer == 'FRA' and year == 2006")
    assert d.actual_usd == pytest.approx(float(row["trade"].iloc[0]))
    assert d.gap_usd == pytest.approx(d.fitted_usd - d.actual_usd)
    assert d.ratio == pytest.approx(d.actual_usd / d.fitted_usd)
    assert len(d.series) == 6
    assert any("partial equilibrium" in c for c in d.caveats)
    assert textbook_fit.dyad("DEU", "FRA", year=1990).year == 1990
    with pytest.raises(NotFoundError, match="no observation in 1991"):
        textbook_fit.dyad("DEU", "FRA", year=1991)
    with pytest.raises(NotFoundError, match="not in the estimation sample"):
        textbook_fit.dyad("DEU", "XXX")


def test_recovers_known_coefficients_exactly(world, beta) -> None:
    fit = estimate(world(), terms=["ln_dist", "cntg", "eaeu"])
    for term, value in beta.items():
        assert fit.coefficient(term).estimate == pytest.approx(value, abs=1e-6)
    assert fit.r2 == pytest.approx(1.0)
    assert fit.n_clusters == 14 * 13 // 2


def test_directed_pairs_double_the_clusters(world) -> None:
    fit = estimate(world(), terms=["ln_dist", "cntg"], cluster="directed_pair")
    assert fit.n_clusters == 14 * 13


def test_years_and_domestic_filter(world) -> None:
    panel = world()
    dom = pd.DataFrame(
        {
            "exporter": ["C00"],
            "importer": ["C00"],
            "year": [2021],
            "trade": [1e9],
            "dist": [1.0],
            "cntg": [0.0],
            "eaeu": [1.0],
        }
    )
    fit = estimate(pd.concat([panel, dom]), terms=["ln_dist", "cntg"], years=[2020, 2021])
    assert fit.years == (2020, 2021)
    assert fit.n_obs == 2 * 14 * 13
    assert "C00" not in set(fit.fitted.query("exporter == importer")["exporter"])


def test_clean_frame_with_negative_trade_is_still_rejected(world) -> None:  # type: ignore[no-untyped-def]
    panel = world()
    panel.loc[3, "trade"] = -1.0
    with pytest.raises(ValidationError, match="line 5, column 'trade'"):
        estimate(panel, terms=["ln_dist"])


def test_rows_with_unusable_covariates_are_counted_as_dropped(world) -> None:
    panel = world()
    panel.loc[:9, "dist"] = np.nan
    panel.loc[10:14, "dist"] = 0.0  # log undefined
    fit = estimate(panel, terms=["ln_dist", "cntg"])
    assert fit.n_dropped >= 15
    assert fit.n_obs == len(panel) - fit.n_dropped


def test_config_validation_names_the_option() -> None:
    with pytest.raises(InputError, match="small_sample must be one of fixest, stata"):
        GravityConfig.make(small_sample="sas")
    with pytest.raises(InputError, match="cluster must be one of pair, directed_pair"):
        GravityConfig.make(cluster="country")
    with pytest.raises(InputError, match="not a column name"):
        GravityConfig.make(terms=["ln_dist + exp(1)"])
    with pytest.raises(InputError, match="at least one regressor"):
        GravityConfig.make(terms=[])


def test_unknown_term_points_to_covariates(world) -> None:
    with pytest.raises(InputError, match="term 'lang' is not a panel column"):
        estimate(world(), terms=["ln_dist", "lang"])


def test_term_without_variation_is_an_estimation_error(world) -> None:
    panel = world().assign(flat=1.0)
    with pytest.raises(EstimationError, match="flat"):
        estimate(panel, terms=["ln_dist", "flat"])


def test_too_little_data(world) -> None:
    panel = world().head(2)
    with pytest.raises(EstimationError, match="too little data"):
        estimate(panel, terms=["ln_dist", "cntg", "eaeu"])


def test_formula_and_prepared_frame(world) -> None:
    cfg = GravityConfig.make(terms=["ln_dist", "cntg"])
    assert formula(cfg) == "trade ~ ln_dist + cntg | exporter^year + importer^year"
    ols = GravityConfig.make(terms=["ln_dist"], method="ols")
    assert formula(ols) == "log(trade) ~ ln_dist | exporter^year + importer^year"
    frame = prepare(world(), cfg)
    assert frame["ln_dist"].to_numpy() == pytest.approx(np.log(world()["dist"].to_numpy()))
    assert frame["cluster_pair"].nunique() == 14 * 13 // 2


def test_results_as_data_and_chart(world) -> None:
    fit = estimate(world(), terms=["ln_dist", "cntg"])
    d = fit.to_dict()
    assert [c["term"] for c in d["coefficients"]] == ["ln_dist", "cntg"]
    assert list(fit.to_pandas()["term"]) == ["ln_dist", "cntg"]
    spec = fit.chart().to_dict()
    assert "layer" in spec
    dy = fit.dyad("C01", "C02")
    assert dy.to_dict()["series"][0]["year"] == 2019
    assert "line" in str(dy.chart().to_dict()["mark"])
    assert math.isclose(dy.to_pandas()["gap_usd"].iloc[-1], dy.gap_usd)


def test_read_panel_errors_name_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "panel.csv"
    bad.write_text("exporter,importer,year,trade\nAAA,BBB,2020,10\nAAA,CCC,2020,-5\n")
    with pytest.raises(ValidationError) as exc:
        read_panel(bad)
    assert exc.value.line == 3 and exc.value.column == "trade"
    assert "panel.csv, line 3, column 'trade'" in exc.value.message
    bad.write_text("exporter,importer,year,flow\nAAA,BBB,2020,10\n")
    with pytest.raises(SchemaError, match="missing column"):
        read_panel(bad)
    bad.write_text("exporter,importer,year,trade\nAAA,BBB,twenty,10\n")
    with pytest.raises(ValidationError, match="not a number"):
        read_panel(bad)
    with pytest.raises(InputError, match="does not exist"):
        read_panel(tmp_path / "nope.csv")


def test_read_panel_parquet_roundtrip(tmp_path: Path, world) -> None:
    path = tmp_path / "panel.parquet"
    world().to_parquet(path)
    panel = read_panel(path)
    assert len(panel) == len(world()) and panel["year"].dtype == "int64"


def test_public_surface() -> None:
    import bilat.potential as p

    assert set(p.__all__) == {
        "Coefficient", "DyadGravity", "ExportPotential", "GravityConfig", "GravityFit", "GravityRun",
        "PotentialSection", "ProductPotential", "estimate", "export_potential",
        "join_covariates", "join_geodist", "market_potential", "panel_from_flows",
        "potential_section", "read_geodist", "read_panel", "read_table", "run_gravity",
        "ScenarioResult", "run_scenario",
    }  # fmt: skip
    assert all(hasattr(p, name) for name in p.__all__)
